/**
 * Flame graph layout, pure: which frames are visible for a zoom root and a width, and where.
 * Positions are computed in value space (FlameData.start/weight) and scaled to pixels; frames
 * narrower than minWidth pixels are culled with their whole subtree, so the work is proportional
 * to what is drawn, not to the size of the tree.
 */
import { type FlameData, pathTo } from '../../src/shared/flame';

export type Orientation = 'icicle' | 'flame';

export interface LayoutOptions {
  /** The node whose subtree fills the width (0: the root). */
  zoom: number;
  width: number;
  rowHeight: number;
  orientation: Orientation;
  /** Frames narrower than this many pixels are not laid out. Default 0.5. */
  minWidth?: number;
}

export interface Boxes {
  readonly count: number;
  readonly node: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly w: Float32Array;
  /** Height of the laid-out graph in pixels. */
  readonly height: number;
  /** Nodes above the zoom root (drawn full width, dimmed). */
  readonly ancestors: number;
}

export function layout(d: FlameData, o: LayoutOptions): Boxes {
  const zoom = o.zoom >= 0 && o.zoom < d.nodeName.length ? o.zoom : 0;
  const minW = o.minWidth ?? 0.5;
  const zStart = d.start[zoom]!;
  const zWeight = d.weight[zoom]! || 1;
  const scale = o.width / zWeight;
  const anc = pathTo(d, zoom).slice(0, -1);
  const end = zoom + d.subtree[zoom]!;
  // Upper bound: every node of the subtree and the ancestors.
  const cap = Math.min(d.nodeName.length, d.subtree[zoom]! + anc.length);
  const node = new Int32Array(cap);
  const x = new Float32Array(cap);
  const w = new Float32Array(cap);
  const depth = new Int32Array(cap);
  let n = 0;
  let maxDepth = 0;
  for (const a of anc) {
    node[n] = a;
    x[n] = 0;
    w[n] = o.width;
    depth[n] = d.depth[a]!;
    n++;
  }
  for (let i = zoom; i < end;) {
    const wi = d.weight[i]! * scale;
    if (wi < minW) {
      i += d.subtree[i]!;
      continue;
    }
    node[n] = i;
    x[n] = (d.start[i]! - zStart) * scale;
    w[n] = wi;
    const di = d.depth[i]!;
    depth[n] = di;
    if (di > maxDepth) maxDepth = di;
    n++;
    i++;
  }
  if (anc.length > 0 && maxDepth < anc.length) maxDepth = anc.length;
  const rows = maxDepth + 1;
  const y = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    y[k] = o.orientation === 'icicle' ? depth[k]! * o.rowHeight : (rows - 1 - depth[k]!) * o.rowHeight;
  }
  return {
    count: n,
    node: node.subarray(0, n),
    x: x.subarray(0, n),
    y,
    w: w.subarray(0, n),
    height: rows * o.rowHeight,
    ancestors: anc.length,
  };
}

/** The laid-out box under a point, or -1. */
export function hitTest(b: Boxes, px: number, py: number, rowHeight: number): number {
  for (let k = b.count - 1; k >= 0; k--) {
    if (py >= b.y[k]! && py < b.y[k]! + rowHeight && px >= b.x[k]! && px < b.x[k]! + b.w[k]!) return k;
  }
  return -1;
}
