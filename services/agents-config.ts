/**
 * YAML sections `llm` (providers, routes, prices, budgets) and `agents` (run limits,
 * approvals, memory). The schema lives in services/ because config.ts validates the whole
 * file at start-up; the agents code reads the parsed values.
 */
import { z } from 'zod';
import { ROLES } from './users/roles.ts';
import { destinationRefSchema } from './messaging/schemas.ts';

/** Model routes: agents and the intent engine ask for a route, providers map it to a model. */
export const LLM_ROUTES = ['fast', 'balanced', 'powerful'] as const;
export type LlmRoute = (typeof LLM_ROUTES)[number];

const providerSchema = z
  .object({
    /** Name used in logs and usage rows. */
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - (up to 40)').describe('Name of the provider in logs and LLM usage rows'),
    /** OpenAI-compatible base URL (…/v1). Default: OPENAI_BASE_URL or the OpenAI API. */
    baseUrl: z.string().url().optional().describe('OpenAI-compatible base URL (…/v1); default OPENAI_BASE_URL, else the OpenAI API'),
    /**
     * Where the API key comes from. 'env' = OPENAI_API_KEY; a path = a file holding the key
     * (mounted secret); 'none' = no key (local servers). Keys never go into the YAML itself.
     */
    apiKey: z.union([z.literal('env'), z.literal('none'), z.object({ file: z.string().min(1).describe('Path of a file whose content (trimmed) is the key') })]).default('env')
      .describe('Where the key comes from: `env` = OPENAI_API_KEY, `none` = no key (local servers), `{ file: path }` = a file holding the key (a mounted secret). Keys never go in the YAML'),
    /** Model per route; a missing route uses `balanced`, then any model given. */
    models: z.partialRecord(z.enum(LLM_ROUTES), z.string().min(1)).refine((m) => Object.keys(m).length > 0, 'at least one model').describe('Model per route (`fast`, `balanced`, `powerful`); a route not given uses `balanced`, then any model given'),
    /** Requests per minute this install may send to the provider (all processes together). */
    rateLimitPerMinute: z.number().int().positive().default(60).describe('Requests per minute this install may send to the provider (all processes together)'),
    timeoutMs: z.number().int().positive().max(300_000).default(30_000).describe('Time one request may take before it counts as failed'),
    /** Retries of one request on the same provider before falling back to the next. */
    maxRetries: z.number().int().min(0).max(5).default(1).describe('Retries of one request on this provider before falling back to the next'),
  })
  .strict();
export type LlmProviderConfig = z.infer<typeof providerSchema>;

const priceSchema = z
  .object({
    input: z.number().nonnegative().describe('USD per 1M prompt tokens'),
    output: z.number().nonnegative().describe('USD per 1M completion tokens'),
  })
  .strict();

/** Default prices in USD per 1M tokens (input / output). */
export const DEFAULT_PRICES: Record<string, { input: number; output: number }> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'deepseek-chat': { input: 0.14, output: 0.28 },
};

/** The `llm:` section. */
export const llmConfigSchema = z
  .object({
    /** Providers in fallback order. Empty: OPENAI_API_KEY / OPENAI_BASE_URL make one, or no LLM. */
    providers: z.array(providerSchema).default([]).describe('Providers in fallback order. Empty: OPENAI_API_KEY / OPENAI_BASE_URL make one, or there is no LLM'),
    /** Price table, USD per 1M tokens; merged over the defaults. */
    prices: z.record(z.string(), priceSchema).default({}).describe('Model -> price, USD per 1M tokens; merged over the shipped prices (gpt-4o, gpt-4o-mini, deepseek-chat). Spend against the budgets is counted from these'),
    budgets: z
      .object({
        /** Daily spend cap per workspace (Slack team; Telegram/terminal: the platform), USD. 0 = none. */
        workspaceDailyUsd: z.number().nonnegative().default(20).describe('Daily spend cap per workspace (Slack team; Telegram and terminal: the platform), USD; 0 = none'),
        /** Daily spend cap per user, USD. 0 = none. */
        userDailyUsd: z.number().nonnegative().default(2).describe('Daily spend cap per user, USD; 0 = none'),
      })
      .strict()
      .describe('Daily spending caps (UTC days); past one, LLM calls are refused until the next day')
      .prefault({}),
    /** Use the LLM to understand free text (falls back to the deterministic rules on any failure). */
    intent: z.boolean().default(true).describe('Use the LLM to understand free text when one is configured (the deterministic rules answer on any failure)'),
  })
  .strict()
  .describe('OpenAI-compatible providers in fallback order, prices, daily budgets (docs/agents.md)')
  .prefault({});
export type LlmConfig = z.infer<typeof llmConfigSchema>;

/** The `agents:` section. */
export const agentsConfigSchema = z
  .object({
    maxToolCalls: z.number().int().positive().max(50).default(8).describe('Tool calls one agent run may make before it is stopped'),
    /** Prompt + completion tokens one run may use. */
    maxTokensPerRun: z.number().int().positive().default(60_000).describe('Prompt + completion tokens one run may use'),
    /** Wall-clock time one run may spend working (waiting for an approval does not count). */
    runTimeoutMs: z.number().int().positive().max(600_000).default(60_000).describe('Wall-clock time one run may spend working (waiting for an approval does not count)'),
    /** How long an approval stays valid. */
    approvalTtlMs: z.number().int().positive().default(60 * 60_000).describe('How long an agent\'s request to run a state-changing tool stays open for approval'),
    /** Role that may approve a tool run for someone else (the requester may always approve their own). */
    approverRole: z.enum(ROLES).default('admin').describe('Lowest role that may approve a tool run for someone else (the requester may always approve their own)'),
    /** Messages kept verbatim per thread before older ones are summarised. */
    memoryMaxMessages: z.number().int().min(4).max(200).default(20).describe('Messages kept verbatim per thread before older ones are summarised'),
    /** Schedule of the weekly ops report (cron, UTC) and where it goes; off when no destination. */
    report: z
      .object({
        cron: z.string().default('0 8 * * 1').describe('When the weekly ops report is posted, a cron expression in UTC (default Mondays 08:00)'),
        destination: destinationRefSchema.optional().describe('Chat the report goes to; unset (or no LLM configured): no report'),
      })
      .strict()
      .describe('The weekly ops report written by the reporter agent')
      .prefault({}),
  })
  .strict()
  .describe('AI agent runs: limits, approvals, thread memory, the weekly report (docs/agents.md)')
  .prefault({});
export type AgentsConfig = z.infer<typeof agentsConfigSchema>;
