// The panel as drawn, measured in Chromium: its header at the narrowest width it is
// given beside a window (three counts and the whole collapse toggle, in English and in
// French), a panel that keeps to its compose window while the conversation scrolls, and
// a resume both attached and announced shown as one card that lights both places.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS_DIR, Backend, EXTENSION_DIR, compose, freePort, launch, openCompose, openGmail, requireChromium, sleep, type Browser } from './harness';

const CHROMIUM = requireChromium();
const WAIT = { timeout: 10_000 };
const SCREENSHOTS = join(ARTIFACTS_DIR, 'e2e');

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function inside(inner: Box, outer: Box, slack = 0.5): boolean {
  return inner.left >= outer.left - slack && inner.right <= outer.right + slack && inner.top >= outer.top - slack && inner.bottom <= outer.bottom + slack;
}

function overlap(a: Box, b: Box): boolean {
  return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
}

function clip(a: Box, b: Box): Box {
  return { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
}

async function box(locator: Locator): Promise<Box> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });
}

/** The viewport box of `phrase` in the compose body's text. */
async function phraseBox(body: Locator, phrase: string): Promise<Box> {
  return body.evaluate((el, wanted) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const r = range.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }
    throw new Error(`"${wanted}" is not in the body`);
  }, phrase);
}

/** The drawn marks (ours, in the panel's shadow root) of one layer, visible ones only. */
function marks(c: ReturnType<typeof compose>, layer: string, focused = false): Locator {
  return c.root.locator(`intro-coach-panel .${layer} .mark${focused ? '.focus' : ''}`).filter({ visible: true });
}

const FR = JSON.parse(readFileSync(join(EXTENSION_DIR, 'static', '_locales', 'fr', 'messages.json'), 'utf8')) as Record<string, { message: string }>;
const EN = JSON.parse(readFileSync(join(EXTENSION_DIR, 'static', '_locales', 'en', 'messages.json'), 'utf8')) as Record<string, { message: string }>;

describe.skipIf(!CHROMIUM)('the panel as drawn: its header, its place while scrolling, one card per problem', () => {
  let backend: Backend;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    backend = new Backend(await freePort());
    await backend.start();
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  async function withGmail(options: { lang?: string; viewport: { width: number; height: number } }, query: string, run: (page: Page) => Promise<void>): Promise<void> {
    const browser: Browser = await launch({ backendUrl: backend.url, ...options });
    try {
      const page = await openGmail(browser, query);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await run(page);
    } finally {
      await browser.close();
    }
  }

  for (const [lang, messages] of [['en', EN], ['fr', FR]] as const) {
    test(`${lang}: at its narrowest beside a window, the header shows three counts and the whole collapse toggle, open and collapsed`, async () => {
      // 850 px wide: beside the popup there is room for the narrowest panel only.
      await withGmail({ lang, viewport: { width: 850, height: 900 } }, '', async (page) => {
        const c = compose(page, await openCompose(page));
        await c.body.click({ position: { x: 4, y: 4 } });
        await page.keyboard.press('Control+Home');
        await page.keyboard.type('Hi Jordan, I would love an informational interview about UX research in Portland. Could I get your take? I am looking for a job on your team.');
        for (const severity of ['error', 'warning', 'suggestion']) await c.panel.locator(`.header .count.${severity}`).waitFor(WAIT);
        const toggle = c.panel.locator('.header button[aria-expanded]');
        // The browser's language, not the page's (Gmail is in French either way).
        expect(await toggle.getAttribute('aria-label')).toBe(messages.hideFindings!.message);

        const header = async () =>
          c.panel.evaluate((panel) => {
            const r = (el: Element) => {
              const b = el.getBoundingClientRect();
              return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
            };
            const head = panel.querySelector('.header')!;
            const button = head.querySelector('button')!;
            const t = button.getBoundingClientRect();
            const title = head.querySelector<HTMLElement>('.title')!;
            return {
              panel: r(panel),
              header: r(head),
              toggle: r(button),
              counts: r(head.querySelector('.counts')!),
              each: [...head.querySelectorAll('.counts .count')].map(r),
              // Nothing of ours or Gmail's is drawn over the toggle's middle.
              toggleOnTop: (panel.getRootNode() as ShadowRoot).elementFromPoint(t.left + t.width / 2, t.top + t.height / 2) === button,
              titleWhole: title.scrollWidth <= title.clientWidth,
              viewport: { left: 0, top: 0, right: innerWidth, bottom: innerHeight },
            };
          });
        const fits = (g: Awaited<ReturnType<typeof header>>) => {
          expect(g.each).toHaveLength(3);
          for (const count of g.each) expect(inside(count, g.counts), 'a count is cut').toBe(true);
          expect(g.toggle.right - g.toggle.left).toBeGreaterThan(8);
          expect(inside(g.toggle, g.header), 'the toggle sticks out of the header').toBe(true);
          expect(inside(g.header, g.panel), 'the header sticks out of the panel').toBe(true);
          expect(inside(g.panel, g.viewport), 'the panel leaves the window').toBe(true);
          expect(g.toggleOnTop).toBe(true);
          expect(g.titleWhole).toBe(true);
        };

        const open = await header();
        expect(open.panel.right - open.panel.left).toBeLessThan(300); // the narrowest width
        expect(open.panel.right).toBeLessThanOrEqual((await box(c.root.locator('[data-fx=titlebar]'))).left); // beside, not over
        fits(open);
        await c.panel.screenshot({ path: join(SCREENSHOTS, `header-narrowest-${lang}.png`) });

        await toggle.click();
        await expect.poll(() => toggle.getAttribute('aria-expanded'), WAIT).toBe('false');
        await expect.poll(async () => ((g) => g.panel.right - g.panel.left)(await header()), WAIT).toBeLessThan(open.panel.right - open.panel.left);
        fits(await header());
        await toggle.click();
        await expect.poll(() => toggle.getAttribute('aria-expanded'), WAIT).toBe('true');
      });
    });
  }

  // 480 px high: the conversation scrolls by about 150 px and the panel has room beside
  // the reply throughout. 400 px high: at first too little of the reply shows for a panel
  // beside it, so it has its pill, and the panel comes once more of the reply scrolls in.
  for (const height of [480, 400]) {
    test(`${height} px high, an inline reply scrolled with its conversation: its panel or pill keeps to the window's visible part, off its text; the marks stay on their words`, async () => {
      await withGmail({ viewport: { width: 1400, height } }, '', async (page) => {
        await page.click('[data-fx=reply]');
        const c = compose(page, 'reply');
        await c.body.click({ position: { x: 4, y: 4 } });
        await page.keyboard.type('Thanks so much, Jordan! Could I pick your brain for 20 minutes next week?');
        await c.finding('pick-your-brain').waitFor({ state: 'attached', ...WAIT });
        const main = page.locator('[data-fx=main]');
        const range = await main.evaluate((m) => m.scrollHeight - m.clientHeight);
        expect(range).toBeGreaterThan(100);

        const where = async () => {
          const area = await box(main);
          const shown = (await c.panel.isVisible()) ? 'panel' : (await c.pill.isVisible()) ? 'pill' : null;
          return {
            win: clip(await box(c.root), area),
            body: clip(await box(c.body), area),
            shown,
            ours: shown ? await box(shown === 'panel' ? c.panel : c.pill) : null,
          };
        };
        const seen: Awaited<ReturnType<typeof where>>[] = [];
        for (const scrollTop of [0, 20, Math.round(range / 2), range]) {
          await main.evaluate((m, top) => (m.scrollTop = top), scrollTop);
          // Laid out in the frame after the scroll: level with the visible part of the
          // window, beside it (a pill may sit on its edge), over none of its text.
          await expect
            .poll(async () => {
              const { win, body, shown, ours } = await where();
              if (!ours) return false;
              const level = inside({ ...ours, left: win.left, right: win.right }, win, 1);
              const beside = shown === 'pill' ? ours.right > win.left - 160 && ours.left < win.right + 160 : ours.right <= win.left || ours.left >= win.right;
              return level && beside && !overlap(ours, body);
            }, WAIT)
            .toBe(true);
          seen.push(await where());
          const mark = await box(marks(c, 'body-marks').first());
          const words = await phraseBox(c.body, 'pick your brain');
          expect(Math.abs(mark.left - words.left)).toBeLessThan(2);
          expect(Math.abs(mark.top - words.top)).toBeLessThan(4);
        }
        if (height === 480) {
          expect(seen.map((s) => s.shown)).toEqual(['panel', 'panel', 'panel', 'panel']);
          // It moved with the window, up as the conversation scrolled down.
          expect(seen[3]!.ours!.bottom).toBeLessThan(seen[0]!.ours!.bottom - 10);
        } else {
          expect(seen[0]!.shown).toBe('pill');
          expect(seen[3]!.shown).toBe('panel');
        }
      });
    });
  }

  test('a resume attached and announced is one card; pointing at it lights the attachment and the sentence', async () => {
    await withGmail({ viewport: { width: 1400, height: 900 } }, '', async (page) => {
      const c = compose(page, await openCompose(page));
      await c.body.click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('Control+Home');
      await page.keyboard.type('Hi Jordan, I would love your take on UX research in Portland. I have attached my resume. Could we talk for 20 minutes next week? Thanks!');
      await c.fileInput.setInputFiles({ name: 'Jane_Doe_Resume.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(48_000) });
      const card = c.finding('resume-attached');
      await card.and(c.panel.locator('[data-field~="attachments"][data-field~="body"]')).waitFor(WAIT);
      expect(await card.count()).toBe(1);

      const chip = c.root.locator('[data-fx=attachments] > *').first();
      // Both places are drawn at rest, each mark over its own place.
      await marks(c, 'attachment-marks').first().waitFor(WAIT);
      await card.hover();
      await marks(c, 'body-marks', true).first().waitFor(WAIT);
      expect(await marks(c, 'attachment-marks', true).count()).toBe(1);
      const onChip = await box(marks(c, 'attachment-marks', true).first());
      const chipBox = await box(chip);
      for (const side of ['left', 'top', 'right', 'bottom'] as const) expect(Math.abs(onChip[side] - chipBox[side])).toBeLessThan(2);
      // The sentence may wrap: its marks (one a line) cover the same box as its words.
      const lines = await Promise.all((await marks(c, 'body-marks', true).all()).map(box));
      const onWords = lines.reduce((a, b) => ({ left: Math.min(a.left, b.left), top: Math.min(a.top, b.top), right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom) }));
      const words = await phraseBox(c.body, 'I have attached my resume');
      for (const side of ['left', 'right'] as const) expect(Math.abs(onWords[side] - words[side])).toBeLessThan(2);
      for (const side of ['top', 'bottom'] as const) expect(Math.abs(onWords[side] - words[side])).toBeLessThan(4);
      // Only this card's places light up, and they go back to normal when the pointer leaves.
      const lit = await c.root.locator('intro-coach-panel .mark.focus').filter({ visible: true }).count();
      expect(lit).toBe(1 + lines.length);
      await page.mouse.move(2, 2);
      await sleep(100);
      await expect.poll(() => c.root.locator('intro-coach-panel .mark.focus').filter({ visible: true }).count(), WAIT).toBe(0);
      expect(await marks(c, 'attachment-marks').count()).toBe(1);
    });
  });

  test('nothing was thrown into the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
