/** An image-only PDF (a "scan"): one JPEG per page (DCTDecode), no text layer. */

/** One page: its JPEG (RGB) with the pixel size, drawn at `dpi`. */
export interface JpegPage {
  jpeg: Buffer;
  width: number;
  height: number;
}

/** Builds the PDF; each page's size follows its image at `dpi`. */
export function imagePdf(pages: JpegPage[], dpi: number): Buffer {
  const objs: (string | Buffer)[][] = [['<< /Type /Catalog /Pages 2 0 R >>'], []];
  const kids: string[] = [];
  for (const p of pages) {
    const w = ((p.width * 72) / dpi).toFixed(2);
    const h = ((p.height * 72) / dpi).toFixed(2);
    const page = objs.length + 1;
    kids.push(`${page} 0 R`);
    const content = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`;
    objs.push([`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 ${page + 2} 0 R >> >> /Contents ${page + 1} 0 R >>`]);
    objs.push([`<< /Length ${content.length} >>\nstream\n${content}\nendstream`]);
    objs.push([`<< /Type /XObject /Subtype /Image /Width ${p.width} /Height ${p.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${p.jpeg.length} >>\nstream\n`, p.jpeg, '\nendstream']);
  }
  objs[1] = [`<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages.length} >>`];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let size = parts[0]!.length;
  objs.forEach((o, i) => {
    offsets.push(size);
    const buf = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), ...o.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : x)), Buffer.from('\nendobj\n')]);
    parts.push(buf);
    size += buf.length;
  });
  const xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${size}\n%%EOF\n`;
  return Buffer.concat([...parts, Buffer.from(xref)]);
}

/** Width and height of a baseline or progressive JPEG (its SOF marker). */
export function jpegSize(jpeg: Buffer): { width: number; height: number } {
  let i = 2;
  while (i < jpeg.length) {
    const marker = jpeg[i + 1]!;
    const len = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  throw new Error('no JPEG frame header');
}
