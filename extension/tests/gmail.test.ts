import { describe, expect, test } from 'vitest';
import { retryAfterMs } from '../src/background/backend';
import {
  authStartUrl,
  failed,
  parseAuthRedirect,
  presentGmail,
  problemMessage,
  problemOfLaunchError,
  scopeLabel,
  viewOfMe,
  viewWithoutSession,
  type GmailView,
} from '../src/shared/gmail';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BACKEND = 'http://127.0.0.1:8000';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const answer = (status: number, body: unknown = null) => ({ status, body, retryAfterMs: null });

describe('where the sign-in starts and ends', () => {
  test('the start URL names this extension and both features', () => {
    expect(authStartUrl(BACKEND, ID)).toBe(`${BACKEND}/oauth/start?extension_id=${ID}&features=thread,referrer`);
  });

  test.each([
    [`https://${ID}.chromiumapp.org/?code=abc_123`, { kind: 'code', code: 'abc_123' }],
    [
      `https://${ID}.chromiumapp.org/?error=access_denied&error_description=You+chose+not+to`,
      { kind: 'error', error: 'access_denied', description: 'You chose not to' },
    ],
    [`https://${ID}.chromiumapp.org/?error=state_expired&code=abc`, { kind: 'error', error: 'state_expired', description: null }],
    [`https://${ID}.chromiumapp.org/`, { kind: 'invalid' }],
    [`https://${ID}.chromiumapp.org/?code=${'x'.repeat(201)}`, { kind: 'invalid' }],
    [`https://otherextensionidotherextensio.chromiumapp.org/?code=abc`, { kind: 'invalid' }],
    [`https://${ID}.chromiumapp.org.evil.example/?code=abc`, { kind: 'invalid' }],
    [`http://${ID}.chromiumapp.org/?code=abc`, { kind: 'invalid' }],
    ['not a url', { kind: 'invalid' }],
    ['', { kind: 'invalid' }],
  ])('%s', (url, expected) => {
    expect(parseAuthRedirect(url, ID)).toEqual(expected);
  });
});

describe('what each outcome says', () => {
  test.each([
    ['access_denied', /consent denied/],
    ['state_expired', /expired/],
    ['state_replayed', /already used/],
    ['code_invalid', /already used or has expired/],
    ['scopes_missing', /read access was not granted/],
  ])('%s has its own message and a way back', (problem, text) => {
    expect(problemMessage(problem)).toMatch(text);
    const p = presentGmail(failed(problem as 'access_denied'));
    expect(p).toMatchObject({ label: 'Not connected', tone: 'error', connect: { shown: true, enabled: true, text: 'Connect Gmail' } });
    expect(p.message).toMatch(/Connect Gmail/);
  });

  test("an unknown code shows the backend's description, else a generic line", () => {
    expect(problemMessage('brand_new', 'Something new happened.')).toBe('Something new happened.');
    expect(problemMessage('brand_new')).toMatch(/failed/);
  });

  test('closing the window is a cancel, not an error', () => {
    expect(problemOfLaunchError('The user did not approve access.')).toBe('cancelled');
    expect(problemOfLaunchError('Authorization page could not be loaded.')).toBe('unreachable');
    expect(problemOfLaunchError('something else')).toBe('failed');
    expect(presentGmail(failed('cancelled'))).toMatchObject({ tone: 'info', message: expect.stringMatching(/cancelled/) });
  });
});

describe('the connection state from the backend', () => {
  const me = { email: 'jane@example.com', scopes: [READONLY], features: ['thread', 'referrer'], status: 'connected', message: null };

  test('connected: account, scopes and features; Disconnect instead of Connect', () => {
    const view = viewOfMe(answer(200, me), BACKEND);
    expect(view).toEqual({ state: 'connected', email: 'jane@example.com', scopes: [READONLY], features: ['thread', 'referrer'] });
    expect(presentGmail(view)).toMatchObject({
      label: 'Connected',
      session: true,
      connect: { shown: false },
      account: { email: 'jane@example.com' },
    });
  });

  test('revoked at Google: reconnect, in our words (the backend\'s are English only), Disconnect still possible', () => {
    const view = viewOfMe(answer(200, { ...me, status: 'reconnect_required', message: 'Google no longer accepts.' }), BACKEND);
    expect(view).toEqual({
      state: 'reconnect_required',
      email: 'jane@example.com',
      message: "Google no longer accepts Intro Coach's access (it was revoked or expired). Click Reconnect Gmail.",
      session: true,
    });
    expect(presentGmail(view)).toMatchObject({ label: 'Reconnect required (jane@example.com)', session: true, connect: { text: 'Reconnect Gmail', enabled: true } });
  });

  test('401: the session is gone; reconnect without a Disconnect button', () => {
    const view = viewOfMe(answer(401, { detail: 'session token is invalid' }), BACKEND);
    expect(view).toMatchObject({ state: 'reconnect_required', session: false });
    expect(presentGmail(view).session).toBe(false);
  });

  test('503: the button is disabled and says why', () => {
    const view = viewWithoutSession(answer(503, { detail: 'Gmail connection is not configured' }), BACKEND);
    expect(presentGmail(view)).toMatchObject({ label: 'Not available', connect: { shown: true, enabled: false, text: 'Gmail connection is not configured' } });
    expect(viewOfMe(answer(503, { detail: 'Gmail connection is not configured' }), BACKEND)).toEqual(view);
    expect(presentGmail(view).message).toMatch(/no Google client set up/);
    // A 503 this version has no words for: the service's own, quoted.
    expect(presentGmail(viewOfMe(answer(503, { detail: 'database is down' }), BACKEND)).message).toBe(
      'Gmail cannot be connected through this Intro Coach service. It said: database is down',
    );
  });

  test('no token: 401 is the normal "not connected", nothing answering is "unreachable"', () => {
    expect(viewWithoutSession(answer(401), BACKEND)).toEqual({ state: 'disconnected' });
    expect(viewWithoutSession(answer(0), BACKEND)).toEqual({ state: 'unreachable', backendUrl: BACKEND });
    expect(presentGmail({ state: 'unreachable', backendUrl: BACKEND })).toMatchObject({ tone: 'error', connect: { enabled: true } });
  });

  test('a 200 that is not a /v1/me answer is not trusted', () => {
    expect(viewOfMe(answer(200, { email: 3 }), BACKEND)).toMatchObject({ state: 'disconnected', notice: { tone: 'error' } });
  });

  test('every state offers a way forward or says why not', () => {
    const views: GmailView[] = [
      { state: 'checking' },
      { state: 'connecting' },
      { state: 'disconnected' },
      failed('access_denied'),
      { state: 'reconnect_required', email: null, message: 'x', session: false },
      { state: 'unreachable', backendUrl: BACKEND },
    ];
    for (const view of views) {
      const p = presentGmail(view);
      expect(p.connect.shown || p.session).toBe(true);
    }
    expect(presentGmail({ state: 'connecting' }).connect.enabled).toBe(false);
  });

  test('scope URLs are shortened for people', () => {
    expect(scopeLabel(READONLY)).toBe('gmail.readonly');
    expect(scopeLabel('openid')).toBe('openid');
  });
});

describe('Retry-After', () => {
  test.each([
    ['7', 7000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Thu, 01 Jan 2025 00:00:10 GMT', 0],
    ['soon', null],
    [null, null],
  ])('%j → %j ms', (value, expected) => {
    expect(retryAfterMs(value, Date.parse('2026-01-01T00:00:00Z'))).toBe(expected);
  });
});
