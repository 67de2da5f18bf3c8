/**
 * A worker process for the "killed mid-pipeline" test: it runs the real app in the worker
 * role with a file fetcher that never answers, prints "FETCHING" when the download starts,
 * and waits to be killed (SIGKILL) by the test.
 */
import { startTestApp } from './app.ts';
import type { YamlConfig } from '../../services/config.ts';

const env = JSON.parse(process.env.DOC_KILL_ENV ?? '{}') as Record<string, string>;
const yaml = JSON.parse(process.env.DOC_KILL_YAML ?? '{}') as Partial<YamlConfig>;

await startTestApp({
  env,
  yaml,
  role: 'worker',
  modules: [
    {
      name: 'hanging-fetcher',
      fileFetcher: {
        platform: 'terminal',
        fetch: () => {
          process.stdout.write('FETCHING\n');
          return new Promise<Buffer>(() => {});
        },
      },
    },
  ],
});
process.stdout.write('READY\n');
