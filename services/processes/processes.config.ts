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
    folder: z.string().default('./processes'),
    /** Also load the processes shipped with a2d2 (a name in `folder` overrides a shipped one). */
    includeShipped: z.boolean().default(true),
    http: z
      .object({
        /** Hosts http steps may call; nothing else is reached. */
        allowHosts: z.array(hostPattern).default([]),
        timeoutMs: z.number().int().positive().max(300_000).default(10_000),
        /** Bodies longer than this are cut before they are stored. */
        maxResponseBytes: z.number().int().positive().default(65_536),
      })
      .prefault({}),
    /** Environment variables definitions may reference as `${env.NAME}` (http steps only). */
    secretEnv: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as DEPLOY_HOOK_TOKEN')).default([]),
    /** Values definitions read as `{{ vars.name }}` (URLs, destinations, on-call names). */
    vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()])).default({}),
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
        attempts: z.number().int().min(1).max(20).default(3),
        backoff: durationText.default('2s'),
        approvalTimeout: durationText.default('1h'),
        /** Where runs not started from a chat show their progress (platform:chat[/thread]). */
        notify: z.string().optional(),
        locale: z.enum(['en', 'ru']).optional(),
      })
      .prefault({}),
    /** Step queue tuning (tests shorten the stall detection). */
    queue: z
      .object({
        concurrency: z.number().int().min(1).max(200).default(20),
        lockDurationMs: z.number().int().min(500).default(30_000),
        stalledIntervalMs: z.number().int().min(200).default(30_000),
      })
      .prefault({}),
    /**
     * The recovery sweep: every `every`, step rows left open longer than `grace` whose job is
     * missing (a worker killed between a commit and its enqueue) are enqueued again, as are
     * the timers of waiting steps.
     */
    recovery: z
      .object({
        every: durationText.default('1m'),
        grace: durationText.default('2m'),
      })
      .prefault({}),
  })
  .prefault({});
export type ProcessesConfig = z.infer<typeof processesConfigSchema>;
