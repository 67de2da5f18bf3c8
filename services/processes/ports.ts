/**
 * What process steps may call in other features. The composition (bot/) plugs real
 * implementations in when those features are present; an absent port makes its step kind fail
 * with a clear "not available" reason instead of a crash.
 */

/** A ticket as steps see it. */
export interface TicketView {
  id: number;
  title: string;
  severity: string;
  status: string;
  assignee: string | null;
}

/**
 * Tickets: open and update (the `ticket` step). `key` is the step execution's idempotency key:
 * a change made before under the same key is not made again (its ticket is returned).
 */
export interface TicketPort {
  open(input: { title: string; description: string; severity?: string | undefined; reporter: string; key: string }): Promise<TicketView>;
  get(id: number): Promise<TicketView | null>;
  assign(id: number, assignee: string, actor: string, key?: string): Promise<TicketView>;
  comment(id: number, text: string, actor: string, key?: string): Promise<TicketView>;
  resolve(id: number, note: string, actor: string, key?: string): Promise<TicketView>;
}

/** Documents: read an analysed document (the `document` step). */
export interface DocumentPort {
  get(number: number): Promise<Record<string, unknown> | null>;
}

/** Agents: ask a named agent (the `agent` step). */
export interface AgentPort {
  run(agent: string, prompt: string, runId: number): Promise<{ text: string }>;
}

/** Every port, each optional. */
export interface ProcessPorts {
  tickets?: TicketPort | undefined;
  documents?: DocumentPort | undefined;
  agents?: AgentPort | undefined;
}
