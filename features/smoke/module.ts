/**
 * The smoke module: the `smoke` queue and its echo processor, so `a2d2 smoke` can see a job
 * go through Redis to a worker of this deployment and back. Worker roles consume it; other
 * roles only know its name (the queue's depth shows in /metrics like any other).
 */
import type { FeatureModule } from '../../core/module.ts';
import { smokeQueueDef } from '../../services/ops/smoke-queue.ts';

export function createSmokeModule(): FeatureModule {
  return { name: 'smoke', queues: [smokeQueueDef()] };
}
