// The extension's words, in the browser's language (Chrome picks the _locales folder).
// English, bundled, answers where chrome.i18n is missing (unit tests) or has no message.
import en from '../../static/_locales/en/messages.json';

export type MessageKey = keyof typeof en;

export function t(key: MessageKey, ...subs: (string | number)[]): string {
  const args = subs.map(String);
  const i18n = typeof chrome === 'undefined' ? undefined : chrome.i18n;
  const localized = i18n?.getMessage ? i18n.getMessage(key, args) : '';
  if (localized) return localized;
  return en[key].message.replace(/\$([1-9])/g, (_, n: string) => args[Number(n) - 1] ?? '');
}
