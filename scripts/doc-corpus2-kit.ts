/**
 * Shared shape of held-out set 2 (scripts/doc-corpus2.ts): one hand-written document with its
 * source (HTML, text or CSV), the format LibreOffice turns it into, and its labels.
 */
export type Format = 'docx' | 'odt' | 'pdf' | 'html' | 'txt' | 'csv' | 'xlsx';

export interface Doc {
  lang: 'en' | 'ru';
  format: Format;
  src: 'html' | 'txt' | 'csv';
  category: string;
  body: string;
  fields: Record<string, unknown>;
}

/** An HTML page around a body written by hand. */
export function page(lang: string, title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title></head><body>${body}\n</body></html>\n`;
}
