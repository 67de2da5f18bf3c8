/**
 * A worker process for the outbound kill tests and the chaos bench: it runs the real app in
 * the worker role (the outbound sender and its recovery sweep), prints "READY", and sends
 * until it is killed (SIGKILL) by its parent.
 */
import { startTestApp } from './app.ts';
import type { YamlConfig } from '../../services/config.ts';

const env = JSON.parse(process.env.OUT_KILL_ENV ?? '{}') as Record<string, string>;
const yaml = JSON.parse(process.env.OUT_KILL_YAML ?? '{}') as Partial<YamlConfig>;

await startTestApp({ env, yaml, role: 'worker', keepRedis: true });
process.stdout.write('READY\n');
