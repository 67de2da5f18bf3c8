/**
 * Agent runs as BullMQ jobs. A run's whole state (messages so far, tool calls still to run,
 * limits used) lives in Postgres (AgentRun); a job carries only the run id, so any worker can
 * pick a run up after a restart. A tool that changes data pauses the run behind an
 * AgentApproval with Approve / Reject buttons; the click runs the tool and re-queues the run.
 * Limits per run: tool calls, tokens and working time (waiting for a person does not count).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ChatCompletionMessageParam, ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import type { CoreDeps } from '../core/module.ts';
import type { CommandContext } from '../core/registry.ts';
import type { QueueDef } from '../services/queues.ts';
import type { ConversationRef, InboundMessage, Reply } from '../services/messaging/types.ts';
import { translator, normalizeLocale, type Locale } from '../services/i18n/i18n.ts';
import { ROLES, type Role } from '../services/users/roles.ts';
import { secretValues } from '../services/config.ts';
import { AGENTS, allowsTool, type AgentDefinition } from './definitions.ts';
import { buildToolSet, needsApproval, runCommandTool, runReadTool, toolName } from './tools.ts';
import { BudgetExceededError, LlmUnavailableError, type LlmService } from './llm.service.ts';
import type { ConversationMemoryStore } from './memory.ts';
import { DATA_RULE, neutralizeOutput, quote, redactSecrets } from './safety.ts';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';

/** The tool through which an agent hands a sub-task to another agent (a child run). */
export const DELEGATE_TOOL = 'delegate';

function delegateTool(self: string): ChatCompletionTool {
  const others = Object.keys(AGENTS).filter((n) => n !== self && n !== 'assistant');
  return {
    type: 'function',
    function: {
      name: DELEGATE_TOOL,
      description: `Hand a sub-task to another agent and get its answer: ${others.join(', ')}.`,
      parameters: { type: 'object', properties: { agent: { type: 'string', enum: others }, task: { type: 'string' } }, required: ['agent', 'task'] },
    },
  };
}

export const AGENT_RUN_QUEUE = 'agent-run';
export const AGENT_EXPIRE_QUEUE = 'agent-expire';
export const AGENT_REPORT_QUEUE = 'agent-report';
/** Platform user id the scheduled reporter runs as (a viewer unless the YAML says otherwise). */
export const REPORTER_USER = 'a2d2-reporter';
const REPORT_INPUT = 'Write the weekly operations report for the last 7 days.';

const runJob = z.object({ runId: z.string().uuid() });
const expireJob = z.object({ approvalId: z.string().uuid() });
const reportJob = z.object({}).passthrough();

/** Where a run came from, enough to rebuild the requester's context in any worker. */
interface RunOrigin {
  platform: InboundMessage['platform'];
  ref: ConversationRef;
  user: InboundMessage['user'];
}

/** Terminal states: nothing more happens to the run. */
const FINISHED = ['done', 'failed', 'rejected', 'expired', 'stopped'];

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

function languageName(locale: Locale): string {
  return locale === 'ru' ? 'Russian' : 'English';
}

export function createAgentRuntime(deps: RuntimeDeps): AgentRuntime {
  const { db, llm, memory, registry, clock, logger, queues, outbound, config } = deps;
  const cfg = config.file.agents;
  const secrets = secretValues(config.env);

  async function contextFor(run: { id: string; ref: unknown; replyRef: unknown; input: string }): Promise<CommandContext> {
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
    return deps.pipeline().context(event, 'agent');
  }

  function systemPrompt(def: AgentDefinition, ctx: CommandContext): string {
    return [
      def.instructions,
      DATA_RULE,
      `Answer in ${languageName(ctx.locale)}. The user's role is ${ctx.user.role}. Today is ${clock.now().toISOString().slice(0, 10)}.`,
    ].join('\n\n');
  }

  async function post(ref: ConversationRef, reply: Reply, messageKey?: string): Promise<void> {
    await outbound.send({ ref, reply, ...(messageKey ? { messageKey } : {}) });
  }

  async function enqueue(runId: string, step: string): Promise<void> {
    await queues.add(AGENT_RUN_QUEUE, { runId }, { jobId: `agent-${runId}-${step}`, attempts: 3 });
  }

  async function start(ctx: CommandContext, agent: string, input: string, opts: { parentId?: string } = {}): Promise<string> {
    const id = randomUUID();
    const origin: RunOrigin = { platform: ctx.event.platform, ref: ctx.event.ref, user: ctx.event.user };
    await db.agentRun.create({
      data: {
        id,
        agent,
        userId: ctx.user.id,
        ref: origin as unknown as object,
        replyRef: ctx.replyRef as unknown as object,
        locale: ctx.locale,
        input,
        messages: [{ role: 'user', content: input }] as unknown as object,
        ...(opts.parentId ? { parentId: opts.parentId } : {}),
      },
    });
    await ctx.reply({ text: ctx.t('agents.ask.started') }, { messageKey: answerKey(id) });
    await enqueue(id, 'start');
    return id;
  }

  async function startSystem(agent: string, input: string, ref: ConversationRef): Promise<string> {
    const user = await deps.users.resolve(ref.platform, REPORTER_USER, 'a2d2 reporter');
    const id = randomUUID();
    const origin: RunOrigin = { platform: ref.platform, ref, user: { platformUserId: REPORTER_USER, displayName: 'a2d2 reporter' } };
    const locale = normalizeLocale(config.file.defaultLocale);
    await db.agentRun.create({
      data: { id, agent, userId: user.id, ref: origin as unknown as object, replyRef: ref as unknown as object, locale, input, messages: [{ role: 'user', content: input }] as unknown as object },
    });
    await enqueue(id, 'start');
    return id;
  }

  async function startChild(parent: { id: string; userId: string; ref: unknown; replyRef: unknown; locale: string }, agent: string, input: string, callId: string): Promise<void> {
    // Idempotent per parent tool call: a retried parent step finds the same child.
    const id = await db.$transaction(async (tx) => {
      const existing = await tx.agentRun.findFirst({ where: { parentId: parent.id, error: null, input, agent, result: null, status: { in: ['queued', 'running', 'waiting_approval'] } } });
      if (existing) return existing.id;
      const created = await tx.agentRun.create({
        data: { agent, userId: parent.userId, ref: parent.ref as object, replyRef: parent.replyRef as object, locale: parent.locale, input, parentId: parent.id, messages: [{ role: 'user', content: input }] as unknown as object, pendingCalls: [] },
      });
      return created.id;
    });
    logger.debug({ parent: parent.id, child: id, callId }, 'delegated to a child run');
    await enqueue(id, 'start');
  }

  async function resumeParent(parentId: string, childId: string, status: string, text: string): Promise<void> {
    const parent = await db.agentRun.findUnique({ where: { id: parentId } });
    if (!parent || parent.status !== 'waiting_child') return;
    const calls = parent.pendingCalls as unknown as ChatCompletionMessageFunctionToolCall[];
    const call = calls[0];
    if (!call) return;
    const messages = parent.messages as unknown as ChatCompletionMessageParam[];
    messages.push({ role: 'tool', tool_call_id: call.id, content: quote(`agent:${childId}:${status}`, text) });
    const moved = await db.agentRun.updateMany({
      where: { id: parentId, status: 'waiting_child' },
      data: { status: 'queued', messages: messages as unknown as object, pendingCalls: calls.slice(1) as unknown as object, toolCalls: { increment: 1 } },
    });
    if (moved.count) await enqueue(parentId, `c-${childId}`);
  }

  async function processRun(runId: string): Promise<string> {
    const run = await db.agentRun.findUnique({ where: { id: runId } });
    if (!run || !['queued', 'running'].includes(run.status)) return 'skipped';
    await db.agentRun.update({ where: { id: runId }, data: { status: 'running' } });
    const started = Date.now();
    const deadline = started + Math.max(0, cfg.runTimeoutMs - run.elapsedMs);
    const ctx = await contextFor(run);
    const t = ctx.t;
    const def = AGENTS[run.agent] ?? AGENTS.assistant!;
    const toolset = buildToolSet(registry, t, ctx.user.role, def);
    // A top-level run may hand a sub-task to another agent (one level deep).
    if (!run.parentId && allowsTool(def, DELEGATE_TOOL)) toolset.tools.push(delegateTool(def.name));
    const messages = run.messages as unknown as ChatCompletionMessageParam[];
    let pending = run.pendingCalls as unknown as ChatCompletionMessageFunctionToolCall[];
    let toolCalls = run.toolCalls;
    let tokens = run.tokens;
    const scope = { workspaceKey: workspaceKeyOf((run.ref as unknown as RunOrigin).ref), userId: run.userId, runId };

    const save = (patch: Record<string, unknown> = {}) =>
      db.agentRun.update({
        where: { id: runId },
        data: { messages: messages as unknown as object, pendingCalls: pending as unknown as object, toolCalls, tokens, elapsedMs: run.elapsedMs + (Date.now() - started), ...patch },
      });
    const finish = async (status: string, text: string, extra: Record<string, unknown> = {}) => {
      await save({ status, result: text, finishedAt: clock.now(), ...(pending.length && status !== 'done' ? { pendingCalls: [] } : {}), ...extra });
      // A child's answer goes to its parent, which answers the person.
      if (run.parentId) await resumeParent(run.parentId, runId, status, text);
      else await ctx.reply({ text }, { messageKey: answerKey(runId) });
      return status;
    };

    try {
      for (;;) {
        while (pending.length) {
          const call = pending[0]!;
          if (toolCalls >= cfg.maxToolCalls) return await finish('stopped', t('agents.run.limitTools', { count: toolCalls }));
          const entry = toolset.byName.get(call.function.name);
          let args: unknown;
          let result: string;
          try {
            args = call.function.arguments ? JSON.parse(call.function.arguments) : {};
          } catch {
            args = undefined;
          }
          if (call.function.name === DELEGATE_TOOL && !run.parentId && args && typeof args === 'object') {
            const d = args as { agent?: unknown; task?: unknown };
            const child = typeof d.agent === 'string' ? AGENTS[d.agent] : undefined;
            if (child && child.name !== def.name && typeof d.task === 'string' && d.task.trim()) {
              await startChild(run, child.name, d.task.trim().slice(0, 8_000), call.id);
              await save({ status: 'waiting_child' });
              return 'waiting_child';
            }
            result = 'error: delegate needs an agent name (other than yours) and a task';
          } else if (!entry) {
            // Not offered to this user (role) or this agent, or invented by the model.
            result = `error: there is no tool "${call.function.name}" available to this user`;
          } else if (args === undefined || typeof args !== 'object') {
            result = 'error: arguments must be a JSON object';
          } else if (entry.kind === 'read') {
            result = await runReadTool(entry.tool, ctx.user.role, args, { db, ping: () => queues.producer.ping().then(() => true, () => false) });
          } else if (needsApproval(entry.spec)) {
            await requestApproval(ctx, runId, call, entry.spec.id, args, t);
            await save({ status: 'waiting_approval' });
            return 'waiting_approval';
          } else {
            result = (await runCommandTool(deps.pipeline(), { ...ctx, via: 'agent' }, entry.spec, args, false)).text;
          }
          messages.push({ role: 'tool', tool_call_id: call.id, content: result });
          pending = pending.slice(1);
          toolCalls++;
          await save();
        }
        if (tokens >= cfg.maxTokensPerRun) return await finish('stopped', t('agents.run.limitTokens'));
        const remaining = deadline - Date.now();
        if (remaining <= 0) return await finish('stopped', t('agents.run.timeout', { seconds: Math.round(cfg.runTimeoutMs / 1000) }));
        const history = await memory.promptMessages(ctx.conversation.id);
        const r = await llm.chat({
          route: def.route,
          purpose: `agent:${def.name}`,
          ...scope,
          messages: [{ role: 'system', content: systemPrompt(def, ctx) }, ...history, ...messages],
          ...(toolset.tools.length ? { tools: toolset.tools } : {}),
          signal: AbortSignal.timeout(remaining),
          onText: throttle((_delta: string, soFar: string) => {
            // Streaming edits the answer message at most once a second; children answer their parent only.
            if (run.parentId) return;
            ctx.reply({ text: `${neutralizeOutput(redactSecrets(soFar, secrets))} …` }, { messageKey: answerKey(runId) }).catch(() => undefined);
          }, 1000),
        });
        tokens += r.promptTokens + r.completionTokens;
        const calls = r.message.tool_calls ?? [];
        if (calls.length) {
          messages.push({ role: 'assistant', content: r.message.content, tool_calls: calls });
          pending = [...calls];
          await save();
          continue;
        }
        const answer = neutralizeOutput(redactSecrets(r.message.content?.trim() || t('agents.run.noAnswer'), secrets));
        messages.push({ role: 'assistant', content: answer });
        const status = await finish('done', answer);
        await memory.remember(
          ctx.conversation.id,
          [
            { role: 'user', content: run.input },
            { role: 'assistant', content: answer },
          ],
          { workspaceKey: scope.workspaceKey, userId: run.userId },
        );
        return status;
      }
    } catch (err) {
      if (Date.now() >= deadline) return finish('stopped', t('agents.run.timeout', { seconds: Math.round(cfg.runTimeoutMs / 1000) }));
      if (err instanceof BudgetExceededError) {
        return finish('failed', t(`agents.budget.${err.scope}`, { spent: err.spentUsd.toFixed(2), limit: err.limitUsd.toFixed(2) }), { error: 'budget' });
      }
      if (err instanceof LlmUnavailableError) return finish('failed', t('agents.unavailable'), { error: err.message.slice(0, 500) });
      const ref = randomUUID().slice(0, 8);
      logger.error({ err, ref, runId }, 'agent run failed');
      return finish('failed', t('agents.run.failed', { ref }), { error: `${ref}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500) });
    }
  }

  async function requestApproval(ctx: CommandContext, runId: string, call: ChatCompletionMessageFunctionToolCall, commandId: string, args: unknown, t: CommandContext['t']): Promise<void> {
    const expiresAt = new Date(clock.now().getTime() + cfg.approvalTtlMs);
    const approval = await db.agentApproval.upsert({
      where: { runId_toolCallId: { runId, toolCallId: call.id } },
      create: { runId, toolCallId: call.id, commandId, args: args as object, requesterId: ctx.user.id, approverRole: cfg.approverRole, expiresAt },
      update: {},
    });
    const spec = registry.command(commandId);
    const name = spec ? (spec.aliases[ctx.locale][0] ?? spec.aliases.en[0] ?? commandId) : commandId;
    const shown = JSON.stringify(args).slice(0, 500);
    const mayApproveOwn = spec?.roles.includes(ctx.user.role) ?? false;
    await ctx.reply({
      text: neutralizeOutput(
        mayApproveOwn
          ? t('agents.approval.request', { command: name, args: shown })
          : t('agents.approval.requestRole', { command: name, args: shown, requester: ctx.user.displayName, role: cfg.approverRole }),
      ),
      buttons: [
        { actionId: 'agent.approve', label: t('agents.approval.approve'), value: approval.id, style: 'primary' },
        { actionId: 'agent.reject', label: t('agents.approval.reject'), value: approval.id, style: 'danger' },
      ],
    });
    const delay = Math.max(0, approval.expiresAt.getTime() - clock.now().getTime());
    await queues.add(AGENT_EXPIRE_QUEUE, { approvalId: approval.id }, { jobId: `agent-expire-${approval.id}`, delay, attempts: 5 });
  }

  const rank = (r: Role) => ROLES.indexOf(r);

  async function expire(approvalId: string): Promise<boolean> {
    const a = await db.agentApproval.findUnique({ where: { id: approvalId }, include: { run: true } });
    if (!a || a.status !== 'pending') return false;
    const claimed = await db.$transaction(async (tx) => {
      const u = await tx.agentApproval.updateMany({ where: { id: approvalId, status: 'pending' }, data: { status: 'expired', decidedAt: clock.now() } });
      if (u.count === 0) return false;
      await tx.agentRun.update({ where: { id: a.runId }, data: { status: 'expired', pendingCalls: [], finishedAt: clock.now() } });
      return true;
    });
    if (claimed) {
      const t = translator(normalizeLocale(a.run.locale));
      await post(a.run.replyRef as unknown as ConversationRef, { text: t('agents.approval.expired') }, answerKey(a.runId));
      if (a.run.parentId) await resumeParent(a.run.parentId, a.runId, 'expired', 'the approval expired; nothing was changed');
    }
    return claimed;
  }

  async function decide(ctx: CommandContext, approvalId: string, decision: 'approve' | 'reject'): Promise<Reply | undefined> {
    const t = ctx.t;
    if (!z.string().uuid().safeParse(approvalId).success) return { text: t('agents.approval.done') };
    const a = await db.agentApproval.findUnique({ where: { id: approvalId }, include: { run: true } });
    if (!a) return { text: t('agents.approval.done') };
    if (a.status === 'expired' || (a.status === 'pending' && a.expiresAt.getTime() <= clock.now().getTime())) {
      await expire(approvalId);
      return { text: t('agents.approval.expired') };
    }
    if (a.status !== 'pending') return { text: t('agents.approval.done') };
    const approverRole = (ROLES as readonly string[]).includes(a.approverRole) ? (a.approverRole as Role) : 'admin';
    const allowed = ctx.user.id === a.requesterId || rank(ctx.user.role) >= rank(approverRole);
    if (!allowed) {
      await deps.audit.record({ userId: ctx.user.id, platform: ctx.event.platform, chatId: ctx.event.ref.chatId, action: `action:agent.${decision}`, outcome: 'denied', detail: { approvalId } });
      return { text: t('agents.approval.notAllowed', { role: ctx.user.role }) };
    }
    const claimed = await db.agentApproval.updateMany({
      where: { id: approvalId, status: 'pending' },
      data: { status: decision === 'approve' ? 'approved' : 'rejected', decidedBy: ctx.user.id, decidedAt: clock.now() },
    });
    if (claimed.count === 0) return { text: t('agents.approval.done') };
    const messages = a.run.messages as unknown as ChatCompletionMessageParam[];
    const pending = (a.run.pendingCalls as unknown as ChatCompletionMessageFunctionToolCall[]).filter((c) => c.id !== a.toolCallId);
    if (decision === 'reject') {
      messages.push({ role: 'tool', tool_call_id: a.toolCallId, content: 'rejected by a person; nothing was changed' });
      await db.agentRun.update({ where: { id: a.runId }, data: { status: 'rejected', messages: messages as unknown as object, pendingCalls: [], finishedAt: clock.now(), result: 'rejected' } });
      const text = t('agents.approval.rejected', { name: ctx.user.displayName });
      await post(a.run.replyRef as unknown as ConversationRef, { text }, answerKey(a.runId));
      if (a.run.parentId) await resumeParent(a.run.parentId, a.runId, 'rejected', 'rejected by a person; nothing was changed');
      return { text };
    }
    const spec = registry.command(a.commandId);
    // The approver's own role is checked again by the pipeline (via 'confirm': no second prompt).
    const result = spec ? (await runCommandTool(deps.pipeline(), { ...ctx, via: 'confirm' }, spec, a.args, true)).text : `error: command ${a.commandId} is no longer installed`;
    messages.push({ role: 'tool', tool_call_id: a.toolCallId, content: result });
    await db.agentRun.update({
      where: { id: a.runId },
      data: { status: 'queued', messages: messages as unknown as object, pendingCalls: pending as unknown as object, toolCalls: { increment: 1 } },
    });
    await enqueue(a.runId, `a-${approvalId}`);
    return { text: t('agents.approval.approved', { name: ctx.user.displayName }) };
  }

  const runQueue: QueueDef<z.infer<typeof runJob>> = {
    name: AGENT_RUN_QUEUE,
    schema: runJob,
    concurrency: 5,
    // A run may take up to its time limit; keep the lock well past it so it is not re-delivered as stalled.
    workerOptions: { lockDuration: Math.max(30_000, cfg.runTimeoutMs + 30_000) },
    /** Runs (or resumes) one agent run from its state in Postgres. */
    processor: async (job) => processRun(job.data.runId),
  };
  const expireQueue: QueueDef<z.infer<typeof expireJob>> = {
    name: AGENT_EXPIRE_QUEUE,
    schema: expireJob,
    concurrency: 5,
    /** Expires an approval nobody decided in time and closes its run. */
    processor: async (job) => ((await expire(job.data.approvalId)) ? 'expired' : 'noop'),
  };

  const reportQueue: QueueDef<z.infer<typeof reportJob>> = {
    name: AGENT_REPORT_QUEUE,
    schema: reportJob,
    concurrency: 1,
    /** Starts the scheduled weekly report run (the run itself is an ordinary agent run). */
    processor: async (job) => {
      const dest = cfg.report.destination;
      if (!dest || !llm.configured) return 'off';
      // One report per scheduled firing, even if the job is delivered twice.
      const key = `agent-report:${job.id ?? ''}:${job.timestamp}`;
      const fresh = await queues.producer.set(`${queues.prefix}:${key}`, '1', 'EX', 7 * 86_400, 'NX');
      if (fresh !== 'OK') return 'duplicate';
      return startSystem('reporter', REPORT_INPUT, dest as ConversationRef);
    },
  };

  async function schedule(): Promise<void> {
    const q = queues.queue(AGENT_REPORT_QUEUE);
    if (cfg.report.destination && llm.configured) await q.upsertJobScheduler('weekly-ops-report', { pattern: cfg.report.cron, tz: 'UTC' }, { name: AGENT_REPORT_QUEUE, data: {} });
    else await q.removeJobScheduler('weekly-ops-report');
  }

  return {
    queues: [runQueue as QueueDef<unknown>, expireQueue as QueueDef<unknown>, reportQueue as QueueDef<unknown>],
    startSystem,
    schedule,
    start,
    decide,
    process: processRun,
  };
}

/** For the docs and tests: the tool name an agent sees for a command. */
export { toolName, FINISHED };
