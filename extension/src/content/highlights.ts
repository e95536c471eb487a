import type { Severity } from '../shared/contract';
import { intersect, type Box } from './geometry';

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

  /** `clip` and the boxes are in viewport coordinates; `origin` is where our layer's 0,0 is. */
  draw(clip: Box | null, origin: { x: number; y: number }): void {
    const style = this.element.style;
    if (!clip || this.marks.length === 0) {
      style.display = 'none';
      return;
    }
    style.display = '';
    style.left = `${clip.left - origin.x}px`;
    style.top = `${clip.top - origin.y}px`;
    style.width = `${clip.right - clip.left}px`;
    style.height = `${clip.bottom - clip.top}px`;
    let used = 0;
    for (const mark of this.marks) {
      const seen = new Set<string>();
      for (const box of mark.boxes()) {
        if (!intersect(box, clip)) continue;
        const key = `${Math.round(box.left)},${Math.round(box.top)},${Math.round(box.right)}`;
        if (seen.has(key)) continue; // a range reports a nested element and its text alike
        seen.add(key);
        const div = this.box(used++);
        div.className = this.focus.has(mark.key) ? `mark ${mark.severity} focus` : `mark ${mark.severity}`;
        div.dataset.key = mark.key;
        div.style.left = `${box.left - clip.left}px`;
        div.style.top = `${box.top - clip.top}px`;
        div.style.width = `${box.right - box.left}px`;
        div.style.height = `${box.bottom - box.top}px`;
      }
    }
    for (let i = used; i < this.pool.length; i++) this.pool[i]!.style.display = 'none';
  }

  private box(i: number): HTMLDivElement {
    let div = this.pool[i];
    if (!div) {
      div = this.element.ownerDocument.createElement('div');
      this.pool.push(div);
      this.element.append(div);
    }
    div.style.display = '';
    return div;
  }
}
