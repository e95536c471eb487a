// The extension as a user meets it: real headless Chromium, the unpacked build, the real
// backend on loopback, and a stand-in for Gmail's compose window at Gmail's address.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ARTIFACTS_DIR,
  Backend,
  requireChromium,
  compose,
  freePort,
  getSettings,
  launch,
  openCompose,
  openGmail,
  setSettings,
  type Browser,
} from './harness';

const CHROMIUM = requireChromium();

const WAIT = { timeout: 10_000 };

/** Every test below runs against each of these Gmails (see e2e/fixtures/gmail.html).
 * A popped-out compose window is alone in its browser window: the tests that need the
 * inbox (a second window, closing one, an inline reply) are not made for it, and the
 * others run in its one window. */
const VARIANTS = [
  { name: 'default', query: '', inbox: true },
  { name: 'hashed-classes', query: '?hashed=1', inbox: true },
  { name: 'dark-rtl', query: '?theme=dark&dir=rtl', inbox: true },
  { name: 'preview-pane', query: '?preview=1', inbox: true },
  { name: 'pop-out', query: '?view=cm', inbox: false },
];

for (const variant of VARIANTS) {
describe.skipIf(!CHROMIUM)(`Intro Coach in a Gmail compose window (${variant.name})`, () => {
  const SCREENSHOTS = join(ARTIFACTS_DIR, 'e2e', variant.name === 'default' ? '' : variant.name);
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** What `guarded` caught: an error that was not thrown into the page, but still a bug. */
  const reported: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    backend = new Backend(await freePort());
    await backend.start();
    browser = await launch({ backendUrl: backend.url });
    page = await openGmail(browser, variant.query);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.text().startsWith('Intro Coach:')) reported.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.dispose();
  });

  /** Types at the start of the message, above Gmail's signature. */
  async function typeInBody(id: string, text: string): Promise<void> {
    const c = compose(page, id);
    await c.body.click({ position: { x: 4, y: 4 } });
    // The start of the message whatever the writing direction (a click at the left edge
    // of a right-to-left line lands at its end).
    await page.keyboard.press('Control+Home');
    await page.keyboard.type(text);
    // A pop-out leaves no room beside its window: the panel opens from its pill, and
    // stays open while the user writes.
    if (!variant.inbox) await c.showPanel();
  }

  async function screenshotPanel(id: string, name: string): Promise<void> {
    // Where there is no room beside the window (a pop-out) the panel is opened from its pill.
    await compose(page, id).showPanel();
    await compose(page, id).panel.screenshot({ path: join(SCREENSHOTS, `${name}-panel.png`) });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-page.png`) });
  }

  let first = '';

  test('"informational interview" is flagged and highlighted, the email left as typed', async () => {
    first = variant.inbox ? await openCompose(page) : 'popout';
    const c = compose(page, first);
    await typeInBody(first, 'Hi Jordan, I would love an informational interview about UX research in Portland.');
    const finding = c.finding('informational-interview');
    await finding.waitFor(WAIT);
    expect(await finding.innerText()).toContain('informational interview');

    // The highlight is a box of ours over the phrase, not markup in the message.
    const mark = c.marks.locator('xpath=.').filter({ visible: true }).first();
    await mark.waitFor(WAIT);
    const box = await mark.boundingBox();
    const phrase = await c.body.evaluate((body) => {
      const text = [...body.querySelectorAll('div')].map((d) => d.firstChild).find((n) => n?.textContent?.includes('informational'));
      const range = document.createRange();
      const start = text!.textContent!.indexOf('an informational interview');
      range.setStart(text!, start);
      range.setEnd(text!, start + 'an informational interview'.length);
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
    expect(box).not.toBeNull();
    expect(Math.abs(box!.x - phrase.x)).toBeLessThan(2);
    expect(Math.abs(box!.width - phrase.width)).toBeLessThan(2);
    expect(Math.abs(box!.y - phrase.y)).toBeLessThan(4);
    const html = await c.body.innerHTML();
    expect(html).not.toMatch(/intro-coach|mark/);
    expect(await page.evaluate((id) => (window as never as { __drafts: Record<string, { body: string }> }).__drafts[id]!.body, first)).not.toMatch(/intro-coach/);
    await screenshotPanel(first, 'informational-interview');
  });

  test('the highlight follows when the text above it grows', async () => {
    const c = compose(page, first);
    const before = await c.marks.first().boundingBox();
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    // The marks are redrawn in the frame after the edit, not within the key press.
    await expect.poll(async () => (await c.marks.first().boundingBox())!.y, WAIT).toBeGreaterThan(before!.y + 10);
    await page.keyboard.press('Backspace');
  });

  test('a replacement is applied in the body and undone with Ctrl+Z', async () => {
    const c = compose(page, first);
    await c.finding('informational-interview').getByRole('button', { name: /a 20-minute conversation/ }).click();
    await expect.poll(() => c.body.innerText(), WAIT).toContain('a 20-minute conversation');
    await c.finding('informational-interview').waitFor({ state: 'detached', ...WAIT });
    await page.keyboard.press('Control+z');
    await expect.poll(() => c.body.innerText(), WAIT).toContain('an informational interview');
    await c.finding('informational-interview').waitFor(WAIT);
  });

  test('a resume attached a moment ago is flagged', async () => {
    const c = compose(page, first);
    await c.fileInput.setInputFiles({ name: 'Jane_Doe_Resume.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(48_000) });
    const finding = c.panel.locator('.finding[data-rule="resume-attached"][data-field="attachments"]');
    await finding.waitFor(WAIT);
    expect(await finding.innerText()).toContain('Jane_Doe_Resume.pdf');
    await screenshotPanel(first, 'resume');
    if (!variant.inbox) return;
    // The README's picture: the compose window with its panel beside it, nothing selected.
    await page.mouse.move(0, 0);
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.press('End');
    const boxes = await Promise.all([c.root.boundingBox(), c.panel.boundingBox()]);
    const left = Math.min(...boxes.map((b) => b!.x)) - 16;
    const top = Math.min(...boxes.map((b) => b!.y)) - 16;
    await page.screenshot({ path: join(SCREENSHOTS, 'readme-panel.png'), clip: { x: left, y: top, width: 1400 - left, height: 900 - top } });
  });

  let second = '';

  test('a subject suggestion is put in the subject, and Gmail sees the change', async () => {
    second = variant.inbox ? await openCompose(page) : first;
    const c = compose(page, second);
    await typeInBody(second, 'Hi Jordan, Sally Smith suggested I contact you about UX research.');
    await c.finding('referrer-not-in-subject').waitFor(WAIT);
    const suggestion = c.panel.locator('button[data-subject="Sally Smith suggested I contact you"]');
    await suggestion.click();
    expect(await c.subject.inputValue()).toBe('Sally Smith suggested I contact you');
    // The fixture saves the draft from the input events Gmail listens to.
    const saved = await page.evaluate((id) => (window as never as { __drafts: Record<string, { subject: string }> }).__drafts[id]!.subject, second);
    expect(saved).toBe('Sally Smith suggested I contact you');
    await c.finding('referrer-not-in-subject').waitFor({ state: 'detached', ...WAIT });
    await c.finding('missing-subject').waitFor({ state: 'detached', ...WAIT });
  });

  if (variant.inbox) test('two compose windows are coached each on its own', async () => {
    const one = compose(page, first);
    const two = compose(page, second);
    expect(await one.finding('informational-interview').count()).toBe(1);
    expect(await two.finding('informational-interview').count()).toBe(0);
    expect(await one.finding('missing-subject').count()).toBe(1);
    expect(await two.finding('missing-subject').count()).toBe(0);
    await typeInBody(second, 'Could I pick your brain? ');
    await two.finding('pick-your-brain').waitFor(WAIT);
    expect(await one.finding('pick-your-brain').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'two-windows.png') });
  });

  test('"Ignore" persists in sync storage and is sent with the next request', async () => {
    const c = compose(page, second);
    if (!variant.inbox) await typeInBody(second, 'Could I pick your brain? ');
    await c.finding('pick-your-brain').getByRole('button', { name: /Ignore/ }).click();
    await c.finding('pick-your-brain').waitFor({ state: 'detached', ...WAIT });
    const settings = await getSettings(browser.worker);
    expect(settings.ignored).toEqual([{ rule: 'pick-your-brain', match: 'pick your brain' }]);
    // A new analysis (after more typing) still leaves it out: the backend got the option.
    // The thanks goes where a close would, at the end of what was written (one that
    // opens the email, with more after it, is not a close; the signature comes last).
    await c.body.click({ position: { x: 4, y: 4 } });
    await c.body.evaluate((body) => {
      const range = document.createRange();
      range.selectNodeContents(body.querySelector('div') ?? body);
      range.collapse(false);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    await page.keyboard.type(' Thanks so much!');
    if (!variant.inbox) await c.showPanel();
    await c.panel.locator('.finding[data-rule="no-thanks"]').waitFor({ state: 'detached', ...WAIT });
    expect(await c.finding('pick-your-brain').count()).toBe(0);
  });

  test('"Turn this rule off" silences the rule in every window', async () => {
    const one = compose(page, first);
    await one.showPanel();
    await one.finding('no-opinion-ask').getByRole('button', { name: /Turn off/ }).click();
    await one.finding('no-opinion-ask').waitFor({ state: 'detached', ...WAIT });
    expect((await getSettings(browser.worker)).disabledRules).toEqual(['no-opinion-ask']);
    await setSettings(browser.worker, { disabledRules: [], ignored: [] });
    await one.finding('no-opinion-ask').waitFor(WAIT);
  });

  test('new findings are announced, and every button has a label', async () => {
    const c = compose(page, first);
    const live = c.panel.locator('[aria-live="polite"]');
    expect(await live.textContent()).toMatch(/Intro Coach/);
    const unlabelled = await c.panel.locator('button').evaluateAll((buttons) =>
      buttons.filter((b) => !(b.getAttribute('aria-label') || b.textContent?.trim())).length,
    );
    expect(unlabelled).toBe(0);
    // Two windows leave no room beside this one: its panel opens from a pill and closes
    // again, with the button or with Escape, which returns to the message.
    await c.showPanel();
    await c.panel.getByRole('button', { name: 'Close the Intro Coach panel' }).click();
    await c.panel.waitFor({ state: 'hidden', ...WAIT });
    expect(await c.pill.getAttribute('aria-expanded')).toBe('false');
    await c.pill.click();
    await c.panel.waitFor(WAIT);
    await c.panel.locator('button').first().focus();
    await page.keyboard.press('Escape');
    await c.panel.waitFor({ state: 'hidden', ...WAIT });
    expect(await c.body.evaluate((b) => b === document.activeElement)).toBe(true);
  });

  test('the keyboard shortcut moves focus to the panel of the window in use', async () => {
    const manifest = await browser.worker.evaluate(() => chrome.runtime.getManifest());
    expect(Object.keys(manifest.commands ?? {})).toContain('focus-panel');
    const c = compose(page, second);
    await page.bringToFront();
    await c.body.click({ position: { x: 4, y: 4 } });
    // What Chrome does on the shortcut: the service worker's onCommand sends this.
    await browser.worker.evaluate(async () => {
      const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
      await chrome.tabs.sendMessage(tab!.id!, { type: 'focus-panel' });
    });
    await c.panel.waitFor(WAIT);
    await expect.poll(() => c.panel.evaluate((p) => p.contains((p.getRootNode() as ShadowRoot).activeElement)), WAIT).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => c.body.evaluate((b) => b === document.activeElement), WAIT).toBe(true);
  });

  if (variant.inbox) test('closing the compose windows removes their panels', async () => {
    for (const id of [second, first]) {
      await compose(page, id).root.locator('[data-fx=close]').click();
    }
    expect(await page.locator('intro-coach-panel').count()).toBe(0);
  });

  if (variant.inbox) test('an inline reply leaves the quoted text and the signature out', async () => {
    await page.click('[data-fx=reply]');
    const c = compose(page, 'reply');
    await typeInBody('reply', 'Thanks so much, Jordan! Could I pick your brain for 20 minutes next week?');
    // The answer about what was typed (the reply's first answer, before typing, had nothing).
    await c.finding('pick-your-brain').waitFor(WAIT);
    // The quote says "informational interview"; the reply itself does not.
    expect(await c.finding('informational-interview').count()).toBe(0);
    // A reply keeps its subject: no subject advice.
    expect(await c.panel.locator('.suggestions').count()).toBe(0);
    await screenshotPanel('reply', 'inline-reply');
  });

  if (!variant.inbox) test('a popped-out reply leaves the quoted text and the signature out', async () => {
    const reply = await openGmail(browser, '?view=cm&th=18c2b7f0a1d3e4f5');
    reply.on('pageerror', (error) => pageErrors.push(error.message));
    const c = compose(reply, 'popout-reply');
    await c.body.click({ position: { x: 4, y: 4 } });
    await reply.keyboard.press('Control+Home');
    await reply.keyboard.type('Thanks so much, Jordan! Could I pick your brain for 20 minutes next week?');
    await c.showPanel();
    await c.finding('pick-your-brain').waitFor(WAIT);
    // The quote says "informational interview" and asks for the resume; the reply does not.
    expect(await c.finding('informational-interview').count()).toBe(0);
    expect(await c.panel.locator('.suggestions').count()).toBe(0);
    await reply.screenshot({ path: join(SCREENSHOTS, 'popped-out-reply-page.png') });
    await reply.close();
  });

  test('the status line says when the backend is down, and findings return with it', async () => {
    const target = variant.inbox ? 'reply' : first;
    const c = compose(page, target);
    await backend.stop();
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.type(' Are there any openings on your team?');
    if (!variant.inbox) await c.showPanel();
    await c.status.filter({ hasText: "Can't reach the Intro Coach service" }).waitFor(WAIT);
    await screenshotPanel(target, 'backend-down');
    await backend.start();
    // The backend restarts in seconds on a loaded machine; the retry waits up to 5 s more.
    await c.finding('job-ask').waitFor({ timeout: 30_000 });
    expect(await c.status.count()).toBe(0);
  });

  test('the options page: backend URL, rule toggles, the Gmail connection', async () => {
    // A grammar rule turned off from a finding is listed, so it can be turned back on.
    await setSettings(browser.worker, { disabledRules: ['grammar:MORFOLOGIK_RULE_EN_US'] });
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    expect(await options.locator('#backend-url').inputValue()).toBe(backend.url);
    const grammarRule = options.locator('input[name="grammar:MORFOLOGIK_RULE_EN_US"]');
    await grammarRule.waitFor(WAIT);
    expect(await grammarRule.isChecked()).toBe(false);
    expect(await options.locator('label', { has: grammarRule }).innerText()).toContain('Grammar and spelling');
    await grammarRule.click(); // not check(): once on, the rule leaves the list
    await expect.poll(async () => (await getSettings(browser.worker)).disabledRules, WAIT).toEqual([]);
    await grammarRule.waitFor({ state: 'detached', ...WAIT });
    await options.locator('input[name="too-long"]').uncheck();
    await expect.poll(async () => (await getSettings(browser.worker)).disabledRules, WAIT).toEqual(['too-long']);
    await options.locator('#backend-test').click();
    await options.locator('#backend-status').filter({ hasText: 'Connected to Intro Coach' }).waitFor(WAIT);
    // This backend has no Google client: Gmail cannot be connected, and the button says why.
    await options.locator('#gmail-state').filter({ hasText: 'Not available' }).waitFor(WAIT);
    expect(await options.locator('#gmail-connect').isDisabled()).toBe(true);
    expect(await options.locator('#gmail-connect').textContent()).toBe('Gmail connection is not configured');
    await options.screenshot({ path: join(SCREENSHOTS, 'options.png'), fullPage: true });
    await setSettings(browser.worker, { disabledRules: [] });
    await options.close();
  });

  test('nothing was thrown into the page, nor caught and reported', () => {
    expect(pageErrors).toEqual([]);
    expect(reported).toEqual([]);
  });
});
}
