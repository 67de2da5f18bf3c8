/**
 * Agent definitions: a name, instructions for the model, which tools it may use, and which
 * model route it runs on. Instructions are for the model, not for users, so they are not
 * translated; the model answers in the user's language.
 */
import type { LlmRoute } from '../services/agents-config.ts';

/** A typed agent definition. */
export interface AgentDefinition {
  name: string;
  route: LlmRoute;
  instructions: string;
  /**
   * Which tools it gets: command ids and read-tool names, with '*' as a suffix wildcard
   * ('ticket.*'); '*' alone means every tool the user may use.
   */
  tools: string[];
}

const COMMON =
  'You are a2d2, an operations assistant in a team chat. Be brief and concrete. ' +
  'Use tools to look things up instead of guessing; say plainly when you do not know.';

export const AGENTS: Record<string, AgentDefinition> = {
  assistant: {
    name: 'assistant',
    route: 'balanced',
    instructions: `${COMMON} Help with tickets, alerts, deploys and documents using the tools.`,
    tools: ['*'],
  },
  triage: {
    name: 'triage',
    route: 'fast',
    instructions:
      `${COMMON} You triage problem reports. Decide severity: P0 system down, data loss or security breach; ` +
      'P1 major feature broken or serious degradation (a workaround exists); P2 minor non-critical bug; ' +
      'P3 feature request, docs or small improvement. Name the affected component and look for possible duplicates ' +
      'among open tickets before proposing a new ticket.',
    tools: ['ticket.*', 'get_ticket', 'list_alerts', 'recent_deploys'],
  },
  summarizer: {
    name: 'summarizer',
    route: 'fast',
    instructions: `${COMMON} Summarise the thread, document or incident you are given in a few bullet points: what happened, impact, decisions, open questions.`,
    tools: ['get_ticket', 'list_alerts', 'recent_deploys', 'search_documents', 'doc.*'],
  },
  analyst: {
    name: 'analyst',
    route: 'powerful',
    instructions: `${COMMON} Answer questions over tickets, alerts and deploys: counts, trends, time to resolve. Show the numbers you used.`,
    tools: ['ticket.list', 'ticket.sla', 'get_ticket', 'list_alerts', 'recent_deploys', 'alerts.*', 'health'],
  },
  'doc-qa': {
    name: 'doc-qa',
    route: 'balanced',
    instructions: `${COMMON} Answer only from the documents the tools return, and cite each claim as [document title, location]. If the documents do not say, answer that they do not.`,
    tools: ['search_documents', 'doc.*', 'docs.*'],
  },
  reporter: {
    name: 'reporter',
    route: 'balanced',
    instructions: `${COMMON} Write a weekly operations report: tickets opened and resolved per severity, SLA compliance, notable alerts and deploys, and risks. Use short sections.`,
    tools: ['ticket.list', 'ticket.sla', 'list_alerts', 'recent_deploys', 'health'],
  },
};

/** Whether a tool (command id or read-tool name) is allowed by a definition's patterns. */
export function allowsTool(def: AgentDefinition, name: string): boolean {
  return def.tools.some((p) => p === '*' || p === name || (p.endsWith('*') && name.startsWith(p.slice(0, -1))));
}
