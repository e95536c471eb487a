import type { AnalyzeOptions, IgnoredFinding } from './contract';

export interface Settings {
  backendUrl: string;
  disabledRules: string[];
  ignored: IgnoredFinding[];
  grammar: boolean;
}

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8000';

export const DEFAULT_SETTINGS: Settings = {
  backendUrl: DEFAULT_BACKEND_URL,
  disabledRules: [],
  ignored: [],
  grammar: true,
};

// chrome.storage.sync caps one item at 8 KB; a long ignore list is trimmed oldest first.
const MAX_IGNORED = 200;

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
          typeof x === 'object' && x !== null && typeof x.rule === 'string' && typeof x.match === 'string',
      )
    : [];
  return {
    backendUrl: normalizeBackendUrl(raw.backendUrl) ?? DEFAULT_BACKEND_URL,
    disabledRules: [...new Set(strings(raw.disabledRules))],
    ignored,
    grammar: typeof raw.grammar === 'boolean' ? raw.grammar : true,
  };
}

/** An http(s) origin plus optional path, without a trailing slash; null if unusable. */
export function normalizeBackendUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

export async function saveSettings(patch: Partial<Settings>): Promise<void> {
  await chrome.storage.sync.set(patch);
}

export async function ignoreFinding(item: IgnoredFinding): Promise<void> {
  const { ignored } = await loadSettings();
  if (ignored.some((i) => i.rule === item.rule && i.match === item.match)) return;
  await saveSettings({ ignored: [...ignored, item].slice(-MAX_IGNORED) });
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
  };
}
