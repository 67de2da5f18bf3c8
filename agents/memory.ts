/**
 * Per-thread memory for the assistant, in Postgres: the last exchanges verbatim and a summary
 * of older ones. When the verbatim part grows past its limit, the older half is folded into
 * the summary (by the model on the fast route; without one, by keeping the first lines).
 */
import type { Db } from '../services/db.ts';
import type { Logger } from '../services/logger.ts';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmService } from './llm.service.ts';
import { DATA_RULE, quote } from './safety.ts';

/** One remembered turn. */
export interface MemoryTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ConversationMemoryStore {
  /** Prompt messages for a thread: its summary (as quoted data) and recent turns. */
  promptMessages(conversationId: string): Promise<ChatCompletionMessageParam[]>;
  /** Remembers one exchange and summarises when the thread grew long. */
  remember(conversationId: string, turns: MemoryTurn[], scope: { workspaceKey: string; userId?: string }): Promise<void>;
}

const MAX_TURN_CHARS = 4_000;
const MAX_SUMMARY_CHARS = 6_000;

export function createMemoryStore(deps: { db: Db; llm: LlmService; logger: Logger; maxMessages: number }): ConversationMemoryStore {
  const { db, llm, logger, maxMessages } = deps;

  async function summarise(previous: string, turns: MemoryTurn[], scope: { workspaceKey: string; userId?: string }): Promise<string> {
    const transcript = turns.map((t) => `${t.role}: ${t.content}`).join('\n');
    if (llm.configured) {
      try {
        const r = await llm.chat({
          route: 'fast',
          purpose: 'memory',
          ...scope,
          maxTokens: 600,
          messages: [
            { role: 'system', content: `Summarise a chat for later context in at most 10 short bullet points: facts, decisions, open items, ids mentioned. ${DATA_RULE}` },
            { role: 'user', content: `${quote('memory:previous-summary', previous)}\n${quote('memory:transcript', transcript)}` },
          ],
        });
        if (r.message.content) return r.message.content.slice(0, MAX_SUMMARY_CHARS);
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'memory summary failed; keeping an extract');
      }
    }
    // Without a model: keep the first line of each turn, newest last, within the cap.
    const extract = [previous, ...turns.map((t) => `${t.role}: ${t.content.split('\n')[0]?.slice(0, 200)}`)].filter(Boolean).join('\n');
    return extract.slice(-MAX_SUMMARY_CHARS);
  }

  return {
    async promptMessages(conversationId) {
      const row = await db.conversationMemory.findUnique({ where: { conversationId } });
      if (!row) return [];
      const out: ChatCompletionMessageParam[] = [];
      if (row.summary) out.push({ role: 'user', content: `Earlier in this conversation (summary):\n${quote('memory:summary', row.summary)}` });
      for (const t of (row.messages as unknown as MemoryTurn[]) ?? []) {
        // Earlier user turns are quoted too: only the current request gives instructions.
        out.push(t.role === 'user' ? { role: 'user', content: quote('memory:earlier-user-message', t.content) } : { role: 'assistant', content: t.content });
      }
      return out;
    },
    async remember(conversationId, turns, scope) {
      const clipped = turns.map((t) => ({ role: t.role, content: t.content.slice(0, MAX_TURN_CHARS) }));
      const row = await db.conversationMemory.findUnique({ where: { conversationId } });
      let messages = [...(((row?.messages as unknown as MemoryTurn[]) ?? []) as MemoryTurn[]), ...clipped];
      let summary = row?.summary ?? '';
      if (messages.length > maxMessages) {
        const cut = messages.length - Math.floor(maxMessages / 2);
        summary = await summarise(summary, messages.slice(0, cut), scope);
        messages = messages.slice(cut);
      }
      await db.conversationMemory.upsert({
        where: { conversationId },
        create: { conversationId, summary, messages: messages as unknown as object },
        update: { summary, messages: messages as unknown as object },
      });
    },
  };
}
