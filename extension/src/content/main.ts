// Content script entry: finds compose windows as Gmail opens and closes them, and gives
// each its own coach.

import { findComposes } from '../gmail/selectors';
import { ComposeCoach } from './coach';
import { guarded } from './guard';
import { requestAnalysis, requestGrammar } from './worker-client';

/** Gmail mutates its DOM constantly; look for new compose windows at most this often. */
const SCAN_DELAY_MS = 100;

const coaches = new Map<HTMLElement, ComposeCoach>();
let scanTimer: ReturnType<typeof setTimeout> | undefined;

const scan = guarded('scan', () => {
  scanTimer = undefined;
  const found = findComposes(document);
  const bodies = new Set(found.map((p) => p.body));
  for (const [body, coach] of coaches) {
    if (!body.isConnected || !bodies.has(body)) {
      if (lastFocused === coach) lastFocused = undefined;
      coach.destroy();
      coaches.delete(body);
    }
  }
  for (const parts of found) {
    if (coaches.has(parts.body)) continue;
    const coach = new ComposeCoach(parts, requestAnalysis, requestGrammar);
    coaches.set(parts.body, coach);
    coach.start();
  }
});

const observer = new MutationObserver(
  guarded('observe', (records: MutationRecord[]) => {
    if (scanTimer !== undefined) return;
    // Only nodes coming or going can open or close a compose window.
    if (records.some((r) => r.addedNodes.length > 0 || r.removedNodes.length > 0)) {
      scanTimer = setTimeout(scan, SCAN_DELAY_MS);
    }
  }),
);

observer.observe(document.documentElement, { childList: true, subtree: true });
scan();

/** The keyboard shortcut (a `commands` entry): the panel of the window being written in. */
chrome.runtime.onMessage.addListener(
  guarded('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'focus-panel') return;
    const all = [...coaches.values()];
    const target = all.find((c) => c.hasFocus()) ?? lastFocused ?? all.find((c) => c.windowBox() !== null);
    target?.focusPanel();
  }),
);

/** The window last written in, for the shortcut when focus is elsewhere (the inbox). */
let lastFocused: ComposeCoach | undefined;
document.addEventListener(
  'focusin',
  guarded('focusin', () => {
    for (const coach of coaches.values()) if (coach.hasFocus()) lastFocused = coach;
  }),
  true,
);

chrome.storage.onChanged.addListener(
  guarded('settings', (_changes: Record<string, chrome.storage.StorageChange>, area: string) => {
    if (area !== 'sync') return;
    for (const coach of coaches.values()) coach.refresh();
  }),
);
