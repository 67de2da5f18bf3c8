/**
 * Hostile text against every POST route of a real deployment (1 http + 2 worker roles): Slack
 * events and slash commands (signed), the Telegram webhook (with its secret), Alertmanager,
 * GitHub (signed), deploy, tickets, process runs and document uploads, each with NUL, lone
 * surrogates, zero-width-only strings, 5,000 emoji, RTL overrides, and raw invalid UTF-8 bytes.
 * Prints the status codes by route. Fails on any 5xx or connection error, a ticket answered 2xx
 * that is not stored (or stored for a 4xx: half-written), an alert group answered 2xx and not
 * stored, or a deployment not ready (or a process gone) afterwards.
 *   node --import tsx bench/chaos/hostile-text.ts
 */
import { createHmac, randomUUID } from 'node:crypto';
import { amPayload } from '../../test/helpers/alert-app.ts';
import { request, startDeployment, tally } from '../../test/helpers/a2d2-procs.ts';
import { eventCallbackBody, signSlackRequest, slashCommandBody } from '../../test/helpers/fake-slack.ts';
import { privateTextUpdate } from '../../test/helpers/telegram-updates.ts';
import { sleep } from '../../test/helpers/wait.ts';

const started = Date.now();
const tag = randomUUID().slice(0, 6);
const texts: Record<string, string> = {
  nul: `before\u0000after ${tag}`,
  surrogates: `lone \uD800 high and \uDC00 low ${tag}`,
  zeroWidth: '\u200B\u200C\u200D\u2060\uFEFF',
  emoji: '🔥'.repeat(5_000),
  rtl: `\u202Egnp.exe\u202C ${tag} \u2067isolate\u2069`,
  controls: `\u0001\u0007\u001B[31m ${tag}`,
};
// Raw bytes that are not UTF-8 at all (a truncated sequence, an overlong form, 0xFF).
const BAD_BYTES = Buffer.from([0x61, 0xc3, 0x28, 0xe2, 0x82, 0xc0, 0xaf, 0xff, 0xfe]);

const dep = await startDeployment({ name: 'hostile', ownDatabase: true, yaml: { http: { rateLimitPerMinute: 1_000_000 }, alerts: { routes: [{ match: { service: 'checkout-am' }, destinations: [`slack:CHOS${tag}`] }] } } });
let exitCode = 1;
try {
  const base = dep.http[0]!.url;
  const byRoute = new Map<string, (number | string)[]>();
  const problems: string[] = [];
  const ticketAnswers: { kind: string; status: number | string; id?: number }[] = [];
  const groups: string[] = [];
  const send = async (route: string, kind: string, url: string, body: Buffer | string, headers: Record<string, string>) => {
    const r = await request(`${base}${url}`, { method: 'POST', body, headers });
    byRoute.set(route, [...(byRoute.get(route) ?? []), r.status]);
    if (typeof r.status === 'string' || r.status >= 500) problems.push(`${route} ${kind}: ${r.status} ${r.body.slice(0, 200)}`);
    return r;
  };
  const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
  const cases: [string, (s: string) => string | Buffer][] = [
    ...Object.entries(texts).map(([k, v]): [string, (s: string) => string] => [k, () => v]),
    ['invalidUtf8', () => 'BAD'],
  ];
  // Invalid UTF-8 goes where the text would be, as raw bytes, the way a broken client sends it.
  const encode = (kind: string, obj: unknown): string | Buffer => {
    const text = JSON.stringify(obj);
    if (kind !== 'invalidUtf8') return text;
    const [a, b] = text.split('BAD') as [string, string];
    return Buffer.concat([Buffer.from(a), BAD_BYTES, Buffer.from(b ?? '')]);
  };
  for (const [kind, pick] of cases) {
    const s = String(pick(kind));
    const ch = `CHT${tag.toUpperCase()}`;
    // Slack: a message event and a slash command, both signed over the exact bytes sent.
    const ev = encode(kind, eventCallbackBody({ type: 'message', channel: ch, user: 'U0001', text: s, ts: `${Date.now() / 1000}`, channel_type: 'channel' }));
    await send('slack events', kind, '/slack/events', ev, { 'content-type': 'application/json', ...signSlackRequest(dep.slackSecret, ev.toString()) });
    const cmd = kind === 'invalidUtf8' ? Buffer.concat([Buffer.from(slashCommandBody({ command: '/a2d2', text: 'ticket P3 ', channel: ch })), BAD_BYTES]) : slashCommandBody({ command: '/a2d2', text: `ticket P3 ${s}`, channel: ch });
    await send('slack commands', kind, '/slack/events', cmd, { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(dep.slackSecret, cmd.toString('latin1')) });
    await send('telegram', kind, '/telegram/webhook', encode(kind, privateTextUpdate(424242, s)), { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': dep.tgSecret });
    const am = await send('alertmanager', kind, '/webhooks/alertmanager', encode(kind, { ...amPayload(`{}:{alertname="H${tag}${kind}"}`, 'firing', { pod: s }), commonAnnotations: { summary: s } }), json(dep.amToken));
    if (am.status === 202) groups.push((JSON.parse(am.body) as { groupId: string }).groupId);
    const gh = encode(kind, { action: 'created', deployment_status: { state: 'success', description: s, environment: s }, deployment: { id: 1, sha: 'abc', ref: s, environment: s }, repository: { full_name: `org/${s}` } });
    const sig = `sha256=${createHmac('sha256', dep.githubSecret).update(gh).digest('hex')}`;
    await send('github', kind, '/webhooks/github', gh, { 'content-type': 'application/json', 'x-hub-signature-256': sig, 'x-github-event': 'deployment_status', 'x-github-delivery': `${tag}-${kind}` });
    await send('deploy', kind, '/webhooks/deploy', encode(kind, { service: s, version: s, status: 'success', actor: s }), json(dep.apiToken));
    const tk = await send('tickets', kind, '/api/v1/tickets', encode(kind, { title: s, description: s, component: s, reporter: s, severity: 'P3' }), { ...json(dep.apiToken), 'idempotency-key': `hostile-${tag}-${kind}` });
    ticketAnswers.push({ kind, status: tk.status, ...(tk.status === 201 ? { id: (JSON.parse(tk.body) as { ticket: { id: number } }).ticket.id } : {}) });
    await send('process runs', kind, '/api/v1/processes/smoke-test/runs', encode(kind, { inputs: { url: s }, dryRun: true }), json(dep.apiToken));
    // A document: the hostile text as the file's name and its contents.
    const boundary = `----hostile${tag}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${kind === 'invalidUtf8' ? 'BAD' : s.replace(/"/g, '')}.txt"\r\nContent-Type: text/plain\r\n\r\n`;
    const doc = Buffer.concat([Buffer.from(head.replace('BAD', '')), ...(kind === 'invalidUtf8' ? [BAD_BYTES] : [Buffer.from(s)]), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    await send('documents', kind, '/api/v1/documents', doc, { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${dep.apiToken}` });
  }
  // Let the workers take what the routes queued (Slack and Telegram messages, the slash tickets).
  await sleep(10_000);
  for (const t of ticketAnswers) {
    const key = `api:hostile-${tag}-${t.kind}`;
    const rows = (await dep.db.query<{ id: number; title: string }>(`SELECT id, title FROM "Ticket" WHERE "sourceKey" = $1`, [key])).rows;
    if (t.status === 201 && rows.length !== 1) problems.push(`tickets ${t.kind}: 201 but ${rows.length} rows`);
    if (typeof t.status === 'number' && t.status >= 400 && rows.length) problems.push(`tickets ${t.kind}: ${t.status} but a row was written`);
    if (rows[0] && !rows[0].title.trim()) problems.push(`tickets ${t.kind}: stored with an empty title`);
  }
  const stored = (await dep.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [groups])).rows[0]!.n;
  if (stored !== groups.length) problems.push(`alertmanager: ${groups.length} accepted, ${stored} stored`);
  const ready = await request(`${base}/readyz`);
  if (ready.status !== 200) problems.push(`readyz ${ready.status} afterwards`);
  const gone = [...dep.http, ...dep.workers].filter((p) => !p.alive()).map((p) => p.name);
  if (gone.length) problems.push(`processes gone: ${gone.join(', ')}`);
  for (const p of problems) console.error(p);
  console.log(
    `hostile text (${cases.map(([k]) => k).join(', ')}): ${[...byRoute.entries()].map(([r, s]) => `${r} ${tally(s)}`).join('; ')}  ` +
      `problems ${problems.length}  readyz ${ready.status}  ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  exitCode = problems.length ? 1 : 0;
  await dep.db.query(`DELETE FROM "Ticket" WHERE "sourceKey" LIKE $1 OR title LIKE $2`, [`api:hostile-${tag}-%`, `%${tag}%`]);
  await dep.db.query(`DELETE FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [groups]);
} finally {
  await dep.close();
}
process.exit(exitCode);
