// Where a compose window's panel goes. Pure geometry, in viewport coordinates, so that
// every layout can be tested without a browser and the per-frame cost stays a few
// rectangle comparisons.
//
// The rule: the panel never covers the text anyone is writing. It goes beside its compose
// window when a column there is free of every message body and every other compose
// window; otherwise the window gets a small pill on its own edge (its toolbar row, else
// its title bar), and the panel opens from the pill into the largest free space outside
// every message body.

import { intersect, type Box } from './geometry';

export const MARGIN = 8;
/** Between a compose window and a panel beside it. */
export const GAP = 12;
export const PANEL_MAX_WIDTH = 340;
/** Narrower than this, the findings wrap too much to read beside the window. */
const PANEL_MIN_WIDTH = 260;
/** A column beside the window shorter than this is not worth a panel. */
const BESIDE_MIN_HEIGHT = 160;
/** An opened panel shorter than this shows too little; it scrolls above this. */
const OPEN_MIN_HEIGHT = 96;
/** How many pixels of panel height keeping clear of every compose window is worth. */
const CLEAR_BONUS = 250;
/** The pill keeps clear of the window's last toolbar button (Gmail's discard icon). */
const PILL_INSET = 56;

export interface PlacementInput {
  viewport: { width: number; height: number };
  /** The visible part of this compose window. */
  compose: Box;
  /** The visible part of this window's message body. */
  body: Box;
  /** Every other compose window's visible body: never covered. */
  bodies: readonly Box[];
  /** Every other compose window: avoided when there is any other place. */
  windows: readonly Box[];
  /** The open panel's height with nothing cut (its content, header included). */
  panelHeight: number;
  pill: { width: number; height: number };
  /** The user opened the panel from the pill. */
  open: boolean;
  /** A right-to-left Gmail: the Send button is at the right of the toolbar. */
  rtl?: boolean;
  /**
   * Where this window's text ends (its last line, quote and signature included). Only
   * when the window leaves no room at all outside its body (a popped-out reply) does an
   * opened panel use the empty part of the body below the text.
   */
  text?: Box | null;
}

export interface Placement {
  mode: 'beside' | 'docked';
  /** Null when docked and closed. */
  panel: Box | null;
  /** Only when docked; null when even the pill has no free place (the window is tiny). */
  pill: Box | null;
}

export function place(input: PlacementInput): Placement {
  const beside = besideSlot(input);
  if (beside) return { mode: 'beside', panel: beside, pill: null };
  const pill = pillSlot(input);
  return { mode: 'docked', pill, panel: input.open ? openSlot(input) : null };
}

function height(b: Box): number {
  return b.bottom - b.top;
}

function hitsAny(box: Box, others: readonly Box[]): boolean {
  for (const o of others) if (intersect(box, o)) return true;
  return false;
}

function insideViewport(box: Box, input: PlacementInput): boolean {
  return box.left >= MARGIN - 0.5 && box.top >= MARGIN - 0.5 && box.right <= input.viewport.width - MARGIN + 0.5 && box.bottom <= input.viewport.height - MARGIN + 0.5;
}

/**
 * A column left or right of the window, as tall as the window, clear of every body and
 * every other window. The whole column is checked (not just the panel's current height)
 * so the panel does not jump to the pill as findings come and go.
 */
function besideSlot(input: PlacementInput): Box | null {
  const { compose, viewport } = input;
  const top = Math.max(compose.top, MARGIN);
  const bottom = Math.min(compose.bottom, viewport.height - MARGIN);
  if (bottom - top < BESIDE_MIN_HEIGHT) return null;
  const obstacles = [input.body, ...input.bodies, ...input.windows];
  for (const width of [PANEL_MAX_WIDTH, 300, PANEL_MIN_WIDTH]) {
    const columns = [
      { left: compose.left - GAP - width, right: compose.left - GAP },
      { left: compose.right + GAP, right: compose.right + GAP + width },
    ];
    for (const c of columns) {
      const column = { left: c.left, right: c.right, top, bottom };
      if (!insideViewport(column, input) || hitsAny(column, obstacles)) continue;
      return { ...column, top: bottom - Math.min(input.panelHeight, bottom - top) };
    }
  }
  return null;
}

/** The toolbar row under the body, else the title bar above it, else outside the left edge. */
function pillSlot(input: PlacementInput): Box | null {
  const { compose, body, pill } = input;
  // At the end of the toolbar row, away from the Send button, short of the last icon.
  const left = input.rtl ? Math.min(compose.left + PILL_INSET, compose.right - MARGIN - pill.width) : Math.max(compose.left + MARGIN, compose.right - PILL_INSET - pill.width);
  const candidates: Box[] = [];
  const toolbar = compose.bottom - body.bottom;
  if (toolbar >= pill.height + 4) {
    const top = body.bottom + (toolbar - pill.height) / 2;
    candidates.push({ left, right: left + pill.width, top, bottom: top + pill.height });
  }
  if (body.top - compose.top >= pill.height + 4) {
    const top = compose.top + 2;
    candidates.push({ left, right: left + pill.width, top, bottom: top + pill.height });
  }
  const top = compose.bottom - pill.height - MARGIN;
  candidates.push({ left: compose.left - pill.width - 4, right: compose.left - 4, top, bottom: top + pill.height });
  const fits = (c: Box) => c.left >= 0 && c.right <= input.viewport.width && c.top >= 0 && c.bottom <= input.viewport.height;
  const bodies = [body, ...input.bodies];
  // Clear of other windows too (a popup over an inline reply's toolbar would hide the
  // pill), else at least clear of every body.
  for (const obstacles of [[...bodies, ...input.windows], bodies]) {
    for (const c of candidates) if (fits(c) && !hitsAny(c, obstacles)) return c;
  }
  return null;
}

/**
 * Where a panel opened from the pill goes: of the places next to this window (above,
 * below, either side, above its body) and the viewport's edges, the one that shows most
 * of the panel without touching a body, where keeping clear of every compose window
 * (this one's recipients and toolbar too) outweighs a somewhat taller panel.
 */
function openSlot(input: PlacementInput): Box | null {
  const outside = openSlotAvoiding(input, input.body);
  if (outside || !input.text) return outside;
  // Nothing outside the body: below the last line of text, clear of the text itself.
  const written = { ...input.body, bottom: Math.min(input.body.bottom, input.text.bottom + GAP) };
  return openSlotAvoiding(input, written);
}

function openSlotAvoiding(input: PlacementInput, body: Box): Box | null {
  const { compose, viewport } = input;
  const width = Math.min(PANEL_MAX_WIDTH, viewport.width - 2 * MARGIN);
  const bodies = [body, ...input.bodies];
  const clampX = (left: number) => Math.min(Math.max(left, MARGIN), viewport.width - MARGIN - width);
  const lefts = [compose.right - width, compose.left, compose.left - GAP - width, compose.right + GAP, viewport.width - MARGIN - width, MARGIN].map(clampX);
  // Each anchor is a bottom edge the panel grows up from, or a top edge it hangs from.
  const anchors: { edge: number; up: boolean }[] = [
    { edge: compose.top - GAP, up: true },
    { edge: body.top - GAP, up: true },
    { edge: compose.bottom, up: true },
    { edge: compose.bottom + GAP, up: false },
    { edge: viewport.height - MARGIN, up: true },
  ];
  for (const b of input.bodies) anchors.push({ edge: b.top - GAP, up: true }, { edge: b.bottom + GAP, up: false });
  if (body !== input.body) anchors.push({ edge: body.bottom, up: false });
  let best: Box | null = null;
  let bestScore = -1;
  for (const { edge, up } of anchors) {
    for (const left of lefts) {
      const room = up ? edge - MARGIN : viewport.height - MARGIN - edge;
      let h = Math.min(input.panelHeight, room);
      if (h < OPEN_MIN_HEIGHT) continue;
      let box = up ? { left, right: left + width, top: edge - h, bottom: edge } : { left, right: left + width, top: edge, bottom: edge + h };
      // Shrink towards the anchor until no body is touched.
      for (const b of bodies) {
        const hit = intersect(box, b);
        if (!hit) continue;
        if (up) box = { ...box, top: b.bottom + GAP };
        else box = { ...box, bottom: b.top - GAP };
      }
      h = height(box);
      if (h < OPEN_MIN_HEIGHT || hitsAny(box, bodies) || !insideViewport(box, input)) continue;
      // Clear of every window (this one's header included) is worth a shorter panel.
      const clear = !hitsAny(box, input.windows) && !intersect(box, compose);
      const score = Math.min(h, input.panelHeight) + (clear ? CLEAR_BONUS : 0);
      if (score > bestScore) {
        best = box;
        bestScore = score;
      }
    }
  }
  return best;
}
