/**
 * Structured field extraction by a model, when one is configured: one JSON schema per category
 * (the primary fields the deterministic extractor yields, fields.ts), the answer validated with
 * zod, every value typed and found in the text the way the extractor's are (ISO dates that are
 * real calendar days and occur in the text, amounts as "1234.50 EUR" whose number occurs in
 * the text, strings that occur in the text). The deterministic result is the fallback: for the
 * whole document when the model is absent, fails, times out, is over its budget or answers
 * something that is not the schema's JSON; for one field when that field fails its typing.
 * Item rows always come from the extractor (they carry a span per row).
 */
import { z } from 'zod';
import type { Category } from './classify.ts';
import type { ExtractedField } from './field-kit.ts';
import { findAmounts, findDates, parseNumber } from './field-values.ts';

/** The model port: the documents service asks, the container answers through the LLM service (budgets, usage rows). */
export interface FieldModel {
  /** Resolves to the answer's text (asked for a JSON object); throws when there is none. */
  complete(req: { purpose: string; system: string; user: string; workspaceKey: string; userId?: string; signal: AbortSignal }): Promise<string>;
}

/** documents.llmFields settings. */
export interface LlmFieldsOptions {
  timeoutMs: number;
  /** Characters of the document's text sent at most. */
  maxChars: number;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const dt = new Date(Date.UTC(y, m - 1, d));
    return y >= 1900 && y <= 2200 && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
  }, 'not a calendar date');
const money = z.object({ amount: z.number().finite().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) }).strict();
const text = z.string().trim().min(1).max(300);
const opt = <T extends z.ZodType>(t: T) => t.nullable().optional();

/** The answer's schema per category: null (or absent) means the document has no such field. */
export const FIELD_SCHEMAS = {
  invoice: z.object({ number: opt(text), date: opt(isoDate), total: opt(money), vendor: opt(text) }).strict(),
  contract: z.object({ number: opt(text), parties: opt(z.array(text).max(6)), startDate: opt(isoDate), endDate: opt(isoDate), value: opt(money) }).strict(),
  certificate: z.object({ number: opt(text), issueDate: opt(isoDate), expiryDate: opt(isoDate), holder: opt(text) }).strict(),
  passport: z.object({ number: opt(text), issueDate: opt(isoDate), expiryDate: opt(isoDate), issuer: opt(text) }).strict(),
  report: z.object({ title: opt(text), date: opt(isoDate), author: opt(text) }).strict(),
  manual: z.object({ title: opt(text), date: opt(isoDate), author: opt(text) }).strict(),
} as const;

type LlmCategory = keyof typeof FIELD_SCHEMAS;
const isLlmCategory = (c: Category): c is LlmCategory => c in FIELD_SCHEMAS;
const DATE_FIELDS = new Set(['date', 'startDate', 'endDate', 'issueDate', 'expiryDate']);
const MONEY_FIELDS = new Set(['total', 'value']);

/** The JSON schema shown to the model for a category (written from the zod one). */
export function jsonSchemaOf(category: LlmCategory): Record<string, unknown> {
  const shape = FIELD_SCHEMAS[category].shape as Record<string, unknown>;
  const props: Record<string, unknown> = {};
  for (const name of Object.keys(shape)) {
    if (DATE_FIELDS.has(name)) props[name] = { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'ISO date' };
    else if (MONEY_FIELDS.has(name)) props[name] = { type: ['object', 'null'], properties: { amount: { type: 'number' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } }, required: ['amount', 'currency'], additionalProperties: false };
    else if (name === 'parties') props[name] = { type: ['array', 'null'], items: { type: 'string' }, maxItems: 6 };
    else props[name] = { type: ['string', 'null'] };
  }
  return { type: 'object', properties: props, additionalProperties: false };
}

function prompt(category: LlmCategory, body: string): { system: string; user: string } {
  return {
    system: [
      `You extract the fields of one ${category} document. Answer with one JSON object that follows this JSON schema and nothing else:`,
      JSON.stringify(jsonSchemaOf(category)),
      'Copy names, numbers and titles exactly as the document writes them. Dates as YYYY-MM-DD; amounts as a number with an ISO 4217 currency code. Use null for a field the document does not have.',
    ].join('\n'),
    user: body,
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a string occurs in the text (case and runs of whitespace ignored). */
function spanOfText(body: string, value: string): { start: number; end: number; value: string } | undefined {
  const re = new RegExp(value.trim().split(/\s+/).map(escape).join('\\s+'), 'iu');
  const m = re.exec(body);
  return m ? { start: m.index, end: m.index + m[0].length, value: m[0] } : undefined;
}

/** Where a number that reads as `amount` occurs in the text. */
function spanOfAmount(body: string, amount: number, normalized: string): { start: number; end: number; value: string } | undefined {
  const hit = findAmounts(body).find((a) => a.normalized === normalized);
  if (hit) return hit;
  for (const m of body.matchAll(/\d[\d\s\u00a0.,]*\d|\d/g)) {
    const raw = m[0].trim();
    if (parseNumber(raw) === amount) return { start: m.index, end: m.index + raw.length, value: raw };
  }
  return undefined;
}

/** One field of the answer as the extractor's record, or nothing when it fails its typing or is not in the text. */
function typed(body: string, name: string, v: unknown): ExtractedField[] {
  if (v === null || v === undefined) return [];
  if (DATE_FIELDS.has(name)) {
    const d = findDates(body).find((x) => x.normalized === v);
    return d ? [{ name, value: d.value, normalized: d.normalized, start: d.start, end: d.end, primary: true }] : [];
  }
  if (MONEY_FIELDS.has(name)) {
    const m = v as { amount: number; currency: string };
    const normalized = `${m.amount.toFixed(2)} ${m.currency}`;
    const s = spanOfAmount(body, m.amount, normalized);
    return s ? [{ name, value: s.value, normalized, start: s.start, end: s.end, primary: true }] : [];
  }
  if (name === 'parties') return (v as string[]).flatMap((p) => typed(body, 'party', p));
  const s = spanOfText(body, v as string);
  return s ? [{ name, value: s.value, normalized: v as string, start: s.start, end: s.end, primary: true }] : [];
}

/** How the fields were found: by the model, or by the rules and why. */
export type FieldsSource = 'llm' | 'rules' | 'rules:no-model' | 'rules:failed' | 'rules:invalid';

/**
 * Merges the model's fields over the deterministic ones: each primary field the model gave and
 * that passed its typing replaces the extractor's of that name; the rest stay.
 */
export function mergeFields(rules: ExtractedField[], fromModel: ExtractedField[]): ExtractedField[] {
  const names = new Set(fromModel.map((f) => f.name));
  return [...fromModel, ...rules.filter((f) => !(f.primary && names.has(f.name)))];
}

/** Parses and types an answer; null when it is not the category's JSON. */
export function fieldsFromAnswer(category: LlmCategory, body: string, answer: string): ExtractedField[] | null {
  let json: unknown;
  try {
    json = JSON.parse(answer.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return null;
  }
  const parsed = FIELD_SCHEMAS[category].safeParse(json);
  if (!parsed.success) return null;
  return Object.entries(parsed.data).flatMap(([name, v]) => typed(body, name, v));
}

/**
 * The fields of a document: the model's, typed and merged over the deterministic ones, or the
 * deterministic ones alone (with the reason) when there is no model or its answer is unusable.
 */
export async function modelFields(
  model: FieldModel | undefined,
  input: { text: string; category: Category; rules: ExtractedField[]; workspaceKey: string; userId?: string | undefined },
  opts: LlmFieldsOptions,
): Promise<{ fields: ExtractedField[]; source: FieldsSource; error?: string }> {
  if (!model || !isLlmCategory(input.category) || !input.text.trim()) return { fields: input.rules, source: 'rules:no-model' };
  const body = input.text.slice(0, opts.maxChars);
  const { system, user } = prompt(input.category, body);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
  let answer: string;
  try {
    answer = await Promise.race([
      model.complete({ purpose: `documents:fields:${input.category}`, system, user, workspaceKey: input.workspaceKey, ...(input.userId ? { userId: input.userId } : {}), signal: controller.signal }),
      new Promise<never>((_r, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true })),
    ]);
  } catch (err) {
    return { fields: input.rules, source: 'rules:failed', error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
  const fromModel = fieldsFromAnswer(input.category, body, answer);
  if (!fromModel) return { fields: input.rules, source: 'rules:invalid', error: 'the answer is not the schema\'s JSON' };
  return { fields: mergeFields(input.rules, fromModel), source: 'llm' };
}
