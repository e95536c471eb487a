// Chrome in French: the panel's advice is French too, not only its headings and buttons.
// Three drafts between them set off every rule of the pack (and both of its two-worded
// checks); no card, explanation or subject reason may show the backend's English, and
// each shows the French of fr/messages.json with the draft's own figures in it.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import fr from '../static/_locales/fr/messages.json';
import { ARTIFACTS_DIR, Backend, compose, freePort, launch, openCompose, openGmail, REPO_DIR, requireChromium, setSettings, type Browser } from './harness';

const CHROMIUM = requireChromium();
const WAIT = { timeout: 15_000 };
const FR = fr as Record<string, { message: string }>;

interface Text {
  message: string;
  explanation?: string;
}
const pack = parse(readFileSync(join(REPO_DIR, 'backend', 'intro_coach', 'rules', 'pack.yaml'), 'utf8')) as { rules: (Text & { id: string })[]; checks: Record<string, Text> };
const ENGLISH = [...pack.rules, ...Object.values(pack.checks)].flatMap((t) => [t.message, t.explanation ?? '']);
/** The backend's English, as the pieces between its `{figures}` (long enough to be words). */
const ENGLISH_PIECES = ENGLISH.flatMap((t) => t.split(/\{[a-z_]+\}/)).map((p) => p.trim()).filter((p) => p.length >= 12);
const ENGLISH_REASONS = ['Says what you want to talk about', 'Asks for their view', 'A small, specific ask', 'Names the referrer first', 'Short, and the referrer', 'Leads with the person', 'Says at a glance', 'A warm opener'];

const SHOTS = join(ARTIFACTS_DIR, 'french');
const key = (id: string) => `finding_${id.replace(/-/g, '_')}`;
const fill = (message: string, ...args: string[]) => message.replace(/\$([1-9])/g, (_, n: string) => args[Number(n) - 1] ?? '');

const PADDING =
  'I have spent six years teaching high school science in Denver and I am now moving into user research, where I have led two small studies for a local nonprofit and a city library. ';
const DRAFTS = {
  // Ten rules at once, the resume both attached and announced, Sally Smith as referrer.
  everything:
    'Hi Jordan, Sally Smith suggested I contact you. I would love an informational interview to pick your brain. Could we meet for an hour next week? Are there any openings on your team? I have attached my resume. ' +
    PADDING.repeat(4),
  noAsk: 'Hi Jordan, I am a UX researcher in Portland. I read your article on accessibility last week and enjoyed the part about screen readers. I have been working on similar problems at a small agency.',
  noTimeFrame: 'Hi Jordan, I am a UX researcher in Portland and I have been following your work on accessibility for a while. Could we have a call next week about your move into UX research? I would really value your take.',
};

describe.skipIf(!CHROMIUM)('Chrome in French: the advice in French', () => {
  let backend: Backend;
  let browser: Browser;
  let page: Page;
  let id: string;

  beforeAll(async () => {
    backend = new Backend(await freePort());
    await backend.start();
    browser = await launch({ backendUrl: backend.url, lang: 'fr', viewport: { width: 1400, height: 900 } });
    await setSettings(browser.worker, { grammar: false });
    page = await openGmail(browser);
    id = await openCompose(page);
    const c = compose(page, id);
    await c.root.locator('[data-fx=to-input]').fill('Jordan Lee <jordan@example.com>');
    await c.root.locator('[data-fx=to-input]').press('Enter');
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.dispose();
  });

  /** Replaces the message's own words (Gmail's signature stays) and waits for the rules. */
  async function write(text: string, subject: string, rules: string[]): Promise<void> {
    const c = compose(page, id);
    await c.subject.fill(subject);
    await c.body.evaluate((body, t) => {
      const signature = body.querySelector('.gmail_signature_prefix');
      while (body.firstChild && body.firstChild !== signature) body.firstChild.remove();
      const line = document.createElement('div');
      line.textContent = t;
      body.insertBefore(line, signature);
      body.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: t }));
    }, text);
    await c.showPanel();
    for (const rule of rules) await c.finding(rule).first().waitFor(WAIT);
  }

  /** Each card's message and explanation, the subject reasons and the status lines. */
  async function shown(): Promise<{ rule: string; message: string; explanation: string }[]> {
    return compose(page, id).panel.locator('.finding').evaluateAll((cards) =>
      cards.map((card) => {
        const message = card.querySelector('.message')!.cloneNode(true) as HTMLElement;
        message.querySelector('.sr-only')?.remove();
        return { rule: (card as HTMLElement).dataset.rule!, message: message.textContent!, explanation: card.querySelector('details p')!.textContent! };
      }),
    );
  }

  async function expectNoEnglish(): Promise<void> {
    const panel = compose(page, id).panel;
    const text = (await panel.textContent()) ?? '';
    for (const piece of [...ENGLISH_PIECES, ...ENGLISH_REASONS]) expect(text, piece).not.toContain(piece);
    const labels = await panel.locator('[aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    for (const piece of ENGLISH_PIECES) for (const label of labels) expect(label, piece).not.toContain(piece);
  }

  /** French runs longer than English: with every explanation open, nothing in the panel
   * is wider than it (no clipped words, no sideways scrolling); screenshots of each
   * screenful go to the test artifacts, to look at. */
  async function expectFits(name: string): Promise<void> {
    const panel = compose(page, id).panel;
    await panel.locator('details:not([open]) summary').evaluateAll((summaries) => summaries.forEach((s) => (s as HTMLElement).click()));
    const overflow = await panel.evaluate((el) => {
      const body = el.querySelector<HTMLElement>('.body')!;
      const edge = body.getBoundingClientRect();
      const wide = [...body.querySelectorAll<HTMLElement>('p, button, summary, a, h3')].filter((e) => e.getBoundingClientRect().right > edge.right + 0.5 || e.scrollWidth > e.clientWidth + 1);
      return { body: body.scrollWidth - body.clientWidth, wide: wide.map((e) => e.textContent) };
    });
    expect(overflow).toEqual({ body: 0, wide: [] });
    mkdirSync(SHOTS, { recursive: true });
    const screens = await panel.evaluate((el) => {
      const body = el.querySelector<HTMLElement>('.body')!;
      return Math.ceil(body.scrollHeight / body.clientHeight);
    });
    for (let i = 0; i < screens; i++) {
      await panel.evaluate((el, n) => {
        const body = el.querySelector<HTMLElement>('.body')!;
        body.scrollTop = n * body.clientHeight;
      }, i);
      await panel.screenshot({ path: join(SHOTS, `${name}-${i + 1}.png`) });
    }
  }

  test('ten rules in one draft: French cards with the draft’s figures, French subject reasons', async () => {
    const rules = ['missing-subject', 'job-ask', 'referrer-not-in-subject', 'informational-interview', 'pick-your-brain', 'no-time-frame', 'resume-attached', 'no-opinion-ask', 'no-thanks', 'too-long'];
    await write(DRAFTS.everything, '', rules);
    const c = compose(page, id);
    await c.root.locator('input[type=file]').setInputFiles({ name: 'Jane_Doe_Resume.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(48_000) });
    await c.panel.locator('.finding[data-rule="resume-attached"][data-field~="attachments"]').waitFor(WAIT);
    const cards = await shown();
    expect(cards.map((card) => card.rule).sort()).toEqual([...rules].sort());
    // Said to be French, and nothing in it marked English but the subjects to send.
    expect(await c.panel.getAttribute('lang')).toBe('fr');
    expect(await c.panel.locator('.finding [lang]').count()).toBe(0);
    const words = /(\d+)/.exec((await c.panel.locator('.stats').textContent()) ?? '')![1]!;
    const expected: Record<string, [string, string]> = {
      'referrer-not-in-subject': [fill(FR[key('referrer-not-in-subject')]!.message, 'Sally Smith'), fill(FR[`${key('referrer-not-in-subject')}_explanation`]!.message, 'Sally Smith')],
      'too-long': [fill(FR[key('too-long')]!.message, words), FR[`${key('too-long')}_explanation`]!.message],
      // Asking for an hour: the words asked for in the message, the long-time-frame wording.
      'no-time-frame': [fill(FR[key('long-time-frame')]!.message, 'an hour'), FR[`${key('long-time-frame')}_explanation`]!.message],
      // One card for the resume attached and announced: the attachment's wording first.
      'resume-attached': [fill(FR[key('resume-attachment')]!.message, 'Jane_Doe_Resume.pdf'), FR[`${key('resume-attached')}_explanation`]!.message],
    };
    for (const card of cards) {
      const [message, explanation] = expected[card.rule] ?? [FR[key(card.rule)]!.message, FR[`${key(card.rule)}_explanation`]!.message];
      expect(card.message, card.rule).toBe(message);
      expect(card.explanation, card.rule).toBe(explanation);
    }
    // The subjects stay English (so is the email); why each is good is said in French.
    const reasons = await c.panel.locator('.suggestions .reason').allTextContents();
    expect(reasons.length).toBeGreaterThan(0);
    const french = Object.entries(FR).filter(([k]) => k.startsWith('subjectReason_')).map(([, v]) => v.message);
    for (const reason of reasons) expect(french).toContain(reason);
    expect(await c.panel.locator('.suggestions button.primary').first().textContent()).toBe('Sally Smith suggested I contact you');
    await expectNoEnglish();
    await expectFits('ten-rules');
  });

  test('no ask at all, then no time frame: French too, with the topic subjects’ reasons', async () => {
    await write(DRAFTS.noAsk, 'Quick question', ['no-clear-ask']);
    expect((await shown()).find((card) => card.rule === 'no-clear-ask')).toEqual({ rule: 'no-clear-ask', message: FR[key('no-clear-ask')]!.message, explanation: FR[`${key('no-clear-ask')}_explanation`]!.message });
    await expectNoEnglish();

    await write(DRAFTS.noTimeFrame, 'Quick question', ['no-time-frame']);
    await compose(page, id).panel.locator('.finding[data-rule="no-clear-ask"]').waitFor({ state: 'detached', ...WAIT });
    expect((await shown()).find((card) => card.rule === 'no-time-frame')).toEqual({ rule: 'no-time-frame', message: FR[key('no-time-frame')]!.message, explanation: FR[`${key('no-time-frame')}_explanation`]!.message });
    const reasons = await compose(page, id).panel.locator('.suggestions .reason').allTextContents();
    expect(reasons).toEqual([FR.subjectReason_topicQuestion!.message, FR.subjectReason_topicTake!.message, FR.subjectReason_topicMinutes!.message].slice(0, reasons.length));
    expect(reasons.length).toBeGreaterThan(0);
    await expectNoEnglish();
    await expectFits('no-time-frame');
  });

  test('a status note in French, with its figures: more findings of one rule than the answer lists', async () => {
    await write('Could I pick your brain? '.repeat(101), 'Quick question', ['pick-your-brain']);
    const status = compose(page, id).status;
    await status.filter({ hasText: 'pick-your-brain' }).waitFor(WAIT);
    expect(await status.allTextContents()).toContain(fill(FR.note_findingsCapped!.message, 'pick-your-brain', '101', '100'));
    await expectNoEnglish();
    expect(await status.filter({ hasText: 'findings, the first' }).count()).toBe(0);
  });
});
