/**
 * The deterministic intent engine: English/Russian patterns contributed by feature modules.
 * It serves every intent when no LLM is configured, and is the fallback when one fails.
 */
import type { CommandRegistry, IntentEngine, IntentMatch, IntentRule } from './registry.ts';

/** Scores rules by how many patterns hit and their weight; the best one wins. */
export function matchRules(rules: IntentRule[], text: string): IntentMatch | null {
  const lower = text.toLowerCase().replace(/ё/g, 'е');
  let best: { rule: IntentRule; score: number } | null = null;
  for (const rule of rules) {
    const hits = rule.patterns.filter((p) => p.test(lower)).length;
    if (hits === 0) continue;
    const score = (rule.weight ?? 0.5) + Math.min(hits - 1, 3) * 0.05;
    if (!best || score > best.score) best = { rule, score };
  }
  if (!best) return null;
  return { commandId: best.rule.commandId, args: best.rule.toArgs(text), confidence: Math.min(best.score, 1) };
}

export function createDeterministicEngine(registry: CommandRegistry): IntentEngine {
  return {
    name: 'deterministic',
    async detect(text) {
      return matchRules(registry.intentRules, text);
    },
  };
}
