// Keystroke to grammar underline, in real headless Chromium against the real backend and
// a real LanguageTool (npm --prefix extension run bench:grammar, after .ci/languagetool):
// each edit types a new sentence with a misspelling (a number in it makes it new to every
// cache), and the time runs from its last keystroke to the dotted grammar underline
// being drawn, debounce, the rules' answer and the grammar request all included.

import { Backend, chromiumPath, compose, freePort, languageToolJars, launch, openCompose, openGmail, waitForGrammar } from '../../extension/e2e/harness';

const EDITS = Number(process.env.BENCH_GRAMMAR_EDITS ?? 30);

function stats(values: number[]): { median: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

async function main(): Promise<void> {
  if (!chromiumPath()) throw new Error('Chromium not found (install the chromium package or set CHROMIUM_PATH)');
  const jars = languageToolJars();
  if (!jars) throw new Error('LanguageTool jars not assembled: run `bash .ci/languagetool`');
  const backend = new Backend(await freePort(), { INTRO_COACH_LANGUAGETOOL_JARS: jars });
  await backend.start();
  await waitForGrammar(backend.url);
  const browser = await launch({ backendUrl: backend.url });
  try {
    const page = await openGmail(browser);
    const id = await openCompose(page);
    const c = compose(page, id);
    await c.subject.fill('Your research practice');
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.type('Hi Jordan,');
    await c.panel.locator('.finding, .empty').first().waitFor();
    await page.evaluate((composeId: string) => {
      const w = window as unknown as { __g: { keys: number[]; drawnAt: number | null } };
      w.__g = { keys: [], drawnAt: null };
      document.addEventListener('keydown', () => w.__g.keys.push(performance.now()), true);
      const shadow = document.querySelector(`[data-compose="${composeId}"] intro-coach-panel`)!.shadowRoot!;
      new MutationObserver(() => {
        if (w.__g.drawnAt !== null) return;
        const layer = shadow.querySelector<HTMLElement>('.clip.grammar-marks:not(.subject-grammar-marks)');
        const drawn = layer && layer.style.display !== 'none' && [...layer.querySelectorAll<HTMLElement>('.mark')].some((m) => m.style.display !== 'none');
        if (drawn) w.__g.drawnAt = performance.now();
      }).observe(shadow, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class'] });
    }, id);

    const latencies: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const phrase = ` I read ${i + 2} posts about your reserch.`;
      await page.evaluate(() => {
        (window as unknown as { __g: { drawnAt: number | null } }).__g.drawnAt = null;
      });
      await page.keyboard.type(phrase, { delay: 15 });
      await page.waitForFunction(() => (window as unknown as { __g: { drawnAt: number | null } }).__g.drawnAt !== null, null, { timeout: 15_000 });
      latencies.push(
        await page.evaluate(() => {
          const g = (window as unknown as { __g: { keys: number[]; drawnAt: number } }).__g;
          return g.drawnAt - g.keys.at(-1)!;
        }),
      );
      for (let k = 0; k < phrase.length; k++) await page.keyboard.press('Backspace');
      await c.panel.locator('.finding.grammar').first().waitFor({ state: 'detached', timeout: 15_000 });
    }
    const s = stats(latencies);
    console.log(`Keystroke to grammar underline (${EDITS} edits, real LanguageTool; noisy machine)`);
    console.log(`  median ${s.median.toFixed(0)} ms   p95 ${s.p95.toFixed(0)} ms   max ${s.max.toFixed(0)} ms   (target p95 < 1500 ms)`);
  } finally {
    await browser.close();
    await backend.dispose();
  }
}

await main();
