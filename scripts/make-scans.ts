/**
 * Makes the OCR fixtures in test/fixtures/scans/: two short documents (a Russian invoice and an
 * English certificate) written as flat ODT, rendered to PDF by LibreOffice in headless mode
 * (`soffice`), rasterised by `pdftoppm`, rotated slightly and speckled with noise on a canvas,
 * saved as JPEG/PNG and wrapped back into image-only PDFs (no text layer).
 *
 *   node --import tsx scripts/make-scans.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { imagePdf } from '../test/helpers/image-pdf.ts';

const OUT = new URL('../test/fixtures/scans/', import.meta.url).pathname;

const DOCS = [
  { name: 'ru-invoice', angle: 1.2, lines: ['ООО «Северный ветер»', 'Счёт № 4512 от 17.05.2024', 'Покупатель: ООО «Ромашка»', 'Поставка бумаги офисной, 40 пачек', 'Итого к оплате: 18 400,00 руб.', 'Оплатить до 31.05.2024'] },
  { name: 'en-certificate', angle: -1.5, lines: ['Northwind Training Ltd', 'Certificate No. CRT-7731', 'This certifies that Jane Smith', 'has completed the course Safe Lifting.', 'Date of issue: 2024-03-14', 'Valid until: 2026-03-14'] },
];

/** A flat ODT document with one paragraph per line, large enough to read at 100 dpi. */
function fodt(lines: string[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const paras = lines.map((l) => `<text:p text:style-name="P">${esc(l)}</text:p>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles><style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.3cm"/><style:text-properties fo:font-size="16pt" style:font-name="Liberation Serif"/></style:style></office:automatic-styles>
<office:body><office:text>
${paras}
</office:text></office:body></office:document>`;
}

/** Rotates by `angle` degrees on white, adds deterministic speckle noise, returns JPEG (RGB, as the canvas encodes it) and PNG. */
async function scan(png: Buffer, angle: number, seed: number): Promise<{ jpeg: Buffer; png: Buffer; width: number; height: number }> {
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
  return { jpeg: canvas.toBuffer('image/jpeg', 60), png: canvas.toBuffer('image/png'), width: img.width, height: img.height };
}

const DPI = 150;
const work = mkdtempSync(join(tmpdir(), 'a2d2-scans-'));
for (const [i, doc] of DOCS.entries()) {
  const src = join(work, `${doc.name}.fodt`);
  writeFileSync(src, fodt(doc.lines));
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${work}/profile`, '--convert-to', 'pdf', '--outdir', work, src], { stdio: 'ignore', timeout: 120_000 });
  execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-png', '-singlefile', '-f', '1', '-l', '1', join(work, `${doc.name}.pdf`), join(work, doc.name)], { timeout: 60_000 });
  const page = await scan(readFileSync(join(work, `${doc.name}.png`)), doc.angle, 42 + i);
  writeFileSync(join(OUT, `${doc.name}.jpg`), page.jpeg);
  writeFileSync(join(OUT, `${doc.name}.png`), page.png);
  writeFileSync(join(OUT, `${doc.name}.pdf`), imagePdf([page], DPI));
}
console.log(`scans written to ${OUT}`);
