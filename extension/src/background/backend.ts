import { isAnalyzeResponse, type AnalyzeRequest } from '../shared/contract';
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
  return { kind: 'refused', backendUrl, status: response.status, detail: detailOf(body) };
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
