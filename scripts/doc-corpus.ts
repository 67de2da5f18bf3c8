/**
 * Writes a labelled document corpus for the documents evaluation (scripts/doc-eval.ts):
 * English and Russian invoices, contracts, certificates, passports, reports and manuals, as
 * HTML, plain text and CSV sources, converted by LibreOffice (soffice, headless) into DOCX,
 * ODT, PDF and XLSX. The held-out and tuning sets use different seeds and different layouts
 * (table styles, label placement, label wording): tuning on one says little about the other
 * unless the extractor generalises.
 *
 *   node --import tsx scripts/doc-corpus.ts heldout|tuning
 *
 * Writes test/fixtures/documents/<set>/: the documents, src/ (the sources of converted files)
 * and labels.jsonl. Needs soffice (libreoffice-writer, libreoffice-calc).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { any, rng, type Ctx, type Lang, type Rec, type SetName } from './doc-corpus-data.ts';
import { BUILDERS } from './doc-corpus-kinds.ts';
import { convertSources, assertConverted } from './doc-convert.ts';

type Style = 'cells' | 'grid' | 'kv' | 'header' | 'dotted' | 'tabs' | 'spaced' | 'wide' | 'rows';
type Format = 'docx' | 'odt' | 'pdf' | 'html' | 'txt' | 'csv' | 'xlsx';

/** Layouts per source kind: the held-out set uses none of the tuning set's. */
const STYLES: Record<SetName, Record<'html' | 'txt' | 'csv', Style[]>> = {
  heldout: { html: ['cells', 'grid'], txt: ['dotted', 'tabs'], csv: ['wide'] },
  tuning: { html: ['kv', 'header'], txt: ['kv', 'spaced'], csv: ['rows'] },
};
const SIZE: Record<SetName, number> = { heldout: 48, tuning: 96 };
const SEED: Record<SetName, number> = { heldout: 20261207, tuning: 7122026 };
const CATS = ['invoice', 'contract', 'certificate', 'passport', 'report', 'manual'];
const FORMATS: Format[] = ['docx', 'pdf', 'html', 'odt', 'txt', 'xlsx', 'csv'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const row = (cells: string[], tag = 'td') => `<tr>${cells.map((x) => `<${tag}>${esc(x)}</${tag}>`).join('')}</tr>`;

function html(rec: Rec, style: Style): string {
  const t = rec.table ? `<table border="1" cellpadding="3">${row(rec.table[0]!, 'th')}${rec.table.slice(1).map((r) => row(r)).join('')}</table>` : '';
  const prose = rec.prose.map((p) => `<p>${esc(p)}</p>`).join('\n');
  const foot = rec.footer.map((p) => `<p>${esc(p)}</p>`).join('\n');
  const head = rec.head.map((h) => `<p>${esc(h)}</p>`).join('');
  let top: string;
  if (style === 'cells') top = `${head}<h1>${esc(rec.title)}</h1><table border="1" cellpadding="3">${rec.pairs.map((p) => row(p)).join('')}</table>`;
  else if (style === 'grid') top = `${head}<h2>${esc(rec.title)}</h2><table border="1" cellpadding="3">${row(rec.pairs.map((p) => p[0]), 'th')}${row(rec.pairs.map((p) => p[1]))}</table>`;
  else if (style === 'kv') top = `<h1>${esc(rec.title)}</h1>${head}${rec.pairs.map(([k, v]) => `<p><b>${esc(k)}:</b> ${esc(v)}</p>`).join('')}`;
  else top = `<table width="100%"><tr><td>${rec.head.map(esc).join('<br>')}</td><td align="right">${rec.pairs.map(([k, v]) => `${esc(k)}: ${esc(v)}`).join('<br>')}</td></tr></table><h1>${esc(rec.title)}</h1>`;
  const body = rec.category === 'contract' || rec.category === 'certificate' ? `${top}\n${prose}\n${t}` : `${top}\n${t}\n${prose}`;
  return `<!DOCTYPE html>\n<html lang="${rec.lang}"><head><meta charset="utf-8"><title>${esc(rec.title)}</title></head><body>\n${body}\n${foot}\n</body></html>\n`;
}

function text(rec: Rec, style: Style): string {
  const pair = ([k, v]: [string, string]) =>
    style === 'dotted' ? `${k} ${'.'.repeat(Math.max(3, 28 - k.length))} ${v}` : style === 'tabs' ? `${k}\t${v}` : style === 'spaced' ? `${k.padEnd(26)}${v}` : `${k}: ${v}`;
  const widths = rec.table ? rec.table[0]!.map((_, i) => Math.max(...rec.table!.map((r) => r[i]!.length))) : [];
  const tableLines = (rec.table ?? []).map((r) => (style === 'kv' ? r.join(' | ') : style === 'tabs' ? r.join('\t') : r.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd()));
  const title = style === 'dotted' || style === 'spaced' ? rec.title.toUpperCase() : rec.title;
  return [...rec.head, '', title, '', ...rec.pairs.map(pair), '', ...rec.prose, '', ...tableLines, '', ...rec.footer, ''].join('\n');
}

function csvCell(s: string, sep: string): string {
  return /["\n]/.test(s) || s.includes(sep) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rec: Rec, style: Style): string {
  const sep = rec.lang === 'ru' ? ';' : ',';
  const line = (cells: string[]) => cells.map((x) => csvCell(x, sep)).join(sep);
  const split = (s: string) => {
    const i = s.indexOf(': ');
    return i > 0 ? [s.slice(0, i), s.slice(i + 2)] : [s];
  };
  const rows: string[][] = [[rec.title], ...rec.head.map((h) => [h])];
  if (style === 'wide') rows.push(rec.pairs.map((p) => p[0]), rec.pairs.map((p) => p[1]));
  else rows.push(...rec.pairs.map((p) => [...p]));
  rows.push([]);
  if (rec.table) rows.push(...rec.table, []);
  rows.push(...rec.footer.map(split), ...rec.prose.map((p) => [p]));
  return rows.map(line).join('\r\n') + '\r\n';
}

interface Planned {
  file: string;
  format: Format;
  source: 'html' | 'txt' | 'csv';
  style: Style;
  rec: Rec;
}

function sourceOf(format: Format, c: Ctx): 'html' | 'txt' | 'csv' {
  if (format === 'csv' || format === 'xlsx') return 'csv';
  if (format === 'txt') return 'txt';
  if (format === 'pdf') return any(c, ['html', 'html', 'txt'] as const);
  return 'html';
}

function plan(set: SetName): Planned[] {
  const c: Ctx = { r: rng(SEED[set]), set };
  const out: Planned[] = [];
  for (let i = 0; i < SIZE[set]; i++) {
    const category = CATS[i % CATS.length]!;
    const round = Math.floor(i / CATS.length);
    const lang: Lang = (round + (i % 2)) % 2 === 0 ? 'en' : 'ru';
    const format = FORMATS[(i + round * 2 + (set === 'tuning' ? 3 : 0)) % FORMATS.length]!;
    const source = sourceOf(format, c);
    const style = any(c, STYLES[set][source]);
    const rec = BUILDERS[category]!(c, lang);
    out.push({ file: `${set === 'heldout' ? 'h' : 't'}${String(i + 1).padStart(3, '0')}.${format}`, format, source, style, rec });
  }
  return out;
}

function convert(dir: string, docs: Planned[]): void {
  convertSources(dir, docs.map((p) => ({ file: p.file, format: p.format, source: p.source, lang: p.rec.lang })));
}

function main(set: SetName): void {
  const dir = join(import.meta.dirname, '..', 'test', 'fixtures', 'documents', set);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  const docs = plan(set);
  const labels: string[] = [];
  for (const p of docs) {
    const body = p.source === 'html' ? html(p.rec, p.style) : p.source === 'txt' ? text(p.rec, p.style) : csv(p.rec, p.style);
    const direct = p.format === p.source || (p.format === 'txt' && p.source === 'txt');
    writeFileSync(direct ? join(dir, p.file) : join(dir, 'src', p.file.replace(/\.\w+$/, `.${p.source}`)), body);
    labels.push(JSON.stringify({ file: p.file, language: p.rec.lang, format: p.format, category: p.rec.category, layout: `${p.source}/${p.style}`, fields: p.rec.fields }));
  }
  writeFileSync(join(dir, 'labels.jsonl'), labels.join('\n') + '\n');
  convert(dir, docs);
  assertConverted(dir, docs.map((p) => p.file));
  console.log(`${set}: ${docs.length} documents in ${dir}`);
}

const set = process.argv[2];
if (set !== 'heldout' && set !== 'tuning') {
  console.error('usage: node --import tsx scripts/doc-corpus.ts heldout|tuning');
  process.exit(1);
}
main(set);
