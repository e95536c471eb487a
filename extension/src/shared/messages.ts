import type { AnalyzeResponse, DraftFields } from './contract';

// Messages between the content script and the service worker. Each compose window has its
// own id so that a newer request cancels only that window's request in flight.

export interface AnalyzeMessage {
  type: 'analyze';
  composeId: string;
  draft: DraftFields;
}

export interface CancelMessage {
  type: 'cancel';
  composeId: string;
}

/** From the options page only: the Gmail connection lives in the service worker. */
export interface GmailMessage {
  type: 'gmail';
  /** `ping` keeps the worker awake while the sign-in window is open. */
  action: 'status' | 'connect' | 'disconnect' | 'sign-out' | 'ping';
}

export type ToWorker = AnalyzeMessage | CancelMessage | GmailMessage;

export type AnalyzeResult =
  | { kind: 'ok'; response: AnalyzeResponse }
  | { kind: 'cancelled' }
  /** Nothing answered: backend down, wrong URL, or a timeout. */
  | { kind: 'unreachable'; backendUrl: string }
  /** Something answered, but not with findings. */
  | { kind: 'refused'; backendUrl: string; status: number; detail: string; retryAfterMs?: number }
  /** The extension was reloaded or updated under this page; only a reload of Gmail helps. */
  | { kind: 'extension-gone' };
