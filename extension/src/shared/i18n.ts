// The extension's words, in the browser's language (Chrome picks the _locales folder).
// English, bundled, answers where chrome.i18n is missing (unit tests) or has no message.
import en from '../../static/_locales/en/messages.json';

export type MessageKey = keyof typeof en;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function t(key: MessageKey, ...subs: (string | number)[]): string {
  const args = subs.map(String);
  const i18n = typeof chrome === 'undefined' ? undefined : chrome.i18n;
  const localized = i18n?.getMessage ? i18n.getMessage(key, args) : '';
  if (localized) return localized;
  return english(key, args);
}

function english(key: MessageKey, args: readonly string[]): string {
  return en[key].message.replace(/\$([1-9])/g, (_, n: string) => args[Number(n) - 1] ?? '');
}

/** Attributes a page names a message by, each filling what its name says. */
export const I18N_ATTRIBUTES = {
  'data-i18n-title': 'title',
  'data-i18n-aria-label': 'aria-label',
  'data-i18n-placeholder': 'placeholder',
} as const;

/** Stand-ins for an element's child elements while its message is looked up: one
 * private-use character per slot, which no message contains. */
const SLOT_BASE = 0xe000;

/**
 * Puts a page's words in the browser's language. The HTML carries the English text (so a
 * page reads whole without the extension, as the privacy policy does in the repository)
 * and names its message: `data-i18n` for the content, `data-i18n-title`,
 * `data-i18n-aria-label`, `data-i18n-placeholder` for those attributes. An element with
 * child elements (a link, `<code>`, `<kbd>`) keeps them: the message's $1, $2… place them
 * in its word order, each child localized by its own attributes first.
 *
 * `<html lang>` and `dir` come from the messages file Chrome chose for the browser's
 * language, not from the UI language itself: in a language we have no words for, the
 * page is English and says so. `?lang=en` shows the English original (the authoritative
 * privacy policy, linked from its translation).
 */
export function localizePage(doc: Document = document): void {
  const original = new URLSearchParams(doc.defaultView?.location.search ?? '').get('lang') === 'en';
  const say = (key: string, args: string[] = []): string | null => {
    if (!isMessageKey(key)) return null;
    return original ? english(key, args) : t(key, ...args);
  };
  doc.documentElement.lang = say('pageLang') ?? 'en';
  doc.documentElement.dir = say('pageDir') === 'rtl' ? 'rtl' : 'ltr';
  // Deepest first, so a parent puts its children back already translated.
  const elements = [...doc.querySelectorAll<HTMLElement>('[data-i18n]')].reverse();
  for (const el of elements) {
    const slots = [...el.children];
    const text = say(el.dataset.i18n ?? '', slots.map((_, i) => String.fromCharCode(SLOT_BASE + i + 1)));
    if (text === null) continue;
    const nodes: (Node | string)[] = [];
    let run = '';
    for (const ch of text) {
      const slot = ch.charCodeAt(0) - SLOT_BASE - 1;
      const child = ch.length === 1 && slot >= 0 && slot < slots.length ? slots[slot] : undefined;
      if (child === undefined) {
        run += ch;
        continue;
      }
      if (run) nodes.push(run);
      run = '';
      nodes.push(child);
    }
    if (run) nodes.push(run);
    el.replaceChildren(...nodes);
  }
  for (const [data, attribute] of Object.entries(I18N_ATTRIBUTES)) {
    for (const el of doc.querySelectorAll(`[${data}]`)) {
      const text = say(el.getAttribute(data) ?? '');
      if (text !== null) el.setAttribute(attribute, text);
    }
  }
}
