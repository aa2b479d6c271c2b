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
  const F = Math.max(1, frameName.length);
  const child = new Map<number, number>();
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
        const key = node * F + lf.frame[j]!;
        let c = child.get(key);
        if (c === undefined) {
          c = tParent.length;
          child.set(key, c);
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

  // Children lists, heaviest first, then a preorder walk.
  const N = tParent.length;
  const kids: number[][] = Array.from({ length: N }, () => []);
  for (let i = 1; i < N; i++) kids[tParent[i]!]!.push(i);
  const minW = (o.minShare ?? 0) * tWeight[0]!;
  const out = {
    nodeName: [] as number[], nodeFile: [] as number[], nodeLine: [] as number[], depth: [] as number[],
    inlined: [] as number[], start: [] as number[], weight: [] as number[], total: [] as number[],
    self: [] as number[], subtree: [] as number[],
  };
  let maxDepth = 0;
  // Iterative DFS: stack of [node, depth, start]; subtree sizes filled when a node's range closes.
  const stack: [number, number, number][] = [[0, 0, 0]];
  const openAt: number[] = [];
  const openIdx: number[] = [];
  while (stack.length > 0) {
    const [n, d, st] = stack.pop()!;
    while (openAt.length > 0 && openAt[openAt.length - 1]! >= d) {
      const idx = openIdx.pop()!;
      openAt.pop();
      out.subtree[idx] = out.nodeName.length - idx;
    }
    const idx = out.nodeName.length;
    out.nodeName.push(n === 0 ? -1 : frameName[tFrame[n]!]!);
    out.nodeFile.push(n === 0 ? -1 : frameFile[tFrame[n]!]!);
    out.nodeLine.push(tLine[n]!);
    out.depth.push(d);
    out.inlined.push(tInl[n]!);
    out.start.push(st);
    out.weight.push(tWeight[n]!);
    out.total.push(tTotal[n]!);
    out.self.push(tSelf[n]!);
    out.subtree.push(1);
    openAt.push(d);
    openIdx.push(idx);
    if (d > maxDepth) maxDepth = d;
    const ks = kids[n]!.filter(c => tWeight[c]! >= minW && tWeight[c]! > 0);
    ks.sort((a, b) => tWeight[b]! - tWeight[a]! || a - b);
    // Push in reverse so the heaviest child is visited first; compute starts left to right.
    let x = st;
    const starts = ks.map(c => {
      const s0 = x;
      x += tWeight[c]!;
      return s0;
    });
    for (let k = ks.length - 1; k >= 0; k--) stack.push([ks[k]!, d + 1, starts[k]!]);
  }
  while (openIdx.length > 0) {
    const idx = openIdx.pop()!;
    out.subtree[idx] = out.nodeName.length - idx;
  }
  return { names, files, ...out, maxDepth, reportTotal: reportTotal(p, si) };
}
