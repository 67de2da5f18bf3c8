/**
 * What every part of the process engine shares: queue names and job payloads, row types, the
 * engine's dependencies, the refusal error, and the pure helpers for job ids and destinations.
 */
import { z } from 'zod';
import type { Db } from '../db.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Queues } from '../queues.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../clock.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import type { ConversationRef } from '../messaging/types.ts';
import type { Locale } from '../i18n/i18n.ts';
import type { LoadedDefinition, StepPlace } from './definition.ts';
import type { ProcessesConfig } from './processes.config.ts';
import type { ProcessPorts } from './ports.ts';
import type { ScheduleKeeper } from '../schedules.ts';

export const PROCESS_STEP_QUEUE = 'processes-steps';
export const PROCESS_TRIGGER_QUEUE = 'processes-triggers';

export const stepJobSchema = z.object({
  stepRunId: z.string().uuid(),
  kind: z.enum(['run', 'timer']).default('run'),
  /** The step may be pure (a branch, or guarded by `when`): it is tried without a claim first. */
  pure: z.boolean().optional(),
});
export type StepJob = z.infer<typeof stepJobSchema>;
export const triggerJobSchema = z.object({ process: z.string().min(1), schedule: z.number().int().nonnegative() });
export type TriggerJob = z.infer<typeof triggerJobSchema>;

export type RunRow = Prisma.ProcessRunGetPayload<object>;
export type StepRow = Prisma.ProcessStepRunGetPayload<object>;
export type Tx = Prisma.TransactionClient;

/** What the step processor needs of a BullMQ job. */
export interface JobInfo {
  attemptsMade: number;
  opts: { attempts?: number };
}

/** Step statuses after which a step never runs again. */
export const FINAL: readonly string[] = ['succeeded', 'failed', 'denied', 'cancelled', 'skipped'];

/** Step statuses from which a step may still finish. */
export const OPEN: readonly string[] = ['pending', 'running', 'waiting'];

/** Interactive transaction limits: a busy pool should make a step wait, not fail it. */
export const TX = { maxWait: 15_000, timeout: 20_000 } as const;

/** A step row just created, with what its job id needs. */
export interface NextRef {
  id: string;
  stepId: string;
  iteration: number;
}

/** Thrown for requests the engine refuses (unknown process, bad input, wrong state, role). */
export class ProcessError extends Error {
  constructor(
    /** i18n key, also the stable code. */
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(key);
    this.name = 'ProcessError';
  }
}

/** A definition as stored (with its version) and indexed. */
export interface ActiveDefinition extends LoadedDefinition {
  id: string;
  version: number;
  places: Map<string, StepPlace>;
}

export interface EngineDeps {
  db: Db;
  queues: Queues;
  outbound: OutboundPort;
  clock: Clock;
  logger: Logger;
  config: ProcessesConfig;
  defaultLocale: Locale;
  /** Secret values by env name (only allow-listed names). */
  secrets: Readonly<Record<string, string>>;
  ports: ProcessPorts;
  /** Repeatable schedules kept on worker roles (services/schedules.ts). */
  schedules: ScheduleKeeper;
  /** True once this process is shutting down: a step result is then discarded, not recorded. */
  isStopping(): boolean;
  fetch?: typeof fetch;
}

/** Who or what starts a run. */
export interface StartRequest {
  process: string;
  inputs: Record<string, unknown>;
  trigger: 'chat' | 'api' | 'schedule' | 'event';
  triggerKey?: string | undefined;
  startedBy?: string | undefined;
  startedById?: string | undefined;
  ref?: ConversationRef | undefined;
  locale?: Locale | undefined;
}

/** Parses a destination `platform:chat[/thread]`. */
export function parseDestination(s: string): ConversationRef | null {
  const m = /^(slack|telegram|terminal):([^\s/]+)(?:\/([^\s/]+))?$/.exec(s.trim());
  if (!m) return null;
  return { platform: m[1] as ConversationRef['platform'], chatId: m[2]!, ...(m[3] ? { threadId: m[3] } : {}) };
}

/** A stored conversation reference read back from a run row, or null when it is not one. */
export function refOf(v: unknown): ConversationRef | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  if ((r.platform !== 'slack' && r.platform !== 'telegram' && r.platform !== 'terminal') || typeof r.chatId !== 'string') return null;
  return { platform: r.platform, chatId: r.chatId, ...(typeof r.threadId === 'string' && r.threadId ? { threadId: r.threadId } : {}) };
}

/** Job id of a step execution: deterministic, so a duplicate enqueue is ignored. */
export function stepJobId(runId: number, stepId: string, iteration: number, generation: number): string {
  return `ps-${runId}-${stepId}-${iteration}-g${generation}`;
}
