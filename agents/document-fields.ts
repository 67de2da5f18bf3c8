/**
 * The documents service's field model (services/documents/llm-fields.ts) over the LLM client:
 * the fast route, a JSON object answer, the usual provider fallback, usage rows and daily
 * budgets (an exhausted budget throws before the request leaves; the documents service then
 * keeps the deterministic fields).
 */
import type { FieldModel } from '../services/documents/llm-fields.ts';
import type { LlmService } from './llm.service.ts';

/** The field model, or undefined when no LLM provider is configured. */
export function documentFieldModel(llm: LlmService): FieldModel | undefined {
  if (!llm.configured) return undefined;
  return {
    async complete(req) {
      const r = await llm.chat({
        route: 'fast',
        purpose: req.purpose,
        messages: [
          { role: 'system', content: req.system },
          { role: 'user', content: req.user },
        ],
        workspaceKey: req.workspaceKey,
        ...(req.userId ? { userId: req.userId } : {}),
        json: true,
        maxTokens: 800,
        signal: req.signal,
      });
      return r.message.content ?? '';
    },
  };
}
