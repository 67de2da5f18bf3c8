/**
 * The LLM client: any OpenAI-compatible endpoint through the openai SDK. Providers are tried
 * in their configured order (fallback on errors, timeouts, 429s and local rate limits), every
 * attempt is stored as an LlmUsage row with tokens and cost, and daily budgets per workspace
 * and per user are checked before a request leaves.
 */
import { readFileSync } from 'node:fs';
import type OpenAI from 'openai';
import type {
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../services/config.ts';
import type { Db } from '../services/db.ts';
import type { Logger } from '../services/logger.ts';
import type { Clock } from '../services/clock.ts';
import { DEFAULT_PRICES, LLM_ROUTES, type LlmRoute } from '../services/agents-config.ts';
import { createLlmMetrics } from './llm.metrics.ts';

export type { ChatCompletionMessageParam, ChatCompletionTool, ChatCompletionMessageFunctionToolCall };

/** A provider ready to call. The key is held here only, never logged or prompted. */
export interface ResolvedProvider {
  name: string;
  baseUrl?: string;
  apiKey: string;
  models: Partial<Record<LlmRoute, string>>;
  rateLimitPerMinute: number;
  timeoutMs: number;
  maxRetries: number;
}

/** What one chat request needs. */
export interface ChatRequest {
  route: LlmRoute;
  /** What the call is for ('agent:triage', 'intent', 'memory'); stored on the usage row. */
  purpose: string;
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionTool[];
  /** Budget scope: Slack team, else the platform. */
  workspaceKey: string;
  userId?: string;
  runId?: string;
  maxTokens?: number;
  /** Aborts the request (the run's deadline). */
  signal?: AbortSignal;
  /** Ask for a JSON object answer. */
  json?: boolean;
  /** When given, the answer is streamed and each text delta is passed here. */
  onText?: (delta: string, soFar: string) => void;
}

/** The answer: the assistant message, tokens and cost, who served it. */
export interface ChatResult {
  message: { content: string | null; tool_calls?: ChatCompletionMessageFunctionToolCall[] };
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  provider: string;
  model: string;
}

/** A daily budget is used up; `scope` says whose. */
export class BudgetExceededError extends Error {
  constructor(
    readonly scope: 'user' | 'workspace',
    readonly spentUsd: number,
    readonly limitUsd: number,
  ) {
    super(`daily ${scope} LLM budget exceeded (${spentUsd.toFixed(4)} of ${limitUsd} USD)`);
    this.name = 'BudgetExceededError';
  }
}

/** No provider could answer. */
export class LlmUnavailableError extends Error {
  constructor(readonly attempts: { provider: string; error: string }[]) {
    super(`no LLM provider answered: ${attempts.map((a) => `${a.provider}: ${a.error}`).join('; ') || 'none configured'}`);
    this.name = 'LlmUnavailableError';
  }
}

export interface LlmService {
  /** True when at least one provider is configured. */
  readonly configured: boolean;
  readonly providers: readonly ResolvedProvider[];
  chat(req: ChatRequest): Promise<ChatResult>;
  /** Today's spend (USD) for a workspace and a user. */
  spentToday(workspaceKey: string, userId?: string): Promise<{ workspace: number; user: number }>;
}

/** Providers from the YAML, or one from OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL. */
export function resolveProviders(config: AppConfig): ResolvedProvider[] {
  const env = config.env;
  const llm = config.file.llm;
  const envModel = env.OPENAI_MODEL?.trim() || 'gpt-4o-mini';
  if (llm.providers.length === 0) {
    if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) return [];
    return [
      {
        name: 'default',
        ...(env.OPENAI_BASE_URL ? { baseUrl: env.OPENAI_BASE_URL } : {}),
        apiKey: env.OPENAI_API_KEY ?? 'none',
        models: { fast: envModel, balanced: envModel, powerful: envModel },
        rateLimitPerMinute: 60,
        timeoutMs: 30_000,
        maxRetries: 1,
      },
    ];
  }
  return llm.providers.map((p) => {
    let apiKey = 'none';
    if (p.apiKey === 'env') apiKey = env.OPENAI_API_KEY ?? 'none';
    else if (typeof p.apiKey === 'object') apiKey = readFileSync(p.apiKey.file, 'utf8').trim();
    const baseUrl = p.baseUrl ?? env.OPENAI_BASE_URL;
    return {
      name: p.name,
      ...(baseUrl ? { baseUrl } : {}),
      apiKey,
      models: p.models,
      rateLimitPerMinute: p.rateLimitPerMinute,
      timeoutMs: p.timeoutMs,
      maxRetries: p.maxRetries,
    };
  });
}

/** The model a provider uses for a route: the route's own, else balanced, else any. */
export function modelFor(p: Pick<ResolvedProvider, 'models'>, route: LlmRoute): string {
  return p.models[route] ?? p.models.balanced ?? LLM_ROUTES.map((r) => p.models[r]).find(Boolean) ?? 'gpt-4o-mini';
}

/** USD per 1M tokens for a model: exact name, else the longest price key it starts with. */
export function priceFor(model: string, table: Record<string, { input: number; output: number }>): { input: number; output: number } {
  const prices = { ...DEFAULT_PRICES, ...table };
  if (prices[model]) return prices[model]!;
  const key = Object.keys(prices)
    .filter((k) => model.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return key ? prices[key]! : { input: 0, output: 0 };
}

/** Cost of one request in USD. */
export function costOf(model: string, promptTokens: number, completionTokens: number, table: Record<string, { input: number; output: number }> = {}): number {
  const p = priceFor(model, table);
  return (promptTokens * p.input + completionTokens * p.output) / 1_000_000;
}

function utcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

type OpenAiSdk = typeof import('openai');
/** The SDK once loaded: it is imported on the first request (an idle process never needs it). */
let sdk: OpenAiSdk | null = null;
let sdkLoading: Promise<OpenAiSdk> | null = null;

function loadSdk(): Promise<OpenAiSdk> {
  sdkLoading ??= import('openai').then(
    (m) => (sdk = m),
    (err: unknown) => {
      // A failed import is retried by the next request rather than remembered.
      sdkLoading = null;
      throw err;
    },
  );
  return sdkLoading;
}

function describe(err: unknown): string {
  // Errors of the SDK exist only once it is loaded; before that none can be one.
  if (sdk && err instanceof sdk.APIError) return `${err.status ?? 'connection'} ${err.message}`.slice(0, 300);
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}

export interface LlmServiceDeps {
  config: AppConfig;
  db: Db;
  logger: Logger;
  clock: Clock;
  /** For the shared per-provider rate limit; when absent, limits are per process. */
  redis?: Redis;
  prefix?: string;
  /** Overrides the providers (tests). */
  providers?: ResolvedProvider[];
  /** Where tokens, cost and the budget share are exported (none: not exported). */
  registry?: Registry;
}

export function createLlmService(deps: LlmServiceDeps): LlmService {
  const { db, logger, clock, config } = deps;
  const providers = deps.providers ?? resolveProviders(config);
  const prices = config.file.llm.prices;
  const budgets = config.file.llm.budgets;
  const clients = new Map<string, OpenAI>();
  const localWindows = new Map<string, { minute: number; count: number }>();
  const metrics = deps.registry
    ? createLlmMetrics({ registry: deps.registry, workspaceDailyUsd: budgets.workspaceDailyUsd, spentToday: async (k) => (await spentToday(k)).workspace })
    : null;

  async function client(p: ResolvedProvider): Promise<OpenAI> {
    let c = clients.get(p.name);
    if (!c) {
      const { default: OpenAIClient } = await loadSdk();
      c = new OpenAIClient({ apiKey: p.apiKey, ...(p.baseUrl ? { baseURL: p.baseUrl } : {}), timeout: p.timeoutMs, maxRetries: p.maxRetries });
      clients.set(p.name, c);
    }
    return c;
  }

  /** Fixed one-minute window per provider, shared through Redis when available. */
  async function takeSlot(p: ResolvedProvider): Promise<boolean> {
    const minute = Math.floor(clock.now().getTime() / 60_000);
    if (deps.redis && deps.redis.status === 'ready') {
      try {
        const key = `${deps.prefix ?? 'a2d2'}:llm:rate:${p.name}:${minute}`;
        const n = await deps.redis.incr(key);
        if (n === 1) await deps.redis.expire(key, 120);
        return n <= p.rateLimitPerMinute;
      } catch (err) {
        logger.warn({ err: describe(err), provider: p.name }, 'llm rate limit check failed; counting locally');
      }
    }
    const w = localWindows.get(p.name);
    if (!w || w.minute !== minute) {
      localWindows.set(p.name, { minute, count: 1 });
      return true;
    }
    w.count++;
    return w.count <= p.rateLimitPerMinute;
  }

  async function spentToday(workspaceKey: string, userId?: string): Promise<{ workspace: number; user: number }> {
    const day = utcDay(clock.now());
    const [ws, user] = await Promise.all([
      db.llmUsage.aggregate({ where: { workspaceKey, day }, _sum: { costUsd: true } }),
      userId ? db.llmUsage.aggregate({ where: { userId, day }, _sum: { costUsd: true } }) : Promise.resolve(null),
    ]);
    return { workspace: ws._sum.costUsd ?? 0, user: user?._sum.costUsd ?? 0 };
  }

  async function record(req: ChatRequest, row: { provider: string; model: string; promptTokens: number; completionTokens: number; costUsd: number; ok: boolean; error?: string; latencyMs: number }): Promise<void> {
    const now = clock.now();
    try {
      await db.llmUsage.create({
        data: {
          at: now,
          day: utcDay(now),
          provider: row.provider,
          model: row.model,
          route: req.route,
          purpose: req.purpose,
          workspaceKey: req.workspaceKey,
          userId: req.userId ?? null,
          runId: req.runId ?? null,
          promptTokens: row.promptTokens,
          completionTokens: row.completionTokens,
          costUsd: row.costUsd,
          ok: row.ok,
          error: row.error ?? null,
          latencyMs: row.latencyMs,
        },
      });
    } catch (err) {
      // Usage rows are bookkeeping; losing one must not lose the answer.
      logger.error({ err: describe(err) }, 'could not store llm usage');
    }
  }

  async function callOnce(p: ResolvedProvider, model: string, req: ChatRequest): Promise<Omit<ChatResult, 'costUsd' | 'provider' | 'model'>> {
    const params = {
      model,
      messages: req.messages,
      ...(req.tools?.length ? { tools: req.tools } : {}),
      ...(req.maxTokens ? { max_tokens: req.maxTokens } : {}),
      ...(req.json ? { response_format: { type: 'json_object' as const } } : {}),
    };
    const opts = req.signal ? { signal: req.signal } : {};
    if (!req.onText) {
      const res = await (await client(p)).chat.completions.create({ ...params, stream: false }, opts);
      const msg: ChatCompletionMessage | undefined = res.choices[0]?.message;
      const toolCalls = (msg?.tool_calls ?? []).filter((c): c is ChatCompletionMessageFunctionToolCall => c.type === 'function');
      return {
        message: { content: msg?.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        promptTokens: res.usage?.prompt_tokens ?? 0,
        completionTokens: res.usage?.completion_tokens ?? 0,
      };
    }
    const stream = await (await client(p)).chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, opts);
    let text = '';
    const calls: { id: string; name: string; args: string }[] = [];
    let promptTokens = 0;
    let completionTokens = 0;
    for await (const chunk of stream) {
      if (chunk.usage) {
        promptTokens = chunk.usage.prompt_tokens;
        completionTokens = chunk.usage.completion_tokens;
      }
      const delta = chunk.choices[0]?.delta;
      if (!delta) continue;
      if (delta.content) {
        text += delta.content;
        req.onText(delta.content, text);
      }
      for (const tc of delta.tool_calls ?? []) {
        const slot = (calls[tc.index] ??= { id: '', name: '', args: '' });
        if (tc.id) slot.id = tc.id;
        if (tc.function?.name) slot.name += tc.function.name;
        if (tc.function?.arguments) slot.args += tc.function.arguments;
      }
    }
    const toolCalls: ChatCompletionMessageFunctionToolCall[] = calls
      .filter(Boolean)
      .map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } }));
    return { message: { content: text || null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, promptTokens, completionTokens };
  }

  return {
    configured: providers.length > 0,
    providers,
    spentToday,
    async chat(req) {
      if (providers.length === 0) throw new LlmUnavailableError([]);
      if (budgets.workspaceDailyUsd > 0 || budgets.userDailyUsd > 0) {
        const spent = await spentToday(req.workspaceKey, req.userId);
        const over = budgets.userDailyUsd > 0 && req.userId && spent.user >= budgets.userDailyUsd ? 'user' : budgets.workspaceDailyUsd > 0 && spent.workspace >= budgets.workspaceDailyUsd ? 'workspace' : null;
        if (over) {
          metrics?.refused(over);
          throw over === 'user' ? new BudgetExceededError('user', spent.user, budgets.userDailyUsd) : new BudgetExceededError('workspace', spent.workspace, budgets.workspaceDailyUsd);
        }
      }
      metrics?.served(req.workspaceKey);
      const attempts: { provider: string; error: string }[] = [];
      for (const p of providers) {
        const model = modelFor(p, req.route);
        if (!(await takeSlot(p))) {
          attempts.push({ provider: p.name, error: 'local rate limit' });
          continue;
        }
        const started = Date.now();
        try {
          const r = await callOnce(p, model, req);
          const costUsd = costOf(model, r.promptTokens, r.completionTokens, prices);
          await record(req, { provider: p.name, model, promptTokens: r.promptTokens, completionTokens: r.completionTokens, costUsd, ok: true, latencyMs: Date.now() - started });
          metrics?.answered(p.name, model, r.promptTokens, r.completionTokens, costUsd);
          return { ...r, costUsd, provider: p.name, model };
        } catch (err) {
          const error = describe(err);
          await record(req, { provider: p.name, model, promptTokens: 0, completionTokens: 0, costUsd: 0, ok: false, error, latencyMs: Date.now() - started });
          // The caller gave up (run deadline): do not spend the next provider's quota too.
          if ((sdk && err instanceof sdk.APIUserAbortError) || req.signal?.aborted) throw err;
          logger.warn({ provider: p.name, model, error }, 'llm provider failed; trying the next one');
          attempts.push({ provider: p.name, error });
        }
      }
      throw new LlmUnavailableError(attempts);
    },
  };
}
