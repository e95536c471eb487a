// Speed of the extension, measured in real headless Chromium against the real backend
// (npm --prefix extension run bench):
//   1. latency: last keystroke to the panel showing the new finding, debounce included;
//   2. main-thread time the content script spends per keystroke on a 300-word draft
//      (Performance API measures around each of its handlers);
//   3. main-thread time of one analysis round (reading the draft, rendering the answer);
//   4. layout work (highlights, panel placement) per frame while scrolling and resizing:
//      everything the content script runs in a frame (its scroll listeners, its animation
//      frame, its size observer, any timer), summed per displayed frame, over every frame
//      in which the page scrolled or resized or the script did any work.

import { Backend, chromiumPath, compose, freePort, launch, openCompose, openGmail, type Page } from '../../extension/e2e/harness';

const EDITS = Number(process.env.BENCH_EDITS ?? 40);
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 120);
const PHRASE = ' Could I pick your brain?';

const WORDS = `I am a UX researcher in Portland moving from agency work to product teams, and I have
spent six years running interviews, usability studies and diary studies for health and finance
clients. Sally Smith suggested I contact you because you built the research practice at your
company from scratch, which is exactly what I hope to do next.`.split(/\s+/);

function draft300(): string {
  const words = Array.from({ length: 300 }, (_, i) => WORDS[i % WORDS.length]);
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += 50) lines.push(`<div>${words.slice(i, i + 50).join(' ')}</div><div><br></div>`);
  return lines.join('');
}

function stats(values: number[]): { median: number; p95: number; min: number; max: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), min: sorted[0]!, max: sorted.at(-1)!, mean: values.reduce((a, b) => a + b, 0) / values.length };
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

async function installProbes(page: Page, composeId: string): Promise<void> {
  await page.evaluate((id: string) => {
    const w = window as unknown as { __bench: { keys: number[]; appearedAt: number | null; watching: string } };
    w.__bench = { keys: [], appearedAt: null, watching: 'pick-your-brain' };
    document.addEventListener('keydown', () => w.__bench.keys.push(performance.now()), true);
    const host = document.querySelector(`[data-compose="${id}"] intro-coach-panel`)!;
    new MutationObserver(() => {
      if (w.__bench.appearedAt === null && host.shadowRoot!.querySelector(`.finding[data-rule="${w.__bench.watching}"]`)) {
        w.__bench.appearedAt = performance.now();
      }
    }).observe(host.shadowRoot!, { childList: true, subtree: true });
  }, composeId);
}

/**
 * The content script's main-thread time in each frame displayed while `act` runs: every
 * "intro-coach:" measure (wall time, Chromium's timer at 100 µs) is charged to the frame
 * it started in (frames delimited by animation frame timestamps), and every frame in
 * which the page scrolled or resized, or the script did anything, is counted, idle or not.
 */
async function perFrame(page: Page, act: () => Promise<void>): Promise<number[]> {
  // Plain strings: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    performance.clearMeasures();
    const rec = { on: true, frames: [], events: [] };
    window.__frames = rec;
    requestAnimationFrame(function tick(t) {
      rec.frames.push(t);
      if (rec.on) requestAnimationFrame(tick);
    });
    const seen = () => rec.events.push(performance.now());
    document.addEventListener('scroll', seen, { capture: true, passive: true });
    addEventListener('resize', seen);
  })()`);
  await act();
  await page.waitForTimeout(200);
  return page.evaluate(`(() => {
    const rec = window.__frames;
    rec.on = false;
    const { frames, events } = rec;
    const work = frames.map(() => 0);
    const busy = frames.map(() => false);
    const frameOf = (t) => {
      let i = -1;
      for (let k = 0; k < frames.length && frames[k] <= t; k++) i = k;
      return i;
    };
    // Reading the draft and rendering findings belong to analysis rounds, reported apart.
    for (const e of performance.getEntriesByType('measure')) {
      if (!e.name.startsWith('intro-coach:') || e.name === 'intro-coach:extract' || e.name === 'intro-coach:render') continue;
      const i = frameOf(e.startTime);
      if (i < 0) continue;
      work[i] += e.duration;
      busy[i] = true;
    }
    for (const t of events) {
      const i = frameOf(t);
      if (i >= 0) busy[i] = true;
    }
    return work.filter((_, i) => busy[i]);
  })()`) as Promise<number[]>;
}

async function main(): Promise<void> {
  if (!chromiumPath()) throw new Error('Chromium not found (install the chromium package or set CHROMIUM_PATH)');
  const backend = new Backend(await freePort());
  await backend.start();
  const browser = await launch({ backendUrl: backend.url, profile: true });
  try {
    const page = await openGmail(browser);
    const id = await openCompose(page);
    const c = compose(page, id);
    await c.subject.fill('Sally Smith suggested I contact you');
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.type('Hi Jordan,');
    await c.panel.locator('.finding, .empty').first().waitFor();
    await installProbes(page, id);

    // 1. Latency, over EDITS edits that each bring a new finding.
    const latencies: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      await page.evaluate(() => {
        (window as unknown as { __bench: { appearedAt: number | null } }).__bench.appearedAt = null;
      });
      await page.keyboard.type(PHRASE, { delay: 15 });
      await page.waitForFunction(() => (window as unknown as { __bench: { appearedAt: number | null } }).__bench.appearedAt !== null, null, { timeout: 10_000 });
      latencies.push(
        await page.evaluate(() => {
          const b = (window as unknown as { __bench: { keys: number[]; appearedAt: number } }).__bench;
          return b.appearedAt - b.keys.at(-1)!;
        }),
      );
      for (let k = 0; k < PHRASE.length; k++) await page.keyboard.press('Backspace');
      await c.finding('pick-your-brain').waitFor({ state: 'detached' });
    }

    // 2. Per keystroke, on a 300-word draft.
    await c.body.evaluate((body, html) => {
      body.innerHTML = html;
      body.dispatchEvent(new InputEvent('input', { bubbles: true }));
    }, draft300());
    await c.panel.locator('.finding[data-rule="too-long"]').waitFor();
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.press('Control+End');
    await page.evaluate(() => {
      performance.clearMeasures();
      (window as unknown as { __bench: { keys: number[] } }).__bench.keys = [];
    });
    await page.keyboard.type(' and then some more words typed at the end of a long draft'.repeat(3).slice(0, KEYSTROKES), { delay: 25 });
    // Pauses, each followed by one analysis round, measured below.
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(600);
      await page.keyboard.type('.');
    }
    await page.waitForTimeout(600);
    const { perKey, rounds } = await page.evaluate(() => {
      const keys = (window as unknown as { __bench: { keys: number[] } }).__bench.keys;
      const entries = performance.getEntriesByType('measure').filter((e) => e.name.startsWith('intro-coach:'));
      const perKey = keys.map(() => 0);
      const rounds: Record<string, number[]> = {};
      for (const e of entries) {
        const name = e.name.slice('intro-coach:'.length);
        if (name === 'extract' || name === 'render') {
          (rounds[name] ??= []).push(e.duration);
          continue;
        }
        // Everything else the script did (input handler, layout frame, observers) is
        // charged to the keystroke it followed.
        let k = -1;
        for (let i = 0; i < keys.length && keys[i]! <= e.startTime; i++) k = i;
        if (k >= 0) perKey[k]! += e.duration;
      }
      return { perKey, rounds };
    });

    // 3. Layout work per frame while the message scrolls and the window is resized, with
    // a second compose window open (so placement weighs two windows) and findings drawn.
    const second = await openCompose(page);
    await compose(page, second).body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.type('Could I pick your brain?');
    await compose(page, second).finding('pick-your-brain').waitFor();
    await page.waitForTimeout(1000);
    const scroller = c.body.locator('xpath=..');
    const box = await scroller.boundingBox();
    await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    const scrollFrames = await perFrame(page, async () => {
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, i % 10 < 5 ? 60 : -60);
        await page.waitForTimeout(20);
      }
    });
    // Five sweeps of eight sizes: with one sweep (about 12 frames) the p95 was simply the
    // slowest frame, so one frame preempted on a shared machine decided it. A resize is
    // laid out in our size observer's callback, which Chromium runs after its own layout
    // for the new size: that relayout is the page's, not ours, unless our script forces
    // it by reading geometry first (which an animation frame callback used to do, and was
    // then charged here). Chromium laying out what our writes moved happens after our
    // callbacks and is not counted, for scrolling and resizing alike; the panel, the pill
    // and the marks move by transforms, which need no layout.
    const resizeFrames = await perFrame(page, async () => {
      for (let sweep = 0; sweep < 5; sweep++) {
        for (const width of [1300, 1200, 1100, 1000, 1100, 1200, 1300, 1400]) {
          await page.setViewportSize({ width, height: 900 });
          await page.waitForTimeout(50);
        }
      }
    });
    const frames = [...scrollFrames, ...resizeFrames];

    const lat = stats(latencies);
    const key = stats(perKey);
    const words = 300;
    console.log(`Intro Coach extension, Chromium ${browser.context.browser()?.version() ?? ''} headless, backend on loopback`);
    console.log(`latency, last keystroke -> new finding in the panel (${latencies.length} edits, 250 ms debounce included):`);
    console.log(`  median ${ms(lat.median)}  p95 ${ms(lat.p95)}  min ${ms(lat.min)}  max ${ms(lat.max)}   target p95 < 600 ms: ${lat.p95 < 600 ? 'met' : 'MISSED'}`);
    console.log(`content script main-thread time per keystroke (${perKey.length} keystrokes, ${words}-word draft):`);
    console.log(`  median ${ms(key.median)}  p95 ${ms(key.p95)}  mean ${ms(key.mean)}  max ${ms(key.max)}   target median < 2 ms: ${key.median < 2 ? 'met' : 'MISSED'}`);
    for (const name of ['extract', 'render'] as const) {
      const values = rounds[name] ?? [];
      if (values.length) console.log(`per analysis round, ${name === 'extract' ? 'reading the draft' : 'rendering findings'}: ${ms(stats(values).median)} (median of ${values.length})`);
    }
    if (frames.length) {
      const f = stats(frames);
      console.log(`layout work per frame on scroll and resize (${frames.length} frames, 2 compose windows):`);
      console.log(`  median ${ms(f.median)}  p95 ${ms(f.p95)}  max ${ms(f.max)}   target p95 < 1 ms: ${f.p95 < 1 ? 'met' : 'MISSED'}`);
      for (const [name, values] of [['scrolling', scrollFrames], ['resizing', resizeFrames]] as const) {
        if (values.length) console.log(`  ${name}: ${values.length} frames, median ${ms(stats(values).median)}  p95 ${ms(stats(values).p95)}  max ${ms(stats(values).max)}`);
      }
      if (f.p95 >= 1) process.exitCode = 1;
    } else {
      console.log('layout work per frame: no frames measured');
      process.exitCode = 1;
    }
    if (lat.p95 >= 600 || key.median >= 2) process.exitCode = 1;
  } finally {
    await browser.close();
    await backend.dispose();
  }
}

await main();
