/**
 * The agents command: `ai <question>` asks the assistant, `ai <agent>: <text>` (for example
 * `ai triage: checkout is down`) asks a named agent. Without an LLM it says what is missing.
 */
import { z } from 'zod';
import { defineCommand } from '../../core/registry.ts';
import { ROLES } from '../../services/users/roles.ts';
import type { LlmService } from '../../agents/llm.service.ts';
import type { AgentRuntime } from '../../agents/runner.processor.ts';
import { AGENTS } from '../../agents/definitions.ts';

/** Splits "triage: text" into an agent name and the text; other text goes to the assistant. */
export function parseAsk(raw: string): { agent: string; text: string } {
  const m = /^\s*([a-z][a-z-]{1,20})\s*:\s*([\s\S]*)$/i.exec(raw);
  // "note: ..." is an ordinary question: only a known agent's name before the colon picks it.
  if (m && AGENTS[m[1]!.toLowerCase()]) return { agent: m[1]!.toLowerCase(), text: m[2]!.trim() };
  return { agent: 'assistant', text: raw.trim() };
}

/** Builds the command specs of the agents feature. */
export function agentCommands(llm: LlmService, runtime: AgentRuntime) {
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
      // The run continues on the agent queues; its answers arrive as replies of their own.
      await runtime.start(ctx, agent, args.text.trim());
      return undefined;
    },
  });

  return [ask];
}
