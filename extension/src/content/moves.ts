// Knowing when a compose window moves on screen without changing size (another window
// opened beside it, the message above an inline reply grew) with no timer polling its
// position. Sizes are the ResizeObserver's; scrolls come as scroll events; this is the
// rest.
//
// How: an IntersectionObserver whose root is the viewport shrunk, by a negative root
// margin, to exactly the element's box as the layout last measured it. While the element
// stays put it fills that root (or the same part of it, when a scroll area cuts it); once
// it moves by a pixel the visible fraction changes and Chromium calls back, in a task of
// its own. The callback reads nothing (reading geometry there could force a layout): it
// asks for a layout, and the layout, which measures the window anyway, arms the watch
// again around the new box.

import type { Box } from './geometry';
import { guarded } from './guard';

export class MoveWatch {
  private observer: IntersectionObserver | null = null;
  private armed: Box | null = null;

  constructor(
    private readonly el: Element,
    private readonly moved: () => void,
  ) {}

  /** Watches for the element leaving `box` (its box now, measured by the caller). */
  arm(box: Box | null, viewport: { width: number; height: number }): void {
    const a = this.armed;
    if (a && box && a.left === box.left && a.top === box.top && a.right === box.right && a.bottom === box.bottom) return;
    this.stop();
    this.armed = box;
    // Hidden (a minimized or closed window): the size observer reports its return.
    if (!box || box.right <= box.left || box.bottom <= box.top) return;
    const margin = `${-Math.floor(box.top)}px ${-Math.floor(viewport.width - box.right)}px ${-Math.floor(viewport.height - box.bottom)}px ${-Math.floor(box.left)}px`;
    this.observe(margin, 1);
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.armed = null;
  }

  private observe(margin: string, threshold: number): void {
    let first = true;
    const observer = new IntersectionObserver(
      guarded('moves', (entries: IntersectionObserverEntry[]) => {
        if (observer !== this.observer) return;
        const ratio = entries[entries.length - 1]?.intersectionRatio ?? 0;
        if (first) {
          first = false;
          if (Math.abs(ratio - threshold) < 1e-3) return;
          // A scroll area cuts the window: settle on the fraction seen now. Nothing seen
          // (it moved before the observer started): unwatched until the next layout arms
          // it again, rather than a layout on every frame.
          observer.disconnect();
          if (ratio > 0) this.observe(margin, ratio);
          else this.stop();
          return;
        }
        this.moveSeen();
      }),
      { rootMargin: margin, threshold },
    );
    this.observer = observer;
    observer.observe(this.el);
  }

  private moveSeen(): void {
    this.stop();
    this.moved();
  }
}
