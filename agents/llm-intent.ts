/**
 * The LLM intent engine: the model picks one of the user's commands (as a tool) for a free
 * text message, or says it is a question for the assistant, or nothing. Any failure (no
 * provider, budget, timeout, a tool it invented) falls back to the deterministic rules, so
 * understanding never gets worse than without a model. Plug it in with
 * `createApp({ intent: (deps) => createIntentEngine(deps) })`.
 */
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { CoreDeps } from '../core/module.ts';
import type { CommandContext, IntentEngine, IntentMatch } from '../core/registry.ts';
import { createUnderstandingEngine } from './understanding/engine.ts';
import { intentLabel } from './intent-rules.ts';
import { severityOfReport } from '../services/tickets/triage.ts';
import type { LlmService } from './llm.service.ts';
import { DATA_RULE, quote } from './safety.ts';
import { toolName } from './tools.ts';
import { workspaceKeyOf } from './runner.processor.ts';

/** Commands the intent engine never proposes (account settings). */
const SKIP = new Set(['core.link', 'core.lang']);

const INSTRUCTIONS =
  'You route chat messages to commands of an operations bot. Call exactly one tool that does what the message asks, ' +
  'with arguments taken from the message. For a problem report (something broken, slow, wrong, or a wish), call the ticket tool; ' +
  'include a severity when the tool has one: P0 system down, data loss or security breach; P1 major feature broken or serious ' +
  'degradation; P2 minor non-critical bug; P3 feature request, docs, small improvement. ' +
  'For a question that needs reasoning over data (summaries, analysis, reports, document questions) call agent_ask. ' +
  'For small talk, thanks or messages not meant for the bot, call no tool and answer "none".';

/** The message text sits inside quotes: it selects a command, it does not instruct the router. */
function userPrompt(text: string): string {
  return `Route this message:\n${quote('chat:message', text, 4_000)}`;
}

export interface IntentEngineOptions {
  /** Use the LLM even when `llm.intent` is off, and never fall back (the evaluation harness). */
  requireLlm?: boolean;
  /** Use the LLM even when `llm.intent` is off, falling back as usual (`a2d2 understand --llm`). */
  forceLlm?: boolean;
  /** How long the model may take before the classifier answers instead (default 15 s). */
  timeoutMs?: number;
}

/** The intent engine for an app: the LLM one when configured, else the rules and the trained classifier. */
export function createIntentEngine(deps: CoreDeps & { llm: LlmService }, opts: IntentEngineOptions = {}): IntentEngine {
  const deterministic = createUnderstandingEngine({ registry: deps.registry, processes: () => deps.registry.entities.get('process')?.() ?? [] });
  const llm = deps.llm;
  if (!llm.configured || (!deps.config.file.llm.intent && !opts.requireLlm && !opts.forceLlm)) return deterministic;

  async function viaModel(text: string, ctx: CommandContext): Promise<IntentMatch | null> {
    // Tools: what this user may run, hidden ones included (the ticket proposal is hidden from menus, not from understanding).
    const specs = deps.registry.commands().filter((c) => !SKIP.has(c.id) && c.roles.includes(ctx.user.role));
    const byName = new Map(specs.map((s) => [toolName(s.id), s]));
    const schemas = new Map(deps.registry.toolSchemas(ctx.t).map((s) => [s.name, s]));
    const tools: ChatCompletionTool[] = specs.map((s) => {
      const schema = schemas.get(toolName(s.id));
      return {
        type: 'function',
        function: {
          name: toolName(s.id),
          description: schema?.description ?? ctx.t(s.summaryKey),
          parameters: (schema?.parameters ?? { type: 'object', properties: { text: { type: 'string' } } }) as Record<string, unknown>,
        },
      };
    });
    const r = await askRouter(llm, { text, ctx, tools, timeoutMs: opts.timeoutMs ?? 15_000 });
    const call = r.message.tool_calls?.[0];
    if (!call) return null;
    const spec = byName.get(call.function.name);
    if (!spec) throw new Error(`model chose an unknown tool ${call.function.name}`);
    let args: unknown = {};
    try {
      args = call.function.arguments ? JSON.parse(call.function.arguments) : {};
    } catch {
      throw new Error('model gave arguments that are not JSON');
    }
    // Arguments are validated by runCommand; a wrong shape gets the command's usage line.
    const label = intentLabel(spec.id, args);
    // The severity shown is the tickets' one function, whatever the model suggested.
    const severity = label === 'ticket.create' ? severityOfReport(text).severity : null;
    return { commandId: spec.id, args, confidence: 0.9, label, engine: 'llm', severity } as IntentMatch;
  }

  return {
    name: 'llm',
    warm: () => deterministic.warm?.(),
    async detect(text, ctx) {
      try {
        return await viaModel(text, ctx);
      } catch (err) {
        if (opts.requireLlm) throw err;
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'llm intent failed; using the rules and the classifier');
        return deterministic.detect(text, ctx);
      }
    },
  };
}

async function askRouter(llm: LlmService, a: { text: string; ctx: CommandContext; tools: ChatCompletionTool[]; timeoutMs: number }) {
  return llm.chat({
    route: 'fast',
    purpose: 'intent',
    workspaceKey: workspaceKeyOf(a.ctx.event.ref),
    userId: a.ctx.user.id,
    maxTokens: 400,
    signal: AbortSignal.timeout(a.timeoutMs),
    messages: [
      { role: 'system', content: `${INSTRUCTIONS}\n\n${DATA_RULE}` },
      { role: 'user', content: userPrompt(a.text) },
    ],
    tools: a.tools,
  });
}
