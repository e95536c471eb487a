// Where the panel goes, as geometry, in every layout Gmail has: one to three popups, an
// inline reply with a popup, full screen, popped out, minimized, and windows from 1,000
// to 1,920 px wide; in the fixture's variants too (dark, right-to-left, hashed classes,
// preview pane). The rule checked everywhere: no panel, pill or opened panel covers any
// message body, recipient row or subject box, and none leaves the window. Screenshots of each go to the test artifacts
// (docs/extension/layouts/ with INTRO_COACH_DOCS_SHOTS=1).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS_DIR, Backend, freePort, launch, openGmail, REPO_DIR, requireChromium, sleep, type Browser } from './harness';

const CHROMIUM = requireChromium();
const WAIT = { timeout: 15_000 };
/** Test artifacts by default; INTRO_COACH_DOCS_SHOTS=1 refreshes docs/extension/layouts. */
const SHOTS = process.env.INTRO_COACH_DOCS_SHOTS === '1' ? join(REPO_DIR, 'docs', 'extension', 'layouts') : join(ARTIFACTS_DIR, 'layouts');

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface Geometry {
  bodies: (Rect & { id: string })[];
  /** Where each body's content (typed text, quote, signature) is drawn. */
  texts: (Rect & { id: string })[];
  /** Recipient rows (or an inline reply's summary line) and subject boxes. */
  fields: (Rect & { id: string; name: string })[];
  /** Gmail's buttons in compose windows (Send, attach, discard, minimize, close). */
  buttons: (Rect & { label: string })[];
  panels: (Rect & { id: string; kind: 'panel' | 'pill' })[];
  viewport: { width: number; height: number };
}

/** Measured in the page, independently of the extension's own code. */
function measure(): Geometry {
  const visible = (el: Element): Rect | null => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return null;
    let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = a.getBoundingClientRect();
      box = { left: Math.max(box.left, c.left), top: Math.max(box.top, c.top), right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom) };
    }
    box = { left: Math.max(box.left, 0), top: Math.max(box.top, 0), right: Math.min(box.right, innerWidth), bottom: Math.min(box.bottom, innerHeight) };
    return box.right > box.left && box.bottom > box.top ? box : null;
  };
  const bodies: Geometry['bodies'] = [];
  const texts: Geometry['texts'] = [];
  for (const body of document.querySelectorAll('[data-compose] [g_editable="true"]')) {
    const box = visible(body);
    if (!box) continue;
    const id = body.closest('[data-compose]')!.getAttribute('data-compose')!;
    bodies.push({ ...box, id });
    const range = document.createRange();
    range.selectNodeContents(body);
    const t = range.getBoundingClientRect();
    texts.push({ left: t.left, top: t.top, right: t.right, bottom: t.bottom, id });
  }
  const fields: Geometry['fields'] = [];
  for (const el of document.querySelectorAll('[data-compose] :is([name=to], [name=cc], [name=bcc], [data-fx=summary], input[name=subjectbox])')) {
    const box = visible(el);
    if (!box) continue;
    const id = el.closest('[data-compose]')!.getAttribute('data-compose')!;
    fields.push({ ...box, id, name: el.getAttribute('name') ?? el.getAttribute('data-fx') ?? '?' });
  }
  const panels: Geometry['panels'] = [];
  for (const host of document.querySelectorAll('intro-coach-panel')) {
    const id = host.closest('[data-compose]')?.getAttribute('data-compose') ?? '?';
    for (const [kind, sel] of [['panel', '.panel'], ['pill', '.pill']] as const) {
      const el = host.shadowRoot!.querySelector(sel);
      const r = el?.getBoundingClientRect();
      if (!el || !r || r.width === 0 || r.height === 0) continue;
      panels.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom, id, kind });
    }
  }
  const buttons: Geometry['buttons'] = [];
  for (const b of document.querySelectorAll('[data-compose] [role="button"]')) {
    const r = b.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) buttons.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom, label: b.getAttribute('aria-label') ?? '' });
  }
  return { bodies, texts, fields, buttons, panels, viewport: { width: innerWidth, height: innerHeight } };
}

function overlaps(a: Rect, b: Rect): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Every panel and pill against every body and field; a list of what covers what, empty when fine. */
function problems(g: Geometry): string[] {
  const found: string[] = [];
  for (const p of g.panels) {
    for (const t of g.texts) {
      const area = overlaps(p, t);
      if (area > 0) found.push(`${p.kind} of ${p.id} covers ${Math.round(area)} px² of the text of ${t.id}`);
    }
    for (const b of g.bodies) {
      const area = overlaps(p, b);
      if (area > 0) found.push(`${p.kind} of ${p.id} covers ${Math.round(area)} px² of the body of ${b.id}`);
    }
    for (const f of g.fields) {
      const area = overlaps(p, f);
      if (area > 0) found.push(`${p.kind} of ${p.id} covers ${Math.round(area)} px² of the ${f.name} row of ${f.id}`);
    }
    if (p.kind === 'pill') {
      for (const b of g.buttons) if (overlaps(p, b) > 0) found.push(`pill of ${p.id} covers Gmail's “${b.label}” button`);
    }
    if (p.left < -0.5 || p.top < -0.5 || p.right > g.viewport.width + 0.5 || p.bottom > g.viewport.height + 0.5) found.push(`${p.kind} of ${p.id} leaves the window`);
  }
  return found;
}

type Setup = (page: Page) => Promise<string[]>;

async function typeIn(page: Page, id: string, text: string): Promise<void> {
  const body = page.locator(`[data-compose="${id}"] [g_editable="true"]`);
  await body.click({ position: { x: 4, y: 4 } });
  await page.keyboard.type(text);
}

const DRAFT = 'Hi Jordan, I would love an informational interview. Could I pick your brain? I have attached my resume.';

async function popups(page: Page, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await page.evaluate(() => (window as never as { __fixture: { openCompose(): string } }).__fixture.openCompose()));
  for (const id of ids) {
    const open = await page.locator(`[data-compose="${id}"] [g_editable="true"]`).isVisible();
    if (open) await typeIn(page, id, DRAFT);
  }
  return ids;
}

async function reply(page: Page): Promise<void> {
  await page.click('[data-fx=reply]');
  await typeIn(page, 'reply', 'Thanks so much! Could I pick your brain about an informational interview?');
}

const LAYOUTS: Record<string, Setup> = {
  'one-popup': (page) => popups(page, 1),
  'two-popups': (page) => popups(page, 2),
  'three-popups': (page) => popups(page, 3),
  'inline-reply-and-popup': async (page) => {
    await reply(page);
    return ['reply', ...(await popups(page, 1))];
  },
  'full-screen': async (page) => {
    const [id] = await popups(page, 1);
    await page.evaluate((i) => (window as never as { __fixture: { toggleFullScreen(id: string): void } }).__fixture.toggleFullScreen(i), id!);
    return [id!];
  },
  minimized: async (page) => {
    const ids = await popups(page, 2);
    await page.evaluate((i) => (window as never as { __fixture: { toggleMinimized(id: string): void } }).__fixture.toggleMinimized(i), ids[0]!);
    return ids;
  },
};

const WIDTHS = [1000, 1280, 1440, 1920];

describe.skipIf(!CHROMIUM)('the panel never covers a message body', () => {
  let backend: Backend;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    backend = new Backend(await freePort());
    await backend.start();
    browser = await launch({ backendUrl: backend.url });
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.dispose();
  });

  /** Waits for every visible compose window's panel or pill to show an answer. */
  async function settle(page: Page): Promise<void> {
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('intro-coach-panel')].every((h) => {
          const body = h.parentElement?.querySelector('[g_editable="true"]');
          if (!body || body.getBoundingClientRect().height === 0) return true;
          return !!h.shadowRoot!.querySelector('.finding, .empty, .status');
        }),
      null,
      WAIT,
    );
    await sleep(700); // a window moved by the last change is laid out within a frame or two
  }

  async function check(page: Page, name: string, shot: boolean): Promise<Geometry> {
    const g = await page.evaluate(measure);
    expect(problems(g), name).toEqual([]);
    if (shot) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    return g;
  }

  /** Opens each pill's panel in turn: it too must keep clear of every body. */
  async function openPills(page: Page, name: string, shot: boolean): Promise<number> {
    const hosts = page.locator('intro-coach-panel');
    let opened = 0;
    for (let i = 0; i < (await hosts.count()); i++) {
      const pill = hosts.nth(i).locator('.pill');
      if (!(await pill.isVisible())) continue;
      await pill.click();
      await hosts.nth(i).locator('.panel').waitFor(WAIT);
      await sleep(100);
      const g = await check(page, `${name}-open-${i}`, shot && opened === 0);
      expect(g.panels.filter((p) => p.kind === 'panel').length).toBeGreaterThan(0);
      await page.keyboard.press('Escape');
      await hosts.nth(i).locator('.panel').waitFor({ state: 'hidden', ...WAIT });
      opened++;
    }
    return opened;
  }

  for (const [layout, setup] of Object.entries(LAYOUTS)) {
    test(`${layout} at ${WIDTHS.join(', ')} px`, async () => {
      for (const width of WIDTHS) {
        const page = await browser.context.newPage();
        page.on('pageerror', (e) => pageErrors.push(e.message));
        await page.setViewportSize({ width, height: width >= 1920 ? 1080 : 900 });
        await page.goto('https://mail.google.com/mail/u/0/');
        await setup(page);
        await settle(page);
        const shot = width === 1440 || width === 1000;
        await check(page, `${layout}-${width}`, shot);
        await openPills(page, `${layout}-${width}`, shot);
        // Resizing the browser window moves everything; the panels follow.
        await page.setViewportSize({ width: width - 150, height: 820 });
        await sleep(700);
        await check(page, `${layout}-${width}-resized`, false);
        await page.close();
      }
    });
  }

  test('popped out: the compose window alone in its browser window', async () => {
    for (const [query, id, text] of [
      ['?view=cm&th=18c2b7f0a1d3e4f5', 'popout-reply', 'Thanks! Could I pick your brain about an informational interview?'],
      ['?view=cm', 'popout', DRAFT],
    ] as const) {
      for (const width of [700, 1000, 1280, 1440, 1920]) {
        const page = await browser.context.newPage();
        page.on('pageerror', (e) => pageErrors.push(e.message));
        await page.setViewportSize({ width, height: width >= 1920 ? 1080 : 800 });
        await page.goto(`https://mail.google.com/mail/u/0/${query}`);
        await typeIn(page, id, text);
        await settle(page);
        const name = `${id === 'popout' ? 'pop-out' : 'pop-out-reply'}-${width}`;
        const shot = width === 1000 || width === 700;
        await check(page, name, shot);
        // No room outside the body: it opens in room the body gives up, beside the text.
        expect(await openPills(page, name, shot), name).toBe(1);
        // Opened again and the window resized: the body and the panel follow.
        await page.locator('intro-coach-panel .pill').click();
        await page.locator('intro-coach-panel .panel').waitFor(WAIT);
        await page.setViewportSize({ width: width - 150, height: 760 });
        await sleep(300);
        await check(page, `${name}-resized-open`, false);
        await page.keyboard.press('Escape');
        await page.close();
      }
    }
  });

  test('full screen, right to left and dark: the room is on the left, where the lines end', async () => {
    for (const variant of ['dir=rtl', 'theme=dark']) {
      const page = await browser.context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`https://mail.google.com/mail/u/0/?${variant}`);
      const [id] = await popups(page, 1);
      await page.evaluate((i) => (window as never as { __fixture: { toggleFullScreen(id: string): void } }).__fixture.toggleFullScreen(i), id!);
      await settle(page);
      const name = `full-screen-${variant.replace('=', '-')}-1440`;
      await check(page, name, false);
      expect(await openPills(page, name, true)).toBe(1);
      await page.close();
    }
  });

  for (const variant of ['theme=dark', 'dir=rtl', 'hashed=1', 'preview=1']) {
    test(`variant ${variant}: two popups and an inline reply`, async () => {
      for (const width of [1000, 1440, 1920]) {
        const page = await browser.context.newPage();
        page.on('pageerror', (e) => pageErrors.push(e.message));
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`https://mail.google.com/mail/u/0/?${variant}`);
        await reply(page);
        await popups(page, 2);
        await settle(page);
        const name = `${variant.replace('=', '-')}-${width}`;
        await check(page, name, width === 1440);
        await openPills(page, name, width === 1440);
        await page.close();
      }
    });
  }

  test('a minimized window hides its panel; restored, the panel comes back', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto('https://mail.google.com/mail/u/0/');
    const [id] = await popups(page, 1);
    await settle(page);
    const host = page.locator(`[data-compose="${id}"] intro-coach-panel`);
    await host.locator('.panel').waitFor(WAIT);
    await page.locator(`[data-compose="${id}"] [data-fx=minimize]`).click();
    await host.locator('.panel').waitFor({ state: 'hidden', ...WAIT });
    expect(await host.locator('.pill').isVisible()).toBe(false);
    await page.locator(`[data-compose="${id}"] [data-fx=titlebar]`).click();
    await host.locator('.panel').waitFor(WAIT);
    await page.close();
  });

  test('a window moved without changing size (the message above it grew): its panel follows', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('https://mail.google.com/mail/u/0/');
    await reply(page);
    await settle(page);
    const where = () =>
      page.evaluate(() => {
        const host = document.querySelector('[data-compose="reply"] intro-coach-panel, [data-compose="reply"] + intro-coach-panel')!;
        const shown = [...host.shadowRoot!.querySelectorAll('.panel, .pill')].find((e) => e.getBoundingClientRect().height > 0)!;
        return { ours: shown.getBoundingClientRect().top, win: document.querySelector('[data-compose="reply"]')!.getBoundingClientRect().top };
      });
    const before = await where();
    await page.evaluate(() => {
      const grown = document.createElement('div');
      grown.style.height = '90px';
      document.querySelector('[data-legacy-message-id]')!.append(grown);
    });
    await expect.poll(async () => (await where()).ours - before.ours, WAIT).toBeCloseTo(90, 0);
    expect((await where()).win - before.win).toBeCloseTo(90, 0);
    await check(page, 'moved', false);
    await page.close();
  });

  test('the marks stay on their words while the body scrolls and the window resizes', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('https://mail.google.com/mail/u/0/');
    const [id] = await popups(page, 1);
    const body = page.locator(`[data-compose="${id}"] [g_editable="true"]`);
    // A draft far taller than the window, the flagged phrases all along it.
    await body.evaluate((el) => {
      const para = 'I would love to learn how you built the research team, and could I pick your brain about an informational interview next week? ';
      el.innerHTML = Array.from({ length: 14 }, () => `<div>${para.repeat(2)}</div><div><br></div>`).join('');
      el.dispatchEvent(new InputEvent('input', { bubbles: true }));
    });
    const marksOnWords = () =>
      page.evaluate((cid) => {
        const el = document.querySelector(`[data-compose="${cid}"] [g_editable="true"]`)!;
        const area = el.parentElement!.getBoundingClientRect();
        // Every line of text (a mark sits on one, within it; a range's marks include the
        // boxes of the lines' blocks it wholly holds) and every flagged phrase (a mark on
        // one covers it exactly).
        const lines: DOMRect[] = [...el.querySelectorAll('div')].map((d) => d.getBoundingClientRect());
        const words: DOMRect[] = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          const all = document.createRange();
          all.selectNodeContents(n);
          lines.push(...all.getClientRects());
          for (const phrase of ['pick your brain', 'an informational interview']) {
            for (let i = n.data.indexOf(phrase); i >= 0; i = n.data.indexOf(phrase, i + 1)) {
              const r = document.createRange();
              r.setStart(n, i);
              r.setEnd(n, i + phrase.length);
              words.push(...r.getClientRects());
            }
          }
        }
        const host = document.querySelector(`[data-compose="${cid}"] intro-coach-panel`)!;
        const off: string[] = [];
        let shown = 0;
        let onWords = 0;
        for (const m of host.shadowRoot!.querySelectorAll<HTMLElement>('.body-marks .mark')) {
          const r = m.getBoundingClientRect();
          if (getComputedStyle(m).display === 'none' || r.bottom <= area.top + 1 || r.top >= area.bottom - 1) continue;
          shown++;
          // On a line, starting within it (a range's box may run on over the space where
          // the line wraps).
          const line = lines.some((l) => Math.abs(l.top - r.top) < 1.5 && r.left > l.left - 1.5 && r.left < l.right);
          if (!line) off.push(`mark at ${Math.round(r.left)},${Math.round(r.top)} (${Math.round(r.width)} px) is on no line of text`);
          if (words.some((w) => Math.abs(w.left - r.left) < 1.5 && Math.abs(w.top - r.top) < 1.5 && Math.abs(w.width - r.width) < 2)) onWords++;
        }
        // The phrases' own marks, not only the whole-sentence ones, are among those shown.
        if (shown > 0 && onWords === 0) off.push('no mark on a flagged phrase');
        return { shown, off };
      }, id!);
    await expect.poll(async () => (await marksOnWords()).shown, WAIT).toBeGreaterThan(3);
    expect((await marksOnWords()).off, 'before scrolling').toEqual([]);
    const box = (await body.locator('xpath=..').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (const [i, dy] of [120, 200, 333, -90, 450, -1000].entries()) {
      await page.mouse.wheel(0, dy);
      await sleep(150);
      const { shown, off } = await marksOnWords();
      expect(off, `after scroll ${i}`).toEqual([]);
      expect(shown, `after scroll ${i}`).toBeGreaterThan(0);
    }
    for (const width of [1300, 1100, 1000, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await sleep(250);
      const { shown, off } = await marksOnWords();
      expect(off, `at ${width} px`).toEqual([]);
      expect(shown, `at ${width} px`).toBeGreaterThan(0);
    }
    await page.close();
  });

  test('a Gmail menu, and a compose window opened later, paint over our panels', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('https://mail.google.com/mail/u/0/');
    await reply(page);
    await settle(page);
    const panel = page.locator('[data-compose="reply"] intro-coach-panel .panel');
    await panel.waitFor(WAIT);
    const r = (await panel.boundingBox())!;
    const topAt = (x: number, y: number) =>
      page.evaluate(([px, py]) => {
        const el = document.elementFromPoint(px!, py!);
        return el?.closest('[role=menu]') ? 'menu' : el?.closest('intro-coach-panel') ? 'panel' : el?.closest('[role=dialog]') ? 'compose' : (el?.tagName ?? 'none');
      }, [x, y]);
    expect(await topAt(r.x + 20, r.y + 20)).toBe('panel');
    await page.evaluate(([x, y]) => (window as never as { __fixture: { openMenu(x: number, y: number): void } }).__fixture.openMenu(x!, y!), [r.x + 10, r.y + 10]);
    expect(await topAt(r.x + 20, r.y + 20)).toBe('menu');
    await page.evaluate(() => document.querySelector('[role=menu]')!.remove());
    // A popup dragged over the reply's panel (Gmail stacks popups above the page).
    const id = await page.evaluate(() => (window as never as { __fixture: { openCompose(): string } }).__fixture.openCompose());
    await page.evaluate(([cid, x]) => {
      const dialog = document.querySelector<HTMLElement>(`[data-compose="${cid}"]`)!;
      dialog.style.position = 'fixed';
      dialog.style.left = `${x}px`;
      dialog.style.bottom = '0px';
    }, [id, r.x] as const);
    const d = (await page.locator(`[data-compose="${id}"]`).boundingBox())!;
    const y = Math.max(r.y + 5, d.y + 40);
    if (y < r.y + r.height) expect(await topAt(r.x + 20, y)).toBe('compose');
    await page.close();
  });

  test('Settings: the signature and vacation reply editors get no panel', async () => {
    const page = await browser.context.newPage();
    await page.goto('https://mail.google.com/mail/u/0/?settings=1');
    await page.locator('[data-fx=signature]').click();
    await page.keyboard.type(' Could I pick your brain?');
    await page.locator('[data-fx=vacation]').click();
    await page.keyboard.type('I am away. Could I pick your brain?');
    await sleep(1500);
    expect(await page.locator('intro-coach-panel').count()).toBe(0);
    await page.close();
  });

  test('nothing was thrown into the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
