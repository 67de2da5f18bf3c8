/**
 * The outbound recovery as a feature module: on every process that runs workers it registers
 * the sweep's schedule with the install's `outbound.recovery` times and keeps checking that
 * Redis still has it (see recovery.ts); the sweep itself runs on the outbound queue.
 */
import type { FeatureModule } from '../../core/module.ts';
import type { Services } from '../../features/services.ts';
import { durationMs } from '../../services/duration.ts';
import { OUTBOUND_QUEUE } from '../../services/messaging/outbound.service.ts';
import { startOutboundRecovery, type OutboundRecovery } from './recovery.ts';

/** Builds the module; `start` on the worker roles installs the sweep, `stop` ends the checks. */
export function createOutboundRecoveryModule(services: Pick<Services, 'config' | 'queues' | 'logger'>): FeatureModule {
  const { recovery } = services.config.file.outbound;
  let running: OutboundRecovery | null = null;
  return {
    name: 'outbound-recovery',
    async start(role) {
      if (role !== 'all' && role !== 'worker') return;
      running = await startOutboundRecovery({
        queue: services.queues.queue(OUTBOUND_QUEUE),
        everyMs: durationMs(recovery.every),
        times: { graceMs: durationMs(recovery.grace), giveUpMs: durationMs(recovery.giveUp) },
        logger: services.logger.child({ component: 'outbound-recovery' }),
      });
    },
    async stop() {
      running?.stop();
      running = null;
    },
  };
}
