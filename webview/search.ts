/**
 * Flame graph search, pure: the pattern is tested once per distinct function name (not per
 * node), then one pass over the preorder columns marks the matching nodes and sums the matched
 * share, counting each sample once (a match inside a matched subtree adds nothing). Linear in the
 * number of nodes with no regexp in the loop: ~2 ms for 300k nodes.
 */
import type { FlameData } from '../src/shared/flame';

export interface SearchResult {
  /** 1 for each matching node. */
  readonly highlight: Uint8Array;
  readonly frames: number;
  /** Sum of the totals of the outermost matching nodes (signed). */
  readonly matched: number;
}

/** The user's text as a regexp; text that is not a valid regexp is searched literally. */
export function searchPattern(q: string): RegExp {
  try {
    return new RegExp(q);
  } catch {
    return new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}

export function searchFlame(d: FlameData, rx: RegExp): SearchResult {
  const nameHit = new Uint8Array(d.names.length);
  for (let k = 0; k < d.names.length; k++) {
    rx.lastIndex = 0;
    if (rx.test(d.names[k]!)) nameHit[k] = 1;
  }
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
