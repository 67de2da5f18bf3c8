/**
 * The ports process steps use to reach other features: agents (over the model client) and
 * documents (over the documents tables); the tickets port is ticket-port.ts.
 */
import type { Services } from '../services.ts';
import type { AgentPort, DocumentPort, ProcessPorts } from '../../services/processes/ports.ts';
import { AGENTS } from '../../agents/definitions.ts';
import type { LlmService } from '../../agents/llm.service.ts';
import { createTicketPort } from './ticket-port.ts';

/** The agents port; none while no model is configured, so agent steps fail naming the cause. */
export function agentsPort(llm: LlmService): AgentPort | undefined {
  if (!llm.configured) return undefined;
  return {
    async run(agent, prompt, runId) {
      const def = AGENTS[agent];
      if (!def) throw new Error(`there is no agent "${agent}"`);
      const r = await llm.chat({
        route: def.route,
        purpose: `process:${agent}`,
        messages: [
          { role: 'system', content: def.instructions },
          { role: 'user', content: prompt },
        ],
        workspaceKey: 'processes',
        runId: `process-${runId}`,
      });
      return { text: r.message.content ?? '' };
    },
  };
}

/** The documents port: a document's latest analysed version with its fields. */
export function documentsPort(deps: Services): DocumentPort {
  // Reads the analysed document straight from its tables: the documents feature keeps no
  // in-process state a reader would need.
  return {
    async get(number) {
      const doc = await deps.db.document.findUnique({
        where: { number },
        include: { versions: { orderBy: { version: 'desc' }, take: 1, include: { fields: true } } },
      });
      const v = doc?.versions[0];
      if (!doc || !v) return null;
      const fields: Record<string, string> = {};
      for (const f of (v as { fields?: { name: string; value: string }[] }).fields ?? []) fields[f.name] = f.value;
      const rec = v as unknown as Record<string, unknown>;
      return { number: doc.number, title: doc.title, version: v.version, category: rec.category ?? null, summary: rec.summary ?? null, stage: rec.stage ?? null, fields };
    },
  };
}

/** All the ports of process steps, over the container's services. */
export function featurePorts(deps: Services): ProcessPorts {
  return { tickets: createTicketPort(deps.tickets, deps.db), agents: agentsPort(deps.llm), documents: documentsPort(deps) };
}
