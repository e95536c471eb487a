import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ComposeCoach, type Analyze } from '../src/content/coach';
import { findComposes } from '../src/gmail/selectors';
import type { DraftFields } from '../src/shared/contract';
import type { AnalyzeResult } from '../src/shared/messages';
import { finding, response } from './fixtures';

let coach: ComposeCoach | null = null;

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = `<div role="dialog"><div class="M9"><input name="subjectbox" value="Hello">
    <div g_editable="true" contenteditable="true"><div>Hi Jordan,</div></div></div></div>`;
});
afterEach(() => {
  coach?.destroy();
  coach = null;
  vi.useRealTimers();
});

function start(analyze: Analyze): { body: HTMLElement; panel: ShadowRoot } {
  const [parts] = findComposes(document);
  coach = new ComposeCoach(parts!, analyze);
  coach.start();
  return { body: parts!.body, panel: coach.host.shadowRoot! };
}

function type(body: HTMLElement, text: string): void {
  body.firstElementChild!.textContent += text;
  body.dispatchEvent(new InputEvent('input', { bubbles: true }));
}

describe('one compose window', () => {
  test('the draft is read once at start, then once per pause in typing', async () => {
    const drafts: DraftFields[] = [];
    const { body } = start(async (_id, draft) => {
      drafts.push(draft);
      return { kind: 'ok', response: response([]) };
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(drafts.map((d) => d.body.text)).toEqual(['Hi Jordan,']);
    for (const ch of ' I would love') {
      type(body, ch);
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(drafts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(drafts.map((d) => d.body.text)).toEqual(['Hi Jordan,', 'Hi Jordan, I would love']);
    expect(drafts[1]).toMatchObject({ subject: 'Hello', to: [], cc: [], attachments: [], thread_id: null, referrer: null });
  });

  test('an answer about text that has changed since is dropped', async () => {
    const answers: ((r: AnalyzeResult) => void)[] = [];
    const signals: AbortSignal[] = [];
    const { body, panel } = start((_id, _draft, signal) => {
      signals.push(signal);
      return new Promise((ok) => answers.push(ok));
    });
    await vi.advanceTimersByTimeAsync(0);
    type(body, ' an informational interview');
    answers[0]!({ kind: 'ok', response: response([finding({ id: 'stale', start: 0, end: 2, match: 'Hi' })]) });
    await vi.advanceTimersByTimeAsync(0);
    expect(panel.querySelector('[data-id="stale"]')).toBeNull();
    await vi.advanceTimersByTimeAsync(250);
    expect(signals[0]!.aborted).toBe(true); // the newer request cancelled the older one
    answers[1]!({ kind: 'ok', response: response([finding({ start: 11, end: 37 })]) });
    await vi.advanceTimersByTimeAsync(0);
    expect(panel.querySelector('.finding')?.getAttribute('data-rule')).toBe('informational-interview');
  });

  test('backend down: status line, retries, and findings when it is back', async () => {
    let up = false;
    const calls = vi.fn();
    const { panel } = start(async () => {
      calls();
      return up ? { kind: 'ok', response: response([finding({ start: 0, end: 2, match: 'Hi' })]) } : { kind: 'unreachable', backendUrl: 'http://127.0.0.1:8000' };
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(panel.querySelector('.status.error')?.textContent).toContain("Can't reach the Intro Coach service at http://127.0.0.1:8000");
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(calls).toHaveBeenCalledTimes(3);
    up = true;
    await vi.advanceTimersByTimeAsync(4000);
    expect(panel.querySelector('.status')).toBeNull();
    expect(panel.querySelector('.finding')).not.toBeNull();
  });

  test('skipped checks are named in the status line', async () => {
    const { panel } = start(async () => ({
      kind: 'ok',
      response: response([], { checks: { rules: 'ok', grammar: 'unavailable', gmail: 'unavailable', notes: [] } }),
    }));
    await vi.advanceTimersByTimeAsync(0);
    const lines = [...panel.querySelectorAll('.status')].map((p) => p.textContent);
    expect(lines).toEqual([expect.stringMatching(/^Grammar check skipped/), expect.stringMatching(/^Gmail context skipped/)]);
  });

  test('the panel lives beside the editor, never inside it', async () => {
    const { body } = start(async () => ({ kind: 'ok', response: response([finding({ start: 0, end: 2, match: 'Hi' })]) }));
    await vi.advanceTimersByTimeAsync(0);
    expect(body.innerHTML).toBe('<div>Hi Jordan,</div>');
    expect(body.nextElementSibling?.tagName).toBe('INTRO-COACH-PANEL');
  });

  test('an extension reloaded under the page stops the coach with a clear message', async () => {
    const analyze = vi.fn(async (): Promise<AnalyzeResult> => ({ kind: 'extension-gone' }));
    const { body, panel } = start(analyze);
    await vi.advanceTimersByTimeAsync(0);
    expect(panel.querySelector('.status')?.textContent).toMatch(/Reload Gmail/);
    type(body, ' more');
    await vi.advanceTimersByTimeAsync(1000);
    expect(analyze).toHaveBeenCalledTimes(1);
  });
});
