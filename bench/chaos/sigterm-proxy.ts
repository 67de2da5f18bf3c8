/**
 * Chaos run of a rolling restart behind a load balancer: two http roles (shutdown.drain 3s) and
 * one worker, behind a small round-robin HTTP proxy in this script that checks /readyz every
 * 500 ms and stops routing to a backend that answers anything but 200. Under a steady stream of
 * signed Slack slash commands (`/a2d2 ticket P3 ...`, each from its own channel) and
 * Alertmanager webhooks, one http role gets SIGTERM, exits, and is started again on its port;
 * then the other. Senders do not retry: what they see is what the restart cost them.
 * Counts: connection errors the proxy had to pass on (502), webhooks answered 2xx vs stored,
 * commands acked vs answered exactly once (one ticket and one confirmation in its channel),
 * and the exit codes of the terminated roles. Exits 1 when any of those is off.
 *   node --import tsx bench/chaos/sigterm-proxy.ts
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { amPayload } from '../../test/helpers/alert-app.ts';
import { jsonPost, request, slashCommand, startDeployment, tally, type A2d2Proc } from '../../test/helpers/a2d2-procs.ts';
import { freePort } from '../../test/helpers/ports.ts';
import { sleep, waitFor } from '../../test/helpers/wait.ts';

const started = Date.now();
const tag = randomUUID().slice(0, 6).toUpperCase();
const dep = await startDeployment({
  name: 'sigterm-proxy',
  http: 2,
  workers: 1,
  yaml: {
    shutdown: { drain: '3s', graceMs: 5000 },
    http: { rateLimitPerMinute: 1_000_000 },
    // The confirmations go to hundreds of channels: Slack's global pace is not what is measured.
    outbound: { limits: { slack: { global: { count: 200, windowMs: 1000 } } } },
  },
});

interface Backend {
  proc: A2d2Proc;
  healthy: boolean;
}
const backends: Backend[] = dep.http.map((proc) => ({ proc, healthy: true }));
let proxyErrors = 0;
let noBackend = 0;
let rr = 0;
const forward = (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const healthy = backends.filter((b) => b.healthy);
    if (!healthy.length) {
      noBackend++;
      res.writeHead(503).end();
      return;
    }
    const b = healthy[rr++ % healthy.length]!;
    const up = httpRequest(
      { host: '127.0.0.1', port: b.proc.port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' } },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    // A refused or reset connection is what the load balancer passes on as a 502.
    up.on('error', () => {
      proxyErrors++;
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    up.end(Buffer.concat(chunks));
  });
};
const lbPort = await freePort();
const lb = createServer(forward);
await new Promise<void>((r) => lb.listen(lbPort, '127.0.0.1', () => r()));
let checking = true;
const checker = (async () => {
  while (checking) {
    await Promise.all(
      backends.map(async (b) => {
        const r = await request(`${b.proc.url}/readyz`, { timeoutMs: 450 });
        b.healthy = r.status === 200;
      }),
    );
    await sleep(500);
  }
})();

let exitCode = 1;
try {
  const base = `http://127.0.0.1:${lbPort}`;
  const commands: { i: number; status: number | string }[] = [];
  const hooks: { status: number | string; groupId?: string }[] = [];
  let stop = false;
  let n = 0;
  const channel = (i: number) => `CST${tag}${i}`;
  const commandSender = async () => {
    while (!stop) {
      const i = n++;
      const r = await request(`${base}/slack/events`, slashCommand(dep, `ticket P3 Profile photo upload fails ${i} s${tag}`, channel(i), `${Date.now()}.s${tag}${i}`)());
      commands.push({ i, status: r.status });
      await sleep(100);
    }
  };
  const hookSender = async () => {
    while (!stop) {
      const i = n++;
      const r = await request(`${base}/webhooks/alertmanager`, jsonPost(dep.amToken, amPayload(`{}:{alertname="Term${tag}",n="${i}"}`, 'firing'))());
      hooks.push({ status: r.status, ...(r.status === 202 ? { groupId: (JSON.parse(r.body) as { groupId: string }).groupId } : {}) });
      await sleep(100);
    }
  };
  const exits: (number | null)[] = [];
  const restarts = (async () => {
    await sleep(4_000);
    for (const k of [0, 1]) {
      const b = backends[k]!;
      const code = await b.proc.stop('SIGTERM');
      exits.push(code);
      b.healthy = false;
      b.proc = await dep.start('http', b.proc.port);
      await waitFor(() => b.healthy, `backend ${k} back in rotation`, 30_000, 100);
      await sleep(3_000);
    }
    stop = true;
  })();
  await Promise.all([commandSender(), commandSender(), hookSender(), restarts]);

  // Settling: the worker answers every acked command, or the bound runs out.
  const acked = commands.filter((c) => c.status === 200);
  const answers = (i: number) => dep.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel(i)).length;
  await waitFor(() => acked.every((c) => answers(c.i) >= 1), 'every acked command answered', 90_000, 500).catch(() => null);
  await sleep(3_000);
  const ticketsBy = new Map<number, number>();
  for (const r of (await dep.db.query<{ title: string }>(`SELECT title FROM "Ticket" WHERE title LIKE $1`, [`%s${tag}`])).rows) {
    const i = Number(/fails (\d+) s/.exec(r.title)?.[1]);
    ticketsBy.set(i, (ticketsBy.get(i) ?? 0) + 1);
  }
  const once = acked.filter((c) => answers(c.i) === 1 && ticketsBy.get(c.i) === 1).length;
  const unanswered = acked.filter((c) => answers(c.i) === 0 || !ticketsBy.has(c.i)).length;
  const twice = acked.filter((c) => answers(c.i) > 1 || (ticketsBy.get(c.i) ?? 0) > 1).length;
  const ok202 = hooks.filter((h) => h.groupId);
  const stored = (await dep.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [ok202.map((h) => h.groupId)])).rows[0]!.n;
  const refusedToSender = [...commands, ...hooks].filter((x) => typeof x.status === 'string' || x.status === 502).length;
  const not2xx = [...commands, ...hooks].filter((x) => x.status !== 200 && x.status !== 202).length;
  console.log(
    `commands ${commands.length} (${tally(commands.map((c) => c.status))}) answered once ${once} unanswered ${unanswered} twice ${twice}  ` +
      `webhooks ${hooks.length} (${tally(hooks.map((h) => h.status))}) 2xx ${ok202.length} stored ${stored}  ` +
      `connection errors passed to the sender ${refusedToSender} (proxy upstream errors ${proxyErrors}, no healthy backend ${noBackend})  non-2xx ${not2xx}  ` +
      `SIGTERM exit codes ${exits.join(',')}  ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  exitCode = refusedToSender || not2xx || unanswered || twice || stored < ok202.length || exits.some((c) => c !== 0) ? 1 : 0;
  await dep.db.query(`DELETE FROM "Ticket" WHERE title LIKE $1`, [`%s${tag}`]);
  await dep.db.query(`DELETE FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [ok202.map((h) => h.groupId)]);
} finally {
  checking = false;
  await checker;
  lb.close();
  await dep.close();
}
process.exit(exitCode);
