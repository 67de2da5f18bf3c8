/**
 * SVG to PNG with resvg (its prebuilt binary ships in the npm package). resvg draws text only
 * with a font it was given, so the renderer looks for one system font file once (DejaVu Sans
 * or Liberation Sans: both cover Latin and Cyrillic) and, when there is none, says so once in
 * the log and answers null from then on: callers send their numbers without the picture.
 */
import { existsSync } from 'node:fs';
import type { Logger } from '../logger.ts';

/** Font files tried in order, with the family name each one declares. */
export const FONT_CANDIDATES: ReadonlyArray<{ file: string; family: string }> = [
  { file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/dejavu/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/TTF/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf', family: 'DejaVu Sans' },
  { file: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
  { file: '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf', family: 'Liberation Sans' },
];

/** Turns SVG text into PNG bytes; null when no font was found (the caller goes without a picture). */
export interface PngRenderer {
  render(svg: string): Promise<Buffer | null>;
}

/** What the renderer needs: a logger; `fonts` replaces the candidate list (tests). */
export interface PngRendererDeps {
  logger: Logger;
  fonts?: ReadonlyArray<{ file: string; family: string }>;
  /** Pixels per SVG unit (default 1.5, sharp on high-density screens and still small). */
  zoom?: number;
}

type ResvgModule = typeof import('@resvg/resvg-js');

/** Builds the renderer; the font lookup and the native module load happen on the first render. */
export function createPngRenderer(deps: PngRendererDeps): PngRenderer {
  let font: { file: string; family: string } | null | undefined;
  let mod: Promise<ResvgModule> | null = null;
  const pickFont = () => {
    if (font !== undefined) return font;
    font = (deps.fonts ?? FONT_CANDIDATES).find((f) => existsSync(f.file)) ?? null;
    if (!font) deps.logger.warn({ tried: (deps.fonts ?? FONT_CANDIDATES).map((f) => f.file) }, 'no font file for charts (install fonts-dejavu-core); chart replies carry their numbers only');
    return font;
  };
  return {
    async render(svg) {
      const f = pickFont();
      if (!f) return null;
      mod ??= import('@resvg/resvg-js');
      const { Resvg } = await mod;
      const resvg = new Resvg(svg, {
        fitTo: { mode: 'zoom', value: deps.zoom ?? 1.5 },
        font: { fontFiles: [f.file], loadSystemFonts: false, defaultFontFamily: f.family, sansSerifFamily: f.family },
        background: '#ffffff',
      });
      return resvg.render().asPng();
    },
  };
}
