import { isAnalyzeResponse, isGrammarResponse, type AnalyzeRequest } from '../shared/contract';
import { detailOf, type ApiAnswer } from '../shared/gmail';
import type { AnalyzeResult, GrammarResult } from '../shared/messages';

/** The rules answer in milliseconds; grammar and Gmail context have their own deadlines
 * on the server. Past this, something is wrong and the panel should say so. */
export const REQUEST_TIMEOUT_MS = 8000;

export async function postAnalyze(
  backendUrl: string,
  request: AnalyzeRequest,
  signal: AbortSignal,
  token: string | null = null,
  fetchImpl: typeof fetch = fetch,
): Promise<AnalyzeResult> {
  const answer = await callBackend(backendUrl, '/v1/analyze', { method: 'POST', token, json: request, signal }, fetchImpl);
  if (signal.aborted) return { kind: 'cancelled' };
  if (answer.status === 0) return { kind: 'unreachable', backendUrl };
  if (answer.status >= 200 && answer.status < 300 && isAnalyzeResponse(answer.body)) return { kind: 'ok', response: answer.body };
  const refused = {
    kind: 'refused' as const,
    backendUrl,
    status: answer.status,
    detail: detailOf(answer.body) ?? 'not an Intro Coach analyzer answer',
  };
  return answer.retryAfterMs === null ? refused : { ...refused, retryAfterMs: answer.retryAfterMs };
}

/** Grammar for a draft (`/v1/grammar`): no Gmail session needed, it reads only the draft. */
export async function postGrammar(backendUrl: string, request: AnalyzeRequest, signal: AbortSignal, fetchImpl: typeof fetch = fetch): Promise<GrammarResult> {
  const answer = await callBackend(backendUrl, '/v1/grammar', { method: 'POST', json: request, signal }, fetchImpl);
  if (signal.aborted) return { kind: 'cancelled' };
  if (answer.status >= 200 && answer.status < 300 && isGrammarResponse(answer.body)) return { kind: 'ok', response: answer.body };
  return { kind: 'failed' };
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
  /** Cancels the call (a newer analysis started); the timeout applies either way. */
  signal?: AbortSignal;
}

/** One call to the backend (analysis and the Gmail connection). Never throws: status 0 is
 * "nothing answered" (or cancelled: the caller holds the signal). */
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
      signal: call.signal ? AbortSignal.any([call.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      // Drafts and tokens are private: no cookies to whatever the backend URL points at.
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
