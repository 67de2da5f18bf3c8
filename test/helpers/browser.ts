/**
 * A real headless Chromium for the console tests: the system's /usr/bin/chromium driven by
 * playwright-core (no browser download), axe-core injected from node_modules into a page, and
 * screenshots under test-artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches the system Chromium headless; fails naming the package when it is missing. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

const axeSource = readFileSync(join(dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string }[];
}

/** A finding a test accepts by name: the rule and the element's markup (outerHTML). */
export type AxeExemption = (rule: string, html: string) => boolean;

/**
 * Runs axe-core on the page (evaluated through the devtools protocol: the console's CSP
 * allows no injected script tag) and fails on serious or critical violations; `exempt`
 * (for markup that is not ours) lets through the elements it names, and only those.
 */
export async function assertAccessible(page: Page, what: string, exempt?: AxeExemption): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    // Each element's whole markup (axe gives its opening tag only), for an exemption to read;
    // `document` is not in this project's (Node) type library. No named function in here: the
    // test transpiler would wrap it in a helper the page does not have.
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { outerHTML: string } | null } }).document;
    // The whole page.
    const res = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: (n.target.length === 1 && typeof n.target[0] === 'string' ? doc.querySelector(n.target[0])?.outerHTML : undefined) ?? n.html })) }));
  });
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !exempt?.(v.id, n.html)).map((n) => ({ target: n.target })) }))
    .filter((v) => v.nodes.length);
  assert.deepEqual(bad, [], `${what}: axe found serious or critical violations:\n${JSON.stringify(bad, null, 2)}`);
}

/** Saves a full-page screenshot as test-artifacts/<dir>/<name>.png. */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const folder = join('test-artifacts', dir);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
