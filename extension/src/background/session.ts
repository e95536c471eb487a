// Where the service worker keeps the Gmail connection's session token. Not a Google
// token: the backend keeps those. Still a credential, so content scripts (which run in
// Gmail's pages) must not be able to read it: storage.local locked to trusted contexts,
// or, on a Chrome that cannot lock local storage, storage.session (memory only, locked by
// default; the user then reconnects after a browser restart).

export interface StoredSession {
  token: string;
  /** Unix seconds, from POST /v1/session. */
  expiresAt: number;
  /** A token is only ever sent to the backend that issued it. */
  backendUrl: string;
  email: string | null;
}

/** Left when a session ended without the user asking (401, expiry): the options page and
 * the panel then say "Reconnect". */
export interface Ended {
  email: string | null;
  backendUrl: string;
}

export const SESSION_KEY = 'gmailSession';
export const ENDED_KEY = 'gmailEnded';

let areaPromise: Promise<chrome.storage.StorageArea> | null = null;

export function tokenArea(): Promise<chrome.storage.StorageArea> {
  areaPromise ??= chrome.storage.local
    .setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' })
    .then(
      () => chrome.storage.local,
      () => chrome.storage.session,
    );
  return areaPromise;
}

/** For tests: forget which area was chosen. */
export function resetTokenArea(): void {
  areaPromise = null;
}

function isSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.token === 'string' && typeof v.expiresAt === 'number' && typeof v.backendUrl === 'string';
}

/** The session for this backend, or null; an expired one is dropped and marked ended. */
export async function loadSession(backendUrl: string, now = Date.now()): Promise<StoredSession | null> {
  const area = await tokenArea();
  const stored = (await area.get(SESSION_KEY))[SESSION_KEY];
  if (!isSession(stored) || stored.backendUrl !== backendUrl) return null;
  if (stored.expiresAt * 1000 <= now) {
    await endSession(stored);
    return null;
  }
  return { ...stored, email: typeof stored.email === 'string' ? stored.email : null };
}

export async function saveSession(session: StoredSession): Promise<void> {
  const area = await tokenArea();
  await area.set({ [SESSION_KEY]: session });
  await area.remove(ENDED_KEY);
}

/** The user signed out or disconnected: nothing to remind them of. */
export async function forgetSession(): Promise<void> {
  const area = await tokenArea();
  await area.remove([SESSION_KEY, ENDED_KEY]);
}

/** The backend no longer accepts the token: drop it and remember to ask for a reconnect. */
export async function endSession(session: Pick<StoredSession, 'email' | 'backendUrl'>): Promise<void> {
  const area = await tokenArea();
  const ended: Ended = { email: session.email, backendUrl: session.backendUrl };
  await area.set({ [ENDED_KEY]: ended });
  await area.remove(SESSION_KEY);
}

export async function loadEnded(backendUrl: string): Promise<Ended | null> {
  const area = await tokenArea();
  const ended = (await area.get(ENDED_KEY))[ENDED_KEY] as Ended | undefined;
  return ended && ended.backendUrl === backendUrl ? { email: typeof ended.email === 'string' ? ended.email : null, backendUrl } : null;
}
