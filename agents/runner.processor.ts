/**
 * Agent runs as BullMQ jobs. A run's whole state (messages so far, tool calls still to run,
 * limits used) lives in Postgres (AgentRun); a job carries only the run id, so any worker can
 * pick a run up after a restart. A tool that changes data pauses the run behind an
 * AgentApproval with Approve / Reject buttons; the click runs the tool and re-queues the run.
 * Limits per run: tool calls, tokens and working time (waiting for a person does not count).
 *
 * This file wires the runtime and its three queues. The parts live beside it:
 * run-step.ts (one step of a run, top to bottom), run-lifecycle.ts (starting runs, a child's
 * answer reaching its parent), agent-approvals.ts (request, decide, expire) and
 * runner-context.ts (what they share).
 */
import { z } from 'zod';
import type { Job, QueueDef } from '../services/queues.ts';
import type { ConversationRef } from '../services/messaging/types.ts';
import { toolName } from './tools.ts';
import {
  AGENT_EXPIRE_QUEUE,
  AGENT_REPORT_QUEUE,
  AGENT_RUN_QUEUE,
  FINISHED,
  createRunnerContext,
  type AgentRuntime,
  type RunnerContext,
  type RuntimeDeps,
} from './runner-context.ts';
import { startRun, startSystemRun } from './run-lifecycle.ts';
import { decideApproval, expireApproval } from './agent-approvals.ts';
import { processRun } from './run-step.ts';

export {
  AGENT_EXPIRE_QUEUE,
  AGENT_REPORT_QUEUE,
  AGENT_RUN_QUEUE,
  DELEGATE_TOOL,
  REPORTER_USER,
  answerKey,
  throttle,
  workspaceKeyOf,
} from './runner-context.ts';
export type { AgentRuntime, RuntimeDeps } from './runner-context.ts';

const REPORT_INPUT = 'Write the weekly operations report for the last 7 days.';

const runJob = z.object({ runId: z.string().uuid() });
const expireJob = z.object({ approvalId: z.string().uuid() });
const reportJob = z.object({}).passthrough();

/** Builds the agent runtime: its queues (run steps, approval expiry, the weekly report) and entry points. */
export function createAgentRuntime(deps: RuntimeDeps): AgentRuntime {
  const rt = createRunnerContext(deps);
  const { cfg } = rt;

  const runQueue: QueueDef<z.infer<typeof runJob>> = {
    name: AGENT_RUN_QUEUE,
    schema: runJob,
    concurrency: 5,
    // A run may take up to its time limit; keep the lock well past it so it is not re-delivered as stalled.
    workerOptions: { lockDuration: Math.max(30_000, cfg.runTimeoutMs + 30_000) },
    /** Runs (or resumes) one agent run from its state in Postgres. */
    processor: async (job) => processRun(rt, job.data.runId),
  };
  const expireQueue: QueueDef<z.infer<typeof expireJob>> = {
    name: AGENT_EXPIRE_QUEUE,
    schema: expireJob,
    concurrency: 5,
    /** Expires an approval nobody decided in time and closes its run. */
    processor: async (job) => ((await expireApproval(rt, job.data.approvalId)) ? 'expired' : 'noop'),
  };
  const reportQueue: QueueDef<z.infer<typeof reportJob>> = {
    name: AGENT_REPORT_QUEUE,
    schema: reportJob,
    concurrency: 1,
    /** Starts the scheduled weekly report run (the run itself is an ordinary agent run). */
    processor: async (job) => startReport(rt, job),
  };

  return {
    queues: [runQueue as QueueDef<unknown>, expireQueue as QueueDef<unknown>, reportQueue as QueueDef<unknown>],
    startSystem: (agent, input, ref) => startSystemRun(rt, agent, input, ref),
    schedule: () => scheduleReport(rt),
    start: (ctx, agent, input, opts) => startRun(rt, ctx, agent, input, opts),
    decide: (ctx, approvalId, decision) => decideApproval(rt, ctx, approvalId, decision),
    process: (runId) => processRun(rt, runId),
  };
}

/** One firing of the report schedule: starts the reporter's run, once per firing, when configured. */
async function startReport(rt: RunnerContext, job: Job<z.infer<typeof reportJob>>): Promise<string> {
  const { queues, llm } = rt.deps;
  const dest = rt.cfg.report.destination;
  if (!dest || !llm.configured) return 'off';
  // One report per scheduled firing, even if the job is delivered twice.
  const key = `agent-report:${job.id ?? ''}:${job.timestamp}`;
  const fresh = await queues.producer.set(`${queues.prefix}:${key}`, '1', 'EX', 7 * 86_400, 'NX');
  if (fresh !== 'OK') return 'duplicate';
  return startSystemRun(rt, 'reporter', REPORT_INPUT, dest as ConversationRef);
}

/** Installs the weekly report schedule when a destination and a model are configured, else removes it. */
async function scheduleReport(rt: RunnerContext): Promise<void> {
  if (rt.cfg.report.destination && rt.deps.llm.configured) {
    await rt.deps.schedules.keep({ queue: AGENT_REPORT_QUEUE, id: 'weekly-ops-report', repeat: { pattern: rt.cfg.report.cron, tz: 'UTC' }, job: { name: AGENT_REPORT_QUEUE, data: {} } });
  } else {
    await rt.deps.queues.queue(AGENT_REPORT_QUEUE).removeJobScheduler('weekly-ops-report');
  }
}

/** For the docs and tests: the tool name an agent sees for a command. */
export { toolName, FINISHED };
