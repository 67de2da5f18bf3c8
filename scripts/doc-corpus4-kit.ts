/**
 * Shape of held-out set 3 and tuning set 4 (scripts/doc-corpus4.ts): a hand-written document
 * as in doc-corpus2-kit.ts, or a scan made from its text lines (PNG, JPEG or an image-only PDF).
 */
import type { Doc } from './doc-corpus2-kit.ts';

export { page } from './doc-corpus2-kit.ts';

export interface Doc4 {
  lang: Doc['lang'];
  format: Doc['format'] | 'scan-png' | 'scan-jpg' | 'scan-pdf';
  src: Doc['src'] | 'scan';
  category: string;
  /** The source; for a scan, its lines. */
  body: string;
  fields: Record<string, unknown>;
  /** A scan's rotation in degrees. */
  angle?: number;
}
