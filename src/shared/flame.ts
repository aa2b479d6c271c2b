/**
 * Helpers over the flame graph's tree (FlameData, defined with the protocol in ./protocol):
 * node counts and ancestor paths in the preorder layout.
 */
import type { FlameData } from './protocol';

export type { FlameData };

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
