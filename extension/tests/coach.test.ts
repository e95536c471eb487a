import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ComposeCoach, type Analyze } from '../src/content/coach';
import { requestAnalysis } from '../src/content/worker-client';
import { findComposes } from '../src/gmail/selectors';
import type { DraftFields } from '../src/shared/contract';
import type { AnalyzeResult } from '../src/shared/messages';
import { finding, response } from './fixtures';

let coach: ComposeCoach | null = null;

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = `<div role="dialog"><div class="M9"><div name="to" role="listbox" id="to-row"></div><input name="subjectbox" value="Hello">
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
    expect(body.contains(document.querySelector('intro-coach-panel'))).toBe(false);
    // At the end of the compose window: outside its scroll areas, in its Tab order.
    expect(document.querySelector('[role=dialog]')!.lastElementChild?.tagName).toBe('INTRO-COACH-PANEL');
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

  test('an extension reloaded under the page leaves nothing running but the message', async () => {
    const analyze = vi.fn(async (): Promise<AnalyzeResult> => ({ kind: 'extension-gone' }));
    const { body } = start(analyze);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0); // no position poll, no layout frame, no retry
    document.querySelector<HTMLInputElement>('input[name="subjectbox"]')!.setAttribute('value', 'changed');
    type(body, ' more');
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(0);
    expect(analyze).toHaveBeenCalledTimes(1);
    expect(coach!.host.isConnected).toBe(true); // the message stays readable
  });

  test('destroy leaves no timer, and later edits ask nothing', async () => {
    const analyze = vi.fn(async (): Promise<AnalyzeResult> => ({ kind: 'ok', response: response([]) }));
    const { body } = start(analyze);
    await vi.advanceTimersByTimeAsync(0);
    type(body, ' more'); // a pending run, a layout frame and the poll
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    coach!.destroy();
    expect(vi.getTimerCount()).toBe(0);
    type(body, ' and more');
    await vi.advanceTimersByTimeAsync(1000);
    expect(analyze).toHaveBeenCalledTimes(1);
    expect(document.querySelector('intro-coach-panel')).toBeNull();
  });

  test('a recipient chip changing its address is checked again', async () => {
    const drafts: DraftFields[] = [];
    start(async (_id, draft) => {
      drafts.push(draft);
      return { kind: 'ok', response: response([]) };
    });
    const chip = document.createElement('span');
    chip.setAttribute('data-hovercard-id', 'avatar-17');
    document.getElementById('to-row')!.prepend(chip);
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts.at(-1)!.to).toEqual([]); // not an address yet
    // Gmail fills in a chip by changing its attributes: no node is added or removed.
    chip.setAttribute('data-hovercard-id', 'jordan@example.com');
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts.at(-1)!.to).toEqual([{ email: 'jordan@example.com', name: null }]);
  });

  test('a subject box Gmail replaced still triggers a check', async () => {
    const drafts: DraftFields[] = [];
    start(async (_id, draft) => {
      drafts.push(draft);
      return { kind: 'ok', response: response([]) };
    });
    await vi.advanceTimersByTimeAsync(0);
    const old = document.querySelector<HTMLInputElement>('input[name="subjectbox"]')!;
    const fresh = document.createElement('input');
    fresh.name = 'subjectbox';
    old.replaceWith(fresh);
    await vi.advanceTimersByTimeAsync(300); // the swap itself is a mutation: one check
    const before = drafts.length;
    fresh.value = 'Sally Smith suggested I contact you';
    fresh.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts).toHaveLength(before + 1);
    expect(drafts.at(-1)!.subject).toBe('Sally Smith suggested I contact you');
  });

  test('a failure while analyzing is reported and shown, not left pending', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let fail = true;
    const { body, panel } = start(async () => {
      if (fail) throw new TypeError('bug');
      return { kind: 'ok', response: response([]) };
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(warn).toHaveBeenCalledWith('Intro Coach: analysis failed (TypeError)');
    expect(panel.querySelector('.status.error')?.textContent).toBe('Intro Coach could not check this draft (internal error).');
    fail = false;
    type(body, ' again');
    await vi.advanceTimersByTimeAsync(300);
    expect(panel.querySelector('.status')).toBeNull();
    expect(panel.querySelector('.empty')).not.toBeNull();
    warn.mockRestore();
  });

  test('"Use …" replaces a phrase that runs over a line break', async () => {
    document.querySelector('[g_editable]')!.innerHTML = '<div>I would love an informational</div><div>interview about UX.</div>';
    // The backend matched across the newline the extractor put between the two <div>s.
    const f = finding({ start: 13, end: 39, match: 'an informational\ninterview' });
    const analyze = vi.fn(async (_id: string, draft: DraftFields): Promise<AnalyzeResult> => {
      expect(draft.body.text.slice(13, 39)).toBe(f.match);
      return { kind: 'ok', response: response(draft.body.text.includes('informational') ? [f] : []) };
    });
    const { body, panel } = start(analyze);
    await vi.advanceTimersByTimeAsync(0);
    panel.querySelector<HTMLButtonElement>('button[data-key$=":replace:a 20-minute conversation"]')!.click();
    expect(body.textContent).toContain('I would love a 20-minute conversation about UX.');
    expect(body.textContent).not.toContain('informational');
  });
});

describe('messaging with the service worker recovers', () => {
  // The real messaging client over a stand-in for chrome.runtime: what Chrome does when
  // the worker is starting (the send fails, the extension is still there) and when the
  // extension was reloaded under the page (the send fails and chrome.runtime.id is gone).
  const NOT_STARTED = 'Could not establish connection. Receiving end does not exist.';
  let runtime: { id: string | undefined; sendMessage: (message: { type: string }) => Promise<unknown> };
  let analyses = 0;

  beforeEach(() => {
    analyses = 0;
    runtime = { id: 'abcdefghijklmnop', sendMessage: async () => undefined };
    vi.stubGlobal('chrome', { runtime });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** The worker fails `failures` times, then answers with one finding. */
  function worker(failures: number): void {
    runtime.sendMessage = async (message) => {
      if (message.type !== 'analyze') return undefined; // a cancel
      if (++analyses <= failures) throw new Error(NOT_STARTED);
      return { kind: 'ok', response: response([finding({ start: 0, end: 2, match: 'Hi' })]) };
    };
  }

  const statuses = (panel: ShadowRoot): string[] => [...panel.querySelectorAll('.status')].map((p) => p.textContent ?? '');

  test('a worker that is starting is asked again, quietly, and the findings come', async () => {
    worker(2);
    const { panel } = start(requestAnalysis);
    await vi.advanceTimersByTimeAsync(0);
    expect(analyses).toBe(1);
    expect(statuses(panel)).toEqual([]); // not an error the writer needs to see yet
    await vi.advanceTimersByTimeAsync(1000); // the first retry, after a second
    expect(analyses).toBe(2);
    expect(panel.querySelector('.finding')).toBeNull();
    await vi.advanceTimersByTimeAsync(2000); // then after two
    expect(analyses).toBe(3);
    expect(panel.querySelector('.finding')?.getAttribute('data-rule')).toBe('informational-interview');
    expect(statuses(panel)).toEqual([]);
  });

  test('a worker that stays away is named after three tries, and the status goes when it answers', async () => {
    worker(4);
    const { panel } = start(requestAnalysis);
    await vi.advanceTimersByTimeAsync(0 + 1000 + 2000);
    expect(analyses).toBe(3);
    expect(statuses(panel)).toEqual(['Intro Coach is restarting. Trying again…']);
    expect(statuses(panel).join()).not.toMatch(/Reload Gmail/);
    await vi.advanceTimersByTimeAsync(4000);
    expect(analyses).toBe(4);
    await vi.advanceTimersByTimeAsync(5000); // the backoff stops growing at 5 s
    expect(analyses).toBe(5);
    expect(statuses(panel)).toEqual([]);
    expect(panel.querySelector('.finding')).not.toBeNull();
  });

  test('the same failure from a reloaded extension is not retried: Reload Gmail, and nothing more is sent', async () => {
    worker(Infinity);
    const { body, panel } = start(requestAnalysis);
    await vi.advanceTimersByTimeAsync(0);
    expect(analyses).toBe(1);
    // The extension is reloaded before the retry: this content script is orphaned.
    runtime.id = undefined;
    await vi.advanceTimersByTimeAsync(1000);
    expect(statuses(panel)).toEqual(['Intro Coach was updated or turned off. Reload Gmail to keep coaching.']);
    type(body, ' more');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(analyses).toBe(1); // an orphaned script does not even try to send
    expect(vi.getTimerCount()).toBe(0);
    expect(statuses(panel)).toHaveLength(1);
  });
});
