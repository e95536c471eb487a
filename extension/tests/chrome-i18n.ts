// chrome.i18n as Chrome answers it for one UI language: that language's message, else the
// default locale's (English), else ''; $1…$9 filled from the substitutions.
import en from '../static/_locales/en/messages.json';
import fr from '../static/_locales/fr/messages.json';

type Messages = Record<string, { message: string }>;

export const LOCALES: Record<'en' | 'fr', Messages> = { en, fr };

export function chromeIn(lang: 'en' | 'fr' | 'de'): { i18n: Pick<typeof chrome.i18n, 'getMessage' | 'getUILanguage'> } {
  const chain = [lang === 'de' ? {} : LOCALES[lang], LOCALES.en];
  const getMessage = (key: string, subs?: string | (string | number)[]): string => {
    const args = (subs === undefined ? [] : Array.isArray(subs) ? subs : [subs]).map(String);
    // Chrome looks names up whatever their case.
    const lower = key.toLowerCase();
    for (const messages of chain) {
      const name = Object.keys(messages).find((k) => k.toLowerCase() === lower);
      if (name) return messages[name]!.message.replace(/\$([1-9])/g, (_, n: string) => args[Number(n) - 1] ?? '');
    }
    return '';
  };
  return { i18n: { getMessage, getUILanguage: () => lang } };
}
