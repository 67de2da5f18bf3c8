/**
 * The two steps the scan-making corpus scripts share (scripts/make-scans.ts for the OCR
 * fixtures, scripts/doc-corpus4.ts for the corpus's scans): a flat ODT document with one
 * paragraph per line for LibreOffice to render, and a rendered page turned into a "scan"
 * (rotated on white, speckled with deterministic noise, saved as JPEG and PNG).
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';

/** A flat ODT document with one paragraph per line, in Liberation Serif at `fontPt`. */
export function fodt(lines: string[], opts: { fontPt: number; marginCm: number }): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const paras = lines.map((l) => `<text:p text:style-name="P">${esc(l)}</text:p>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles><style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="${opts.marginCm}cm"/><style:text-properties fo:font-size="${opts.fontPt}pt" style:font-name="Liberation Serif"/></style:style></office:automatic-styles>
<office:body><office:text>
${paras}
</office:text></office:body></office:document>`;
}

/** Rotates by `angle` degrees on white, adds deterministic speckle noise, returns JPEG (RGB, as the canvas encodes it, at `jpegQuality`) and PNG. */
export async function scan(png: Buffer, angle: number, seed: number, jpegQuality: number): Promise<{ jpeg: Buffer; png: Buffer; width: number; height: number }> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, img.width, img.height);
  ctx.translate(img.width / 2, img.height / 2);
  ctx.rotate((angle * Math.PI) / 180);
  ctx.drawImage(img, -img.width / 2, -img.height / 2);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  ctx.fillStyle = '#555';
  for (let i = 0; i < 1500; i++) ctx.fillRect(Math.floor(rnd() * img.width), Math.floor(rnd() * img.height), 1 + Math.floor(rnd() * 2), 1);
  return { jpeg: canvas.toBuffer('image/jpeg', jpegQuality), png: canvas.toBuffer('image/png'), width: img.width, height: img.height };
}
