/**
 * The document queues. Job data carries ids only; Postgres holds every stage's result.
 * - documents-intake {intakeId}: fetch, check, extract, store (refused input is unrecoverable).
 * - documents-analyze {versionId}: language -> classify -> fields -> summary -> index -> card,
 *   resuming at the first stage not yet committed.
 * - documents-expiry {}: the periodic expiry reminder.
 */
import { z } from 'zod';
import { UnrecoverableError, type QueueDef } from '../queues.ts';
import { DocumentInputError } from './errors.ts';
import type { DocumentService } from './document.service.ts';
import { DOC_ANALYZE_QUEUE, DOC_EXPIRY_QUEUE, DOC_INTAKE_QUEUE } from './document.service.ts';
import type { DocumentsConfig } from './documents.config.ts';

export const intakeJobSchema = z.object({ intakeId: z.string().uuid() });
export const analyzeJobSchema = z.object({ versionId: z.string().uuid() });
export const expiryJobSchema = z.object({}).passthrough();

/** Declares the three queues around a service (resolved lazily: the service needs the queues to enqueue). */
export function documentQueues(service: () => DocumentService, config: DocumentsConfig): QueueDef<unknown>[] {
  const workerOptions = { lockDuration: config.lockDurationMs, stalledInterval: config.stalledIntervalMs, maxStalledCount: 2 };
  const intake: QueueDef<z.infer<typeof intakeJobSchema>> = {
    name: DOC_INTAKE_QUEUE,
    schema: intakeJobSchema,
    concurrency: config.concurrency,
    defaultJobOptions: { attempts: 4, backoff: { type: 'exponential', delay: 2000 } },
    workerOptions,
    /** Fetches, sniffs and extracts a file; bad input becomes an UnrecoverableError after the reply. */
    processor: async (job) => {
      try {
        await service().processIntake(job.data.intakeId);
      } catch (err) {
        if (err instanceof DocumentInputError) throw new UnrecoverableError(`refused: ${err.code}`);
        throw err;
      }
    },
  };
  const analyze: QueueDef<z.infer<typeof analyzeJobSchema>> = {
    name: DOC_ANALYZE_QUEUE,
    schema: analyzeJobSchema,
    concurrency: config.concurrency,
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
    workerOptions,
    /** Runs the remaining analysis stages of one version. */
    processor: async (job) => service().processVersion(job.data.versionId),
  };
  const expiry: QueueDef<Record<string, unknown>> = {
    name: DOC_EXPIRY_QUEUE,
    schema: expiryJobSchema,
    concurrency: 1,
    defaultJobOptions: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { count: 20 } },
    /** Sends the expiry reminders that are due. */
    processor: async () => service().remindExpiring(),
  };
  return [intake, analyze, expiry] as QueueDef<unknown>[];
}
