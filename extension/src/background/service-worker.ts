// The service worker is the only part that talks to the backend: its host permissions
// spare us CORS, the content script never sees the backend URL's responses raw, and it is
// where the session token of the Gmail connection will live.

import type { AnalyzeResult, ToWorker } from '../shared/messages';
import { loadSettings, toOptions } from '../shared/settings';
import { postAnalyze } from './backend';

/** One request in flight per compose window (tab + compose id). */
const inFlight = new Map<string, AbortController>();

chrome.runtime.onMessage.addListener((message: ToWorker, sender, sendResponse) => {
  const key = `${sender.tab?.id ?? 'extension'}:${message.composeId}`;
  if (message.type === 'cancel') {
    inFlight.get(key)?.abort();
    inFlight.delete(key);
    return false;
  }
  if (message.type === 'analyze') {
    inFlight.get(key)?.abort();
    const controller = new AbortController();
    inFlight.set(key, controller);
    analyze(message.draft, controller.signal)
      .catch((): AnalyzeResult => ({ kind: 'refused', backendUrl: '', status: 0, detail: 'internal error' }))
      .then((result) => {
        if (inFlight.get(key) === controller) inFlight.delete(key);
        sendResponse(result);
      });
    return true; // answer asynchronously
  }
  return false;
});

async function analyze(draft: Extract<ToWorker, { type: 'analyze' }>['draft'], signal: AbortSignal): Promise<AnalyzeResult> {
  const settings = await loadSettings();
  const request = { ...draft, options: toOptions(settings) };
  return postAnalyze(settings.backendUrl, request, signal, await authHeaders());
}

/** The opt-in Gmail connection (a later issue) adds its session token here. */
async function authHeaders(): Promise<Record<string, string>> {
  return {};
}

chrome.action?.onClicked.addListener(() => {
  void chrome.runtime.openOptionsPage();
});
