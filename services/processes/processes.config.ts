/**
 * The `processes` section of the YAML file: where definitions live, which hosts http steps may
 * call, which environment variables definitions may reference as secrets, values definitions
 * read as `{{ vars.name }}`, and defaults for retries, approvals and the step queue.
 */
import { z } from 'zod';
import { durationMs, durationSchema } from '../duration.ts';

/** Durations in process settings and definitions: the project's one format (a unit is required). */
export const durationText = durationSchema;

/** Milliseconds of a validated duration. */
export const toMs = durationMs;

/** A host pattern: `example.com`, `*.example.com`, optionally `:port` or `:*`. */
const hostPattern = z.string().regex(/^(\*\.)?[A-Za-z0-9.-]+(:(\d+|\*))?$|^\[[0-9a-fA-F:]+\](:(\d+|\*))?$/, 'a host such as api.example.com, *.example.com or 127.0.0.1:8080');

export const processesConfigSchema = z
  .object({
    /** Folder of process definitions (*.yaml, *.yml). */
    folder: z.string().default('./processes').describe('Folder of process definitions (*.yaml, *.yml), read at start-up'),
    /** Also load the processes shipped with a2d2 (a name in `folder` overrides a shipped one). */
    includeShipped: z.boolean().default(true).describe('Also load the processes shipped with a2d2 (a name in `folder` overrides a shipped one)'),
    http: z
      .object({
        /** Hosts http steps may call; nothing else is reached. */
        allowHosts: z.array(hostPattern).default([]).describe('Hosts http steps may call (`api.example.com`, `*.example.com`, optional `:port` or `:*`); nothing else is reached, and redirects are not followed'),
        timeoutMs: z.number().int().positive().max(300_000).default(10_000).describe('Time one http step request may take'),
        /** Bodies longer than this are cut before they are stored. */
        maxResponseBytes: z.number().int().positive().default(65_536).describe('Response bodies longer than this are cut before they are stored'),
      })
      .describe('What http steps may reach')
      .prefault({}),
    /** Environment variables definitions may reference as `${env.NAME}` (http steps only). */
    secretEnv: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as DEPLOY_HOOK_TOKEN')).default([]).describe('Environment variables definitions may reference as `${env.NAME}` (http steps only); no other variable leaves the process'),
    /** Values definitions read as `{{ vars.name }}` (URLs, destinations, on-call names). */
    vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()])).default({}).describe('Values definitions read as `{{ vars.name }}` (URLs, destinations, on-call names)'),
    /**
     * Per-environment values over `vars`: a run whose `env` input names an environment here
     * ("run smoke-test on staging", `env=staging`) reads `environments.staging.appUrl` as
     * `{{ vars.appUrl }}`. A run naming an environment that is not listed is refused.
     */
    environments: z
      .record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'an environment name such as staging'), z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()])))
      .default({})
      .describe('Values per environment over `vars` (`environments.staging.appUrl`): a run whose `env` input names one reads them as `vars`; an unlisted environment is refused'),
    defaults: z
      .object({
        /** Tries per step (the first one included). */
        attempts: z.number().int().min(1).max(20).default(3).describe('Tries per step, the first one included, unless the step sets `retry`'),
        backoff: durationText.default('2s').describe('Delay before the first retry; doubled for each next one'),
        approvalTimeout: durationText.default('1h').describe('How long an approval step waits when it sets no `timeout`'),
        /** Where runs not started from a chat show their progress (platform:chat[/thread]). */
        notify: z.string().optional().describe('Where runs not started from a chat (REST, schedules) show their progress: `platform:chat[/thread]`'),
        locale: z.enum(['en', 'ru']).optional().describe('Language of run messages when the request names none; default `defaultLocale`'),
      })
      .describe('Defaults of every process definition')
      .prefault({}),
    /** Step queue tuning (tests shorten the stall detection). */
    queue: z
      .object({
        concurrency: z.number().int().min(1).max(200).default(20).describe('Steps one worker process runs at once'),
        lockDurationMs: z.number().int().min(500).default(30_000).describe('Lock of a step job on its worker; a killed worker\'s step runs again elsewhere after it expires'),
        stalledIntervalMs: z.number().int().min(200).default(30_000).describe('How often workers look for step jobs whose lock expired'),
      })
      .describe('The step queue')
      .prefault({}),
    /**
     * The recovery sweep: every `every`, step rows left open longer than `grace` whose job is
     * missing (a worker killed between a commit and its enqueue) are enqueued again, as are
     * the timers of waiting steps.
     */
    recovery: z
      .object({
        every: durationText.default('1m').describe('How often the process recovery sweep runs'),
        grace: durationText.default('2m').describe('Age of an open step row without a job after which it is queued again'),
      })
      .describe('The recovery sweep: steps whose job went missing, and timers of waiting steps, are queued again')
      .prefault({}),
  })
  .describe('Processes: definitions folder, HTTP allow-list, secrets by environment reference (docs/processes.md)')
  .prefault({});
export type ProcessesConfig = z.infer<typeof processesConfigSchema>;
