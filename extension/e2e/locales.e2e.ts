// The extension's own pages (first run, options, privacy policy) in the browser's
// language, as a French-speaking user meets them: Chromium started with --lang=fr, every
// state a page can show (saved, refused, unreachable; Gmail connected, signed out,
// denied, cancelled, disconnected, ended), and after each one no visible word, title or
// aria-label that is not one of the French messages. The same for the panel's own words
// in Gmail (the analyzer's advice in French is french.e2e.ts's). Full-page screenshots of
// each page go to docs/extension/ with INTRO_COACH_DOCS_SHOTS=1 (test artifacts
// otherwise).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  ARTIFACTS_DIR,
  EXTENSION_DIR,
  GoogleFake,
  compose,
  launch,
  openCompose,
  openGmail,
  REPO_DIR,
  requireChromium,
  setSettings,
  type Browser,
} from './harness';
import { withBackend } from './suite';

const CHROMIUM = requireChromium();
const WAIT = { timeout: 15_000 };
const DOCS = process.env.INTRO_COACH_DOCS_SHOTS === '1' ? join(REPO_DIR, 'docs', 'extension') : join(ARTIFACTS_DIR, 'store');

type Lang = 'en' | 'fr';
type Messages = Record<string, { message: string }>;
const MESSAGES: Record<Lang, Messages> = {
  en: JSON.parse(readFileSync(join(EXTENSION_DIR, 'static', '_locales', 'en', 'messages.json'), 'utf8')) as Messages,
  fr: JSON.parse(readFileSync(join(EXTENSION_DIR, 'static', '_locales', 'fr', 'messages.json'), 'utf8')) as Messages,
};

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Key names, not words: the same on every keyboard. */
const NOT_WORDS = new Set(['Alt', 'K', '+']);

const squash = (s: string): string => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a piece of page text is one of `lang`'s messages, or part of one: a text node
 * between a message's slots (a link, <code>), or a whole message with its $1… filled. */
function ofLanguage(lang: Lang): (text: string) => boolean {
  const messages = Object.values(MESSAGES[lang]).map((m) => squash(m.message));
  const pieces = messages.flatMap((m) => m.split(/\$[1-9]/).map(squash)).filter(Boolean);
  const whole = messages.map((m) => new RegExp(`^${m.split(/\$[1-9]/).map((p) => escape(squash(p))).join('.*')}$`, 's'));
  const known = (text: string): boolean => NOT_WORDS.has(text) || pieces.some((p) => p.includes(text)) || whole.some((r) => r.test(text));
  // Text without letters (counts, ▾) says nothing in any language; a count with its
  // noun ("3 avertissements") and a list of known words (the Gmail features) are known.
  const words = (text: string): boolean => !/\p{L}/u.test(text) || known(text) || known(text.replace(/^\d+ /, ''));
  return (text) => words(text) || text.split(', ').every(words);
}

/** What a user sees or hears on the page: visible text (outside <code>, which shows
 * names and addresses, and the given user data), the title, and the titles, aria-labels,
 * placeholders and alts of visible elements. */
async function pageWords(page: Page, userData: string[] = []): Promise<string[]> {
  return page.evaluate((skip) => {
    const words: string[] = [document.title];
    const shown = (el: Element): boolean => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !node.textContent?.trim() || !shown(parent)) continue;
      if (parent.closest(['code', 'script', 'style', ...skip].join(','))) continue;
      words.push(node.textContent);
    }
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
      if ((!shown(el) && !el.classList.contains('sr-only')) || el.closest('code')) continue;
      for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
        const value = el.getAttribute(name);
        if (value) words.push(value);
      }
    }
    // Screen-reader-only text (the rules' legend) is heard, not seen.
    for (const el of document.querySelectorAll('.sr-only')) if (el.textContent?.trim()) words.push(el.textContent);
    return words;
  }, userData);
}

/** Fails on any word on the page that is not in the page's language. */
async function expectAll(page: Page, lang: Lang, userData: string[] = []): Promise<void> {
  const words = (await pageWords(page, userData)).map(squash).filter(Boolean);
  const known = ofLanguage(lang);
  expect(words.filter((w) => !known(w)), `${page.url()} in ${lang}`).toEqual([]);
  expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, 'ltr']);
  if (lang === 'fr') {
    // And none of the English sentences slipped through inside a French one.
    const text = squash(words.join(' '));
    const english = Object.entries(MESSAGES.en)
      .map(([key, m]) => [squash(m.message), squash(MESSAGES.fr[key]!.message)] as const)
      .filter(([e, f]) => e !== f && e.split(' ').length >= 3)
      .flatMap(([e]) => e.split(/\$[1-9]/).map(squash).filter((p) => p.split(' ').length >= 3));
    expect(english.filter((e) => text.includes(e))).toEqual([]);
  }
}

/** Text that does not fit its box (clipped, or pushing the page sideways), or too small to read. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page ${document.documentElement.scrollWidth}px wide`);
    for (const el of document.querySelectorAll<HTMLElement>('main *')) {
      // Inline boxes have no client width; their block holds them.
      if (!el.checkVisibility() || el.clientWidth === 0 || el.classList.contains('sr-only')) continue;
      const clipsX = el.scrollWidth > el.clientWidth + 1;
      // Chrome shrinks an extension page's body text to 75% unless the page sets its own.
      if (el.firstChild?.nodeType === Node.TEXT_NODE && parseFloat(getComputedStyle(el).fontSize) < 12) out.push(`${el.tagName.toLowerCase()}: ${getComputedStyle(el).fontSize} text`);
      const clipsY = getComputedStyle(el).overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1;
      if (clipsX || clipsY) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}: ${el.textContent?.trim().slice(0, 40)}`);
    }
    return out;
  });
}

/** axe-core's WCAG 2 A and AA violations (contrast, lang, labels) on the page. Evaluated,
 * not added as a script tag, which an extension page's CSP refuses. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    type Found = { id: string; nodes: { target: unknown[]; failureSummary?: string }[] };
    const axe = (window as never as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Found[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`));
  });
}

/** The panel's own words (its shadow root), leaving out what the analyzer wrote: the
 * findings' messages and explanations, subject lines and their reasons, and the live
 * region that reads findings out. */
async function panelWords(page: Page, composeId: string): Promise<string[]> {
  return page.evaluate((id) => {
    const root = document.querySelector(`[data-compose="${id}"] intro-coach-panel`)?.shadowRoot;
    if (!root) return ['(no panel)'];
    const analyzers = '.message, .reason, details > p, .subject button, [aria-live], style';
    const words: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent?.trim() && !node.parentElement?.closest(analyzers)) words.push(node.textContent);
    }
    for (const el of root.querySelectorAll('[title], [aria-label]')) {
      for (const name of ['title', 'aria-label']) {
        const value = el.getAttribute(name);
        if (value) words.push(value);
      }
    }
    return words;
  }, composeId);
}

async function expectFits(page: Page): Promise<void> {
  expect(await axeViolations(page), page.url()).toEqual([]);
  for (const width of [1280, 480]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await overflowing(page), `${page.url()} at ${width}px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe.skipIf(!CHROMIUM)("the extension's own pages in the browser's language", () => {
  const backend = withBackend(DOCS);

  test('the first-run page in French: every answer it can give, in French', async () => {
    const browser = await launch({ lang: 'fr', viewport: { width: 1280, height: 800 } });
    try {
      const welcome =
        browser.context.pages().find((p) => p.url().endsWith('/welcome.html')) ??
        (await browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/welcome.html'), timeout: 15_000 }));
      await welcome.waitForLoadState();
      expect(await welcome.locator('h1').innerText()).toBe('Bienvenue dans Intro Coach');
      await expectAll(welcome, 'fr');
      const status = welcome.locator('#backend-status');
      const submit = welcome.getByRole('button', { name: 'Tester et enregistrer' });
      // Plain http away from this machine: refused before any request.
      await welcome.locator('#backend-url').fill('http://example.org');
      await submit.click();
      await status.filter({ hasText: 'Saisissez une adresse https://' }).waitFor(WAIT);
      await expectAll(welcome, 'fr');
      await welcome.locator('#backend-url').fill('https://example.org');
      await submit.click();
      await status.filter({ hasText: 'ne peut joindre que' }).waitFor(WAIT);
      await expectAll(welcome, 'fr');
      await welcome.locator('#backend-url').fill(`http://127.0.0.1:${backend.port + 1}`);
      await submit.click();
      await status.filter({ hasText: 'Impossible de joindre' }).waitFor(WAIT);
      await expectAll(welcome, 'fr');
      await welcome.locator('#backend-url').fill(backend.url);
      await submit.click();
      await status.filter({ hasText: 'Connecté à Intro Coach' }).waitFor(WAIT);
      await welcome.locator('#next-steps').waitFor(WAIT);
      await expectAll(welcome, 'fr');
      await expectFits(welcome);
      await welcome.screenshot({ path: join(DOCS, 'welcome-fr.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  for (const lang of ['en', 'fr'] as const) {
    test(`the options page and the privacy policy in ${lang === 'en' ? 'English' : 'French'}`, async () => {
      const browser = await launch({ lang, backendUrl: backend.url, viewport: { width: 1280, height: 800 } });
      try {
        // A phrase ignored and a grammar rule turned off from the panel: both listed.
        await setSettings(browser.worker, { ignored: [{ rule: 'pick-your-brain', match: 'pick your brain' }], disabledRules: ['grammar:EN_A_VS_AN'] });
        const options = await browser.context.newPage();
        await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
        const fr = lang === 'fr';
        // The plain backend has no Google client: Gmail cannot be connected, and the page says why.
        await options.locator('#gmail-state').filter({ hasText: fr ? 'Indisponible' : 'Not available' }).waitFor(WAIT);
        await options.locator('#ignored li').waitFor(WAIT);
        await options.getByRole('button', { name: fr ? 'Tester la connexion' : 'Test connection' }).click();
        await options.locator('#backend-status').filter({ hasText: fr ? 'Connecté à Intro Coach' : 'Connected to Intro Coach' }).waitFor(WAIT);
        await expectAll(options, lang);
        expect(await options.locator('#ignored li > span').innerText()).toBe(fr ? '«\u00a0pick your brain\u00a0» (pick-your-brain)' : '“pick your brain” (pick-your-brain)');
        await expectFits(options);
        await options.screenshot({ path: join(DOCS, `options-${lang}.png`), fullPage: true });
        // Nothing answering there: said in the page's language, and so is the Gmail state.
        await options.locator('#backend-url').fill(`http://127.0.0.1:${backend.port + 1}`);
        await options.getByRole('button', { name: fr ? 'Enregistrer' : 'Save' }).click();
        await options.locator('#backend-status.error').waitFor(WAIT);
        await options.locator('#gmail-state').filter({ hasText: fr ? 'Inconnu' : 'Unknown' }).waitFor(WAIT);
        await expectAll(options, lang);
        // The privacy policy, from the options page.
        await options.locator('#privacy-link').click();
        await options.waitForURL(/privacy\.html$/);
        expect(await options.locator('h1').innerText()).toBe(fr ? "Politique de confidentialité d'Intro Coach" : 'Intro Coach privacy policy');
        await expectAll(options, lang);
        await expectFits(options);
        await options.screenshot({ path: join(DOCS, `privacy-${lang}.png`), fullPage: true });
        // The translation points to the English original, which is the one that counts.
        await options.locator('#privacy-authority a').click();
        await options.waitForURL(/privacy\.html\?lang=en$/);
        expect(await options.locator('h1').innerText()).toBe('Intro Coach privacy policy');
        await expectAll(options, 'en');
      } finally {
        await browser.close();
      }
    });
  }

  test('the Gmail connection in French: connected, signed out, denied, cancelled, disconnected, ended', async () => {
    const browser: Browser = await launch({ lang: 'fr' });
    const google = await GoogleFake.start(browser.extensionId);
    try {
      // The service worker speaks French too (its notes go to the options page and the panel).
      expect(await browser.worker.evaluate(() => chrome.i18n.getMessage('pageLang'))).toBe('fr');
      await setSettings(browser.worker, { backendUrl: google.backend });
      const options = await browser.context.newPage();
      await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
      const state = options.locator('#gmail-state');
      const message = options.locator('#gmail-message');
      const connect = options.locator('#gmail-connect');
      const consent = async (): Promise<Page> => {
        await expect.poll(() => connect.isEnabled(), WAIT).toBe(true);
        const popup = browser.context.waitForEvent('page', WAIT);
        await connect.click();
        const page = await popup;
        await page.locator('#allow').waitFor(WAIT);
        return page;
      };
      await state.filter({ hasText: 'Non connecté' }).waitFor(WAIT);
      expect(await connect.innerText()).toBe('Connecter Gmail');
      await expectAll(options, 'fr');
      await (await consent()).locator('#allow').click();
      await state.filter({ hasText: /^Connecté$/ }).waitFor(WAIT);
      expect(await options.locator('#gmail-features').innerText()).toBe(
        "conversation (un CV qu'on vous a demandé n'est pas signalé), recommandation (qui vous a mis en relation)",
      );
      await expectAll(options, 'fr', ['#gmail-email']);
      await expectFits(options);
      await options.locator('#gmail-connection').screenshot({ path: join(DOCS, 'options-gmail-fr.png') });
      await options.getByRole('button', { name: 'Fermer la session sur ce navigateur' }).click();
      await message.filter({ hasText: 'Session fermée sur ce navigateur' }).waitFor(WAIT);
      await expectAll(options, 'fr');
      await (await consent()).locator('#deny').click();
      await message.filter({ hasText: 'autorisation refusée' }).waitFor(WAIT);
      await expectAll(options, 'fr');
      // Chrome's own error for a closed sign-in window is read as "cancelled" in French too.
      await (await consent()).close();
      await message.filter({ hasText: 'Connexion annulée' }).waitFor(WAIT);
      await expectAll(options, 'fr');
      await (await consent()).locator('#allow').click();
      await state.filter({ hasText: /^Connecté$/ }).waitFor(WAIT);
      await options.getByRole('button', { name: 'Déconnecter Gmail' }).click();
      await message.filter({ hasText: 'Gmail est déconnecté' }).waitFor(WAIT);
      await expectAll(options, 'fr');
      // A session the backend no longer accepts: the service worker's note in the panel,
      // and the options page's Reconnect, in French.
      await (await consent()).locator('#allow').click();
      await state.filter({ hasText: /^Connecté$/ }).waitFor(WAIT);
      const { token } = (await browser.worker.evaluate(async () => (await chrome.storage.local.get('gmailSession')).gmailSession)) as { token: string };
      expect((await fetch(`${google.backend}/v1/session`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })).status).toBe(204);
      const gmail = await openGmail(browser);
      const c = compose(gmail, await openCompose(gmail));
      await c.body.click({ position: { x: 4, y: 4 } });
      await gmail.keyboard.type('Hi Jordan, could we talk for 20 minutes? Thanks!');
      await c.showPanel();
      await c.panel.locator('.status', { hasText: "Reconnectez Gmail dans les options d'Intro Coach" }).waitFor(WAIT);
      await state.filter({ hasText: 'Reconnexion nécessaire' }).waitFor(WAIT);
      expect(await connect.innerText()).toBe('Reconnecter Gmail');
      await expectAll(options, 'fr');
    } finally {
      await browser.close();
      await google.stop();
    }
  });

  test("the panel in French: all its own words (the analyzer's advice is french.e2e.ts's)", async () => {
    const browser = await launch({ lang: 'fr', backendUrl: backend.url, viewport: { width: 1280, height: 800 } });
    try {
      const page = await openGmail(browser);
      const id = await openCompose(page);
      const c = compose(page, id);
      await c.body.click({ position: { x: 4, y: 4 } });
      await page.keyboard.type('Hi Jordan, I would love an informational interview. Could I pick your brain about jobs at your company? I have attached my resume.');
      await c.showPanel();
      await c.finding('informational-interview').waitFor(WAIT);
      await c.finding('pick-your-brain').locator('summary').click();
      const known = ofLanguage('fr');
      const words = (await panelWords(page, id)).map(squash).filter(Boolean);
      expect(words.length).toBeGreaterThan(10);
      expect(words.filter((w) => !known(w))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
