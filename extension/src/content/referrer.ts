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
 * What the user said about the referrer of one compose window, as the request's
 * `referrer`: null, nothing (the backend finds one); '' (the user says nobody referred
 * them); or the name they typed. In memory only, like the draft it belongs to: never
 * written to chrome.storage or anywhere else, gone with the window.
 */
export class ReferrerOverride {
  private value: string | null = null;

  get current(): string | null {
    return this.value;
  }

  /** A name typed; empty goes back to automatic. True when the value changed (and the
   * draft needs another look). */
  set(raw: string): boolean {
    return this.become(normalizeReferrer(raw));
  }

  /** The user says nobody referred them: whoever the backend would find, wasn't. */
  nobody(): boolean {
    return this.become('');
  }

  clear(): boolean {
    return this.become(null);
  }

  private become(next: string | null): boolean {
    if (next === this.value) return false;
    this.value = next;
    return true;
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
 * The panel's "Referred by" line, in one of three states: automatic (the referrer the
 * backend found and where from, or none), a name the user typed, or the user's word that
 * nobody referred them. Typing over the box and pressing Enter or leaving it gives a name;
 * the ✕ button says nobody when the name was found automatically, and clears a typed one
 * (back to automatic); emptying the box does the same; "Find automatically" undoes
 * "nobody". It is built once and kept across renders, so typing in it is never
 * interrupted by an answer.
 */
export class ReferrerField {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly autoButton: HTMLButtonElement;
  private readonly source: HTMLElement;
  /** What the user said (null: nothing, '': nobody), as last rendered. */
  private typed: string | null = null;
  private found: FoundReferrer = null;
  /** The last referrer found automatically, shown again at once on going back to it. */
  private auto: FoundReferrer = null;
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
    this.autoButton = h(doc, 'button', { type: 'button', class: 'referrer-auto', 'aria-label': t('referrerAutoTitle'), title: t('referrerAutoTitle'), hidden: true }, t('referrerAuto'));
    this.source = h(doc, 'p', { class: 'referrer-source', id: `${id}-source` });
    this.element = h(
      doc,
      'div',
      { class: 'referrer' },
      h(doc, 'div', { class: 'referrer-row' }, h(doc, 'label', { for: id }, t('referrerLabel')), this.input, this.clearButton),
      h(doc, 'div', { class: 'referrer-foot' }, this.source, this.autoButton),
    );
    this.input.addEventListener('keydown', guarded('referrer key', (e: KeyboardEvent) => this.onKey(e)));
    // Gmail's keyboard shortcuts listen on the page: from inside our shadow root a key
    // reaches them as a key on our host, not in a text box, so "c" would open a compose.
    for (const type of ['keypress', 'keyup', 'input']) this.input.addEventListener(type, (e) => e.stopPropagation());
    this.input.addEventListener('input', () => (this.dirty = true));
    this.input.addEventListener('change', guarded('referrer change', () => this.commit()));
    this.input.addEventListener('blur', guarded('referrer blur', () => this.commit()));
    // A typed name: cleared, back to automatic. A name found: not the referrer, nobody is.
    // A hidden button is not there to press (a script's click on it changes nothing).
    this.clearButton.addEventListener(
      'click',
      guarded('referrer clear', () => this.clearButton.hidden || this.choose(this.typed === null ? '' : null)),
    );
    this.autoButton.addEventListener(
      'click',
      guarded('referrer auto', () => this.autoButton.hidden || this.choose(null)),
    );
    // Until the first answer nothing is known: the line says nothing rather than "none".
    this.input.placeholder = t('referrerPlaceholder');
  }

  /** What the user said (null: nothing, '': nobody referred them) and what the last
   * answer found. */
  update(typed: string | null, found: FoundReferrer): void {
    this.typed = typed;
    this.found = found;
    // A "user" answer to a request sent before the box was cleared is stale: not shown.
    const auto = typed === null && found && found.source !== 'user' ? found : null;
    if (typed === null) this.auto = auto;
    this.shown = typed ?? auto?.name ?? '';
    // Never under the user's fingers: an answer arriving while they type keeps their text.
    if (!this.dirty) this.input.value = this.shown;
    this.input.placeholder = t('referrerPlaceholder');
    const clear = typed ? 'referrerClear' : typed === null && auto ? 'referrerNobody' : null;
    this.clearButton.hidden = clear === null;
    if (clear) {
      this.clearButton.setAttribute('aria-label', t(clear));
      this.clearButton.title = t(clear);
    }
    this.autoButton.hidden = typed !== '';
    this.source.textContent =
      typed === '' ? t('referrerNobodySaid') : typed !== null ? t('referrerFromUser') : auto ? t(SOURCE[auto.source]) : t('referrerNone');
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

  /** A button's choice; the focus goes to the box, as the button may have gone. */
  private choose(value: string | null): void {
    this.dirty = false;
    this.apply(value);
    this.update(value, value === null ? this.auto : null);
    this.input.focus();
  }

  /** Applies the box: the same text as shown changes nothing. Emptied, a typed name goes
   * back to automatic, and a name found automatically is taken as "nobody". */
  private commit(): void {
    const value = normalizeReferrer(this.input.value);
    this.dirty = false;
    // Leaving the name found as it was is not typing one.
    if (value !== normalizeReferrer(this.shown)) {
      const next = value === null && this.typed === null ? '' : value;
      this.apply(next);
      this.update(next, next === null ? this.auto : this.found);
    }
    this.input.value = this.shown;
  }
}
