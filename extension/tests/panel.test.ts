import { beforeEach, describe, expect, test, vi } from 'vitest';
import { Panel, type PanelActions, type PanelState } from '../src/content/panel';
import { finding } from './fixtures';

let actions: { [K in keyof PanelActions]: ReturnType<typeof vi.fn<PanelActions[K]>> };
let panel: Panel;
let root: ShadowRoot;

const state = (over: Partial<PanelState> = {}): PanelState => ({
  findings: [],
  suggestions: [],
  status: [],
  words: 12,
  subjectEditable: true,
  pending: false,
  ...over,
});

const subjectFinding = finding({ id: 'missing-subject:subject:1', rule: 'missing-subject', severity: 'error', field: 'subject', start: 0, end: 0, match: '', replacements: [] });
const noThanks = finding({ id: 'no-thanks:body:1', rule: 'no-thanks', severity: 'suggestion', start: 0, end: 0, match: '', replacements: [], link: null });
const resume = finding({ id: 'resume-attached:attachments:1', rule: 'resume-attached', field: 'attachments', start: 0, end: 0, match: 'Jane_CV.pdf', attachment: 'Jane_CV.pdf', replacements: [] });

beforeEach(() => {
  document.body.innerHTML = '<div id="host"></div>';
  root = document.getElementById('host')!.attachShadow({ mode: 'open' });
  actions = {
    applySubject: vi.fn<PanelActions['applySubject']>(),
    applyReplacement: vi.fn<PanelActions['applyReplacement']>(),
    ignore: vi.fn<PanelActions['ignore']>(),
    disableRule: vi.fn<PanelActions['disableRule']>(),
    spotlight: vi.fn<PanelActions['spotlight']>(),
    resized: vi.fn<PanelActions['resized']>(),
    escape: vi.fn<PanelActions['escape']>(),
    setReferrer: vi.fn<PanelActions['setReferrer']>(),
  };
  panel = new Panel(document, actions);
  root.append(panel.element);
});

const rules = () => [...root.querySelectorAll<HTMLElement>('.finding')].map((li) => li.dataset.rule);
const buttons = (sel = '') => [...root.querySelectorAll<HTMLButtonElement>(`${sel} button`)].map((b) => b.textContent);

describe('rendering findings', () => {
  test('grouped by severity, errors first, with counts in the header', () => {
    panel.render(state({ findings: [noThanks, finding(), subjectFinding, resume] }));
    expect(rules()).toEqual(['missing-subject', 'informational-interview', 'resume-attached', 'no-thanks']);
    expect([...root.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['Fix first', 'Worth changing', 'Suggestions']);
    expect([...root.querySelectorAll('.header .counts .sr-only')].map((c) => c.textContent)).toEqual(['1 error', '2 warnings', '1 suggestion']);
  });

  test('message, where, explanation with its source link, and the actions that apply', () => {
    panel.render(state({ findings: [finding()] }));
    const li = root.querySelector('.finding')!;
    expect(li.querySelector('.message')!.textContent).toContain('Don\'t call it an "informational interview".');
    expect(li.querySelector('.where')!.textContent).toBe('“an informational interview” in the body');
    expect(li.querySelector('details p')!.textContent).toBe('People who get many of these requests are jaded.');
    const link = li.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://capd.mit.edu/networking');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(buttons('.finding')).toEqual(['Use “a 20-minute conversation”', 'Ignore', 'Turn this rule off']);
  });

  test('a whole-email finding has no phrase to ignore; an attachment names its file', () => {
    panel.render(state({ findings: [noThanks, resume] }));
    expect(buttons('[data-rule="no-thanks"]')).toEqual(['Turn this rule off']);
    expect(root.querySelector('[data-rule="no-thanks"] a')).toBeNull();
    expect(root.querySelector('[data-rule="resume-attached"] .where')!.textContent).toBe('Attachment: Jane_CV.pdf');
  });

  test('links that are not http(s) are not rendered', () => {
    panel.render(state({ findings: [finding({ link: 'javascript:alert(1)' })] }));
    expect(root.querySelector('a')).toBeNull();
  });

  test('buttons call the actions', () => {
    const f = finding();
    panel.render(state({ findings: [f], suggestions: [{ subject: 'Sally Smith suggested I contact you', referrer: 'Sally Smith', reason: 'Names who sent you.' }] }));
    root.querySelector<HTMLButtonElement>('button[data-subject]')!.click();
    expect(actions.applySubject).toHaveBeenCalledWith('Sally Smith suggested I contact you');
    const [replace, ignore, disable] = root.querySelectorAll<HTMLButtonElement>('.finding button');
    replace!.click();
    ignore!.click();
    disable!.click();
    expect(actions.applyReplacement).toHaveBeenCalledWith(f, 'a 20-minute conversation');
    expect(actions.ignore).toHaveBeenCalledWith(f);
    expect(actions.disableRule).toHaveBeenCalledWith(f);
  });

  test('no subject suggestions for a reply, whose subject is hidden', () => {
    panel.render(state({ subjectEditable: false, suggestions: [{ subject: 'x', referrer: null, reason: 'y' }] }));
    expect(root.querySelector('.suggestions')).toBeNull();
  });

  test('every button is labelled for screen readers', () => {
    panel.render(state({ findings: [finding(), noThanks, resume], suggestions: [{ subject: 's', referrer: null, reason: 'r' }] }));
    for (const b of root.querySelectorAll('button')) expect(b.getAttribute('aria-label')).toBeTruthy();
  });
});

describe('status and announcements', () => {
  test('status lines show; "all good" only when there is truly nothing and no error', () => {
    panel.render(state({ status: [{ tone: 'error', text: "Can't reach the Intro Coach service." }] }));
    expect(root.querySelector('.status.error')!.textContent).toBe("Can't reach the Intro Coach service.");
    expect(root.querySelector('.empty')).toBeNull();
    panel.render(state());
    expect(root.querySelector('.empty')).not.toBeNull();
    expect(root.querySelector('.counts')!.textContent).toBe('all good');
  });

  test('only new findings and changed status are announced', () => {
    const live = root.querySelector('[aria-live="polite"]')!;
    panel.render(state({ findings: [finding()] }));
    expect(live.textContent).toBe('Intro Coach: Don\'t call it an "informational interview".');
    live.textContent = '';
    panel.render(state({ findings: [finding()] }));
    expect(live.textContent).toBe('');
    panel.render(state({ findings: [finding(), noThanks, resume] }));
    expect(live.textContent).toMatch(/^Intro Coach: 2 new findings/);
    panel.render(state({ status: [{ tone: 'error', text: 'Down.' }] }));
    expect(live.textContent).toBe('Down.');
  });

  test('focus and open explanations survive a re-render', () => {
    panel.render(state({ findings: [finding(), noThanks] }));
    root.querySelector<HTMLDetailsElement>('[data-rule="no-thanks"] details')!.open = true;
    root.querySelector<HTMLButtonElement>('[data-rule="informational-interview"] button[data-key$=":ignore"]')!.focus();
    panel.render(state({ findings: [finding(), noThanks] }));
    expect(root.querySelector<HTMLDetailsElement>('[data-rule="no-thanks"] details')!.open).toBe(true);
    expect((root.activeElement as HTMLElement).dataset.key).toBe(`${finding().id}:ignore`);
  });

  test('collapsing hides the list and says so to assistive technology', () => {
    const toggle = root.querySelector<HTMLButtonElement>('.header button')!;
    toggle.click();
    expect(panel.element.classList.contains('collapsed')).toBe(true);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-label')).toBe('Show Intro Coach findings');
  });

  test('an action that throws is reported, never thrown into the page', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const thrown: unknown[] = [];
    const onError = (e: Event) => thrown.push(e);
    window.addEventListener('error', onError);
    panel.render(state({ findings: [finding()], suggestions: [{ subject: 'Sally Smith suggested I contact you', referrer: null, reason: 'r' }] }));
    for (const name of Object.keys(actions) as (keyof PanelActions)[]) {
      actions[name].mockImplementation(() => {
        throw new TypeError(name);
      });
    }
    const item = root.querySelector<HTMLElement>('.finding')!;
    for (const b of root.querySelectorAll<HTMLButtonElement>('button')) b.click();
    for (const type of ['mouseenter', 'mouseleave', 'focusin', 'focusout']) item.dispatchEvent(new Event(type));
    root.querySelector('details')!.dispatchEvent(new Event('toggle'));
    const places = warn.mock.calls.map(([message]) => String(message));
    expect(new Set(places)).toEqual(
      new Set([
        'Intro Coach: panel button failed (TypeError)',
        'Intro Coach: subject suggestion failed (TypeError)',
        'Intro Coach: toggle failed (TypeError)',
        'Intro Coach: spotlight failed (TypeError)',
        'Intro Coach: details failed (TypeError)',
      ]),
    );
    expect(places.filter((p) => p.includes('spotlight'))).toHaveLength(4);
    expect(thrown).toEqual([]);
    window.removeEventListener('error', onError);
    warn.mockRestore();
  });
});

describe('what comes first', () => {
  const suggestions = [
    { subject: 'Sally Smith suggested I contact you', referrer: 'Sally Smith', reason: 'Names who sent you.' },
    { subject: 'Question about UX research', referrer: null, reason: 'Says what it is about.' },
    { subject: 'Sally Smith suggested I reach out', referrer: 'Sally Smith', reason: 'Names who sent you.' },
  ];

  test('errors, then warnings, then the best subject with the others behind "More subjects", then suggestions', () => {
    panel.render(state({ findings: [noThanks, finding(), subjectFinding], suggestions }));
    const order = [...root.querySelectorAll('h3')].map((h) => h.textContent);
    expect(order).toEqual(['Fix first', 'Worth changing', 'Suggested subject', 'Suggestions']);
    expect([...root.querySelectorAll('.suggestions > .subject button')].map((b) => b.textContent)).toEqual(['Sally Smith suggested I contact you']);
    const more = root.querySelector<HTMLDetailsElement>('.suggestions details')!;
    expect(more.open).toBe(false);
    expect(more.querySelector('summary')!.textContent).toBe('More subjects (2)');
    expect(more.querySelectorAll('button')).toHaveLength(2);
  });

  test('a resume attached and announced is one card naming both places', () => {
    const announced = finding({ id: 'resume-attached:body:1', rule: 'resume-attached', severity: 'warning', field: 'body', match: "I've attached my resume", replacements: [] });
    panel.render(state({ findings: [announced, resume] }));
    const cards = root.querySelectorAll('[data-rule="resume-attached"]');
    expect(cards).toHaveLength(1);
    expect([...cards[0]!.querySelectorAll('.where')].map((w) => w.textContent)).toEqual(['Attachment: Jane_CV.pdf', '“I\'ve attached my resume” in the body']);
    expect([...root.querySelectorAll('.header .counts .sr-only')].map((c) => c.textContent)).toEqual(['1 warning']);
    // Pointing at the card points at both places.
    cards[0]!.dispatchEvent(new Event('mouseenter'));
    expect(actions.spotlight).toHaveBeenLastCalledWith([resume, announced]);
  });

  test('Escape in the panel hands focus back (to the message)', () => {
    panel.render(state({ findings: [finding()] }));
    root.querySelector<HTMLButtonElement>('.finding button')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(actions.escape).toHaveBeenCalledTimes(1);
  });
});
