/**
 * Builds the flame graph's merged call tree from a profile: every sample's stack, root first, is
 * a path in a trie whose nodes are frames (function and file; inlined frames are nodes of their
 * own, as in pprof's flame graph). A node's total is the sum of the samples through it, its self
 * the sum of those ending at it. Children are ordered heaviest first. With `reverse`, stacks are
 * walked leaf first, giving the bottom-up (callers) tree.
 *
 * Work and memory are bounded, because frames × depth is nearly free to encode: a sample expands
 * to at most `maxFramesPerSample` frames (the rest of its stack, towards the leaf, is cut and its
 * value stays on the last frame kept), the trie holds at most `maxTreeNodes` nodes (a sample that
 * needs a new node past that stops where it is), and the result keeps the `maxNodes` heaviest
 * nodes (a node is never lighter than its parent, so the heaviest nodes form a tree). Everything
 * lives in typed arrays of bounded size: no JavaScript array grows with the input, so a hostile
 * profile ends in `limits` with a message, never in a V8 fatal "invalid size" abort of the
 * process (which a worker's resourceLimits cannot catch). The result's numeric columns are typed
 * arrays whose buffers can be transferred between threads.
 */
import type { FlameData, FlameLimits } from '../shared/flame';
import { cleanPath } from './graph';
import type { Profile } from './model';
import { reportTotal } from './report';
import { stacksOf } from './stacks';

export type { FlameData, FlameLimits };

export interface FlameOptions {
  sampleIndex: number;
  /** Drop nodes lighter than this share of the root's weight (with their subtrees). Default 0. */
  minShare?: number;
  /**
   * Bottom-up ("reverse", pprof's -tree of callers): the root's children are the leaf frames and
   * a node's children are its callers. A node's self is then the value of the stacks that start
   * at it. Default false.
   */
  reverse?: boolean;
  /** Frames (locations × inline frames) expanded per sample. Default DEFAULT_FLAME_LIMITS. */
  maxFramesPerSample?: number;
  /** Nodes of the merged tree while it is built. Default DEFAULT_FLAME_LIMITS. */
  maxTreeNodes?: number;
  /**
   * Frames walked in total (over distinct stacks); past it, stacks are not expanded further and
   * their value stays where the walk stopped. Default DEFAULT_FLAME_LIMITS.
   */
  maxSteps?: number;
  /** Nodes in the result (root included): the heaviest are kept. Default: no limit beyond maxTreeNodes. */
  maxNodes?: number;
}

/**
 * Limits that real Go profiles stay far below (Go records at most 128 frames per stack before
 * inlining; a 30 MB heap profile of 717k samples makes a tree of about a million nodes).
 */
export const DEFAULT_FLAME_LIMITS = {
  maxFramesPerSample: 4096,
  maxTreeNodes: 2_000_000,
  maxSteps: 30_000_000,
} as const;

/**
 * Per-node values are kept for every sample type (nodes × sample types cells of 36 bytes): the
 * node limit shrinks for profiles with many sample types so that the trie stays under ~300 MB.
 */
const MAX_CELLS = 8_000_000;

/**
 * The panel's limit: every frame wider than a pixel down to a 100× zoom on a 30 MB profile, and a
 * message small enough (~2.5 MB packed) that VS Code's webview channel never stalls the window.
 */
export const PANEL_MAX_NODES = 120_000;

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Growable typed column with a hard capacity. */
function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/**
 * The merged call tree of a profile for every sample type at once: node n's parent, frame and
 * inlined flag, and per sample type t its total, |value| weight, self and source line at
 * [n * T + t]. Built once per profile (and direction); flameOf() reads it.
 */
export interface FlameTrie {
  readonly T: number;
  readonly reverse: boolean;
  readonly nodes: number;
  readonly parent: Int32Array;
  readonly nodeName: Int32Array;
  readonly nodeFile: Int32Array;
  readonly inlined: Uint8Array;
  readonly total: Float64Array;
  readonly weight: Float64Array;
  readonly self: Float64Array;
  readonly line: Int32Array;
  readonly names: readonly string[];
  readonly files: readonly string[];
  readonly reportTotals: readonly number[];
  readonly frames: number;
  readonly samplesCutDepth: number;
  readonly samplesCutNodes: number;
  readonly samplesCutWork: number;
  readonly maxSampleFrames: number;
  readonly maxFramesPerSample: number;
  readonly maxTreeNodes: number;
}

export function buildFlame(p: Profile, o: FlameOptions): FlameData {
  return flameOf(flameTrie(p, o), o);
}

export function flameTrie(p: Profile, o: Omit<FlameOptions, 'sampleIndex' | 'minShare' | 'maxNodes'> = {}): FlameTrie {
  const T = p.sampleTypes.length;
  const rev = o.reverse === true;
  const maxFrames = Math.max(1, o.maxFramesPerSample ?? DEFAULT_FLAME_LIMITS.maxFramesPerSample);
  const maxTree = Math.max(
    2,
    Math.min(o.maxTreeNodes ?? DEFAULT_FLAME_LIMITS.maxTreeNodes, Math.floor(MAX_CELLS / Math.max(1, T))),
  );
  let steps = Math.max(1, o.maxSteps ?? DEFAULT_FLAME_LIMITS.maxSteps);
  // Frame keys: function name + file, interned once per function (not per location).
  const names: string[] = [];
  const nameIdx = new Map<string, number>();
  const files: string[] = [];
  const fileIdx = new Map<string, number>();
  const intern = (tab: string[], idx: Map<string, number>, s: string) => {
    let i = idx.get(s);
    if (i === undefined) {
      i = tab.length;
      tab.push(s);
      idx.set(s, i);
    }
    return i;
  };
  const frameKey = new Map<string, number>();
  const frameName: number[] = [];
  const frameFile: number[] = [];
  const frameOf = (name: string, file: string): number => {
    const key = `${name}\u0000${file}`;
    let f = frameKey.get(key);
    if (f === undefined) {
      f = frameName.length;
      frameName.push(intern(names, nameIdx, name));
      frameFile.push(file === '' ? -1 : intern(files, fileIdx, file));
      frameKey.set(key, f);
    }
    return f;
  };
  const funcFrame = new Int32Array(p.functions.length).fill(-1);
  const addrFrame = new Map<number, number>();
  const frameOfAddress = (a: number) => {
    let f = addrFrame.get(a);
    if (f === undefined) addrFrame.set(a, (f = frameOf(`0x${a.toString(16)}`, '')));
    return f;
  };
  // Per location: its frames outermost first (frames lfStart[l] .. lfStart[l+1]), with lines;
  // every frame after a location's outermost one was inlined into the frame before it.
  const L = p.locations.length;
  const lfStart = new Float64Array(L + 1);
  for (let l = 0; l < L; l++) lfStart[l + 1] = lfStart[l]! + Math.max(1, p.locations[l]!.lines.length);
  const lfFrame = new Int32Array(lfStart[L]!);
  const lfLine = new Int32Array(lfStart[L]!);
  for (let l = 0; l < L; l++) {
    const loc = p.locations[l]!;
    const base = lfStart[l]!;
    const n = loc.lines.length;
    if (n === 0) {
      lfFrame[base] = frameOfAddress(loc.address);
      continue;
    }
    for (let k = 0; k < n; k++) {
      const ln = loc.lines[n - 1 - k]!; // outermost first
      const fi = ln.func;
      let f: number;
      if (fi >= 0 && fi < p.functions.length) {
        f = funcFrame[fi]!;
        if (f < 0) {
          const fn = p.functions[fi]!;
          f = funcFrame[fi] =
            fn.name || fn.systemName
              ? frameOf(fn.name || fn.systemName, fn.file ? cleanPath(fn.file) : '')
              : frameOfAddress(loc.address);
        }
      } else f = frameOfAddress(loc.address);
      lfFrame[base + k] = f;
      lfLine[base + k] = ln.line;
    }
  }

  // Samples with the same stack merged first: uniq[u] is stack u's entry in the stack table, with
  // the summed values (uv) and |values| (uw) per sample type.
  const { values, locStart: stackStart, stackLocs, count } = p.samples;
  const stacks = stacksOf(p);
  const U = stacks.count;
  const uniq = stacks.table;
  const uniqOf = stacks.of;
  const uv = stacks.sums;
  const uw = new Float64Array(U * T);
  for (let s = 0; s < count; s++) {
    const u = uniqOf[s]!;
    for (let t = 0; t < T; t++) uw[u * T + t] = uw[u * T + t]! + Math.abs(values[s * T + t]!);
  }

  // The trie, built with parent pointers; (parent, frame) -> child in an open-addressing hash
  // table of typed arrays. Columns grow by doubling up to maxTree.
  let cap = 1 << 12;
  let hNode = new Int32Array(cap).fill(-1);
  let hFrame = new Int32Array(cap);
  let hVal = new Int32Array(cap);
  const slot = (node: number, frame: number, mask: number, keys: Int32Array, frames: Int32Array): number => {
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(frame + 1, 0x85ebca77)) & mask;
    while (keys[h] !== -1 && (keys[h] !== node || frames[h] !== frame)) h = (h + 1) & mask;
    return h;
  };
  const rehash = () => {
    const oldN = hNode,
      oldF = hFrame,
      oldV = hVal;
    cap *= 2;
    hNode = new Int32Array(cap).fill(-1);
    hFrame = new Int32Array(cap);
    hVal = new Int32Array(cap);
    for (let i = 0; i < oldN.length; i++) {
      if (oldN[i] === -1) continue;
      const h = slot(oldN[i]!, oldF[i]!, cap - 1, hNode, hFrame);
      hNode[h] = oldN[i]!;
      hFrame[h] = oldF[i]!;
      hVal[h] = oldV[i]!;
    }
  };
  let tCap = 1 << 12;
  let tParent = new Int32Array(tCap);
  let tFrame = new Int32Array(tCap);
  let tInl = new Uint8Array(tCap);
  let tTotal = new Float64Array(tCap * T);
  let tWeight = new Float64Array(tCap * T);
  let tSelf = new Float64Array(tCap * T);
  let tLine = new Int32Array(tCap * T);
  let tLineW = new Float64Array(tCap * T);
  // A second candidate line per node (weighted Misra-Gries with two counters): a node's line is the
  // line of its function with the most weight through this frame (Names → its sort.Slice call at
  // 1.62s, not the line of its heaviest single stack); exact while a frame has at most two lines,
  // and a line with over a third of the frame's weight is always found.
  let tLine2 = new Int32Array(tCap * T);
  let tLineW2 = new Float64Array(tCap * T);
  tParent[0] = -1;
  tFrame[0] = -1;
  let N = 1;
  let framesTotal = 0;
  let samplesCutDepth = 0;
  let samplesCutNodes = 0;
  let samplesCutWork = 0;
  let maxSampleFrames = 0;
  const mult = new Float64Array(U); // samples per unique stack, for the frame count
  for (let s = 0; s < count; s++) mult[uniqOf[s]!]!++;
  for (let u = 0; u < U; u++) {
    const s = uniq[u]!;
    let any = false;
    for (let t = 0; t < T; t++) if (uv[u * T + t] !== 0 || uw[u * T + t] !== 0) any = true;
    if (!any) continue;
    for (let t = 0; t < T; t++) {
      tTotal[t] = tTotal[t]! + uv[u * T + t]!;
      tWeight[t] = tWeight[t]! + uw[u * T + t]!;
    }
    let node = 0;
    const first = stackStart[s]!;
    const last = stackStart[s + 1]! - 1;
    const n = last - first + 1;
    let frames = 0;
    for (let kk = 0; kk < n; kk++) frames += lfStart[stackLocs[first + kk]! + 1]! - lfStart[stackLocs[first + kk]!]!;
    framesTotal += frames * mult[u]!;
    if (frames > maxSampleFrames) maxSampleFrames = frames;
    let budget = frames > maxFrames ? maxFrames : frames;
    if (frames > maxFrames) samplesCutDepth += mult[u]!;
    if (budget > steps) {
      budget = steps;
      samplesCutWork += mult[u]!;
    }
    steps -= budget;
    let full = false;
    walk: for (let kk = 0; kk < n; kk++) {
      // Root first: from the stack's last (outermost) location; reversed: from its leaf.
      const loc = stackLocs[rev ? first + kk : last - kk]!;
      const b0 = lfStart[loc]!;
      const nf = lfStart[loc + 1]! - b0;
      for (let jj = 0; jj < nf; jj++) {
        if (budget-- <= 0) break walk;
        const j = b0 + (rev ? nf - 1 - jj : jj);
        const fr = lfFrame[j]!;
        let h = slot(node, fr, cap - 1, hNode, hFrame);
        let c: number;
        if (hNode[h] !== -1) c = hVal[h]!;
        else {
          if (N >= maxTree) {
            full = true;
            break walk;
          }
          if (2 * N > cap) {
            rehash();
            h = slot(node, fr, cap - 1, hNode, hFrame);
          }
          if (N >= tCap) {
            tCap = Math.min(maxTree, tCap * 2);
            tParent = grow(tParent, tCap);
            tFrame = grow(tFrame, tCap);
            tInl = grow(tInl, tCap);
            tTotal = grow(tTotal, tCap * T);
            tWeight = grow(tWeight, tCap * T);
            tSelf = grow(tSelf, tCap * T);
            tLine = grow(tLine, tCap * T);
            tLineW = grow(tLineW, tCap * T);
            tLine2 = grow(tLine2, tCap * T);
            tLineW2 = grow(tLineW2, tCap * T);
          }
          c = N++;
          hNode[h] = node;
          hFrame[h] = fr;
          hVal[h] = c;
          tParent[c] = node;
          tFrame[c] = fr;
          // Outermost-first order: a location's frames after its first are inlined into the one before.
          tInl[c] = (rev ? jj < nf - 1 : jj > 0) ? 1 : 0;
          for (let t = 0; t < T; t++) tLine[c * T + t] = lfLine[j]!;
        }
        for (let t = 0; t < T; t++) {
          const w = uw[u * T + t]!;
          tTotal[c * T + t] = tTotal[c * T + t]! + uv[u * T + t]!;
          tWeight[c * T + t] = tWeight[c * T + t]! + w;
          if (w > 0) {
            const k = c * T + t;
            const L = lfLine[j]!;
            if (tLine[k] === L) tLineW[k] = tLineW[k]! + w;
            else if (tLine2[k] === L) tLineW2[k] = tLineW2[k]! + w;
            else if (tLineW[k]! <= 0) {
              tLine[k] = L;
              tLineW[k] = w;
            } else if (tLineW2[k]! <= 0) {
              tLine2[k] = L;
              tLineW2[k] = w;
            } else {
              // A third line: every counter loses the smallest weight; what is left of it takes a free one.
              const m = Math.min(tLineW[k]!, tLineW2[k]!, w);
              tLineW[k] = tLineW[k]! - m;
              tLineW2[k] = tLineW2[k]! - m;
              if (w > m) {
                if (tLineW[k]! <= 0) {
                  tLine[k] = L;
                  tLineW[k] = w - m;
                } else {
                  tLine2[k] = L;
                  tLineW2[k] = w - m;
                }
              }
            }
          }
        }
        node = c;
      }
    }
    if (full) samplesCutNodes += mult[u]!;
    for (let t = 0; t < T; t++) tSelf[node * T + t] = tSelf[node * T + t]! + uv[u * T + t]!;
  }
  for (let k = 0; k < N * T; k++) if (tLineW2[k]! > tLineW[k]!) tLine[k] = tLine2[k]!;
  const nodeName = new Int32Array(N);
  const nodeFile = new Int32Array(N);
  nodeName[0] = -1;
  nodeFile[0] = -1;
  for (let i = 1; i < N; i++) {
    nodeName[i] = frameName[tFrame[i]!]!;
    nodeFile[i] = frameFile[tFrame[i]!]!;
  }
  return {
    T,
    reverse: rev,
    nodes: N,
    parent: tParent.slice(0, N),
    nodeName,
    nodeFile,
    inlined: tInl.slice(0, N),
    total: tTotal.slice(0, N * T),
    weight: tWeight.slice(0, N * T),
    self: tSelf.slice(0, N * T),
    line: tLine.slice(0, N * T),
    names,
    files,
    reportTotals: p.sampleTypes.map((_, t) => reportTotal(p, t)),
    frames: framesTotal,
    samplesCutDepth,
    samplesCutNodes,
    samplesCutWork,
    maxSampleFrames,
    maxFramesPerSample: maxFrames,
    maxTreeNodes: maxTree,
  };
}

/**
 * One sample type's flame tree from the merged trie: heaviest children first, preorder, capped.
 *
 * Each pass over the trie's nodes is a small function of its own (a kernel with one loop): flameOf
 * runs once per tree, so V8 optimises its loops on stack (OSR) while they run, and one big
 * function with a dozen loops was compiled a dozen times over (each compile of the whole rest of
 * it, up to 40 ms, and a deopt at the next loop whose code had not run yet): 200–400 ms for the
 * first tree of a new trie, against ~15 ms once compiled. A kernel is compiled once, small, and is
 * shared by every caller.
 */
export function flameOf(tr: FlameTrie, o: Pick<FlameOptions, 'sampleIndex' | 'minShare' | 'maxNodes'>): FlameData {
  const T = tr.T;
  const si = o.sampleIndex;
  const N = tr.nodes;
  // This sample type's weight column, read once (strided reads of tr.weight are slow to sort by);
  // a trie of one sample type's (filterTrie's, the sandwich's) is read as it is.
  const w = T === 1 && si === 0 ? tr.weight : column(tr.weight, T, si, N);
  const minW = (o.minShare ?? 0) * w[0]!;
  // The candidates (non-zero, not below minShare), and every node with a weight (the limits' count).
  const counts = countWeights(w, N, minW);
  const candidates = counts[0]!;
  const treeNodes = counts[1]! + 1;
  // The node cap keeps nodes heavier than the weight of the first one left out (found by
  // selection, not by sorting every weight).
  let capW = -1;
  let ties = Infinity; // nodes as heavy as capW still admitted (in preorder, heaviest subtrees first)
  const maxNodes = o.maxNodes !== undefined ? Math.max(1, o.maxNodes) : Infinity;
  if (candidates + 1 > maxNodes) {
    const ws = candidateWeights(w, N, minW, candidates);
    capW = kthSmallest(ws, candidates - (maxNodes - 1) - 1); // the heaviest weight left out
    ties = maxNodes - 1 - countAbove(ws, capW);
  }
  const lowW = capW < 0 ? minW : Math.max(minW, capW);
  const { kidStart, kid } = childLists(w, tr.parent, N, lowW);
  sortChildren(w, kidStart, kid, N);
  // Preorder walk with an explicit stack; subtree sizes summed bottom-up afterwards.
  // (at most maxNodes: the walk's stack holds only nodes it keeps)
  const M0 = Math.min(N, candidates + 1, maxNodes);
  const out = preorder(tr, si, w, kidStart, kid, capW, ties, M0);
  const M = out.M;
  const oSub = subtreeSizes(out.parent, M);
  const cut = <A extends Int32Array | Float64Array | Uint8Array>(a: A): A =>
    a.length === M ? a : (a.slice(0, M) as A);

  let limits: FlameLimits | undefined;
  if (tr.samplesCutDepth > 0 || tr.samplesCutNodes > 0 || tr.samplesCutWork > 0 || M < treeNodes) {
    const why: string[] = [];
    if (tr.samplesCutDepth > 0)
      why.push(
        `${fmtInt(tr.samplesCutDepth)} stacks cut at ${fmtInt(tr.maxFramesPerSample)} frames (deepest: ${fmtInt(tr.maxSampleFrames)})`,
      );
    if (tr.samplesCutNodes > 0)
      why.push(
        `the tree stopped at ${fmtInt(tr.maxTreeNodes)} nodes (${fmtInt(tr.samplesCutNodes)} samples end early)`,
      );
    if (tr.samplesCutWork > 0) why.push(`${fmtInt(tr.samplesCutWork)} samples not expanded past the work limit`);
    const big = tr.samplesCutDepth > 0 || tr.samplesCutNodes > 0 || tr.samplesCutWork > 0;
    const message = big
      ? `Profile too large for the flame graph: ${fmtInt(tr.frames)} frames; showing the top ${fmtInt(M)} nodes (${why.join('; ')}).`
      : `Showing the heaviest ${fmtInt(M)} of ${fmtInt(treeNodes)} frames; lighter ones are left out (the gaps under their callers).`;
    limits = {
      frames: tr.frames,
      treeNodes,
      shown: M,
      samplesCutDepth: tr.samplesCutDepth,
      samplesCutNodes: tr.samplesCutNodes + tr.samplesCutWork,
      maxSampleFrames: tr.maxSampleFrames,
      message,
    };
  }
  return {
    names: tr.names,
    files: tr.files,
    nodeName: cut(out.name),
    nodeFile: cut(out.file),
    nodeLine: cut(out.line),
    depth: cut(out.depth),
    inlined: cut(out.inl),
    start: cut(out.start),
    weight: cut(out.weight),
    total: cut(out.total),
    self: cut(out.self),
    subtree: oSub,
    maxDepth: out.maxDepth,
    reportTotal: tr.reportTotals[si] ?? 0,
    ...(limits ? { limits } : {}),
  };
}

/** Column t of a node × T table. */
function column(a: Float64Array, T: number, t: number, N: number): Float64Array {
  const o = new Float64Array(N);
  for (let i = 0, j = t; i < N; i++, j += T) o[i] = a[j]!;
  return o;
}

/** flameOf's counts: [the nodes but the root with w > 0 and w >= minW, those with w > 0]. */
function countWeights(w: Float64Array, N: number, minW: number): Int32Array {
  let candidates = 0;
  let positive = 0;
  for (let i = 1; i < N; i++) {
    const x = w[i]!;
    if (x > 0) {
      positive++;
      if (x >= minW) candidates++;
    }
  }
  const r = new Int32Array(2);
  r[0] = candidates;
  r[1] = positive;
  return r;
}

/** The candidates' weights (flameOf), in node order. */
function candidateWeights(w: Float64Array, N: number, minW: number, candidates: number): Float64Array {
  const ws = new Float64Array(candidates);
  let k = 0;
  for (let i = 1; i < N; i++) {
    const x = w[i]!;
    if (x > 0 && x >= minW) ws[k++] = x;
  }
  return ws;
}

function countAbove(ws: Float64Array, capW: number): number {
  let above = 0;
  for (let i = 0; i < ws.length; i++) if (ws[i]! > capW) above++;
  return above;
}

/**
 * Children lists (CSR: kids of n are kid[kidStart[n] .. kidStart[n+1])) of the nodes that may be
 * kept (w > 0, w >= lowW), in node order.
 */
function childLists(
  w: Float64Array,
  parent: Int32Array,
  N: number,
  lowW: number,
): { kidStart: Uint32Array; kid: Uint32Array } {
  const kidStart = new Uint32Array(N + 1);
  let K = 0;
  for (let i = 1; i < N; i++) {
    const x = w[i]!;
    if (x > 0 && x >= lowW) {
      kidStart[parent[i]! + 1]!++;
      K++;
    }
  }
  for (let i = 0; i < N; i++) kidStart[i + 1]! += kidStart[i]!;
  const kid = new Uint32Array(K);
  const fill = kidStart.slice(0, N);
  for (let i = 1; i < N; i++) {
    const x = w[i]!;
    if (x > 0 && x >= lowW) kid[fill[parent[i]!]!++] = i;
  }
  return { kidStart, kid };
}

/** Each children list heaviest first, ties in node order. */
function sortChildren(w: Float64Array, kidStart: Uint32Array, kid: Uint32Array, N: number): void {
  const byWeight = (x: number, y: number) => w[y]! - w[x]! || x - y;
  for (let n = 0; n < N; n++) {
    const a = kidStart[n]!;
    const b = kidStart[n + 1]!;
    if (b - a > 24) kid.subarray(a, b).sort(byWeight);
    else
      for (let i = a + 1; i < b; i++) {
        // Insertion sort: most nodes have a few children. Ties keep node order (kids are ascending).
        const c = kid[i]!;
        const wc = w[c]!;
        let j = i - 1;
        while (j >= a && w[kid[j]!]! < wc) {
          kid[j + 1] = kid[j]!;
          j--;
        }
        kid[j + 1] = c;
      }
  }
}

/** flameOf's nodes in preorder (at most M0): the tree's columns, and each node's parent. */
interface Preorder {
  M: number;
  maxDepth: number;
  name: Int32Array;
  file: Int32Array;
  line: Int32Array;
  depth: Int32Array;
  inl: Uint8Array;
  start: Float64Array;
  weight: Float64Array;
  total: Float64Array;
  self: Float64Array;
  parent: Int32Array;
}

/**
 * The walk from the root (an explicit stack) over the children lists: a child is kept when heavier
 * than capW, or as heavy and `ties` are left (in preorder, heaviest subtrees first).
 */
function preorder(
  tr: FlameTrie,
  si: number,
  w: Float64Array,
  kidStart: Uint32Array,
  kid: Uint32Array,
  capW: number,
  ties: number,
  M0: number,
): Preorder {
  const T = tr.T;
  const oName = new Int32Array(M0);
  const oFile = new Int32Array(M0);
  const oLine = new Int32Array(M0);
  const oDepth = new Int32Array(M0);
  const oInl = new Uint8Array(M0);
  const oStart = new Float64Array(M0);
  const oWeight = new Float64Array(M0);
  const oTotal = new Float64Array(M0);
  const oSelf = new Float64Array(M0);
  const oParent = new Int32Array(M0);
  const sNode = new Int32Array(M0);
  const sDepth = new Int32Array(M0);
  const sStart = new Float64Array(M0);
  const sParent = new Int32Array(M0);
  sNode[0] = 0;
  sDepth[0] = 0;
  sStart[0] = 0;
  sParent[0] = -1;
  let sp = 1;
  let M = 0;
  let maxDepth = 0;
  // The trie's columns as locals: a filtered trie (filterTrie) is another object shape, and
  // property loads in this loop would then go polymorphic (slow).
  const { nodeName, nodeFile, line, inlined, total, self } = tr;
  while (sp > 0) {
    sp--;
    const n = sNode[sp]!;
    const d = sDepth[sp]!;
    const st = sStart[sp]!;
    const idx = M++;
    oName[idx] = nodeName[n]!;
    oFile[idx] = nodeFile[n]!;
    oLine[idx] = n === 0 ? 0 : line[n * T + si]!;
    oDepth[idx] = d;
    oInl[idx] = inlined[n]!;
    oStart[idx] = st;
    oWeight[idx] = w[n]!;
    oTotal[idx] = total[n * T + si]!;
    oSelf[idx] = self[n * T + si]!;
    oParent[idx] = sParent[sp]!;
    if (d > maxDepth) maxDepth = d;
    // Kept children, left to right from the node's left edge; pushed right to left so that the
    // heaviest is visited first.
    let x = st;
    const k0 = kidStart[n]!;
    const k1 = kidStart[n + 1]!;
    let kept = 0;
    for (let k = k0; k < k1; k++) {
      const c = kid[k]!;
      const wc = w[c]!;
      if (wc > capW || (wc === capW && ties-- > 0)) {
        kid[k0 + kept++] = c;
        sStart[sp + kept - 1] = x; // provisional slot, reversed below
        x += wc;
      }
    }
    for (let k = 0; k < kept; k++) {
      sNode[sp + k] = kid[k0 + kept - 1 - k]!;
      sDepth[sp + k] = d + 1;
      sParent[sp + k] = idx;
    }
    for (let lo = sp, hi = sp + kept - 1; lo < hi; lo++, hi--) {
      const t = sStart[lo]!;
      sStart[lo] = sStart[hi]!;
      sStart[hi] = t;
    }
    sp += kept;
  }
  return {
    M,
    maxDepth,
    name: oName,
    file: oFile,
    line: oLine,
    depth: oDepth,
    inl: oInl,
    start: oStart,
    weight: oWeight,
    total: oTotal,
    self: oSelf,
    parent: oParent,
  };
}

/** Each preorder node's subtree size (itself included), summed bottom-up. */
function subtreeSizes(parent: Int32Array, M: number): Int32Array {
  const sub = new Int32Array(M).fill(1);
  for (let i = M - 1; i > 0; i--) sub[parent[i]!]! += sub[i]!;
  return sub;
}

/**
 * Frames flagged for pprof's name filters, by the trie's name index (tr.names): a frame's name
 * matches the filter's regexp. See filterTrie.
 */
export interface TrieFilterSets {
  focus?: Uint8Array;
  ignore?: Uint8Array;
  hide?: Uint8Array;
  showFrom?: Uint8Array;
  /**
   * Collapse recursion (the panel's own transform, no pprof flag): a frame of a flagged name
   * whose caller is the same frame (name and file) is merged into it, as -hide merges a frame.
   */
  collapse?: Uint8Array;
}

/**
 * The merged trie of the samples as pprof's -focus, -ignore, -hide and -show_from leave them, from
 * the trie of all of them, in O(nodes × columns) instead of a rebuild from the samples: a trie
 * path is a set of stacks with the same frames, so what a filter does to a stack depends only on
 * the frames on its path.
 *   - focus / ignore: a node keeps the stacks ending at it when its path has a focused frame (if
 *     `focus`) and no ignored one (if `ignore`), judged on the frames before -hide removes any (as
 *     pprof's FilterSamplesByName does).
 *   - hide: a hidden frame's node is merged into its caller's (its children become the caller's,
 *     merged with those of the same frame); a stack whose every frame is hidden is dropped.
 *   - showFrom: the frames above the outermost matching (not hidden) frame are dropped, so that
 *     frame becomes a root frame; a stack without one is dropped (pprof's ShowFrom). And, as
 *     pprof cuts a matching Location's Lines outer to its outermost matching one off the Location
 *     itself, at every depth a frame inlined into others above it in its location (the `inlined`
 *     chain up to a not inlined frame) drops those others when it matches and they do not: its
 *     node moves up to their caller's (a recursion through an inlined function loses its outer
 *     function at every depth, not only above the outermost match).
 *   - collapse: a flagged frame called by the same frame (after hide) is merged into its caller
 *     as hide merges it: the caller's children and self take in its own (core/transforms
 *     collapseRecursion's tree, from the trie: see collapseTrie).
 * A node's own stacks' |value| weight is its weight minus its children's; totals and weights are
 * then summed bottom-up. Without hide, showFrom and collapse the nodes are the same as tr's. `columns` picks
 * the sample types kept (the result's T is their count; the panel asks for the one it shows):
 * default all of them. A merged node's line is its heaviest part's.
 */
export function filterTrie(tr: FlameTrie, sets: TrieFilterSets, columns?: readonly number[]): FlameTrie {
  const T = tr.T;
  const N = tr.nodes;
  const cols = columns ?? Array.from({ length: T }, (_, t) => t);
  const C = cols.length;
  const { parent, nodeName, nodeFile, inlined, self, weight, line } = tr;
  const { focus, ignore, hide, showFrom } = sets;
  // Per node: 1 when its path has a focused frame, 2 when it has an ignored one (parents first).
  // (Each pass a one-loop kernel, as flameOf's: this runs once per filter, and is compiled by OSR.)
  const state = focus || ignore ? pathState(parent, nodeName, N, focus, ignore) : new Uint8Array(N);
  const keeps = (n: number) => (!focus || (state[n]! & 1) !== 0) && (state[n]! & 2) === 0;
  // Each node's own stacks (self, and |value| weight: its weight minus its children's), when kept.
  const ownOf = () => ownWeights(weight, parent, T, cols, N);
  const reduce = (a: Float64Array) => (T === C && columns === undefined ? a.slice() : pick(a, T, cols, N));
  if (!hide && !showFrom && !sets.collapse) {
    const own = ownOf();
    const oSelf = reduce(self);
    const oTotal = new Float64Array(N * C);
    const oWeight = new Float64Array(N * C);
    keptOwn(state, focus !== undefined, own, oSelf, oTotal, oWeight, C, N);
    sumUp(parent, oTotal, oWeight, C, N);
    const out = compactTrie(tr, {
      T: C,
      nodes: N,
      parent,
      nodeName,
      nodeFile,
      inlined,
      total: oTotal,
      weight: oWeight,
      self: oSelf,
      line: C === T && columns === undefined ? line : pickInt(line, T, cols, N),
      reportTotals: cols.map((t) => tr.reportTotals[t]!),
    });
    // The same nodes: the recursion flags of the table carry over.
    const sh = shadowCache.get(tr);
    if (sh && out.nodes === N) shadowCache.set(out, sh);
    return out;
  }

  const mn = mergeNodes(tr, sets);
  const M = mn.M;
  // A node moved up (a show_from cut inside a location below the outermost match) takes its
  // stacks out of the nodes it left: their rows no longer hold, the values are summed again.
  const o =
    focus || ignore || mn.moved
      ? keptColumns(tr, mn, cols, keeps, ownOf())
      : mergedColumns(tr, mn, cols, columns === undefined && C === T, !hide && !showFrom);
  const out = compactTrie(tr, {
    T: C,
    nodes: M,
    parent: mn.parent.subarray(0, M),
    nodeName: mn.name.subarray(0, M),
    nodeFile: mn.file.subarray(0, M),
    inlined: mn.inl.subarray(0, M),
    ...o,
    reportTotals: cols.map((t) => tr.reportTotals[t]!),
  });
  // A collapse keeps the names above each node (less repeats): a node's recursion flag is that
  // of its first member.
  const sh = shadowCache.get(tr);
  if (sh && !hide && !showFrom && out.nodes === M) {
    shadowCache.set(out, gather(sh, mn.first, M));
  }
  return out;
}

/** filterTrie's path flags: 1 when a node's path has a focused frame, 2 when it has an ignored one. */
function pathState(
  parent: Int32Array,
  nodeName: Int32Array,
  N: number,
  focus: Uint8Array | undefined,
  ignore: Uint8Array | undefined,
): Uint8Array {
  const state = new Uint8Array(N);
  for (let n = 1; n < N; n++) {
    const nm = nodeName[n]!;
    let st = state[parent[n]!]!;
    if (focus && nm >= 0 && focus[nm]) st |= 1;
    if (ignore && nm >= 0 && ignore[nm]) st |= 2;
    state[n] = st;
  }
  return state;
}

/** Each node's own |value| weight in columns `cols` (its weight less its children's), node × C. */
function ownWeights(
  weight: Float64Array,
  parent: Int32Array,
  T: number,
  cols: readonly number[],
  N: number,
): Float64Array {
  const C = cols.length;
  const own = C === 1 ? column(weight, T, cols[0]!, N) : pick(weight, T, cols, N);
  for (let n = N - 1; n > 0; n--) {
    const pc = parent[n]! * C;
    for (let c = 0; c < C; c++) own[pc + c] = own[pc + c]! - weight[n * T + cols[c]!]!;
  }
  return own;
}

/**
 * filterTrie's values before they are summed up (focus and ignore alone): a node's own stacks
 * (self in oSelf, own weight) when it keeps them, else nothing.
 */
function keptOwn(
  state: Uint8Array,
  hasFocus: boolean,
  own: Float64Array,
  oSelf: Float64Array,
  oTotal: Float64Array,
  oWeight: Float64Array,
  C: number,
  N: number,
): void {
  for (let n = 0; n < N; n++) {
    const st = state[n]!;
    const k = (!hasFocus || (st & 1) !== 0) && (st & 2) === 0;
    for (let i = n * C, e = i + C; i < e; i++) {
      if (!k) oSelf[i] = 0;
      oTotal[i] = oSelf[i]!;
      oWeight[i] = k ? own[i]! : 0;
    }
  }
}

/** Totals and weights summed bottom-up (children have larger indices than their parents: one pass). */
function sumUp(parent: Int32Array, total: Float64Array, weight: Float64Array, C: number, N: number): void {
  for (let n = N - 1; n > 0; n--) {
    const pc = parent[n]! * C;
    const nc = n * C;
    for (let c = 0; c < C; c++) {
      total[pc + c] = total[pc + c]! + total[nc + c]!;
      weight[pc + c] = weight[pc + c]! + weight[nc + c]!;
    }
  }
}

/**
 * filterTrie's new nodes with hide, show_from or collapse: map[n] is trie node n's new node (-1:
 * dropped), parents first. A new node is one trie node (its first member) until another is
 * merged into it (hidden, collapsed, or a child of such a member with the frame of one of its
 * children: `shared`, and those members in `extra`, in node order; a show_from frame moved up
 * out of its location makes its new parent shared too). Only the children of shared nodes are
 * looked up by (new parent, name, file) in an open-addressing table: a collapse or a hide shares
 * a few nodes, and every other node is mapped without a lookup.
 */
interface MergedNodes {
  M: number;
  /** Whether a show_from frame moved out of its location's outer frames below the outermost match. */
  moved: boolean;
  map: Int32Array;
  first: Int32Array;
  shared: Uint8Array;
  extra: Int32Array;
  extras: number;
  parent: Int32Array;
  name: Int32Array;
  file: Int32Array;
  inl: Uint8Array;
}

function mergeNodes(tr: FlameTrie, sets: TrieFilterSets): MergedNodes {
  const N = tr.nodes;
  const { parent, nodeName, nodeFile, inlined } = tr;
  const { hide, showFrom, collapse } = sets;
  const map = new Int32Array(N);
  const active = new Uint8Array(N); // below (or at) the outermost show_from frame
  active[0] = showFrom ? 0 : 1;
  const ht = new ChildTable();
  const mParent = new Int32Array(N);
  const mName = new Int32Array(N);
  const mFile = new Int32Array(N);
  const mInl = new Uint8Array(N);
  const first = new Int32Array(N);
  const extra = new Int32Array(N);
  let X = 0;
  // The new nodes' children (first child, next sibling), and which nodes are shared.
  const kid = new Int32Array(N).fill(-1);
  const next = new Int32Array(N);
  const shared = new Uint8Array(N);
  mParent[0] = -1;
  mName[0] = -1;
  mFile[0] = -1;
  // Under show_from the root's children come from every inactive node's.
  shared[0] = showFrom ? 1 : 0;
  let M = 1;
  // A frame inlined into a hidden (or collapsed) one is inlined into what that was inlined into,
  // or is its location's outermost frame now; the outermost show_from frame is its location's
  // outermost.
  const inl = new Uint8Array(N);
  const merged = new Uint8Array(N); // hidden, or collapsed into its caller
  // show_from inside a location (pprof's filterShowFromLocation keeps a matching Location's Lines
  // up to its outermost matching one): a location's frames are a not inlined node and the inlined
  // chain below it. locTop[n]: the new node n's location hangs from (-1: above the cut); before[n]:
  // no frame of n's location from its outermost to n matches (they all go if one below does).
  const locTop = showFrom ? new Int32Array(N) : undefined;
  const before = showFrom ? new Uint8Array(N) : undefined;
  let moved = false;
  map[0] = 0;
  for (let n = 1; n < N; n++) {
    const pn = parent[n]!;
    const nm = nodeName[n]!;
    const pa = active[pn]!;
    const mp = pa === 1 ? map[pn]! : -1;
    const fl = nodeFile[n]!;
    const hidden =
      nm >= 0 &&
      ((hide !== undefined && hide[nm] === 1) ||
        (collapse !== undefined && collapse[nm] === 1 && mp > 0 && mName[mp] === nm && mFile[mp] === fl));
    const matches = showFrom !== undefined && !hidden && nm >= 0 && showFrom[nm] === 1;
    const act = pa === 1 || matches;
    active[n] = act ? 1 : 0;
    merged[n] = hidden ? 1 : 0;
    inl[n] = inlined[n] === 1 ? (merged[pn] === 1 && pn > 0 ? inl[pn]! : 1) : 0;
    // The first matching frame of its location below the outermost match, with frames of that
    // location above it that are not hidden (else locTop is its parent's node already): it leaves
    // them, and becomes its location's outermost frame under their caller's node.
    let up = -1;
    if (locTop && before) {
      const inLoc = inlined[n] === 1 && pn > 0;
      locTop[n] = inLoc ? locTop[pn]! : mp;
      before[n] = (!inLoc || before[pn] === 1) && !matches ? 1 : 0;
      if (matches && inLoc && pa === 1 && before[pn] === 1 && locTop[n] !== mp) up = locTop[n]!;
    }
    if (!act) {
      map[n] = -1;
      continue;
    }
    if (hidden) {
      if (shared[mp] === 0) share(mp, shared, kid, next, ht, mName, mFile);
      map[n] = mp;
      extra[X++] = n;
      continue;
    }
    const p = up >= 0 ? up : pa === 0 ? 0 : mp;
    if (up >= 0) {
      // Its caller's node gets children from elsewhere: they are looked up (and merged) there.
      moved = true;
      inl[n] = 0;
      if (shared[p] === 0) share(p, shared, kid, next, ht, mName, mFile);
    }
    if (shared[p] === 1) {
      const c = ht.get(p, nm, fl);
      if (c >= 0) {
        if (shared[c] === 0) share(c, shared, kid, next, ht, mName, mFile);
        map[n] = c;
        extra[X++] = n;
        continue;
      }
    }
    const c = M++;
    mParent[c] = p;
    mName[c] = nm;
    mFile[c] = fl;
    mInl[c] = (p === 0 && showFrom) || up >= 0 ? 0 : inl[n]!;
    first[c] = n;
    next[c] = kid[p]!;
    kid[p] = c;
    if (shared[p] === 1) ht.set(p, nm, fl, c);
    map[n] = c;
  }
  return { M, moved, map, first, shared, extra, extras: X, parent: mParent, name: mName, file: mFile, inl: mInl };
}

/** New node m gets another member (mergeNodes): its children so far go into the table. */
function share(
  m: number,
  shared: Uint8Array,
  kid: Int32Array,
  next: Int32Array,
  ht: ChildTable,
  name: Int32Array,
  file: Int32Array,
): void {
  shared[m] = 1;
  for (let c = kid[m]!; c >= 0; c = next[c]!) ht.set(m, name[c]!, file[c]!, c);
}

/**
 * (parent, name, file) -> node, in open addressing grown by doubling: mergeNodes' children of
 * shared nodes (a few on a collapse, more on a hide).
 */
class ChildTable {
  private bits = 10;
  private n = 0;
  private key = new Int32Array(1 << 10).fill(-1);
  private name = new Int32Array(1 << 10);
  private file = new Int32Array(1 << 10);
  private val = new Int32Array(1 << 10);
  /** The node, or -1. */
  get(p: number, nm: number, fl: number): number {
    const h = this.slot(p, nm, fl);
    return this.key[h] === -1 ? -1 : this.val[h]!;
  }
  set(p: number, nm: number, fl: number, c: number): void {
    if (2 * (this.n + 1) > 1 << this.bits) this.grow();
    const h = this.slot(p, nm, fl);
    if (this.key[h] === -1) this.n++;
    this.key[h] = p;
    this.name[h] = nm;
    this.file[h] = fl;
    this.val[h] = c;
  }
  private slot(p: number, nm: number, fl: number): number {
    const mask = (1 << this.bits) - 1;
    const { key, name, file } = this;
    // Multiplicative hashing: the product's high bits (its low bits mix poorly).
    let h =
      Math.imul(p ^ Math.imul(nm + 1, 0x85ebca77) ^ Math.imul(fl + 2, 0xc2b2ae35), 0x9e3779b1) >>> (32 - this.bits);
    while (key[h] !== -1 && (key[h] !== p || name[h] !== nm || file[h] !== fl)) h = (h + 1) & mask;
    return h;
  }
  private grow(): void {
    const { key, name, file, val } = this;
    this.bits++;
    this.n = 0;
    this.key = new Int32Array(1 << this.bits).fill(-1);
    this.name = new Int32Array(1 << this.bits);
    this.file = new Int32Array(1 << this.bits);
    this.val = new Int32Array(1 << this.bits);
    for (let h = 0; h < key.length; h++) if (key[h] !== -1) this.set(key[h]!, name[h]!, file[h]!, val[h]!);
  }
}

type ValueColumns = Pick<FlameTrie, 'total' | 'weight' | 'self' | 'line'>;

/**
 * The new nodes' values when every stack is kept (no focus or ignore): a node with one member has
 * its row; a shared node's stacks are those of its top members (whose parent is not merged into
 * it: disjoint), its self is every member's, its line its heaviest member's. The root's is the
 * trie's when nothing is merged into it or dropped (`rootKept`); else its children's sum (a stack
 * whose every frame is hidden is dropped, as pprof drops it).
 */
function mergedColumns(
  tr: FlameTrie,
  mn: MergedNodes,
  cols: readonly number[],
  allColumns: boolean,
  rootKept: boolean,
): ValueColumns {
  const { T } = tr;
  const C = cols.length;
  const { M, map, first, shared, extra, extras, parent: mParent } = mn;
  const { total, weight, self, line, parent } = tr;
  const oTotal = new Float64Array(M * C);
  const oWeight = new Float64Array(M * C);
  const oSelf = new Float64Array(M * C);
  const oLine = new Int32Array(M * C);
  // Nodes of one member: their rows. (Each pass over the nodes a one-loop kernel: see flameOf.)
  oneMemberRows(tr, mn, cols, allColumns, rootKept ? 0 : 1, oTotal, oWeight, oSelf, oLine);
  // Shared nodes: their members (the first ones first: a line goes to the first of the heaviest).
  // (the heaviest member's weight so far, per shared node: numbered in sIdx)
  const sIdx = new Int32Array(M);
  const sList = sharedList(shared, M, sIdx);
  const S = sList.length;
  const lineW = new Float64Array(S * C);
  const add = (n: number, m: number, firstOne: boolean) => {
    const top = map[parent[n]!] !== m;
    for (let c = 0; c < C; c++) {
      const i = n * T + cols[c]!;
      const o = m * C + c;
      const w = weight[i]!;
      const k = sIdx[m]! * C + c;
      if (firstOne || w > lineW[k]!) {
        lineW[k] = w;
        oLine[o] = line[i]!;
      }
      oSelf[o] = oSelf[o]! + self[i]!;
      if (top) {
        oTotal[o] = oTotal[o]! + total[i]!;
        oWeight[o] = oWeight[o]! + w;
      }
    }
  };
  for (let k = 0; k < S; k++) add(first[sList[k]!]!, sList[k]!, true);
  for (let k = 0; k < extras; k++) {
    const n = extra[k]!;
    if (map[n] !== 0) add(n, map[n]!, false);
  }
  if (!rootKept) rootFromChildren(mParent, M, C, oTotal, oWeight);
  return { total: oTotal, weight: oWeight, self: oSelf, line: oLine };
}

/** mergedColumns' nodes of one member (from node `from`): their rows, a run of consecutive members at a time. */
function oneMemberRows(
  tr: FlameTrie,
  mn: MergedNodes,
  cols: readonly number[],
  allColumns: boolean,
  from: number,
  oTotal: Float64Array,
  oWeight: Float64Array,
  oSelf: Float64Array,
  oLine: Int32Array,
): void {
  const { T, total, weight, self, line } = tr;
  const C = cols.length;
  const { M, first, shared } = mn;
  for (let m = from; m < M;) {
    if (shared[m] === 1) {
      m++;
      continue;
    }
    const n0 = first[m]!;
    let e = m + 1;
    while (e < M && shared[e] === 0 && first[e] === n0 + (e - m)) e++;
    if (allColumns) {
      const a = n0 * T;
      const b = (n0 + e - m) * T;
      oTotal.set(total.subarray(a, b), m * C);
      oWeight.set(weight.subarray(a, b), m * C);
      oSelf.set(self.subarray(a, b), m * C);
      oLine.set(line.subarray(a, b), m * C);
    } else
      for (let k = m; k < e; k++)
        for (let c = 0; c < C; c++) {
          const i = (n0 + k - m) * T + cols[c]!;
          oTotal[k * C + c] = total[i]!;
          oWeight[k * C + c] = weight[i]!;
          oSelf[k * C + c] = self[i]!;
          oLine[k * C + c] = line[i]!;
        }
    m = e;
  }
}

/** The shared nodes (but the root) in order, each one's place in that list in idx. */
function sharedList(shared: Uint8Array, M: number, idx: Int32Array): Int32Array {
  let S = 0;
  for (let m = 1; m < M; m++) if (shared[m] === 1) idx[m] = S++;
  const list = new Int32Array(S);
  for (let m = 1, k = 0; m < M && k < S; m++) if (shared[m] === 1) list[k++] = m;
  return list;
}

/** The root's totals and weights: its children's sums. */
function rootFromChildren(parent: Int32Array, M: number, C: number, total: Float64Array, weight: Float64Array): void {
  for (let m = 1; m < M; m++) {
    if (parent[m] !== 0) continue;
    for (let c = 0; c < C; c++) {
      total[c] = total[c]! + total[m * C + c]!;
      weight[c] = weight[c]! + weight[m * C + c]!;
    }
  }
}

/**
 * The new nodes' values with focus or ignore: a trie node's own stacks (`own`: its |value| weight
 * less its children's, and its self) count when it keeps them, summed bottom-up; a line is its
 * heaviest member's.
 */
function keptColumns(
  tr: FlameTrie,
  mn: MergedNodes,
  cols: readonly number[],
  keeps: (n: number) => boolean,
  own: Float64Array,
): ValueColumns {
  const { T, nodes: N, weight, self, line } = tr;
  const C = cols.length;
  const { M, map, parent: mParent } = mn;
  const oSelf = new Float64Array(M * C);
  const oTotal = new Float64Array(M * C);
  const oWeight = new Float64Array(M * C);
  const oLine = new Int32Array(M * C);
  const lineW = new Float64Array(M * C).fill(-1);
  for (let n = 1; n < N; n++) {
    const m = map[n]!;
    if (m < 0) continue;
    for (let c = 0; c < C; c++) {
      const w = weight[n * T + cols[c]!]!;
      if (w > lineW[m * C + c]!) {
        lineW[m * C + c] = w;
        oLine[m * C + c] = line[n * T + cols[c]!]!;
      }
    }
    // The stacks ending here: on the root means every frame was hidden (pprof drops the sample).
    if (m === 0 || !keeps(n)) continue;
    for (let c = 0; c < C; c++) {
      oSelf[m * C + c] = oSelf[m * C + c]! + self[n * T + cols[c]!]!;
      oWeight[m * C + c] = oWeight[m * C + c]! + own[n * C + c]!;
    }
  }
  oTotal.set(oSelf);
  sumUp(mParent, oTotal, oWeight, C, M);
  return { total: oTotal, weight: oWeight, self: oSelf, line: oLine };
}

/**
 * The trie with each direct call of a listed function to itself merged into one frame (a
 * recursion F → F → F → G shows as F → G): filterTrie's collapse, node for node the trie
 * flameTrie builds from core/transforms collapseRecursion's profile (test/unit/collapseTrie), in
 * one pass over the nodes instead of a rebuild from the samples. Frames are matched by name and
 * file, as the trie has them; `names` are function names (a frame of an address or of a nameless
 * function's system name is never one: the caller checks, see worker/ops). tr unchanged (the
 * same object) when no listed function calls itself and every column is kept.
 */
export function collapseTrie(
  tr: FlameTrie,
  /** Function names, or flags by tr.names index. */
  names: readonly string[] | Uint8Array,
  columns?: readonly number[],
): FlameTrie {
  let flags = names instanceof Uint8Array ? names : undefined;
  if (!flags) {
    flags = new Uint8Array(tr.names.length);
    for (const name of names as readonly string[]) {
      const i = tr.names.indexOf(name);
      if (i >= 0) flags[i] = 1;
    }
  }
  if (columns === undefined && !callsItself(tr, flags)) return tr;
  return filterTrie(tr, { collapse: flags }, columns);
}

/** Whether a frame of a flagged name is called by the same frame somewhere in the trie. */
export function callsItself(tr: FlameTrie, flags: Uint8Array): boolean {
  const { nodeName, nodeFile, parent } = tr;
  for (let n = 1, N = tr.nodes; n < N; n++) {
    const nm = nodeName[n]!;
    const p = parent[n]!;
    if (nm >= 0 && flags[nm] === 1 && p > 0 && nodeName[p] === nm && nodeFile[p] === nodeFile[n]) return true;
  }
  return false;
}

type TrieColumns = Pick<
  FlameTrie,
  'T' | 'nodes' | 'parent' | 'nodeName' | 'nodeFile' | 'inlined' | 'total' | 'weight' | 'self' | 'line' | 'reportTotals'
>;

/**
 * trieWith without the nodes that no stack passes through any more (zero |value| weight in every
 * column), when they are many (a focus keeps a few subtrees): every later pass (flameOf, flameTop)
 * then reads the nodes left only. Node order (and so the order of equal siblings) is kept.
 */
function compactTrie(tr: FlameTrie, o: TrieColumns): FlameTrie {
  const { T: C, nodes: M, weight } = o;
  const to = new Int32Array(M);
  const K = keptIndex(weight, C, M, to);
  if (K > M * 0.75) return trieWith(tr, o);
  const parent = new Int32Array(K);
  const nodeName = new Int32Array(K);
  const nodeFile = new Int32Array(K);
  const inlined = new Uint8Array(K);
  const total = new Float64Array(K * C);
  const w = new Float64Array(K * C);
  const self = new Float64Array(K * C);
  const line = new Int32Array(K * C);
  for (let m = 0; m < M; m++) {
    const k = to[m]!;
    if (k < 0) continue;
    parent[k] = m === 0 ? -1 : to[o.parent[m]!]!;
    nodeName[k] = o.nodeName[m]!;
    nodeFile[k] = o.nodeFile[m]!;
    inlined[k] = o.inlined[m]!;
    for (let c = 0; c < C; c++) {
      total[k * C + c] = o.total[m * C + c]!;
      w[k * C + c] = weight[m * C + c]!;
      self[k * C + c] = o.self[m * C + c]!;
      line[k * C + c] = o.line[m * C + c]!;
    }
  }
  return trieWith(tr, { ...o, nodes: K, parent, nodeName, nodeFile, inlined, total, weight: w, self, line });
}

/** compactTrie's new index of each node (-1: no |value| weight in any column; the root is kept); returns their count. */
function keptIndex(weight: Float64Array, C: number, M: number, to: Int32Array): number {
  let K = 0;
  for (let m = 0; m < M; m++) {
    let any = m === 0;
    for (let i = m * C, e = i + C; i < e && !any; i++) if (weight[i] !== 0) any = true;
    to[m] = any ? K++ : -1;
  }
  return K;
}

/** a[index[m]] for each m < M. */
function gather(a: Uint8Array, index: Int32Array, M: number): Uint8Array {
  const o = new Uint8Array(M);
  for (let m = 0; m < M; m++) o[m] = a[index[m]!]!;
  return o;
}

/** Columns `cols` of a node × T table. */
function pick(a: Float64Array, T: number, cols: readonly number[], N: number): Float64Array {
  const C = cols.length;
  const o = new Float64Array(N * C);
  for (let c = 0; c < C; c++) for (let n = 0, t = cols[c]!; n < N; n++) o[n * C + c] = a[n * T + t]!;
  return o;
}
function pickInt(a: Int32Array, T: number, cols: readonly number[], N: number): Int32Array {
  const C = cols.length;
  const o = new Int32Array(N * C);
  for (let c = 0; c < C; c++) for (let n = 0, t = cols[c]!; n < N; n++) o[n * C + c] = a[n * T + t]!;
  return o;
}

/**
 * A trie like tr with other nodes or columns, as an object of the same shape as flameTrie's (the
 * same properties in the same order: flameOf's and flameTop's reads stay monomorphic).
 */
function trieWith(tr: FlameTrie, o: TrieColumns): FlameTrie {
  return {
    T: o.T,
    reverse: tr.reverse,
    nodes: o.nodes,
    parent: o.parent,
    nodeName: o.nodeName,
    nodeFile: o.nodeFile,
    inlined: o.inlined,
    total: o.total,
    weight: o.weight,
    self: o.self,
    line: o.line,
    names: tr.names,
    files: tr.files,
    reportTotals: o.reportTotals,
    frames: tr.frames,
    samplesCutDepth: tr.samplesCutDepth,
    samplesCutNodes: tr.samplesCutNodes,
    samplesCutWork: tr.samplesCutWork,
    maxSampleFrames: tr.maxSampleFrames,
    maxFramesPerSample: tr.maxFramesPerSample,
    maxTreeNodes: tr.maxTreeNodes,
  };
}

/** The k-th smallest value of a (which it reorders), by quickselect. */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

const shadowCache = new WeakMap<FlameTrie, Uint8Array>();

/**
 * shadowed[n] = 1 when a function of the same name is on the path above node n (recursion): its
 * value is already in that ancestor's cum.
 */
function shadowed(tr: FlameTrie): Uint8Array {
  let s = shadowCache.get(tr);
  if (s) return s;
  const N = tr.nodes;
  s = new Uint8Array(N);
  const kidStart = new Uint32Array(N + 1);
  for (let i = 1; i < N; i++) kidStart[tr.parent[i]! + 1]!++;
  for (let i = 0; i < N; i++) kidStart[i + 1]! += kidStart[i]!;
  const kid = new Uint32Array(Math.max(0, N - 1));
  const fill = kidStart.slice(0, N);
  for (let i = 1; i < N; i++) kid[fill[tr.parent[i]!]!++] = i;
  // Iterative DFS with enter/exit events and a per-name count of the names on the path.
  const onPath = new Int32Array(tr.names.length);
  const stack = new Int32Array(2 * N + 2);
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const e = stack[--sp]!;
    if (e < 0) {
      const nm = tr.nodeName[-e - 1]!;
      if (nm >= 0) onPath[nm]!--;
      continue;
    }
    const nm = tr.nodeName[e]!;
    if (nm >= 0) {
      if (onPath[nm]! > 0) s[e] = 1;
      onPath[nm]!++;
    }
    stack[sp++] = -e - 1;
    for (let k = kidStart[e]!; k < kidStart[e + 1]!; k++) stack[sp++] = kid[k]!;
  }
  shadowCache.set(tr, s);
  return s;
}

/**
 * pprof's top table by function (-top -functions -nodefraction=0) from the merged trie (either
 * direction: the inverted view's table is the same), for one sample type: flat is the value of the stacks whose leaf frame is the function, cum the value of
 * the stacks it is on, counted once however often it recurs. O(trie nodes), not O(samples): the
 * panel's table for a sample type costs milliseconds. Rows in pprof's order (|flat| descending,
 * then |cum|, then name). Undefined when the trie was cut by its limits (its sums would not be
 * pprof's): use core/report's topReport then.
 */
export function flameTop(
  tr: FlameTrie,
  sampleIndex: number,
  /** The first rows only (the panel's first paint). */
  limit?: number,
): { name: string[]; flat: Float64Array; cum: Float64Array } | undefined {
  if (tr.samplesCutDepth > 0 || tr.samplesCutNodes > 0 || tr.samplesCutWork > 0) return undefined;
  const T = tr.T;
  const sh = shadowed(tr);
  const flat = new Float64Array(tr.names.length);
  const cum = new Float64Array(tr.names.length);
  const seen = new Uint8Array(tr.names.length);
  // Columns as locals (see flameOf's walk).
  const { nodeName, total, self, weight, parent, reverse } = tr;
  for (let n = 1, N = tr.nodes; n < N; n++) {
    const nm = nodeName[n]!;
    if (nm < 0) continue;
    const v = total[n * T + sampleIndex]!;
    const w = self[n * T + sampleIndex]!;
    if (v === 0 && w === 0 && weight[n * T + sampleIndex] === 0) continue;
    seen[nm] = 1;
    // Bottom-up, a node's self is the stacks that start at it: flat is the leaf frames' total.
    if (!reverse) flat[nm] = flat[nm]! + w;
    else if (parent[n] === 0) flat[nm] = flat[nm]! + v;
    if (sh[n] === 0) cum[nm] = cum[nm]! + v;
  }
  // pprof -top's order (graph.FlatNameOrder): |flat|, then the name, then |cum|. The rows with a
  // flat (leaf functions: few) are sorted; those without come after them in name order, read off
  // the names' order (computed once per name table: the views of a profile share it).
  const rows: number[] = [];
  const order = nameOrder(tr.names);
  for (let k = 0; k < seen.length; k++) if (seen[k] && flat[k] !== 0) rows.push(k);
  const rank = order.rank;
  rows.sort(
    (a, b) => Math.abs(flat[b]!) - Math.abs(flat[a]!) || rank[a]! - rank[b]! || Math.abs(cum[b]!) - Math.abs(cum[a]!),
  );
  const n = Math.min(
    limit ?? Infinity,
    seen.reduce((x, y) => x + y, 0),
  );
  for (let r = 0, O = order.byName; r < O.length && rows.length < n; r++) {
    const k = O[r]!;
    if (seen[k] && flat[k] === 0) rows.push(k);
  }
  if (rows.length > n) rows.length = n;
  return {
    name: rows.map((k) => tr.names[k]!),
    flat: Float64Array.from(rows, (k) => flat[k]!),
    cum: Float64Array.from(rows, (k) => cum[k]!),
  };
}

const nameOrderCache = new WeakMap<readonly string[], { byName: Int32Array; rank: Int32Array }>();

/** A name table's indices in name order (byName) and each index's place in it (rank). */
function nameOrder(names: readonly string[]): { byName: Int32Array; rank: Int32Array } {
  let o = nameOrderCache.get(names);
  if (o) return o;
  const byName = Int32Array.from(names.keys()).sort((a, b) =>
    names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b,
  );
  const rank = new Int32Array(names.length);
  for (let r = 0; r < byName.length; r++) rank[byName[r]!] = r;
  o = { byName, rank };
  nameOrderCache.set(names, o);
  return o;
}
