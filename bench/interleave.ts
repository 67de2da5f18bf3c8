/**
 * Side-by-side timing for the benches that compare readers on the same inputs (documents,
 * OCR): each input is read by every reader in turn, the order rotating, so a change in the
 * machine's load falls on all of them alike; wall time and CPU time (threads and waited-for
 * child processes included) of every reader.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One way of reading an input; resolves with the characters it got. */
export type Reader<T> = { name: string; read(input: T): Promise<number> };
/** A reader's totals. */
export type Tally = { secs: number; cpu: number; chars: number };

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;

/** CPU seconds of this process (every thread) and of its waited-for children (Linux). */
export function cpuSeconds(): number {
  const own = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}

/** Every input read by every reader, the readers' order rotating from input to input. */
export async function interleaved<T>(readers: Reader<T>[], inputs: T[]): Promise<Map<string, Tally>> {
  const tally = new Map(readers.map((r) => [r.name, { secs: 0, cpu: 0, chars: 0 }]));
  for (const [i, input] of inputs.entries()) {
    for (let k = 0; k < readers.length; k++) {
      const r = readers[(i + k) % readers.length]!;
      const t = tally.get(r.name)!;
      const [t0, c0] = [performance.now(), cpuSeconds()];
      t.chars += await r.read(input);
      t.secs += (performance.now() - t0) / 1000;
      t.cpu += cpuSeconds() - c0;
    }
  }
  return tally;
}
