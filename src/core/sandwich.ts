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

export interface SandwichOptions {
  sampleIndex: number;
  /** The function's name, exactly as the profile has it. */
  func: string;
  /** Nodes kept in each tree (the heaviest). Default: no cap beyond core/flame's limits. */
  maxNodes?: number;
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
  const of = (q: Profile, reverse: boolean): FlameData => {
    const fo: Pick<FlameOptions, 'sampleIndex' | 'maxNodes'> = {
      sampleIndex: o.sampleIndex,
      ...(o.maxNodes !== undefined ? { maxNodes: o.maxNodes } : {}),
    };
    const f = flameOf(flameTrie(q, { reverse }), fo);
    return { ...f, reportTotal: o.reportTotal ?? f.reportTotal };
  };
  return {
    func: o.func,
    flat: d.flat,
    cum: d.cum,
    samples: d.samples,
    callers: of(d.callers, true),
    callees: of(d.callees, false),
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

/** A trie under construction: nodes keyed by (parent, name, file), values for every sample type. */
class TrieBuilder {
  parent: number[] = [-1];
  name: number[] = [-1];
  file: number[] = [-1];
  inl: number[] = [0];
  total: number[];
  weight: number[];
  self: number[];
  line: number[];
  lineW: number[];
  private readonly index = new Map<number, number>();
  constructor(
    readonly T: number,
    private readonly nNames: number,
    private readonly nFiles: number,
  ) {
    this.total = new Array<number>(T).fill(0);
    this.weight = new Array<number>(T).fill(0);
    this.self = new Array<number>(T).fill(0);
    this.line = new Array<number>(T).fill(0);
    this.lineW = new Array<number>(T).fill(0);
  }
  child(parent: number, name: number, file: number, inl: number): number {
    // One number (exact below 2^53: nodes × names × files stays far under it).
    const key = (parent * (this.nNames + 1) + name + 1) * (this.nFiles + 1) + file + 1;
    let c = this.index.get(key);
    if (c === undefined) {
      c = this.parent.length;
      this.index.set(key, c);
      this.parent.push(parent);
      this.name.push(name);
      this.file.push(file);
      this.inl.push(inl);
      for (let t = 0; t < this.T; t++) {
        this.total.push(0);
        this.weight.push(0);
        this.self.push(0);
        this.line.push(0);
        this.lineW.push(0);
      }
    }
    return c;
  }
  /** Adds values to node c: total and weight from `tr`'s node v (or node `from` for the line). */
  add(c: number, tr: FlameTrie, v: number, lineOf: number, self: boolean): void {
    const T = this.T;
    for (let t = 0; t < T; t++) {
      const w = tr.weight[v * T + t]!;
      this.total[c * T + t]! += tr.total[v * T + t]!;
      this.weight[c * T + t]! += w;
      if (self) this.self[c * T + t]! += tr.total[v * T + t]!;
      if (w > this.lineW[c * T + t]!) {
        this.lineW[c * T + t] = w;
        this.line[c * T + t] = tr.line[lineOf * T + t]!;
      }
    }
  }
  done(tr: FlameTrie, reverse: boolean): FlameTrie {
    const N = this.parent.length;
    return {
      ...tr,
      reverse,
      nodes: N,
      parent: Int32Array.from(this.parent),
      nodeName: Int32Array.from(this.name),
      nodeFile: Int32Array.from(this.file),
      inlined: Uint8Array.from(this.inl),
      total: Float64Array.from(this.total),
      weight: Float64Array.from(this.weight),
      self: Float64Array.from(this.self),
      line: Int32Array.from(this.line),
    };
  }
}

/**
 * The sandwich from the profile's merged call tree (core/flame flameTrie, memoised per view): the
 * same trees as buildSandwich, since a trie node holds exactly the samples with its stack prefix,
 * in time proportional to the tree's nodes rather than to samples × depth. Undefined when the
 * trie was cut by its limits (then only the samples tell): use buildSandwich.
 */
export function sandwichFromTrie(
  tr: FlameTrie,
  func: string,
  o: Pick<SandwichOptions, 'sampleIndex' | 'maxNodes' | 'reportTotal'>,
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
  const stack: number[] = [0];
  while (stack.length) {
    const n = stack.pop()!;
    for (let k = kidStart[n]!; k < kidStart[n + 1]!; k++) {
      const c = kid[k]!;
      if (tr.nodeName[c] === fn) outer.push(c);
      else stack.push(c);
    }
  }
  for (let i = 1; i < N; i++) if (tr.nodeName[i] === fn) flat += tr.self[i * T + si]!;
  const callees = new TrieBuilder(T, tr.names.length, tr.files.length);
  const callers = new TrieBuilder(T, tr.names.length, tr.files.length);
  let cum = 0;
  for (const x of outer) {
    cum += tr.total[x * T + si]!;
    for (let t = 0; t < T; t++) {
      callees.total[t]! += tr.total[x * T + t]!;
      callees.weight[t]! += tr.weight[x * T + t]!;
      callers.total[t]! += tr.total[x * T + t]!;
      callers.weight[t]! += tr.weight[x * T + t]!;
    }
    // Callees: x's subtree merged under the function's node.
    const work: [number, number][] = [[x, 0]];
    while (work.length) {
      const [n, into] = work.pop()!;
      const c = callees.child(into, tr.nodeName[n]!, tr.nodeFile[n]!, tr.inlined[n]!);
      callees.add(c, tr, n, n, false);
      for (let t = 0; t < T; t++) callees.self[c * T + t]! += tr.self[n * T + t]!;
      for (let k = kidStart[n]!; k < kidStart[n + 1]!; k++) work.push([kid[k]!, c]);
    }
    // Callers: the path from x up to the root, x first, each with x's value.
    let into = 0;
    let last = 0;
    for (let n = x; n > 0; n = tr.parent[n]!) {
      into = callers.child(into, tr.nodeName[n]!, tr.nodeFile[n]!, tr.inlined[n]!);
      callers.add(into, tr, x, n, false);
      last = into;
    }
    for (let t = 0; t < T; t++) callers.self[last * T + t]! += tr.total[x * T + t]!;
  }
  const of = (b: TrieBuilder, reverse: boolean): FlameData => {
    const f = flameOf(b.done(tr, reverse), {
      sampleIndex: si,
      ...(o.maxNodes !== undefined ? { maxNodes: o.maxNodes } : {}),
    });
    return { ...f, reportTotal: o.reportTotal ?? f.reportTotal };
  };
  return { func, flat, cum, samples: outer.length, callers: of(callers, true), callees: of(callees, false) };
}
