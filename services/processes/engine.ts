/**
 * The process engine. A run and each of its step executions live in Postgres; every step job
 * has an id fixed by (run, step, iteration, generation), so a redelivered or resumed job finds
 * its row and never runs a finished step again. This module composes the parts: the shared
 * core (definitions, scope, scheduling), chat messages, transitions, the step runner, run
 * control and triggers, and declares the queues.
 */
import { PROCESS_EVENT_QUEUE, processEventJobSchema, type ProcessEventJob } from './events.ts';
import { createCore } from './engine-core.ts';
import { createMessages } from './run-messages.ts';
import { createTransitions } from './transitions.ts';
import { createStepRunner } from './step-runner.ts';
import { createRunControl } from './run-control.ts';
import { createTriggers } from './triggers.ts';
import { createRecovery, PROCESS_RECOVERY_QUEUE, recoveryJobSchema } from './recovery.ts';
import { PROCESS_STEP_QUEUE, PROCESS_TRIGGER_QUEUE, stepJobSchema, triggerJobSchema, type EngineDeps, type StepJob, type TriggerJob } from './engine-types.ts';

export {
  PROCESS_STEP_QUEUE,
  PROCESS_TRIGGER_QUEUE,
  stepJobSchema,
  triggerJobSchema,
  ProcessError,
  parseDestination,
  stepJobId,
  type StepJob,
  type TriggerJob,
  type ActiveDefinition,
  type EngineDeps,
  type StartRequest,
} from './engine-types.ts';

export type Engine = ReturnType<typeof createEngine>;

/** Builds the engine of one process (API, chat commands and workers share it). */
export function createEngine(deps: EngineDeps) {
  const core = createCore(deps);
  const messages = createMessages(core);
  const transitions = createTransitions(core, messages);
  const runner = createStepRunner(core, messages, transitions);
  const recovery = createRecovery(core);
  const control = createRunControl(core, messages, transitions, recovery);
  const triggers = createTriggers(core, transitions, control.start);
  const { processStep } = runner;

  return {
    install: core.install,
    definition: core.definition,
    /** The definition version a run started with (read back from Postgres when not loaded). */
    definitionOf: core.definitionOf,
    definitions: () => [...core.active.values()],
    ...control,
    ...triggers,
    processStep,
    progress: messages.progress,
    /** The recovery sweep and its scheduler (recovery.ts). */
    recovery,
    /** Queue declarations for the step, trigger and event queues. */
    queueDefs() {
      return [
        {
          name: PROCESS_STEP_QUEUE,
          schema: stepJobSchema,
          concurrency: deps.config.queue.concurrency,
          workerOptions: { lockDuration: deps.config.queue.lockDurationMs, stalledInterval: deps.config.queue.stalledIntervalMs, maxStalledCount: 2 },
          defaultJobOptions: { removeOnComplete: { age: 3600, count: 5000 } },
          processor: async (job: { data: StepJob; attemptsMade: number; opts: { attempts?: number } }) => processStep(job.data, job),
        },
        {
          name: PROCESS_TRIGGER_QUEUE,
          schema: triggerJobSchema,
          concurrency: 2,
          processor: async (job: { data: TriggerJob; id?: string }) => triggers.onSchedule(job.data, job.id ?? ''),
        },
        {
          name: PROCESS_EVENT_QUEUE,
          schema: processEventJobSchema,
          concurrency: 5,
          processor: async (job: { data: ProcessEventJob }) => triggers.onEvent(job.data),
        },
        {
          name: PROCESS_RECOVERY_QUEUE,
          schema: recoveryJobSchema,
          concurrency: 1,
          defaultJobOptions: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } },
          processor: async () => recovery.sweep(),
        },
      ];
    },
  };
}
