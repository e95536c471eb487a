import type { AnalyzeResponse } from '../shared/contract';
import { t, type MessageKey } from '../shared/i18n';
import { h } from './dom';
import { guarded } from './guard';

/** The backend takes a referrer of at most this many characters (schema.py). */
export const REFERRER_MAX = 200;

/**
 * What the user typed as the referrer, as the backend gets it: one line, spaces
 * collapsed, trimmed, at most REFERRER_MAX characters (code points, as Python counts
 * them, never half of a surrogate pair). Empty means "none of mine: find it yourself".
 */
export function normalizeReferrer(raw: string): string | null {
  const line = raw.replace(/\s+/g, ' ').trim();
  if (!line) return null;
  const chars = Array.from(line);
  return chars.length > REFERRER_MAX ? chars.slice(0, REFERRER_MAX).join('').trim() : line;
}

/**
 * The referrer the user gave for one compose window. In memory only, like the draft it
 * belongs to: never written to chrome.storage or anywhere else, gone with the window.
 */
export class ReferrerOverride {
  private value: string | null = null;

  get current(): string | null {
    return this.value;
  }

  /** True when the value changed (and the draft needs another look). */
  set(raw: string): boolean {
    const next = normalizeReferrer(raw);
    if (next === this.value) return false;
    this.value = next;
    return true;
  }

  clear(): boolean {
    return this.set('');
  }
}

export type FoundReferrer = AnalyzeResponse['referrer'];

const SOURCE: Record<NonNullable<FoundReferrer>['source'], MessageKey> = {
  body: 'referrerFromEmail',
  gmail: 'referrerFromGmail',
  user: 'referrerFromUser',
};

let fieldCount = 0;

/**
 * The panel's "Referred by" line: the referrer the backend found and where from, in a
 * small text box the user can type over. Enter or leaving the box applies it; the clear
 * button (or emptying the box) goes back to the referrer found automatically. It is built
 * once and kept across renders, so typing in it is never interrupted by an answer.
 */
export class ReferrerField {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly source: HTMLElement;
  private found: FoundReferrer = null;
  /** What the box shows when the user is not editing it. */
  private shown = '';
  /** The user changed the box since it last showed `shown`: an answer must not undo that. */
  private dirty = false;

  constructor(
    doc: Document,
    private readonly apply: (value: string | null) => void,
  ) {
    const id = `intro-coach-referrer-${++fieldCount}`;
    this.input = h(doc, 'input', {
      id,
      type: 'text',
      class: 'referrer-input',
      maxlength: String(REFERRER_MAX),
      autocomplete: 'off',
      spellcheck: 'false',
      enterkeyhint: 'done',
      'aria-describedby': `${id}-source`,
    });
    this.clearButton = h(doc, 'button', { type: 'button', class: 'icon referrer-clear', 'aria-label': t('referrerClear'), title: t('referrerClear'), hidden: true }, '✕');
    this.source = h(doc, 'p', { class: 'referrer-source', id: `${id}-source` });
    this.element = h(
      doc,
      'div',
      { class: 'referrer' },
      h(doc, 'div', { class: 'referrer-row' }, h(doc, 'label', { for: id }, t('referrerLabel')), this.input, this.clearButton),
      this.source,
    );
    this.input.addEventListener('keydown', guarded('referrer key', (e: KeyboardEvent) => this.onKey(e)));
    // Gmail's keyboard shortcuts listen on the page: from inside our shadow root a key
    // reaches them as a key on our host, not in a text box, so "c" would open a compose.
    for (const type of ['keypress', 'keyup', 'input']) this.input.addEventListener(type, (e) => e.stopPropagation());
    this.input.addEventListener('input', () => (this.dirty = true));
    this.input.addEventListener('change', guarded('referrer change', () => this.commit()));
    this.input.addEventListener('blur', guarded('referrer blur', () => this.commit()));
    this.clearButton.addEventListener(
      'click',
      guarded('referrer clear', () => {
        this.input.value = '';
        this.commit();
        this.input.focus();
      }),
    );
    // Until the first answer nothing is known: the line says nothing rather than "none".
    this.input.placeholder = t('referrerPlaceholder');
  }

  /** What the user gave (null: nothing) and what the last answer found. */
  update(typed: string | null, found: FoundReferrer): void {
    this.found = found;
    // A "user" answer to a request sent before the box was cleared is stale: not shown.
    const auto = found && found.source !== 'user' ? found : null;
    this.shown = typed ?? auto?.name ?? '';
    // Never under the user's fingers: an answer arriving while they type keeps their text.
    if (!this.dirty) this.input.value = this.shown;
    this.input.placeholder = t('referrerPlaceholder');
    this.clearButton.hidden = typed === null;
    this.source.textContent = typed !== null ? t('referrerFromUser') : auto ? t(SOURCE[auto.source]) : t('referrerNone');
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      this.commit();
      return;
    }
    if (e.key === 'Escape') {
      // Leaves the box as it was; the panel then hands focus back to the message.
      this.input.value = this.shown;
      this.dirty = false;
      return;
    }
    e.stopPropagation();
  }

  /** Applies the box: the same text as shown changes nothing; empty goes back to automatic. */
  private commit(): void {
    const value = normalizeReferrer(this.input.value);
    this.dirty = false;
    // Leaving the name found as it was is not typing one.
    if (value !== normalizeReferrer(this.shown)) {
      this.apply(value);
      this.update(value, this.found);
    }
    this.input.value = this.shown;
  }
}
