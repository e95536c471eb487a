import type { Severity } from '../shared/contract';
import type { Box } from './geometry';

export interface MarkBoxes {
  /** The visible part of the field, in viewport coordinates: marks outside it are hidden. */
  clip: Box;
  /** Where the field is now; `boxes` are relative to its top left corner. */
  anchor: { x: number; y: number };
  boxes: readonly { mark: Mark; box: Box }[];
}

export interface Mark {
  key: string;
  severity: Severity;
  /** Where the marked text is now, in viewport coordinates; ranges are live, so this follows edits. */
  boxes(): Box[];
}

/**
 * Boxes drawn over matched text, in a layer of our own: the email's DOM is never touched,
 * so what Gmail sends is exactly what was typed. The layer is clipped to the visible part
 * of the field, so marks scrolled out of view disappear with their text.
 *
 * The text's boxes are measured relative to the field (its anchor) and kept while the
 * field keeps its size and nothing was edited: scrolling or moving the window then costs
 * no text measurement, only a translation of the layer (a transform, which Chromium
 * applies without laying anything out).
 */
export class HighlightLayer {
  /** Positioned over the field's visible part; clips the marks. */
  readonly element: HTMLDivElement;
  /** Moves with the field: the marks inside are placed relative to the field. */
  private readonly inner: HTMLDivElement;
  private focusKeys: ReadonlySet<string> = new Set();
  private marks: Mark[] = [];
  private pool: HTMLDivElement[] = [];
  /** The boxes measured last, and the field's size then: valid while it keeps that size. */
  private cache: { boxes: MarkBoxes['boxes']; width: number; height: number } | null = null;
  /** The boxes drawn last (their classes and sizes are written only when these change). */
  private painted: MarkBoxes['boxes'] | null = null;
  /** Where the field was in the clip when last drawn, and the clip's size. */
  private paintedAt = '';

  constructor(doc: Document, className: string) {
    this.element = doc.createElement('div');
    this.element.className = `clip ${className}`;
    this.inner = doc.createElement('div');
    this.inner.className = 'marks';
    this.element.append(this.inner);
  }

  /** The finding the user points at in the panel; its boxes are drawn stronger. */
  get focus(): ReadonlySet<string> {
    return this.focusKeys;
  }

  set focus(keys: ReadonlySet<string>) {
    this.focusKeys = keys;
    this.painted = null;
    this.paintedAt = '';
  }

  set(marks: Mark[]): void {
    this.marks = marks;
    this.cache = null;
  }

  /** Drops the marks of findings no longer shown (ignored, or their rule turned off). */
  retain(keys: ReadonlySet<string>): void {
    this.marks = this.marks.filter((m) => keys.has(m.key));
    this.cache = null;
  }

  /** The text may have moved inside its field (an edit): measure it again next time. */
  invalidate(): void {
    this.cache = null;
  }

  get size(): number {
    return this.marks.length;
  }

  /**
   * Where the marks are (reads only: layout is measured for every window before any of
   * them writes, so one frame forces at most one layout). `anchor` is the field's box now
   * (not clipped). Null hides the layer.
   */
  measure(clip: Box | null, anchor: Box | null): MarkBoxes | null {
    if (!clip || !anchor || this.marks.length === 0) return null;
    const width = anchor.right - anchor.left;
    const height = anchor.bottom - anchor.top;
    if (!this.cache || this.cache.width !== width || this.cache.height !== height) {
      const boxes: { mark: Mark; box: Box }[] = [];
      for (const mark of this.marks) {
        const seen = new Set<string>();
        for (const b of mark.boxes()) {
          const key = `${Math.round(b.left)},${Math.round(b.top)},${Math.round(b.right)}`;
          if (seen.has(key)) continue; // a range reports a nested element and its text alike
          seen.add(key);
          boxes.push({ mark, box: { left: b.left - anchor.left, top: b.top - anchor.top, right: b.right - anchor.left, bottom: b.bottom - anchor.top } });
        }
      }
      this.cache = { boxes, width, height };
    }
    return { clip, anchor: { x: anchor.left, y: anchor.top }, boxes: this.cache.boxes };
  }

  /** Draws what `measure` found (writes only). `origin` is where our layer's 0,0 is. */
  paint(measured: MarkBoxes | null, origin: { x: number; y: number }): void {
    const style = this.element.style;
    if (!measured) {
      set(style, 'display', 'none');
      return;
    }
    const { clip, anchor, boxes } = measured;
    // Only what changed is written: while the page scrolls, only the two translations.
    set(style, 'display', '');
    set(style, 'transform', `translate(${clip.left - origin.x}px, ${clip.top - origin.y}px)`);
    set(style, 'width', `${clip.right - clip.left}px`);
    set(style, 'height', `${clip.bottom - clip.top}px`);
    const dx = anchor.x - clip.left;
    const dy = anchor.y - clip.top;
    set(this.inner.style, 'transform', `translate(${dx}px, ${dy}px)`);
    const fresh = boxes !== this.painted;
    this.painted = boxes;
    const w = clip.right - clip.left;
    const h = clip.bottom - clip.top;
    // The field moved with its clip (its window moved): every mark shows as before.
    const at = `${dx},${dy},${w},${h}`;
    if (!fresh && at === this.paintedAt) return;
    this.paintedAt = at;
    for (const [i, { mark, box }] of boxes.entries()) {
      const div = this.box(i);
      // Out of the field's visible part: hidden, not just clipped, as its text is.
      const seen = box.right + dx > 0 && box.left + dx < w && box.bottom + dy > 0 && box.top + dy < h;
      set(div.style, 'display', seen ? '' : 'none');
      if (!fresh) continue;
      const className = this.focusKeys.has(mark.key) ? `mark ${mark.severity} focus` : `mark ${mark.severity}`;
      if (div.className !== className) div.className = className;
      if (div.dataset.key !== mark.key) div.dataset.key = mark.key;
      set(div.style, 'left', `${box.left}px`);
      set(div.style, 'top', `${box.top}px`);
      set(div.style, 'width', `${box.right - box.left}px`);
      set(div.style, 'height', `${box.bottom - box.top}px`);
    }
    if (fresh) for (let i = boxes.length; i < this.pool.length; i++) set(this.pool[i]!.style, 'display', 'none');
  }

  private box(i: number): HTMLDivElement {
    let div = this.pool[i];
    if (!div) {
      div = this.element.ownerDocument.createElement('div');
      this.pool.push(div);
      this.inner.append(div);
    }
    return div;
  }
}

type StyleName = 'display' | 'left' | 'top' | 'width' | 'height' | 'maxHeight' | 'bottom' | 'transform';
/** What we last wrote to each style: comparing with it costs no reading of the CSSOM. */
const written = new WeakMap<CSSStyleDeclaration, Partial<Record<StyleName, string>>>();

/** Writes a style property only when its value changes (we are its only writer). */
export function set(style: CSSStyleDeclaration, name: StyleName, value: string): void {
  let last = written.get(style);
  if (!last) written.set(style, (last = {}));
  if (last[name] === value) return;
  last[name] = value;
  style[name] = value;
}
