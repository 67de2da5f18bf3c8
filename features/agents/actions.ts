/**
 * The agents buttons: Approve and Reject on a tool call an agent run paused for. The
 * runtime records the decision and resumes (or closes) the run.
 */
import type { ActionSpec } from '../../core/registry.ts';
import { ROLES } from '../../services/users/roles.ts';
import type { AgentRuntime } from '../../agents/runner.processor.ts';

/** Builds the button specs of the agents feature. */
export function agentActions(runtime: AgentRuntime): ActionSpec[] {
  // Anyone may press the buttons; the runtime checks the presser is the requester or holds the approver role.
  return [
    { id: 'agent.approve', roles: ROLES, handler: (ctx, value) => runtime.decide(ctx, value, 'approve') },
    { id: 'agent.reject', roles: ROLES, handler: (ctx, value) => runtime.decide(ctx, value, 'reject') },
  ];
}
