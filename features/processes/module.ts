/**
 * The processes feature module: loads and validates the definitions at start-up (a bad file
 * stops start-up naming the file and line), stores their versions, runs the step, trigger and
 * event queues, keeps the schedules, and offers `run`, `runs`, `processes`, the approval and
 * cancel buttons, and POST /api/v1/processes/:name/runs.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import type { FeatureModule } from '../../core/module.ts';
import type { Services } from '../services.ts';
import { defineCommand, type ActionSpec, type CommandContext } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { ROLES, atLeast, type Role } from '../../services/users/roles.ts';
import { loadDefinitions, SHIPPED_DIR, SHIPPED_SECRET_ENV } from '../../services/processes/definition.ts';
import { processesConfigSchema, type ProcessesConfig } from '../../services/processes/processes.config.ts';
import { createEngine, ProcessError, type Engine } from '../../services/processes/engine.ts';
import { PROCESS_ACTIONS, renderPlan, renderProgress, renderRuns } from '../../services/processes/render.ts';
import type { AgentPort, DocumentPort, ProcessPorts } from '../../services/processes/ports.ts';
import { createTicketPort } from './ticket-port.ts';
import { AGENTS } from '../../agents/definitions.ts';
import type { LlmService } from '../../agents/llm.service.ts';
import { registerProcessRoutes } from './routes.ts';

export interface ProcessesModuleOptions {
  /**
   * The environment to read allow-listed secrets from (only names in processes.secretEnv are
   * kept). The composition root passes the process environment.
   */
  secretEnv?: Record<string, string | undefined>;
  /** Replaces the ports to other features (tests). */
  ports?: ProcessPorts;
}

/** Splits `name a=1 b="two words" --dry-run` into the process name, inputs and flags. */
export function parseRunText(raw: string): { name: string; inputs: Record<string, string>; dryRun: boolean; bad?: string } {
  const tokens = [...raw.matchAll(/(\S+?=)"([^"]*)"|(\S+?=)'([^']*)'|(\S+)/g)].map((m) => (m[1] ? m[1] + m[2] : m[3] ? m[3] + m[4] : m[5]!));
  const name = tokens.shift() ?? '';
  const inputs: Record<string, string> = {};
  let dryRun = false;
  let bad: string | undefined;
  for (const tok of tokens) {
    if (tok === '--dry-run' || tok === '--dryrun' || tok === '--plan') {
      dryRun = true;
      continue;
    }
    const eq = tok.indexOf('=');
    if (eq <= 0) {
      bad ??= tok;
      continue;
    }
    inputs[tok.slice(0, eq)] = tok.slice(eq + 1);
  }
  return { name, inputs, dryRun, ...(bad ? { bad } : {}) };
}

function agentsPort(llm: LlmService): AgentPort | undefined {
  if (!llm.configured) return undefined;
  return {
    async run(agent, prompt, runId) {
      const def = AGENTS[agent];
      if (!def) throw new Error(`there is no agent "${agent}"`);
      const r = await llm.chat({
        route: def.route,
        purpose: `process:${agent}`,
        messages: [
          { role: 'system', content: def.instructions },
          { role: 'user', content: prompt },
        ],
        workspaceKey: 'processes',
        runId: `process-${runId}`,
      });
      return { text: r.message.content ?? '' };
    },
  };
}

function documentsPort(deps: Services): DocumentPort {
  // Reads the analysed document straight from its tables: the documents feature keeps no
  // in-process state a reader would need.
  return {
    async get(number) {
      const doc = await deps.db.document.findUnique({
        where: { number },
        include: { versions: { orderBy: { version: 'desc' }, take: 1, include: { fields: true } } },
      });
      const v = doc?.versions[0];
      if (!doc || !v) return null;
      const fields: Record<string, string> = {};
      for (const f of (v as { fields?: { name: string; value: string }[] }).fields ?? []) fields[f.name] = f.value;
      const rec = v as unknown as Record<string, unknown>;
      return { number: doc.number, title: doc.title, version: v.version, category: rec.category ?? null, summary: rec.summary ?? null, stage: rec.stage ?? null, fields };
    },
  };
}

/** Builds the processes module; throws at start-up when a definition is invalid. */
export async function createProcessesModule(deps: Services, opts: ProcessesModuleOptions = {}): Promise<FeatureModule> {
  const cfg: ProcessesConfig = (deps.config.file as { processes?: ProcessesConfig }).processes ?? processesConfigSchema.parse({});
  const dirs = [...(cfg.includeShipped ? [SHIPPED_DIR] : []), resolve(cfg.folder)];
  const secretEnv = [...new Set([...cfg.secretEnv, ...(cfg.includeShipped ? SHIPPED_SECRET_ENV : [])])];
  const loaded = loadDefinitions(dirs, { secretEnv });
  const secrets: Record<string, string> = {};
  for (const name of secretEnv) {
    const v = opts.secretEnv?.[name];
    if (typeof v === 'string' && v.length > 0) secrets[name] = v;
  }
  let stopping = false;
  const engine: Engine = createEngine({
    db: deps.db,
    queues: deps.queues,
    outbound: deps.outbound,
    clock: deps.clock,
    logger: deps.logger.child({ module: 'processes' }),
    config: cfg,
    defaultLocale: deps.config.file.defaultLocale,
    secrets,
    ports: opts.ports ?? { tickets: createTicketPort(deps.tickets, deps.db), agents: agentsPort(deps.llm), documents: documentsPort(deps) },
    isStopping: () => stopping,
    schedules: deps.schedules,
  });
  await engine.install(loaded);

  /** Turns engine refusals into chat answers. */
  async function guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ProcessError) throw new UserError(err.key, err.params);
      throw err;
    }
  }

  const runId = (s: string | undefined, ctx: CommandContext): number => {
    const n = Number((s ?? '').replace(/^#/, ''));
    if (!Number.isInteger(n) || n <= 0) throw new UserError('processes.runNotFound', { id: s ?? '' });
    void ctx;
    return n;
  };
  const operators = atLeast('operator');

  const run = defineCommand({
    id: 'processes.run',
    aliases: { en: ['run'], ru: ['запуск', 'запустить'] },
    slash: ['run'],
    summaryKey: 'processes.run.summary',
    usageKey: 'processes.run.usage',
    args: z.object({ text: z.string().max(4000).default('') }),
    roles: ROLES,
    mutates: true,
    async handler(ctx, args) {
      const text = args.text.trim();
      const [first, second] = text.split(/\s+/);
      if (!first) return { text: ctx.t('processes.run.usage') };
      if (/^#?\d+$/.test(first)) {
        const r = await engine.get(runId(first, ctx));
        if (!r) throw new UserError('processes.runNotFound', { id: first });
        const def = await engine.definitionOf(r.definitionId);
        return renderProgress(ctx.t, r, def.def, r.steps);
      }
      if (first === 'cancel' || first === 'отменить') {
        if (!operators.includes(ctx.user.role)) throw new UserError('core.denied', { command: 'run cancel', role: ctx.user.role });
        const r = await guard(() => engine.cancel(runId(second, ctx), ctx.user.displayName));
        return { text: ctx.t('processes.cancelled', { id: r.id }) };
      }
      if (first === 'retry' || first === 'повторить') {
        if (!operators.includes(ctx.user.role)) throw new UserError('core.denied', { command: 'run retry', role: ctx.user.role });
        const r = await guard(() => engine.retry(runId(second, ctx)));
        return { text: ctx.t('processes.retried', { id: r.id }) };
      }
      const parsed = parseRunText(text);
      if (parsed.bad) throw new UserError('processes.badArg', { arg: parsed.bad });
      const def = await guard(async () => engine.definition(parsed.name));
      if (!(def.def.roles as readonly Role[]).includes(ctx.user.role)) {
        throw new UserError('processes.startDenied', { role: ctx.user.role, process: def.name, roles: def.def.roles.join(', ') });
      }
      if (parsed.dryRun) return renderPlan(ctx.t, await guard(async () => engine.plan(parsed.name, parsed.inputs)));
      const r = await guard(() =>
        engine.start({
          process: parsed.name,
          inputs: parsed.inputs,
          trigger: 'chat',
          triggerKey: `chat:${ctx.event.platform}:${ctx.event.eventId}`,
          startedBy: ctx.user.displayName,
          startedById: ctx.user.id,
          ref: ctx.replyRef,
          locale: ctx.locale,
        }),
      );
      // The progress message itself is the answer; a repeated delivery says which run it was.
      return r.created ? undefined : { text: ctx.t('processes.already', { id: r.run.id }) };
    },
  });

  const runs = defineCommand({
    id: 'processes.runs',
    aliases: { en: ['runs'], ru: ['запуски'] },
    slash: ['runs'],
    summaryKey: 'processes.runs.summary',
    args: z.object({ text: z.string().max(100).default('') }),
    roles: ROLES,
    async handler(ctx, args) {
      const name = args.text.trim() || undefined;
      return renderRuns(ctx.t, await engine.recent(name, 15));
    },
  });

  const list = defineCommand({
    id: 'processes.list',
    aliases: { en: ['processes'], ru: ['процессы'] },
    summaryKey: 'processes.list.summary',
    args: z.object({ text: z.string().optional() }),
    roles: ROLES,
    async handler(ctx) {
      const defs = engine.definitions().sort((a, b) => a.name.localeCompare(b.name));
      if (defs.length === 0) return { text: ctx.t('processes.list.empty') };
      return {
        title: ctx.t('processes.list.title'),
        text: defs
          .map((d) => {
            const inputs = Object.entries(d.def.inputs).map(([k, v]) => `${k}${v.required ? '*' : ''}`);
            return ctx.t('processes.list.line', {
              name: d.name,
              version: d.version,
              description: d.def.description || '-',
              inputs: inputs.length ? ctx.t('processes.list.inputs', { inputs: inputs.join(', ') }) : '',
            });
          })
          .join('\n'),
      };
    },
  });

  const decide = (approve: boolean): ActionSpec => ({
    id: approve ? PROCESS_ACTIONS.approve : PROCESS_ACTIONS.deny,
    // Every role reaches the handler; the step's own `roles` decide who may approve.
    roles: ROLES,
    async handler(ctx, value) {
      if (!/^[0-9a-f-]{36}$/.test(value)) throw new UserError('processes.approval.unknown');
      const r = await guard(() => engine.decide(value, approve, { name: ctx.user.displayName, role: ctx.user.role }));
      if (r === 'closed') return { text: ctx.t('processes.approval.closed'), ephemeral: true };
      return { text: ctx.t(r === 'approved' ? 'processes.approval.approved' : 'processes.approval.denied', { who: ctx.user.displayName }) };
    },
  });

  const actions: ActionSpec[] = [
    decide(true),
    decide(false),
    {
      id: PROCESS_ACTIONS.cancel,
      roles: operators,
      async handler(ctx, value) {
        const r = await guard(() => engine.cancel(runId(value, ctx), ctx.user.displayName));
        return { text: ctx.t('processes.cancelled', { id: r.id }) };
      },
    },
  ];

  const module: FeatureModule & { engine: Engine; halt(): void } = {
    name: 'processes',
    engine,
    /** From now on step results of this process are discarded (shutdown; tests simulate a dying worker). */
    halt() {
      stopping = true;
    },
    commands: [run, runs, list],
    actions,
    queues: engine.queueDefs(),
    routes: (app) => registerProcessRoutes(app, { engine, apiToken: deps.config.env.A2D2_API_TOKEN }),
    async start(role) {
      if (role === 'all' || role === 'worker') {
        await engine.syncSchedules();
        await engine.recovery.install();
      }
    },
    async stop() {
      stopping = true;
    },
  };
  return module;
}
