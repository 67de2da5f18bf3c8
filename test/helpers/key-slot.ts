/**
 * Redis Cluster key slots, computed as a cluster computes them (CRC16/XMODEM of the key, or of
 * its hash tag: the text between the first `{` and the next `}` when that is not empty, mod
 * 16384), and a checker of what a process sent to Redis (MONITOR lines): every Lua script and
 * every MULTI block must touch keys of one slot, or a cluster refuses it (CROSSSLOT).
 */

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** CRC16/XMODEM (polynomial 0x1021, initial 0), the checksum Redis Cluster hashes keys with. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ b) & 0xff]!;
  return crc;
}

/** The hash slot (0..16383) of `key`. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(Buffer.from(key, 'utf8')) % 16384;
}

/** One command as MONITOR reports it: its arguments and the client it came from ('lua' inside a script). */
export interface MonitoredCommand {
  args: string[];
  source: string;
}

/** A script call or a MULTI block and the keys it touched. */
export interface KeyGroup {
  kind: 'script' | 'multi';
  /** The script's SHA (or 'eval'), or the commands of the block. */
  name: string;
  keys: string[];
  slots: number[];
}

/** The keys an EVAL/EVALSHA declares (its numkeys arguments); null for other commands. */
function scriptKeys(args: string[]): string[] | null {
  const cmd = args[0]?.toLowerCase();
  if (cmd !== 'eval' && cmd !== 'evalsha' && cmd !== 'evalsha_ro' && cmd !== 'eval_ro') return null;
  const n = Number(args[2]);
  return args.slice(3, 3 + n);
}

/**
 * Groups `commands` into script calls and MULTI blocks (per client) with their keys;
 * `keysOf` gives a command's keys (the server's COMMAND GETKEYS, say).
 */
export async function keyGroups(commands: MonitoredCommand[], keysOf: (args: string[]) => Promise<string[]>): Promise<KeyGroup[]> {
  const groups: KeyGroup[] = [];
  const open = new Map<string, { names: string[]; keys: string[] }>();
  const done = (kind: KeyGroup['kind'], name: string, keys: string[]) => groups.push({ kind, name, keys, slots: [...new Set(keys.map(keySlot))] });
  for (const c of commands) {
    if (c.source === 'lua') continue;
    const cmd = c.args[0]?.toLowerCase() ?? '';
    const block = open.get(c.source);
    if (cmd === 'multi') {
      open.set(c.source, { names: [], keys: [] });
    } else if (cmd === 'exec' || cmd === 'discard') {
      if (block) done('multi', block.names.join(' '), block.keys);
      open.delete(c.source);
    } else if (block) {
      block.names.push(cmd);
      block.keys.push(...(scriptKeys(c.args) ?? (await keysOf(c.args))));
    } else {
      const keys = scriptKeys(c.args);
      if (keys) done('script', cmd === 'eval' ? 'eval' : c.args[1]!, keys);
    }
  }
  return groups;
}

/** The groups that touch more than one slot (a cluster would refuse each of them). */
export function crossSlot(groups: KeyGroup[]): KeyGroup[] {
  return groups.filter((g) => g.slots.length > 1);
}
