/**
 * Content type from the bytes: magic numbers for binary formats, the zip directory for OOXML
 * and OpenDocument text, and a text heuristic for CSV, HTML and plain text (only there may
 * the sender's file name and type, together, tip a file to CSV).
 */
import { openZip } from './zip.ts';
import { DocumentInputError } from './errors.ts';
import { isOdt } from './extract/odt.extract.ts';
import { csvSeparator } from './extract/text.extract.ts';

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

function looksLikeCsv(text: string, hint: SniffHint): boolean {
  if (csvSeparator(text)) return true;
  // A file the sender calls CSV by both name and type is read as one if any line has a separator.
  const named = /\.csv$/i.test(hint.name ?? '') && /^text\/csv\b/i.test(hint.mime ?? '');
  return named && /[,;\t]/.test(text);
}

/** What the sender says a file is; the bytes decide, except between CSV and plain text. */
export interface SniffHint {
  name?: string;
  mime?: string;
}

/** Detects the kind of a file from its bytes; throws DocumentInputError('unsupported'|'empty'). */
export function sniff(buf: Buffer, hint: SniffHint = {}): DocKind {
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
    if (looksLikeCsv(text, hint)) return 'csv';
    return 'text';
  }
  throw new DocumentInputError('unsupported', { type: 'binary' });
}
