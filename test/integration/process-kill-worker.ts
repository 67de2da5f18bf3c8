/**
 * A worker process for the process kill tests (process-kills.test.ts, bench/chaos): the real
 * app in the worker role on the queue prefix and YAML it is given, printing READY once it
 * consumes jobs. The test SIGKILLs it at random moments.
 */
import { startTestApp } from '../helpers/app.ts';
import type { YamlConfig } from '../../services/config.ts';

const env = JSON.parse(process.env.PROC_KILL_ENV ?? '{}') as Record<string, string>;
const yaml = JSON.parse(process.env.PROC_KILL_YAML ?? '{}') as Partial<YamlConfig>;

await startTestApp({ env, yaml, role: 'worker', keepRedis: true });
process.stdout.write('READY\n');
