import { describe, expect, test } from 'vitest';
import {
  DEFAULT_SETTINGS,
  IGNORED_BUDGET_BYTES,
  MAX_IGNORED_MATCH,
  fitIgnored,
  normalizeBackendUrl,
  normalizeSettings,
  toOptions,
} from '../src/shared/settings';
import { listedRules, rules } from '../src/shared/rules';
import manifest from '../static/manifest.json';

describe('settings', () => {
  test('stored values are coerced; junk falls back to defaults', () => {
    expect(normalizeSettings({})).toEqual(DEFAULT_SETTINGS);
    expect(
      normalizeSettings({
        backendUrl: 'javascript:alert(1)',
        disabledRules: ['too-long', 3, 'too-long'],
        ignored: [{ rule: 'job-ask', match: 'any openings' }, { rule: 1 }, null],
        grammar: 'yes',
      }),
    ).toEqual({
      backendUrl: 'http://127.0.0.1:8000',
      disabledRules: ['too-long'],
      ignored: [{ rule: 'job-ask', match: 'any openings' }],
      grammar: true,
      grammarPicky: false,
    });
  });

  test.each([
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000'],
    [' https://coach.example.com/api/ ', 'https://coach.example.com/api'],
    ['http://localhost:8000', 'http://localhost:8000'],
    ['http://[::1]:8000/', null],
    // Plain http anywhere but this machine would send drafts and tokens in the clear.
    ['http://coach.example.com', null],
    ['http://192.168.1.5:8000', null],
    ['http://127.0.0.1.example.com', null],
    ['ftp://x', null],
    ['not a url', null],
    ['', null],
  ])('backend URL %j', (input, expected) => {
    expect(normalizeBackendUrl(input)).toBe(expected);
  });

  test('Chrome lets the extension reach this machine only (a store build adds its one hosted analyzer)', () => {
    expect(manifest.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect('optional_host_permissions' in manifest).toBe(false);
    expect(manifest.content_scripts.map((c) => c.matches)).toEqual([['https://mail.google.com/*']]);
  });

  test('a stable id: the manifest carries its public key, and names come from _locales', () => {
    expect(manifest.key).toMatch(/^MIIBIjAN[A-Za-z0-9+/=]+$/);
    expect(manifest.default_locale).toBe('en');
    expect(manifest.name).toBe('__MSG_extName__');
    expect(Object.keys(manifest.commands)).toEqual(['focus-panel']);
  });

  test('options as the analyzer names them', () => {
    expect(toOptions({ ...DEFAULT_SETTINGS, disabledRules: ['no-thanks'], ignored: [{ rule: 'r', match: 'm' }], grammar: false })).toEqual({
      disabled_rules: ['no-thanks'],
      ignored: [{ rule: 'r', match: 'm' }],
      grammar: false,
      grammar_picky: false,
    });
  });

  test('the ignore list is trimmed oldest first to fit one chrome.storage.sync item', () => {
    const size = (l: unknown[]) => new TextEncoder().encode('ignored' + JSON.stringify(l)).length;
    // 200 entries of this size are ~16 KB: twice what Chrome accepts for one item.
    const list = Array.from({ length: 200 }, (_, i) => ({ rule: 'pick-your-brain', match: `phrase number ${i} ${'x'.repeat(40)}` }));
    const kept = fitIgnored(list);
    expect(size(kept)).toBeLessThan(IGNORED_BUDGET_BYTES);
    expect(kept.length).toBeGreaterThan(50);
    expect(kept).toEqual(list.slice(-kept.length)); // the newest stay
    // Multi-byte text counts in bytes, not characters.
    const wide = Array.from({ length: 100 }, (_, i) => ({ rule: 'r', match: `${i}${'語'.repeat(30)}` }));
    expect(size(fitIgnored(wide))).toBeLessThan(IGNORED_BUDGET_BYTES);
    // The longest match the backend accepts fits on its own, even in the worst escaping.
    const longest = { rule: 'grammar:SOME_RULE_ID', match: '\u0001'.repeat(MAX_IGNORED_MATCH) };
    const withLongest = fitIgnored([...list, longest]);
    expect(withLongest.at(-1)).toBe(longest);
    expect(size(withLongest)).toBeLessThan(IGNORED_BUDGET_BYTES);
    expect(size([longest])).toBeGreaterThan(6000);
  });

  test('stored matches longer than the backend accepts are dropped, not sent', () => {
    const long = { rule: 'r', match: 'x'.repeat(MAX_IGNORED_MATCH + 1) };
    expect(normalizeSettings({ ignored: [long, { rule: 'r', match: 'ok' }] }).ignored).toEqual([{ rule: 'r', match: 'ok' }]);
  });

  test('the options page lists a grammar rule turned off from a finding, so it can be turned back on', () => {
    const listed = listedRules(['too-long', 'grammar:MORFOLOGIK_RULE_EN_US', 'grammar:MORFOLOGIK_RULE_EN_US', 'retired-rule']);
    const fixed = rules();
    expect(listed.slice(0, fixed.length)).toEqual(fixed);
    expect(fixed[0]).toEqual({ id: 'informational-interview', label: 'Calling it an "informational interview"' });
    expect(listed.slice(fixed.length)).toEqual([
      { id: 'grammar:MORFOLOGIK_RULE_EN_US', label: 'Grammar and spelling' },
      { id: 'retired-rule', label: 'retired-rule' },
    ]);
    expect(listedRules([])).toEqual(fixed);
  });
});
