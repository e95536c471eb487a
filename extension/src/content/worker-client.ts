import type { DraftFields } from '../shared/contract';
import type { AnalyzeResult, ToWorker } from '../shared/messages';

/** Asks the service worker to analyze a draft; aborting the signal cancels the request. */
export async function requestAnalysis(composeId: string, draft: DraftFields, signal: AbortSignal): Promise<AnalyzeResult> {
  const onAbort = (): void => {
    send({ type: 'cancel', composeId }).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = (await send({ type: 'analyze', composeId, draft })) as AnalyzeResult | undefined;
    if (signal.aborted) return { kind: 'cancelled' };
    return result ?? { kind: 'extension-gone' };
  } catch {
    // "Extension context invalidated": the extension was reloaded under this page.
    return signal.aborted ? { kind: 'cancelled' } : { kind: 'extension-gone' };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function send(message: ToWorker): Promise<unknown> {
  if (!chrome.runtime?.id) return Promise.reject(new Error('extension context invalidated'));
  return chrome.runtime.sendMessage(message);
}
