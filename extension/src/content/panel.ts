import { SEVERITIES, isGrammarFinding, type Finding, type Severity, type SubjectSuggestion } from '../shared/contract';
import { englishIn, englishPart } from '../shared/backend-text';
import { t, type MessageKey } from '../shared/i18n';
import { h } from './dom';
import { guarded } from './guard';
import { ReferrerField, type FoundReferrer } from './referrer';

export interface Status {
  tone: 'info' | 'error' | 'ok';
  text: string;
}

export interface PanelState {
  findings: Finding[];
  suggestions: SubjectSuggestion[];
  /** What was skipped or went wrong; empty when all is well. */
  status: Status[];
  words: number | null;
  /** False for replies, whose subject Gmail keeps hidden. */
  subjectEditable: boolean;
  /** True until the first answer, so an empty list does not claim "all good" too early. */
  pending: boolean;
  /** What the user said about the referrer of this window (null: nothing, find it; '':
   * nobody referred them; else the name typed), and the one last found. */
  referrer?: { typed: string | null; found: FoundReferrer };
}

export interface PanelActions {
  applySubject(subject: string): void;
  applyReplacement(finding: Finding, replacement: string): void;
  ignore(finding: Finding): void;
  disableRule(finding: Finding): void;
  /** The pointer or focus is on a card: point at its text (all its places). */
  spotlight(findings: readonly Finding[] | null): void;
  /** The panel changed size (collapsed, expanded, opened, closed or re-rendered). */
  resized(): void;
  /** Escape pressed in the panel or on the pill. */
  escape(): void;
  /** The user typed a referrer (null: cleared, back to the one found automatically;
   * '': nobody referred them). */
  setReferrer(value: string | null): void;
}

/** One card: a problem, found in one place or several (a resume attached and announced). */
export interface Card {
  key: string;
  severity: Severity;
  rule: string;
  findings: Finding[];
}

/**
 * The panel's sections, top to bottom: what to fix first, then the subject, then the
 * rest. A new kind of finding (grammar, say) is one more entry here with its own
 * `pick`; the cards it picks leave the later sections.
 */
interface Section {
  id: string;
  heading: MessageKey;
  /** Cards of this section; each card is shown in the first section that picks it. */
  pick?: (card: Card) => boolean;
  /** The subject suggestions go here. */
  subjects?: true;
}

const isGrammar = (c: Card): boolean => c.rule.startsWith('grammar:');

const SECTIONS: readonly Section[] = [
  { id: 'error', heading: 'headingError', pick: (c) => !isGrammar(c) && c.severity === 'error' },
  { id: 'warning', heading: 'headingWarning', pick: (c) => !isGrammar(c) && c.severity === 'warning' },
  { id: 'subject', heading: 'headingSubject', subjects: true },
  { id: 'suggestion', heading: 'headingSuggestion', pick: (c) => !isGrammar(c) && c.severity === 'suggestion' },
  // Spelling and grammar come last: they arrive after the advice (a second, slower
  // request), and below it they never push what is already on screen down.
  { id: 'grammar', heading: 'headingGrammar', pick: isGrammar },
];

const COUNT_LABEL: Record<Severity, [MessageKey, MessageKey]> = {
  error: ['errorOne', 'errorMany'],
  warning: ['warningOne', 'warningMany'],
  suggestion: ['suggestionOne', 'suggestionMany'],
};

const RANK: Record<Severity, number> = { error: 0, warning: 1, suggestion: 2 };

/**
 * Findings as cards: one card per problem. The findings of one rule that point at an
 * attachment and at words in the email ("I've attached my resume") are one problem.
 */
export function cardsFor(findings: readonly Finding[]): Card[] {
  const cards: Card[] = [];
  const byRule = new Map<string, Card>();
  const attachmentRules = new Set(findings.filter((f) => f.field === 'attachments').map((f) => f.rule));
  for (const f of findings) {
    const merged = attachmentRules.has(f.rule) ? byRule.get(f.rule) : undefined;
    if (merged) {
      merged.findings.push(f);
      if (RANK[f.severity] < RANK[merged.severity]) merged.severity = f.severity;
      continue;
    }
    const card: Card = { key: f.id, severity: f.severity, rule: f.rule, findings: [f] };
    cards.push(card);
    if (attachmentRules.has(f.rule)) byRule.set(f.rule, card);
  }
  for (const c of cards) c.findings.sort((a, b) => (a.field === 'attachments' ? 0 : 1) - (b.field === 'attachments' ? 0 : 1));
  return cards;
}

export function countText(findings: readonly Finding[]): string {
  const cards = cardsFor(findings);
  const parts = SEVERITIES.map((s) => {
    const n = cards.filter((c) => c.severity === s).length;
    return n ? `${n} ${t(COUNT_LABEL[s][n === 1 ? 0 : 1])}` : null;
  }).filter((x): x is string => x !== null);
  return parts.length ? parts.join(', ') : t('noFindings');
}

let panelCount = 0;

/**
 * The findings list for one compose window, and the pill that stands for it when there
 * is no room beside the window. Renders from a state object; each render keeps keyboard
 * focus and open explanations where they were, and new findings and status changes are
 * announced through a live region.
 */
export class Panel {
  readonly element: HTMLElement;
  readonly pill: HTMLButtonElement;
  private readonly doc: Document;
  private readonly live: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly pillCounts: HTMLElement;
  private readonly content: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly referrer: ReferrerField;
  private collapsed = false;
  /** Docked: the panel shows only when opened from the pill. */
  private mode: 'beside' | 'docked' = 'beside';
  private opened = false;
  private known = new Set<string>();
  private lastStatus = '';
  private state: PanelState | null = null;
  private readonly lang = t('pageLang');

  constructor(
    doc: Document,
    private readonly actions: PanelActions,
  ) {
    this.doc = doc;
    const id = `intro-coach-${++panelCount}`;
    this.counts = h(doc, 'span', { class: 'counts', id: `${id}-counts` });
    this.toggle = h(doc, 'button', { class: 'icon', type: 'button', 'aria-expanded': 'true', 'aria-controls': `${id}-body` });
    this.toggle.addEventListener('click', guarded('toggle', () => this.onToggle()));
    this.content = h(doc, 'div', { class: 'body', id: `${id}-body` });
    this.live = h(doc, 'div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    // Kept out of the re-rendered list, so an answer never interrupts typing in it.
    this.referrer = new ReferrerField(doc, (name) => this.actions.setReferrer(name));
    this.element = h(
      doc,
      'section',
      { class: 'panel', 'aria-label': t('panelLabel'), 'aria-describedby': `${id}-counts`, tabindex: '-1' },
      h(doc, 'div', { class: 'header' }, h(doc, 'span', { class: 'title' }, t('panelLabel')), this.counts, this.toggle),
      this.content,
      this.referrer.element,
      this.live,
    );
    this.pillCounts = h(doc, 'span', { class: 'counts' });
    this.pill = h(doc, 'button', { class: 'pill', type: 'button', 'aria-expanded': 'false', 'aria-controls': this.element.id || `${id}-panel`, hidden: true }, h(doc, 'span', { class: 'logo', 'aria-hidden': 'true' }, 'IC'), this.pillCounts);
    this.element.id = `${id}-panel`;
    // Our words' direction, not the page's: an English panel in a Hebrew Gmail reads LTR.
    const dir = uiDirection();
    this.element.dir = dir;
    this.pill.dir = dir;
    // The language of the words Chrome chose for us; the backend's English inside is marked.
    this.element.lang = this.lang;
    this.pill.lang = this.lang;
    this.pill.addEventListener('click', guarded('pill', () => (this.opened ? this.close() : this.open())));
    const onKey = guarded('keydown', (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // Ours: Gmail would otherwise take Escape to leave full screen or close a menu.
      e.stopPropagation();
      e.preventDefault();
      this.actions.escape();
    });
    this.element.addEventListener('keydown', onKey);
    this.pill.addEventListener('keydown', onKey);
    this.updateToggle();
  }

  get isCollapsed(): boolean {
    return this.collapsed;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    this.element.classList.toggle('collapsed', collapsed);
    this.updateToggle();
    this.actions.resized();
  }

  /** Beside its window, or docked as a pill; set by the layout on every frame. */
  setMode(mode: 'beside' | 'docked'): void {
    if (mode === this.mode) return;
    this.mode = mode;
    if (mode === 'docked' && this.collapsed) this.setCollapsed(false);
    this.element.classList.toggle('docked', mode === 'docked');
    this.updateToggle();
  }

  open(): void {
    this.opened = true;
    this.updateToggle();
    this.actions.resized();
  }

  close(): void {
    this.opened = false;
    this.updateToggle();
    this.actions.resized();
  }

  setTheme(dark: boolean): void {
    this.element.classList.toggle('dark', dark);
    this.pill.classList.toggle('dark', dark);
  }

  /** Keyboard focus to the first thing to act on, else the panel itself. */
  focus(): void {
    const first = this.content.querySelector<HTMLElement>('button, summary, a[href]');
    (first ?? this.element).focus();
  }

  private onToggle(): void {
    if (this.mode === 'docked') {
      this.close();
      this.pill.focus();
    } else {
      this.setCollapsed(!this.collapsed);
    }
  }

  private updateToggle(): void {
    const docked = this.mode === 'docked';
    const expanded = docked ? this.opened : !this.collapsed;
    this.toggle.setAttribute('aria-expanded', String(expanded));
    this.toggle.setAttribute('aria-label', docked ? t('closePanel') : expanded ? t('hideFindings') : t('showFindings'));
    this.toggle.title = docked ? t('hide') : expanded ? t('hide') : t('show');
    this.toggle.textContent = docked ? '✕' : expanded ? '▾' : '▴';
    this.pill.setAttribute('aria-expanded', String(this.opened));
    this.pill.setAttribute('aria-label', t(this.opened ? 'pillLabelOpen' : 'pillLabel', this.state ? countText(this.state.findings) : t('noFindings')));
  }

  render(state: PanelState): void {
    this.state = state;
    const focusKey = this.focusedKey();
    const open = new Set([...this.content.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) => d.dataset.key ?? ''));

    const cards = cardsFor(state.findings);
    this.renderCounts(cards);
    const children: Node[] = state.status.map((s) => h(this.doc, 'p', { class: `status ${s.tone}` }, s.text));
    const shown = new Set<Card>();
    for (const section of SECTIONS) {
      if (section.subjects) {
        if (state.subjectEditable && state.suggestions.length > 0) children.push(this.renderSuggestions(section, state.suggestions, open));
        continue;
      }
      const picked = cards.filter((c) => !shown.has(c) && section.pick?.(c));
      if (picked.length === 0) continue;
      for (const c of picked) shown.add(c);
      children.push(
        h(this.doc, 'h3', { class: section.id }, t(section.heading)),
        h(this.doc, 'ul', { class: `group ${section.id}` }, ...picked.map((c) => this.renderCard(c, open.has(c.key)))),
      );
    }
    if (!state.pending && state.findings.length === 0 && !state.status.some((s) => s.tone === 'error')) {
      children.push(h(this.doc, 'p', { class: 'empty' }, t('nothingToFix')));
    }
    if (state.words !== null) {
      children.push(h(this.doc, 'p', { class: 'stats' }, state.words === 1 ? t('wordOne') : t('words', state.words)));
    }
    this.content.replaceChildren(...children);
    if (state.referrer) this.referrer.update(state.referrer.typed, state.referrer.found);
    this.restoreFocus(focusKey);
    this.announce(state);
    this.updateToggle();
    this.actions.resized();
  }

  /** A dot and a number per severity: the header stays one short line at any width. */
  private renderCounts(cards: readonly Card[]): void {
    const parts = SEVERITIES.map((severity) => {
      const n = cards.filter((c) => c.severity === severity).length;
      if (n === 0) return null;
      const label = `${n} ${t(COUNT_LABEL[severity][n === 1 ? 0 : 1])}`;
      return h(this.doc, 'span', { class: `count ${severity}`, title: label }, h(this.doc, 'span', { 'aria-hidden': 'true' }, String(n)), h(this.doc, 'span', { class: 'sr-only' }, label));
    }).filter((x): x is HTMLSpanElement => x !== null);
    const allGood = this.state && !this.state.pending && !this.state.status.some((s) => s.tone === 'error');
    const fallback = allGood ? t('allGood') : '';
    this.counts.replaceChildren(...(parts.length ? parts : [fallback]));
    this.pillCounts.replaceChildren(...(parts.length ? parts.map((p) => p.cloneNode(true)) : [allGood ? '✓' : '…']));
  }

  private renderSuggestions(section: Section, suggestions: SubjectSuggestion[], open: Set<string>): HTMLElement {
    const doc = this.doc;
    const item = (s: SubjectSuggestion, i: number): HTMLElement => {
      const button = h(doc, 'button', { type: 'button', class: 'primary', 'data-key': `subject:${i}`, 'data-subject': s.subject, 'aria-label': t('useSubject', s.subject) }, h(doc, 'span', { lang: englishIn(this.lang) }, s.subject));
      button.addEventListener('click', guarded('subject suggestion', () => this.actions.applySubject(s.subject)));
      return h(doc, 'div', { class: 'subject' }, button, h(doc, 'p', { class: 'reason' }, s.reason));
    };
    const [best, ...more] = suggestions;
    const details = more.length
      ? h(doc, 'details', { class: 'more', 'data-key': 'subjects:more', open: open.has('subjects:more') }, h(doc, 'summary', {}, t('moreSubjects', more.length)), ...more.map((s, i) => item(s, i + 1)))
      : null;
    if (details) details.addEventListener('toggle', guarded('details', () => this.actions.resized()));
    return h(doc, 'div', { class: 'suggestions' }, h(doc, 'h3', { class: section.id }, t(section.heading)), best ? item(best, 0) : null, details);
  }

  private renderCard(card: Card, open: boolean): HTMLElement {
    const doc = this.doc;
    const [first] = card.findings;
    const f = first!;
    const actions = h(doc, 'div', { class: 'actions' });
    for (const g of card.findings) {
      if (g.field !== 'body' && !(g.field === 'subject' && this.state?.subjectEditable)) continue;
      for (const replacement of g.replacements.slice(0, 3)) {
        actions.append(this.button(`${g.id}:replace:${replacement}`, t('use', replacement), t('replaceWith', g.match, replacement), () => this.actions.applyReplacement(g, replacement)));
      }
    }
    const matched = card.findings.filter((g) => g.match);
    if (matched.length > 0) {
      const label = matched.map((g) => g.match).join(', ');
      actions.append(this.button(`${card.key}:ignore`, t('ignore'), t('ignoreLabel', label), () => matched.forEach((g) => this.actions.ignore(g))));
    }
    if (isGrammarFinding(f)) {
      actions.append(this.button(`${card.key}:disable`, t('turnOffGrammar'), t('turnOffGrammarLabel'), () => this.actions.disableRule(f)));
    } else {
      actions.append(this.button(`${card.key}:disable`, t('turnOff'), t('turnOffLabel', f.message), () => this.actions.disableRule(f)));
    }

    const details = h(
      doc,
      'details',
      { 'data-key': card.key, open },
      h(doc, 'summary', {}, t('why')),
      h(doc, 'p', { lang: englishPart(f, 'explanation', this.lang) }, f.explanation),
      f.link && safeLink(f.link) ? h(doc, 'a', { href: f.link, target: '_blank', rel: 'noopener noreferrer' }, t('source')) : null,
    );
    const item = h(
      doc,
      'li',
      { class: `finding ${card.severity}${isGrammar(card) ? ' grammar' : ''}`, 'data-id': f.id, 'data-rule': card.rule, 'data-field': card.findings.map((g) => g.field).join(' ') },
      h(doc, 'p', { class: 'message' }, h(doc, 'span', { class: 'sr-only' }, `${t(COUNT_LABEL[card.severity][0])}: `), h(doc, 'span', { lang: englishPart(f, 'message', this.lang) }, f.message)),
      ...card.findings.map((g) => where(doc, g)),
      details,
      actions,
    );
    const spotlight = guarded('spotlight', (on: boolean) => this.actions.spotlight(on ? card.findings : null));
    item.addEventListener('mouseenter', () => spotlight(true));
    item.addEventListener('mouseleave', () => spotlight(false));
    item.addEventListener('focusin', () => spotlight(true));
    item.addEventListener('focusout', () => spotlight(false));
    details.addEventListener('toggle', guarded('details', () => this.actions.resized()));
    return item;
  }

  private button(key: string, label: string, ariaLabel: string, onClick: () => void): HTMLButtonElement {
    const b = h(this.doc, 'button', { type: 'button', 'data-key': key, 'aria-label': ariaLabel }, label);
    b.addEventListener('click', guarded('panel button', onClick));
    return b;
  }

  private focusedKey(): string | null {
    const root = this.element.getRootNode() as ShadowRoot | Document;
    const active = root.activeElement as HTMLElement | null;
    if (!active || !this.content.contains(active)) return null;
    return active.dataset.key ?? active.closest<HTMLElement>('[data-key]')?.dataset.key ?? null;
  }

  private restoreFocus(key: string | null): void {
    if (key === null) return;
    const target = [...this.content.querySelectorAll<HTMLElement>('[data-key]')].find((el) => el.dataset.key === key);
    (target?.tagName === 'DETAILS' ? target.querySelector('summary') : target)?.focus();
    // When the finding went away (fixed or ignored), keep focus in the panel, not on <body>.
    if (!target) this.toggle.focus();
  }

  private announce(state: PanelState): void {
    const fresh = state.findings.filter((f) => !this.known.has(f.id));
    this.known = new Set(state.findings.map((f) => f.id));
    const status = state.status.map((s) => s.text).join(' ');
    const parts: string[] = [];
    if (status !== this.lastStatus && status) parts.push(status);
    this.lastStatus = status;
    if (fresh.length === 1) parts.push(t('announceOne', fresh[0]!.message));
    else if (fresh.length > 1) parts.push(t('announceMany', fresh.length, fresh[0]!.message));
    if (parts.length > 0) this.live.textContent = parts.join(' ');
  }
}

function where(doc: Document, f: Finding): HTMLElement | null {
  if (f.field === 'attachments') return h(doc, 'p', { class: 'where' }, t('attachmentPlace', f.attachment ?? f.match));
  if (!f.match) return null;
  return h(doc, 'p', { class: 'where' }, t(f.field === 'subject' ? 'inSubject' : 'inBody', f.match));
}

function uiDirection(): 'ltr' | 'rtl' {
  const i18n = typeof chrome === 'undefined' ? undefined : chrome.i18n;
  return i18n?.getMessage?.('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr';
}

function safeLink(link: string): boolean {
  return /^https?:\/\//i.test(link);
}
