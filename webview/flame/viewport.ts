/**
 * A tall flame graph drawn through a window: the canvas is the size of its scroll area and sticks
 * to the area's top (panel.css), a spacer under it gives the area the tree's height, and each
 * scroll redraws the rows scrolled to. A canvas the tree's height cost a new backing store of
 * that many pixels at each new view (30–50 ms for 1,400 × 1,400 px in Chromium's software
 * canvas) and drew rows nobody saw.
 */
import { el } from '../dom';

export class TreeViewport {
  readonly area: HTMLDivElement;
  private readonly spacer = el('div', { className: 'flame-space' });
  /** The top the canvas was last drawn at (a scroll to it, e.g. set before drawing, draws nothing new). */
  drawnTop = -1;

  constructor(
    readonly canvas: HTMLCanvasElement,
    area: { id?: string; className?: string },
    onScroll: () => void,
  ) {
    this.area = el('div', area, canvas, this.spacer);
    this.area.addEventListener(
      'scroll',
      () => {
        if (this.area.scrollTop !== this.drawnTop) onScroll();
      },
      { passive: true },
    );
  }

  /** The tree's y (CSS px) at the canvas's top edge: how far the area is scrolled. */
  get top(): number {
    return this.area.scrollTop;
  }

  /** The top to draw at now; recorded as drawn. */
  drawTop(): number {
    return (this.drawnTop = this.area.scrollTop);
  }

  /**
   * Sizes the canvas for a tree `height` px tall drawn `width` px wide: as tall as the area shows
   * of it (the area is as tall as the tree up to its CSS max-height). The backing store changes
   * only when that size does.
   */
  fit(width: number, height: number): void {
    const c = this.canvas;
    // The area's content is the tree's height whatever the canvas's: then its height is what shows.
    this.spacer.style.height = `${Math.max(0, height - (parseFloat(c.style.height) || 0))}px`;
    const shown = Math.min(height, this.area.clientHeight || height);
    this.spacer.style.height = `${height - shown}px`;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(width * dpr) || c.height !== Math.round(shown * dpr)) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(shown * dpr);
      c.style.width = `${width}px`;
      c.style.height = `${shown}px`;
    }
  }

  /** Empties the canvas (no tree). */
  clear(): void {
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.canvas.style.height = '0px';
    this.spacer.style.height = '0px';
  }

  /** Scrolls the area so that the row at tree y `y` (rowHeight tall) is in view. */
  reveal(y: number, rowHeight: number): void {
    const a = this.area;
    if (y < a.scrollTop) a.scrollTop = y;
    else if (y + rowHeight > a.scrollTop + a.clientHeight) a.scrollTop = y + rowHeight - a.clientHeight;
  }

  /** Scrolls the area to the tree's bottom (a flame-oriented tree's root row). */
  toBottom(): void {
    this.area.scrollTop = this.area.scrollHeight;
  }
}
