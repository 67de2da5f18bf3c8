/**
 * The model client's Prometheus figures: tokens and cost per provider and model (counted as
 * answers arrive), requests refused by a daily budget, and, when a workspace budget is set,
 * the share of it used today by each workspace this process has served (read at scrape time
 * from the LlmUsage rows, one indexed sum per workspace, at most once every 15 s).
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface LlmMetrics {
  /** An answered request: its tokens and cost. */
  answered(provider: string, model: string, promptTokens: number, completionTokens: number, costUsd: number): void;
  /** A request refused before it left because a daily budget is used up. */
  refused(scope: 'user' | 'workspace'): void;
  /** A workspace this process spent for (its budget gauge is reported from then on). */
  served(workspaceKey: string): void;
}

export interface LlmMetricsDeps {
  registry: Registry;
  /** The workspace daily cap in USD (0: none, and the budget gauge stays empty). */
  workspaceDailyUsd: number;
  /** Today's spend of one workspace. */
  spentToday(workspaceKey: string): Promise<number>;
}

const CACHE_MS = 15_000;
/** Workspaces remembered for the budget gauge; a process serves a handful. */
const MAX_WORKSPACES = 100;

/** The metric of that name when already registered (a second container over one registry), else a new one. */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

function budgetGauge(deps: LlmMetricsDeps, workspaces: Set<string>): void {
  let cached: { at: number; ratios: Promise<[string, number][]> } | null = null;
  const ratios = (): Promise<[string, number][]> => {
    const now = Date.now();
    if (!cached || now - cached.at > CACHE_MS) {
      const keys = [...workspaces];
      const p = Promise.all(keys.map(async (k): Promise<[string, number]> => [k, (await deps.spentToday(k)) / deps.workspaceDailyUsd])).catch(
        () => [] as [string, number][],
      );
      cached = { at: now, ratios: p };
    }
    return cached.ratios;
  };
  once(deps.registry, 'a2d2_llm_budget_used_ratio', () =>
    new Gauge({
      name: 'a2d2_llm_budget_used_ratio',
      help: "Share of the workspace's daily LLM budget spent today (only when a workspace budget is set)",
      labelNames: ['workspace'],
      registers: [deps.registry],
      async collect() {
        this.reset();
        if (deps.workspaceDailyUsd <= 0) return;
        for (const [workspace, ratio] of await ratios()) this.set({ workspace }, ratio);
      },
    }),
  );
}

/** Registers the model client's metrics on a registry. */
export function createLlmMetrics(deps: LlmMetricsDeps): LlmMetrics {
  const { registry } = deps;
  const tokens = once(registry, 'a2d2_llm_tokens_total', () =>
    new Counter({ name: 'a2d2_llm_tokens_total', help: 'LLM tokens used, by provider, model and kind (prompt, completion)', labelNames: ['provider', 'model', 'kind'], registers: [registry] }),
  );
  const cost = once(registry, 'a2d2_llm_cost_usd_total', () =>
    new Counter({ name: 'a2d2_llm_cost_usd_total', help: 'LLM cost in USD by provider and model (from the configured prices)', labelNames: ['provider', 'model'], registers: [registry] }),
  );
  const refusals = once(registry, 'a2d2_llm_budget_refusals_total', () =>
    new Counter({ name: 'a2d2_llm_budget_refusals_total', help: 'LLM requests refused because a daily budget (user or workspace) was used up', labelNames: ['scope'], registers: [registry] }),
  );
  const workspaces = new Set<string>();
  budgetGauge(deps, workspaces);
  return {
    answered(provider, model, promptTokens, completionTokens, costUsd) {
      tokens.inc({ provider, model, kind: 'prompt' }, promptTokens);
      tokens.inc({ provider, model, kind: 'completion' }, completionTokens);
      cost.inc({ provider, model }, costUsd);
    },
    refused(scope) {
      refusals.inc({ scope });
    },
    served(workspaceKey) {
      if (workspaces.size < MAX_WORKSPACES || workspaces.has(workspaceKey)) workspaces.add(workspaceKey);
    },
  };
}
