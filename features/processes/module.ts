/**
 * The processes feature: process definitions (YAML, loaded and validated at start-up; a bad
 * file stops start-up naming the file and line) run as steps on queues, started from chat,
 * the REST API, schedules and events, with approvals and cancel buttons on their messages.
 *
 * This file is the wiring only: it loads the definitions, builds the engine with its ports
 * and schedules. Read on in this order:
 * - parse.ts        what people type after `run`
 * - context.ts      what the parts share: operators, run ids, engine refusals as answers
 * - commands.ts     the command specs (run, runs, processes)
 * - actions.ts      the buttons (approve, deny, cancel)
 * - ports.ts        the agents and documents ports of process steps
 * - ticket-port.ts  the tickets port, each change made once per step key
 * - routes.ts       POST /api/v1/processes/:name/runs (with A2D2_API_TOKEN)
 * The domain (definitions, the engine with its step, trigger and event queues, rendering)
 * is services/processes/.
 */
import { resolve } from 'node:path';
import type { FeatureModule, Role } from '../../core/module.ts';
import type { Services } from '../services.ts';
import { loadDefinitions, SHIPPED_DIR, SHIPPED_SECRET_ENV } from '../../services/processes/definition.ts';
import { processesConfigSchema, type ProcessesConfig } from '../../services/processes/processes.config.ts';
import { createEngine, type Engine } from '../../services/processes/engine.ts';
import type { ProcessPorts } from '../../services/processes/ports.ts';
import { parseRunText, type RunText } from './parse.ts';
import { featurePorts } from './ports.ts';
import { processCommands } from './commands.ts';
import { processActions } from './actions.ts';
import { registerProcessRoutes } from './routes.ts';

export { parseRunText };
export type { RunText };

export interface ProcessesModuleOptions {
  /**
   * The environment to read allow-listed secrets from (only names in processes.secretEnv are
   * kept). The composition root passes the process environment.
   */
  secretEnv?: Record<string, string | undefined>;
  /** Replaces the ports to other features (tests). */
  ports?: ProcessPorts;
}

/** The definition folders and the secret names they may read, from the config. */
function sources(cfg: ProcessesConfig): { dirs: string[]; secretEnv: string[] } {
  return {
    dirs: [...(cfg.includeShipped ? [SHIPPED_DIR] : []), resolve(cfg.folder)],
    secretEnv: [...new Set([...cfg.secretEnv, ...(cfg.includeShipped ? SHIPPED_SECRET_ENV : [])])],
  };
}

/** The allow-listed secrets that are set (an empty value counts as unset). */
function readSecrets(names: readonly string[], env: Record<string, string | undefined> | undefined): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of names) {
    const v = env?.[name];
    if (typeof v === 'string' && v.length > 0) secrets[name] = v;
  }
  return secrets;
}

/** Builds the processes module; throws at start-up when a definition is invalid. */
export async function createProcessesModule(deps: Services, opts: ProcessesModuleOptions = {}): Promise<FeatureModule> {
  const cfg: ProcessesConfig = (deps.config.file as { processes?: ProcessesConfig }).processes ?? processesConfigSchema.parse({});
  const { dirs, secretEnv } = sources(cfg);
  const loaded = loadDefinitions(dirs, { secretEnv });
  let stopping = false;
  const engine: Engine = createEngine({
    db: deps.db,
    queues: deps.queues,
    outbound: deps.outbound,
    clock: deps.clock,
    logger: deps.logger.child({ module: 'processes' }),
    config: cfg,
    defaultLocale: deps.config.file.defaultLocale,
    secrets: readSecrets(secretEnv, opts.secretEnv),
    ports: opts.ports ?? featurePorts(deps),
    isStopping: () => stopping,
    schedules: deps.schedules,
  });
  await engine.install(loaded);
  // Free text names processes ("run the smoke test on staging"): the understanding engine matches the loaded ones.
  deps.registry.entities.set('process', () => engine.definitions().map((d) => ({ name: d.name, inputs: Object.keys(d.def.inputs) })));

  /** Schedules and the recovery sweep run where workers run; the http role only receives. */
  async function start(role: Role): Promise<void> {
    if (role === 'all' || role === 'worker') {
      await engine.syncSchedules();
      await engine.recovery.install();
    }
  }

  const module: FeatureModule & { engine: Engine; halt(): void } = {
    name: 'processes',
    engine,
    /** From now on step results of this process are discarded (shutdown; tests simulate a dying worker). */
    halt() {
      stopping = true;
    },
    commands: processCommands(engine),
    actions: processActions(engine),
    queues: engine.queueDefs(),
    routes: (app) => registerProcessRoutes(app, { engine, apiToken: deps.config.env.A2D2_API_TOKEN }),
    start,
    async stop() {
      stopping = true;
    },
  };
  return module;
}
