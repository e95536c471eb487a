// The Gmail connection, run by the service worker: sign-in through
// chrome.identity.launchWebAuthFlow, the session token swap, status, disconnect, and
// the session token on /v1/analyze. Every function answers with a view for the options
// page and never throws, because a rejected message would leave that page spinning.

import type { AnalyzeRequest } from '../shared/contract';
import {
  authStartUrl,
  commonView,
  detailOf,
  failed,
  isProblem,
  panelPausedNote,
  panelReconnectNote,
  parseAuthRedirect,
  problemOfLaunchError,
  reconnectMessage,
  viewOfMe,
  viewWithoutSession,
  withNotice,
  type ApiAnswer,
  type GmailView,
} from '../shared/gmail';
import { t } from '../shared/i18n';
import type { AnalyzeResult } from '../shared/messages';
import { callBackend, postAnalyze } from './backend';
import { endSession, forgetSession, loadEnded, loadSession, saveSession, type StoredSession } from './session';

export interface GmailEnv {
  extensionId: string;
  /** Resolves with the final https://<id>.chromiumapp.org/ URL; rejects when the user closes the window. */
  launchWebAuthFlow(url: string): Promise<string | undefined>;
  fetch: typeof fetch;
  now(): number;
}

export function chromeEnv(): GmailEnv {
  return {
    extensionId: chrome.runtime.id,
    launchWebAuthFlow: (url) => chrome.identity.launchWebAuthFlow({ url, interactive: true }),
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
  };
}

export async function gmailStatus(backendUrl: string, env: GmailEnv): Promise<GmailView> {
  const session = await loadSession(backendUrl, env.now());
  if (session) return sessionView(backendUrl, session, env);
  const view = viewWithoutSession(await callBackend(backendUrl, '/v1/me', { method: 'GET' }, env.fetch), backendUrl);
  const ended = await loadEnded(backendUrl);
  if (ended && view.state === 'disconnected') {
    return { state: 'reconnect_required', email: ended.email, message: reconnectMessage(), session: false };
  }
  return view;
}

async function sessionView(backendUrl: string, session: StoredSession, env: GmailEnv): Promise<GmailView> {
  const answer = await callBackend(backendUrl, '/v1/me', { method: 'GET', token: session.token }, env.fetch);
  if (answer.status === 401) await endSession(session);
  const view = viewOfMe(answer, backendUrl);
  if (view.state === 'connected' && view.email !== session.email) await saveSession({ ...session, email: view.email });
  if (view.state === 'reconnect_required' && !view.email) return { ...view, email: session.email };
  return view;
}

let connecting: Promise<GmailView> | null = null;

/** One sign-in at a time: a second click joins the window already open. */
export function connectGmail(backendUrl: string, env: GmailEnv): Promise<GmailView> {
  connecting ??= connect(backendUrl, env)
    .catch(() => failed('failed'))
    .finally(() => {
      connecting = null;
    });
  return connecting;
}

async function connect(backendUrl: string, env: GmailEnv): Promise<GmailView> {
  // A service without a Google client (503) or no service at all is known before any
  // window opens: no point showing the user an error page in a popup.
  const probe = await callBackend(backendUrl, '/v1/me', { method: 'GET' }, env.fetch);
  if (probe.status === 0 || probe.status === 503) return viewWithoutSession(probe, backendUrl);
  let final: string | undefined;
  try {
    final = await env.launchWebAuthFlow(authStartUrl(backendUrl, env.extensionId));
  } catch (error) {
    return failed(problemOfLaunchError(error instanceof Error ? error.message : String(error)));
  }
  const outcome = parseAuthRedirect(final ?? '', env.extensionId);
  if (outcome.kind === 'invalid') return failed('bad_redirect');
  if (outcome.kind === 'error') return failed(isProblem(outcome.error) ? outcome.error : 'failed', outcome.description);
  const answer = await callBackend(backendUrl, '/v1/session', { method: 'POST', json: { code: outcome.code } }, env.fetch);
  const issued = answer.status === 200 ? asIssued(answer.body) : null;
  if (!issued) {
    if (errorCodeOf(answer.body) === 'code_invalid') return failed('code_invalid');
    return commonView(answer, backendUrl) ?? failed('failed', detailOf(answer.body));
  }
  const previous = await loadSession(backendUrl, env.now());
  const session: StoredSession = { ...issued, backendUrl, email: null };
  await saveSession(session);
  // Reconnecting replaces this browser's session; the old one is signed out, best effort.
  if (previous) void callBackend(backendUrl, '/v1/session', { method: 'DELETE', token: previous.token }, env.fetch);
  return sessionView(backendUrl, session, env);
}

function asIssued(body: unknown): { token: string; expiresAt: number } | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.session_token !== 'string' || !b.session_token || typeof b.expires_at !== 'number') return null;
  return { token: b.session_token, expiresAt: b.expires_at };
}

function errorCodeOf(body: unknown): string | null {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : null;
  return typeof error === 'string' ? error : null;
}

/** Revokes the grant at Google and deletes everything the backend stored about the user. */
export async function disconnectGmail(backendUrl: string, env: GmailEnv): Promise<GmailView> {
  const session = await loadSession(backendUrl, env.now());
  if (!session) {
    await forgetSession();
    return { state: 'disconnected' };
  }
  const answer = await callBackend(backendUrl, '/v1/disconnect', { method: 'POST', token: session.token }, env.fetch);
  if (answer.status === 200) {
    await forgetSession();
    const body = (answer.body ?? {}) as { revoked_at_google?: unknown; message?: unknown };
    // The backend says the same in English; revoked_at_google is what tells the two apart.
    const revoked = body.revoked_at_google === true;
    const message = t(revoked ? 'gmailDisconnected' : 'gmailDisconnectedUnconfirmed');
    return { state: 'disconnected', notice: { tone: revoked ? 'ok' : 'info', message } };
  }
  if (answer.status === 401) {
    await forgetSession();
    return {
      state: 'disconnected',
      notice: {
        tone: 'error',
        message: t('gmailSessionAlreadyEnded'),
      },
    };
  }
  return stillConnected(backendUrl, answer, env);
}

/** Signs this browser out; the Gmail connection itself (and other browsers') stays. */
export async function signOutGmail(backendUrl: string, env: GmailEnv): Promise<GmailView> {
  const session = await loadSession(backendUrl, env.now());
  if (session) {
    const answer = await callBackend(backendUrl, '/v1/session', { method: 'DELETE', token: session.token }, env.fetch);
    if (answer.status !== 204 && answer.status !== 401) return stillConnected(backendUrl, answer, env);
  }
  await forgetSession();
  return {
    state: 'disconnected',
    notice: { tone: 'ok', message: t('gmailSignedOut') },
  };
}

async function stillConnected(backendUrl: string, answer: ApiAnswer, env: GmailEnv): Promise<GmailView> {
  const why = commonView(answer, backendUrl);
  const message =
    why?.state === 'unreachable'
      ? t('gmailNothingChangedUnreachable', backendUrl)
      : t('gmailNothingChanged', `${answer.status}${detailOf(answer.body) ? `: ${detailOf(answer.body)}` : ''}`);
  const view = why?.state === 'unreachable' ? why : await gmailStatus(backendUrl, env);
  return withNotice(view, { tone: 'error', message });
}

let pausedUntil = 0;

/** POST /v1/analyze, with the session token when there is one. The rules never wait on
 * the connection: a refused token (401) or a rate limit (429) is answered again without
 * it, and the panel is told why Gmail context is missing. */
export async function analyzeWithSession(
  backendUrl: string,
  request: AnalyzeRequest,
  signal: AbortSignal,
  env: GmailEnv,
): Promise<AnalyzeResult> {
  const anonymous = (): Promise<AnalyzeResult> => postAnalyze(backendUrl, request, signal, null, env.fetch);
  const session = await loadSession(backendUrl, env.now());
  if (!session) {
    const ended = await loadEnded(backendUrl);
    return ended ? withNote(await anonymous(), panelReconnectNote()) : anonymous();
  }
  if (env.now() < pausedUntil) return withNote(await anonymous(), panelPausedNote(pausedUntil - env.now()));
  const result = await postAnalyze(backendUrl, request, signal, session.token, env.fetch);
  if (result.kind !== 'refused') return result;
  if (result.status === 401) {
    await endSession(session);
    return withNote(await anonymous(), panelReconnectNote());
  }
  if (result.status === 429) {
    const wait = result.retryAfterMs ?? 5000;
    pausedUntil = env.now() + wait;
    return withNote(await anonymous(), panelPausedNote(wait));
  }
  return result;
}

/** For tests: forget a rate-limit pause. */
export function resetPause(): void {
  pausedUntil = 0;
}

/** The panel shows checks.notes as status lines; the connection's state is the worker's
 * to tell, so it adds its line there instead of teaching the content script sessions. */
function withNote(result: AnalyzeResult, note: string): AnalyzeResult {
  if (result.kind !== 'ok') return result;
  const checks = result.response.checks;
  return { ...result, response: { ...result.response, checks: { ...checks, notes: [...(checks.notes ?? []), note] } } };
}
