/**
 * The deploy targets under deploy/ agree with the code they run: the Dockerfile (build stage
 * runs `npm run build`, runtime node:20-slim with production dependencies and dist/ only, not
 * root, HEALTHCHECK on /healthz, the service's node flags), .dockerignore, compose.yaml,
 * the systemd units and the Kubernetes manifests. Every environment variable they set is one
 * services/config.ts reads, every role is one `a2d2 start --role` takes, the probe paths
 * answer through the real HTTP server, and every stop timeout covers the drain and grace of
 * the default config. `systemd-analyze verify` runs when the machine has it; `docker build`
 * only when a daemon answers and the base image is already there (nothing is pulled).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse, parseAllDocuments } from 'yaml';
import { envSchema, yamlSchema } from '../../services/config.ts';
import { durationMs } from '../../services/duration.ts';
import { createLogger } from '../../services/logger.ts';
import { createMetrics } from '../../services/metrics.ts';
import { Queues } from '../../services/queues.ts';
import { buildServer } from '../../bot/http/server.ts';
import { NODE_FLAGS, SERVICE_ENV } from '../../scripts/dist.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Variables of the environment that are not a2d2's settings (runtime and image tuning). */
const NOT_CONFIG = new Set(['MALLOC_ARENA_MAX', ...Object.keys(SERVICE_ENV)]);
const CONFIG_VARS = new Set(Object.keys(envSchema.shape));

function assertKnownVars(where: string, names: string[]): void {
  const unknown = names.filter((n) => !CONFIG_VARS.has(n) && !NOT_CONFIG.has(n));
  assert.deepEqual(unknown, [], `${where} sets variables services/config.ts does not read`);
}

/** The roles `a2d2 start --role` takes, from the CLI's own usage text. */
function cliRoles(): string[] {
  const m = /start \[--role ([a-z|]+)\]/.exec(read('bot/main.ts'));
  assert.ok(m, 'bot/main.ts usage names the roles');
  return m[1]!.split('|');
}

/** How long a process may take to stop after SIGTERM with the default config (bot/main.ts's deadline). */
const shutdown = yamlSchema.parse({}).shutdown;
const DRAIN_S = durationMs(shutdown.drain) / 1000;
const HTTP_STOP_S = DRAIN_S + shutdown.graceMs / 1000 + 5;
const WORKER_STOP_S = shutdown.graceMs / 1000 + 5;

const seconds = (v: string) => durationMs(v as never) / 1000;

interface DockerStage {
  from: string;
  lines: string[];
}

function dockerStages(): DockerStage[] {
  const text = read('deploy/Dockerfile').replace(/\\\n/g, ' ');
  const stages: DockerStage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (/^FROM /i.test(line)) stages.push({ from: line.slice(5).trim(), lines: [] });
    else stages.at(-1)!.lines.push(line);
  }
  return stages;
}

test('Dockerfile: a build stage that runs npm run build; a node:20-slim runtime with production dependencies and dist/ only, not root, HEALTHCHECK on /healthz, the CLI as entrypoint', () => {
  const [build, runtime, ...more] = dockerStages();
  assert.ok(build && runtime && more.length === 0, 'two stages');
  assert.match(build.from, /^node:20\S* AS build$/);
  assert.ok(build.lines.includes('RUN npm run build'), 'the build stage compiles with the project\'s build script');
  assert.ok(JSON.parse(read('package.json')).scripts.build, 'package.json has a build script');
  assert.equal(runtime.from, 'node:20-slim');
  const run = runtime.lines.join('\n');
  assert.match(run, /^RUN npm ci --omit=dev\b/m);
  assert.match(run, /^COPY --from=build \/app\/dist \.\/dist$/m);
  assert.doesNotMatch(run, /^COPY (?!--from=build|package\.json package-lock\.json)/m, 'the runtime copies nothing but the manifests and dist/');
  const user = /^USER (\S+)$/m.exec(run)?.[1];
  assert.ok(user && user !== 'root' && user !== '0', 'runs as a non-root user');
  assert.match(run, /^HEALTHCHECK .*\/healthz/m);
  const entry = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(run)?.[1] ?? '[]') as string[];
  assert.deepEqual(entry.slice(0, 3), ['/usr/bin/tini', '--', 'node'], 'an init process runs node');
  assert.equal(entry.at(-1), 'dist/main.js');
  for (const flag of NODE_FLAGS) assert.ok(entry.includes(flag), `ENTRYPOINT has ${flag}`);
  const envs = [...run.matchAll(/^ENV (.+)$/gm)].flatMap((m) => m[1]!.split(/\s+/).map((kv) => kv.split('=') as [string, string]));
  for (const [k, v] of Object.entries(SERVICE_ENV)) assert.ok(envs.some(([a, b]) => a === k && b === v), `ENV ${k}=${v}`);
  assertKnownVars('deploy/Dockerfile', envs.map(([k]) => k));
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(run)?.[1] ?? '[]') as string[];
  assert.equal(cmd[0], 'start');
  assert.ok(cliRoles().includes(cmd[2]!), `CMD role ${cmd[2]}`);
});

test('.dockerignore keeps the host\'s node_modules, dist, secrets and data out, and every path the build copies in', () => {
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const must of ['node_modules', 'dist', 'generated', '.env', 'data', '.git']) assert.ok(ignored.includes(must), `.dockerignore has ${must}`);
  const [build] = dockerStages();
  const copied = build!.lines.filter((l) => l.startsWith('COPY ')).flatMap((l) => l.split(/\s+/).slice(1, -1));
  for (const path of copied) {
    assert.ok(existsSync(join(ROOT, path)), `COPY ${path}: exists`);
    assert.ok(!ignored.some((i) => path === i || path.startsWith(`${i}/`)), `COPY ${path}: not ignored`);
  }
});

type ComposeService = { command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; stop_grace_period?: string; healthcheck?: { disable?: boolean; test?: string[] }; volumes?: string[]; image?: string; build?: { context: string; dockerfile: string } };

test('compose.yaml: PostgreSQL, Redis with the AOF and noeviction, migrations once before the http and worker roles, nginx with the shipped site', () => {
  const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
  const s = compose.services;
  assert.deepEqual(Object.keys(s).sort(), ['http', 'migrate', 'nginx', 'postgres', 'redis', 'worker']);
  const redis = s.redis!.command!.join(' ');
  assert.match(redis, /--appendonly yes/);
  assert.match(redis, /--maxmemory-policy noeviction/);
  assert.deepEqual(s.migrate!.command, ['migrate']);
  assert.equal(s.migrate!.depends_on?.postgres?.condition, 'service_healthy');
  for (const role of ['http', 'worker']) {
    const svc = s[role]!;
    assert.deepEqual(svc.command, ['start', '--role', role]);
    assert.ok(cliRoles().includes(role));
    assert.equal(svc.depends_on?.migrate?.condition, 'service_completed_successfully', `${role} waits for the migrations`);
    assert.ok(seconds(svc.stop_grace_period ?? '10s') >= (role === 'http' ? HTTP_STOP_S : WORKER_STOP_S), `${role} stop_grace_period covers the drain and grace`);
    assert.equal(svc.build?.dockerfile, 'deploy/Dockerfile');
    assert.ok(existsSync(join(ROOT, 'deploy', svc.build!.context, svc.build!.dockerfile)));
  }
  assert.equal(s.worker!.environment?.METRICS_PORT, '9464', 'a worker listens on METRICS_PORT only');
  assert.match((s.worker!.healthcheck?.test ?? []).join(' '), /process\.env\.METRICS_PORT\+'\/healthz'/, "the worker's check asks its own listener");
  for (const name of ['migrate', 'http', 'worker']) {
    const env = s[name]!.environment ?? {};
    assertKnownVars(`compose ${name}`, Object.keys(env));
    assert.ok(env.DATABASE_URL?.includes('@postgres:') && env.REDIS_URL?.includes('//redis:'), `${name} reaches the compose stores`);
  }
  // nginx runs deploy/nginx/a2d2.conf with its upstream lines rewritten: they must still be there.
  const nginx = s.nginx!;
  assert.ok(nginx.volumes?.some((v) => v.startsWith('./nginx/a2d2.conf:')));
  const script = nginx.command!.join(' ');
  const site = read('deploy/nginx/a2d2.conf');
  for (const m of script.matchAll(/'(?:s|)\/([^/]+)\//g)) {
    const pattern = m[1]!.replace(/\\\./g, '.');
    assert.ok(site.includes(pattern), `the site still has "${pattern}" for compose to rewrite`);
  }
});

type Doc = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
type Container = {
  args: string[];
  env?: { name: string; value: string }[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet: { path: string; port: string } };
  livenessProbe?: { httpGet: { path: string; port: string } };
  startupProbe?: { httpGet: { path: string; port: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
  resources?: { requests?: unknown; limits?: unknown };
};
type PodSpec = { terminationGracePeriodSeconds?: number; securityContext?: { runAsNonRoot?: boolean }; containers: Container[]; restartPolicy?: string };

function k8sDocs(): Doc[] {
  const dir = join(ROOT, 'deploy/k8s');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => {
        assert.deepEqual(d.errors, [], `${f} parses`);
        return d.toJS() as Doc;
      }),
    );
}

const podOf = (d: Doc) => (d.spec.template as { spec: PodSpec }).spec;

/** The probe paths of the manifests, answered by the real server (its own routes, no database). */
async function probeAnswers(paths: string[]): Promise<Record<string, number>> {
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) as never });
  const queues = new Queues({ redisUrl: 'redis://127.0.0.1:1', prefix: 'deploy-assets', logger });
  const app = await buildServer({
    logger,
    metrics: createMetrics({ defaults: false }),
    queues,
    health: { check: async () => ({ db: true, redis: true }) } as never,
    modules: [],
    http: { bodyLimitBytes: 1024, requestTimeoutMs: 1000, rateLimitPerMinute: 100, webhookAuthFailuresPerMinute: 10, readinessTimeoutMs: 500 },
    isShuttingDown: () => false,
  });
  try {
    const out: Record<string, number> = {};
    for (const path of paths) out[path] = (await app.inject({ method: 'GET', url: path })).statusCode;
    return out;
  } finally {
    await app.close();
    queues.producer.disconnect();
  }
}

test('Kubernetes: a Deployment per role, readiness /readyz and liveness /healthz on the http role (answered by the server), preStop and a grace period covering the drain, a migration Job', async () => {
  const docs = k8sDocs();
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const roleOf = (d: Doc) => podOf(d).containers[0]!.args;
  assert.deepEqual(deployments.map((d) => roleOf(d).join(' ')).sort(), ['start --role http', 'start --role worker']);
  for (const d of deployments) {
    const pod = podOf(d);
    const c = pod.containers[0]!;
    assert.ok(cliRoles().includes(c.args[2]!));
    assert.equal(pod.securityContext?.runAsNonRoot, true, `${d.metadata.name} runs as non-root`);
    assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
    assert.equal(c.securityContext?.readOnlyRootFilesystem, true);
    assert.ok(c.resources?.requests && c.resources.limits, `${d.metadata.name} has resources`);
    assertKnownVars(d.metadata.name, (c.env ?? []).map((e) => e.name));
    const preStop = c.lifecycle?.preStop?.exec?.command ?? [];
    const sleep = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    const needed = sleep + (c.args[2] === 'http' ? HTTP_STOP_S : WORKER_STOP_S);
    assert.ok((pod.terminationGracePeriodSeconds ?? 30) >= needed, `${d.metadata.name}: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} covers ${needed} s`);
    assert.ok(docs.some((p) => p.kind === 'PodDisruptionBudget' && p.metadata.name === d.metadata.name), `${d.metadata.name} has a PodDisruptionBudget`);
  }
  const http = podOf(deployments.find((d) => roleOf(d)[2] === 'http')!).containers[0]!;
  assert.equal(http.readinessProbe?.httpGet.path, '/readyz');
  assert.equal(http.livenessProbe?.httpGet.path, '/healthz');
  assert.ok(http.lifecycle?.preStop, 'the http role sleeps before SIGTERM so routing stops first');
  const port = http.ports?.find((p) => p.name === http.readinessProbe!.httpGet.port);
  assert.equal(String(port?.containerPort), http.env?.find((e) => e.name === 'PORT')?.value, 'the probes use the port the role listens on');
  const paths = [http.readinessProbe!, http.livenessProbe!, http.startupProbe!].map((p) => p.httpGet.path);
  const answers = await probeAnswers([...new Set(paths)]);
  for (const p of paths) assert.equal(answers[p], 200, `GET ${p} is a route of the server`);
  // The worker's liveness is its METRICS_PORT listener's /healthz (bot/http/worker-listener.ts).
  const worker = podOf(deployments.find((d) => roleOf(d)[2] === 'worker')!).containers[0]!;
  assert.equal(worker.livenessProbe?.httpGet.path, '/healthz');
  const metricsPort = worker.ports?.find((p) => p.name === worker.livenessProbe!.httpGet.port);
  assert.equal(String(metricsPort?.containerPort), worker.env?.find((e) => e.name === 'METRICS_PORT')?.value, 'the probe uses the port the worker listens on');
  assert.equal(worker.readinessProbe, undefined, 'no Service routes to a worker');
  const job = docs.find((d) => d.kind === 'Job');
  assert.deepEqual(job && podOf(job).containers[0]!.args, ['migrate']);
  assert.equal(job && podOf(job).restartPolicy, 'Never');
});

/** `[Section]` -> key -> values of a systemd unit (repeated keys keep every value). */
function unitFile(text: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1]!;
      out.set(section, new Map());
      continue;
    }
    const i = line.indexOf('=');
    const key = line.slice(0, i);
    const values = out.get(section)!;
    values.set(key, [...(values.get(key) ?? []), line.slice(i + 1)]);
  }
  return out;
}

const UNITS = ['a2d2-http.service', 'a2d2-worker.service', 'a2d2-migrate.service'];

test('systemd units: http and worker roles after a oneshot migration, stop timeouts covering the drain, hardened; systemd-analyze verify when present', (t) => {
  for (const name of UNITS) {
    const unit = unitFile(read(`deploy/systemd/${name}`));
    const svc = unit.get('Service')!;
    const exec = svc.get('ExecStart')![0]!.split(' ');
    assert.equal(exec[0], '/opt/a2d2/bin/a2d2.mjs');
    assert.ok(existsSync(join(ROOT, 'bin/a2d2.mjs')));
    const env = (svc.get('Environment') ?? []).flatMap((e) => e.split(/\s+/)).map((kv) => kv.split('=')[0]!);
    assertKnownVars(name, env);
    for (const key of ['NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'CapabilityBoundingSet', 'RestrictAddressFamilies']) assert.ok(svc.has(key), `${name} sets ${key}`);
    assert.notEqual(svc.get('User')?.[0], 'root');
    if (name === 'a2d2-migrate.service') {
      assert.equal(svc.get('Type')?.[0], 'oneshot');
      assert.deepEqual(exec.slice(1), ['migrate']);
      continue;
    }
    const role = exec[3]!;
    assert.deepEqual(exec.slice(1, 3), ['start', '--role']);
    assert.ok(cliRoles().includes(role) && name === `a2d2-${role}.service`);
    assert.match(unit.get('Unit')!.get('Requires')![0]!, /a2d2-migrate\.service/);
    assert.match(unit.get('Unit')!.get('After')![0]!, /a2d2-migrate\.service/);
    assert.ok(Number(svc.get('TimeoutStopSec')![0]) >= (role === 'http' ? HTTP_STOP_S : WORKER_STOP_S), `${name} TimeoutStopSec covers the drain and grace`);
  }
  if (spawnSync('sh', ['-c', 'command -v systemd-analyze']).status !== 0) {
    t.diagnostic('systemd-analyze is not installed: verify skipped');
    return;
  }
  // A copy where /opt/a2d2 is a directory holding an executable bin/a2d2.mjs (verify checks ExecStart exists).
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-units-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/a2d2.mjs'), '#!/bin/sh\n');
  chmodSync(join(dir, 'bin/a2d2.mjs'), 0o755);
  for (const name of UNITS) writeFileSync(join(dir, name), read(`deploy/systemd/${name}`).replaceAll('/opt/a2d2', dir));
  const verify = (units: string[]) => spawnSync('systemd-analyze', ['verify', ...units.map((u) => join(dir, u))], { encoding: 'utf8' });
  const ok = verify(UNITS);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stderr.trim(), '', `no warnings: ${ok.stderr}`);
  // The check can fail: a key it does not know is reported.
  writeFileSync(join(dir, 'broken.service'), read('deploy/systemd/a2d2-http.service').replaceAll('/opt/a2d2', dir).replace('KillSignal=', 'KilSignal='));
  assert.match(verify(['broken.service']).stderr, /Unknown key 'KilSignal'/);
});

test('docker build of deploy/Dockerfile, when a daemon answers and node:20-slim is already present (nothing is pulled)', (t) => {
  const daemon = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (daemon.status !== 0) {
    t.skip('no docker daemon on this machine: the static checks above stand for the build');
    return;
  }
  const base = spawnSync('docker', ['image', 'inspect', 'node:20-slim'], { encoding: 'utf8' });
  if (base.status !== 0) {
    t.skip('node:20-slim is not present locally and is not pulled here');
    return;
  }
  const built = spawnSync('docker', ['build', '--pull=false', '-f', 'deploy/Dockerfile', '-t', 'a2d2:deploy-assets-test', '.'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  assert.equal(built.status, 0, built.stderr.slice(-2000));
});
