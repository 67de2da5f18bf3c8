/**
 * What every part of the agent runtime shares: queue names and constants, the runtime's
 * public shape and its dependencies, the {@link RunnerContext} each part is handed, and the
 * small helpers they all use (queue a run step, post to a chat, rebuild the requester's
 * context, the answer's message key, the budget scope, the streaming throttle).
 */
import type { CoreDeps } from '../core/module.ts';
import type { CommandContext } from '../core/registry.ts';
import type { QueueDef } from '../services/queues.ts';
import type { ConversationRef, InboundMessage, Reply } from '../services/messaging/types.ts';
import { secretValues } from '../services/config.ts';
import type { LlmService } from './llm.service.ts';
import type { ConversationMemoryStore } from './memory.ts';

/** The tool through which an agent hands a sub-task to another agent (a child run). */
export const DELEGATE_TOOL = 'delegate';

export const AGENT_RUN_QUEUE = 'agent-run';
export const AGENT_EXPIRE_QUEUE = 'agent-expire';
export const AGENT_REPORT_QUEUE = 'agent-report';
/** Platform user id the scheduled reporter runs as (a viewer unless the YAML says otherwise). */
export const REPORTER_USER = 'a2d2-reporter';

/** Terminal states: nothing more happens to the run. */
export const FINISHED = ['done', 'failed', 'rejected', 'expired', 'stopped'];

/** Where a run came from, enough to rebuild the requester's context in any worker. */
export interface RunOrigin {
  platform: InboundMessage['platform'];
  ref: ConversationRef;
  user: InboundMessage['user'];
}

export interface AgentRuntime {
  queues: QueueDef<unknown>[];
  /** Creates a run for the context's user and queues it; returns its id. */
  start(ctx: CommandContext, agent: string, input: string, opts?: { parentId?: string }): Promise<string>;
  /** Handles an Approve / Reject click. */
  decide(ctx: CommandContext, approvalId: string, decision: 'approve' | 'reject'): Promise<Reply | undefined>;
  /** Processes one run step (exported for tests and child runs). */
  process(runId: string): Promise<string>;
  /** Starts a run with no person behind it (the scheduled report) in a conversation. */
  startSystem(agent: string, input: string, ref: ConversationRef): Promise<string>;
  /** Installs the weekly report schedule when a destination is configured (worker roles). */
  schedule(): Promise<void>;
}

export interface RuntimeDeps extends CoreDeps {
  llm: LlmService;
  memory: ConversationMemoryStore;
}

/** What each part of the runtime is handed: its dependencies and what is derived from them once. */
export interface RunnerContext {
  deps: RuntimeDeps;
  /** The `agents` section of the config file: limits, approvals, the report. */
  cfg: RuntimeDeps['config']['file']['agents'];
  /** Configured secret values, redacted from anything the model writes to a chat. */
  secrets: string[];
}

/** Builds the context the runtime's parts share. */
export function createRunnerContext(deps: RuntimeDeps): RunnerContext {
  return { deps, cfg: deps.config.file.agents, secrets: secretValues(deps.config.env) };
}

/**
 * Lets a call through at most once per `everyMs` (streamed answers edit the chat message at
 * most once a second). The first window starts when the throttle is made.
 */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, everyMs: number, now: () => number = Date.now): (...args: A) => void {
  let last = now();
  return (...args) => {
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    fn(...args);
  };
}

/** Message key of a run's answer: "Working on it…" is edited into the answer in place. */
export const answerKey = (runId: string) => `agent:${runId}:answer`;

/** Budget scope of a conversation: the Slack team, else the platform. */
export function workspaceKeyOf(ref: ConversationRef): string {
  return `${ref.platform}:${ref.workspaceId ?? 'default'}`;
}

/** Queues one step of a run; `step` names the job so one cause queues it once. */
export async function enqueueRun(rt: RunnerContext, runId: string, step: string): Promise<void> {
  await rt.deps.queues.add(AGENT_RUN_QUEUE, { runId }, { jobId: `agent-${runId}-${step}`, attempts: 3 });
}

/** Posts to a conversation outside a command context (expiry, a decision on another run). */
export async function postTo(rt: RunnerContext, ref: ConversationRef, reply: Reply, messageKey?: string): Promise<void> {
  await rt.deps.outbound.send({ ref, reply, ...(messageKey ? { messageKey } : {}) });
}

/** The requester's command context, rebuilt from what the run stored about its origin. */
export async function contextFor(rt: RunnerContext, run: { id: string; ref: unknown; replyRef: unknown; input: string }): Promise<CommandContext> {
  const origin = run.ref as RunOrigin;
  const event: InboundMessage = {
    type: 'message',
    platform: origin.platform,
    eventId: `agent-${run.id}`,
    ref: origin.ref,
    replyRef: run.replyRef as ConversationRef,
    user: origin.user,
    text: run.input,
    addressed: true,
  };
  // Resolved again at every step: a role taken away meanwhile is honoured.
  return rt.deps.pipeline().context(event, 'agent');
}
