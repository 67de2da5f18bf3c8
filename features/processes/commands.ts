/**
 * The processes commands: `run <name> [key=value…] [--dry-run]` starts a run (or shows its
 * plan), `run <id>` shows a run's progress, `run cancel|retry <id>` for operators; `runs
 * [name]` lists recent runs; `processes` lists the definitions with their inputs.
 */
import { z } from 'zod';
import { defineCommand, type CommandContext, type HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { ROLES, type Role } from '../../services/users/roles.ts';
import type { Engine } from '../../services/processes/engine.ts';
import { renderPlan, renderProgress, renderRuns } from '../../services/processes/render.ts';
import { guard, OPERATORS, runId } from './context.ts';
import { parseRunText, runInputs } from './parse.ts';

/** Builds the command specs of the processes feature over its engine. */
export function processCommands(engine: Engine) {
  /** `run <id>`: the run's progress message. */
  async function showRun(ctx: CommandContext, id: string): Promise<HandlerResult> {
    const r = await engine.get(runId(id));
    if (!r) throw new UserError('processes.runNotFound', { id });
    const def = await engine.definitionOf(r.definitionId);
    return renderProgress(ctx.t, r, def.def, r.steps);
  }

  /** Cancel and retry are for operators, whatever role may start the process. */
  function requireOperator(ctx: CommandContext, command: string): void {
    if (!OPERATORS.includes(ctx.user.role)) throw new UserError('core.denied', { command, role: ctx.user.role });
  }

  async function cancelRun(ctx: CommandContext, id: string | undefined): Promise<HandlerResult> {
    requireOperator(ctx, 'run cancel');
    const r = await guard(() => engine.cancel(runId(id), ctx.user.displayName));
    return { text: ctx.t('processes.cancelled', { id: r.id }) };
  }

  async function retryRun(ctx: CommandContext, id: string | undefined): Promise<HandlerResult> {
    requireOperator(ctx, 'run retry');
    const r = await guard(() => engine.retry(runId(id)));
    return { text: ctx.t('processes.retried', { id: r.id }) };
  }

  /** `run <name> …`: checks the role the definition asks for, then plans or starts. */
  async function startRun(ctx: CommandContext, text: string): Promise<HandlerResult> {
    const parsed = parseRunText(text);
    const def = await guard(async () => engine.definition(parsed.name));
    const { inputs, bad } = runInputs(parsed, Object.keys(def.def.inputs));
    if (bad) throw new UserError('processes.badArg', { arg: bad });
    if (!(def.def.roles as readonly Role[]).includes(ctx.user.role)) {
      throw new UserError('processes.startDenied', { role: ctx.user.role, process: def.name, roles: def.def.roles.join(', ') });
    }
    if (parsed.dryRun) return renderPlan(ctx.t, await guard(async () => engine.plan(parsed.name, inputs)));
    const r = await guard(() =>
      engine.start({
        process: parsed.name,
        inputs,
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
  }

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
      if (/^#?\d+$/.test(first)) return showRun(ctx, first);
      if (first === 'cancel' || first === 'отменить') return cancelRun(ctx, second);
      if (first === 'retry' || first === 'повторить') return retryRun(ctx, second);
      return startRun(ctx, text);
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

  return [run, runs, list];
}
