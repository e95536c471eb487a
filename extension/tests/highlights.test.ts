import { describe, expect, test } from 'vitest';
import type { Box } from '../src/content/geometry';
import { HighlightLayer, type Mark } from '../src/content/highlights';

const box = (left: number, top: number, right: number, bottom: number): Box => ({ left, top, right, bottom });

/** A mark whose text is at `at` (viewport coordinates), counting how often it is measured. */
function mark(at: () => Box): Mark & { reads: number } {
  const m = {
    key: 'f1',
    severity: 'warning' as const,
    reads: 0,
    boxes() {
      m.reads++;
      return [at()];
    },
  };
  return m;
}

describe('highlights', () => {
  test('the text is measured once; scrolling and moving the field only translate the layer', () => {
    const layer = new HighlightLayer(document, 'body-marks');
    let field = box(100, 200, 600, 700);
    let scrolled = 0;
    const m = mark(() => box(field.left + 10, field.top + 40 - scrolled, field.left + 90, field.top + 60 - scrolled));
    layer.set([m]);
    const clip = () => box(field.left, field.top, field.right, Math.min(field.bottom, field.top + 300));
    const anchor = () => box(field.left, field.top - scrolled, field.right, field.bottom - scrolled);
    layer.paint(layer.measure(clip(), anchor()), { x: 0, y: 0 });
    expect(m.reads).toBe(1);
    const div = layer.element.querySelector<HTMLElement>('.mark')!;
    expect([div.style.left, div.style.top, div.style.width]).toEqual(['10px', '40px', '80px']);
    // The body scrolls by 25 px: the same boxes, the layer moved.
    scrolled = 25;
    layer.paint(layer.measure(clip(), anchor()), { x: 0, y: 0 });
    expect(m.reads).toBe(1);
    expect((layer.element.firstElementChild as HTMLElement).style.transform).toBe('translate(0px, -25px)');
    // The window moves: still nothing measured in the text.
    field = box(300, 100, 800, 600);
    layer.paint(layer.measure(clip(), anchor()), { x: 0, y: 0 });
    expect(m.reads).toBe(1);
    expect(layer.element.style.transform).toBe('translate(300px, 100px)');
    // Scrolled out of the visible part: hidden, as its text is.
    scrolled = 80;
    layer.paint(layer.measure(clip(), anchor()), { x: 0, y: 0 });
    expect(div.style.display).toBe('none');
  });

  test('an edit, a resized field or new marks measure the text again', () => {
    const layer = new HighlightLayer(document, 'body-marks');
    const m = mark(() => box(110, 240, 190, 260));
    layer.set([m]);
    layer.measure(box(100, 200, 600, 500), box(100, 200, 600, 700));
    layer.measure(box(100, 200, 600, 500), box(100, 200, 600, 700));
    expect(m.reads).toBe(1);
    layer.invalidate();
    layer.measure(box(100, 200, 600, 500), box(100, 200, 600, 700));
    expect(m.reads).toBe(2);
    layer.measure(box(100, 200, 500, 500), box(100, 200, 500, 760));
    expect(m.reads).toBe(3);
    const n = mark(() => box(110, 240, 190, 260));
    layer.set([n]);
    layer.measure(box(100, 200, 500, 500), box(100, 200, 500, 760));
    expect(n.reads).toBe(1);
  });
});
