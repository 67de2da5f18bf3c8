/**
 * `a2d2 understand`: the outside contract of understanding, for evaluation and debugging. Reads
 * JSON lines `{"text": "...", "lang": "en"|"ru"}` on stdin and writes one JSON line per input, in
 * order: `{"command", "intent", "severity", "args", "confidence", "engine"}` (a line that is not
 * JSON gets `{"error": ...}` in its place). It routes like the bot does for a direct message with
 * no model configured: command words first, then the rules and the classifier; `--llm` asks the
 * configured model first (falling back to the classifier). No database, Redis or network is used
 * (`--llm` reaches only the model). `--export-feedback` writes the "Did you mean" choices people
 * made as new labelled lines for the corpus (this one reads the database).
 */
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { AppConfig } from '../services/config.ts';
import type { Logger } from '../services/logger.ts';
import { CommandRegistry, canonicalName, type CommandSpec, type IntentEngine, type IntentMatch } from '../core/registry.ts';
import { routeMessage } from '../core/route.ts';
import { CLARIFY_AUDIT } from '../core/clarify.ts';
import { createCoreModule } from '../features/basics/module.ts';
import { ticketCommands } from '../features/tickets/commands.ts';
import { alertCommands } from '../features/alerts/commands.ts';
import { documentCommands } from '../features/documents/commands.ts';
import { processCommands } from '../features/processes/commands.ts';
import { parseRunText, runInputs } from '../features/processes/parse.ts';
import { agentCommands } from '../features/agents/commands.ts';
import { generalIntentRules, intentLabel } from '../agents/intent-rules.ts';
import { PROBLEM_REPORT_PATTERNS } from '../services/tickets/triage.ts';
import { loadDefinitions, SHIPPED_DIR, SHIPPED_SECRET_ENV } from '../services/processes/definition.ts';
import { processesConfigSchema, type ProcessesConfig } from '../services/processes/processes.config.ts';
import { createUnderstandingEngine } from '../agents/understanding/engine.ts';
import { detectionContext } from '../agents/understanding/context.ts';
import { createDb } from '../services/db.ts';

/**
 * The commands, intent rules and processes of a full install, built without its services: the
 * handlers never run here, only routing does. test/integration/understand-cli.test.ts checks this
 * registry has the same commands, words and rules as the app's.
 */
export function offlineRegistry(config: AppConfig): CommandRegistry {
  const registry = new CommandRegistry();
  const none = {} as never;
  const core = createCoreModule({ registry, users: none, health: none, queues: none, config } as never);
  const specs: CommandSpec<unknown>[] = [
    ...(core.commands ?? []),
    ...ticketCommands(none, none, none),
    ...alertCommands(none),
    ...documentCommands(none),
    ...processCommands(none),
    ...agentCommands(none, none),
  ] as CommandSpec<unknown>[];
  for (const s of specs) registry.addCommand(s);
  registry.intentRules.push(...(core.intents ?? []));
  // The tickets module's rule (features/tickets/module.ts).
  registry.intentRules.push({ commandId: 'ticket.propose', patterns: PROBLEM_REPORT_PATTERNS, toArgs: (text) => ({ text }), weight: 0.6 });
  registry.intentRules.push(...generalIntentRules(registry));
  const cfg: ProcessesConfig = (config.file as { processes?: ProcessesConfig }).processes ?? processesConfigSchema.parse({});
  const dirs = [...(cfg.includeShipped ? [SHIPPED_DIR] : []), resolve(cfg.folder)];
  const loaded = [...loadDefinitions(dirs, { secretEnv: [...cfg.secretEnv, ...(cfg.includeShipped ? SHIPPED_SECRET_ENV : [])] }).values()].map((d) => ({ name: d.name, inputs: Object.keys(d.def.inputs) }));
  registry.entities.set('process', () => loaded);
  return registry;
}

/** One answer line of the contract. */
export interface UnderstandLine {
  command: string | null;
  intent: string;
  severity: string | null;
  args: unknown;
  confidence: number;
  engine: string;
  alternatives?: { command: string | null; intent: string; confidence: number }[];
}

// A hidden command is shown as the visible one people type ("ticket", not "ticket-propose").
const SHOWN_AS: Record<string, string> = { 'ticket.propose': 'ticket.create' };

function commandWord(registry: CommandRegistry, id: string): string | null {
  const spec = registry.command(SHOWN_AS[id] ?? id) ?? registry.command(id);
  return spec ? canonicalName(spec, 'en') : null;
}

function lineOf(registry: CommandRegistry, m: IntentMatch & { severity?: string | null }): UnderstandLine {
  const out: UnderstandLine = {
    command: commandWord(registry, m.commandId),
    intent: m.label ?? m.commandId,
    severity: m.severity ?? null,
    args: m.args,
    confidence: Math.round(m.confidence * 1000) / 1000,
    engine: m.engine ?? 'rules',
  };
  if (m.alternatives?.length) out.alternatives = m.alternatives.map((a) => ({ command: commandWord(registry, a.commandId), intent: a.label ?? a.commandId, confidence: Math.round(a.confidence * 1000) / 1000 }));
  return out;
}

/**
 * `run <name> ...` as its handler will read it: the process, its inputs (an environment in words
 * becomes `env` for a process that takes one), and the command text.
 */
function runCommandArgs(registry: CommandRegistry, raw: string): Record<string, unknown> {
  const parsed = parseRunText(raw);
  const known = (registry.entities.get('process')?.() ?? []) as { name: string; inputs: string[] }[];
  const proc = known.find((p) => p.name === parsed.name);
  if (!proc) return { text: raw };
  const { inputs, bad } = runInputs(parsed, proc.inputs);
  return { text: raw, process: proc.name, inputs, ...(bad ? { bad } : {}) };
}

/** What one message means: command words first, then the engine. */
export async function understandText(registry: CommandRegistry, engine: IntentEngine, text: string, lang: 'en' | 'ru'): Promise<UnderstandLine> {
  const ctx = detectionContext(lang, text);
  const routed = await routeMessage(registry, engine, { text, addressed: true }, ctx);
  if (routed.kind === 'command') {
    const { spec, raw } = routed;
    const args = spec.id === 'processes.run' ? runCommandArgs(registry, raw) : spec.parse ? spec.parse(raw, ctx) : { text: raw };
    const sev = (args as { severity?: unknown }).severity;
    return { command: commandWord(registry, spec.id), intent: intentLabel(spec.id, args), severity: typeof sev === 'string' ? sev : null, args, confidence: 1, engine: 'rules' };
  }
  if (routed.kind === 'none') return { command: null, intent: 'none', severity: null, args: {}, confidence: 0, engine: engine.name === 'llm' ? 'llm' : 'classifier' };
  const m = routed.match;
  return lineOf(registry, m);
}

/** Reads JSON lines from `input`, writes one answer line per input line to `output`. */
export async function runUnderstand(io: { input: Readable; output: Writable }, registry: CommandRegistry, engine: IntentEngine): Promise<void> {
  const rl = createInterface({ input: io.input, terminal: false });
  let n = 0;
  for await (const raw of rl) {
    n++;
    if (!raw.trim()) continue;
    let line: object;
    try {
      const req = JSON.parse(raw) as { text?: unknown; lang?: unknown };
      if (!req || typeof req !== 'object' || typeof req.text !== 'string') line = { error: `line ${n}: "text" must be a string` };
      else {
        const lang = req.lang === 'ru' || req.lang === 'en' ? req.lang : /[а-яё]/i.test(req.text) ? 'ru' : 'en';
        line = await understandText(registry, engine, req.text, lang);
      }
    } catch (err) {
      line = { error: `line ${n}: ${err instanceof SyntaxError ? 'not JSON' : 'not understood'}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) };
    }
    io.output.write(`${JSON.stringify(line)}\n`);
  }
}

/** The engine `understand` uses: the classifier and rules, or the configured model in front of them. */
export async function understandEngine(config: AppConfig, logger: Logger, registry: CommandRegistry, llm: boolean, timeoutMs = 15_000): Promise<IntentEngine> {
  if (!llm) return createUnderstandingEngine({ registry, processes: () => registry.entities.get('process')?.() ?? [] });
  const { createLlmService } = await import('../agents/llm.service.ts');
  const { createIntentEngine } = await import('../agents/llm-intent.ts');
  const { systemClock } = await import('../services/clock.ts');
  // No database here: usage rows are not written (each attempt logs a warning instead).
  const offline = new Proxy({}, { get: () => new Proxy({}, { get: () => async () => Promise.reject(new Error('no database in a2d2 understand')) }) });
  // Nor budgets: they are sums of those rows.
  const llmConfig = { ...config.file.llm, budgets: { ...config.file.llm.budgets, workspaceDailyUsd: 0, userDailyUsd: 0 } };
  const offlineConfig = { ...config, file: { ...config.file, llm: llmConfig } } as AppConfig;
  const service = createLlmService({ config: offlineConfig, db: offline as never, logger, clock: systemClock });
  return createIntentEngine({ registry, config: offlineConfig, logger, llm: service } as never, { forceLlm: true, timeoutMs });
}

/** `--export-feedback`: every "Did you mean" choice as a labelled line `{"text", "lang", "intent", "offered", "at"}`. */
export async function exportFeedback(config: AppConfig, output: Writable): Promise<number> {
  const db = createDb(config.env.DATABASE_URL, { max: 1 });
  try {
    const rows = await db.auditLog.findMany({ where: { action: CLARIFY_AUDIT, outcome: 'ok' }, orderBy: { id: 'asc' } });
    for (const r of rows) {
      const d = (r.detail ?? {}) as { text?: string; lang?: string; chosen?: string; offered?: string[] };
      if (typeof d.text !== 'string' || typeof d.chosen !== 'string') continue;
      output.write(`${JSON.stringify({ text: d.text, lang: d.lang ?? 'en', intent: d.chosen, offered: d.offered ?? [], at: r.at.toISOString() })}\n`);
    }
    return rows.length;
  } finally {
    await db.$disconnect();
  }
}
