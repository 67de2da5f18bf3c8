/**
 * Tools for the model: one per command in the registry (same JSON schema, same role check,
 * run through the pipeline so audit and validation are the ones people get), plus read
 * tools that look data up directly (ticket, alerts, deploys, documents, health). Every
 * result goes back to the model as quoted data.
 */
import { z } from 'zod';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { CommandContext, CommandRegistry, CommandSpec } from '../core/registry.ts';
import type { Pipeline } from '../core/pipeline.ts';
import type { Db } from '../services/db.ts';
import type { Reply } from '../services/messaging/types.ts';
import type { Role } from '../services/users/roles.ts';
import type { Translate } from '../services/i18n/i18n.ts';
import { allowsTool, type AgentDefinition } from './definitions.ts';
import { quote } from './safety.ts';

/** Commands an agent never gets: its own entry point and personal account settings. */
const NEVER_TOOLS = new Set(['agent.ask', 'core.link', 'core.lang']);

/** A read tool: looks data up, changes nothing. */
export interface ReadTool {
  name: string;
  description: string;
  args: z.ZodType<Record<string, unknown>>;
  roles: readonly Role[];
  run(args: Record<string, unknown>, env: ReadToolEnv): Promise<string>;
}

/** What read tools may use. */
export interface ReadToolEnv {
  db: Db;
  ping(): Promise<boolean>;
}

export type ToolEntry = { kind: 'command'; spec: CommandSpec<unknown> } | { kind: 'read'; tool: ReadTool };

/** The tools offered to one run, by their model-facing names. */
export interface ToolSet {
  tools: ChatCompletionTool[];
  byName: Map<string, ToolEntry>;
}

const everyone: readonly Role[] = ['viewer', 'operator', 'technician', 'admin'];

const rows = (r: unknown[]) => (r.length ? JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 1) : '[]');

/** Read tools. They use SQL on the feature tables and report plainly when a feature is not installed. */
export const READ_TOOLS: ReadTool[] = [
  {
    name: 'get_ticket',
    description: 'Get one ticket by its number: title, description, severity, status, component, assignee.',
    args: z.object({ id: z.coerce.number().int().positive() }),
    roles: everyone,
    async run(args, { db }) {
      const r = await db.$queryRawUnsafe<unknown[]>(
        'SELECT id, title, description, severity, status, component, "assigneeName", "reporterName", "createdAt", "resolvedAt" FROM "Ticket" WHERE id = $1',
        Number(args.id),
      );
      return r.length ? rows(r) : `no ticket #${String(args.id)}`;
    },
  },
  {
    name: 'list_alerts',
    description: 'List alert groups, newest first (default: firing ones).',
    args: z.object({ status: z.enum(['firing', 'resolved', 'any']).default('firing'), limit: z.coerce.number().int().min(1).max(50).default(20) }),
    roles: everyone,
    async run(args, { db }) {
      const any = args.status === 'any';
      return rows(
        await db.$queryRawUnsafe<unknown[]>(
          `SELECT severity, status, title, service, environment, "fireCount", "firstSeenAt", "lastSeenAt" FROM "AlertGroup" ${any ? '' : 'WHERE status = $2'} ORDER BY "lastSeenAt" DESC LIMIT $1`,
          ...(any ? [Number(args.limit)] : [Number(args.limit), String(args.status)]),
        ),
      );
    },
  },
  {
    name: 'recent_deploys',
    description: 'Recent deployments, newest first, optionally for one service or environment.',
    args: z.object({ service: z.string().max(100).optional(), environment: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(50).default(20) }),
    roles: everyone,
    async run(args, { db }) {
      return rows(
        await db.$queryRawUnsafe<unknown[]>(
          'SELECT service, environment, version, status, actor, "createdAt", "updatedAt" FROM "Deployment" WHERE ($2::text IS NULL OR service = $2) AND ($3::text IS NULL OR environment = $3) ORDER BY "createdAt" DESC LIMIT $1',
          Number(args.limit),
          (args.service as string | undefined) ?? null,
          (args.environment as string | undefined) ?? null,
        ),
      );
    },
  },
  {
    name: 'search_documents',
    description: 'Search the text of stored documents; returns matching passages with the document number, title and category.',
    args: z.object({ query: z.string().min(2).max(200) }),
    roles: everyone,
    async run(args, { db }) {
      const q = String(args.query);
      return rows(
        await db.$queryRawUnsafe<unknown[]>(
          `SELECT d.number, d.title, v.category, v.version,
                  substr(v.text, greatest(1, strpos(lower(v.text), lower($1)) - 300), 900) AS passage
             FROM "DocumentVersion" v JOIN "Document" d ON d.id = v."documentId"
            WHERE strpos(lower(v.text), lower($1)) > 0 OR lower(d.title) LIKE '%' || lower($1) || '%'
            ORDER BY v."createdAt" DESC LIMIT 5`,
          q,
        ),
      );
    },
  },
  {
    name: 'health',
    description: 'Health of the bot: database and Redis.',
    args: z.object({}),
    roles: everyone,
    async run(_args, { db, ping }) {
      const dbOk = await db.$queryRawUnsafe('SELECT 1').then(
        () => true,
        () => false,
      );
      return JSON.stringify({ database: dbOk ? 'ok' : 'down', redis: (await ping()) ? 'ok' : 'down' });
    },
  },
];

/** Model-facing tool name of a command id ('ticket.create' -> 'ticket_create'). */
export function toolName(commandId: string): string {
  return commandId.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** Builds the tool set for a user's role and an agent definition. */
export function buildToolSet(registry: CommandRegistry, t: Translate, role: Role, def: AgentDefinition): ToolSet {
  const byName = new Map<string, ToolEntry>();
  const tools: ChatCompletionTool[] = [];
  const schemas = registry.toolSchemas(t, (c) => !NEVER_TOOLS.has(c.id) && c.roles.includes(role) && allowsTool(def, c.id));
  for (const s of schemas) {
    const spec = registry.commands().find((c) => toolName(c.id) === s.name);
    if (!spec) continue;
    byName.set(s.name, { kind: 'command', spec });
    const note = s.mutates || spec.confirm ? ' (changes data: a person approves before it runs)' : '';
    tools.push({ type: 'function', function: { name: s.name, description: `${s.description}${note}`, parameters: s.parameters as Record<string, unknown> } });
  }
  for (const r of READ_TOOLS) {
    if (!r.roles.includes(role) || !allowsTool(def, r.name)) continue;
    byName.set(r.name, { kind: 'read', tool: r });
    tools.push({ type: 'function', function: { name: r.name, description: r.description, parameters: z.toJSONSchema(r.args, { unrepresentable: 'any' }) as Record<string, unknown> } });
  }
  return { tools, byName };
}

/** Plain text of neutral replies, for the model. */
export function replyText(replies: Reply[]): string {
  return replies
    .map((r) => [r.title, r.text, ...(r.fields ?? []).map((f) => `${f.label}: ${f.value}`), ...(r.links ?? []).map((l) => `${l.label}: ${l.url}`), r.context].filter(Boolean).join('\n'))
    .join('\n\n');
}

/** Whether running a command needs a person's approval first. */
export function needsApproval(spec: CommandSpec<unknown>): boolean {
  return Boolean(spec.mutates || spec.confirm);
}

/**
 * Runs a command as a tool through the pipeline (role check, validation, audit). Replies are
 * captured for the model; `forward` also posts them to the chat (approved changes).
 */
export async function runCommandTool(pipeline: Pipeline, ctx: CommandContext, spec: CommandSpec<unknown>, args: unknown, forward: boolean): Promise<{ outcome: string; text: string }> {
  const captured: Reply[] = [];
  const capturing: CommandContext = {
    ...ctx,
    async reply(reply, opts) {
      captured.push(reply);
      if (forward) await ctx.reply(reply, opts);
    },
  };
  const outcome = await pipeline.runCommand(capturing, spec, args);
  return { outcome, text: quote(`command:${spec.id}`, replyText(captured) || `(${outcome}, no output)`) };
}

/** Runs a read tool with its own argument check and role check. */
export async function runReadTool(tool: ReadTool, role: Role, rawArgs: unknown, env: ReadToolEnv): Promise<string> {
  if (!tool.roles.includes(role)) return 'error: not allowed for the requesting user';
  const parsed = tool.args.safeParse(rawArgs ?? {});
  if (!parsed.success) return `error: bad arguments: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`;
  try {
    return quote(`tool:${tool.name}`, await tool.run(parsed.data, env));
  } catch (err) {
    // A feature that is not installed has no table: say so instead of failing the run.
    return `error: ${tool.name} is not available here (${(err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 120)})`;
  }
}
