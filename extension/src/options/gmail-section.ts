// The options page's "Gmail connection" section. It holds no token: it asks the service
// worker, which runs the sign-in and keeps the session, and shows the view it answers.

import { presentGmail, scopeLabel, type GmailView } from '../shared/gmail';
import { t, type MessageKey } from '../shared/i18n';
import type { GmailMessage } from '../shared/messages';

/** Well under the 30 s after which an idle service worker is stopped. */
const KEEPALIVE_MS = 20_000;

const FEATURE_LABELS: Record<string, MessageKey> = {
  thread: 'gmailFeatureThread',
  referrer: 'gmailFeatureReferrer',
};

function featureLabel(feature: string): string {
  const key = Object.hasOwn(FEATURE_LABELS, feature) ? FEATURE_LABELS[feature] : undefined;
  return key ? t(key) : feature;
}

function noAnswer(): GmailView {
  return { state: 'disconnected', notice: { tone: 'error', message: t('noAnswer') } };
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`options page is missing #${id}`);
  return el as T;
}

async function ask(action: GmailMessage['action']): Promise<GmailView> {
  try {
    const view = (await chrome.runtime.sendMessage({ type: 'gmail', action } satisfies GmailMessage)) as GmailView | undefined;
    return view ?? noAnswer();
  } catch {
    return noAnswer();
  }
}

export function initGmailSection(): void {
  const state = byId<HTMLElement>('gmail-state');
  const message = byId<HTMLParagraphElement>('gmail-message');
  const details = byId<HTMLDListElement>('gmail-details');
  const connect = byId<HTMLButtonElement>('gmail-connect');
  const disconnect = byId<HTMLButtonElement>('gmail-disconnect');
  const signOut = byId<HTMLButtonElement>('gmail-sign-out');
  let busy = false;
  let shown: GmailView = { state: 'checking' };

  function render(view: GmailView): void {
    shown = view;
    const p = presentGmail(view);
    state.textContent = p.label;
    message.textContent = p.message;
    message.className = `status ${p.tone}`;
    connect.hidden = !p.connect.shown;
    connect.disabled = !p.connect.enabled;
    connect.textContent = p.connect.text;
    disconnect.hidden = !p.session;
    signOut.hidden = !p.session;
    details.hidden = !p.account;
    if (p.account) {
      byId('gmail-email').textContent = p.account.email;
      byId('gmail-scopes').replaceChildren(
        ...p.account.scopes.map((s) => {
          const code = document.createElement('code');
          code.textContent = scopeLabel(s);
          code.title = s;
          return code;
        }),
      );
      byId('gmail-features').textContent = p.account.features.map(featureLabel).join(', ') || t('gmailFeaturesNone');
    }
  }

  async function run(action: GmailMessage['action'], pending: GmailView | null): Promise<void> {
    if (busy) return;
    busy = true;
    if (pending) render(pending);
    // Each message wakes the worker up again while the Google window is open.
    const keepalive = setInterval(() => void ask('ping'), KEEPALIVE_MS);
    try {
      render(await ask(action));
    } finally {
      clearInterval(keepalive);
      busy = false;
    }
  }

  connect.addEventListener('click', () => void run('connect', { state: 'connecting' }));
  disconnect.addEventListener('click', () => {
    disconnect.disabled = signOut.disabled = true;
    void run('disconnect', null).finally(() => (disconnect.disabled = signOut.disabled = false));
  });
  signOut.addEventListener('click', () => {
    disconnect.disabled = signOut.disabled = true;
    void run('sign-out', null).finally(() => (disconnect.disabled = signOut.disabled = false));
  });

  /** Our own actions change storage too: only a different state replaces what they said. */
  const refresh = (): void => {
    if (!busy) void ask('status').then((view) => !busy && view.state !== shown.state && render(view));
  };
  chrome.storage.onChanged.addListener((changes, area) => {
    // A session ended by the worker (a 401 while analyzing), or another backend chosen.
    if (area === 'sync' ? 'backendUrl' in changes : 'gmailSession' in changes || 'gmailEnded' in changes) refresh();
  });
  render(shown);
  refresh();
}
