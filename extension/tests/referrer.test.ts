import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ComposeCoach } from '../src/content/coach';
import { normalizeReferrer, ReferrerOverride, REFERRER_MAX } from '../src/content/referrer';
import { findComposes } from '../src/gmail/selectors';
import type { AnalyzeResponse, DraftFields } from '../src/shared/contract';
import { chromeIn } from './chrome-i18n';
import { response } from './fixtures';

describe('the referrer the user types', () => {
  test('one line, trimmed, spaces collapsed; empty is none', () => {
    expect(normalizeReferrer('  Sally   Smith \n')).toBe('Sally Smith');
    expect(normalizeReferrer(' \t ')).toBeNull();
    expect(normalizeReferrer('')).toBeNull();
  });

  test("capped at the backend's 200 characters, never half a character", () => {
    expect(normalizeReferrer('a'.repeat(500))).toBe('a'.repeat(REFERRER_MAX));
    const emoji = normalizeReferrer('😀'.repeat(250))!;
    expect(Array.from(emoji)).toHaveLength(REFERRER_MAX);
    expect(emoji.endsWith('😀')).toBe(true);
  });

  test('set says whether it changed; clear goes back to none', () => {
    const o = new ReferrerOverride();
    expect(o.current).toBeNull();
    expect(o.set(' Sally Smith ')).toBe(true);
    expect(o.current).toBe('Sally Smith');
    expect(o.set('Sally  Smith')).toBe(false);
    expect(o.clear()).toBe(true);
    expect(o.current).toBeNull();
    expect(o.clear()).toBe(false);
  });

  test("nobody is '', apart from none; a name typed over it, or clear, leaves it", () => {
    const o = new ReferrerOverride();
    expect(o.nobody()).toBe(true);
    expect(o.current).toBe('');
    expect(o.nobody()).toBe(false);
    expect(o.set('Sally Smith')).toBe(true);
    expect(o.nobody()).toBe(true);
    expect(o.clear()).toBe(true);
    expect(o.current).toBeNull();
  });
});

/** Every chrome.storage area, each call recorded: the referrer is draft content. */
function storageSpy() {
  const calls: string[] = [];
  const area = (name: string) =>
    Object.fromEntries(
      ['get', 'set', 'remove', 'clear'].map((m) => [
        m,
        vi.fn(async () => {
          calls.push(`${name}.${m}`);
          return {};
        }),
      ]),
    );
  const storage = { sync: area('sync'), local: area('local'), session: area('session'), onChanged: { addListener: vi.fn() } };
  return { storage, calls };
}

describe('in the panel of each compose window', () => {
  const coaches: ComposeCoach[] = [];
  let calls: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    const spy = storageSpy();
    calls = spy.calls;
    vi.stubGlobal('chrome', { ...chromeIn('en'), storage: spy.storage });
    const win = (n: number) => `<div role="dialog"><div class="M9"><div name="to" role="listbox"></div><input name="subjectbox" value="Quick question">
      <div g_editable="true" contenteditable="true"><div>Hi Jordan, I would value your take. ${n}</div></div></div></div>`;
    document.body.innerHTML = win(1) + win(2);
  });
  afterEach(() => {
    for (const c of coaches.splice(0)) c.destroy();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  /** Two windows, each answering with the referrer it was sent (as the backend does). */
  function startTwo(found: AnalyzeResponse['referrer'] = null) {
    const drafts: DraftFields[][] = [[], []];
    findComposes(document).forEach((parts, i) => {
      const coach = new ComposeCoach(parts, async (_id, draft) => {
        drafts[i]!.push(draft);
        // As the backend answers: '' is the user saying nobody referred them.
        const referrer = draft.referrer === '' ? null : draft.referrer ? { name: draft.referrer, source: 'user' as const } : found;
        return { kind: 'ok', response: response([], { referrer }) };
      });
      coach.start();
      coaches.push(coach);
    });
    const field = (i: number) => {
      const root = coaches[i]!.host.shadowRoot!;
      return {
        input: root.querySelector<HTMLInputElement>('.referrer input')!,
        label: root.querySelector<HTMLLabelElement>('.referrer label')!,
        clear: root.querySelector<HTMLButtonElement>('.referrer-clear')!,
        auto: root.querySelector<HTMLButtonElement>('.referrer-auto')!,
        root,
        source: () => root.querySelector('.referrer-source')!.textContent,
      };
    };
    return { drafts, field };
  }

  function typeIn(input: HTMLInputElement, text: string, key = 'Enter'): void {
    input.focus();
    input.value = text;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
  }

  test('a labelled box; what is typed goes with the next analysis of that window only, and only there', async () => {
    const { drafts, field } = startTwo();
    await vi.advanceTimersByTimeAsync(0);
    const one = field(0);
    expect(one.label.textContent).toBe('Referred by');
    expect(one.label.htmlFor).toBe(one.input.id);
    expect(one.input.getAttribute('aria-describedby')).toBe(coaches[0]!.host.shadowRoot!.querySelector('.referrer-source')!.id);
    expect(one.source()).toBe('None found. Type who referred you, if anyone.');
    expect(one.clear.hidden).toBe(true);

    typeIn(one.input, '  Sally   Smith ');
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toBe('Sally Smith');
    expect(drafts[1]!.every((d) => d.referrer === null)).toBe(true);
    expect(one.source()).toBe('Typed by you');
    expect(one.clear.hidden).toBe(false);
    expect(field(1).input.value).toBe('');

    // Every later analysis of that window carries it too (a body edit, say).
    const body = findComposes(document)[0]!.body;
    body.firstElementChild!.textContent += ' Thanks!';
    body.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)).toMatchObject({ referrer: 'Sally Smith', body: { text: expect.stringContaining('Thanks!') } });
    expect(calls.filter((c) => c.endsWith('.set') || c.endsWith('.remove') || c.endsWith('.clear'))).toEqual([]);
  });

  test('leaving the box applies it too; the clear button goes back to automatic', async () => {
    const { drafts, field } = startTwo({ name: 'Pat Doe', source: 'body' });
    await vi.advanceTimersByTimeAsync(0);
    const one = field(0);
    expect(one.input.value).toBe('Pat Doe');
    expect(one.source()).toBe('Found in the email');
    // The name found, left as it was, is not a name typed.
    one.input.focus();
    one.input.blur();
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.map((d) => d.referrer)).toEqual([null]);

    one.input.focus();
    one.input.value = 'Sally Smith';
    one.input.blur();
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toBe('Sally Smith');

    one.clear.click();
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toBeNull();
    expect(one.input.value).toBe('Pat Doe');
    expect(one.source()).toBe('Found in the email');
    // Back to automatic, a name found: the button now offers "nobody referred me".
    expect(one.clear.hidden).toBe(false);
    expect(one.clear.getAttribute('aria-label')).toBe("No one referred me (don't use this name)");
    expect(calls.filter((c) => !c.endsWith('.get'))).toEqual([]);
  });

  test('a name found but wrong: "no one referred me", then back to automatic, or a name typed over it', async () => {
    const { drafts, field } = startTwo({ name: 'Pat Doe', source: 'body' });
    await vi.advanceTimersByTimeAsync(0);
    const one = field(0);
    expect(one.auto.hidden).toBe(true);
    expect(one.clear.title).toBe("No one referred me (don't use this name)");

    one.clear.click();
    expect(one.input.value).toBe('');
    expect(one.source()).toBe('You said no one referred you.');
    expect(one.clear.hidden).toBe(true);
    expect(one.auto.hidden).toBe(false);
    expect(one.auto.textContent).toBe('Find automatically');
    expect(one.root.activeElement).toBe(one.input); // the button pressed is gone
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toBe('');
    expect(drafts[1]!.every((d) => d.referrer === null)).toBe(true);
    // The answer (no referrer) keeps it so; leaving the box empty changes nothing.
    expect(one.source()).toBe('You said no one referred you.');
    one.input.blur();
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toBe('');

    // Back to automatic: the name found shows at once, and goes with the next analysis.
    one.auto.click();
    expect(one.input.value).toBe('Pat Doe');
    expect(one.source()).toBe('Found in the email');
    expect(one.auto.hidden).toBe(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toBeNull();

    // Emptying the name found says the same as the button; a name typed then wins.
    typeIn(one.input, '');
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toBe('');
    expect(one.source()).toBe('You said no one referred you.');
    typeIn(one.input, 'Sally Smith');
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toBe('Sally Smith');
    expect(one.source()).toBe('Typed by you');
    expect(one.auto.hidden).toBe(true);
    expect(one.clear.getAttribute('aria-label')).toBe('Clear the name you typed (find the referrer automatically)');
    expect(calls.filter((c) => !c.endsWith('.get'))).toEqual([]);
  });

  test('capped at 200 characters on its way to the backend', async () => {
    const { drafts, field } = startTwo();
    await vi.advanceTimersByTimeAsync(0);
    typeIn(field(0).input, 'S'.repeat(300));
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.at(-1)!.referrer).toHaveLength(REFERRER_MAX);
  });

  test('Escape leaves the box as it was; keys typed in it do not reach Gmail', async () => {
    const { drafts, field } = startTwo();
    await vi.advanceTimersByTimeAsync(0);
    const seen: string[] = [];
    document.addEventListener('keydown', (e) => seen.push(e.key));
    const one = field(0);
    typeIn(one.input, 'Sal', 'c');
    expect(seen).toEqual([]);
    typeIn(one.input, 'Sally', 'Escape');
    expect(one.input.value).toBe('');
    await vi.advanceTimersByTimeAsync(300);
    expect(drafts[0]!.every((d) => d.referrer === null)).toBe(true);
  });

  test('in French, French words', async () => {
    vi.stubGlobal('chrome', { ...chromeIn('fr'), storage: storageSpy().storage });
    const { field } = startTwo({ name: 'Pat Doe', source: 'gmail' });
    await vi.advanceTimersByTimeAsync(0);
    expect(field(0).label.textContent).toBe('Recommandé par');
    expect(field(0).source()).toBe('Trouvé dans votre Gmail');
    expect(field(0).clear.getAttribute('aria-label')).toBe("Personne ne m'a recommandé (ne pas retenir ce nom)");
    field(0).clear.click();
    expect(field(0).source()).toBe('Vous avez indiqué que personne ne vous a recommandé.');
    expect(field(0).auto.textContent).toBe('Trouver automatiquement');
  });
});
