/**
 * The understanding engine used when no model is configured: the deterministic rules and a
 * classifier trained on the corpus, combined (see docs/understanding.md for the measurement
 * behind the order). It names the intent label, the command, its arguments, the severity of a
 * problem report and a confidence; below {@link CLARIFY_BELOW} it offers the likeliest commands
 * so the pipeline can ask "Did you mean ...".
 */
import type { CommandRegistry, IntentEngine, IntentMatch } from '../../core/registry.ts';
import { matchRules } from '../../core/intent.ts';
import { severityOfReport } from '../../services/tickets/triage.ts';
import { INTENT_CANDIDATES, intentLabel, ticketNumber, ticketTitle } from '../intent-rules.ts';
import type { Classifier, Scored } from './classifier.ts';
import { shippedOrTrained } from './model-file.ts';
import { trainingCorpus } from './corpus.ts';
import { environmentOf, listView, question, runArgs, runsArgs, searchQuery, slaDays, ticketIdIn, ticketOp, type ProcessInfo } from './args.ts';

/** Below this confidence the bot asks back instead of acting. */
export const CLARIFY_BELOW = 0.5;
/** A command is offered in "Did you mean" from this probability on. */
const OFFER_FROM = 0.08;

/** What the engine understood, the contract of `a2d2 understand`. */
export interface Understood extends IntentMatch {
  label: string;
  engine: 'rules' | 'classifier' | 'llm';
  severity: string | null;
  /** The likeliest other readings (label, command, args) when confidence is low. */
  alternatives?: Understood[];
}

export interface UnderstandingOptions {
  registry: CommandRegistry;
  /** The processes actually loaded (names and input names). */
  processes?: () => readonly ProcessInfo[];
  /** A trained model; default: the shipped one (or one trained from the corpus when it changed), on first use. */
  classifier?: Classifier;
  /** 'classifier-first' (default, measured) or 'rules-first'. */
  order?: 'classifier-first' | 'rules-first';
}

/** The arguments of a label's command, read from the text. */
export function argsFor(label: string, text: string, processes: readonly ProcessInfo[]): Record<string, unknown> {
  const id = label === 'ticket.show' || label === 'ticket.op' ? ticketIdIn(text) : ticketNumber(text);
  switch (label) {
    case 'ticket.create': {
      const { severity } = severityOfReport(text);
      return { text: text.trim(), title: ticketTitle(text), severity };
    }
    case 'ticket.show':
      return id !== undefined ? { op: 'show', id } : { op: 'guided' };
    case 'ticket.op':
      return id !== undefined ? { op: ticketOp(text), id } : { op: 'guided' };
    case 'ticket.list':
      return { view: listView(text) };
    case 'sla.report':
      return { days: slaDays(text) };
    case 'deploy.list': {
      const env = environmentOf(text);
      return env ? { text: env, env } : { text: '' };
    }
    case 'doc.search': {
      const query = searchQuery(text);
      return { text: `search ${query}`, query };
    }
    case 'doc.ask':
      return { text: text.trim() };
    case 'agent.ask':
      return { text: question(text) || text.trim(), agent: 'assistant' };
    case 'process.run':
      return runArgs(text, processes);
    case 'process.runs':
      return runsArgs(text, processes);
    default:
      return { text: '' };
  }
}

/** The engine: rules and classifier, labels resolved to the commands this install has. */
export function createUnderstandingEngine(opts: UnderstandingOptions): IntentEngine & { understand(text: string): Understood | null; classifier(): Classifier } {
  const { registry } = opts;
  let model = opts.classifier ?? null;
  const classifier = () => (model ??= shippedOrTrained());
  const commandOf = (label: string) => (INTENT_CANDIDATES[label] ?? [label]).find((id) => registry.command(id));

  function reading(label: string, text: string, confidence: number, engine: Understood['engine']): Understood | null {
    const commandId = commandOf(label);
    if (!commandId) return null;
    const args = argsFor(label, text, opts.processes?.() ?? []);
    const severity = label === 'ticket.create' ? String(args.severity) : null;
    return { commandId, args, confidence, label, engine, severity };
  }

  function fromClassifier(text: string, ranked: Scored[]): Understood | null {
    const [top, ...rest] = ranked;
    if (!top) return null;
    const offers = (top.label === 'none' ? rest : ranked).filter((s) => s.label !== 'none' && s.p >= OFFER_FROM).slice(0, 3);
    const alternatives = offers.map((s) => reading(s.label, text, s.p, 'classifier')).filter((r): r is Understood => r !== null);
    if (top.label === 'none') {
      // Chit-chat stays unanswered unless it is unsure and something else is likely.
      if (top.p >= CLARIFY_BELOW || alternatives.length < 2) return null;
      return { ...alternatives[0]!, confidence: alternatives[0]!.confidence, alternatives };
    }
    const main = reading(top.label, text, top.p, 'classifier');
    if (!main) return alternatives[0] ?? null;
    return top.p < CLARIFY_BELOW && alternatives.length >= 2 ? { ...main, alternatives } : main;
  }

  function understand(text: string): Understood | null {
    const ranked = classifier().rank(text);
    const byModel = fromClassifier(text, ranked);
    const rule = matchRules(registry.intentRules, text);
    const ruleLabel = rule ? intentLabel(rule.commandId, rule.args) : null;
    const byRule = rule && ruleLabel ? reading(ruleLabel, text, rule.confidence, 'rules') : null;
    if (opts.order === 'rules-first') return byRule ?? byModel;
    // The model decides when it is sure; when it is not, a rule that matched breaks the tie
    // only if the model ranks that reading among its likeliest.
    if (byModel && byModel.confidence >= CLARIFY_BELOW) return byModel;
    if (byRule && ranked.slice(0, 3).some((s) => s.label === ruleLabel)) return { ...byRule, confidence: Math.max(byModel?.confidence ?? 0, ranked.find((s) => s.label === ruleLabel)!.p) };
    return byModel;
  }

  return {
    name: 'understanding',
    understand,
    classifier,
    warm() {
      // The model, then one message per label through the whole reading, so the first real
      // message finds compiled code instead of paying for it (about 20 ms once).
      classifier();
      const seen = new Set<string>();
      for (const e of trainingCorpus()) if (!seen.has(`${e.lang}:${e.intent}`) && seen.add(`${e.lang}:${e.intent}`)) understand(e.text);
    },
    async detect(text) {
      return understand(text);
    },
  };
}
