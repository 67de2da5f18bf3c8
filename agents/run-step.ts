/**
 * One step of an agent run, top to bottom: load the run, rebuild the requester's context and
 * the tools they may use, run the tool calls still pending, ask the model, and repeat until
 * the model answers, a limit is reached, or the run waits (for an approval or a child run).
 * Everything the step changes is saved to the run's row as it goes, so a step cut short
 * (crash, redelivery) is picked up where it stopped.
 */
import { randomUUID } from 'node:crypto';
import type { ChatCompletionMessageParam, ChatCompletionMessageFunctionToolCall, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { CommandContext } from '../core/registry.ts';
import type { AgentRun } from '../generated/prisma/client.ts';
import type { Locale } from '../services/i18n/i18n.ts';
import { formatDuration } from '../services/i18n/duration-format.ts';
import { AGENTS, allowsTool, type AgentDefinition } from './definitions.ts';
import { buildToolSet, needsApproval, runCommandTool, runReadTool, type ToolSet } from './tools.ts';
import { BudgetExceededError, LlmUnavailableError, type ChatResult } from './llm.service.ts';
import { DATA_RULE, neutralizeOutput, redactSecrets } from './safety.ts';
import { DELEGATE_TOOL, answerKey, contextFor, throttle, workspaceKeyOf, type RunOrigin, type RunnerContext } from './runner-context.ts';
import { resumeParent, startChildRun } from './run-lifecycle.ts';
import { requestApproval } from './agent-approvals.ts';

/** A run being processed: its row as loaded, and the state the step changes (saved as it goes). */
interface RunStep {
  run: AgentRun;
  ctx: CommandContext;
  def: AgentDefinition;
  toolset: ToolSet;
  messages: ChatCompletionMessageParam[];
  /** Tool calls of the last assistant message not run yet, in order. */
  pending: ChatCompletionMessageFunctionToolCall[];
  toolCalls: number;
  tokens: number;
  /** When this step started (its working time is added to the run's). */
  started: number;
  /** When the run's time limit is reached. */
  deadline: number;
  /** Budget scope of the run's model calls. */
  scope: { workspaceKey: string; userId: string; runId: string };
}

/** What one tool call came to: a result for the model, or a pause of the run. */
type ToolOutcome = { kind: 'result'; text: string } | { kind: 'paused'; status: 'waiting_child' | 'waiting_approval' };

/**
 * Runs (or resumes) one agent run from its state in Postgres. Returns the status the step
 * ended in (`done`, `waiting_approval`, `stopped`…), or `skipped` for a run that is not
 * queued or running (finished, or handled by another delivery of the job).
 */
export async function processRun(rt: RunnerContext, runId: string): Promise<string> {
  const { db } = rt.deps;
  const run = await db.agentRun.findUnique({ where: { id: runId } });
  if (!run || !['queued', 'running'].includes(run.status)) return 'skipped';
  await db.agentRun.update({ where: { id: runId }, data: { status: 'running' } });
  const s = await openStep(rt, run);
  try {
    return await runUntilPause(rt, s);
  } catch (err) {
    return await failStep(rt, s, err);
  }
}

/** Rebuilds the requester's context and tools and loads the run's state into a step. */
async function openStep(rt: RunnerContext, run: AgentRun): Promise<RunStep> {
  const started = Date.now();
  const deadline = started + Math.max(0, rt.cfg.runTimeoutMs - run.elapsedMs);
  const ctx = await contextFor(rt, run);
  const def = AGENTS[run.agent] ?? AGENTS.assistant!;
  const toolset = buildToolSet(rt.deps.registry, ctx.t, ctx.user.role, def);
  // A top-level run may hand a sub-task to another agent (one level deep).
  if (!run.parentId && allowsTool(def, DELEGATE_TOOL)) toolset.tools.push(delegateTool(def.name));
  return {
    run,
    ctx,
    def,
    toolset,
    messages: run.messages as unknown as ChatCompletionMessageParam[],
    pending: run.pendingCalls as unknown as ChatCompletionMessageFunctionToolCall[],
    toolCalls: run.toolCalls,
    tokens: run.tokens,
    started,
    deadline,
    scope: { workspaceKey: workspaceKeyOf((run.ref as unknown as RunOrigin).ref), userId: run.userId, runId: run.id },
  };
}

/** The delegate tool as the model sees it: the other agents it may hand a sub-task to. */
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

/** Alternates tool calls and model turns until the run finishes or waits; returns that status. */
async function runUntilPause(rt: RunnerContext, s: RunStep): Promise<string> {
  const t = s.ctx.t;
  for (;;) {
    const ended = await runPendingCalls(rt, s);
    if (ended) return ended;
    if (s.tokens >= rt.cfg.maxTokensPerRun) return await finish(rt, s, 'stopped', t('agents.run.limitTokens'));
    const remaining = s.deadline - Date.now();
    if (remaining <= 0) return await finish(rt, s, 'stopped', timeoutText(rt, t));
    const message = await askModel(rt, s, remaining);
    const calls = message.tool_calls ?? [];
    if (calls.length) {
      s.messages.push({ role: 'assistant', content: message.content, tool_calls: calls });
      s.pending = [...calls];
      await save(rt, s);
      continue;
    }
    return await answer(rt, s, message.content);
  }
}

/** Runs the pending tool calls in order; returns a status when the step ends among them. */
async function runPendingCalls(rt: RunnerContext, s: RunStep): Promise<string | undefined> {
  while (s.pending.length) {
    const call = s.pending[0]!;
    if (s.toolCalls >= rt.cfg.maxToolCalls) return await finish(rt, s, 'stopped', s.ctx.t('agents.run.limitTools', { count: s.toolCalls }));
    const outcome = await callTool(rt, s, call);
    if (outcome.kind === 'paused') {
      await save(rt, s, { status: outcome.status });
      return outcome.status;
    }
    s.messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.text });
    s.pending = s.pending.slice(1);
    s.toolCalls++;
    await save(rt, s);
  }
  return undefined;
}

/** One tool call: delegate, refuse, read, ask for approval, or run the command. */
async function callTool(rt: RunnerContext, s: RunStep, call: ChatCompletionMessageFunctionToolCall): Promise<ToolOutcome> {
  const { db, queues } = rt.deps;
  const { ctx } = s;
  const entry = s.toolset.byName.get(call.function.name);
  const args = parseArgs(call);
  if (call.function.name === DELEGATE_TOOL && !s.run.parentId && args && typeof args === 'object') return delegate(rt, s, call, args);
  if (!entry) {
    // Not offered to this user (role) or this agent, or invented by the model.
    return { kind: 'result', text: `error: there is no tool "${call.function.name}" available to this user` };
  }
  if (args === undefined || typeof args !== 'object') return { kind: 'result', text: 'error: arguments must be a JSON object' };
  if (entry.kind === 'read') {
    const text = await runReadTool(entry.tool, ctx.user.role, args, { db, ping: () => queues.producer.ping().then(() => true, () => false) });
    return { kind: 'result', text };
  }
  if (needsApproval(entry.spec)) {
    await requestApproval(rt, ctx, s.run.id, call, entry.spec.id, args, ctx.t);
    return { kind: 'paused', status: 'waiting_approval' };
  }
  const text = (await runCommandTool(rt.deps.pipeline(), { ...ctx, via: 'agent' }, entry.spec, args, false)).text;
  return { kind: 'result', text };
}

/** The call's JSON arguments, `{}` when there are none, undefined when they do not parse. */
function parseArgs(call: ChatCompletionMessageFunctionToolCall): unknown {
  try {
    return call.function.arguments ? JSON.parse(call.function.arguments) : {};
  } catch {
    return undefined;
  }
}

/** A `delegate` call: starts the child run and pauses until it answers, or says what is missing. */
async function delegate(rt: RunnerContext, s: RunStep, call: ChatCompletionMessageFunctionToolCall, args: object): Promise<ToolOutcome> {
  const d = args as { agent?: unknown; task?: unknown };
  const child = typeof d.agent === 'string' ? AGENTS[d.agent] : undefined;
  if (child && child.name !== s.def.name && typeof d.task === 'string' && d.task.trim()) {
    await startChildRun(rt, s.run, child.name, d.task.trim().slice(0, 8_000), call.id);
    return { kind: 'paused', status: 'waiting_child' };
  }
  return { kind: 'result', text: 'error: delegate needs an agent name (other than yours) and a task' };
}

/** One model turn over the conversation's memory and the run's messages, streaming into the answer. */
async function askModel(rt: RunnerContext, s: RunStep, remaining: number): Promise<ChatResult['message']> {
  const { llm, memory } = rt.deps;
  const { run, ctx, def } = s;
  const history = await memory.promptMessages(ctx.conversation.id);
  const r = await llm.chat({
    route: def.route,
    purpose: `agent:${def.name}`,
    ...s.scope,
    messages: [{ role: 'system', content: systemPrompt(rt, def, ctx) }, ...history, ...s.messages],
    ...(s.toolset.tools.length ? { tools: s.toolset.tools } : {}),
    signal: AbortSignal.timeout(remaining),
    onText: throttle((_delta: string, soFar: string) => {
      // Streaming edits the answer message at most once a second; children answer their parent only.
      if (run.parentId) return;
      ctx.reply({ text: `${neutralizeOutput(redactSecrets(soFar, rt.secrets))} …` }, { messageKey: answerKey(run.id) }).catch(() => undefined);
    }, 1000),
  });
  s.tokens += r.promptTokens + r.completionTokens;
  return r.message;
}

function languageName(locale: Locale): string {
  return locale === 'ru' ? 'Russian' : 'English';
}

function systemPrompt(rt: RunnerContext, def: AgentDefinition, ctx: CommandContext): string {
  return [
    def.instructions,
    DATA_RULE,
    `Answer in ${languageName(ctx.locale)}. The user's role is ${ctx.user.role}. Today is ${rt.deps.clock.now().toISOString().slice(0, 10)}.`,
  ].join('\n\n');
}

/** The model answered without tool calls: the run is done, and the exchange is remembered. */
async function answer(rt: RunnerContext, s: RunStep, content: string | null): Promise<string> {
  const text = neutralizeOutput(redactSecrets(content?.trim() || s.ctx.t('agents.run.noAnswer'), rt.secrets));
  s.messages.push({ role: 'assistant', content: text });
  const status = await finish(rt, s, 'done', text);
  await rt.deps.memory.remember(
    s.ctx.conversation.id,
    [
      { role: 'user', content: s.run.input },
      { role: 'assistant', content: text },
    ],
    { workspaceKey: s.scope.workspaceKey, userId: s.run.userId },
  );
  return status;
}

/** Writes the step's state to the run's row, with the working time used so far. */
async function save(rt: RunnerContext, s: RunStep, patch: Record<string, unknown> = {}): Promise<void> {
  await rt.deps.db.agentRun.update({
    where: { id: s.run.id },
    data: {
      messages: s.messages as unknown as object,
      pendingCalls: s.pending as unknown as object,
      toolCalls: s.toolCalls,
      tokens: s.tokens,
      elapsedMs: s.run.elapsedMs + (Date.now() - s.started),
      ...patch,
    },
  });
}

/** Ends the run with `status`; its text answers the person, or the parent for a child run. */
async function finish(rt: RunnerContext, s: RunStep, status: string, text: string, extra: Record<string, unknown> = {}): Promise<string> {
  await save(rt, s, { status, result: text, finishedAt: rt.deps.clock.now(), ...(s.pending.length && status !== 'done' ? { pendingCalls: [] } : {}), ...extra });
  // A child's answer goes to its parent, which answers the person.
  if (s.run.parentId) await resumeParent(rt, s.run.parentId, s.run.id, status, text);
  else await s.ctx.reply({ text }, { messageKey: answerKey(s.run.id) });
  return status;
}

function timeoutText(rt: RunnerContext, t: CommandContext['t']): string {
  return t('agents.run.timeout', { duration: formatDuration(t, rt.cfg.runTimeoutMs) });
}

/** A step that threw: out of time, over budget, no model, or a fault (logged under a short reference). */
async function failStep(rt: RunnerContext, s: RunStep, err: unknown): Promise<string> {
  const t = s.ctx.t;
  if (Date.now() >= s.deadline) return finish(rt, s, 'stopped', timeoutText(rt, t));
  if (err instanceof BudgetExceededError) {
    return finish(rt, s, 'failed', t(`agents.budget.${err.scope}`, { spent: err.spentUsd.toFixed(2), limit: err.limitUsd.toFixed(2) }), { error: 'budget' });
  }
  if (err instanceof LlmUnavailableError) return finish(rt, s, 'failed', t('agents.unavailable'), { error: err.message.slice(0, 500) });
  const ref = randomUUID().slice(0, 8);
  rt.deps.logger.error({ err, ref, runId: s.run.id }, 'agent run failed');
  return finish(rt, s, 'failed', t('agents.run.failed', { ref }), { error: `${ref}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500) });
}
