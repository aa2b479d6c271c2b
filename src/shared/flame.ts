/**
 * Helpers over the flame graph's tree (FlameData, defined with the protocol in ./protocol):
 * node counts, ancestor paths in the preorder layout, and a plain-JSON form for scripts.
 */
import type { FlameData, FlameLimits, PackedFlame } from './protocol';

export type { FlameData, FlameLimits, PackedFlame };

export function nodeCount(d: FlameData): number {
  return d.nodeName.length;
}

/** The ancestors of node i, root first, i last. */
export function pathTo(d: FlameData, i: number): number[] {
  const out = [i];
  let depth = d.depth[i]!;
  for (let j = i - 1; j >= 0 && depth > 0; j--) {
    if (d.depth[j] === depth - 1 && j + d.subtree[j]! > i) {
      out.push(j);
      depth--;
    }
  }
  return out.reverse();
}

/** The parent of node i, or -1 for the root. */
export function parentOf(d: FlameData, i: number): number {
  const p = pathTo(d, i);
  return p.length > 1 ? p[p.length - 2]! : -1;
}

/** The columns as plain arrays (JSON.stringify writes typed arrays as objects): for `--json` output. */
export function flameToPlain(d: FlameData): FlameData {
  const a = (x: ArrayLike<number>) => Array.from(x);
  return {
    ...d,
    nodeName: a(d.nodeName),
    nodeFile: a(d.nodeFile),
    nodeLine: a(d.nodeLine),
    depth: a(d.depth),
    inlined: a(d.inlined),
    start: a(d.start),
    weight: a(d.weight),
    total: a(d.total),
    self: a(d.self),
    subtree: a(d.subtree),
  };
}

/** The typed-array buffers of a FlameData, for a postMessage transfer list (plain arrays have none). */
export function flameBuffers(d: FlameData): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of [
    d.nodeName,
    d.nodeFile,
    d.nodeLine,
    d.depth,
    d.inlined,
    d.start,
    d.weight,
    d.total,
    d.self,
    d.subtree,
  ]) {
    if (ArrayBuffer.isView(c) && c.buffer instanceof ArrayBuffer && !out.includes(c.buffer)) out.push(c.buffer);
  }
  return out;
}

/** The narrowest unsigned integer array for values in [0, max]. */
function narrow(n: number, max: number): Uint16Array | Uint32Array {
  return max < 65536 ? new Uint16Array(n) : new Uint32Array(n);
}

/** FlameData → the compact wire form (see PackedFlame). */
export function packFlame(d: FlameData): PackedFlame {
  const n = d.nodeName.length;
  const name = narrow(n, d.names.length + 1);
  const file = narrow(n, d.files.length + 1);
  let maxLine = 0;
  for (let i = 0; i < n; i++) if (d.nodeLine[i]! > maxLine) maxLine = d.nodeLine[i]!;
  const line = narrow(n, maxLine);
  const subtree = new Uint32Array(n);
  const weight = new Float64Array(n);
  const inlined = new Uint8Array(n);
  let signed = false;
  for (let i = 0; i < n; i++) {
    name[i] = d.nodeName[i]! + 1;
    file[i] = d.nodeFile[i]! + 1;
    line[i] = Math.max(0, d.nodeLine[i]!);
    subtree[i] = d.subtree[i]!;
    weight[i] = d.weight[i]!;
    inlined[i] = d.inlined[i]!;
    if (d.total[i] !== d.weight[i]) signed = true;
  }
  return {
    packed: 1,
    names: d.names,
    files: d.files,
    name,
    file,
    line,
    subtree,
    weight,
    inlined,
    ...(signed ? { total: Float64Array.from(d.total) } : {}),
    maxDepth: d.maxDepth,
    reportTotal: d.reportTotal,
    ...(d.limits ? { limits: d.limits } : {}),
  };
}

export function isPackedFlame(x: FlameData | PackedFlame): x is PackedFlame {
  return (x as PackedFlame).packed === 1;
}

/** The wire form back to FlameData: depth and start from the preorder, self = total − children's totals. */
export function unpackFlame(p: PackedFlame): FlameData {
  const n = p.subtree.length;
  const nodeName = new Int32Array(n);
  const nodeFile = new Int32Array(n);
  const depth = new Int32Array(n);
  const start = new Float64Array(n);
  const total = p.total && p.total.length === n ? p.total : p.weight;
  const self = new Float64Array(n);
  // Walk the preorder with a stack of open ancestors: [node, end of its subtree, next child's start].
  const stNode = new Int32Array(p.maxDepth + 2);
  const stNext = new Float64Array(p.maxDepth + 2);
  let sp = 0;
  for (let i = 0; i < n; i++) {
    nodeName[i] = p.name[i]! - 1;
    nodeFile[i] = p.file[i]! - 1;
    while (sp > 0 && i >= stNode[sp - 1]! + p.subtree[stNode[sp - 1]!]!) sp--;
    self[i] = total[i]!;
    if (sp > 0) {
      const par = stNode[sp - 1]!;
      start[i] = stNext[sp - 1]!;
      stNext[sp - 1] = start[i]! + p.weight[i]!;
      self[par] = self[par]! - total[i]!;
    }
    depth[i] = sp;
    if (sp < stNode.length) {
      stNode[sp] = i;
      stNext[sp] = start[i]!;
      sp++;
    }
  }
  return {
    names: p.names,
    files: p.files,
    nodeName,
    nodeFile,
    nodeLine: p.line,
    depth,
    inlined: p.inlined,
    start,
    weight: p.weight,
    total,
    self,
    subtree: p.subtree,
    maxDepth: p.maxDepth,
    reportTotal: p.reportTotal,
    ...(p.limits ? { limits: p.limits } : {}),
  };
}

/**
 * The panel's first tree, painted while the whole one is on its way (issue 9: first paint): the
 * heaviest maxNodes frames and the top table's first topLimit rows, its names and files tables cut
 * to what those frames name (compactTables), so that the message, its decoding in the workbench
 * and the page's unpacking stay small on a profile of ~10,000 functions.
 */
export const FIRST_PAINT = { maxNodes: 4000, topLimit: 300 } as const;

/** The same tree with names and files holding only what its nodes name, in first-use order. */
export function compactTables(d: FlameData): FlameData {
  const cut = (idx: ArrayLike<number>, table: readonly string[]) => {
    const to = new Int32Array(table.length).fill(-1);
    const kept: string[] = [];
    const col = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      const k = idx[i]!;
      if (k < 0 || k >= table.length) col[i] = -1;
      else {
        if (to[k] === -1) to[k] = kept.push(table[k]!) - 1;
        col[i] = to[k]!;
      }
    }
    return { col, kept };
  };
  const n = cut(d.nodeName, d.names);
  const f = cut(d.nodeFile, d.files);
  return { ...d, names: n.kept, files: f.kept, nodeName: n.col, nodeFile: f.col };
}
