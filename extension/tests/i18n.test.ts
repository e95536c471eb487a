import { describe, expect, test } from 'vitest';
import en from '../static/_locales/en/messages.json';
import fr from '../static/_locales/fr/messages.json';
import { t } from '../src/shared/i18n';

describe('the extension speaks English and French', () => {
  test('French has every English message, with the same placeholders', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    const slots = (m: string) => (m.match(/\$[1-9]/g) ?? []).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(slots(fr[key].message), key).toEqual(slots(en[key].message));
    }
  });

  test('without chrome.i18n (tests), English with its placeholders filled', () => {
    expect(t('moreSubjects', 2)).toBe('More subjects (2)');
    expect(t('replaceWith', 'a', 'b')).toBe('Replace “a” with “b”');
  });
});
