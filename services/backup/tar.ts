/**
 * A minimal POSIX ustar writer and reader, enough for backup archives: regular files only,
 * names up to 255 bytes (name + prefix), sizes past 8 GiB in the base-256 form GNU tar and
 * bsdtar read. Both sides stream: an entry's bytes are never held in memory whole.
 *
 * The reader checks each header's checksum and that the archive ends with its end-of-archive
 * blocks, so a damaged or cut-off archive is an {@link ArchiveError}, never a silent short read.
 */

const BLOCK = 512;

/** The archive is not a readable ustar archive (damaged, cut off, not an archive). */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** One regular file to write: its size must be known up front (ustar puts it in the header). */
export interface TarSource {
  name: string;
  size: number;
  mtime?: Date;
  body: () => AsyncIterable<Buffer | Uint8Array>;
}

function writeString(header: Buffer, value: string, offset: number, length: number): void {
  header.write(value, offset, length, 'utf8');
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  writeString(header, `${value.toString(8).padStart(length - 1, '0')}\0`, offset, length);
}

function writeSize(header: Buffer, size: number): void {
  if (size < 8 ** 11) return writeOctal(header, size, 124, 12);
  // Base-256: the first byte's high bit set, the number big-endian in the rest.
  let rest = BigInt(size);
  for (let i = 135; i > 124; i--) {
    header[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  header[124] = 0x80;
}

/** Splits a path into ustar's prefix and name fields. */
function splitName(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`path too long for the archive: ${path}`);
}

/** The 512-byte ustar header of one regular file. */
export function tarHeader(path: string, size: number, mtime = new Date()): Buffer {
  const header = Buffer.alloc(BLOCK);
  const { prefix, name } = splitName(path);
  writeString(header, name, 0, 100);
  writeOctal(header, 0o644, 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeSize(header, size);
  writeOctal(header, Math.floor(mtime.getTime() / 1000), 136, 12);
  header.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  header[156] = 0x30; // '0': a regular file
  writeString(header, 'ustar\u000000', 257, 8);
  writeString(header, prefix, 345, 155);
  writeString(header, `${checksum(header).toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

/** The archive's bytes, entry after entry, then the two zero blocks that end it. */
export async function* tarStream(sources: Iterable<TarSource> | AsyncIterable<TarSource>): AsyncGenerator<Buffer> {
  for await (const source of sources) {
    yield tarHeader(source.name, source.size, source.mtime);
    let written = 0;
    for await (const chunk of source.body()) {
      written += chunk.length;
      if (written > source.size) throw new Error(`${source.name} grew while it was archived`);
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    }
    if (written !== source.size) throw new Error(`${source.name} changed size while it was archived (${written} of ${source.size} bytes)`);
    const pad = (BLOCK - (source.size % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** Reads exact byte counts from a chunked stream. */
class ByteReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private done = false;
  offset = 0;

  constructor(private readonly source: AsyncIterator<Buffer | Uint8Array>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.buffered < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        const b = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
        this.chunks.push(b);
        this.buffered += b.length;
      }
    }
    return this.buffered >= n;
  }

  private take(n: number): Buffer {
    const out: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const head = this.chunks[0]!;
      if (head.length <= left) {
        out.push(head);
        this.chunks.shift();
        left -= head.length;
      } else {
        out.push(head.subarray(0, left));
        this.chunks[0] = head.subarray(left);
        left = 0;
      }
    }
    this.buffered -= n;
    this.offset += n;
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Exactly n bytes, or null when the stream ends first (with what was left, if anything). */
  async read(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) return null;
    return this.take(n);
  }

  /** `span.left` bytes as chunks of at most 64 KiB, counting down; `short` when the stream ends first. */
  async *stream(span: { left: number }, short: () => never): AsyncGenerator<Buffer> {
    while (span.left > 0) {
      if (!this.buffered && !(await this.fill(1))) short();
      const size = Math.min(span.left, 64 * 1024, this.chunks[0]!.length);
      span.left -= size;
      yield this.take(size);
    }
  }
}

/** One entry as the reader hands it out; `body` must be read (or skipped) before the next. */
export interface TarEntry {
  name: string;
  size: number;
  type: string;
  /** Where the entry's header starts in the archive. */
  offset: number;
  body: AsyncGenerator<Buffer>;
}

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

function readSize(header: Buffer): number {
  if (header[124]! & 0x80) {
    let size = 0n;
    for (let i = 125; i < 136; i++) size = (size << 8n) | BigInt(header[i]!);
    return Number(size);
  }
  const text = field(header, 124, 12).trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError('an entry header has an unreadable size');
  return text ? parseInt(text, 8) : 0;
}

function parseHeader(header: Buffer, offset: number): Omit<TarEntry, 'body'> {
  const stored = field(header, 148, 8).trim();
  if (!/^[0-7]+$/.test(stored) || parseInt(stored, 8) !== checksum(header)) {
    throw new ArchiveError(`the entry header at byte ${offset} is damaged (checksum mismatch)`);
  }
  const prefix = field(header, 345, 155);
  const name = field(header, 0, 100);
  return { name: prefix ? `${prefix}/${name}` : name, size: readSize(header), type: field(header, 156, 1) || '0', offset };
}

/**
 * The entries of an archive, in order. Throws {@link ArchiveError} on a damaged header, an
 * entry cut short, or an archive that stops before its end-of-archive blocks.
 */
export async function* tarEntries(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  for (;;) {
    const offset = reader.offset;
    const header = await reader.read(BLOCK);
    if (!header) throw new ArchiveError(offset === 0 ? 'the file is empty' : `the archive stops at byte ${offset} before its end (it is incomplete)`);
    if (header.every((b) => b === 0)) {
      if (!(await reader.read(BLOCK))) throw new ArchiveError(`the archive stops at byte ${reader.offset} before its end (it is incomplete)`);
      return;
    }
    const entry = parseHeader(header, offset);
    const short = (): never => {
      throw new ArchiveError(`the archive stops in the middle of ${entry.name} (it is incomplete)`);
    };
    const span = { left: entry.size };
    yield { ...entry, body: reader.stream(span, short) };
    // Whatever the consumer left unread is skipped, then the padding.
    for await (const _ of reader.stream(span, short)) void _;
    const pad = (BLOCK - (entry.size % BLOCK)) % BLOCK;
    if (pad && !(await reader.read(pad))) short();
  }
}
