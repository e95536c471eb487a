import type { Severity } from '../shared/contract';
import { intersect, type Box } from './geometry';

export interface MarkBoxes {
  clip: Box;
  boxes: { mark: Mark; box: Box }[];
}

export interface Mark {
  key: string;
  severity: Severity;
  /** Where the marked text is now; ranges are live, so this follows edits. */
  boxes(): Box[];
}

/**
 * Boxes drawn over matched text, in a layer of our own: the email's DOM is never touched,
 * so what Gmail sends is exactly what was typed. The layer is clipped to the visible part
 * of the field, so marks scrolled out of view disappear with their text.
 */
export class HighlightLayer {
  readonly element: HTMLDivElement;
  /** The finding the user points at in the panel; its boxes are drawn stronger. */
  focus: ReadonlySet<string> = new Set();
  private marks: Mark[] = [];
  private pool: HTMLDivElement[] = [];

  constructor(doc: Document, className: string) {
    this.element = doc.createElement('div');
    this.element.className = `clip ${className}`;
  }

  set(marks: Mark[]): void {
    this.marks = marks;
  }

  /** Drops the marks of findings no longer shown (ignored, or their rule turned off). */
  retain(keys: ReadonlySet<string>): void {
    this.marks = this.marks.filter((m) => keys.has(m.key));
  }

  get size(): number {
    return this.marks.length;
  }

  /**
   * Where the marks are (reads only: layout is measured for every window before any of
   * them writes, so one frame forces at most one layout). Null hides the layer.
   */
  measure(clip: Box | null): MarkBoxes | null {
    if (!clip || this.marks.length === 0) return null;
    const boxes: MarkBoxes['boxes'] = [];
    for (const mark of this.marks) {
      const seen = new Set<string>();
      for (const box of mark.boxes()) {
        if (!intersect(box, clip)) continue;
        const key = `${Math.round(box.left)},${Math.round(box.top)},${Math.round(box.right)}`;
        if (seen.has(key)) continue; // a range reports a nested element and its text alike
        seen.add(key);
        boxes.push({ mark, box });
      }
    }
    return { clip, boxes };
  }

  /** Draws what `measure` found (writes only). `origin` is where our layer's 0,0 is. */
  paint(measured: MarkBoxes | null, origin: { x: number; y: number }): void {
    const style = this.element.style;
    if (!measured) {
      set(style, 'display', 'none');
      return;
    }
    const { clip } = measured;
    // Only what changed is written: while the page scrolls most boxes stay put, and an
    // untouched style costs the next frame nothing.
    set(style, 'display', '');
    set(style, 'left', `${clip.left - origin.x}px`);
    set(style, 'top', `${clip.top - origin.y}px`);
    set(style, 'width', `${clip.right - clip.left}px`);
    set(style, 'height', `${clip.bottom - clip.top}px`);
    let used = 0;
    for (const { mark, box } of measured.boxes) {
      const div = this.box(used++);
      const className = this.focus.has(mark.key) ? `mark ${mark.severity} focus` : `mark ${mark.severity}`;
      if (div.className !== className) div.className = className;
      if (div.dataset.key !== mark.key) div.dataset.key = mark.key;
      set(div.style, 'left', `${box.left - clip.left}px`);
      set(div.style, 'top', `${box.top - clip.top}px`);
      set(div.style, 'width', `${box.right - box.left}px`);
      set(div.style, 'height', `${box.bottom - box.top}px`);
    }
    for (let i = used; i < this.pool.length; i++) set(this.pool[i]!.style, 'display', 'none');
  }

  /** `clip` and the boxes are in viewport coordinates; `origin` is where our layer's 0,0 is. */
  draw(clip: Box | null, origin: { x: number; y: number }): void {
    this.paint(this.measure(clip), origin);
  }

  private box(i: number): HTMLDivElement {
    let div = this.pool[i];
    if (!div) {
      div = this.element.ownerDocument.createElement('div');
      this.pool.push(div);
      this.element.append(div);
    }
    set(div.style, 'display', '');
    return div;
  }
}

/** Writes a style property only when its value changes. */
export function set(style: CSSStyleDeclaration, name: 'display' | 'left' | 'top' | 'width' | 'height' | 'maxHeight' | 'bottom', value: string): void {
  if (style[name] !== value) style[name] = value;
}
