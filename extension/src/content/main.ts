// Content script entry: finds compose windows as Gmail opens and closes them, and gives
// each its own coach.

import { findComposes } from '../gmail/selectors';
import { ComposeCoach } from './coach';
import { guarded } from './guard';
import { requestAnalysis } from './worker-client';

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
      coach.destroy();
      coaches.delete(body);
    }
  }
  for (const parts of found) {
    if (coaches.has(parts.body)) continue;
    const coach = new ComposeCoach(parts, requestAnalysis);
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

chrome.storage.onChanged.addListener(
  guarded('settings', (_changes: Record<string, chrome.storage.StorageChange>, area: string) => {
    if (area !== 'sync') return;
    for (const coach of coaches.values()) coach.refresh();
  }),
);
