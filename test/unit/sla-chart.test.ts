/**
 * The SVG bar chart renderer and the `sla` chart content: text is escaped (markup, quotes,
 * control characters), a chart without values says so in readable text instead of drawing
 * empty axes, and the PNG renderer turns both into real PNGs (or null without a font).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, hasValues, renderBarChartSvg, type BarChartSpec } from '../../services/charts/bar-chart-svg.ts';
import { createPngRenderer } from '../../services/charts/png-renderer.ts';
import { slaChartSpec } from '../../features/tickets/sla-views.ts';
import { translator } from '../../services/i18n/i18n.ts';
import { weeksBetween, weekStartOf } from '../../services/tickets/sla-weekly.ts';
import { createLogger, silentLogger } from '../../services/logger.ts';
import { Writable } from 'node:stream';

const spec = (over: Partial<BarChartSpec> = {}): BarChartSpec => ({
  title: 'Chart',
  categories: ['W1', 'W2'],
  panels: [{ title: 'Response', max: 100, unit: '%', series: [{ name: 'P0', color: '#c00', values: [50, null] }, { name: 'P1', color: '#0c0', values: [100, 75] }] }],
  noData: 'Nothing measured',
  ...over,
});

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('escapeXml escapes markup and quotes and drops what XML cannot carry', () => {
  assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  assert.equal(escapeXml('a\u0000b\u0007c\uFFFE'), 'abc');
  assert.equal(escapeXml('bad \uD800 surrogate'), 'bad \uFFFD surrogate');
});

test('every text in the chart is escaped: a hostile title, series name and label stay text', () => {
  const hostile = `</text><script>alert("x")</script>&`;
  const { svg } = renderBarChartSvg(spec({ title: hostile, subtitle: hostile, categories: [hostile, 'W2'], panels: [{ ...spec().panels[0]!, title: hostile, series: [{ name: hostile, color: '#c00', values: [10, 20] }] }] }));
  assert.doesNotMatch(svg, /<script|<\/text><script/);
  assert.match(svg, /&lt;\/text&gt;&lt;script&gt;alert\(&quot;x&quot;\)/);
  // Well-formed enough that every opened text element is closed exactly once.
  assert.equal((svg.match(/<text /g) ?? []).length, (svg.match(/<\/text>/g) ?? []).length);
});

test('bars are drawn for values only; null leaves a gap', () => {
  const { svg, width, height } = renderBarChartSvg(spec());
  const bars = svg.match(/<rect class="bar" [^>]*fill="#(c00|0c0)"\/>/g) ?? [];
  assert.equal(bars.length, 3, 'three values, one null');
  assert.ok(width >= 720 && height > 200);
  assert.ok(hasValues(spec()));
});

test('a chart without values is a readable "no data" chart, not empty axes', () => {
  const empty = spec({ panels: [{ ...spec().panels[0]!, series: [{ name: 'P0', color: '#c00', values: [null, null] }] }] });
  assert.equal(hasValues(empty), false);
  const { svg } = renderBarChartSvg(empty);
  assert.match(svg, />Nothing measured<\/text>/);
  assert.doesNotMatch(svg, /class="bar"/, 'no bars');
  assert.doesNotMatch(svg, />100%</, 'no scale');
  assert.match(renderBarChartSvg(spec({ categories: [], panels: [] })).svg, />Nothing measured</);
});

test('the sla chart: one band per clock, a bar group per week, shares in percent, labels in the reader language', () => {
  const weeks = ['2026-11-23', '2026-11-30'];
  const rows = [{ weekStart: '2026-11-30', severity: 'P1' as const, responseMet: 3, responseMissed: 1, resolutionMet: 0, resolutionMissed: 0, mttaSeconds: 60, mttrSeconds: null }];
  const ru = slaChartSpec(translator('ru'), 'ru', 14, weeks, rows, 'Europe/Moscow');
  assert.equal(ru.title, 'Соблюдение SLA по неделям, 14 дн.');
  assert.deepEqual(ru.panels.map((p) => p.title), ['Реакция в срок, %', 'Решение в срок, %']);
  assert.deepEqual(ru.categories, ['23 нояб.', '30 нояб.']);
  const p1 = ru.panels[0]!.series.find((s) => s.name === 'P1')!;
  assert.deepEqual(p1.values, [null, 75]);
  assert.deepEqual(ru.panels[1]!.series.find((s) => s.name === 'P1')!.values, [null, null], 'no resolution measured');
  assert.equal(slaChartSpec(translator('en'), 'en', 14, weeks, rows, 'UTC').panels[0]!.title, 'First response in time, %');
});

test('weeks start on Monday in the tickets time zone and cover the window', () => {
  // Sunday 22:30 UTC is already Monday in Moscow.
  assert.equal(weekStartOf(new Date('2026-12-06T22:30:00Z'), 'Europe/Moscow'), '2026-12-07');
  assert.equal(weekStartOf(new Date('2026-12-06T22:30:00Z'), 'UTC'), '2026-11-30');
  assert.deepEqual(weeksBetween(new Date('2026-11-20T00:00:00Z'), new Date('2026-12-07T12:00:00Z'), 'UTC'), ['2026-11-16', '2026-11-23', '2026-11-30', '2026-12-07']);
  // 365 days from a Sunday touch 54 weeks.
  assert.equal(weeksBetween(new Date('2025-12-07T00:00:00Z'), new Date('2026-12-07T00:00:00Z'), 'UTC').length, 54);
});

test('the PNG renderer draws both charts; without a font it answers null and says so once', async () => {
  const png = createPngRenderer({ logger: silentLogger() });
  for (const s of [spec(), spec({ panels: [] })]) {
    const out = await png.render(renderBarChartSvg(s).svg);
    assert.ok(out, 'a system font is installed on the test machine');
    const size = pngSize(out);
    assert.ok(size.width >= 720 && size.height >= 300, `plausible size ${size.width}x${size.height}`);
    assert.ok(out.length > 2048, `${out.length} bytes`);
  }
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) as never });
  const fontless = createPngRenderer({ logger, fonts: [{ file: '/nonexistent/font.ttf', family: 'None' }] });
  assert.equal(await fontless.render(renderBarChartSvg(spec()).svg), null);
  assert.equal(await fontless.render(renderBarChartSvg(spec()).svg), null);
  assert.equal(lines.filter((l) => l.includes('no font file for charts')).length, 1, 'logged once');
});
