/**
 * What a run looks like in chat: one progress message (edited per step, key
 * `run:<id>:progress`), a timeline line per finished step in its thread, and the run views of
 * `runs` and `run <id>`. Neutral replies only; adapters render them.
 */
import type { Reply } from '../messaging/types.ts';
import type { Translate } from '../i18n/i18n.ts';
import { formatDuration } from '../i18n/duration-format.ts';
import type { ProcessDefinition, StepDef } from './definition.ts';

/** Button action ids of the processes feature. */
export const PROCESS_ACTIONS = {
  approve: 'process.approve',
  deny: 'process.deny',
  cancel: 'process.cancel',
  /** Retry of a failed run (the console's form; chat has `run retry <id>`). */
  retry: 'process.retry',
} as const;

/** The logical message key of a run's progress message. */
export const progressKey = (runId: number) => `run:${runId}:progress`;

const ICON: Record<string, string> = {
  pending: '·',
  running: '▶',
  waiting: '⏸',
  succeeded: '✓',
  skipped: '↷',
  failed: '✗',
  denied: '✗',
  cancelled: '■',
};

interface RunLike {
  id: number;
  processName: string;
  version: number;
  status: string;
  error: string | null;
  startedBy: string | null;
  trigger: string;
  createdAt: Date;
  finishedAt: Date | null;
}

interface StepLike {
  stepId: string;
  iteration: number;
  status: string;
  attempts: number;
  error: string | null;
  output?: unknown;
}

function flatten(steps: StepDef[], depth = 0, out: { step: StepDef; depth: number }[] = []): { step: StepDef; depth: number }[] {
  for (const s of steps) {
    out.push({ step: s, depth });
    if (s.kind === 'parallel') for (const b of s.branches) flatten(b.steps, depth + 1, out);
  }
  return out;
}

/** One short status text for a step row. */
export function stepStatus(t: Translate, row: StepLike): string {
  const base = t(`processes.status.${row.status}`);
  const extra: string[] = [];
  if (row.attempts > 1) extra.push(t('processes.attempts', { count: row.attempts }));
  if (row.iteration > 0) extra.push(t('processes.iteration', { n: row.iteration + 1 }));
  if (row.error && (row.status === 'failed' || row.status === 'denied')) extra.push(row.error.slice(0, 200));
  return extra.length ? `${base} (${extra.join('; ')})` : base;
}

/** The progress message of a run: every step of the definition with its latest state. */
export function renderProgress(t: Translate, run: RunLike, def: Pick<ProcessDefinition, 'steps' | 'name'>, rows: StepLike[]): Reply {
  const latest = new Map<string, StepLike>();
  for (const r of rows) {
    const prev = latest.get(r.stepId);
    if (!prev || r.iteration >= prev.iteration) latest.set(r.stepId, r);
  }
  const lines = flatten(def.steps).map(({ step, depth }) => {
    const row = latest.get(step.id);
    const status = row ? row.status : 'pending';
    const label = step.name ?? step.id;
    return `${'  '.repeat(depth)}${ICON[status] ?? '·'} ${label}${row ? ` — ${stepStatus(t, row)}` : ''}`;
  });
  const reply: Reply = {
    title: t('processes.progress.title', { process: run.processName, id: run.id, status: t(`processes.runStatus.${run.status}`) }),
    text: lines.join('\n'),
    context: t('processes.progress.context', { id: run.id, version: run.version, trigger: t(`processes.trigger.${run.trigger}`), who: run.startedBy ?? '-' }),
  };
  if (run.error && run.status !== 'running') reply.text += `\n${t('processes.progress.error', { error: run.error.slice(0, 300) })}`;
  if (run.status === 'running') reply.buttons = [{ actionId: PROCESS_ACTIONS.cancel, label: t('processes.btn.cancel'), value: String(run.id), style: 'danger' }];
  return reply;
}

/** One timeline line posted in the progress message's thread when a step finishes. */
export function renderTimelineLine(t: Translate, label: string, row: StepLike): string {
  let detail = '';
  const out = row.output as Record<string, unknown> | null | undefined;
  if (row.status === 'succeeded' && out && typeof out === 'object') {
    if (typeof out.status === 'number') detail = ` · HTTP ${out.status}${typeof out.ms === 'number' ? `, ${formatDuration(t, out.ms)}` : ''}`;
    else if (typeof out.approved === 'boolean') detail = ` · ${out.approved ? t('processes.timeline.approved', { who: String(out.by ?? '-') }) : t('processes.timeline.notApproved')}`;
    else if (typeof out.target === 'string') detail = ` · → ${out.target}`;
  }
  return `${ICON[row.status] ?? '·'} ${label}: ${stepStatus(t, row)}${detail}`;
}

/** The list of `runs`. */
export function renderRuns(t: Translate, runs: RunLike[]): Reply {
  if (runs.length === 0) return { text: t('processes.runs.empty') };
  return {
    title: t('processes.runs.title'),
    text: runs
      .map((r) => t('processes.runs.line', { id: r.id, process: r.processName, status: t(`processes.runStatus.${r.status}`), at: r.createdAt.toISOString().slice(0, 16).replace('T', ' '), who: r.startedBy ?? '-' }))
      .join('\n'),
  };
}

/** The `--dry-run` plan. */
export function renderPlan(t: Translate, plan: { process: string; version: number; inputs: Record<string, unknown>; steps: { id: string; kind: string; depth: number; detail: string; when?: string }[] }): Reply {
  const inputs = Object.entries(plan.inputs).map(([k, v]) => `${k}=${String(v)}`).join(' ') || '-';
  return {
    title: t('processes.plan.title', { process: plan.process, version: plan.version }),
    text: [
      t('processes.plan.inputs', { inputs }),
      ...plan.steps.map((s, i) => `${'  '.repeat(s.depth)}${i + 1}. ${s.id} [${s.kind}] ${s.detail}${s.when ? ` ${t('processes.plan.when', { when: s.when })}` : ''}`),
      t('processes.plan.nothing'),
    ].join('\n'),
  };
}
