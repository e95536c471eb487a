// The body text we send is built from the editor's DOM, and every finding's offsets come
// back in UTF-16 code units of that text. Keeping, for each text node, where its data
// starts in the text lets an offset map straight back to a DOM position; the newlines we
// add for <br> and block boundaries belong to no node.

export interface TextSegment {
  node: Text;
  /** Offset of node.data[0] in the extracted text. */
  start: number;
}

export interface ExtractedText {
  text: string;
  segments: TextSegment[];
}

const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET',
  'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER',
  'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL',
]);
const NO_TEXT = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IMG', 'svg', 'SVG']);

export function extractText(root: Element, skip: (el: Element) => boolean): ExtractedText {
  const parts: string[] = [];
  const segments: TextSegment[] = [];
  let length = 0;
  let endsWithNewline = true; // nothing before the first line needs separating
  // A block's end separates it from what follows, but only if something follows:
  // otherwise the text would end with a newline the writer never typed.
  let breakPending = false;

  const push = (s: string): void => {
    parts.push(s);
    length += s.length;
    endsWithNewline = s.endsWith('\n');
  };
  const lineBreak = (): void => {
    if (!endsWithNewline) push('\n');
    breakPending = false;
  };

  const walk = (parent: Node): void => {
    for (let node = parent.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) {
        const data = (node as Text).data;
        if (data.length === 0) continue;
        if (breakPending) lineBreak();
        segments.push({ node: node as Text, start: length });
        // Gmail writes runs of spaces as no-break spaces; same length, so offsets hold.
        push(data.replace(/\u00a0/g, ' '));
      } else if (node.nodeType === 1) {
        const el = node as Element;
        if (NO_TEXT.has(el.tagName) || skip(el) || isHidden(el)) continue;
        if (el.tagName === 'BR') {
          if (breakPending) lineBreak();
          push('\n');
          continue;
        }
        const block = BLOCKS.has(el.tagName);
        if (block) lineBreak();
        walk(el);
        if (block) breakPending = true;
      }
    }
  };
  walk(root);
  return { text: parts.join(''), segments };
}

function isHidden(el: Element): boolean {
  return el.hasAttribute('hidden') || (el as HTMLElement).style?.display === 'none';
}

export interface DomPoint {
  node: Text;
  offset: number;
}

/**
 * The DOM position of a text offset. At a boundary between two nodes, `forward` picks the
 * start of the next one (for a range start) and otherwise the end of the previous one
 * (for a range end), so that a range never begins or ends in a neighbouring element.
 * An offset on one of our added newlines snaps the same way.
 */
export function pointAt(extracted: ExtractedText, offset: number, forward: boolean): DomPoint | null {
  const { segments } = extracted;
  if (segments.length === 0) return null;
  // Last segment starting at or before the offset.
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const i = lo;
  const seg = segments[i]!;
  if (offset < seg.start) {
    return forward ? { node: seg.node, offset: 0 } : null;
  }
  const end = seg.start + seg.node.data.length;
  if (offset < end) {
    // A boundary landing at the very start of a node, for a range end, belongs to the
    // previous node when there is one directly before it.
    if (!forward && offset === seg.start && i > 0) {
      const prev = segments[i - 1]!;
      if (prev.start + prev.node.data.length === offset) return { node: prev.node, offset: prev.node.data.length };
    }
    return { node: seg.node, offset: offset - seg.start };
  }
  if (offset === end && !forward) return { node: seg.node, offset: seg.node.data.length };
  // Past this node: on an added newline, or exactly at its end with `forward`.
  if (forward) {
    const next = segments[i + 1];
    return next ? { node: next.node, offset: 0 } : null;
  }
  return { node: seg.node, offset: seg.node.data.length };
}

/** A DOM range over [start, end) of the extracted text, or null if it covers no text. */
export function rangeFor(extracted: ExtractedText, start: number, end: number): Range | null {
  if (!(start < end) || start < 0 || end > extracted.text.length) return null;
  const from = pointAt(extracted, start, true);
  const to = pointAt(extracted, end, false);
  if (!from || !to) return null;
  const doc = from.node.ownerDocument;
  const range = doc.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  return range.collapsed ? null : range;
}
