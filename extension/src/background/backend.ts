import { isAnalyzeResponse, type AnalyzeRequest } from '../shared/contract';
import type { ApiAnswer } from '../shared/gmail';
import type { AnalyzeResult } from '../shared/messages';

/** The rules answer in milliseconds; grammar and Gmail context have their own deadlines
 * on the server. Past this, something is wrong and the panel should say so. */
export const REQUEST_TIMEOUT_MS = 8000;

export async function postAnalyze(
  backendUrl: string,
  request: AnalyzeRequest,
  signal: AbortSignal,
  headers: Record<string, string> = {},
  fetchImpl: typeof fetch = fetch,
): Promise<AnalyzeResult> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetchImpl(`${backendUrl}/v1/analyze`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(request),
      signal: AbortSignal.any([signal, timeout]),
      // Drafts are private: no cookies to whatever the backend URL points at.
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    if (signal.aborted) return { kind: 'cancelled' };
    return { kind: 'unreachable', backendUrl };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    if (signal.aborted) return { kind: 'cancelled' };
    body = null;
  }
  if (response.ok && isAnalyzeResponse(body)) return { kind: 'ok', response: body };
  const refused = { kind: 'refused' as const, backendUrl, status: response.status, detail: detailOf(body) };
  const retryAfter = retryAfterMs(response.headers.get('Retry-After'));
  return retryAfter === null ? refused : { ...refused, retryAfterMs: retryAfter };
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface ApiCall {
  method: 'GET' | 'POST' | 'DELETE';
  token?: string | null;
  json?: unknown;
}

/** One call to the Gmail-connection endpoints. Never throws: status 0 is "nothing answered". */
export async function callBackend(
  backendUrl: string,
  path: string,
  call: ApiCall,
  fetchImpl: typeof fetch = fetch,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (call.json !== undefined) headers['Content-Type'] = 'application/json';
  if (call.token) headers.Authorization = `Bearer ${call.token}`;
  try {
    const response = await fetchImpl(`${backendUrl}${path}`, {
      method: call.method,
      headers,
      body: call.json === undefined ? null : JSON.stringify(call.json),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: response.status, body, retryAfterMs: retryAfterMs(response.headers.get('Retry-After')) };
  } catch {
    return { status: 0, body: null, retryAfterMs: null };
  }
}

function detailOf(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'detail' in body) {
    const detail = (body as { detail: unknown }).detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((d: { msg?: unknown; loc?: unknown }) =>
          [Array.isArray(d.loc) ? d.loc.join('.') : '', typeof d.msg === 'string' ? d.msg : '']
            .filter(Boolean)
            .join(': '),
        )
        .join('; ');
    }
  }
  return 'not an Intro Coach analyzer answer';
}
