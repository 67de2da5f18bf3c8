/**
 * Silences made in Alertmanager itself, read from its API v2 (`GET /api/v2/silences`, the
 * `gettableSilences` of its OpenAPI spec): only those whose `status.state` is "active", and a
 * silence covers a group when every matcher matches the group's labels (`isRegex` anchored as
 * Alertmanager anchors it, `isEqual: false` negating). Concurrent readers share one request,
 * so a burst of notify jobs asks Alertmanager once; a failure is logged and reads as none.
 */
import type { Logger } from '../logger.ts';

/** A matcher of Alertmanager's API v2. `isEqual` is absent in older versions (then true). */
export interface AmMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

/** An Alertmanager silence as its API v2 returns it (`gettableSilence`), as far as we read it. */
export interface AmSilence {
  id: string;
  status: { state: string };
  matchers: AmMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

const regexCache = new Map<string, RegExp | null>();

/** Alertmanager anchors regex matchers at both ends; an expression JavaScript cannot read matches nothing. */
function anchored(value: string): RegExp | null {
  if (!regexCache.has(value)) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(`^(?:${value})$`, 's');
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(value, re);
  }
  return regexCache.get(value) ?? null;
}

/** True when one matcher matches the labels (a missing label has the value ""). */
export function matcherMatches(m: AmMatcher, labels: Record<string, string>): boolean {
  const have = labels[m.name] ?? '';
  const hit = m.isRegex ? Boolean(anchored(m.value)?.test(have)) : have === m.value;
  return m.isEqual === false ? !hit : hit;
}

/** True when every matcher of the silence matches the labels (a silence without matchers covers nothing). */
export function silenceMatches(s: Pick<AmSilence, 'matchers'>, labels: Record<string, string>): boolean {
  return s.matchers.length > 0 && s.matchers.every((m) => matcherMatches(m, labels));
}

/** A matcher as Alertmanager writes it: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`. */
export function matcherText(m: AmMatcher): string {
  const negated = m.isEqual === false;
  const op = m.isRegex ? (negated ? '!~' : '=~') : negated ? '!=' : '=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

function isSilence(x: unknown): x is AmSilence {
  const s = x as AmSilence;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    typeof s.endsAt === 'string' &&
    Array.isArray(s.matchers) &&
    s.matchers.every((m) => typeof m?.name === 'string' && typeof m?.value === 'string')
  );
}

export interface AlertmanagerSilencesDeps {
  /** Alertmanager's base URL (e.g. http://alertmanager:9093); without it, there are no silences to read. */
  url?: string | undefined;
  logger: Logger;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type AlertmanagerSilences = ReturnType<typeof createAlertmanagerSilences>;

/** The reader of Alertmanager's active silences. */
export function createAlertmanagerSilences(deps: AlertmanagerSilencesDeps) {
  const doFetch = deps.fetch ?? fetch;
  const base = deps.url?.replace(/\/+$/, '');
  let inflight: Promise<AmSilence[]> | null = null;

  async function load(): Promise<AmSilence[]> {
    try {
      const res = await doFetch(`${base}/api/v2/silences`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(deps.timeoutMs ?? 3000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as unknown;
      if (!Array.isArray(body)) throw new Error('not a list of silences');
      return body.filter(isSilence).filter((s) => s.status?.state === 'active');
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message, url: base }, 'Alertmanager silences not read; cards show none');
      return [];
    }
  }

  /** The active silences (none when no URL is configured or Alertmanager cannot be read). */
  function active(): Promise<AmSilence[]> {
    if (!base) return Promise.resolve([]);
    inflight ??= load().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  /** The active silence covering these labels that ends last, if any. */
  async function covering(labels: Record<string, string>): Promise<AmSilence | null> {
    const hits = (await active()).filter((s) => silenceMatches(s, labels));
    return hits.sort((a, b) => Date.parse(b.endsAt) - Date.parse(a.endsAt))[0] ?? null;
  }

  return { configured: Boolean(base), active, covering };
}
