import { describe, expect, test } from 'vitest';
import { intersect, type Box } from '../src/content/geometry';
import { place, type PlacementInput } from '../src/content/placement';

const box = (left: number, top: number, right: number, bottom: number): Box => ({ left, top, right, bottom });

/** A Gmail popup docked at the bottom right: 540 wide, 580 tall, its body inside. */
function popup(right: number, height = 900): { compose: Box; body: Box } {
  const compose = box(right - 540, height - 580, right, height);
  return { compose, body: box(compose.left + 16, compose.top + 180, compose.right - 16, compose.bottom - 60) };
}

function input(over: Partial<PlacementInput> & Pick<PlacementInput, 'compose' | 'body'>): PlacementInput {
  return { viewport: { width: 1400, height: 900 }, bodies: [], windows: [], panelHeight: 520, pill: { width: 120, height: 28 }, open: false, ...over };
}

function clearOfBodies(p: ReturnType<typeof place>, bodies: Box[]): boolean {
  return [p.panel, p.pill].every((r) => !r || bodies.every((b) => !intersect(r, b)));
}

describe('placement', () => {
  test('one popup: the panel goes beside it, as tall as it can, never over its body', () => {
    const one = popup(1384);
    const p = place(input(one));
    expect(p.mode).toBe('beside');
    expect(p.panel!.right).toBe(one.compose.left - 12);
    expect(p.panel!.bottom).toBe(892);
    expect(clearOfBodies(p, [one.body])).toBe(true);
  });

  test('two popups side by side: the right one has a neighbour where its panel would go, so it docks', () => {
    const right = popup(1384);
    const left = popup(right.compose.left - 16);
    const p = place(input({ ...right, bodies: [left.body], windows: [left.compose] }));
    expect(p.mode).toBe('docked');
    expect(p.panel).toBeNull();
    // The pill sits in the toolbar row, under the body.
    expect(p.pill!.top).toBeGreaterThanOrEqual(right.body.bottom);
    expect(p.pill!.bottom).toBeLessThanOrEqual(right.compose.bottom);
    const opened = place(input({ ...right, bodies: [left.body], windows: [left.compose], open: true }));
    expect(opened.panel).not.toBeNull();
    expect(clearOfBodies(opened, [right.body, left.body])).toBe(true);
    // Above the windows, where it covers nothing of either.
    expect(opened.panel!.bottom).toBeLessThanOrEqual(right.compose.top);
  });

  test('a full-screen window: the body makes room at its end; the panel opens there, under the subject, never over the body', () => {
    const compose = box(84, 45, 1356, 855);
    const body = box(100, 240, 1340, 790);
    const head = box(84, 45, 1356, 240);
    const p = place(input({ compose, body, viewport: { width: 1440, height: 900 }, open: true }));
    expect(p.mode).toBe('docked');
    expect(p.room).toEqual({ side: 'end', size: 340 + 12 });
    expect(p.panel).toEqual(box(1000, 270, 1340, 790));
    expect(intersect(p.panel!, head)).toBeNull();
    // Next frame: the body is narrower by the room it gave; the decision holds.
    const narrowed = box(100, 240, 1340 - 352, 790);
    const again = place(input({ compose, body: narrowed, viewport: { width: 1440, height: 900 }, open: true, room: p.room }));
    expect(again).toEqual(p);
    expect(intersect(again.panel!, narrowed)).toBeNull();
    // Closed, the body gets its room back.
    expect(place(input({ compose, body: narrowed, viewport: { width: 1440, height: 900 }, open: false, room: p.room })).room).toBeNull();
  });

  test('right to left: the room is on the left, where the lines end', () => {
    const compose = box(84, 45, 1356, 855);
    const body = box(100, 240, 1340, 790);
    const p = place(input({ compose, body, viewport: { width: 1440, height: 900 }, open: true, rtl: true }));
    expect(p.room).toEqual({ side: 'end', size: 352 });
    expect(p.panel!.left).toBe(100);
  });

  test('a popped-out window too narrow for a column: the body gives up a band at its bottom', () => {
    const compose = box(0, 0, 600, 800);
    const body = box(16, 110, 584, 740);
    const p = place(input({ compose, body, viewport: { width: 600, height: 800 }, open: true }));
    expect(p.room?.side).toBe('bottom');
    expect(p.panel!.bottom).toBe(740);
    expect(740 - p.room!.size - 110).toBeGreaterThanOrEqual(140);
    expect(intersect(p.panel!, box(0, 0, 600, 110))).toBeNull();
  });

  test('nothing fits (a tiny window): no panel at all rather than one over the text', () => {
    const compose = box(0, 0, 300, 200);
    const body = box(0, 20, 300, 200);
    const p = place(input({ compose, body, viewport: { width: 300, height: 200 }, open: true }));
    expect(p.panel).toBeNull();
    expect(clearOfBodies(p, [body])).toBe(true);
  });

  test('every width from 1,000 to 1,920 px, one to three popups: nothing over a body', () => {
    for (let width = 1000; width <= 1920; width += 40) {
      for (let n = 1; n <= 3; n++) {
        const windows = Array.from({ length: n }, (_, i) => popup(width - 16 - i * 556));
        for (const [i, w] of windows.entries()) {
          const others = windows.filter((_, j) => j !== i);
          for (const open of [false, true]) {
            const heads = others.map((o) => box(o.compose.left, o.compose.top, o.compose.right, o.body.top));
            const p = place(input({ ...w, viewport: { width, height: 900 }, bodies: others.map((o) => o.body), heads, windows: others.map((o) => o.compose), open }));
            expect(clearOfBodies(p, windows.map((o) => o.body)), `${n} popups at ${width}px, window ${i}, open ${open}`).toBe(true);
            // An opened panel covers no window's header either (recipients, subject).
            const allHeads = windows.map((o) => box(o.compose.left, o.compose.top, o.compose.right, o.body.top));
            expect(clearOfBodies({ ...p, pill: null }, allHeads), `${n} popups at ${width}px, window ${i}, open ${open}: a header`).toBe(true);
          }
        }
      }
    }
  });
});
