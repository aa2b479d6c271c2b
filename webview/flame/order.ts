/**
 * Sibling order of a flame tree, pure. The tree comes heaviest child first ("left heavy", as
 * speedscope calls it, so the widest stacks line up on the left); by name, siblings are drawn in
 * alphabetical order (as pprof's web flame graph does), so the same function sits in the same
 * place across profiles and sample types. Only the x offsets (start) change: node indices, and
 * so selection, search and hit testing, stay as they are. Also: a tree without its root, for the
 * sandwich, whose trees start at the function.
 */
import type { FlameData } from '../../src/shared/flame';

export type SiblingOrder = 'heavy' | 'name';

const byName = new WeakMap<FlameData, FlameData>();

/** The tree laid out with siblings in `order` (memoised per tree). */
export function ordered(d: FlameData, order: SiblingOrder): FlameData {
  if (order === 'heavy') return d;
  let o = byName.get(d);
  if (!o) byName.set(d, (o = { ...d, start: nameStarts(d) }));
  return o;
}

function nameStarts(d: FlameData): Float64Array {
  const n = d.nodeName.length;
  const start = new Float64Array(n);
  const name = (i: number) => (d.nodeName[i]! < 0 ? '' : d.names[d.nodeName[i]!]!);
  const kids: number[] = [];
  for (let p = 0; p < n; p++) {
    if (d.subtree[p]! <= 1) continue;
    kids.length = 0;
    for (let c = p + 1; c < p + d.subtree[p]!; c += d.subtree[c]!) kids.push(c);
    if (kids.length > 1) kids.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a - b));
    let x = start[p]!;
    for (const c of kids) {
      start[c] = x;
      x += d.weight[c]!;
    }
  }
  return start;
}

/** The subtree of node 1 (the root's only child) as a tree of its own: node 0 is then that node. */
export function withoutRoot(d: FlameData): FlameData {
  const n = d.nodeName.length;
  if (n < 2) return d;
  const cut = <T extends ArrayLike<number>>(a: T): T =>
    (ArrayBuffer.isView(a)
      ? (a as unknown as Int32Array).subarray(1)
      : Array.prototype.slice.call(a, 1)) as unknown as T;
  const depth = new Int32Array(n - 1);
  for (let i = 1; i < n; i++) depth[i - 1] = d.depth[i]! - 1;
  const start = new Float64Array(n - 1);
  const s1 = d.start[1]!;
  for (let i = 1; i < n; i++) start[i - 1] = d.start[i]! - s1;
  return {
    ...d,
    nodeName: cut(d.nodeName),
    nodeFile: cut(d.nodeFile),
    nodeLine: cut(d.nodeLine),
    depth,
    inlined: cut(d.inlined),
    start,
    weight: cut(d.weight),
    total: cut(d.total),
    self: cut(d.self),
    subtree: cut(d.subtree),
    maxDepth: Math.max(0, d.maxDepth - 1),
  };
}
