import { describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS, normalizeBackendUrl, normalizeSettings, toOptions } from '../src/shared/settings';

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
    });
  });

  test.each([
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000'],
    [' https://coach.example.com/api/ ', 'https://coach.example.com/api'],
    ['ftp://x', null],
    ['not a url', null],
    ['', null],
  ])('backend URL %j', (input, expected) => {
    expect(normalizeBackendUrl(input)).toBe(expected);
  });

  test('options as the analyzer names them', () => {
    expect(toOptions({ ...DEFAULT_SETTINGS, disabledRules: ['no-thanks'], ignored: [{ rule: 'r', match: 'm' }], grammar: false })).toEqual({
      disabled_rules: ['no-thanks'],
      ignored: [{ rule: 'r', match: 'm' }],
      grammar: false,
    });
  });
});
