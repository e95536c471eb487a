// Spelling and grammar in Gmail, end to end: real Chromium, the built extension, the real
// backend supervising a real LanguageTool (from the jars `.ci/languagetool` assembles).

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  Backend,
  compose,
  freePort,
  launch,
  openCompose,
  openGmail,
  requireChromium,
  requireLanguageToolJars,
  waitForGrammar,
  type Browser,
} from './harness';

const CHROMIUM = requireChromium();
const JARS = CHROMIUM ? requireLanguageToolJars() : null;
const WAIT = { timeout: 20_000 };
const SPELLING = 'grammar:MORFOLOGIK_RULE_EN_US';

describe.skipIf(!CHROMIUM || !JARS)('spelling and grammar in a Gmail compose window', () => {
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    backend = new Backend(await freePort(), {
      INTRO_COACH_LANGUAGETOOL_JARS: JARS!,
      // Speed is `make bench`'s business; on a loaded test machine the first checks are slow.
      INTRO_COACH_GRAMMAR_DEADLINE_MS: '20000',
    });
    await backend.start();
    await waitForGrammar(backend.url);
    browser = await launch({ backendUrl: backend.url });
    page = await openGmail(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.dispose();
  });

  let id = '';

  test('a misspelling gets the grammar underline and a card under its own heading', async () => {
    id = await openCompose(page);
    const c = compose(page, id);
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.type('Hi Jordan, I would love to hear about your wrk on search. Could we do an informational interview?');
    await c.showPanel();

    const card = c.finding(SPELLING);
    await card.waitFor(WAIT);
    expect(await card.innerText()).toContain('wrk');
    // Advice and grammar, each under its heading, grammar last.
    await c.finding('informational-interview').waitFor(WAIT);
    const headings = await c.panel.locator('h3').allInnerTexts();
    expect(headings.at(-1)?.toLowerCase()).toBe('spelling and grammar');

    const mark = c.root.locator('intro-coach-panel .grammar-marks .mark').filter({ visible: true }).first();
    await mark.waitFor(WAIT);
    const style = await mark.evaluate((el) => getComputedStyle(el).borderBottomStyle);
    expect(style).toBe('dotted');
    const advice = c.root.locator('intro-coach-panel .body-marks .mark').filter({ visible: true }).first();
    expect(await advice.evaluate((el) => getComputedStyle(el).borderBottomStyle)).toBe('solid');
    // The underline sits on the misspelt word.
    const box = await mark.boundingBox();
    const word = await c.body.evaluate((body) => {
      const text = [...body.querySelectorAll('div')].map((d) => d.firstChild).find((n) => n?.textContent?.includes('wrk'))!;
      const range = document.createRange();
      const start = text.textContent!.indexOf('wrk');
      range.setStart(text, start);
      range.setEnd(text, start + 3);
      const r = range.getBoundingClientRect();
      return { x: r.x, width: r.width };
    });
    expect(Math.abs(box!.x - word.x)).toBeLessThan(2);
    expect(Math.abs(box!.width - word.width)).toBeLessThan(2);
    expect(await c.body.innerHTML()).not.toMatch(/intro-coach|mark/);
  });

  test('its replacement is applied with one click and undone with Ctrl+Z', async () => {
    const c = compose(page, id);
    await c.finding(SPELLING).getByRole('button', { name: /with “work”/ }).click();
    await expect.poll(() => c.body.innerText(), WAIT).toContain('about your work on search');
    await c.finding(SPELLING).waitFor({ state: 'detached', ...WAIT });
    await page.keyboard.press('Control+z');
    await expect.poll(() => c.body.innerText(), WAIT).toContain('about your wrk on search');
    await c.finding(SPELLING).waitFor(WAIT);
  });

  test('"Turn off grammar" removes every grammar finding and keeps the advice', async () => {
    const c = compose(page, id);
    await c.finding(SPELLING).getByRole('button', { name: 'Turn off spelling and grammar checks' }).click();
    await c.finding(SPELLING).waitFor({ state: 'detached', ...WAIT });
    expect(await c.root.locator('intro-coach-panel .grammar-marks .mark').filter({ visible: true }).count()).toBe(0);
    await c.finding('informational-interview').waitFor(WAIT);
  });

  test('nothing was thrown into the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
