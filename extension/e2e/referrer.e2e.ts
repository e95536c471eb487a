// "Referred by" in the panel: a name the email does not give, typed by the user, reaches
// the real backend with the next analysis and brings its card (the subject does not name
// the referrer) and a subject naming them, which one click puts in the subject; clearing
// it takes both away. A name found but wrong (a person merely mentioned): "no one
// referred me" takes both away too, "Find automatically" brings them back. In English
// and in French, at the panel's narrowest, where the line must fit whole. Screenshots of it go to docs/extension/ with INTRO_COACH_DOCS_SHOTS=1.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { ARTIFACTS_DIR, compose, EXTENSION_DIR, launch, openCompose, openGmail, REPO_DIR, requireChromium, setSettings } from './harness';
import { withBackend } from './suite';

const CHROMIUM = requireChromium();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WAIT = { timeout: 15_000 };
const DOCS = process.env.INTRO_COACH_DOCS_SHOTS === '1' ? join(REPO_DIR, 'docs', 'extension') : join(ARTIFACTS_DIR, 'store');
const messages = (lang: string) => JSON.parse(readFileSync(join(EXTENSION_DIR, 'static', '_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;

const BODY = 'Hi Jordan, I am a UX researcher in Portland. Could I get your take on the design scene here, in a 20-minute call next week? Thanks so much!';

/** axe (WCAG 2 A and AA) on the page, keeping what is inside our panel. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Result = { violations: { id: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] };
    const axe = (window as never as { axe: { run(ctx: unknown, opts: unknown): Promise<Result> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.filter((n) => JSON.stringify(n.target).includes('intro-coach-panel')).map((n) => `${v.id} at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`));
  });
}

describe.skipIf(!CHROMIUM)('the referrer typed in the panel', () => {
  const backend = withBackend(DOCS);

  for (const lang of ['en', 'fr'] as const) {
    test(`${lang}: at the narrowest panel, type "Sally Smith": her card and a subject naming her, one click away; cleared, both go; a name in the email shows as found there, and a typed one wins over it; "no one referred me" takes its card and subjects away, "Find automatically" brings them back`, async () => {
      const words = messages(lang);
      // 850 px wide: beside the popup there is room for the narrowest panel only.
      const browser = await launch({ backendUrl: backend.url, lang, viewport: { width: 850, height: 900 } });
      try {
        await setSettings(browser.worker, { grammar: false });
        const page = await openGmail(browser);
        const c = compose(page, await openCompose(page));
        await c.root.locator('[data-fx=to-input]').fill('Jordan Lee <jordan@example.com>');
        await c.root.locator('[data-fx=to-input]').press('Enter');
        await c.subject.fill('Quick question');
        await c.body.click({ position: { x: 4, y: 4 } });
        await page.keyboard.press('Control+Home');
        await page.keyboard.type(BODY);
        await c.showPanel();
        await c.panel.locator('.stats').filter({ hasText: /\b2\d\b/ }).waitFor(WAIT);

        const line = c.panel.locator('.referrer');
        const input = line.getByLabel(words.referrerLabel!.message, { exact: true });
        const source = line.locator('.referrer-source');
        expect(await line.locator('label').textContent()).toBe(words.referrerLabel!.message);
        await expect.poll(() => source.textContent(), WAIT).toBe(words.referrerNone!.message);
        expect(await c.finding('referrer-not-in-subject').count()).toBe(0);
        const suggestion = c.panel.locator('.suggestions button[data-subject*="Sally Smith"]');
        expect(await suggestion.count()).toBe(0);

        // Typed, applied with Enter, by keyboard only.
        await input.focus();
        await page.keyboard.type('Sally Smith');
        await page.keyboard.press('Enter');
        await c.finding('referrer-not-in-subject').waitFor(WAIT);
        await suggestion.first().waitFor(WAIT);
        expect(await source.textContent()).toBe(words.referrerFromUser!.message);
        expect(await input.inputValue()).toBe('Sally Smith');
        expect(await suggestion.first().getAttribute('data-subject')).toMatch(/Sally Smith/);

        // The whole line fits the narrowest panel: label, box and clear button inside it.
        const geometry = await c.panel.evaluate((panel) => {
          const r = (el: Element) => el.getBoundingClientRect();
          const row = panel.querySelector('.referrer-row')!;
          const label = panel.querySelector<HTMLElement>('.referrer label')!;
          const parts = [label, panel.querySelector('.referrer input')!, panel.querySelector('.referrer-clear')!].map(r);
          return {
            width: r(panel).width,
            inside: parts.every((p) => p.left >= r(row).left - 0.5 && p.right <= r(row).right + 0.5 && p.right <= r(panel).right),
            labelWhole: label.scrollWidth <= label.clientWidth,
            inputWidth: parts[1]!.width,
            clearWidth: parts[2]!.width,
            sourceWhole: [...panel.querySelectorAll<HTMLElement>('.referrer-source')].every((s) => s.scrollWidth <= s.clientWidth),
          };
        });
        expect(geometry.width).toBeLessThan(300);
        expect(geometry).toMatchObject({ inside: true, labelWhole: true, sourceWhole: true });
        expect(geometry.inputWidth).toBeGreaterThan(80);
        expect(geometry.clearWidth).toBeGreaterThan(16);
        expect(await violations(page)).toEqual([]);
        await c.panel.screenshot({ path: join(DOCS, `panel-referrer-${lang}.png`) });

        // One click: the subject names her, and the card goes.
        const subject = (await suggestion.first().getAttribute('data-subject'))!;
        await suggestion.first().click();
        await expect.poll(() => c.subject.inputValue(), WAIT).toBe(subject);
        await expect.poll(() => c.finding('referrer-not-in-subject').count(), WAIT).toBe(0);

        // Back to a subject without her, then cleared: the card and her subjects go.
        await c.subject.fill('Quick question');
        await c.finding('referrer-not-in-subject').waitFor(WAIT);
        await line.locator('.referrer-clear').click();
        await expect.poll(() => c.finding('referrer-not-in-subject').count(), WAIT).toBe(0);
        await expect.poll(() => suggestion.count(), WAIT).toBe(0);
        expect(await input.inputValue()).toBe('');
        expect(await source.textContent()).toBe(words.referrerNone!.message);
        expect(await line.locator('.referrer-clear').isHidden()).toBe(true);
        // A referrer named in the email shows with where it was found; a name typed wins.
        await c.body.click({ position: { x: 4, y: 4 } });
        await page.keyboard.press('Control+Home');
        await page.keyboard.type('Pat Lee suggested I write to you. ');
        await expect.poll(() => input.inputValue(), WAIT).toBe('Pat Lee');
        expect(await source.textContent()).toBe(words.referrerFromEmail!.message);
        await c.panel.locator('.suggestions button[data-subject*="Pat Lee"]').first().waitFor(WAIT);
        await input.fill('Sally Smith');
        await input.press('Tab');
        await suggestion.first().waitFor(WAIT);
        await expect.poll(() => c.panel.locator('.suggestions button[data-subject*="Pat Lee"]').count(), WAIT).toBe(0);
        expect(await source.textContent()).toBe(words.referrerFromUser!.message);

        // Pat is only mentioned: cleared, Pat is found again; then "no one referred me".
        const patChips = c.panel.locator('.suggestions button[data-subject*="Pat Lee"]');
        const clear = line.locator('.referrer-clear');
        const auto = line.locator('.referrer-auto');
        await clear.click();
        await expect.poll(() => input.inputValue(), WAIT).toBe('Pat Lee');
        await patChips.first().waitFor(WAIT);
        await c.finding('referrer-not-in-subject').waitFor(WAIT);
        expect(await source.textContent()).toBe(words.referrerFromEmail!.message);
        expect(await auto.isHidden()).toBe(true);
        const nobody = line.getByRole('button', { name: words.referrerNobody!.message, exact: true });
        expect(await nobody.getAttribute('title')).toBe(words.referrerNobody!.message);
        await nobody.click();
        await expect.poll(() => c.finding('referrer-not-in-subject').count(), WAIT).toBe(0);
        await expect.poll(() => patChips.count(), WAIT).toBe(0);
        expect(await c.panel.locator('.suggestions button[data-subject*="Sally Smith"]').count()).toBe(0);
        expect(await input.inputValue()).toBe('');
        expect(await source.textContent()).toBe(words.referrerNobodySaid!.message);
        expect(await clear.isHidden()).toBe(true);
        expect(await auto.textContent()).toBe(words.referrerAuto!.message);
        // Still so after more typing in the body (each analysis carries it).
        const stats = c.panel.locator('.stats');
        const counted = await stats.textContent();
        await c.body.click({ position: { x: 4, y: 4 } });
        await page.keyboard.press('Control+Home');
        await page.keyboard.type('Quick note. ');
        await expect.poll(() => stats.textContent(), WAIT).not.toBe(counted);
        expect(await c.finding('referrer-not-in-subject').count()).toBe(0);
        expect(await patChips.count()).toBe(0);
        expect(await input.inputValue()).toBe('');
        // The "Find automatically" button fits the narrowest panel, beside or under the line.
        const foot = await c.panel.evaluate((panel) => {
          const r = (el: Element) => el.getBoundingClientRect();
          const button = r(panel.querySelector('.referrer-auto')!);
          return { inside: button.left >= r(panel).left && button.right <= r(panel).right, width: button.width };
        });
        expect(foot.inside).toBe(true);
        expect(foot.width).toBeGreaterThan(40);
        expect(await violations(page)).toEqual([]);
        await c.panel.screenshot({ path: join(DOCS, `panel-referrer-nobody-${lang}.png`) });

        // Back to automatic: Pat, her card and her subjects return.
        await auto.click();
        await expect.poll(() => input.inputValue(), WAIT).toBe('Pat Lee');
        await c.finding('referrer-not-in-subject').waitFor(WAIT);
        await patChips.first().waitFor(WAIT);
        expect(await source.textContent()).toBe(words.referrerFromEmail!.message);
        expect(await auto.isHidden()).toBe(true);
        // Said nobody again, then a name typed over it wins.
        await nobody.click();
        await expect.poll(() => patChips.count(), WAIT).toBe(0);
        await input.fill('Sally Smith');
        await input.press('Enter');
        await suggestion.first().waitFor(WAIT);
        await c.finding('referrer-not-in-subject').waitFor(WAIT);
        expect(await source.textContent()).toBe(words.referrerFromUser!.message);

        // Nothing of it was stored.
        const stored = JSON.stringify(await browser.worker.evaluate(async () => [await chrome.storage.sync.get(null), await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));
        expect(stored).not.toContain('Sally');
        expect(stored).not.toContain('Pat');
      } finally {
        await browser.close();
      }
    });
  }
});
