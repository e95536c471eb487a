// Every assumption about Gmail's markup lives in this module, so that when Gmail changes
// its DOM there is one file to fix. Gmail's class names are obfuscated but have been
// stable for years; attributes (name, g_editable, role, data-*) are preferred over them,
// and aria-labels and visible text are never used because they are translated.

import type { Attachment, Recipient } from '../shared/contract';

/** The message body: `g_editable` marks Gmail's editor; role=textbox is the newer marker. */
const BODY = '[g_editable="true"], [contenteditable="true"][role="textbox"]';
const SUBJECT = 'input[name="subjectbox"]';
/** The compose container in every variant (popup, full screen, inline reply). */
const COMPOSE_CONTAINER = '.M9, [role="dialog"]';

/** Parts of the body that are not the writer's new words. */
export const NOT_WRITTEN_HERE = [
  '.gmail_quote',
  '.gmail_quote_container',
  '.gmail_attr',
  '.gmail_signature',
  '[data-smartmail="gmail_signature"]',
  '.gmail_extra',
].join(', ');

const RECIPIENT_CHIP = '[data-hovercard-id], span[email]';
const RECIPIENT_FIELDS = ['to', 'cc', 'bcc'] as const;
type RecipientField = (typeof RECIPIENT_FIELDS)[number];

/** An uploaded attachment in a compose window (`.dL`), its name (`.vI`) and size (`.vJ`). */
const ATTACHMENT_CHIP = '.dL';
const ATTACHMENT_NAME = '.vI';
const ATTACHMENT_SIZE = '.vJ';
/** Hidden checkbox Gmail keeps for each attachment; a fallback when the chip class moves. */
const ATTACHMENT_INPUT = 'input[name="attach"]';

const THREAD_ID = '[data-legacy-thread-id]';

export interface ComposeParts {
  /** The container of this compose window: recipients, subject, body, attachments. */
  root: Element;
  body: HTMLElement;
}

/** Every compose body on the page, each with its own container. */
export function findComposes(doc: Document): ComposeParts[] {
  const found: ComposeParts[] = [];
  for (const el of doc.querySelectorAll<HTMLElement>(BODY)) {
    if (!isComposeBody(el)) continue;
    const root = composeRoot(el);
    if (root) found.push({ root, body: el });
  }
  return found;
}

function isComposeBody(el: HTMLElement): boolean {
  if (el.getAttribute('contenteditable') !== 'true' && !el.isContentEditable) return false;
  // A nested editable (a chip inside the body) is part of the outer body.
  return !el.parentElement?.closest(BODY);
}

/**
 * The compose container of a body: Gmail's `.M9` or the popup dialog; failing those, the
 * nearest ancestor holding a subject box. A lone role=textbox with neither (a chat box,
 * a comment field) is not a compose window.
 */
export function composeRoot(body: Element): Element | null {
  const container = body.closest(COMPOSE_CONTAINER);
  if (container) return container;
  for (let el = body.parentElement; el; el = el.parentElement) {
    if (el.querySelector(SUBJECT)) return el;
  }
  return body.hasAttribute('g_editable') ? body.parentElement : null;
}

export function subjectInput(root: Element): HTMLInputElement | null {
  return root.querySelector<HTMLInputElement>(SUBJECT);
}

/** Inline replies and popped-out replies have a subject box that Gmail keeps hidden. */
export function isSubjectEditable(input: HTMLInputElement | null): input is HTMLInputElement {
  return !!input && input.type !== 'hidden' && input.getClientRects().length > 0;
}

export function isNotWrittenHere(el: Element): boolean {
  return el.matches(NOT_WRITTEN_HERE);
}

export function recipients(root: Element, body: Element): Record<'to' | 'cc', Recipient[]> {
  const result: Record<RecipientField, Recipient[]> = { to: [], cc: [], bcc: [] };
  const seen = new Set<string>();
  for (const chip of root.querySelectorAll(RECIPIENT_CHIP)) {
    if (body.contains(chip)) continue; // a person chip inside the message text
    const email = (chip.getAttribute('data-hovercard-id') ?? chip.getAttribute('email') ?? '').trim();
    if (!email.includes('@')) continue; // hovercards also mark avatars by obfuscated id
    const field = recipientField(root, chip);
    const key = `${field}:${email.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result[field].push({ email, name: recipientName(chip, email) });
  }
  return { to: result.to, cc: result.cc };
}

function recipientName(chip: Element, email: string): string | null {
  const name = chip.getAttribute('data-name') ?? chip.getAttribute('name') ?? chip.textContent ?? '';
  const trimmed = name.replace(/\s+/g, ' ').trim();
  return trimmed && trimmed !== email ? trimmed : null;
}

/**
 * Which row a chip sits in: the nearest ancestor that also holds a field marked
 * name=to/cc/bcc (Gmail's hidden inputs). Chips in no recognizable row count as "to".
 */
function recipientField(root: Element, chip: Element): RecipientField {
  for (let el = chip.parentElement; el && el !== root; el = el.parentElement) {
    const marked = el.querySelector('[name="to"], [name="cc"], [name="bcc"]');
    if (marked) {
      const name = marked.getAttribute('name') as RecipientField;
      return RECIPIENT_FIELDS.includes(name) ? name : 'to';
    }
  }
  return 'to';
}

export function attachments(root: Element): Attachment[] {
  const chips = new Set<Element>(root.querySelectorAll(ATTACHMENT_CHIP));
  for (const input of root.querySelectorAll(ATTACHMENT_INPUT)) {
    const chip = input.closest(ATTACHMENT_CHIP) ?? input.parentElement;
    if (chip) chips.add(chip);
  }
  const result: Attachment[] = [];
  for (const chip of chips) {
    const filename = attachmentName(chip);
    if (!filename) continue;
    const sizeText = chip.querySelector(ATTACHMENT_SIZE)?.textContent ?? '';
    result.push({ filename, mime_type: mimeTypeFor(filename), size: parseSize(sizeText) });
  }
  return result;
}

function attachmentName(chip: Element): string | null {
  const named = chip.querySelector(ATTACHMENT_NAME)?.textContent?.trim();
  if (named) return named;
  // Without the name element, the link's title or the chip's first line holds the name.
  const title = chip.querySelector('[title]')?.getAttribute('title')?.trim();
  if (title) return title;
  const text = chip.textContent?.trim().split('\n')[0]?.trim();
  return text ? text : null;
}

const UNITS: Record<string, number> = { '': 1, b: 1, o: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "(48K)", "1.2 MB", "1,2 Mo" (French), "512 B"; null when Gmail shows no size. */
export function parseSize(text: string): number | null {
  const m = /(\d+(?:[.,]\d+)?)\s*([kmgbo])?/i.exec(text);
  if (!m?.[1]) return null;
  const value = Number(m[1].replace(',', '.'));
  const unit = UNITS[(m[2] ?? '').toLowerCase()] ?? 1;
  return Number.isFinite(value) ? Math.round(value * unit) : null;
}

const MIME_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
  txt: 'text/plain',
  pages: 'application/vnd.apple.pages',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

export function mimeTypeFor(filename: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  return (ext && MIME_TYPES[ext]) ?? null;
}

/** The conversation a reply belongs to; a new message (a popup outside a thread) has none. */
export function threadId(root: Element): string | null {
  const main = root.closest('[role="main"]');
  const id = main?.querySelector(THREAD_ID)?.getAttribute('data-legacy-thread-id');
  return id ? id : null;
}
