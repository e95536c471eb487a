// Where a compose window's panel goes. Pure geometry, in viewport coordinates, so that
// every layout can be tested without a browser and the per-frame cost stays a few
// rectangle comparisons.
//
// The rule: the panel never covers the text anyone is writing, nor the rows above it
// (title bar, recipients, subject). It goes beside its compose window when a column there
// is free of every message body and every other compose window; otherwise the window gets
// a small pill on its own edge (its toolbar row, else its title bar), and the panel opens
// from the pill into the largest free space outside every message body and header. When
// there is no such space (a full-screen or popped-out window fills the screen), the
// window's body makes room: it gives up a column at its end (or, too narrow for that, a
// band at its bottom) while the panel is open, and the panel sits there, beside the text.

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
/** An opened panel shorter than this, where the body could make room, makes room instead. */
const OPEN_WORTH_HEIGHT = 240;
/** How many pixels of panel height keeping clear of every compose window is worth. */
const CLEAR_BONUS = 250;
/** The pill keeps clear of the window's last toolbar button (Gmail's discard icon). */
const PILL_INSET = 56;
/** What a body keeps when it makes room for the panel: lines still worth writing in. */
const ROOM_MIN_BODY_WIDTH = 360;
const ROOM_MIN_BODY_HEIGHT = 140;

/** Room a body gives up for its panel: a column at its end, or a band at its bottom. */
export interface Room {
  side: 'end' | 'bottom';
  /** Pixels, the gap to the panel included. */
  size: number;
}

export interface PlacementInput {
  viewport: { width: number; height: number };
  /** The visible part of this compose window. */
  compose: Box;
  /** The visible part of this window's message body (as laid out, with any room given). */
  body: Box;
  /** Every other compose window's visible body: never covered. */
  bodies: readonly Box[];
  /**
   * Every other compose window's header (title bar, recipients, subject: from the window's
   * top to its body's top): never covered by an opened panel.
   */
  heads?: readonly Box[];
  /** Every other compose window: avoided when there is any other place. */
  windows: readonly Box[];
  /** The open panel's height with nothing cut (its content, header included). */
  panelHeight: number;
  pill: { width: number; height: number };
  /** The user opened the panel from the pill. */
  open: boolean;
  /** A right-to-left Gmail: the Send button is at the right of the toolbar. */
  rtl?: boolean;
  /** The window has a title bar above its header (a popup or full-screen dialog). */
  titled?: boolean;
  /** The room this window's body gives up now (made on an earlier frame), if any. */
  room?: Room | null;
}

export interface Placement {
  mode: 'beside' | 'docked';
  /** Null when docked and closed. */
  panel: Box | null;
  /** Only when docked; null when even the pill has no free place (the window is tiny). */
  pill: Box | null;
  /** The room the body should give up for the panel; null: none. */
  room: Room | null;
}

export function place(input: PlacementInput): Placement {
  // Decide on the body as it is without our room, so that the room, once made, does not
  // change the decision that made it.
  const natural = { ...input, body: withoutRoom(input.body, input.room ?? null, !!input.rtl) };
  const beside = besideSlot(natural);
  if (beside) return { mode: 'beside', panel: beside, pill: null, room: null };
  const pill = pillSlot(natural);
  if (!input.open) return { mode: 'docked', pill, panel: null, room: null };
  const outside = openSlot(natural);
  if (outside && height(outside) >= Math.min(input.panelHeight, OPEN_WORTH_HEIGHT)) return { mode: 'docked', pill, panel: outside, room: null };
  const made = roomSlot(natural);
  if (made) return { mode: 'docked', pill, ...made };
  return { mode: 'docked', pill, panel: outside, room: null };
}

/** The body's box as it was before it gave up `room`. */
export function withoutRoom(body: Box, room: Room | null, rtl: boolean): Box {
  if (!room) return body;
  if (room.side === 'bottom') return { ...body, bottom: body.bottom + room.size };
  return rtl ? { ...body, left: body.left - room.size } : { ...body, right: body.right + room.size };
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

/** This window's header: its title bar, recipient rows and subject, above its body. */
function ownHead(input: PlacementInput): Box {
  return { left: input.compose.left, top: input.compose.top, right: input.compose.right, bottom: Math.max(input.compose.top, input.body.top) };
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
  const obstacles = [input.body, ...input.bodies, ...(input.heads ?? []), ...input.windows];
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

/**
 * The toolbar row under the body, else the title bar above it (a popup's; an inline
 * reply's header is its recipients), else outside the left edge.
 */
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
  if (input.titled && body.top - compose.top >= pill.height + 4) {
    const top = compose.top + 2;
    candidates.push({ left, right: left + pill.width, top, bottom: top + pill.height });
  }
  const top = compose.bottom - pill.height - MARGIN;
  candidates.push({ left: compose.left - pill.width - 4, right: compose.left - 4, top, bottom: top + pill.height });
  const fits = (c: Box) => c.left >= 0 && c.right <= input.viewport.width && c.top >= 0 && c.bottom <= input.viewport.height;
  const bodies = [body, ...input.bodies, ...(input.heads ?? [])];
  // Clear of other windows too (a popup over an inline reply's toolbar would hide the
  // pill), else at least clear of every body and header.
  for (const obstacles of [[...bodies, ...input.windows], bodies]) {
    for (const c of candidates) if (fits(c) && !hitsAny(c, obstacles)) return c;
  }
  return null;
}

/**
 * Where a panel opened from the pill goes: of the places next to this window (above,
 * below, either side) and the viewport's edges, the one that shows most of the panel
 * without touching a body or a header, where keeping clear of every compose window
 * outweighs a somewhat taller panel.
 */
function openSlot(input: PlacementInput): Box | null {
  const { compose, viewport, body } = input;
  const width = Math.min(PANEL_MAX_WIDTH, viewport.width - 2 * MARGIN);
  const blocked = [body, ownHead(input), ...input.bodies, ...(input.heads ?? [])];
  const clampX = (left: number) => Math.min(Math.max(left, MARGIN), viewport.width - MARGIN - width);
  const lefts = [compose.right - width, compose.left, compose.left - GAP - width, compose.right + GAP, viewport.width - MARGIN - width, MARGIN].map(clampX);
  // Each anchor is a bottom edge the panel grows up from, or a top edge it hangs from.
  const anchors: { edge: number; up: boolean }[] = [
    { edge: compose.top - GAP, up: true },
    { edge: compose.bottom, up: true },
    { edge: compose.bottom + GAP, up: false },
    { edge: viewport.height - MARGIN, up: true },
  ];
  for (const b of input.bodies) anchors.push({ edge: b.top - GAP, up: true }, { edge: b.bottom + GAP, up: false });
  for (const h of input.heads ?? []) anchors.push({ edge: h.top - GAP, up: true });
  let best: Box | null = null;
  let bestScore = -1;
  for (const { edge, up } of anchors) {
    for (const left of lefts) {
      const room = up ? edge - MARGIN : viewport.height - MARGIN - edge;
      let h = Math.min(input.panelHeight, room);
      if (h < OPEN_MIN_HEIGHT) continue;
      let box = up ? { left, right: left + width, top: edge - h, bottom: edge } : { left, right: left + width, top: edge, bottom: edge + h };
      // Shrink towards the anchor until nothing blocking is touched.
      for (const b of blocked) {
        const hit = intersect(box, b);
        if (!hit) continue;
        if (up) box = { ...box, top: b.bottom + GAP };
        else box = { ...box, bottom: b.top - GAP };
      }
      h = height(box);
      if (h < OPEN_MIN_HEIGHT || hitsAny(box, blocked) || !insideViewport(box, input)) continue;
      // Clear of every window (this one's toolbar included) is worth a shorter panel.
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

/**
 * No good place outside the body: the body gives up a column at its end (the right, or
 * the left in a right-to-left Gmail) for the panel, below the subject and above the
 * toolbar, keeping lines worth writing in; too narrow for that, a band at its bottom.
 */
function roomSlot(input: PlacementInput): { panel: Box; room: Room } | null {
  const { body } = input;
  const bodyWidth = body.right - body.left;
  const bodyHeight = height(body);
  const tall = Math.min(input.panelHeight, bodyHeight);
  const candidates: { panel: Box; room: Room }[] = [];
  if (tall >= OPEN_MIN_HEIGHT) {
    for (const width of [PANEL_MAX_WIDTH, 300, PANEL_MIN_WIDTH]) {
      if (bodyWidth - width - GAP < ROOM_MIN_BODY_WIDTH) continue;
      const left = input.rtl ? body.left : body.right - width;
      candidates.push({ panel: { left, right: left + width, top: body.bottom - tall, bottom: body.bottom }, room: { side: 'end', size: width + GAP } });
    }
  }
  const h = Math.min(input.panelHeight, bodyHeight - ROOM_MIN_BODY_HEIGHT - GAP);
  if (h >= OPEN_MIN_HEIGHT) {
    const width = Math.min(PANEL_MAX_WIDTH, bodyWidth);
    const left = input.rtl ? body.left : body.right - width;
    candidates.push({ panel: { left, right: left + width, top: body.bottom - h, bottom: body.bottom }, room: { side: 'bottom', size: h + GAP } });
  }
  // Another window over this one's body (a popup over an inline reply) is avoided, its
  // body and header always.
  const blocked = [...input.bodies, ...(input.heads ?? [])];
  for (const obstacles of [[...blocked, ...input.windows], blocked]) {
    for (const c of candidates) if (insideViewport(c.panel, input) && !hitsAny(c.panel, obstacles)) return c;
  }
  return null;
}
