/**
 * `a2d2 doctor`: checks a site's set-up against the world before it goes live (the config,
 * PostgreSQL and its migrations, Redis' settings, the chat platforms' tokens, scopes and
 * webhook, the model endpoint, the public URL, disk space, the clock). Each check answers ok,
 * warn or fail with a message and, when not ok, the fix; both are i18n keys with parameters,
 * so the CLI words them in the operator's language. The checks run at once, each under its
 * own deadline.
 */
import type { RedisTarget } from '../redis.ts';
import type { OcrEngineChoice } from '../documents/extract/ocr.engine.ts';

export type DoctorLevel = 'ok' | 'warn' | 'fail' | 'skip';

/** A message of the catalogue: its key and placeholders. */
export interface DoctorText {
  key: string;
  params?: Record<string, string | number>;
}

/** What one check found. */
export interface DoctorFinding {
  /** 'skip' when what the check needs is missing (another check's failure says why). */
  level: DoctorLevel;
  message: DoctorText;
  /** What to do about it; given for warn and fail. */
  fix?: DoctorText;
}

export interface DoctorCheckResult {
  check: string;
  level: DoctorLevel;
  ms: number;
  message: DoctorText;
  fix?: DoctorText;
}

export interface DoctorReport {
  /** False when any check failed (warnings do not count). */
  ok: boolean;
  checks: DoctorCheckResult[];
}

/** A check that found a problem; thrown from deep inside a check, caught by the runner. */
export class DoctorProblem extends Error {
  constructor(
    readonly finding: DoctorFinding,
  ) {
    super(finding.message.key);
    this.name = 'DoctorProblem';
  }
}

/** Shorthands for a check's answer. */
export const ok = (key: string, params?: DoctorText['params']): DoctorFinding => ({ level: 'ok', message: { key, ...(params ? { params } : {}) } });
export const warn = (key: string, params: DoctorText['params'] | undefined, fixKey: string, fixParams?: DoctorText['params']): DoctorFinding => ({
  level: 'warn',
  message: { key, ...(params ? { params } : {}) },
  fix: { key: fixKey, ...(fixParams ? { params: fixParams } : {}) },
});
export const fail = (key: string, params: DoctorText['params'] | undefined, fixKey: string, fixParams?: DoctorText['params']): DoctorFinding => ({
  level: 'fail',
  message: { key, ...(params ? { params } : {}) },
  fix: { key: fixKey, ...(fixParams ? { params: fixParams } : {}) },
});

export const skipped = (key: string, params?: DoctorText['params']): DoctorFinding => ({ level: 'skip', message: { key, ...(params ? { params } : {}) } });

/** One check: its name, and either how to run it or why it is skipped. */
export interface DoctorCheck {
  name: string;
  run?: (signal: AbortSignal) => Promise<DoctorFinding>;
  skip?: DoctorText;
  /** The fix printed when the check does not answer in time. */
  timeoutFix?: DoctorText;
}

/** An LLM provider as the doctor calls it (resolved by the agents layer). */
export interface DoctorLlmProvider {
  name: string;
  /** OpenAI-compatible base URL ending in /v1. */
  baseUrl: string;
  /** 'none' for servers without a key. */
  apiKey: string;
  models: string[];
}

/** What to check, from the site's configuration. */
export interface DoctorTarget {
  timeoutMs: number;
  databaseUrl: string;
  redis: RedisTarget;
  /** Where the documents are stored (A2D2_DATA_DIR/documents) and the largest upload. */
  documents: { dir: string; uploadLimitBytes: number };
  /** Every chat the configuration posts to, with the YAML key that names it. */
  destinations: { platform: string; chatId: string; where: string }[];
  /** documents.ocrLanguages, documents.ocrLangPath and documents.ocr. */
  ocr: { languages: string[]; path?: string; engine: OcrEngineChoice; command?: string; tessdataRoots?: string[]; timeoutMs: number };
  /** Set when the Slack module is on; `scopes` are those the bot needs. */
  slack?: { token: string; apiUrl?: string; scopes: readonly string[] };
  /** Set when a Telegram token is configured. */
  telegram?: { token: string; apiRoot?: string; mode: 'webhook' | 'polling'; webhookUrl?: string };
  llm: DoctorLlmProvider[];
  /** The address people and platforms reach the http role at, when known. */
  publicUrl?: string;
}

/** How long a check that ignores its deadline is given to wind down before it is cut off. */
const GRACE_MS = 1_000;

function thrownFinding(err: unknown): DoctorFinding {
  if (err instanceof DoctorProblem) return err.finding;
  const detail = err instanceof Error ? err.message : String(err);
  return fail('doctor.error', { error: detail.slice(0, 300) }, 'doctor.fix.error');
}

/** Runs one check under the deadline; never throws. */
export async function runCheck(check: DoctorCheck, timeoutMs: number): Promise<DoctorCheckResult> {
  if (!check.run) return { check: check.name, level: 'skip', ms: 0, message: check.skip ?? { key: 'doctor.skip' } };
  const controller = new AbortController();
  const timedOut = new DoctorProblem(fail('doctor.timeout', { ms: timeoutMs }, check.timeoutFix?.key ?? 'doctor.fix.timeout', check.timeoutFix?.params));
  const deadline = setTimeout(() => controller.abort(timedOut), timeoutMs);
  let cutoff: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_resolve, reject) => {
    cutoff = setTimeout(() => reject(timedOut), timeoutMs + GRACE_MS);
  });
  const started = performance.now();
  let finding: DoctorFinding;
  try {
    finding = await Promise.race([check.run(controller.signal), stuck]);
  } catch (err) {
    finding = controller.signal.aborted && !(err instanceof DoctorProblem) ? timedOut.finding : thrownFinding(err);
  } finally {
    clearTimeout(deadline);
    clearTimeout(cutoff);
  }
  return { check: check.name, ms: Math.round(performance.now() - started), ...finding };
}

/** Runs every check at once and reports them in the order given. */
export async function runDoctor(checks: DoctorCheck[], timeoutMs: number): Promise<DoctorReport> {
  const results = await Promise.all(checks.map((c) => runCheck(c, timeoutMs)));
  return { ok: results.every((r) => r.level !== 'fail'), checks: results };
}
