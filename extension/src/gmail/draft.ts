import type { DraftFields } from '../shared/contract';
import { extractText, type ExtractedText } from '../text/extract';
import * as gmail from './selectors';

export interface DraftSnapshot {
  fields: DraftFields;
  /** How the body text maps back to the editor's text nodes. */
  body: ExtractedText;
}

/**
 * Reads one compose window as the analyzer wants it: quoted text and signature left out.
 * `referrer` is what the user said in the panel: the name they typed (it wins over one
 * found), '' for nobody, or null.
 */
export function readDraft(parts: gmail.ComposeParts, referrer: string | null = null): DraftSnapshot {
  const body = extractText(parts.body, gmail.isNotWrittenHere);
  const { to, cc } = gmail.recipients(parts.root, parts.body);
  return {
    body,
    fields: {
      subject: gmail.subjectInput(parts.root)?.value ?? '',
      body: { text: body.text },
      to,
      cc,
      attachments: gmail.attachments(parts.root),
      thread_id: gmail.threadId(parts.root),
      referrer,
    },
  };
}
