/** What every extractor returns. */

/** A part of the text and where it came from (page 3, sheet "Q1" row 7, paragraph 12). */
export interface TextLocation {
  kind: 'page' | 'paragraph' | 'row' | 'line' | 'image';
  /** 1-based number of the page/paragraph/row/line. */
  n: number;
  /** Sheet name, for spreadsheets. */
  sheet?: string;
  /** Offsets into the joined text. */
  start: number;
  end: number;
}

/** Extracted plain text with locations. */
export interface Extracted {
  text: string;
  locations: TextLocation[];
  /** Text came from OCR. */
  ocr: boolean;
  /** Pages (PDF), sheets (XLSX) or 1. */
  units: number;
  /** The file had no text layer (a scan): the reply says so plainly. */
  noTextLayer?: boolean;
  /** Scanned PDF pages left without OCR past documents.ocr.maxPages. */
  ocrSkippedPages?: number;
}

/** Joins parts with newlines, recording each part's offsets. */
export function joinParts(parts: { text: string; loc: Omit<TextLocation, 'start' | 'end'> }[], sep = '\n'): Pick<Extracted, 'text' | 'locations'> {
  let text = '';
  const locations: TextLocation[] = [];
  for (const p of parts) {
    const t = p.text.replace(/[ \t]+\n/g, '\n').trimEnd();
    if (!t.trim()) continue;
    if (text) text += sep;
    const start = text.length;
    text += t;
    locations.push({ ...p.loc, start, end: text.length } as TextLocation);
  }
  return { text, locations };
}
