// The opt-in Gmail connection as the options page sees it: where the sign-in starts,
// how its end is read, and what each outcome says. Pure, so the whole state machine is
// unit-tested without a browser; the service worker (src/background/gmail.ts) drives it.

import { t, type MessageKey } from './i18n';

/** The backend's 503 detail when it has no Google client (backend/intro_coach/auth/router.py). */
export const NOT_CONFIGURED = 'Gmail connection is not configured';

/** Both features need gmail.readonly; asking for both at once spares a second consent. */
export const GMAIL_FEATURES = ['thread', 'referrer'] as const;

export function authStartUrl(backendUrl: string, extensionId: string): string {
  return `${backendUrl}/oauth/start?extension_id=${encodeURIComponent(extensionId)}&features=${GMAIL_FEATURES.join(',')}`;
}

export type RedirectOutcome =
  | { kind: 'code'; code: string }
  | { kind: 'error'; error: string; description: string | null }
  | { kind: 'invalid' };

/** Reads where the sign-in ended: https://<extension id>.chromiumapp.org/?code=… or
 * ?error=…&error_description=…. Anything else is not ours to trust. */
export function parseAuthRedirect(url: string, extensionId: string): RedirectOutcome {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'invalid' };
  }
  if (parsed.protocol !== 'https:' || parsed.hostname !== `${extensionId}.chromiumapp.org`) return { kind: 'invalid' };
  const error = parsed.searchParams.get('error');
  if (error) return { kind: 'error', error, description: parsed.searchParams.get('error_description') || null };
  const code = parsed.searchParams.get('code');
  // The backend's codes are short url-safe tokens; POST /v1/session caps them at 200.
  if (code && code.length <= 200) return { kind: 'code', code };
  return { kind: 'invalid' };
}

/** Why a connection attempt failed or ended. The first group are the backend's codes. */
export type GmailProblem =
  | 'access_denied'
  | 'state_expired'
  | 'state_replayed'
  | 'state_unknown'
  | 'code_invalid'
  | 'scopes_missing'
  | 'no_offline_access'
  | 'google_unavailable'
  | 'google_error'
  | 'cancelled'
  | 'unreachable'
  | 'rate_limited'
  | 'bad_redirect'
  | 'failed';

const PROBLEMS: Record<GmailProblem, MessageKey> = {
  access_denied: 'gmailProblemAccessDenied',
  state_expired: 'gmailProblemStateExpired',
  state_replayed: 'gmailProblemStateReplayed',
  state_unknown: 'gmailProblemStateUnknown',
  code_invalid: 'gmailProblemCodeInvalid',
  scopes_missing: 'gmailProblemScopesMissing',
  no_offline_access: 'gmailProblemNoOfflineAccess',
  google_unavailable: 'gmailProblemGoogleUnavailable',
  google_error: 'gmailProblemGoogleError',
  cancelled: 'gmailProblemCancelled',
  unreachable: 'gmailProblemUnreachable',
  rate_limited: 'gmailProblemRateLimited',
  bad_redirect: 'gmailProblemBadRedirect',
  failed: 'gmailProblemFailed',
};

export function isProblem(value: string): value is GmailProblem {
  return Object.hasOwn(PROBLEMS, value);
}

/** Our own wording for codes we know (it fits the page the user is on); the backend's
 * description only for a code this version does not know yet. */
export function problemMessage(problem: string, description: string | null = null): string {
  if (isProblem(problem)) return t(PROBLEMS[problem]);
  return description ?? t(PROBLEMS.failed);
}

export function reconnectMessage(): string {
  return t('gmailReconnectMessage');
}

/** What the panel says under the findings while the connection needs the user. */
export function panelReconnectNote(): string {
  return t('panelGmailReconnect');
}

export interface Notice {
  tone: 'ok' | 'info' | 'error';
  message: string;
  problem?: GmailProblem;
}

export type GmailView =
  | { state: 'checking' }
  | { state: 'unconfigured'; detail: string }
  | { state: 'unreachable'; backendUrl: string }
  | { state: 'disconnected'; notice?: Notice }
  | { state: 'connecting' }
  | { state: 'connected'; email: string; scopes: string[]; features: string[]; notice?: Notice }
  /** `session`: this browser still holds a session, so Disconnect can still delete the data. */
  | { state: 'reconnect_required'; email: string | null; message: string; session: boolean };

export function failed(problem: GmailProblem, description: string | null = null): GmailView {
  const tone = problem === 'cancelled' ? 'info' : 'error';
  return { state: 'disconnected', notice: { tone, problem, message: problemMessage(problem, description) } };
}

/** The answer of an HTTP call: status 0 when nothing answered. */
export interface ApiAnswer {
  status: number;
  body: unknown;
  retryAfterMs: number | null;
}

export interface Me {
  email: string;
  scopes: string[];
  features: string[];
  status: 'connected' | 'reconnect_required';
  message: string | null;
}

export function asMe(body: unknown): Me | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null);
  const scopes = strings(b.scopes);
  const features = strings(b.features);
  if (typeof b.email !== 'string' || !scopes || !features) return null;
  if (b.status !== 'connected' && b.status !== 'reconnect_required') return null;
  return { email: b.email, scopes, features, status: b.status, message: typeof b.message === 'string' ? b.message : null };
}

/** FastAPI's error detail: a message, or (for a 422) which fields were wrong and why. */
export function detailOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('detail' in body)) return null;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === 'string') return detail;
  if (!Array.isArray(detail)) return null;
  return detail
    .map((d: { msg?: unknown; loc?: unknown }) =>
      [Array.isArray(d.loc) ? d.loc.join('.') : '', typeof d.msg === 'string' ? d.msg : ''].filter(Boolean).join(': '),
    )
    .join('; ');
}

/** The view for an answer that no flow handles on its own: 503, nothing answering, 429. */
export function commonView(answer: ApiAnswer, backendUrl: string): GmailView | null {
  if (answer.status === 0) return { state: 'unreachable', backendUrl };
  if (answer.status === 503) return { state: 'unconfigured', detail: detailOf(answer.body) ?? NOT_CONFIGURED };
  if (answer.status === 429) return failed('rate_limited');
  return null;
}

/** GET /v1/me with a session token. A 401 means the session is gone (the caller drops it). */
export function viewOfMe(answer: ApiAnswer, backendUrl: string): GmailView {
  const me = answer.status === 200 ? asMe(answer.body) : null;
  if (me?.status === 'connected') return { state: 'connected', email: me.email, scopes: me.scopes, features: me.features };
  // The backend's own sentence is English; the state says the same in the user's language.
  if (me) return { state: 'reconnect_required', email: me.email, message: t('gmailRevokedMessage'), session: true };
  if (answer.status === 401) return { state: 'reconnect_required', email: null, message: reconnectMessage(), session: false };
  return commonView(answer, backendUrl) ?? failed('failed', detailOf(answer.body));
}

/** GET /v1/me without a token: only says whether connecting is possible at all (401 is
 * the normal answer; 503 means the service has no Google client). */
export function viewWithoutSession(answer: ApiAnswer, backendUrl: string): GmailView {
  if (answer.status === 0 || answer.status === 503) return commonView(answer, backendUrl) ?? { state: 'disconnected' };
  return { state: 'disconnected' };
}

/** Adds what just happened to a view that can show it. */
export function withNotice(view: GmailView, notice: Notice): GmailView {
  return view.state === 'connected' || view.state === 'disconnected' ? { ...view, notice } : view;
}

export function panelPausedNote(ms: number): string {
  return t('panelGmailPaused', Math.max(1, Math.ceil(ms / 1000)));
}

/** chrome.identity.launchWebAuthFlow rejects with a message, not a code. */
export function problemOfLaunchError(message: string): GmailProblem {
  if (/did not approve|cancel|closed/i.test(message)) return 'cancelled';
  if (/could not be loaded/i.test(message)) return 'unreachable';
  return 'failed';
}

export interface GmailPresentation {
  label: string;
  message: string;
  tone: 'ok' | 'info' | 'error';
  connect: { shown: boolean; enabled: boolean; text: string };
  /** Disconnect (revoke everywhere) and sign out (this browser only). */
  session: boolean;
  account: { email: string; scopes: string[]; features: string[] } | null;
}

function button(text: string, enabled = true, shown = true): GmailPresentation['connect'] {
  return { shown, enabled, text };
}

/** What an action just reported, or nothing to say in the given tone. */
function said(notice: Notice | undefined, tone: Notice['tone']): Pick<GmailPresentation, 'message' | 'tone'> {
  return { message: notice?.message ?? '', tone: notice?.tone ?? tone };
}

export function presentGmail(view: GmailView): GmailPresentation {
  const base = { message: '', tone: 'info' as const, session: false, account: null };
  const connect = t('gmailConnect');
  switch (view.state) {
    case 'checking':
      return { ...base, label: t('gmailChecking'), connect: button(connect, false) };
    case 'unconfigured':
      return {
        ...base,
        label: t('gmailNotAvailable'),
        // The backend's detail is English: our words for the one we know, its own otherwise.
        message: view.detail === NOT_CONFIGURED ? t('gmailUnconfigured') : t('gmailUnconfiguredOther', view.detail),
        connect: button(t('gmailNotConfigured'), false),
      };
    case 'unreachable':
      return {
        ...base,
        label: t('gmailUnknown'),
        tone: 'error',
        message: t('gmailUnreachable', view.backendUrl),
        connect: button(connect),
      };
    case 'disconnected':
      return {
        ...base,
        label: t('gmailNotConnected'),
        ...said(view.notice, 'info'),
        connect: button(connect),
      };
    case 'connecting':
      return {
        ...base,
        label: t('gmailConnecting'),
        message: t('gmailFinishSignIn'),
        connect: button(t('gmailConnecting'), false),
      };
    case 'connected':
      return {
        ...base,
        label: t('gmailConnected'),
        ...said(view.notice, 'ok'),
        session: true,
        account: { email: view.email, scopes: view.scopes, features: view.features },
        connect: button(connect, false, false),
      };
    case 'reconnect_required':
      return {
        ...base,
        label: view.email ? t('gmailReconnectRequiredFor', view.email) : t('gmailReconnectRequired'),
        tone: 'error',
        message: view.message,
        session: view.session,
        connect: button(t('gmailReconnect')),
      };
  }
}

/** Google's scope URLs, shortened for people: "gmail.readonly". */
export function scopeLabel(scope: string): string {
  const prefix = 'https://www.googleapis.com/auth/';
  return scope.startsWith(prefix) ? scope.slice(prefix.length) : scope;
}
