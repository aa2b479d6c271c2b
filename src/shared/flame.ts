/**
 * Helpers over the flame graph's tree (FlameData, defined with the protocol in ./protocol):
 * node counts, ancestor paths in the preorder layout, and a plain-JSON form for scripts.
 */
import type { FlameData, FlameLimits } from './protocol';

export type { FlameData, FlameLimits };

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
    nodeName: a(d.nodeName), nodeFile: a(d.nodeFile), nodeLine: a(d.nodeLine), depth: a(d.depth), inlined: a(d.inlined),
    start: a(d.start), weight: a(d.weight), total: a(d.total), self: a(d.self), subtree: a(d.subtree),
  };
}

/** The typed-array buffers of a FlameData, for a postMessage transfer list (plain arrays have none). */
export function flameBuffers(d: FlameData): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of [d.nodeName, d.nodeFile, d.nodeLine, d.depth, d.inlined, d.start, d.weight, d.total, d.self, d.subtree]) {
    if (ArrayBuffer.isView(c) && c.buffer instanceof ArrayBuffer && !out.includes(c.buffer)) out.push(c.buffer);
  }
  return out;
}
