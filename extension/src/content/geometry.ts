// Where things are on screen. Overlay boxes and the panel live outside Gmail's layout, in
// viewport coordinates, so every position is computed from the elements they cover.

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function toBox(r: { left: number; top: number; right: number; bottom: number }): Box {
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
}

export function intersect(a: Box, b: Box): Box | null {
  const box = {
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  };
  return box.right > box.left && box.bottom > box.top ? box : null;
}

/**
 * The ancestors of `el` that clip it (the compose window's scroll areas). Found once per
 * compose window and reused, since reading computed styles on every frame costs time.
 */
export function clippingAncestors(el: Element): Element[] {
  const view = el.ownerDocument.defaultView;
  const found: Element[] = [];
  if (!view) return found;
  for (let a = el.parentElement; a && a !== el.ownerDocument.body; a = a.parentElement) {
    const style = view.getComputedStyle(a);
    if (style.overflowX !== 'visible' || style.overflowY !== 'visible') found.push(a);
  }
  return found;
}

/** The part of `el` on screen: its box cut by its clipping ancestors and the viewport. */
export function visibleBox(el: Element, clippers: readonly Element[], rect: Box = el.getBoundingClientRect()): Box | null {
  const view = el.ownerDocument.defaultView;
  if (!view) return null;
  // A minimized or closed compose window: Gmail hides it with display:none.
  if (rect.right === rect.left && rect.bottom === rect.top) return null;
  let box: Box | null = intersect(toBox(rect), { left: 0, top: 0, right: view.innerWidth, bottom: view.innerHeight });
  for (const a of clippers) {
    if (!box) break;
    box = intersect(box, toBox(a.getBoundingClientRect()));
  }
  return box;
}

export type MeasureText = (text: string, font: string) => number;

let canvas: CanvasRenderingContext2D | null | undefined;
const measureWithCanvas: MeasureText = (text, font) => {
  if (canvas === undefined) canvas = document.createElement('canvas').getContext('2d');
  if (!canvas) return 0;
  canvas.font = font;
  return canvas.measureText(text).width;
};

/**
 * The box of characters [start, end) of a one-line input. An input has no DOM text to
 * make a Range from, so the text before them is measured in the input's own font.
 */
export function inputTextBox(input: HTMLInputElement, start: number, end: number, measure: MeasureText = measureWithCanvas): Box | null {
  if (!(start < end)) return null;
  const view = input.ownerDocument.defaultView;
  if (!view) return null;
  const style = view.getComputedStyle(input);
  const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const rect = input.getBoundingClientRect();
  const contentLeft = rect.left + px(style.borderLeftWidth) + px(style.paddingLeft);
  const left = contentLeft + measure(input.value.slice(0, start), font) - input.scrollLeft;
  const right = left + measure(input.value.slice(start, end), font);
  const lineHeight = px(style.fontSize) * 1.3 || rect.height;
  const top = rect.top + (rect.height - lineHeight) / 2;
  return { left, top, right, bottom: top + lineHeight };
}

function px(value: string): number {
  const n = parseFloat(value);
  return Number.isFinite(n) ? n : 0;
}
