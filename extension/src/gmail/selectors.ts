// Every assumption about Gmail's markup lives in this module, so that when Gmail changes
// its DOM there is one file to fix. Gmail's class names are obfuscated but have been
// stable for years; attributes (name, g_editable, role, data-*) are preferred over them,
// and aria-labels and visible text are never used because they are translated.

import type { Attachment, Recipient } from '../shared/contract';

/** The message body: `g_editable` marks Gmail's editor; role=textbox is the newer marker. */
const BODY = '[g_editable="true"], [contenteditable="true"][role="textbox"]';
const SUBJECT = 'input[name="subjectbox"]';
/**
 * What makes a compose window: Gmail's compose form (its hidden `composeid` field) or a
 * subject box. A rich-text editor without them (a Settings signature or vacation reply
 * editor, a chat box) is not one.
 */
const COMPOSE_MARKER = 'input[name="composeid"], input[name="subjectbox"]';
/** Gmail's compose container, when its class is the long-standing one; not relied upon. */
const COMPOSE_CONTAINER = '.M9';

/** Parts of the body that are not the writer's new words. */
export const NOT_WRITTEN_HERE = [
  '.gmail_quote',
  '.gmail_quote_container',
  '.gmail_attr',
  '.gmail_signature',
  '[data-smartmail="gmail_signature"]',
  '.gmail_extra',
].join(', ');

/** A person in a recipient row: today's `role=option` chips, older hovercard chips. */
const RECIPIENT_CHIP = '[role="option"], [data-hovercard-id], span[email]';
const RECIPIENT_FIELDS = ['to', 'cc', 'bcc'] as const;
type RecipientField = (typeof RECIPIENT_FIELDS)[number];
const FIELD_MARKER = '[name="to"], [name="cc"], [name="bcc"]';

/** An uploaded attachment in a compose window (`.dL`), its name (`.vI`) and size (`.vJ`). */
const ATTACHMENT_CHIP = '.dL';
const ATTACHMENT_NAME = '.vI';
const ATTACHMENT_SIZE = '.vJ';
/** Hidden checkbox Gmail keeps for each attachment: found even when classes change. */
const ATTACHMENT_INPUT = 'input[name="attach"]';

/** The conversation id among a compose form's hidden fields. */
const THREAD_FIELD = 'input[name="lts"]';
/** An open conversation's heading; list rows carry the attribute on other elements. */
const THREAD_HEADING = 'h2[data-legacy-thread-id]';

export interface ComposeParts {
  /** The container of this compose window: recipients, subject, body, attachments. */
  root: Element;
  body: HTMLElement;
}

/** Every compose window on the page, each with its own container and body. */
export function findComposes(doc: Document): ComposeParts[] {
  const found: ComposeParts[] = [];
  const seen = new Set<Element>();
  for (const marker of doc.querySelectorAll(COMPOSE_MARKER)) {
    const parts = composeOf(marker);
    if (!parts || seen.has(parts.body)) continue;
    seen.add(parts.body);
    found.push(parts);
  }
  return found;
}

/**
 * From a compose marker up to the first ancestor that also holds an editor: that editor
 * is the window's body. An ancestor holding two editors holds two windows, and the
 * marker belongs to neither.
 */
function composeOf(marker: Element): ComposeParts | null {
  for (let el = marker.parentElement; el; el = el.parentElement) {
    const bodies = topLevelBodies(el);
    if (bodies.length === 0) continue;
    if (bodies.length > 1) return null;
    const body = bodies[0]!;
    const container = el.closest(COMPOSE_CONTAINER) ?? el.closest('[role="dialog"]');
    const root = container && topLevelBodies(container).length === 1 ? container : el;
    return { root, body };
  }
  return null;
}

function topLevelBodies(el: Element): HTMLElement[] {
  return [...el.querySelectorAll<HTMLElement>(BODY)].filter(isComposeBody);
}

function isComposeBody(el: HTMLElement): boolean {
  if (el.getAttribute('contenteditable') !== 'true' && !el.isContentEditable) return false;
  // A nested editable (a chip inside the body) is part of the outer body.
  return !el.parentElement?.closest(BODY);
}

/** The compose container of a body, or null when the body is not in a compose window. */
export function composeRoot(body: Element): Element | null {
  for (let el = body.parentElement; el; el = el.parentElement) {
    const marker = el.querySelector(COMPOSE_MARKER);
    if (!marker) continue;
    const parts = composeOf(marker);
    return parts?.body === body ? parts.root : null;
  }
  return null;
}

/**
 * What the user sees as the compose window: the popup or full-screen dialog, else the
 * container itself (an inline reply, a popped-out window).
 */
export function composeWindow(root: Element): Element {
  return root.closest('[role="dialog"]') ?? root;
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
  for (const marked of root.querySelectorAll(FIELD_MARKER)) {
    if (body.contains(marked)) continue;
    const field = marked.getAttribute('name') as RecipientField;
    const row = recipientRow(marked, root);
    if (!row) continue;
    for (const chip of row.querySelectorAll(RECIPIENT_CHIP)) {
      const email = chipEmail(chip);
      if (!email) continue;
      const key = `${field}:${email.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result[field].push({ email, name: recipientName(chip, email) });
    }
  }
  return { to: result.to, cc: result.cc };
}

/**
 * The row of one recipient field. Today's Gmail names the row itself
 * (`div[name=to]`); older markup keeps a hidden input or textarea in the row, whose row
 * is its nearest ancestor holding chips but no other field. Chips anywhere else (the
 * collapsed "To: ..." summary, the message text) belong to no field.
 */
function recipientRow(marked: Element, root: Element): Element | null {
  if (!(marked instanceof HTMLInputElement || marked instanceof HTMLTextAreaElement)) return marked;
  for (let el = marked.parentElement; el && el !== root; el = el.parentElement) {
    if (el.querySelectorAll(FIELD_MARKER).length > 1) return null;
    if (el.querySelector(RECIPIENT_CHIP)) return el;
  }
  return null;
}

function chipEmail(chip: Element): string | null {
  const email = (chip.getAttribute('data-hovercard-id') ?? chip.getAttribute('email') ?? chip.querySelector('[data-hovercard-id]')?.getAttribute('data-hovercard-id') ?? '').trim();
  // Hovercards also mark avatars by an obfuscated id.
  return email.includes('@') ? email : null;
}

function recipientName(chip: Element, email: string): string | null {
  const name = chip.getAttribute('data-name') ?? chip.getAttribute('name') ?? chip.textContent ?? '';
  const trimmed = name.replace(/\s+/g, ' ').trim();
  return trimmed && trimmed !== email ? trimmed : null;
}

export function attachments(root: Element): Attachment[] {
  return attachmentChips(root).map(({ attachment }) => attachment);
}

/** Each attachment with the chip that shows it (to point at it from the panel). */
export function attachmentChips(root: Element): { chip: Element; attachment: Attachment }[] {
  const chips = new Set<Element>(root.querySelectorAll(ATTACHMENT_CHIP));
  for (const input of root.querySelectorAll(ATTACHMENT_INPUT)) {
    const chip = input.closest(ATTACHMENT_CHIP) ?? input.parentElement;
    if (chip) chips.add(chip);
  }
  const result: { chip: Element; attachment: Attachment }[] = [];
  for (const chip of chips) {
    const filename = attachmentName(chip);
    if (!filename) continue;
    const sizeText = attachmentSize(chip);
    result.push({ chip, attachment: { filename, mime_type: mimeTypeFor(filename), size: parseSize(sizeText) } });
  }
  return result;
}

function attachmentName(chip: Element): string | null {
  const named = chip.querySelector(ATTACHMENT_NAME)?.textContent?.trim();
  if (named) return named;
  // Without the name's class: the link's title, else the first piece of text that looks
  // like a file name.
  const title = chip.querySelector('[title]')?.getAttribute('title')?.trim();
  if (title) return title;
  for (const el of chip.querySelectorAll('*')) {
    if (el.children.length > 0) continue;
    const text = el.textContent?.trim() ?? '';
    if (/\.[a-z0-9]{1,5}$/i.test(text)) return text;
  }
  return null;
}

function attachmentSize(chip: Element): string {
  const sized = chip.querySelector(ATTACHMENT_SIZE)?.textContent;
  if (sized) return sized;
  for (const el of chip.querySelectorAll('*')) {
    const text = el.children.length === 0 ? (el.textContent?.trim() ?? '') : '';
    if (/^\(?\d/.test(text)) return text;
  }
  return '';
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

/**
 * The conversation a reply belongs to: the compose form's own hidden field, else (an
 * inline reply) the heading of the conversation it sits in. A new message has none.
 */
export function threadId(root: Element): string | null {
  const field = root.querySelector<HTMLInputElement>(THREAD_FIELD)?.value.trim();
  if (field && /^[0-9a-f]{8,24}$/i.test(field)) return field;
  if (root.closest('[role="dialog"]')) return null;
  for (let el = root.parentElement; el; el = el.parentElement) {
    const id = el.querySelector(THREAD_HEADING)?.getAttribute('data-legacy-thread-id');
    if (id) return id;
    if (el.matches('[role="main"]')) break;
  }
  return null;
}
