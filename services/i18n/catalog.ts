/**
 * All message tables, merged. Each domain keeps its strings in catalog/<domain>.ts; add the
 * import and the spread here when you add a domain.
 */
import { core } from './catalog/core.ts';
import { documents } from './catalog/documents.ts';
import { alerts } from './catalog/alerts.ts';
import { agents } from './catalog/agents.ts';
import { telegram } from './catalog/telegram.ts';
import { tickets } from './catalog/tickets.ts';
import { processes } from './catalog/processes.ts';
import { ops } from './catalog/ops.ts';
import { webConsole } from './catalog/console.ts';
import { support } from './catalog/support.ts';
import { startup } from './catalog/startup.ts';
import { cli } from './catalog/cli.ts';
import { smoke } from './catalog/smoke.ts';

type Table = Record<string, string>;

function merge(...parts: { en: Table; ru: Table }[]): { en: Table; ru: Table } {
  const out = { en: {} as Table, ru: {} as Table };
  for (const p of parts) {
    Object.assign(out.en, p.en);
    Object.assign(out.ru, p.ru);
  }
  return out;
}

export const catalog = merge(core, telegram, agents, alerts, tickets, documents, processes, webConsole, ops, support, startup, cli, smoke);
