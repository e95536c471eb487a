import { SEVERITIES, type Finding, type Severity, type SubjectSuggestion } from '../shared/contract';
import { h } from './dom';
import { guarded } from './guard';

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
}

export interface PanelActions {
  applySubject(subject: string): void;
  applyReplacement(finding: Finding, replacement: string): void;
  ignore(finding: Finding): void;
  disableRule(finding: Finding): void;
  /** The pointer or focus is on a finding: point at its text. */
  spotlight(finding: Finding | null): void;
  /** The panel changed size (collapsed, expanded or re-rendered). */
  resized(): void;
}

const HEADINGS: Record<Severity, [string, string]> = {
  error: ['Fix first', 'error'],
  warning: ['Worth changing', 'warning'],
  suggestion: ['Suggestions', 'suggestion'],
};

const COUNT_LABEL: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  suggestion: ['suggestion', 'suggestions'],
};

let panelCount = 0;

/**
 * The findings list for one compose window. Renders from a state object; each render
 * keeps keyboard focus and open explanations where they were, and new findings and
 * status changes are announced through a live region.
 */
export class Panel {
  readonly element: HTMLElement;
  private readonly doc: Document;
  private readonly live: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly content: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private collapsed = false;
  private known = new Set<string>();
  private lastStatus = '';
  private state: PanelState | null = null;

  constructor(
    doc: Document,
    private readonly actions: PanelActions,
  ) {
    this.doc = doc;
    const id = `intro-coach-${++panelCount}`;
    this.counts = h(doc, 'span', { class: 'counts' });
    this.toggle = h(doc, 'button', {
      class: 'icon',
      type: 'button',
      'aria-expanded': 'true',
      'aria-controls': `${id}-body`,
      'aria-label': 'Hide Intro Coach findings',
      title: 'Hide',
    });
    this.toggle.textContent = '▾';
    this.toggle.addEventListener('click', guarded('toggle', () => this.setCollapsed(!this.collapsed)));
    this.content = h(doc, 'div', { class: 'body', id: `${id}-body` });
    this.live = h(doc, 'div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.element = h(
      doc,
      'section',
      { class: 'panel', 'aria-label': 'Intro Coach', 'aria-describedby': `${id}-counts` },
      h(doc, 'div', { class: 'header' }, h(doc, 'span', { class: 'title' }, 'Intro Coach'), this.counts, this.toggle),
      this.content,
      this.live,
    );
    this.counts.id = `${id}-counts`;
  }

  get isCollapsed(): boolean {
    return this.collapsed;
  }

  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    this.element.classList.toggle('collapsed', collapsed);
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.toggle.setAttribute('aria-label', collapsed ? 'Show Intro Coach findings' : 'Hide Intro Coach findings');
    this.toggle.title = collapsed ? 'Show' : 'Hide';
    this.toggle.textContent = collapsed ? '▴' : '▾';
    this.actions.resized();
  }

  render(state: PanelState): void {
    this.state = state;
    const focusKey = this.focusedKey();
    const open = new Set(
      [...this.content.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) => d.dataset.key ?? ''),
    );

    this.renderCounts(state.findings);
    const children: Node[] = state.status.map((s) => h(this.doc, 'p', { class: `status ${s.tone}` }, s.text));
    if (state.subjectEditable && state.suggestions.length > 0) children.push(this.renderSuggestions(state.suggestions));
    for (const severity of SEVERITIES) {
      const group = state.findings.filter((f) => f.severity === severity);
      if (group.length === 0) continue;
      const [heading, cls] = HEADINGS[severity];
      children.push(
        h(this.doc, 'h3', { class: cls }, heading),
        h(this.doc, 'ul', {}, ...group.map((f) => this.renderFinding(f, open.has(f.id)))),
      );
    }
    if (!state.pending && state.findings.length === 0 && !state.status.some((s) => s.tone === 'error')) {
      children.push(h(this.doc, 'p', { class: 'empty' }, 'Nothing to fix. This reads like an email that gets answered.'));
    }
    if (state.words !== null) {
      children.push(h(this.doc, 'p', { class: 'stats' }, `${state.words} ${state.words === 1 ? 'word' : 'words'} (50–125 get the most replies)`));
    }
    this.content.replaceChildren(...children);
    this.restoreFocus(focusKey);
    this.announce(state);
    this.actions.resized();
  }

  private renderCounts(findings: Finding[]): void {
    const parts = SEVERITIES.map((severity) => {
      const n = findings.filter((f) => f.severity === severity).length;
      if (n === 0) return null;
      const [one, many] = COUNT_LABEL[severity];
      return h(this.doc, 'span', { class: `count ${severity}` }, `${n} ${n === 1 ? one : many}`);
    }).filter((x): x is HTMLSpanElement => x !== null);
    const allGood = this.state && !this.state.pending && !this.state.status.some((s) => s.tone === 'error');
    this.counts.replaceChildren(...(parts.length ? parts : [allGood ? 'all good' : '']));
  }

  private renderSuggestions(suggestions: SubjectSuggestion[]): HTMLElement {
    return h(
      this.doc,
      'div',
      { class: 'suggestions' },
      h(this.doc, 'h3', {}, 'Suggested subject'),
      ...suggestions.map((s, i) => {
        const button = h(
          this.doc,
          'button',
          { type: 'button', class: 'primary', 'data-key': `subject:${i}`, 'data-subject': s.subject, 'aria-label': `Use the subject: ${s.subject}` },
          s.subject,
        );
        button.addEventListener('click', guarded('subject suggestion', () => this.actions.applySubject(s.subject)));
        return h(this.doc, 'div', {}, button, h(this.doc, 'p', { class: 'reason' }, s.reason));
      }),
    );
  }

  private renderFinding(f: Finding, open: boolean): HTMLElement {
    const doc = this.doc;
    const actions = h(doc, 'div', { class: 'actions' });
    for (const replacement of f.replacements.slice(0, 3)) {
      if (f.field !== 'body' && !(f.field === 'subject' && this.state?.subjectEditable)) break;
      actions.append(
        this.button(`${f.id}:replace:${replacement}`, `Use “${replacement}”`, `Replace “${f.match}” with “${replacement}”`, () =>
          this.actions.applyReplacement(f, replacement),
        ),
      );
    }
    if (f.match) {
      actions.append(this.button(`${f.id}:ignore`, 'Ignore', `Ignore “${f.match}” from now on`, () => this.actions.ignore(f)));
    }
    actions.append(this.button(`${f.id}:disable`, 'Turn this rule off', `Turn off the rule: ${f.message}`, () => this.actions.disableRule(f)));

    const details = h(
      doc,
      'details',
      { 'data-key': f.id, open },
      h(doc, 'summary', {}, 'Why?'),
      h(doc, 'p', {}, f.explanation),
      f.link && safeLink(f.link) ? h(doc, 'a', { href: f.link, target: '_blank', rel: 'noopener noreferrer' }, 'Source of this advice') : null,
    );
    const item = h(
      doc,
      'li',
      { class: `finding ${f.severity}`, 'data-id': f.id, 'data-rule': f.rule, 'data-field': f.field },
      h(doc, 'p', { class: 'message' }, h(doc, 'span', { class: 'sr-only' }, `${COUNT_LABEL[f.severity][0]}: `), f.message),
      where(doc, f),
      details,
      actions,
    );
    const spotlight = guarded('spotlight', (on: boolean) => this.actions.spotlight(on ? f : null));
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
    if (fresh.length === 1) parts.push(`Intro Coach: ${fresh[0]!.message}`);
    else if (fresh.length > 1) parts.push(`Intro Coach: ${fresh.length} new findings. ${fresh[0]!.message}`);
    if (parts.length > 0) this.live.textContent = parts.join(' ');
  }
}

function where(doc: Document, f: Finding): HTMLElement | null {
  if (f.field === 'attachments') return h(doc, 'p', { class: 'where' }, `Attachment: ${f.attachment ?? f.match}`);
  if (!f.match) return null;
  return h(doc, 'p', { class: 'where' }, `“${f.match}” in the ${f.field}`);
}

function safeLink(link: string): boolean {
  return /^https?:\/\//i.test(link);
}
