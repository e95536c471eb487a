// Accessibility of the panel and the pill, checked by axe-core (WCAG 2 A and AA, colour
// contrast included) in every state a user puts them in: at rest, a card hovered, a
// button hovered, focus inside a card, the pill, the panel opened from the pill, and all
// of these in Gmail's dark theme, right to left and with hashed class names; and in a
// popped-out window, where the panel opens from its pill. Gmail itself (the fixture) is
// not judged, only ours.

import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Backend, compose, freePort, launch, openCompose, openGmail, requireChromium, type Browser } from './harness';

const CHROMIUM = requireChromium();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WAIT = { timeout: 15_000 };

interface Violation {
  id: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** How many of our elements axe checked for colour contrast: proof that it sees into
 * our shadow roots, so an empty list of violations means something. */
async function contrastChecked(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const axe = (window as never as { axe: { run(ctx: unknown, opts: unknown): Promise<{ passes: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] }, resultTypes: ['passes'] });
    return result.passes
      .flatMap((p) => p.nodes)
      .filter((n) => JSON.stringify(n.target).includes('intro-coach-panel')).length;
  });
}

/** axe on the whole page, keeping only what is inside our hosts. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as never as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  const ours: string[] = [];
  for (const v of found) {
    for (const n of v.nodes) {
      const target = JSON.stringify(n.target);
      if (target.includes('intro-coach-panel')) ours.push(`${v.id} at ${target}: ${n.failureSummary ?? ''}`);
    }
  }
  return ours;
}

describe.skipIf(!CHROMIUM)('the panel meets WCAG AA in every state (axe-core)', () => {
  let backend: Backend;
  let browser: Browser;

  beforeAll(async () => {
    backend = new Backend(await freePort());
    await backend.start();
    browser = await launch({ backendUrl: backend.url, viewport: { width: 1600, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.dispose();
  });

  /** The fixture's variants: the panel's colours, direction and size must not depend on
   * Gmail's theme, direction or class names. */
  const VARIANTS = [
    { name: 'light theme', query: '', dark: false },
    { name: 'dark theme', query: '?theme=dark', dark: true },
    { name: 'right-to-left', query: '?dir=rtl', dark: false },
    { name: 'hashed classes', query: '?hashed=1', dark: false },
  ];

  async function draftWithFindings(page: Page, c: ReturnType<typeof compose>): Promise<void> {
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('Hi Jordan, Sally Smith suggested I write. I would love an informational interview. Could I pick your brain? I have attached my resume.');
    await c.fileInput.setInputFiles({ name: 'Jane_Doe_Resume.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(48_000) });
    await c.panel.locator('.finding[data-rule="resume-attached"]').waitFor({ state: 'attached', ...WAIT });
  }

  /** A card hovered, a button hovered, focus inside a card, "More subjects" opened. */
  /** The pill as it waits, hovered, and the panel opened from it. */
  async function pillStates(page: Page, c: ReturnType<typeof compose>): Promise<void> {
    expect(await violations(page), 'the pill').toEqual([]);
    await c.pill.hover();
    expect(await violations(page), 'the pill hovered').toEqual([]);
    await c.showPanel();
    expect(await violations(page), 'opened from the pill').toEqual([]);
  }

  async function cardStates(page: Page, c: ReturnType<typeof compose>): Promise<void> {
    const card = c.panel.locator('.finding').nth(1);
    await card.hover();
    expect(await violations(page), 'a card hovered').toEqual([]);
    await card.locator('button').first().hover();
    expect(await violations(page), 'a button hovered').toEqual([]);
    await card.locator('summary').focus();
    await page.keyboard.press('Tab');
    expect(await violations(page), 'focus in a card').toEqual([]);
    // The referrer's subjects: the best one, and "More subjects" opened.
    await c.panel.locator('.suggestions summary').click();
    await c.panel.locator('.suggestions details[open] button').first().waitFor(WAIT);
    expect(await violations(page), 'more subjects opened').toEqual([]);
  }

  for (const variant of VARIANTS) {
    test(`${variant.name}: at rest, hovered, focused, as a pill and opened from it`, async () => {
      const page = await openGmail(browser, variant.query);
      const id = await openCompose(page);
      const c = compose(page, id);
      await draftWithFindings(page, c);
      await c.panel.waitFor(WAIT);
      expect(await c.panel.evaluate((p) => p.classList.contains('dark'))).toBe(variant.dark);

      expect(await violations(page), 'at rest').toEqual([]);
      expect(await contrastChecked(page)).toBeGreaterThan(10);
      await cardStates(page, c);

      // A second window leaves no room beside the first: pill, then the panel opened from it.
      const other = await openCompose(page);
      await compose(page, other).body.click({ position: { x: 4, y: 4 } });
      await page.keyboard.type('Hello');
      await c.pill.waitFor(WAIT);
      await pillStates(page, c);
      await page.close();
    });
  }

  test('popped out: the pill, hovered, the panel opened from it, its cards hovered and focused', async () => {
    const page = await openGmail(browser, '?view=cm');
    const c = compose(page, 'popout');
    await draftWithFindings(page, c);
    // The window fills its browser window: no room beside it, the panel waits behind its pill.
    await c.pill.waitFor(WAIT);
    await pillStates(page, c);
    expect(await contrastChecked(page)).toBeGreaterThan(10);
    await cardStates(page, c);
    await page.close();
  });
});
