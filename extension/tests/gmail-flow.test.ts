// The service worker's side of the Gmail connection, with chrome.storage, the sign-in
// window and the backend faked: what is sent, what is kept, what the options page sees.

import { beforeEach, describe, expect, test, vi } from 'vitest';
import { analyzeWithSession, connectGmail, disconnectGmail, gmailStatus, resetPause, signOutGmail, type GmailEnv } from '../src/background/gmail';
import { resetTokenArea } from '../src/background/session';
import { analyzeRequest as request, response } from './fixtures';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BACKEND = 'http://127.0.0.1:8000';
const NOW = Date.parse('2026-01-01T00:00:00Z');
const ME = { email: 'jane@example.com', scopes: ['https://www.googleapis.com/auth/gmail.readonly'], features: ['thread', 'referrer'], status: 'connected', message: null };

class FakeArea {
  data = new Map<string, unknown>();
  accessLevel: string | null = null;
  constructor(private readonly lockable = true) {}
  async get(key: string) {
    return this.data.has(key) ? { [key]: this.data.get(key) } : {};
  }
  async set(items: Record<string, unknown>) {
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
  }
  async remove(keys: string | string[]) {
    for (const k of [keys].flat()) this.data.delete(k);
  }
  async setAccessLevel({ accessLevel }: { accessLevel: string }) {
    if (!this.lockable) throw new Error('not supported');
    this.accessLevel = accessLevel;
  }
}

type Route = (init: RequestInit) => { status: number; body?: unknown; headers?: Record<string, string> };

let local: FakeArea;
let session: FakeArea;
let routes: Record<string, Route>;
let calls: { key: string; auth: string | null; body: unknown }[];
let env: GmailEnv;
let clock: number;

function fakeFetch(url: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const key = `${init.method ?? 'GET'} ${String(url).replace(BACKEND, '')}`;
  const headers = new Headers(init.headers);
  calls.push({ key, auth: headers.get('Authorization'), body: init.body ? JSON.parse(String(init.body)) : null });
  const route = routes[key];
  if (!route) return Promise.reject(new TypeError('Failed to fetch'));
  const r = route(init);
  const body = r.status === 204 ? null : JSON.stringify(r.body ?? {});
  return Promise.resolve(new Response(body, { status: r.status, headers: { 'Content-Type': 'application/json', ...r.headers } }));
}

const bearer = (token: string | null) => (init: RequestInit) => new Headers(init.headers).get('Authorization') === (token && `Bearer ${token}`);

beforeEach(() => {
  local = new FakeArea();
  session = new FakeArea();
  vi.stubGlobal('chrome', { storage: { local, session }, runtime: { id: ID } });
  resetTokenArea();
  resetPause();
  calls = [];
  clock = NOW;
  routes = {
    'GET /v1/me': (init) => (/^Bearer tok-/.test(new Headers(init.headers).get('Authorization') ?? '') ? { status: 200, body: ME } : { status: 401, body: { detail: 'missing session token' } }),
    'POST /v1/session': () => ({ status: 200, body: { session_token: 'tok-1', token_type: 'Bearer', expires_at: NOW / 1000 + 3600 } }),
    'POST /v1/analyze': () => ({ status: 200, body: response([]) }),
  };
  env = {
    extensionId: ID,
    launchWebAuthFlow: vi.fn(async () => `https://${ID}.chromiumapp.org/?code=one-time`),
    fetch: fakeFetch as typeof fetch,
    now: () => clock,
  };
});

async function connected(): Promise<void> {
  expect(await connectGmail(BACKEND, env)).toMatchObject({ state: 'connected' });
  calls = [];
}

describe('Connect Gmail', () => {
  test('sign-in, code swapped for a session token, kept where content scripts cannot read it', async () => {
    const view = await connectGmail(BACKEND, env);
    expect(view).toEqual({ state: 'connected', email: ME.email, scopes: ME.scopes, features: ME.features });
    expect(env.launchWebAuthFlow).toHaveBeenCalledWith(`${BACKEND}/oauth/start?extension_id=${ID}&features=thread,referrer`);
    expect(calls.map((c) => c.key)).toEqual(['GET /v1/me', 'POST /v1/session', 'GET /v1/me']);
    expect(calls[1]!.body).toEqual({ code: 'one-time' });
    expect(calls[2]!.auth).toBe('Bearer tok-1');
    expect(local.accessLevel).toBe('TRUSTED_CONTEXTS');
    expect(local.data.get('gmailSession')).toEqual({ token: 'tok-1', expiresAt: NOW / 1000 + 3600, backendUrl: BACKEND, email: ME.email });
  });

  test('on a Chrome that cannot lock local storage, the token lives in session storage', async () => {
    local = new FakeArea(false);
    vi.stubGlobal('chrome', { storage: { local, session }, runtime: { id: ID } });
    await connected();
    expect(local.data.size).toBe(0);
    expect(session.data.get('gmailSession')).toMatchObject({ token: 'tok-1' });
  });

  test('a service without a Google client: no window opens', async () => {
    routes['GET /v1/me'] = () => ({ status: 503, body: { detail: 'Gmail connection is not configured' } });
    expect(await connectGmail(BACKEND, env)).toEqual({ state: 'unconfigured', detail: 'Gmail connection is not configured' });
    expect(env.launchWebAuthFlow).not.toHaveBeenCalled();
  });

  test('nothing answering: unreachable, no window', async () => {
    delete routes['GET /v1/me'];
    expect(await connectGmail(BACKEND, env)).toEqual({ state: 'unreachable', backendUrl: BACKEND });
    expect(env.launchWebAuthFlow).not.toHaveBeenCalled();
  });

  test.each(['access_denied', 'state_expired', 'state_replayed', 'scopes_missing'])('%s from the redirect', async (error) => {
    env.launchWebAuthFlow = async () => `https://${ID}.chromiumapp.org/?error=${error}&error_description=x`;
    expect(await connectGmail(BACKEND, env)).toMatchObject({ state: 'disconnected', notice: { tone: 'error', problem: error } });
    expect(local.data.has('gmailSession')).toBe(false);
  });

  test('the window closed by the user: cancelled', async () => {
    env.launchWebAuthFlow = async () => {
      throw new Error('The user did not approve access.');
    };
    expect(await connectGmail(BACKEND, env)).toMatchObject({ state: 'disconnected', notice: { tone: 'info', problem: 'cancelled' } });
  });

  test('a redirect somewhere else is not trusted', async () => {
    env.launchWebAuthFlow = async () => 'https://evil.example/?code=stolen';
    expect(await connectGmail(BACKEND, env)).toMatchObject({ notice: { problem: 'bad_redirect' } });
    expect(calls.map((c) => c.key)).toEqual(['GET /v1/me']);
  });

  test('a code the backend refuses: code_invalid', async () => {
    routes['POST /v1/session'] = () => ({ status: 400, body: { detail: 'the code is unknown', error: 'code_invalid' } });
    expect(await connectGmail(BACKEND, env)).toMatchObject({ notice: { problem: 'code_invalid' } });
  });

  test('two clicks share one sign-in window', async () => {
    const [a, b] = await Promise.all([connectGmail(BACKEND, env), connectGmail(BACKEND, env)]);
    expect(a).toEqual(b);
    expect(env.launchWebAuthFlow).toHaveBeenCalledTimes(1);
  });

  test('reconnecting signs the old session out', async () => {
    await connected();
    routes['POST /v1/session'] = () => ({ status: 200, body: { session_token: 'tok-2', expires_at: NOW / 1000 + 3600 } });
    routes['DELETE /v1/session'] = () => ({ status: 204 });
    await connectGmail(BACKEND, env);
    await vi.waitFor(() => expect(calls.find((c) => c.key === 'DELETE /v1/session')?.auth).toBe('Bearer tok-1'));
    expect(local.data.get('gmailSession')).toMatchObject({ token: 'tok-2' });
  });
});

describe('the session token on /v1/analyze', () => {
  const analyze = () => analyzeWithSession(BACKEND, request, new AbortController().signal, env);

  test('not connected: no Authorization header, no note', async () => {
    const result = await analyze();
    expect(calls[0]!.auth).toBeNull();
    expect(result).toEqual({ kind: 'ok', response: response([]) });
  });

  test('connected: Bearer token', async () => {
    await connected();
    await analyze();
    expect(calls[0]!.auth).toBe('Bearer tok-1');
  });

  test('a token is never sent to another backend', async () => {
    await connected();
    await analyzeWithSession('http://127.0.0.1:9999', request, new AbortController().signal, env).catch(() => undefined);
    expect(calls[0]!.auth).toBeNull();
  });

  test('401: token dropped, answered without it, and Reconnect everywhere', async () => {
    await connected();
    routes['POST /v1/analyze'] = (init) => (bearer('tok-1')(init) ? { status: 401, body: { detail: 'invalid' } } : { status: 200, body: response([]) });
    const result = await analyze();
    expect(calls.map((c) => c.auth)).toEqual(['Bearer tok-1', null]);
    expect(result.kind === 'ok' && result.response.checks.notes).toEqual([expect.stringMatching(/Reconnect Gmail/)]);
    expect(local.data.has('gmailSession')).toBe(false);
    expect(await gmailStatus(BACKEND, env)).toMatchObject({ state: 'reconnect_required', email: ME.email, session: false });
    // Later drafts keep saying so, until the user reconnects.
    expect((await analyze()).kind === 'ok').toBe(true);
    expect(calls.at(-1)!.auth).toBeNull();
    routes['POST /v1/analyze'] = () => ({ status: 200, body: response([]) });
    await connected();
    expect(await analyze()).toEqual({ kind: 'ok', response: response([]) });
  });

  test('429: Retry-After honoured, the rules answer meanwhile', async () => {
    await connected();
    routes['POST /v1/analyze'] = (init) =>
      bearer('tok-1')(init) ? { status: 429, body: { detail: 'slow down' }, headers: { 'Retry-After': '3' } } : { status: 200, body: response([]) };
    const first = await analyze();
    expect(first.kind === 'ok' && first.response.checks.notes).toEqual([expect.stringMatching(/paused for 3 s/)]);
    clock += 2000;
    await analyze();
    clock += 1500;
    await analyze();
    expect(calls.map((c) => c.auth)).toEqual(['Bearer tok-1', null, null, 'Bearer tok-1', null]);
  });

  test('an expired session is dropped without asking the backend', async () => {
    await connected();
    clock = NOW + 3600_000;
    await analyze();
    expect(calls[0]!.auth).toBeNull();
    expect(local.data.has('gmailSession')).toBe(false);
  });
});

describe('status, disconnect, sign out', () => {
  test('status asks /v1/me with the token', async () => {
    await connected();
    expect(await gmailStatus(BACKEND, env)).toMatchObject({ state: 'connected', email: ME.email });
    expect(calls[0]!.auth).toBe('Bearer tok-1');
  });

  test('Disconnect: POST /v1/disconnect, then the token is deleted', async () => {
    await connected();
    routes['POST /v1/disconnect'] = () => ({ status: 200, body: { disconnected: true, revoked_at_google: true, message: 'Gmail is disconnected.' } });
    expect(await disconnectGmail(BACKEND, env)).toEqual({
      state: 'disconnected',
      notice: { tone: 'ok', message: 'Gmail is disconnected: Google access revoked and everything stored deleted.' },
    });
    expect(calls[0]).toMatchObject({ key: 'POST /v1/disconnect', auth: 'Bearer tok-1' });
    expect(local.data.has('gmailSession')).toBe(false);
  });

  test('Disconnect that Google did not confirm: deleted here, and where to revoke by hand', async () => {
    await connected();
    routes['POST /v1/disconnect'] = () => ({ status: 200, body: { disconnected: true, revoked_at_google: false, message: 'Everything stored was deleted.' } });
    expect(await disconnectGmail(BACKEND, env)).toMatchObject({
      state: 'disconnected',
      notice: { tone: 'info', message: expect.stringContaining('https://myaccount.google.com/permissions') },
    });
  });

  test('Disconnect with the backend down keeps the session and says so', async () => {
    await connected();
    const view = await disconnectGmail(BACKEND, env);
    expect(view).toMatchObject({ state: 'unreachable' });
    expect(local.data.has('gmailSession')).toBe(true);
  });

  test('Sign out: DELETE /v1/session, this browser only', async () => {
    await connected();
    routes['DELETE /v1/session'] = () => ({ status: 204 });
    expect(await signOutGmail(BACKEND, env)).toMatchObject({ state: 'disconnected', notice: { tone: 'ok' } });
    expect(calls[0]).toMatchObject({ key: 'DELETE /v1/session', auth: 'Bearer tok-1' });
    expect(local.data.has('gmailSession')).toBe(false);
  });
});
