/**
 * Which of a chat's queued rows goes next. Rows are ranked by priority (urgent, normal, low),
 * oldest first within a rank, with two exceptions that keep conversations readable: rows that
 * belong together (one message key: a post and its edits; one thread; a reply threaded under a
 * keyed card and that card) keep their stored order among themselves, and an earlier row of
 * such a group is lifted to the most urgent priority of the rows behind it, so an urgent edit
 * pulls its normal post forward instead of overtaking it.
 *
 * Lifting to the most urgent later member makes the effective priority never rise along a
 * group's stored order, so sorting every row by (effective priority, seq) keeps each group in
 * order and is one total order: two rows can never wait for each other.
 */

/** What the order needs of a queued row. */
export interface OrderRow {
  id: string;
  seq: bigint;
  /** 0 urgent, 1 normal, 2 low. */
  priority: number;
  threadId: string;
  messageKey: string | null;
  threadUnderKey: string | null;
}

/** Joins rows that must keep their stored order among themselves (union-find over indexes). */
function groups(rows: OrderRow[]): number[] {
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstBy = new Map<string, number>();
  const link = (tag: string, i: number) => {
    const j = firstBy.get(tag);
    if (j === undefined) firstBy.set(tag, i);
    else join(i, j);
  };
  rows.forEach((r, i) => {
    // A card and the replies threaded under it share the key's tag.
    if (r.messageKey) link(`key:${r.messageKey}`, i);
    if (r.threadUnderKey) link(`key:${r.threadUnderKey}`, i);
    if (r.threadId) link(`thread:${r.threadId}`, i);
  });
  return rows.map((_, i) => find(i));
}

/**
 * The rows in the order they should be sent (see the file comment). The input may come in
 * any order; ties of effective priority go by `seq`.
 */
export function sendOrder<T extends OrderRow>(rows: T[]): T[] {
  const bySeq = [...rows].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  const group = groups(bySeq);
  const effective = new Array<number>(bySeq.length);
  // Walking from the newest row back, each group's running minimum is what its earlier rows inherit.
  const lowest = new Map<number, number>();
  for (let i = bySeq.length - 1; i >= 0; i--) {
    const g = group[i]!;
    const p = Math.min(bySeq[i]!.priority, lowest.get(g) ?? Infinity);
    lowest.set(g, p);
    effective[i] = p;
  }
  return bySeq
    .map((row, i) => ({ row, p: effective[i]!, i }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((x) => x.row);
}
