import type { AnalyzeOptions, IgnoredFinding } from './contract';

export interface Settings {
  backendUrl: string;
  disabledRules: string[];
  ignored: IgnoredFinding[];
  grammar: boolean;
  grammarPicky: boolean;
}

declare const __HOSTED_BACKEND__: string | undefined;

/** A store build's hosted analyzer (build.mjs), else the one `make run` starts here. */
export const DEFAULT_BACKEND_URL = (typeof __HOSTED_BACKEND__ === 'string' && __HOSTED_BACKEND__) || 'http://127.0.0.1:8000';

export const DEFAULT_SETTINGS: Settings = {
  backendUrl: DEFAULT_BACKEND_URL,
  disabledRules: [],
  ignored: [],
  grammar: true,
  grammarPicky: false,
};

// chrome.storage.sync refuses an item over 8192 bytes (key plus JSON value), and a refused
// write loses the new entry: the ignore list is trimmed oldest first to stay under it.
export const IGNORED_BUDGET_BYTES = 7800;
/** The backend refuses (422) longer matches, which would fail every analysis. A match this
 * long is at most ~6 KB of JSON, so it always fits in the budget on its own. */
export const MAX_IGNORED_MATCH = 1000;

/** Hosts where plain http never leaves the machine (and that the manifest's host
 * permissions cover; an IPv6 literal has no match pattern there). */
const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

export async function loadSettings(): Promise<Settings> {
  const stored = await chrome.storage.sync.get(DEFAULT_SETTINGS as unknown as Record<string, unknown>);
  return normalizeSettings(stored);
}

/** Stored values come from older versions or other devices: coerce, never trust. */
export function normalizeSettings(raw: Record<string, unknown>): Settings {
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const ignored = Array.isArray(raw.ignored)
    ? raw.ignored.filter(
        (x): x is IgnoredFinding =>
          typeof x === 'object' &&
          x !== null &&
          typeof x.rule === 'string' &&
          typeof x.match === 'string' &&
          x.match.length <= MAX_IGNORED_MATCH,
      )
    : [];
  return {
    backendUrl: normalizeBackendUrl(raw.backendUrl) ?? DEFAULT_BACKEND_URL,
    disabledRules: [...new Set(strings(raw.disabledRules))],
    ignored,
    grammar: typeof raw.grammar === 'boolean' ? raw.grammar : true,
    grammarPicky: raw.grammarPicky === true,
  };
}

/** An https origin (http only on loopback) plus optional path, without a trailing slash;
 * null if unusable. Drafts, the session token and the OAuth code go there, so plain http
 * to another host would put them on the wire in the clear. */
export function normalizeBackendUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return null;
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

export async function saveSettings(patch: Partial<Settings>): Promise<void> {
  await chrome.storage.sync.set(patch);
}

export async function ignoreFinding(item: IgnoredFinding): Promise<void> {
  const { ignored } = await loadSettings();
  if (ignored.some((i) => i.rule === item.rule && i.match === item.match)) return;
  if (item.match.length > MAX_IGNORED_MATCH) throw new RangeError('match too long to ignore');
  await saveSettings({ ignored: fitIgnored([...ignored, item]) });
}

/** Drops the oldest entries until the list fits one chrome.storage.sync item. */
export function fitIgnored(list: IgnoredFinding[]): IgnoredFinding[] {
  const encoder = new TextEncoder();
  const size = (l: IgnoredFinding[]): number => encoder.encode('ignored' + JSON.stringify(l)).length;
  let start = 0;
  while (start < list.length && size(list.slice(start)) >= IGNORED_BUDGET_BYTES) start++;
  return list.slice(start);
}

export async function disableRule(rule: string): Promise<void> {
  const { disabledRules } = await loadSettings();
  if (!disabledRules.includes(rule)) await saveSettings({ disabledRules: [...disabledRules, rule] });
}

export function toOptions(settings: Settings): AnalyzeOptions {
  return {
    disabled_rules: settings.disabledRules,
    ignored: settings.ignored,
    grammar: settings.grammar,
    grammar_picky: settings.grammarPicky,
  };
}
