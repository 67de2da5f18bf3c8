/**
 * The basics feature, present whatever else is mounted: help, status, whoami, link and lang,
 * and the intent rules that reach help, status and whoami from free text.
 *
 * This file is the wiring only. commands.ts holds the command specs (and the health probe
 * `status` reads, shared with /readyz); render.ts the help reply generated from the registry.
 * It has no buttons. The users service (identities, link codes, language, the roles re-synced
 * with the configuration at start) is services/users/, handed in with the core services.
 */
import type { FeatureModule } from '../../core/module.ts';
import type { IntentRule } from '../../core/registry.ts';
import { basicsCommands, type BasicsDeps, type HealthProbe } from './commands.ts';
import { renderHelp } from './render.ts';

export { renderHelp };
export type { HealthProbe };

/** Builds the basics feature module (registered under the name `core`). */
export function createCoreModule(deps: BasicsDeps): FeatureModule {
  // Low weights: these phrases also occur inside requests another feature's rules should win.
  const intents: IntentRule[] = [
    { commandId: 'core.help', patterns: [/\b(help|what can you do|commands)\b/, /(помо(щь|ги)|что ты умеешь|какие команды)/], toArgs: () => ({ text: '' }), weight: 0.3 },
    { commandId: 'core.status', patterns: [/\b(are you (alive|ok|up)|your status|bot status)\b/, /(ты (жив|тут|работаешь)|статус бота)/], toArgs: () => ({}), weight: 0.3 },
    { commandId: 'core.whoami', patterns: [/\bwho am i\b|\bmy role\b/, /кто я\b|моя роль/], toArgs: () => ({}), weight: 0.4 },
  ];

  return {
    name: 'core',
    commands: basicsCommands(deps),
    intents,
    // a2d2.yaml is the source of truth for roles: a person removed from it is demoted here.
    async start() {
      const changes = await deps.users.syncRoles();
      if (changes.length) deps.logger.info({ changes }, 'roles re-synced with the configuration');
    },
  };
}
