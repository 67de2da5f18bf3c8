/**
 * Approvals of tool calls that change data. A run that reaches such a call pauses behind an
 * AgentApproval row and posts Approve / Reject buttons; a click by the requester or by a
 * user of the approver role (or higher) decides it: approve runs the command as the approver
 * and queues the run again, reject ends the run. Nobody deciding in time expires it.
 */
import type { ChatCompletionMessageParam, ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { CommandContext } from '../core/registry.ts';
import type { ConversationRef, Reply } from '../services/messaging/types.ts';
import { translator, normalizeLocale } from '../services/i18n/i18n.ts';
import { ROLES, type Role } from '../services/users/roles.ts';
import type { AgentApproval, AgentRun } from '../generated/prisma/client.ts';
import { runCommandTool } from './tools.ts';
import { neutralizeOutput } from './safety.ts';
import { AGENT_EXPIRE_QUEUE, answerKey, enqueueRun, postTo, type RunnerContext } from './runner-context.ts';
import { resumeParent } from './run-lifecycle.ts';

/** An approval with the run it pauses. */
type ApprovalWithRun = AgentApproval & { run: AgentRun };

const rank = (r: Role) => ROLES.indexOf(r);

/**
 * Pauses a run's tool call behind an approval: stores it (once per call), posts the request
 * with Approve / Reject buttons, and queues its expiry.
 */
export async function requestApproval(
  rt: RunnerContext,
  ctx: CommandContext,
  runId: string,
  call: ChatCompletionMessageFunctionToolCall,
  commandId: string,
  args: unknown,
  t: CommandContext['t'],
): Promise<void> {
  const { db, clock, registry, queues } = rt.deps;
  const { cfg } = rt;
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

/** Expires an approval nobody decided in time and closes its run; true when this call did it. */
export async function expireApproval(rt: RunnerContext, approvalId: string): Promise<boolean> {
  const { db, clock } = rt.deps;
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
    await postTo(rt, a.run.replyRef as unknown as ConversationRef, { text: t('agents.approval.expired') }, answerKey(a.runId));
    if (a.run.parentId) await resumeParent(rt, a.run.parentId, a.runId, 'expired', 'the approval expired; nothing was changed');
  }
  return claimed;
}

/**
 * Handles an Approve / Reject click: checks the approval is still open and the clicker may
 * decide it, claims it (one decision wins), then rejects or runs the call.
 */
export async function decideApproval(rt: RunnerContext, ctx: CommandContext, approvalId: string, decision: 'approve' | 'reject'): Promise<Reply | undefined> {
  const { db, clock } = rt.deps;
  const t = ctx.t;
  if (!z.string().uuid().safeParse(approvalId).success) return { text: t('agents.approval.done') };
  const a = await db.agentApproval.findUnique({ where: { id: approvalId }, include: { run: true } });
  if (!a) return { text: t('agents.approval.done') };
  if (a.status === 'expired' || (a.status === 'pending' && a.expiresAt.getTime() <= clock.now().getTime())) {
    await expireApproval(rt, approvalId);
    return { text: t('agents.approval.expired') };
  }
  if (a.status !== 'pending') return { text: t('agents.approval.done') };
  const approverRole = (ROLES as readonly string[]).includes(a.approverRole) ? (a.approverRole as Role) : 'admin';
  const allowed = ctx.user.id === a.requesterId || rank(ctx.user.role) >= rank(approverRole);
  if (!allowed) {
    await rt.deps.audit.record({ userId: ctx.user.id, platform: ctx.event.platform, chatId: ctx.event.ref.chatId, action: `action:agent.${decision}`, outcome: 'denied', detail: { approvalId } });
    return { text: t('agents.approval.notAllowed', { role: ctx.user.role }) };
  }
  const claimed = await db.agentApproval.updateMany({
    where: { id: approvalId, status: 'pending' },
    data: { status: decision === 'approve' ? 'approved' : 'rejected', decidedBy: ctx.user.id, decidedAt: clock.now() },
  });
  if (claimed.count === 0) return { text: t('agents.approval.done') };
  return decision === 'reject' ? rejectCall(rt, ctx, a) : approveCall(rt, ctx, a);
}

/** A rejected call ends its run: nothing was changed, and the parent (if any) is told so. */
async function rejectCall(rt: RunnerContext, ctx: CommandContext, a: ApprovalWithRun): Promise<Reply> {
  const messages = a.run.messages as unknown as ChatCompletionMessageParam[];
  messages.push({ role: 'tool', tool_call_id: a.toolCallId, content: 'rejected by a person; nothing was changed' });
  await rt.deps.db.agentRun.update({ where: { id: a.runId }, data: { status: 'rejected', messages: messages as unknown as object, pendingCalls: [], finishedAt: rt.deps.clock.now(), result: 'rejected' } });
  const text = ctx.t('agents.approval.rejected', { name: ctx.user.displayName });
  await postTo(rt, a.run.replyRef as unknown as ConversationRef, { text }, answerKey(a.runId));
  if (a.run.parentId) await resumeParent(rt, a.run.parentId, a.runId, 'rejected', 'rejected by a person; nothing was changed');
  return { text };
}

/** An approved call runs now, as the approver; its result joins the run, which is queued again. */
async function approveCall(rt: RunnerContext, ctx: CommandContext, a: ApprovalWithRun): Promise<Reply> {
  const messages = a.run.messages as unknown as ChatCompletionMessageParam[];
  const pending = (a.run.pendingCalls as unknown as ChatCompletionMessageFunctionToolCall[]).filter((c) => c.id !== a.toolCallId);
  const spec = rt.deps.registry.command(a.commandId);
  // The approver's own role is checked again by the pipeline (via 'confirm': no second prompt).
  const result = spec ? (await runCommandTool(rt.deps.pipeline(), { ...ctx, via: 'confirm' }, spec, a.args, true)).text : `error: command ${a.commandId} is no longer installed`;
  messages.push({ role: 'tool', tool_call_id: a.toolCallId, content: result });
  await rt.deps.db.agentRun.update({
    where: { id: a.runId },
    data: { status: 'queued', messages: messages as unknown as object, pendingCalls: pending as unknown as object, toolCalls: { increment: 1 } },
  });
  await enqueueRun(rt, a.runId, `a-${a.id}`);
  return { text: ctx.t('agents.approval.approved', { name: ctx.user.displayName }) };
}
