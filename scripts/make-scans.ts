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
import { fodt, scan } from './scan-render.ts';
import { imagePdf } from '../test/helpers/image-pdf.ts';

const OUT = new URL('../test/fixtures/scans/', import.meta.url).pathname;

const DOCS = [
  { name: 'ru-invoice', angle: 1.2, lines: ['ООО «Северный ветер»', 'Счёт № 4512 от 17.05.2024', 'Покупатель: ООО «Ромашка»', 'Поставка бумаги офисной, 40 пачек', 'Итого к оплате: 18 400,00 руб.', 'Оплатить до 31.05.2024'] },
  { name: 'en-certificate', angle: -1.5, lines: ['Northwind Training Ltd', 'Certificate No. CRT-7731', 'This certifies that Jane Smith', 'has completed the course Safe Lifting.', 'Date of issue: 2024-03-14', 'Valid until: 2026-03-14'] },
];


const DPI = 150;
const work = mkdtempSync(join(tmpdir(), 'a2d2-scans-'));
for (const [i, doc] of DOCS.entries()) {
  const src = join(work, `${doc.name}.fodt`);
  writeFileSync(src, fodt(doc.lines, { fontPt: 16, marginCm: 0.3 }));
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${work}/profile`, '--convert-to', 'pdf', '--outdir', work, src], { stdio: 'ignore', timeout: 120_000 });
  execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-png', '-singlefile', '-f', '1', '-l', '1', join(work, `${doc.name}.pdf`), join(work, doc.name)], { timeout: 60_000 });
  const page = await scan(readFileSync(join(work, `${doc.name}.png`)), doc.angle, 42 + i, 60);
  writeFileSync(join(OUT, `${doc.name}.jpg`), page.jpeg);
  writeFileSync(join(OUT, `${doc.name}.png`), page.png);
  writeFileSync(join(OUT, `${doc.name}.pdf`), imagePdf([page], DPI));
}
console.log(`scans written to ${OUT}`);
