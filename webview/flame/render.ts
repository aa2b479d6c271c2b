/**
 * Draws laid-out boxes on a Canvas2D: rectangles batched by colour (one path per colour), then
 * labels clipped with an ellipsis where they fit. devicePixelRatio aware. The only DOM this file
 * touches is the canvas; profile names are drawn as canvas text, never parsed as HTML.
 */
import type { FlameData } from '../../src/shared/flame';
import { diffColor, frameColor, isLight, kindOf, textColor, type Theme } from './colors';
import type { Boxes } from './layout';

export interface RenderOptions {
  rowHeight: number;
  theme: Theme;
  modules: readonly string[];
  /** Signed values: colour by growth / shrink. */
  diff: boolean;
  /** Nodes to emphasize (search matches); others dimmed when the set is not empty. */
  highlight?: Uint8Array;
  selected?: number;
  font: string;
  /**
   * The tree's y (CSS px) drawn at the canvas's top: a tall graph is drawn through a canvas the
   * size of its scroll area (graph.ts), so its pixels, allocation and upload cost what is in view,
   * not the tree's height. Boxes outside [top, top + canvas height) are skipped. Default 0.
   */
  top?: number;
}

/** A node's function name; the root (no function) is "all". */
export function nameOf(d: FlameData, i: number): string {
  const nm = d.nodeName[i]!;
  return nm < 0 ? 'all' : (d.names[nm] ?? '?');
}

export function render(ctx: CanvasRenderingContext2D, d: FlameData, b: Boxes, o: RenderOptions): void {
  const dpr = ctx.canvas.width / Math.max(1, ctx.canvas.clientWidth || ctx.canvas.width);
  const top = o.top ?? 0;
  const bottom = top + ctx.canvas.height / dpr;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  // Left set for drawCursor and the callers: the tree's coordinates, shifted by top.
  ctx.setTransform(dpr, 0, 0, dpr, 0, -top * dpr);
  const h = o.rowHeight - 1;
  const inView = (y: number) => y + o.rowHeight > top && y < bottom;
  const colorCache = new Map<number, string>();
  let maxAbs = 0;
  if (o.diff)
    for (let k = 0; k < b.count; k++)
      maxAbs = Math.max(maxAbs, Math.abs(d.self[b.node[k]!]!), Math.abs(d.total[b.node[k]!]!) / 4);
  const colorOf = (i: number): string => {
    if (o.diff) return diffColor(d.total[i]!, maxAbs || 1, o.theme);
    const nm = d.nodeName[i]!;
    let c = colorCache.get(nm);
    if (c === undefined) {
      const name = nameOf(d, i);
      c = frameColor(nm < 0 ? 'other' : kindOf(name, o.modules), name, o.theme);
      colorCache.set(nm, c);
    }
    return c;
  };
  const dimmed = o.highlight && o.highlight.includes(1);
  // Rectangles batched by colour (one path and one fill per colour). Runs of adjacent frames
  // narrower than MERGE px on a row become one rectangle in the colour of the run's first frame:
  // at that size single frames are not readable anyway, and it keeps a redraw of 100k visible
  // frames within a frame's budget. Boxes come in preorder, so each row's boxes are left to right.
  const MERGE = 2;
  const batches = new Map<string, number[]>();
  const add = (c: string, x: number, y: number, w: number) => {
    let list = batches.get(c);
    if (!list) batches.set(c, (list = []));
    list.push(x, y, w);
  };
  const rows = Math.round(b.height / o.rowHeight) + 1;
  const runStart = new Float64Array(rows).fill(-1);
  const runEnd = new Float64Array(rows);
  const runColor: string[] = new Array<string>(rows).fill('');
  const flush = (r: number) => {
    if (runStart[r]! < 0) return;
    add(runColor[r]!, runStart[r]!, r * o.rowHeight, runEnd[r]! - runStart[r]! + 0.5);
    runStart[r] = -1;
  };
  const dimColor = isLight(o.theme) ? '#e6e6e6' : '#3a3a3a';
  for (let k = 0; k < b.count; k++) {
    if (!inView(b.y[k]!)) continue;
    const i = b.node[k]!;
    const c = dimmed && !o.highlight![i] ? dimColor : colorOf(i);
    const x = b.x[k]!;
    const w = b.w[k]!;
    if (w >= MERGE) {
      add(c, x, b.y[k]!, w);
      continue;
    }
    const r = Math.round(b.y[k]! / o.rowHeight);
    if (runStart[r]! >= 0 && x <= runEnd[r]! + 0.01) {
      if (x + w > runEnd[r]!) runEnd[r] = x + w;
    } else {
      flush(r);
      runStart[r] = x;
      runEnd[r] = x + w;
      runColor[r] = c;
    }
  }
  for (let r = 0; r < rows; r++) flush(r);
  // Rectangles on whole device pixels with a 1 px gap between neighbours: written straight into
  // the canvas's pixels (one putImageData) when the canvas is small enough, as tens of thousands
  // of fillRect calls cost more than a frame; else (and for translucent colours) axis-aligned
  // fillRects, the rasterizer's fast path.
  const img = pixelsFor(ctx);
  if (img) {
    // Each row's first scanline, then copied down the row (all its boxes span the same lines).
    const W = img.width;
    const H = img.height;
    const px = new Uint32Array(img.data.buffer);
    const bandEnd = new Int32Array(H);
    for (const [c, list] of batches) {
      const rgba = opaque(ctx, c);
      if (rgba === undefined) continue;
      for (let j = 0; j < list.length; j += 3) {
        const x0 = Math.max(0, Math.round(list[j]! * dpr));
        const x1 = Math.min(W, x0 + Math.max(1, Math.round((list[j]! + list[j + 2]!) * dpr) - x0 - 1));
        const y0 = Math.max(0, Math.round((list[j + 1]! - top) * dpr));
        const y1 = Math.min(H, Math.round((list[j + 1]! - top + h) * dpr));
        if (y0 >= y1 || x0 >= x1) continue;
        px.fill(rgba, y0 * W + x0, y0 * W + x1);
        if (y1 > bandEnd[y0]!) bandEnd[y0] = y1;
      }
    }
    for (let y0 = 0; y0 < H; y0++) for (let y = y0 + 1; y < bandEnd[y0]!; y++) px.copyWithin(y * W, y0 * W, y0 * W + W);
    ctx.putImageData(img, 0, 0);
  }
  for (const [c, list] of batches) {
    if (img && opaque(ctx, c) !== undefined) continue;
    ctx.fillStyle = c;
    for (let j = 0; j < list.length; j += 3) {
      const x0 = Math.round(list[j]! * dpr);
      const x1 = Math.round((list[j]! + list[j + 2]!) * dpr);
      ctx.fillRect(x0 / dpr, list[j + 1]!, Math.max(1, x1 - x0 - 1) / dpr, h);
    }
  }
  if (b.ancestors > 0) {
    ctx.fillStyle = isLight(o.theme) ? 'rgba(255,255,255,0.45)' : 'rgba(0,0,0,0.35)';
    for (let k = 0; k < b.ancestors; k++) ctx.fillRect(b.x[k]!, b.y[k]!, b.w[k]!, h);
  }
  if (o.selected !== undefined && o.selected >= 0) {
    for (let k = 0; k < b.count; k++) {
      if (b.node[k] !== o.selected) continue;
      ctx.strokeStyle = isLight(o.theme) ? '#000' : '#fff';
      ctx.lineWidth = 2;
      ctx.strokeRect(b.x[k]! + 1, b.y[k]! + 1, Math.max(1, b.w[k]! - 2), h - 2);
    }
  }
  // Labels where at least a few characters fit.
  ctx.font = o.font;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = textColor(o.theme);
  const charW = ctx.measureText('m').width || 7;
  for (let k = 0; k < b.count; k++) {
    const w = b.w[k]!;
    if (w < charW * 3 + 6 || !inView(b.y[k]!)) continue;
    const i = b.node[k]!;
    const full = nameOf(d, i);
    const fit = Math.floor((w - 6) / charW);
    // Too long: drop the import path first ("example.com/x/work.Fib" -> "work.Fib"), then ellipsize.
    const name =
      full.length <= fit
        ? full
        : full.slice(full.lastIndexOf('/', full.indexOf('(') >= 0 ? full.indexOf('(') : full.length) + 1);
    const label = name.length <= fit ? name : `${name.slice(0, Math.max(1, fit - 1))}…`;
    ctx.fillText(label, b.x[k]! + 3, b.y[k]! + h / 2 + 0.5);
  }
}

/** Canvases up to this many device pixels are painted through their pixels (putImageData). */
const MAX_PIXELS = 12_000_000;
const pixelCache = new WeakMap<HTMLCanvasElement, ImageData>();

/** A cleared ImageData the size of the canvas (reused between redraws), or undefined when too big. */
function pixelsFor(ctx: CanvasRenderingContext2D): ImageData | undefined {
  const c = ctx.canvas;
  if (c.width * c.height > MAX_PIXELS || c.width === 0 || c.height === 0) return undefined;
  let img = pixelCache.get(c);
  if (!img || img.width !== c.width || img.height !== c.height) {
    img = ctx.createImageData(c.width, c.height);
    pixelCache.set(c, img);
  } else new Uint32Array(img.data.buffer).fill(0);
  return img;
}

const opaqueCache = new Map<string, number | undefined>();

/** A CSS colour as a little-endian RGBA pixel when it is opaque (#rrggbb), else undefined. */
function opaque(ctx: CanvasRenderingContext2D, c: string): number | undefined {
  if (opaqueCache.has(c)) return opaqueCache.get(c);
  ctx.fillStyle = '#000000';
  ctx.fillStyle = c;
  const norm = String(ctx.fillStyle);
  let v: number | undefined;
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(norm);
  if (m) v = ((0xff << 24) | (parseInt(m[3]!, 16) << 16) | (parseInt(m[2]!, 16) << 8) | parseInt(m[1]!, 16)) >>> 0;
  if (opaqueCache.size > 4096) opaqueCache.clear();
  opaqueCache.set(c, v);
  return v;
}
