/**
 * How a document is shown: the view of its latest version, the card with its key fields,
 * the card's buttons, location labels and titles from file names.
 */
import type { Db } from '../db.ts';
import type { Reply } from '../messaging/types.ts';
import type { Translate } from '../i18n/i18n.ts';
import type { TextLocation } from './extract/types.ts';

/** A document as shown in lists and cards (its latest version). */
export interface DocumentView {
  id: string;
  number: number;
  title: string;
  version: number;
  versionId: string;
  fileName: string;
  kind: string;
  sizeBytes: number;
  language: string | null;
  category: string | null;
  confidence: number | null;
  categorySource: string | null;
  summary: string | null;
  stage: string;
  ocr: boolean;
  noTextLayer: boolean;
  /** Pages without text that OCR left out (documents.ocr.maxPages). */
  ocrSkippedPages: number;
  createdAt: Date;
  expiresOn: Date | null;
  fields: { name: string; value: string; normalized: string; start: number; end: number; primary: boolean }[];
}

/** Renders a location in the reader's language ("page 2", "sheet Q1, row 7"). */
export function locationLabel(t: Translate, loc: TextLocation | null): string {
  if (!loc) return t('documents.loc.text');
  if (loc.kind === 'row' && loc.sheet) return t('documents.loc.sheetRow', { sheet: loc.sheet, n: loc.n });
  return t(`documents.loc.${loc.kind}`, { n: loc.n });
}

const PRIMARY_ORDER = ['number', 'date', 'issueDate', 'startDate', 'endDate', 'expiryDate', 'total', 'value', 'vendor', 'holder', 'issuer', 'party'];

/** The card: category, key fields, summary. Buttons are added by the chat layer's renderer. */
export function renderCard(t: Translate, doc: DocumentView): Reply {
  const fields = [...doc.fields]
    .filter((f) => f.primary && f.name !== 'item')
    .sort((a, b) => PRIMARY_ORDER.indexOf(a.name) - PRIMARY_ORDER.indexOf(b.name));
  const generic = doc.fields.filter((f) => !f.primary && ['inn', 'ogrn', 'vat', 'email'].includes(f.name)).slice(0, 4);
  const items = doc.fields.filter((f) => f.name === 'item').length;
  const category = doc.category ?? 'other';
  const conf = doc.confidence !== null ? Math.round(doc.confidence * 100) : null;
  return {
    title: t('documents.card.title', { number: doc.number, title: doc.title }),
    text: [
      doc.noTextLayer ? t('documents.card.noTextLayer') : doc.summary ? doc.summary : t('documents.card.noSummary'),
      ...(doc.ocrSkippedPages ? [t('documents.card.ocrSkipped', { skipped: doc.ocrSkippedPages })] : []),
    ].join('\n'),
    fields: [
      {
        label: t('documents.card.category'),
        value:
          doc.categorySource === 'correction'
            ? t('documents.card.categoryCorrected', { category: t(`documents.category.${category}`) })
            : t('documents.card.categoryValue', { category: t(`documents.category.${category}`), confidence: conf ?? 0 }),
      },
      ...fields.slice(0, 8).map((f) => ({ label: t(`documents.field.${f.name}`), value: f.normalized || f.value })),
      ...(items ? [{ label: t('documents.field.items'), value: String(items) }] : []),
      ...generic.map((f) => ({ label: t(`documents.field.${f.name}`), value: f.value })),
    ],
    context: t('documents.card.context', {
      version: doc.version,
      file: doc.fileName,
      language: doc.language ?? '-',
      ocr: doc.ocr ? t('documents.card.ocr') : '',
    }).trim(),
  };
}

/** Title of a file: its name without extension, tidied. */
export function titleOf(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? fileName;
  return (base.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[_]+/g, ' ').trim() || 'document').slice(0, 200);
}

/** The view of a document's latest version with its fields, or null when there is none. */
export async function loadDocumentView(db: Db, where: { number: number } | { id: string }): Promise<DocumentView | null> {
  const doc = await db.document.findUnique({
    where,
    include: { versions: { orderBy: { version: 'desc' }, take: 1, include: { fields: { orderBy: { start: 'asc' } } } } },
  });
  const v = doc?.versions[0];
  if (!doc || !v) return null;
  return {
    id: doc.id,
    number: doc.number,
    title: doc.title,
    version: v.version,
    versionId: v.id,
    fileName: v.fileName,
    kind: v.kind,
    sizeBytes: v.sizeBytes,
    language: v.language,
    category: v.category,
    confidence: v.confidence,
    categorySource: v.categorySource,
    summary: v.summary,
    stage: v.stage,
    ocr: v.ocr,
    noTextLayer: v.noTextLayer,
    ocrSkippedPages: v.ocrSkippedPages,
    createdAt: v.createdAt,
    expiresOn: v.expiresOn,
    fields: v.fields.map((f) => ({ name: f.name, value: f.value, normalized: f.normalized, start: f.start, end: f.end, primary: f.primary })),
  };
}

/** Buttons of a card: ask, open a ticket (when tickets exist), correct the category. */
export function cardButtons(t: Translate, number: number, deps: { ticketsAvailable?: () => boolean }): NonNullable<Reply['buttons']> {
  return [
    { actionId: 'doc.ask', label: t('documents.button.ask'), value: String(number), style: 'primary' },
    ...(deps.ticketsAvailable?.() ? [{ actionId: 'doc.ticket', label: t('documents.button.ticket'), value: String(number) }] : []),
    { actionId: 'doc.correct', label: t('documents.button.correct'), value: String(number) },
  ];
}
