// Checking a backend address, shared by the options page and the first-run page.

import { t } from '../shared/i18n';

export interface CheckResult {
  ok: boolean;
  message: string;
}

/**
 * The manifest grants exactly the backends this build may reach (loopback, and the
 * hosted backend it was built for): drafts go nowhere else, and the store listing asks
 * for no more than that.
 */
export async function isAllowed(url: string): Promise<boolean> {
  const origins = [`${new URL(url).origin}/*`];
  try {
    return await chrome.permissions.contains({ origins });
  } catch {
    return false;
  }
}

export function allowedBackends(): string[] {
  return (chrome.runtime.getManifest().host_permissions ?? []).map((p: string) => p.replace(/\/\*$/, ''));
}

/** GET /healthz; says what happened in words for the page. */
export async function checkBackend(url: string): Promise<CheckResult> {
  if (!(await isAllowed(url))) {
    return { ok: false, message: t('checkNotAllowed', allowedBackends().join(', '), url) };
  }
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(4000), credentials: 'omit', cache: 'no-store' });
    const body = (await response.json().catch(() => null)) as { version?: unknown } | null;
    if (response.ok && body && typeof body === 'object') {
      const version = typeof body.version === 'string' ? body.version : '';
      return { ok: true, message: version ? t('checkConnected', version, url) : t('checkConnectedNoVersion', url) };
    }
    return { ok: false, message: t('checkNotIntroCoach', url, response.status) };
  } catch {
    return { ok: false, message: t('checkUnreachable', url) };
  }
}
