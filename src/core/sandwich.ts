/**
 * The sandwich of one function (speedscope's name; pprof's web UI pivots the same way): its
 * callers, inverted toward the roots, above, and its callees below, each summed over every
 * occurrence of the function in the profile.
 *
 * Each sample that passes through the function is split once, at its outermost occurrence (the
 * frame nearest the root, as pprof's -show_from cuts): the frames from there to the leaf go to the
 * callees tree, the frames from there to the root to the callers tree. So recursion is counted
 * once: both trees' roots hold the function's cum as pprof's -peek and -top count it (each sample
 * once), the callees tree is what `-focus=^f$ -show_from=^f$` keeps, and a non-recursive
 * function's direct callers and callees carry -peek's edge weights. An inlined occurrence is cut
 * inside its location, between its Lines, as -show_from does.
 *
 * Functions are matched by name (as pprof's function granularity merges them), not by regexp.
 */
import type { FlameData } from '../shared/flame';
import { flameOf, flameTrie, type FlameOptions, type FlameTrie } from './flame';
import type { Location, Profile } from './model';
import { collapseRecursion } from './transforms';

/**
 * The sandwich's trees are drawn unzoomed across the panel: a frame lighter than this share of
 * the function's cum is narrower than half a pixel on a 5,000 px wide panel, and is left out.
 */
export const SANDWICH_MIN_SHARE = 1e-4;

export interface SandwichOptions {
  sampleIndex: number;
  /** The function's name, exactly as the profile has it. */
  func: string;
  /** Nodes kept in each tree (the heaviest). Default: no cap beyond core/flame's limits. */
  maxNodes?: number;
  /** Drop frames lighter than this share of the function's cum (with their subtrees). Default 0. */
  minShare?: number;
  /** The denominator of percentages (the view's report total). Default: the function's profile total. */
  reportTotal?: number;
}

export interface Sandwich {
  readonly func: string;
  /** Samples ending in the function (any occurrence), pprof's flat. */
  readonly flat: number;
  /** Samples through the function, each once, pprof's cum. */
  readonly cum: number;
  /** Samples (or, from the trie, distinct call paths) through the function. */
  readonly samples: number;
  /**
   * The function calls itself directly somewhere below its outermost call: those calls are merged
   * into one frame in the callees tree (their samples are counted once already, as pprof counts them).
   */
  readonly recursive: boolean;
  /** Bottom-up from the function: node 0 is the root, its one child the function, then its callers. */
  readonly callers: FlameData;
  /** Top-down from the function: node 0 is the root, its one child the function, then its callees. */
  readonly callees: FlameData;
}

/** The two profiles the sandwich's trees are built from (exported for tests). */
export function sandwichProfiles(
  p: Profile,
  func: string,
  sampleIndex = 0,
): { callers: Profile; callees: Profile; flat: number; cum: number; samples: number } {
  const isF = new Uint8Array(p.functions.length);
  p.functions.forEach((f, i) => (isF[i] = f.name === func ? 1 : 0));
  const nL = p.locations.length;
  // The outermost Line of each location that is the function (-1: none).
  const outer = new Int32Array(nL).fill(-1);
  let any = false;
  for (let l = 0; l < nL; l++) {
    const lines = p.locations[l]!.lines;
    for (let k = lines.length - 1; k >= 0; k--) {
      const fn = lines[k]!.func;
      if (fn >= 0 && isF[fn]) {
        outer[l] = k;
        any = true;
        break;
      }
    }
  }
  // Cut locations: calleeLoc = Lines [0..k] (the function and what is inlined into it), callerLoc
  // = Lines [k..] (the function and what it is inlined into); placed after the original ones.
  const calleeLocs: Location[] = p.locations.slice();
  const callerLocs: Location[] = p.locations.slice();
  const cutAt = new Int32Array(nL).fill(-1);
  if (any) {
    for (let l = 0; l < nL; l++) {
      const k = outer[l]!;
      if (k < 0) continue;
      const loc = p.locations[l]!;
      cutAt[l] = calleeLocs.length;
      calleeLocs.push({ ...loc, lines: loc.lines.slice(0, k + 1) });
      callerLocs.push({ ...loc, lines: loc.lines.slice(k) });
    }
  }
  const { values, stackStart, stackLocs, count } = p.samples;
  const T = p.sampleTypes.length;
  const keep: number[] = [];
  const cut: number[] = [];
  let calleeLen = 0;
  let callerLen = 0;
  let flat = 0;
  let cum = 0;
  if (any) {
    for (let s = 0; s < count; s++) {
      const a = stackStart[s]!;
      const b = stackStart[s + 1]!;
      let c = -1;
      for (let k = b - 1; k >= a; k--) {
        if (outer[stackLocs[k]!]! >= 0) {
          c = k;
          break;
        }
      }
      if (c < 0) continue;
      keep.push(s);
      cut.push(c);
      calleeLen += c - a + 1;
      callerLen += b - c;
      const v = values[s * T + sampleIndex]!;
      cum += v;
      const leaf = p.locations[stackLocs[a]!]!.lines[0];
      if (leaf && leaf.func >= 0 && isF[leaf.func]) flat += v;
    }
  }
  const n = keep.length;
  const wide = calleeLocs.length > 0xffff;
  const mk = (len: number) => (wide ? new Uint32Array(len) : new Uint16Array(len));
  const calleeStack = mk(calleeLen);
  const callerStack = mk(callerLen);
  const calleeStart = new Uint32Array(n + 1);
  const callerStart = new Uint32Array(n + 1);
  const vals = new Float64Array(n * T);
  let ce = 0;
  let cr = 0;
  for (let j = 0; j < n; j++) {
    const s = keep[j]!;
    const a = stackStart[s]!;
    const b = stackStart[s + 1]!;
    const c = cut[j]!;
    for (let k = a; k < c; k++) calleeStack[ce++] = stackLocs[k]!;
    const cl = cutAt[stackLocs[c]!]!;
    calleeStack[ce++] = cl;
    callerStack[cr++] = cl;
    for (let k = c + 1; k < b; k++) callerStack[cr++] = stackLocs[k]!;
    calleeStart[j + 1] = ce;
    callerStart[j + 1] = cr;
    vals.set(values.subarray(s * T, s * T + T), j * T);
  }
  const derive = (locations: Location[], start: Uint32Array, stack: Uint16Array | Uint32Array): Profile => ({
    ...p,
    locations,
    samples: { count: n, values: vals, stackStart: start, stackLocs: stack, labels: [] },
  });
  return {
    callers: derive(callerLocs, callerStart, callerStack),
    callees: derive(calleeLocs, calleeStart, calleeStack),
    flat,
    cum,
    samples: n,
  };
}

/** The sandwich of `o.func`; both trees are empty (a root only) when no sample passes through it. */
export function buildSandwich(p: Profile, o: SandwichOptions): Sandwich {
  const d = sandwichProfiles(p, o.func, o.sampleIndex);
  // The function's direct calls to itself, merged into one frame (as sandwichFromTrie does).
  const collapsed = collapseRecursion(d.callees, [o.func]);
  const recursive =
    collapsed.locations.length !== d.callees.locations.length ||
    collapsed.samples.stackLocs.length !== d.callees.samples.stackLocs.length;
  const of = (q: Profile, reverse: boolean): FlameData => {
    const fo: Pick<FlameOptions, 'sampleIndex' | 'maxNodes' | 'minShare'> = {
      sampleIndex: o.sampleIndex,
      ...(o.maxNodes !== undefined ? { maxNodes: o.maxNodes } : {}),
      ...(o.minShare !== undefined ? { minShare: o.minShare } : {}),
    };
    const f = flameOf(flameTrie(q, { reverse }), fo);
    return { ...f, reportTotal: o.reportTotal ?? f.reportTotal };
  };
  return {
    func: o.func,
    flat: d.flat,
    cum: d.cum,
    samples: d.samples,
    recursive,
    callers: of(d.callers, true),
    callees: of(collapsed, false),
  };
}

/** A function's lines in a file, as the editor knows them. */
export interface FunctionSpan {
  readonly name: string;
  readonly startLine: number;
  readonly firstLine: number;
  readonly lastLine: number;
}

/**
 * The function whose sandwich the cursor asks for: the innermost one whose lines (from its
 * declaration, or its first sampled line, to its last sampled line) hold `line` (a closure inside
 * its outer function wins). Undefined when none does.
 */
export function functionAtLine(functions: readonly FunctionSpan[], line: number): string | undefined {
  let best: FunctionSpan | undefined;
  const from = (f: FunctionSpan) => (f.startLine > 0 ? Math.min(f.startLine, f.firstLine) : f.firstLine);
  for (const f of functions) {
    if (line < from(f) || line > f.lastLine) continue;
    if (!best || f.lastLine - from(f) < best.lastLine - from(best)) best = f;
  }
  return best?.name;
}

/**
 * A one-column trie under construction (the sandwich's callers or callees): nodes keyed by
 * (parent, name, file, inlined) in an open-addressing hash table of typed arrays.
 */
class TrieBuilder {
  n = 1;
  parent = new Int32Array(1024);
  name = new Int32Array(1024);
  file = new Int32Array(1024);
  inl = new Uint8Array(1024);
  total = new Float64Array(1024);
  weight = new Float64Array(1024);
  self = new Float64Array(1024);
  line = new Int32Array(1024);
  lineW = new Float64Array(1024);
  /** The hash table: node numbers, -1 for a free slot. */
  private hVal = new Int32Array(2048).fill(-1);
  constructor() {
    this.parent[0] = -1;
    this.name[0] = -1;
    this.file[0] = -1;
  }
  private slot(parent: number, name: number, file: number): number {
    const mask = this.hVal.length - 1;
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(name + 1, 0x85ebca77) ^ Math.imul(file + 2, 0xc2b2ae3d)) & mask;
    for (;;) {
      const v = this.hVal[h]!;
      if (v === -1 || (this.parent[v] === parent && this.name[v] === name && this.file[v] === file)) return h;
      h = (h + 1) & mask;
    }
  }
  /** The child of `parent` for the frame (name, file), made (with its inlined flag) if new. */
  child(parent: number, name: number, file: number, inl: number): number {
    let h = this.slot(parent, name, file);
    if (this.hVal[h] !== -1) return this.hVal[h]!;
    const c = this.n++;
    if (c >= this.parent.length) {
      const g = <A extends Int32Array | Float64Array | Uint8Array>(a: A): A => {
        const b = new (a.constructor as new (n: number) => A)(a.length * 2);
        b.set(a);
        return b;
      };
      this.parent = g(this.parent);
      this.name = g(this.name);
      this.file = g(this.file);
      this.inl = g(this.inl);
      this.total = g(this.total);
      this.weight = g(this.weight);
      this.self = g(this.self);
      this.line = g(this.line);
      this.lineW = g(this.lineW);
    }
    this.parent[c] = parent;
    this.name[c] = name;
    this.file[c] = file;
    this.inl[c] = inl;
    if (2 * this.n > this.hVal.length) {
      this.hVal = new Int32Array(this.hVal.length * 2).fill(-1);
      for (let v = 1; v < c; v++) this.hVal[this.slot(this.parent[v]!, this.name[v]!, this.file[v]!)] = v;
      h = this.slot(parent, name, file);
    }
    this.hVal[h] = c;
    return c;
  }
  /** Adds a value to node c (total, |value| weight, and the line when this is its heaviest part). */
  add(c: number, total: number, weight: number, line: number): void {
    this.total[c]! += total;
    this.weight[c]! += weight;
    if (weight > this.lineW[c]!) {
      this.lineW[c] = weight;
      this.line[c] = line;
    }
  }
  /** The trie of one sample type (the source trie's sampleIndex), for flameOf with sampleIndex 0. */
  done(tr: FlameTrie, si: number, reverse: boolean): FlameTrie {
    const N = this.n;
    return {
      ...tr,
      T: 1,
      reverse,
      nodes: N,
      parent: this.parent.slice(0, N),
      nodeName: this.name.slice(0, N),
      nodeFile: this.file.slice(0, N),
      inlined: this.inl.slice(0, N),
      total: this.total.slice(0, N),
      weight: this.weight.slice(0, N),
      self: this.self.slice(0, N),
      line: this.line.slice(0, N),
      reportTotals: [tr.reportTotals[si] ?? 0],
    };
  }
}

/**
 * The sandwich from the profile's merged call tree (core/flame flameTrie, memoised per view): the
 * same trees as buildSandwich, since a trie node holds exactly the samples with its stack prefix,
 * in time proportional to the tree's nodes rather than to samples × depth, for one sample type.
 * Undefined when the trie was cut by its limits (then only the samples tell): use buildSandwich.
 */
export function sandwichFromTrie(
  tr: FlameTrie,
  func: string,
  o: Pick<SandwichOptions, 'sampleIndex' | 'maxNodes' | 'minShare' | 'reportTotal'>,
): Sandwich | undefined {
  if (tr.reverse || tr.samplesCutDepth > 0 || tr.samplesCutNodes > 0 || tr.samplesCutWork > 0) return undefined;
  const T = tr.T;
  const si = o.sampleIndex;
  const N = tr.nodes;
  const fn = tr.names.indexOf(func);
  const kidStart = new Uint32Array(N + 1);
  for (let i = 1; i < N; i++) kidStart[tr.parent[i]! + 1]!++;
  for (let i = 0; i < N; i++) kidStart[i + 1]! += kidStart[i]!;
  const kid = new Uint32Array(Math.max(0, N - 1));
  const fill = kidStart.slice(0, N);
  for (let i = 1; i < N; i++) kid[fill[tr.parent[i]!]!++] = i;
  // The function's outermost nodes (no ancestor is the function), and its flat over every node.
  const outer: number[] = [];
  let flat = 0;
  const stack = new Int32Array(N + 1);
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const n = stack[--sp]!;
    for (let k = kidStart[n]!; k < kidStart[n + 1]!; k++) {
      const c = kid[k]!;
      if (tr.nodeName[c] === fn) outer.push(c);
      else stack[sp++] = c;
    }
  }
  if (fn >= 0) for (let i = 1; i < N; i++) if (tr.nodeName[i] === fn) flat += tr.self[i * T + si]!;
  const callees = new TrieBuilder();
  const callers = new TrieBuilder();
  let cum = 0;
  let recursive = false;
  // Work stack of (source node, the callees node it merges into).
  const into = new Int32Array(N + 1);
  for (const x of outer) {
    const xt = tr.total[x * T + si]!;
    const xw = tr.weight[x * T + si]!;
    cum += xt;
    callees.total[0]! += xt;
    callees.weight[0]! += xw;
    callers.total[0]! += xt;
    callers.weight[0]! += xw;
    // Callees: x's subtree merged under the function's node; the function's direct calls to itself
    // merged into one frame (their samples are already in it: only their self is added).
    sp = 0;
    stack[sp] = x;
    into[sp++] = 0;
    while (sp > 0) {
      sp--;
      const n = stack[sp]!;
      const up = into[sp]!;
      let c: number;
      if (up > 0 && tr.nodeName[n] === fn && callees.name[up] === fn) {
        c = up;
        recursive = true;
      } else {
        c = callees.child(up, tr.nodeName[n]!, tr.nodeFile[n]!, tr.inlined[n]!);
        callees.add(c, tr.total[n * T + si]!, tr.weight[n * T + si]!, tr.line[n * T + si]!);
      }
      callees.self[c]! += tr.self[n * T + si]!;
      for (let k = kidStart[n]!; k < kidStart[n + 1]!; k++) {
        stack[sp] = kid[k]!;
        into[sp++] = c;
      }
    }
    // Callers: the path from x up to the root, x first, each with x's value.
    let at = 0;
    for (let n = x; n > 0; n = tr.parent[n]!) {
      at = callers.child(at, tr.nodeName[n]!, tr.nodeFile[n]!, tr.inlined[n]!);
      callers.add(at, xt, xw, tr.line[n * T + si]!);
    }
    callers.self[at]! += xt;
  }
  const of = (b: TrieBuilder, reverse: boolean): FlameData => {
    const f = flameOf(b.done(tr, si, reverse), {
      sampleIndex: 0,
      ...(o.maxNodes !== undefined ? { maxNodes: o.maxNodes } : {}),
      ...(o.minShare !== undefined ? { minShare: o.minShare } : {}),
    });
    return { ...f, reportTotal: o.reportTotal ?? f.reportTotal };
  };
  return {
    func,
    flat,
    cum,
    samples: outer.length,
    recursive,
    callers: of(callers, true),
    callees: of(callees, false),
  };
}
