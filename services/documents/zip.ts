/**
 * A small, defensive zip reader for OOXML packages (DOCX, XLSX). It reads the central
 * directory first and refuses archives whose declared sizes or ratios look like a bomb, then
 * inflates single entries with a hard output cap, so a lying header cannot exhaust memory.
 */
import { inflateRawSync } from 'node:zlib';
import { DocumentInputError } from './errors.ts';

/** Limits applied before and during inflation. */
export interface ZipLimits {
  /** Sum of uncompressed sizes of all entries. */
  maxTotalBytes: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Uncompressed / compressed, for entries above 1 MB. */
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxTotalBytes: 200 * 1024 * 1024, maxEntryBytes: 50 * 1024 * 1024, maxRatio: 200, maxEntries: 5000 };

interface CentralEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** An opened archive: entry names and a capped reader. */
export interface ZipArchive {
  names(): string[];
  has(name: string): boolean;
  /** Inflates one entry as UTF-8 text; throws DocumentInputError('bomb') past the cap. */
  text(name: string): string;
}

export function openZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipArchive {
  // The end-of-central-directory record sits in the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DocumentInputError('corrupt', {}, 'no zip directory');
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count > limits.maxEntries) throw new DocumentInputError('bomb', {}, `${count} entries`);
  const entries = new Map<string, CentralEntry>();
  let p = cdOffset;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new DocumentInputError('corrupt', {}, 'bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (size > limits.maxEntryBytes) throw new DocumentInputError('bomb', {}, `${name} declares ${size} bytes`);
    if (size > 1024 * 1024 && size / Math.max(1, compressedSize) > limits.maxRatio) throw new DocumentInputError('bomb', {}, `${name} ratio`);
    total += size;
    if (total > limits.maxTotalBytes) throw new DocumentInputError('bomb', {}, 'total size');
    entries.set(name, { name, method, compressedSize, size, localOffset });
  }
  return {
    names: () => [...entries.keys()],
    has: (name) => entries.has(name),
    text(name) {
      const e = entries.get(name);
      if (!e) throw new DocumentInputError('corrupt', {}, `missing ${name}`);
      const lo = e.localOffset;
      if (lo + 30 > buf.length || buf.readUInt32LE(lo) !== 0x04034b50) throw new DocumentInputError('corrupt', {}, 'bad local header');
      const start = lo + 30 + buf.readUInt16LE(lo + 26) + buf.readUInt16LE(lo + 28);
      const data = buf.subarray(start, start + e.compressedSize);
      if (e.method === 0) return data.toString('utf8');
      if (e.method !== 8) throw new DocumentInputError('unsupported', {}, `zip method ${e.method}`);
      try {
        // The cap is what the directory declared: an entry that inflates past it lied.
        return inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) }).toString('utf8');
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|buffer/i.test(String((err as Error).message))) throw new DocumentInputError('bomb', {}, `${name} inflates past its declared size`);
        throw new DocumentInputError('corrupt', {}, `${name}: ${(err as Error).message}`);
      }
    },
  };
}
