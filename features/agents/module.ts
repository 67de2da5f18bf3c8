/**
 * The assistant in the chat: `ai <question>` (or `ai triage: <text>`) starts an agent run;
 * Approve / Reject buttons decide a paused tool call. Without an LLM the command says what
 * is missing and how to configure it; every other feature keeps working without one.
 */
import { z } from 'zod';
import type { FeatureModule } from '../../core/module.ts';
import type { Services } from '../services.ts';
import { defineCommand, type ActionSpec } from '../../core/registry.ts';
import { ROLES } from '../../services/users/roles.ts';
import type { LlmService } from '../../agents/llm.service.ts';
import { createMemoryStore } from '../../agents/memory.ts';
import { createAgentRuntime, type AgentRuntime } from '../../agents/runner.processor.ts';
import { AGENTS } from '../../agents/definitions.ts';
import { generalIntentRules } from '../../agents/intent-rules.ts';

/** Splits "triage: text" into an agent name and the text; other text goes to the assistant. */
export function parseAsk(raw: string): { agent: string; text: string } {
  const m = /^\s*([a-z][a-z-]{1,20})\s*:\s*([\s\S]*)$/i.exec(raw);
  if (m && AGENTS[m[1]!.toLowerCase()]) return { agent: m[1]!.toLowerCase(), text: m[2]!.trim() };
  return { agent: 'assistant', text: raw.trim() };
}

export interface AgentsModule extends FeatureModule {
  llm: LlmService;
  runtime: AgentRuntime;
}

export function createAgentsModule(deps: Services): AgentsModule {
  const llm = deps.llm;
  const memory = createMemoryStore({ db: deps.db, llm, logger: deps.logger, maxMessages: deps.config.file.agents.memoryMaxMessages });
  const runtime = createAgentRuntime({ ...deps, llm, memory });

  const ask = defineCommand({
    id: 'agent.ask',
    aliases: { en: ['ai', 'agent', 'assistant'], ru: ['ии', 'агент', 'помощник'] },
    slash: ['ai'],
    summaryKey: 'agents.ask.summary',
    usageKey: 'agents.ask.usage',
    args: z.object({ text: z.string().max(8_000).default(''), agent: z.string().default('assistant') }),
    parse: (raw) => parseAsk(raw),
    roles: ROLES,
    async handler(ctx, args) {
      if (!llm.configured) return { text: ctx.t('agents.needsLlm') };
      const agent = AGENTS[args.agent] ? args.agent : null;
      if (!agent) return { text: ctx.t('agents.ask.unknownAgent', { name: args.agent, list: Object.keys(AGENTS).join(', ') }) };
      if (!args.text.trim()) return { text: ctx.t('agents.ask.empty') };
      await runtime.start(ctx, agent, args.text.trim());
      return undefined;
    },
  });

  // Anyone may press the buttons; the runtime checks the presser is the requester or holds the approver role.
  const actions: ActionSpec[] = [
    { id: 'agent.approve', roles: ROLES, handler: (ctx, value) => runtime.decide(ctx, value, 'approve') },
    { id: 'agent.reject', roles: ROLES, handler: (ctx, value) => runtime.decide(ctx, value, 'reject') },
  ];

  return {
    name: 'agents',
    llm,
    runtime,
    commands: [ask],
    actions,
    intents: generalIntentRules(deps.registry),
    queues: runtime.queues,
    async start(role) {
      if (role !== 'http') await runtime.schedule();
    },
  };
}
