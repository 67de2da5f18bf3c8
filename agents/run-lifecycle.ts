/**
 * How agent runs begin and how a child run's end reaches its parent. A run is a Postgres row
 * (AgentRun) plus a queued step: a person's run answers in place of "Working on it…", a
 * system run (the scheduled report) has no person behind it, and a child run is a sub-task
 * an agent delegated, whose answer goes back to the parent as that tool call's result.
 */
import { randomUUID } from 'node:crypto';
import type { ChatCompletionMessageParam, ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import type { CommandContext } from '../core/registry.ts';
import type { ConversationRef } from '../services/messaging/types.ts';
import { normalizeLocale } from '../services/i18n/i18n.ts';
import { quote } from './safety.ts';
import { REPORTER_USER, answerKey, enqueueRun, type RunOrigin, type RunnerContext } from './runner-context.ts';

/** Creates a run for the context's user, says it started, and queues its first step; returns its id. */
export async function startRun(rt: RunnerContext, ctx: CommandContext, agent: string, input: string, opts: { parentId?: string } = {}): Promise<string> {
  const id = randomUUID();
  const origin: RunOrigin = { platform: ctx.event.platform, ref: ctx.event.ref, user: ctx.event.user };
  await rt.deps.db.agentRun.create({
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
  await enqueueRun(rt, id, 'start');
  return id;
}

/** Creates and queues a run with no person behind it, as the reporter user, answering in `ref`. */
export async function startSystemRun(rt: RunnerContext, agent: string, input: string, ref: ConversationRef): Promise<string> {
  const { db, users, config } = rt.deps;
  const user = await users.resolve(ref.platform, REPORTER_USER, 'a2d2 reporter');
  const id = randomUUID();
  const origin: RunOrigin = { platform: ref.platform, ref, user: { platformUserId: REPORTER_USER, displayName: 'a2d2 reporter' } };
  const locale = normalizeLocale(config.file.defaultLocale);
  await db.agentRun.create({
    data: { id, agent, userId: user.id, ref: origin as unknown as object, replyRef: ref as unknown as object, locale, input, messages: [{ role: 'user', content: input }] as unknown as object },
  });
  await enqueueRun(rt, id, 'start');
  return id;
}

/** Starts (or finds again) the child run a parent's `delegate` call asked for, and queues it. */
export async function startChildRun(
  rt: RunnerContext,
  parent: { id: string; userId: string; ref: unknown; replyRef: unknown; locale: string },
  agent: string,
  input: string,
  callId: string,
): Promise<void> {
  // Idempotent per parent tool call: a retried parent step finds the same child.
  const id = await rt.deps.db.$transaction(async (tx) => {
    const existing = await tx.agentRun.findFirst({ where: { parentId: parent.id, error: null, input, agent, result: null, status: { in: ['queued', 'running', 'waiting_approval'] } } });
    if (existing) return existing.id;
    const created = await tx.agentRun.create({
      data: { agent, userId: parent.userId, ref: parent.ref as object, replyRef: parent.replyRef as object, locale: parent.locale, input, parentId: parent.id, messages: [{ role: 'user', content: input }] as unknown as object, pendingCalls: [] },
    });
    return created.id;
  });
  rt.deps.logger.debug({ parent: parent.id, child: id, callId }, 'delegated to a child run');
  await enqueueRun(rt, id, 'start');
}

/**
 * A child run ended (`status`, with `text` as its answer): the text becomes the result of the
 * parent's waiting `delegate` call and the parent is queued again. A parent that is no longer
 * waiting for a child is left alone.
 */
export async function resumeParent(rt: RunnerContext, parentId: string, childId: string, status: string, text: string): Promise<void> {
  const { db } = rt.deps;
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
  if (moved.count) await enqueueRun(rt, parentId, `c-${childId}`);
}
