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

export function createAuditService(db: Db): AuditService {
  return {
    async record(e) {
      await db.auditLog.create({
        data: {
          userId: e.userId ?? null,
          platform: e.platform,
          chatId: e.chatId ?? null,
          action: e.action,
          target: e.target ?? null,
          outcome: e.outcome,
          ...(e.detail ? { detail: e.detail as object } : {}),
        },
      });
    },
  };
}
