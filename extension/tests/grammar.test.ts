import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ComposeCoach, type Analyze, type Grammar } from '../src/content/coach';
import { Panel, type PanelActions } from '../src/content/panel';
import { findComposes } from '../src/gmail/selectors';
import { isGrammarResponse } from '../src/shared/contract';
import { isGrammarResult, type GrammarResult } from '../src/shared/messages';
import { finding, response } from './fixtures';

const spelling = finding({
  id: 'grammar:MORFOLOGIK_RULE_EN_US:body:1',
  rule: 'grammar:MORFOLOGIK_RULE_EN_US',
  severity: 'warning',
  start: 3,
  end: 9,
  match: 'Jordon',
  message: 'Possible spelling mistake found.',
  explanation: 'Found by LanguageTool (rule MORFOLOGIK_RULE_EN_US, misspelling).',
  replacements: ['Jordan', 'Gordon', 'Jordi', 'Jordy'],
  link: null,
});
const advice = finding({ id: 'informational-interview:body:1', start: 12, end: 38, severity: 'warning' });
const grammarOk = (findings = [spelling]): GrammarResult => ({ kind: 'ok', response: { findings, checks: { rules: 'ok', grammar: 'ok', gmail: 'not_connected', notes: [] } } });

describe('the grammar section of the panel', () => {
  let root: ShadowRoot;
  let actions: { [K in keyof PanelActions]: ReturnType<typeof vi.fn<PanelActions[K]>> };
  let panel: Panel;
  beforeEach(() => {
    document.body.innerHTML = '<div id="host"></div>';
    root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    actions = {
      applySubject: vi.fn(),
      applyReplacement: vi.fn(),
      ignore: vi.fn(),
      disableRule: vi.fn(),
      spotlight: vi.fn(),
      resized: vi.fn(),
      escape: vi.fn(),
      setReferrer: vi.fn(),
    };
    panel = new Panel(document, actions);
    root.append(panel.element);
  });

  test('comes last under its own heading, with at most three replacements, Ignore and Turn off grammar', () => {
    panel.render({ findings: [spelling, advice], suggestions: [], status: [], words: 9, subjectEditable: true, pending: false });
    expect([...root.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['Worth changing', 'Spelling and grammar']);
    const card = root.querySelector<HTMLElement>('.finding.grammar')!;
    expect(card.closest('ul')!.classList.contains('grammar')).toBe(true);
    expect(card.querySelector('.message')!.textContent).toContain('Possible spelling mistake found.');
    const labels = [...card.querySelectorAll('button')].map((b) => b.textContent);
    expect(labels).toEqual(['Use “Jordan”', 'Use “Gordon”', 'Use “Jordi”', 'Ignore', 'Turn off grammar']);
    card.querySelector<HTMLButtonElement>('button')!.click();
    expect(actions.applyReplacement).toHaveBeenCalledWith(spelling, 'Jordan');
    [...card.querySelectorAll('button')].at(-1)!.click();
    expect(actions.disableRule).toHaveBeenCalledWith(spelling);
  });
});

describe('grammar arrives after the advice', () => {
  let coach: ComposeCoach | null = null;
  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML = `<div role="dialog"><div class="M9"><div name="to" role="listbox"></div><input name="subjectbox" value="Hello">
      <div g_editable="true" contenteditable="true"><div>Hi Jordon, an informational interview?</div></div></div></div>`;
  });
  afterEach(() => {
    coach?.destroy();
    coach = null;
    vi.useRealTimers();
  });

  test('advice shows at once; grammar is asked for after it and added below, leaving the advice in place', async () => {
    const order: string[] = [];
    let answerGrammar: (r: GrammarResult) => void = () => undefined;
    const analyze: Analyze = async () => {
      order.push('rules');
      return { kind: 'ok', response: response([advice]) };
    };
    const grammar: Grammar = () => {
      order.push('grammar');
      return new Promise((ok) => (answerGrammar = ok));
    };
    const [parts] = findComposes(document);
    coach = new ComposeCoach(parts!, analyze, grammar);
    coach.start();
    const panel = coach.host.shadowRoot!;
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['rules', 'grammar']);
    const adviceCard = panel.querySelector('.finding[data-rule="informational-interview"]');
    expect(adviceCard).not.toBeNull();
    expect(panel.querySelector('.finding.grammar')).toBeNull();

    answerGrammar(grammarOk());
    await vi.advanceTimersByTimeAsync(0);
    expect(panel.querySelector('.finding.grammar')?.getAttribute('data-rule')).toBe('grammar:MORFOLOGIK_RULE_EN_US');
    const cards = [...panel.querySelectorAll('.finding')].map((c) => c.getAttribute('data-rule'));
    expect(cards).toEqual(['informational-interview', 'grammar:MORFOLOGIK_RULE_EN_US']);
    expect(panel.querySelector('.clip.grammar-marks')).not.toBeNull();
  });

  test('a grammar answer about text edited since is dropped', async () => {
    let answerGrammar: (r: GrammarResult) => void = () => undefined;
    const [parts] = findComposes(document);
    coach = new ComposeCoach(parts!, async () => ({ kind: 'ok', response: response([]) }), () => new Promise((ok) => (answerGrammar = ok)));
    coach.start();
    await vi.advanceTimersByTimeAsync(0);
    parts!.body.firstElementChild!.textContent = 'Hi Jordan, an informational interview?';
    parts!.body.dispatchEvent(new InputEvent('input', { bubbles: true }));
    answerGrammar(grammarOk());
    await vi.advanceTimersByTimeAsync(0);
    expect(coach.host.shadowRoot!.querySelector('.finding.grammar')).toBeNull();
  });
});

test('answers from the worker and the backend are checked field by field', () => {
  expect(isGrammarResult(grammarOk())).toBe(true);
  expect(isGrammarResult({ kind: 'ok', response: { findings: 'x', checks: {} } })).toBe(false);
  expect(isGrammarResult({ kind: 'failed' })).toBe(true);
  expect(isGrammarResponse({ findings: [spelling], checks: { grammar: 'timeout' } })).toBe(true);
  expect(isGrammarResponse({ findings: [spelling], checks: { grammar: 'maybe' } })).toBe(false);
});
