import type { DraftFields } from '../shared/contract';
import { isAnalyzeResult, isGrammarResult, type AnalyzeResult, type GrammarResult, type ToWorker } from '../shared/messages';

/** Asks the service worker to analyze a draft; aborting the signal cancels the request. */
export async function requestAnalysis(composeId: string, draft: DraftFields, signal: AbortSignal): Promise<AnalyzeResult> {
  const onAbort = (): void => {
    send({ type: 'cancel', composeId }).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await send({ type: 'analyze', composeId, draft });
    if (signal.aborted) return { kind: 'cancelled' };
    // No answer, or one we cannot read: the worker restarted mid-request, or speaks
    // another version. Asking again is the cure either way.
    return isAnalyzeResult(result) ? result : { kind: 'transient' };
  } catch {
    if (signal.aborted) return { kind: 'cancelled' };
    return extensionGone() ? { kind: 'extension-gone' } : { kind: 'transient' };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Asks the service worker for grammar; any failure is quiet (the advice is shown). */
export async function requestGrammar(composeId: string, draft: DraftFields, signal: AbortSignal): Promise<GrammarResult> {
  const onAbort = (): void => {
    send({ type: 'cancel', composeId, what: 'grammar' }).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await send({ type: 'grammar', composeId, draft });
    if (signal.aborted) return { kind: 'cancelled' };
    return isGrammarResult(result) ? result : { kind: 'failed' };
  } catch {
    return signal.aborted ? { kind: 'cancelled' } : { kind: 'failed' };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Reloaded, updated or removed: this content script's context is invalidated, and
 * `chrome.runtime.id` is gone with it. Anything else ("receiving end does not exist"
 * while the worker starts, a closed port) passes.
 */
export function extensionGone(): boolean {
  try {
    return !chrome.runtime?.id;
  } catch {
    return true;
  }
}

function send(message: ToWorker): Promise<unknown> {
  if (extensionGone()) return Promise.reject(new Error('extension context invalidated'));
  return chrome.runtime.sendMessage(message);
}
