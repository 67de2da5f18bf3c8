/**
 * The YAML format of process definitions as zod schemas: inputs, the step kinds, triggers
 * (schedules and events) and the definition itself. Shape only; references between steps,
 * templates and expressions are checked in definition-check.ts.
 */
import { z } from 'zod';
import { ROLES } from '../users/roles.ts';
import { durationText } from './processes.config.ts';

const id = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'letters, digits and _ (starting with a letter or _), at most 64');
const expr = z.string().min(1).max(2000);
const template = z.string().max(20_000);
/** A duration, or a template that renders to one at run time (`{{ vars.settle ?? '30s' }}`). */
const durationOrTemplate = z.union([durationText, z.string().regex(/\{\{.*\}\}/, 'a duration such as 30s, or a template')]);

const inputSchema = z
  .object({
    type: z.enum(['string', 'number', 'boolean']).default('string'),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
    enum: z.array(z.union([z.string(), z.number()])).min(1).optional(),
    pattern: z.string().optional(),
  })
  .strict();
export type InputSpec = z.infer<typeof inputSchema>;

const retrySchema = z.object({ attempts: z.number().int().min(1).max(20).optional(), backoff: durationText.optional() }).strict();

const base = {
  id,
  /** Label shown in the progress message. */
  name: z.string().max(200).optional(),
  /** Guard: the step is skipped when this expression is false. */
  when: expr.optional(),
  retry: retrySchema.optional(),
  /** Keep going (the step counts as failed but the run continues). */
  continueOnError: z.boolean().optional(),
};

const httpStep = z
  .object({
    ...base,
    kind: z.literal('http'),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: template,
    headers: z.record(z.string(), template).default({}),
    body: z.unknown().optional(),
    timeout: durationText.optional(),
    /** Accepted status codes (default: any 2xx). */
    expectStatus: z.array(z.number().int().min(100).max(599)).min(1).optional(),
    /** Text the response body must contain. */
    expectBody: z.string().optional(),
  })
  .strict();

const approvalStep = z
  .object({
    ...base,
    kind: z.literal('approval'),
    /** Roles that may approve (default: admin). */
    roles: z.array(z.enum(ROLES)).min(1).default(['admin']),
    message: template,
    /** Where the request is posted (default: the run's thread). */
    to: template.optional(),
    timeout: durationText.optional(),
    /** fail: the run stops; approve: go on as approved; continue: go on with approved=false. */
    onTimeout: z.enum(['fail', 'approve', 'continue']).default('fail'),
  })
  .strict();

const notifyStep = z
  .object({ ...base, kind: z.literal('notify'), text: template, to: template.optional(), title: template.optional() })
  .strict();

const waitStep = z
  .object({
    ...base,
    kind: z.literal('wait'),
    duration: durationOrTemplate.optional(),
    /** Event type to wait for (e.g. ticket.resolved); `match` filters it. */
    event: z.string().regex(/^[a-z][a-z0-9_.-]*$/).optional(),
    match: expr.optional(),
    /** How long to wait for the event; then the step succeeds with timedOut=true. */
    timeout: durationOrTemplate.optional(),
  })
  .strict()
  .refine((s) => Boolean(s.duration) !== Boolean(s.event), { message: 'a wait step needs either duration or event', path: ['duration'] });

const branchStep = z
  .object({
    ...base,
    kind: z.literal('branch'),
    cases: z.array(z.object({ if: expr, goto: z.string() }).strict()).min(1),
    /** Where to go when no case holds (default: the next step). */
    else: z.string().optional(),
  })
  .strict();

const ticketStep = z
  .object({
    ...base,
    kind: z.literal('ticket'),
    action: z.enum(['open', 'get', 'assign', 'comment', 'resolve']),
    ticket: template.optional(),
    title: template.optional(),
    description: template.optional(),
    severity: template.optional(),
    text: template.optional(),
    assignee: template.optional(),
  })
  .strict();

/** Ends the run as failed with a message (usually behind a `when`). */
const failStep = z.object({ ...base, kind: z.literal('fail'), message: template }).strict();

const agentStep = z.object({ ...base, kind: z.literal('agent'), agent: z.string().min(1), prompt: template }).strict();
const documentStep = z.object({ ...base, kind: z.literal('document'), action: z.enum(['get']).default('get'), document: template }).strict();

/** A step of any kind. */
export type StepDef =
  | z.infer<typeof httpStep>
  | z.infer<typeof approvalStep>
  | z.infer<typeof notifyStep>
  | z.infer<typeof waitStep>
  | z.infer<typeof branchStep>
  | z.infer<typeof ticketStep>
  | z.infer<typeof agentStep>
  | z.infer<typeof documentStep>
  | z.infer<typeof failStep>
  | ParallelStep;

/** Fan-out: each branch is a sequence of steps; the step finishes when every branch has. */
export interface ParallelStep {
  id: string;
  name?: string | undefined;
  when?: string | undefined;
  retry?: z.infer<typeof retrySchema> | undefined;
  continueOnError?: boolean | undefined;
  kind: 'parallel';
  branches: { steps: StepDef[] }[];
}

const stepSchema: z.ZodType<StepDef> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    httpStep,
    approvalStep,
    notifyStep,
    waitStep,
    branchStep,
    ticketStep,
    agentStep,
    documentStep,
    failStep,
    z.object({ ...base, kind: z.literal('parallel'), branches: z.array(z.object({ steps: z.array(stepSchema).min(1) }).strict()).min(2) }).strict(),
  ]),
) as unknown as z.ZodType<StepDef>;

const scheduleSchema = z
  .object({
    cron: z.string().optional(),
    every: durationText.optional(),
    timezone: z.string().optional(),
    inputs: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .refine((s) => Boolean(s.cron) !== Boolean(s.every), { message: 'a schedule needs either cron or every', path: ['cron'] });

const eventTriggerSchema = z
  .object({
    /** alert.firing, ticket.created, or any type a feature emits. */
    type: z.string().regex(/^[a-z][a-z0-9_.-]*$/),
    /** Expression over `event` (e.g. `event.labels.service == 'checkout'`). */
    when: expr.optional(),
    /** Inputs of the run, templated from `event`. */
    inputs: z.record(z.string(), z.unknown()).default({}),
    /**
     * What makes a run of this process unique, templated from `event` (e.g. one incident run
     * per ticket, whichever trigger fires first); default: the event itself.
     */
    key: z.string().min(1).max(200).optional(),
  })
  .strict();

export const definitionSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'lower-case letters, digits and -, starting with a letter'),
    description: z.string().max(1000).default(''),
    /** Roles that may start it from chat (default: operator and above). */
    roles: z.array(z.enum(ROLES)).min(1).default(['operator', 'technician', 'admin']),
    inputs: z.record(id, inputSchema).default({}),
    /** Where runs not started from a chat show progress (platform:chat[/thread], templated). */
    notify: template.optional(),
    triggers: z
      .object({ schedules: z.array(scheduleSchema).default([]), events: z.array(eventTriggerSchema).default([]) })
      .strict()
      .prefault({}),
    steps: z.array(stepSchema).min(1),
  })
  .strict();
export type ProcessDefinition = z.infer<typeof definitionSchema>;
