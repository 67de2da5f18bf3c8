/**
 * What a failed platform call means for its row. Permanent (the platform refuses): the row
 * fails for good. 429: the whole chat is pushed back for Retry-After and the row waits as
 * long. Transient (network, 5xx): BullMQ retries with backoff. A row out of attempts fails.
 */
import { PermanentSendError, RateLimitedError, type OutboundJob } from '../../services/messaging/outbound.service.ts';
import { UnrecoverableError, type Job } from '../../services/queues.ts';
import { errorText, markFailed, type Delivery, type SenderContext, type Step } from './sender-context.ts';

/**
 * Classifies a failed send of attempt number `attempts`: a step to wait for (429), or a throw
 * (UnrecoverableError when the row was marked failed, the error itself for a BullMQ retry).
 */
export async function onSendError(sc: SenderContext, job: Job<OutboundJob>, d: Delivery, op: 'post' | 'edit', attempts: number, err: unknown): Promise<Step> {
  const { deps, opts } = sc;
  const count = (outcome: 'failed' | 'rate_limited' | 'error') => deps.metrics.outboundMessages.inc({ platform: d.platform, op, outcome });
  const text = errorText(err);
  if (err instanceof PermanentSendError) {
    count('failed');
    await markFailed(sc, d.id, attempts, text);
    sc.log.warn({ outboundId: d.id, err: text }, 'outbound send failed permanently');
    throw new UnrecoverableError(text);
  }
  if (err instanceof RateLimitedError) {
    count('rate_limited');
    // Push the whole chat back, not only this message: the others would hit the same 429.
    await sc.limiterFor(d.ns).block(d.chat, err.retryAfterMs);
    if (attempts >= opts.maxAttempts) {
      await markFailed(sc, d.id, attempts, `gave up after ${attempts} attempts: ${text}`);
      count('failed');
      throw new UnrecoverableError(`gave up after ${attempts} attempts: ${text}`);
    }
    await sc.db.outboundMessage.update({ where: { id: d.id }, data: { attempts, error: text } });
    sc.log.info({ outboundId: d.id, retryAfterMs: err.retryAfterMs, attempt: attempts }, 'outbound rate limited by the platform');
    return { kind: 'wait', ms: Math.max(1, err.retryAfterMs), reason: 'retry-after', early: true };
  }
  // Transient (network, 5xx): BullMQ retries with backoff; the row remembers the attempt.
  const lastQueueAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (attempts >= opts.maxAttempts || lastQueueAttempt) {
    await markFailed(sc, d.id, attempts, `gave up after ${attempts} attempts: ${text}`);
    count('failed');
    throw new UnrecoverableError(`gave up after ${attempts} attempts: ${text}`);
  }
  count('error');
  await sc.db.outboundMessage.update({ where: { id: d.id }, data: { attempts, error: text } });
  throw err;
}
