/**
 * The audit log: every command and button press, with who, where, what and how it ended.
 */
import type { Db } from '../db.ts';

export type AuditOutcome = 'ok' | 'denied' | 'invalid' | 'error' | 'cancelled' | 'proposed';

export interface AuditEntry {
  userId?: string | null;
  platform: string;
  chatId?: string | null;
  /** 'command:ticket.create', 'action:ticket.ack', 'api:tickets.create'. */
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
}

export interface AuditService {
  record(entry: AuditEntry): Promise<void>;
}

/** The row of an entry. */
function rowOf(e: AuditEntry) {
  return {
    userId: e.userId ?? null,
    platform: e.platform,
    chatId: e.chatId ?? null,
    action: e.action,
    target: e.target ?? null,
    outcome: e.outcome,
    ...(e.detail ? { detail: e.detail as object } : {}),
  };
}

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Builds the audit log. Entries recorded in the same tick (concurrent commands on the inbound
 * workers) are written by one multi-row insert; each `record` still resolves only once its own
 * row is stored. Should a batch fail, its rows are retried one by one so that one bad entry
 * fails only its own caller.
 */
export function createAuditService(db: Db): AuditService {
  let batch: Pending[] | null = null;

  async function flush(items: Pending[]): Promise<void> {
    try {
      await db.auditLog.createMany({ data: items.map((p) => rowOf(p.entry)) });
      for (const p of items) p.resolve();
    } catch (err) {
      if (items.length === 1) return items[0]!.reject(err);
      await Promise.all(items.map((p) => flush([p])));
    }
  }

  return {
    record(entry) {
      return new Promise<void>((resolve, reject) => {
        if (!batch) {
          const items: Pending[] = [];
          batch = items;
          setImmediate(() => {
            batch = null;
            void flush(items);
          });
        }
        batch.push({ entry, resolve, reject });
      });
    },
  };
}
