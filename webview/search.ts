/**
 * Flame graph search, pure: the pattern was tested once per distinct function name, as a Go
 * regexp in the worker (goSearch.ts, src/core/nameSearch.ts); one pass over the preorder columns
 * marks the matching nodes and sums the matched share, counting each sample once (a match inside
 * a matched subtree adds nothing). Linear in the number of nodes: ~2 ms for 300k nodes.
 */
import type { FlameData } from '../src/shared/flame';

export interface SearchResult {
  /** 1 for each matching node. */
  readonly highlight: Uint8Array;
  readonly frames: number;
  /** Sum of the totals of the outermost matching nodes (signed). */
  readonly matched: number;
}

/** Marks the nodes whose name matched (nameHit[k] = 1 for names[k]) and sums the matched share. */
export function searchByNames(d: FlameData, nameHit: Uint8Array): SearchResult {
  const N = d.nodeName.length;
  const highlight = new Uint8Array(N);
  let frames = 0;
  let matched = 0;
  // end of the outermost matched subtree the walk is in (0: none)
  let inside = 0;
  for (let i = 1; i < N; i++) {
    const nm = d.nodeName[i]!;
    if (nm < 0 || nameHit[nm] !== 1) continue;
    highlight[i] = 1;
    frames++;
    if (i >= inside) {
      matched += d.total[i]!;
      inside = i + d.subtree[i]!;
    }
  }
  return { highlight, frames, matched };
}

/**
 * The matched total to show: the tree's own sum, unless the tree is cut (a first-paint or capped
 * tree, limits set) or inverted (its light leaves left out), where frames are missing from it;
 * then the worker's sum over the whole view (pprof -focus's total) when it has one.
 */
export function shownMatched(d: FlameData, inverted: boolean, tree: number, view: number | undefined): number {
  return view !== undefined && (d.limits !== undefined || inverted) ? view : tree;
}
