// The service worker is the only part that talks to the backend: its host permissions
// spare us CORS, the content script never sees the backend URL's responses raw, and it
// alone holds the session token of the Gmail connection (src/background/gmail.ts).

import type { GmailView } from '../shared/gmail';
import { t } from '../shared/i18n';
import type { AnalyzeResult, GmailMessage, GrammarResult, ToWorker } from '../shared/messages';
import { loadSettings, toOptions } from '../shared/settings';
import { postGrammar } from './backend';
import { analyzeWithSession, chromeEnv, connectGmail, disconnectGmail, gmailStatus, signOutGmail } from './gmail';
import { tokenArea } from './session';

// Lock the token's storage area before anything else can read it.
void tokenArea();

/** One request in flight per compose window (tab + compose id). */
const inFlight = new Map<string, AbortController>();

chrome.runtime.onMessage.addListener((message: ToWorker, sender, sendResponse) => {
  if (message.type === 'gmail') {
    // Connecting and disconnecting are for the options page, never for a page's content script.
    if (sender.id !== chrome.runtime.id || !sender.url?.startsWith(chrome.runtime.getURL(''))) return false;
    if (message.action === 'ping') return false;
    gmail(message.action)
      .catch((): GmailView => ({ state: 'disconnected', notice: { tone: 'error', message: t('internalError') } }))
      .then(sendResponse);
    return true;
  }
  const key = `${sender.tab?.id ?? 'extension'}:${message.composeId}`;
  if (message.type === 'cancel') {
    const which = message.what === 'grammar' ? `${key}:grammar` : key;
    inFlight.get(which)?.abort();
    inFlight.delete(which);
    return false;
  }
  if (message.type === 'grammar') {
    const grammarKey = `${key}:grammar`;
    inFlight.get(grammarKey)?.abort();
    const controller = new AbortController();
    inFlight.set(grammarKey, controller);
    grammar(message.draft, controller.signal)
      .catch((): GrammarResult => ({ kind: 'failed' }))
      .then((result) => {
        if (inFlight.get(grammarKey) === controller) inFlight.delete(grammarKey);
        sendResponse(result);
      });
    return true;
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
  return analyzeWithSession(settings.backendUrl, request, signal, chromeEnv());
}

async function grammar(draft: Extract<ToWorker, { type: 'grammar' }>['draft'], signal: AbortSignal): Promise<GrammarResult> {
  const settings = await loadSettings();
  if (!settings.grammar) return { kind: 'cancelled' };
  return postGrammar(settings.backendUrl, { ...draft, options: toOptions(settings) }, signal);
}

async function gmail(action: Exclude<GmailMessage['action'], 'ping'>): Promise<GmailView> {
  const { backendUrl } = await loadSettings();
  const env = chromeEnv();
  switch (action) {
    case 'status':
      return gmailStatus(backendUrl, env);
    case 'connect':
      return connectGmail(backendUrl, env);
    case 'disconnect':
      return disconnectGmail(backendUrl, env);
    case 'sign-out':
      return signOutGmail(backendUrl, env);
  }
}

// The shortcut to the panel: the tab's content script knows which compose window is in use.
chrome.commands?.onCommand.addListener((command, tab) => {
  if (command !== 'focus-panel' || tab?.id === undefined) return;
  chrome.tabs.sendMessage(tab.id, { type: 'focus-panel' }).catch(() => undefined);
});

// A new install opens the first-run page: the backend must be set before Gmail is useful.
chrome.runtime.onInstalled?.addListener((details) => {
  if (details.reason === 'install') void chrome.tabs.create({ url: chrome.runtime.getURL('welcome.html') });
});

chrome.action?.onClicked.addListener(() => {
  void chrome.runtime.openOptionsPage();
});
