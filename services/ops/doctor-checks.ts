/**
 * The list of `a2d2 doctor` checks for a target, in the order they are reported, and the host
 * check (disk space of the documents store). A check the configuration does not call for (a
 * platform that is not set up) is skipped with the reason.
 */
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { checkDestinations } from './doctor-destinations.ts';
import { resolveOcr } from '../documents/extract/ocr.engine.ts';
import { pdftoppmAvailable } from '../documents/extract/pdf.render.ts';
import { DoctorProblem, fail, ok, skipped, warn, type DoctorCheck, type DoctorFinding, type DoctorTarget } from './doctor.ts';
import { checkLlm, checkPublicUrl, checkSlack, checkTelegramMe, checkTelegramWebhook } from './doctor-platforms.ts';
import {
  checkClock,
  checkMigrations,
  checkPostgres,
  readRedisFacts,
  redisEvictionFinding,
  redisPersistenceFinding,
  redisVersionFinding,
  type RedisFacts,
} from './doctor-store.ts';

const GIB = 1024 ** 3;

function gib(bytes: number): string {
  return (bytes / GIB).toFixed(1);
}

/** The directory itself, or the nearest parent that exists (the store is created on first upload). */
async function existing(dir: string): Promise<string> {
  let at = resolve(dir);
  for (;;) {
    try {
      await access(at);
      return at;
    } catch {
      const up = dirname(at);
      if (up === at) return at;
      at = up;
    }
  }
}

/**
 * Free space where documents are stored: fail below two uploads of the largest size (an upload
 * would fail half-written), warn below 1 GiB or 5% of the file system. Fail when not writable.
 */
export async function checkDisk(documents: DoctorTarget['documents']): Promise<DoctorFinding> {
  const at = await existing(documents.dir);
  try {
    await access(at, constants.W_OK);
  } catch {
    return fail('doctor.disk.readOnly', { dir: at }, 'doctor.fix.disk.readOnly', { dir: at });
  }
  const fs = await statfs(at);
  const free = fs.bavail * fs.bsize;
  const total = fs.blocks * fs.bsize;
  const params = { dir: documents.dir, free: gib(free), total: gib(total) };
  if (free < 2 * documents.uploadLimitBytes) return fail('doctor.disk.low', params, 'doctor.fix.disk.low');
  if (free < GIB || free < total * 0.05) return warn('doctor.disk.low', params, 'doctor.fix.disk.low');
  return ok('doctor.disk.ok', params);
}

/**
 * The OCR engine the extractor will use (the native command, else tesseract.js) and the
 * configured languages it has data for: fail when it has none (images are refused), warn when
 * some are missing (their text is not read), and say which engine and renderer run.
 */
export function checkOcr(ocr: DoctorTarget['ocr']): DoctorFinding {
  const setup = resolveOcr({ ...ocr, langPath: ocr.path });
  const params = {
    engine: setup.engine === 'native' ? `${setup.command ?? 'tesseract'}` : setup.engine === 'js' ? `tesseract.js (${setup.dir ?? '-'})` : '-',
    renderer: pdftoppmAvailable() ? 'pdftoppm' : 'PDF.js',
    languages: ocr.languages.join(', '),
    found: setup.languages.join(', ') || '-',
    missing: setup.missing.join(', '),
    packages: setup.missing.map((l) => `tesseract-ocr-${l}`).join(' '),
    path: ocr.path ?? '-',
  };
  if (setup.missing.length === 0) return ok('doctor.ocr.ok', params);
  return (setup.languages.length ? warn : fail)('doctor.ocr.missing', params, 'doctor.fix.ocr', params);
}

/** One Redis connection serves the three Redis checks; the later two skip when it failed. */
function redisChecks(t: DoctorTarget): DoctorCheck[] {
  let facts: Promise<RedisFacts> | null = null;
  const read = (signal: AbortSignal) => (facts ??= readRedisFacts(t.redis, t.timeoutMs, signal));
  const dependent = (judge: (f: RedisFacts) => DoctorFinding) => async (signal: AbortSignal) => {
    try {
      return judge(await read(signal));
    } catch (err) {
      if (err instanceof DoctorProblem) return skipped('doctor.skip.redis');
      throw err;
    }
  };
  const fix = { key: 'doctor.fix.redis.unreachable' };
  return [
    { name: 'redis', run: async (s) => redisVersionFinding(await read(s)), timeoutFix: fix },
    { name: 'redis eviction', run: dependent(redisEvictionFinding), timeoutFix: fix },
    { name: 'redis persistence', run: dependent(redisPersistenceFinding), timeoutFix: fix },
  ];
}

function platformChecks(t: DoctorTarget): DoctorCheck[] {
  const { slack, telegram } = t;
  const notSet = (what: string) => ({ key: 'doctor.skip.notConfigured', params: { what } });
  return [
    slack
      ? { name: 'slack', run: (s) => checkSlack(slack, s), timeoutFix: { key: 'doctor.fix.slack.unreachable' } }
      : { name: 'slack', skip: notSet('SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN') },
    telegram
      ? { name: 'telegram', run: (s) => checkTelegramMe(telegram, s), timeoutFix: { key: 'doctor.fix.telegram.unreachable' } }
      : { name: 'telegram', skip: notSet('TELEGRAM_BOT_TOKEN') },
    telegram
      ? { name: 'telegram webhook', run: (s) => checkTelegramWebhook(telegram, s), timeoutFix: { key: 'doctor.fix.telegram.unreachable' } }
      : { name: 'telegram webhook', skip: notSet('TELEGRAM_BOT_TOKEN') },
    t.destinations.length
      ? { name: 'destinations', run: (s) => checkDestinations(t, t.destinations, s), timeoutFix: { key: 'doctor.fix.destinations' } }
      : { name: 'destinations', skip: { key: 'doctor.destinations.none' } },
    t.llm.length
      ? { name: 'llm', run: (s) => checkLlm(t.llm, s), timeoutFix: { key: 'doctor.fix.llm.unreachable' } }
      : { name: 'llm', skip: notSet('llm.providers, OPENAI_API_KEY, OPENAI_BASE_URL') },
  ];
}

/** Every check after the config's, in report order. */
export function doctorChecks(t: DoctorTarget): DoctorCheck[] {
  const pgFix = { key: 'doctor.fix.postgres.unreachable' };
  const publicUrl = t.publicUrl;
  return [
    { name: 'postgres', run: (s) => checkPostgres(t.databaseUrl, t.timeoutMs, s), timeoutFix: pgFix },
    { name: 'migrations', run: (s) => checkMigrations(t.databaseUrl, t.timeoutMs, s), timeoutFix: pgFix },
    { name: 'clock', run: (s) => checkClock(t.databaseUrl, t.timeoutMs, s), timeoutFix: pgFix },
    ...redisChecks(t),
    ...platformChecks(t),
    publicUrl
      ? { name: 'public url', run: (s) => checkPublicUrl(publicUrl, s), timeoutFix: { key: 'doctor.fix.public.unreachable' } }
      : { name: 'public url', skip: { key: 'doctor.skip.notConfigured', params: { what: '--public-url, A2D2_PUBLIC_URL, TELEGRAM_WEBHOOK_URL' } } },
    { name: 'disk', run: () => checkDisk(t.documents) },
    { name: 'ocr', run: async () => checkOcr(t.ocr) },
  ];
}
