/**
 * The agents feature: the assistant in the chat. `ai <question>` (or `ai triage: <text>`)
 * starts an agent run; Approve / Reject buttons decide a paused tool call; the cross-cutting
 * intent rules (phrasing that spans features) are mounted here. Without an LLM the command
 * says what is missing and how to configure it; every other feature keeps working without one.
 *
 * This file is the wiring (the memory store, the runtime with its queues, the schedule).
 * commands.ts holds `ai` and its argument parsing; actions.ts the approval buttons. The
 * runtime, the agent definitions, tools and the LLM client are agents/; the client arrives
 * through the container (deps.llm).
 */
import type { FeatureModule, Role } from '../../core/module.ts';
import type { Services } from '../services.ts';
import type { LlmService } from '../../agents/llm.service.ts';
import { createMemoryStore } from '../../agents/memory.ts';
import { createAgentRuntime, type AgentRuntime } from '../../agents/runner.processor.ts';
import { generalIntentRules } from '../../agents/intent-rules.ts';
import { agentCommands, parseAsk } from './commands.ts';
import { agentActions } from './actions.ts';

export { parseAsk };

/** The agents module; it also carries the model client and the agent runtime it built. */
export interface AgentsModule extends FeatureModule {
  llm: LlmService;
  runtime: AgentRuntime;
}

/** Builds the agents feature module over the service container. */
export function createAgentsModule(deps: Services): AgentsModule {
  const llm = deps.llm;
  const memory = createMemoryStore({ db: deps.db, llm, logger: deps.logger, maxMessages: deps.config.file.agents.memoryMaxMessages });
  const runtime = createAgentRuntime({ ...deps, llm, memory });

  /** The runtime's schedules (the weekly report) run where workers run. */
  async function start(role: Role): Promise<void> {
    if (role !== 'http') await runtime.schedule();
  }

  return {
    name: 'agents',
    llm,
    runtime,
    commands: agentCommands(llm, runtime),
    actions: agentActions(runtime),
    intents: generalIntentRules(deps.registry),
    queues: runtime.queues,
    start,
  };
}
