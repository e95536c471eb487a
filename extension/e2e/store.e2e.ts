// What a new user meets: the first-run page that sets and tests the analyzer address, the
// privacy policy linked from the options, and the panel in the browser's language (the
// fixture's Gmail is French; with Chrome in French, so is the panel). The store listing's
// screenshots (1280×800) are taken here, in docs/extension/.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ARTIFACTS_DIR, compose, launch, openCompose, openGmail, REPO_DIR, requireChromium, type Browser } from './harness';
import { withBackend } from './suite';

const CHROMIUM = requireChromium();
const WAIT = { timeout: 15_000 };
/** Test artifacts by default; INTRO_COACH_DOCS_SHOTS=1 refreshes docs/extension. */
const DOCS = process.env.INTRO_COACH_DOCS_SHOTS === '1' ? join(REPO_DIR, 'docs', 'extension') : join(ARTIFACTS_DIR, 'store');

const HEADINGS = { en: ['Fix first', 'Worth changing'], fr: ["À corriger d'abord", 'À revoir'] };

describe.skipIf(!CHROMIUM)('store readiness', () => {
  const backend = withBackend(DOCS);

  test('a new install opens the first-run page, which tests and saves the analyzer address', async () => {
    const browser = await launch({ viewport: { width: 1280, height: 800 } });
    try {
      const welcome =
        browser.context.pages().find((p) => p.url().endsWith('/welcome.html')) ??
        (await browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/welcome.html'), timeout: 15_000 }));
      await welcome.waitForLoadState();
      // A typo first: nothing answers there, and nothing is saved.
      await welcome.locator('#backend-url').fill(`http://127.0.0.1:${backend.port + 1}`);
      await welcome.getByRole('button', { name: 'Test and save' }).click();
      await welcome.locator('#backend-status.error').waitFor(WAIT);
      expect(await welcome.locator('#next-steps').isVisible()).toBe(false);
      // An address this build may not reach is refused before any request.
      await welcome.locator('#backend-url').fill('https://example.org');
      await welcome.getByRole('button', { name: 'Test and save' }).click();
      await welcome.locator('#backend-status').filter({ hasText: 'may only reach' }).waitFor(WAIT);
      await welcome.locator('#backend-url').fill(backend.url);
      await welcome.getByRole('button', { name: 'Test and save' }).click();
      await welcome.locator('#backend-status').filter({ hasText: 'Connected to Intro Coach' }).waitFor(WAIT);
      await welcome.locator('#next-steps').waitFor(WAIT);
      expect(await browser.worker.evaluate(() => chrome.storage.sync.get('backendUrl'))).toEqual({ backendUrl: backend.url });
      await welcome.screenshot({ path: join(DOCS, 'welcome.png'), fullPage: true });
      // The privacy policy, from the options page.
      const options = await browser.context.newPage();
      await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
      // The rules are listed once the settings are read, which moves the link down.
      await options.locator('#rules label').first().waitFor(WAIT);
      await options.locator('#privacy-link').click();
      await options.waitForURL(/privacy\.html$/);
      expect(await options.locator('h1').innerText()).toBe('Intro Coach privacy policy');
      expect(await options.locator('body').innerText()).toContain('Nothing of your draft');
      expect(browser.extensionId).toBe('clofeipofbpokeanhnjciicpgpnnlomf');
    } finally {
      await browser.close();
    }
  });

  for (const lang of ['en', 'fr'] as const) {
    test(`Chrome in ${lang === 'en' ? 'English' : 'French'}: the panel speaks it too`, async () => {
      const browser: Browser = await launch({ backendUrl: backend.url, lang, viewport: { width: 1280, height: 800 } });
      try {
        const page = await openGmail(browser);
        const id = await openCompose(page);
        const c = compose(page, id);
        await c.root.locator('[data-fx=to-input]').fill('Jordan Lee <jordan@example.com>');
        await c.root.locator('[data-fx=to-input]').press('Enter');
        await c.body.click({ position: { x: 4, y: 4 } });
        await page.keyboard.type('Hi Jordan, Sally Smith suggested I contact you. I would love an informational interview about UX research in Portland. I have attached my resume.');
        await c.fileInput.setInputFiles({ name: 'Jane_Doe_Resume.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(48_000) });
        await c.panel.locator('.finding[data-rule="resume-attached"]').waitFor(WAIT);
        const headings = await c.panel.locator('h3').allInnerTexts();
        const [fix, change] = HEADINGS[lang];
        expect(headings.map((h) => h.toLowerCase())).toEqual(expect.arrayContaining([fix!.toLowerCase(), change!.toLowerCase()]));
        // One card for the resume, attached and announced.
        expect(await c.panel.locator('.finding[data-rule="resume-attached"]').count()).toBe(1);
        await page.mouse.move(0, 0);
        await page.screenshot({ path: join(DOCS, `store-${lang}.png`) });
      } finally {
        await browser.close();
      }
    });
  }
});
