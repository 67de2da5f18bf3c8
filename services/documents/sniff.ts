/**
 * Content type from the bytes, never from the file name: magic numbers for binary formats,
 * the zip directory for OOXML and OpenDocument text, and a text heuristic for CSV, HTML and plain text.
 */
import { openZip } from './zip.ts';
import { DocumentInputError } from './errors.ts';
import { isOdt } from './extract/odt.extract.ts';

/** Kinds the pipeline can read. */
export type DocKind = 'pdf' | 'docx' | 'odt' | 'xlsx' | 'csv' | 'html' | 'text' | 'png' | 'jpeg' | 'tiff' | 'bmp' | 'webp';

export const MIME: Record<DocKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  html: 'text/html',
  text: 'text/plain',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  webp: 'image/webp',
};

export const IMAGE_KINDS: ReadonlySet<DocKind> = new Set(['png', 'jpeg', 'tiff', 'bmp', 'webp']);

function startsWith(buf: Buffer, bytes: number[], at = 0): boolean {
  return bytes.every((b, i) => buf[at + i] === b);
}

/** True when the bytes decode as UTF-8 text without control characters (beyond tab/newline). */
function looksLikeText(buf: Buffer): boolean {
  const sample = buf.subarray(0, 64 * 1024);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample.length < buf.length ? sample.subarray(0, lastBoundary(sample)) : sample);
  } catch {
    return false;
  }
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) bad++;
  }
  return bad <= text.length * 0.001;
}

// Avoid cutting a multibyte UTF-8 sequence at the end of the sample.
function lastBoundary(buf: Buffer): number {
  let end = buf.length;
  for (let i = 0; i < 4 && end > 0; i++) {
    const b = buf[end - 1]!;
    if ((b & 0xc0) === 0x80) end--;
    else {
      if (b >= 0xc0) end--;
      break;
    }
  }
  return end;
}

function looksLikeCsv(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim()).slice(0, 20);
  if (lines.length < 2) return false;
  for (const sep of [',', ';', '\t']) {
    const counts = lines.map((l) => l.split(sep).length - 1);
    if (counts[0]! >= 1 && counts.filter((c) => c >= 1).length >= Math.ceil(lines.length * 0.8)) return true;
  }
  return false;
}

/** Detects the kind of a file from its bytes; throws DocumentInputError('unsupported'|'empty'). */
export function sniff(buf: Buffer): DocKind {
  if (buf.length === 0) throw new DocumentInputError('empty');
  // A PDF header may follow a little garbage (the spec allows it within the first 1 KB).
  const head = buf.subarray(0, 1024).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(buf, [0x42, 0x4d]) && buf.length > 26) return 'bmp';
  if (startsWith(buf, [0x52, 0x49, 0x46, 0x46]) && startsWith(buf, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    const zip = openZip(buf);
    if (zip.has('word/document.xml')) return 'docx';
    if (zip.has('xl/workbook.xml')) return 'xlsx';
    if (isOdt(zip)) return 'odt';
    throw new DocumentInputError('unsupported', { type: 'zip' });
  }
  if (looksLikeText(buf)) {
    const text = buf.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
    if (/^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text)) return 'html';
    if (looksLikeCsv(text)) return 'csv';
    return 'text';
  }
  throw new DocumentInputError('unsupported', { type: 'binary' });
}
