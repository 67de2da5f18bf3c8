/**
 * The outbound recovery as a feature module: on every process that runs workers it keeps the
 * sweep's schedule (the process's schedule keeper re-creates it when Redis lost it), with the
 * install's `outbound.recovery` times; the sweep itself runs on the outbound queue (recovery.ts).
 */
import type { FeatureModule } from '../../core/module.ts';
import type { Services } from '../../features/services.ts';
import { durationMs } from '../../services/duration.ts';
import { sweepSchedule } from './recovery.ts';

/** Builds the module; `start` on the worker roles keeps the sweep's schedule. */
export function createOutboundRecoveryModule(services: Pick<Services, 'config' | 'schedules'>): FeatureModule {
  const { recovery } = services.config.file.outbound;
  return {
    name: 'outbound-recovery',
    async start(role) {
      if (role !== 'all' && role !== 'worker') return;
      await services.schedules.keep(sweepSchedule(durationMs(recovery.every), { graceMs: durationMs(recovery.grace), giveUpMs: durationMs(recovery.giveUp) }));
    },
  };
}
