import { isAnalyzeResponse, isGrammarResponse, type AnalyzeResponse, type DraftFields, type GrammarResponse } from './contract';

// Messages between the content script and the service worker. Each compose window has its
// own id so that a newer request cancels only that window's request in flight.

export interface AnalyzeMessage {
  type: 'analyze';
  composeId: string;
  draft: DraftFields;
}

/** Grammar for the draft the rules just answered about: a second, slower request. */
export interface GrammarMessage {
  type: 'grammar';
  composeId: string;
  draft: DraftFields;
}

export interface CancelMessage {
  type: 'cancel';
  composeId: string;
  /** Which request to cancel; the analysis when absent. */
  what?: 'analyze' | 'grammar';
}

/** From the options page only: the Gmail connection lives in the service worker. */
export interface GmailMessage {
  type: 'gmail';
  /** `ping` keeps the worker awake while the sign-in window is open. */
  action: 'status' | 'connect' | 'disconnect' | 'sign-out' | 'ping';
}

export type ToWorker = AnalyzeMessage | GrammarMessage | CancelMessage | GmailMessage;

/** Grammar fails quietly: the advice is already shown, and the next edit asks again. */
export type GrammarResult = { kind: 'ok'; response: GrammarResponse } | { kind: 'cancelled' } | { kind: 'failed' };

export function isGrammarResult(value: unknown): value is GrammarResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'ok') return isGrammarResponse(v.response);
  return v.kind === 'cancelled' || v.kind === 'failed';
}

export type AnalyzeResult =
  | { kind: 'ok'; response: AnalyzeResponse }
  | { kind: 'cancelled' }
  /** Nothing answered: backend down, wrong URL, or a timeout. */
  | { kind: 'unreachable'; backendUrl: string }
  /** Something answered, but not with findings. */
  | { kind: 'refused'; backendUrl: string; status: number; detail: string; retryAfterMs?: number }
  /** The service worker did not answer this time (starting up, restarted); try again. */
  | { kind: 'transient' }
  /** The extension was reloaded, updated or removed under this page; only a reload of
   * Gmail helps. */
  | { kind: 'extension-gone' };

/** Focus the panel of the compose window in use (the keyboard shortcut). */
export interface FocusPanelMessage {
  type: 'focus-panel';
}

/**
 * Checks an answer from the service worker field by field: it crosses a process
 * boundary, and a half-updated extension may speak an older shape.
 */
export function isAnalyzeResult(value: unknown): value is AnalyzeResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'ok':
      return isAnalyzeResponse(v.response);
    case 'cancelled':
    case 'transient':
    case 'extension-gone':
      return true;
    case 'unreachable':
      return typeof v.backendUrl === 'string';
    case 'refused':
      return (
        typeof v.backendUrl === 'string' &&
        typeof v.status === 'number' &&
        typeof v.detail === 'string' &&
        (v.retryAfterMs === undefined || (typeof v.retryAfterMs === 'number' && Number.isFinite(v.retryAfterMs) && v.retryAfterMs >= 0))
      );
    default:
      return false;
  }
}
