/**
 * What starts runs besides a person: events (a matching trigger starts a run; a step waiting
 * for the event wakes) and schedules (one BullMQ job scheduler per schedule trigger).
 */
import { holds } from './expression.ts';
import { render, renderText } from './template.ts';
import { toMs } from './processes.config.ts';
import type { ProcessEventJob } from './events.ts';
import { PROCESS_TRIGGER_QUEUE, type RunRow, type StartRequest, type TriggerJob } from './engine-types.ts';
import type { EngineCore } from './engine-core.ts';
import type { Transitions } from './transitions.ts';

type Start = (req: StartRequest) => Promise<{ run: RunRow; created: boolean }>;

/** Builds the event and schedule triggers of one engine. */
export function createTriggers(core: EngineCore, transitions: Transitions, start: Start) {
  const { db, queues, logger } = core.deps;

  /** Starts the runs whose event triggers match; returns how many were new. */
  async function startMatching(ev: ProcessEventJob): Promise<number> {
    let started = 0;
    for (const def of core.active.values()) {
      for (const [i, trig] of def.def.triggers.events.entries()) {
        if (trig.type !== ev.type) continue;
        const scope = { event: ev.payload, vars: core.vars() };
        if (trig.when && !holds(trig.when, scope)) continue;
        const inputs = render(trig.inputs, scope) as Record<string, unknown>;
        const key = trig.key ? renderText(trig.key, scope).trim() : '';
        const triggerKey = key ? `event-key:${def.name}:${key}` : `event:${ev.type}:${ev.eventId}:${def.name}:${i}`;
        try {
          const r = await start({ process: def.name, inputs, trigger: 'event', triggerKey, startedBy: ev.type });
          if (r.created) started++;
        } catch (err) {
          logger.warn({ err: (err as Error).message, process: def.name, event: ev.type }, 'event did not start a run');
        }
      }
    }
    return started;
  }

  /** Handles an event: starts runs whose triggers match, wakes steps waiting for it. */
  async function onEvent(ev: ProcessEventJob): Promise<{ started: number; woke: number }> {
    const started = await startMatching(ev);
    let woke = 0;
    const waiting = await db.processStepRun.findMany({ where: { status: 'waiting', waitEvent: ev.type, run: { status: 'running' } }, include: { run: true } });
    for (const row of waiting) {
      const def = await core.definitionOf(row.run.definitionId);
      const step = def.places.get(row.stepId)?.step;
      if (!step || step.kind !== 'wait') continue;
      const scope = await core.scopeOf(row.run, { event: ev.payload });
      if (step.match && !holds(step.match, scope)) continue;
      if (await transitions.finish(row.id, { status: 'succeeded', output: { timedOut: false, event: ev.payload } }, ['waiting'])) woke++;
    }
    return { started, woke };
  }

  /** Upserts one job scheduler per schedule trigger and removes schedulers no longer defined. */
  async function syncSchedules(): Promise<string[]> {
    const q = queues.queue(PROCESS_TRIGGER_QUEUE);
    const wanted = new Set<string>();
    for (const def of core.active.values()) {
      for (const [i, s] of def.def.triggers.schedules.entries()) {
        const id = `proc-${def.name}-${i}`;
        wanted.add(id);
        const repeat = s.cron ? { pattern: s.cron, ...(s.timezone ? { tz: s.timezone } : {}) } : { every: toMs(s.every!) };
        await core.deps.schedules.keep({ queue: PROCESS_TRIGGER_QUEUE, id, repeat, job: { name: 'schedule', data: { process: def.name, schedule: i } } });
      }
    }
    for (const s of await q.getJobSchedulers()) {
      const key = (s as { key?: string; id?: string }).key ?? (s as { id?: string }).id ?? '';
      if (key.startsWith('proc-') && !wanted.has(key)) await q.removeJobScheduler(key);
    }
    return [...wanted];
  }

  /** A schedule fired. The scheduler's job id keys the run, so a redelivery starts nothing new. */
  async function onSchedule(data: TriggerJob, jobId: string): Promise<number | null> {
    const def = core.active.get(data.process);
    const s = def?.def.triggers.schedules[data.schedule];
    if (!def || !s) return null;
    const inputs = render(s.inputs, { vars: core.vars() }) as Record<string, unknown>;
    const r = await start({ process: def.name, inputs, trigger: 'schedule', triggerKey: `schedule:${jobId}`, startedBy: 'schedule' });
    return r.run.id;
  }

  return { onEvent, syncSchedules, onSchedule };
}
