// What the extension reads from Gmail's page, proved where the user sees it and where the
// backend receives it: recipients by their row (Cc is Cc; the collapsed "À : …" summary
// of a reply is no row), and the conversation from the compose's own hidden fields (with
// the preview pane's list rows on the page, and in a popped-out reply). Gmail is
// connected through the fake Google, whose mailbox holds the fixture's conversation: in
// it Jordan asked for a resume, so a resume attached to the reply is no mistake, and
// only the right thread id tells the backend so (the quote is trimmed, as Gmail opens a
// reply). Between the extension and the real backend sits a pass-through (recorder.ts)
// that keeps what was sent in this test's memory.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnalyzeRequest, AnalyzeResponse } from '../src/shared/contract';
import { GoogleFake, compose, launch, openGmail, requireChromium, setSettings, sleep, type Browser } from './harness';
import { Recorder, type Analysis } from './recorder';

const CHROMIUM = requireChromium();
const WAIT = { timeout: 10_000 };

/** The conversation open in the fixture (its heading, the reply's hidden `lts` field). */
const THREAD = '18c2b7f0a1d3e4f5';
/** The first row of the preview pane's list: another conversation. */
const FIRST_ROW = '18c1111111111111';
const RESUME = { name: 'Jane_Doe_Resume.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(48_000) };
const JORDAN = { email: 'jordan@example.com', name: 'Jordan Lee' };

/** Gmail's class names are not relied upon: each reading runs with them hashed too. */
const VARIANTS = [
  { name: 'default', query: '' },
  { name: 'hashed-classes', query: '&hashed=1' },
];

describe.skipIf(!CHROMIUM)('what the extension reads from Gmail, as the panel and the backend see it', () => {
  const pageErrors: string[] = [];
  let google: GoogleFake;
  let recorder: Recorder;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launch({});
    google = await GoogleFake.start(browser.extensionId);
    recorder = await new Recorder(google.backend).start();
    await setSettings(browser.worker, { backendUrl: recorder.url });
    // Connect Gmail as a user does: the options page's button, then Allow at "Google".
    const options = await browser.context.newPage();
    const connect = options.locator('#gmail-connect:enabled');
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await connect.waitFor(WAIT);
    const popup = browser.context.waitForEvent('page', WAIT);
    await connect.click();
    await (await popup).locator('#allow').click();
    const connected = () => browser.worker.evaluate(async () => (await chrome.storage.local.get('gmailSession')).gmailSession !== undefined);
    for (let waited = 0; !(await connected()); waited += 100) {
      if (waited > WAIT.timeout) throw new Error('Gmail did not connect');
      await sleep(100);
    }
    await options.close();
  });

  afterAll(async () => {
    await browser?.close();
    await recorder?.stop();
    await google?.stop();
  });

  async function open(query: string): Promise<Page> {
    recorder.forget();
    const page = await openGmail(browser, `?${query.replace(/^&/, '')}`);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  /** The latest answer about a draft `pick` accepts, once Gmail's lookup is in it (the
   * first answers may beat the mailbox's 800 ms deadline: typing asks again). */
  async function answered(page: Page, pick: (r: AnalyzeRequest) => boolean): Promise<Analysis & { response: AnalyzeResponse }> {
    for (let attempt = 0; ; attempt++) {
      const last = recorder.sent(pick).at(-1);
      if (last?.response?.checks.gmail === 'ok') return last as Analysis & { response: AnalyzeResponse };
      if (attempt >= 40) throw new Error(`no answer with Gmail's context: ${JSON.stringify(last?.response?.checks)}`);
      if (attempt % 5 === 4) await page.keyboard.type(' ');
      await page.waitForTimeout(500);
    }
  }

  /** Waits until the panel shows the cards of `response`, and returns their rules. */
  async function shown(c: ReturnType<typeof compose>, response: AnalyzeResponse): Promise<string[]> {
    const rules = [...new Set(response.findings.map((f) => f.rule))].sort();
    const inPanel = () => c.panel.locator('.finding').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-rule') ?? '').sort());
    await expect.poll(inPanel, WAIT).toEqual(rules);
    return rules;
  }

  const hasResume = (r: AnalyzeRequest): boolean => r.attachments.some((a) => a.filename === RESUME.name);

  for (const variant of VARIANTS) {
    test(`${variant.name}: a person in Cc is read as Cc, so the referrer copied on the email is found`, async () => {
      const page = await open(variant.query);
      await page.click('[gh=cm]');
      const id = (await page.locator('[role=dialog][data-compose]').last().getAttribute('data-compose')) ?? '';
      const c = compose(page, id);
      for (const [field, person] of [['to', 'Priya Patel <priya@example.com>'], ['cc', 'Marcus Chen <marcus@example.com>']] as const) {
        await c.root.locator(`[data-fx=${field}-input]`).fill(person);
        await c.root.locator(`[data-fx=${field}-input]`).press('Enter');
      }
      await c.body.click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('Control+Home');
      await page.keyboard.type('Hi Priya, Marcus Chen suggested I contact you about UX research in Portland. Thanks!');
      // Marcus is not written to, so the draft's "Marcus Chen suggested" names a referrer
      // (were he read as a To recipient, he would be taken for the addressee instead).
      await c.showPanel();
      await c.panel.locator('button[data-subject="Marcus Chen suggested I contact you"]').waitFor(WAIT);
      await c.finding('referrer-not-in-subject').waitFor(WAIT);
      const sent = recorder.sent((r) => r.body.text?.includes('Marcus Chen suggested') ?? false).at(-1)!.request;
      expect(sent.to).toEqual([{ email: 'priya@example.com', name: 'Priya Patel' }]);
      expect(sent.cc).toEqual([{ email: 'marcus@example.com', name: 'Marcus Chen' }]);
      expect(sent.thread_id).toBeNull(); // a new message belongs to no conversation
      await page.close();
    });

    test(`${variant.name}: the mailbox is searched for the person written to, not the one in Cc`, async () => {
      const page = await open(variant.query);
      await page.click('[gh=cm]');
      const id = (await page.locator('[role=dialog][data-compose]').last().getAttribute('data-compose')) ?? '';
      const c = compose(page, id);
      // Sally introduced Jordan (the fake mailbox's introduction), not Priya.
      for (const [field, person] of [['to', 'Priya Patel <priya@example.com>'], ['cc', 'Jordan Lee <jordan@example.com>']] as const) {
        await c.root.locator(`[data-fx=${field}-input]`).fill(person);
        await c.root.locator(`[data-fx=${field}-input]`).press('Enter');
      }
      await c.body.click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('Control+Home');
      await page.keyboard.type('Hi Priya, could I get your take on UX research in Portland? Thanks!');
      const { request, response } = await answered(page, (r) => r.body.text?.includes('Hi Priya, could I') === true);
      await c.showPanel();
      await shown(c, response);
      expect(await c.panel.locator('button[data-subject*="Sally"]').count()).toBe(0);
      expect(await c.finding('referrer-not-in-subject').count()).toBe(0);
      expect(response.referrer).toBeNull();
      expect(request.to).toEqual([{ email: 'priya@example.com', name: 'Priya Patel' }]);
      expect(request.cc).toEqual([JORDAN]);
      await page.close();
    });

    test(`${variant.name}: an inline reply with the preview pane on: its own thread (not the list's first row), its summary line read as no one`, async () => {
      const page = await open(`preview=1&trimmed=1${variant.query}`);
      await page.click('[data-fx=reply]');
      const c = compose(page, 'reply');
      await c.body.click({ position: { x: 4, y: 4 } });
      await page.keyboard.type('Thanks so much, Jordan! Here it is. Could I pick your brain for 20 minutes next week?');
      await c.fileInput.setInputFiles(RESUME);
      const { request, response } = await answered(page, hasResume);
      // Jordan asked for it in the conversation: no resume card, only what else there is.
      expect(await shown(c, response)).toContain('pick-your-brain');
      expect(await c.finding('resume-attached').count()).toBe(0);
      expect(request.thread_id).toBe(THREAD);
      expect(request.thread_id).not.toBe(FIRST_ROW);
      expect(response.checks.notes).toContainEqual(expect.stringMatching(/^resume-attached: .*Gmail thread/));
      // Recipients: the collapsed "À : Jordan Lee" line is shown, the rows are hidden;
      // Jordan is one To, never repeated from the summary.
      expect(await c.root.locator('[data-fx=summary]').isVisible()).toBe(true);
      expect(request.to).toEqual([JORDAN]);
      expect(request.cc).toEqual([]);
      // Opened, with Sally added in Cc: the summary now names both, and still counts for no one.
      await c.root.locator('[data-fx=summary]').click();
      await c.root.locator('[data-fx=cc-input]').fill('Sally Smith <sally.smith@example.com>');
      await c.root.locator('[data-fx=cc-input]').press('Enter');
      expect(await c.root.locator('[data-fx=summary] [email]').count()).toBe(2);
      await expect.poll(() => recorder.sent((r) => r.cc.length > 0 && r.thread_id === THREAD).at(-1)?.request.cc, WAIT).toEqual([{ email: 'sally.smith@example.com', name: 'Sally Smith' }]);
      expect(recorder.sent((r) => r.cc.length > 0).at(-1)!.request.to).toEqual([JORDAN]);
      await page.close();
    });

    test(`${variant.name}: a popped-out reply knows its thread from its own form`, async () => {
      const page = await open(`view=cm&th=${THREAD}&trimmed=1${variant.query}`);
      const c = compose(page, 'popout-reply');
      await c.body.click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('Control+Home');
      await page.keyboard.type('Thank you, Jordan! Attached, as you asked. Could I pick your brain for 20 minutes on Friday?');
      await c.fileInput.setInputFiles(RESUME);
      const { request, response } = await answered(page, (r) => hasResume(r) && r.body.text?.includes('Attached, as you asked') === true);
      expect(request.thread_id).toBe(THREAD);
      await c.showPanel();
      expect(await shown(c, response)).toContain('pick-your-brain');
      expect(await c.finding('resume-attached').count()).toBe(0);
      expect(request.to).toEqual([JORDAN]);
      expect(request.cc).toEqual([]);
      await page.close();
    });
  }

  test('nothing was thrown into the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
