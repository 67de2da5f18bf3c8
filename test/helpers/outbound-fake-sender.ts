/**
 * A PlatformSender that records every call (with its time) and can be told to fail the next
 * calls, for the outbound sender's tests.
 */
import type { PlatformSender, PostOptions } from '../../services/messaging/outbound.service.ts';
import type { ConversationRef, Platform, Reply } from '../../services/messaging/types.ts';

/** One call the sender received. `error` is set when the call was made to fail. */
export interface FakeSendCall {
  op: 'post' | 'edit';
  ref: ConversationRef;
  reply: Reply;
  /** The id posted (new) or edited. */
  messageId: string;
  replyToMessageId?: string;
  /** Date.now() when the call arrived. */
  at: number;
  error?: string;
}

/** Records calls; `failNext` queues errors (or error factories) thrown by the next calls. */
export class FakePlatformSender implements PlatformSender {
  readonly calls: FakeSendCall[] = [];
  private readonly failures: Array<() => Error> = [];
  private n = 0;
  /** Milliseconds each call takes (to make overlapping sends observable). */
  delayMs = 0;
  /** Calls in flight now, and the most seen at once. */
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly platform: Platform,
    private readonly idPrefix = `${platform}-msg-`,
  ) {}

  /** The next `times` calls throw what `make` returns. */
  failNext(make: () => Error, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(make);
  }

  /** Successful calls only. */
  get delivered(): FakeSendCall[] {
    return this.calls.filter((c) => !c.error);
  }

  private async enter(call: Omit<FakeSendCall, 'at'>): Promise<void> {
    const entry: FakeSendCall = { ...call, at: Date.now() };
    this.calls.push(entry);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      const fail = this.failures.shift();
      if (fail) {
        const err = fail();
        entry.error = err.message;
        throw err;
      }
    } finally {
      this.inFlight--;
    }
  }

  async post(ref: ConversationRef, reply: Reply, opts?: PostOptions): Promise<{ messageId: string }> {
    const messageId = `${this.idPrefix}${++this.n}`;
    await this.enter({
      op: 'post',
      ref,
      reply,
      messageId,
      ...(opts?.replyToMessageId ? { replyToMessageId: opts.replyToMessageId } : {}),
    });
    return { messageId };
  }

  async edit(ref: ConversationRef, messageId: string, reply: Reply): Promise<void> {
    await this.enter({ op: 'edit', ref, reply, messageId });
  }
}
