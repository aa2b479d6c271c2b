/**
 * Builds the flame graph's merged call tree from a profile: every sample's stack, root first, is
 * a path in a trie whose nodes are frames (function and file; inlined frames are nodes of their
 * own, as in pprof's flame graph). A node's total is the sum of the samples through it, its self
 * the sum of those ending at it. Children are ordered heaviest first. With `reverse`, stacks are
 * walked leaf first, giving the bottom-up (callers) tree.
 */
import type { FlameData } from '../shared/flame';
import { cleanPath } from './graph';
import type { Profile } from './model';
import { reportTotal } from './report';

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
}

export function buildFlame(p: Profile, o: FlameOptions): FlameData {
  const T = p.sampleTypes.length;
  const si = o.sampleIndex;
  const rev = o.reverse === true;
  // Frame keys: function name + file, interned.
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
  // Per location: its frames outermost first, with lines and inline flags.
  const locFrames: { frame: Int32Array; line: Int32Array; inl: Uint8Array }[] = p.locations.map(l => {
    const n = Math.max(1, l.lines.length);
    const frame = new Int32Array(n);
    const line = new Int32Array(n);
    const inl = new Uint8Array(n);
    if (l.lines.length === 0) {
      const name = `0x${l.address.toString(16)}`;
      const key = `${name}\u0000`;
      let f = frameKey.get(key);
      if (f === undefined) {
        f = frameName.length;
        frameName.push(intern(names, nameIdx, name));
        frameFile.push(-1);
        frameKey.set(key, f);
      }
      frame[0] = f;
      return { frame, line, inl };
    }
    for (let k = 0; k < n; k++) {
      const ln = l.lines[n - 1 - k]!; // outermost first
      const fn = ln.func >= 0 ? p.functions[ln.func]! : undefined;
      const name = fn ? fn.name || fn.systemName || `0x${l.address.toString(16)}` : `0x${l.address.toString(16)}`;
      const file = fn && fn.file ? cleanPath(fn.file) : '';
      const key = `${name}\u0000${file}`;
      let f = frameKey.get(key);
      if (f === undefined) {
        f = frameName.length;
        frameName.push(intern(names, nameIdx, name));
        frameFile.push(file === '' ? -1 : intern(files, fileIdx, file));
        frameKey.set(key, f);
      }
      frame[k] = f;
      line[k] = ln.line;
      // Every frame after a location's outermost one was inlined into the frame before it.
      inl[k] = k > 0 ? 1 : 0;
    }
    return { frame, line, inl };
  });

  // The trie, built with parent pointers; child lookup by (parent, frame).
  // (parent, frame) -> child in an open-addressing hash table of typed arrays.
  let cap = 1 << 12;
  let hNode = new Int32Array(cap).fill(-1);
  let hFrame = new Int32Array(cap);
  let hVal = new Int32Array(cap);
  let used = 0;
  const slot = (node: number, frame: number, mask: number, keys: Int32Array, frames: Int32Array): number => {
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(frame + 1, 0x85ebca77)) & mask;
    while (keys[h] !== -1 && (keys[h] !== node || frames[h] !== frame)) h = (h + 1) & mask;
    return h;
  };
  const grow = () => {
    const oldN = hNode, oldF = hFrame, oldV = hVal;
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
  const tParent: number[] = [-1];
  const tFrame: number[] = [-1];
  const tInl: number[] = [0];
  const tTotal: number[] = [0];
  const tWeight: number[] = [0];
  const tSelf: number[] = [0];
  const tLine: number[] = [0];
  const tLineW: number[] = [0];
  const { values, stackStart, stackLocs, count } = p.samples;
  for (let s = 0; s < count; s++) {
    const v = values[s * T + si]!;
    if (v === 0) continue;
    const w = Math.abs(v);
    let node = 0;
    tTotal[0] = tTotal[0]! + v;
    tWeight[0] = tWeight[0]! + w;
    const first = stackStart[s]!;
    const last = stackStart[s + 1]! - 1;
    const n = last - first + 1;
    for (let kk = 0; kk < n; kk++) {
      // Root first: from the stack's last (outermost) location; reversed: from its leaf.
      const lf = locFrames[stackLocs[rev ? first + kk : last - kk]!]!;
      const nf = lf.frame.length;
      for (let jj = 0; jj < nf; jj++) {
        const j = rev ? nf - 1 - jj : jj;
        const fr = lf.frame[j]!;
        let h = slot(node, fr, cap - 1, hNode, hFrame);
        let c: number;
        if (hNode[h] !== -1) c = hVal[h]!;
        else {
          if (2 * (used + 1) > cap) {
            grow();
            h = slot(node, fr, cap - 1, hNode, hFrame);
          }
          c = tParent.length;
          hNode[h] = node;
          hFrame[h] = fr;
          hVal[h] = c;
          used++;
          tParent.push(node);
          tFrame.push(lf.frame[j]!);
          tInl.push(lf.inl[j]!);
          tTotal.push(0);
          tWeight.push(0);
          tSelf.push(0);
          tLine.push(lf.line[j]!);
          tLineW.push(0);
        }
        tTotal[c] = tTotal[c]! + v;
        tWeight[c] = tWeight[c]! + w;
        if (w > tLineW[c]!) {
          tLineW[c] = w;
          tLine[c] = lf.line[j]!;
        }
        node = c;
      }
    }
    tSelf[node] = tSelf[node]! + v;
  }

  // Children lists (CSR: kids of n are kid[kidStart[n] .. kidStart[n+1])), heaviest first.
  const N = tParent.length;
  const kidStart = new Uint32Array(N + 1);
  for (let i = 1; i < N; i++) kidStart[tParent[i]! + 1]!++;
  for (let i = 0; i < N; i++) kidStart[i + 1]! += kidStart[i]!;
  const kid = new Uint32Array(Math.max(0, N - 1));
  const fill = kidStart.slice(0, N);
  for (let i = 1; i < N; i++) kid[fill[tParent[i]!]!++] = i;
  const byWeight = (x: number, y: number) => tWeight[y]! - tWeight[x]! || x - y;
  for (let n = 0; n < N; n++) {
    if (kidStart[n + 1]! - kidStart[n]! > 1) kid.subarray(kidStart[n]!, kidStart[n + 1]!).sort(byWeight);
  }
  const minW = (o.minShare ?? 0) * tWeight[0]!;

  // Preorder walk with an explicit stack; subtree sizes summed bottom-up afterwards.
  const oName = new Int32Array(N);
  const oFile = new Int32Array(N);
  const oLine = new Float64Array(N);
  const oDepth = new Int32Array(N);
  const oInl = new Uint8Array(N);
  const oStart = new Float64Array(N);
  const oWeight = new Float64Array(N);
  const oTotal = new Float64Array(N);
  const oSelf = new Float64Array(N);
  const oParent = new Int32Array(N);
  const sNode = new Int32Array(N);
  const sDepth = new Int32Array(N);
  const sStart = new Float64Array(N);
  const sParent = new Int32Array(N);
  let sp = 0;
  sNode[0] = 0;
  sDepth[0] = 0;
  sStart[0] = 0;
  sParent[0] = -1;
  sp = 1;
  let M = 0;
  let maxDepth = 0;
  while (sp > 0) {
    sp--;
    const n = sNode[sp]!;
    const d = sDepth[sp]!;
    const st = sStart[sp]!;
    const idx = M++;
    oName[idx] = n === 0 ? -1 : frameName[tFrame[n]!]!;
    oFile[idx] = n === 0 ? -1 : frameFile[tFrame[n]!]!;
    oLine[idx] = tLine[n]!;
    oDepth[idx] = d;
    oInl[idx] = tInl[n]!;
    oStart[idx] = st;
    oWeight[idx] = tWeight[n]!;
    oTotal[idx] = tTotal[n]!;
    oSelf[idx] = tSelf[n]!;
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
      const w = tWeight[c]!;
      if (w > 0 && w >= minW) {
        kid[k0 + kept++] = c;
        sStart[sp + kept - 1] = x; // provisional slot, reversed below
        x += w;
      }
    }
    // Reverse the kept range onto the stack.
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
  const oSub = new Float64Array(M).fill(1);
  for (let i = M - 1; i > 0; i--) oSub[oParent[i]!]! += oSub[i]!;
  const arr = (t: ArrayLike<number>) => Array.from(t instanceof Float64Array || t instanceof Int32Array || t instanceof Uint8Array ? t.subarray(0, M) : t);
  const out = {
    nodeName: arr(oName), nodeFile: arr(oFile), nodeLine: arr(oLine), depth: arr(oDepth), inlined: arr(oInl),
    start: arr(oStart), weight: arr(oWeight), total: arr(oTotal), self: arr(oSelf), subtree: arr(oSub),
  };
  return { names, files, ...out, maxDepth, reportTotal: reportTotal(p, si) };
}
