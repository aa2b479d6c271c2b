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
 * inside its location, between its Lines, as -show_from does; and as -show_from cuts the Location
 * itself (profile/filter.go filterShowFromLocation), in every sample and at every depth, each
 * deeper occurrence inlined into other functions in its location loses their frames too (grow
 * inlined into build, calling build back: pprof's grow → grow → grow → build, not grow → build →
 * grow → build → grow → build). The function's direct calls to itself below its outermost call
 * (such a cut one too) are merged into its one frame of the callees tree (fib → fib → fib shows as
 * one fib, and the grow → grow → grow above as one grow; their samples are in that frame already,
 * only their flat is added).
 *
 * Functions are matched by name (as pprof's function granularity merges them), not by regexp.
 */
import type { FlameData } from '../shared/flame';
import { flameOf, flameTrie, type FlameOptions, type FlameTrie } from './flame';
import { identityStacks, type Location, type Profile } from './model';
import { never, runSteps, type Until } from './steps';
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
   * The function calls itself directly somewhere below its outermost call (or through frames it is
   * inlined into, which the callees tree cuts off): those calls are merged into one frame in the
   * callees tree (their samples are counted once already, as pprof counts them).
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
  // Below the cut, every location whose outermost Line of the function has Lines outer to it
  // loses them too (pprof's filterShowFromLocation cuts the Location itself, in every sample and
  // at every depth): its callee location (undefined when no location has such Lines).
  let inner: Int32Array | undefined;
  if (any) {
    for (let l = 0; l < nL; l++) {
      const k = outer[l]!;
      if (k < 0) continue;
      const loc = p.locations[l]!;
      cutAt[l] = calleeLocs.length;
      calleeLocs.push({ ...loc, lines: loc.lines.slice(0, k + 1) });
      callerLocs.push({ ...loc, lines: loc.lines.slice(k) });
      if (k < loc.lines.length - 1) {
        inner ??= Int32Array.from({ length: nL }, (_, i) => i);
        inner[l] = cutAt[l]!;
      }
    }
  }
  const { values, locStart, stack, stackLocs, count } = p.samples;
  const T = p.sampleTypes.length;
  const keep: number[] = [];
  const cut: number[] = [];
  let calleeLen = 0;
  let callerLen = 0;
  let flat = 0;
  let cum = 0;
  if (any) {
    for (let s = 0; s < count; s++) {
      const a = locStart[stack[s]!]!;
      const b = locStart[stack[s]! + 1]!;
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
    const a = locStart[stack[s]!]!;
    const b = locStart[stack[s]! + 1]!;
    const c = cut[j]!;
    if (inner) for (let k = a; k < c; k++) calleeStack[ce++] = inner[stackLocs[k]!]!;
    else for (let k = a; k < c; k++) calleeStack[ce++] = stackLocs[k]!;
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
    samples: { count: n, values: vals, stack: identityStacks(n), locStart: start, stackLocs: stack, labels: [] },
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

/** The column a, at least n long (doubled when it grows). */
function grown<A extends Int32Array | Float64Array | Uint8Array>(a: A, n: number): A {
  if (n <= a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/** The tree being built: one value column (the sample type's). */
class Nodes {
  n = 1;
  parent = new Int32Array(256).fill(-1, 0, 1);
  name = new Int32Array(256).fill(-1, 0, 1);
  file = new Int32Array(256).fill(-1, 0, 1);
  inl = new Uint8Array(256);
  total = new Float64Array(256);
  weight = new Float64Array(256);
  self = new Float64Array(256);
  line = new Int32Array(256);
  make(parent: number, name: number, file: number, inl: number): number {
    const c = this.n++;
    if (c >= this.parent.length) this.grow(c + 1);
    this.parent[c] = parent;
    this.name[c] = name;
    this.file[c] = file;
    this.inl[c] = inl;
    return c;
  }
  private grow(n: number): void {
    this.parent = grown(this.parent, n);
    this.name = grown(this.name, n);
    this.file = grown(this.file, n);
    this.inl = grown(this.inl, n);
    this.total = grown(this.total, n);
    this.weight = grown(this.weight, n);
    this.self = grown(this.self, n);
    this.line = grown(this.line, n);
  }
  trie(tr: FlameTrie, si: number, reverse: boolean): FlameTrie {
    const n = this.n;
    return {
      ...tr,
      T: 1,
      reverse,
      nodes: n,
      parent: this.parent.slice(0, n),
      nodeName: this.name.slice(0, n),
      nodeFile: this.file.slice(0, n),
      inlined: this.inl.slice(0, n),
      total: this.total.slice(0, n),
      weight: this.weight.slice(0, n),
      self: this.self.slice(0, n),
      line: this.line.slice(0, n),
      reportTotals: [tr.reportTotals[si] ?? 0],
    };
  }
}

/**
 * One level's entries (a member's next frame): src = the trie node of the frame, into = the new
 * tree's node it is a child of (contiguous per into), t and w = the total and |value| weight it
 * carries.
 */
class Entries {
  n = 0;
  src: Int32Array;
  into: Int32Array;
  t: Float64Array;
  w: Float64Array;
  constructor(cap: number) {
    this.src = new Int32Array(Math.max(16, cap));
    this.into = new Int32Array(Math.max(16, cap));
    this.t = new Float64Array(Math.max(16, cap));
    this.w = new Float64Array(Math.max(16, cap));
  }
  push(src: number, into: number, t: number, w: number): void {
    const i = this.n++;
    if (i >= this.src.length) this.grow();
    this.src[i] = src;
    this.into[i] = into;
    this.t[i] = t;
    this.w[i] = w;
  }
  /** Room for m more entries (then written without a check per entry). */
  reserve(m: number): void {
    if (this.n + m > this.src.length) {
      const n = this.n;
      this.n = n + m;
      this.grow();
      this.n = n;
    }
  }
  private grow(): void {
    this.src = grown(this.src, this.n);
    this.into = grown(this.into, this.n);
    this.t = grown(this.t, this.n);
    this.w = grown(this.w, this.n);
  }
}

/** The subgroups (one per frame) of one group of entries, found through the frame's name. */
class Subgroups {
  S = 0;
  next = new Int32Array(64);
  file = new Int32Array(64);
  w = new Float64Array(64);
  first = new Int32Array(64);
  node = new Int32Array(64);
  lineW = new Float64Array(64);
  at = new Int32Array(65);
  private readonly stamp: Int32Array;
  private readonly head: Int32Array;
  private group = 0;
  constructor(names: number) {
    this.stamp = new Int32Array(names).fill(-1);
    this.head = new Int32Array(names);
  }
  reset(): void {
    this.group++;
    this.S = 0;
  }
  /** The subgroup of the frame (name, file), made (with entry i as its first) if new. */
  of(name: number, file: number, i: number): number {
    const on = this.stamp[name] === this.group;
    if (on) for (let k = this.head[name]!; k >= 0; k = this.next[k]!) if (this.file[k] === file) return k;
    const k = this.S++;
    if (k >= this.w.length) this.grow(k + 1);
    this.next[k] = on ? this.head[name]! : -1;
    this.stamp[name] = this.group;
    this.head[name] = k;
    this.file[k] = file;
    this.w[k] = 0;
    this.first[k] = i;
    this.node[k] = -1;
    this.lineW[k] = -1;
    return k;
  }
  private grow(n: number): void {
    this.next = grown(this.next, n);
    this.file = grown(this.file, n);
    this.w = grown(this.w, n);
    this.first = grown(this.first, n);
    this.node = grown(this.node, n);
    this.lineW = grown(this.lineW, n);
    this.at = grown(this.at, this.w.length + 1);
  }
}

/**
 * One tree of the sandwich, built level by level from the merged trie: a node of the new tree is
 * a group of trie nodes (its members) with the same frames from the function to it. The members'
 * next frames (callers: each member's trie parent; callees: its children) are grouped by frame
 * into the node's children, and a child lighter than `minW` is dropped with everything under it
 * before it is expanded: the work is proportional to what is kept, not to the full tree (the
 * callers of runtime.mallocgc on a 700k-sample heap profile: 564k nodes, 37k of them visible).
 *
 * Callers: a member is (trie node at this level, outermost occurrence x whose value it carries).
 * Callees: a member is a trie node in the subtree of an outermost occurrence, carrying its own
 * value; the function's direct calls to itself are merged into its frame (only their self is
 * added: their samples are in the frame already). `moved`: the function's inlined nodes below
 * an outermost occurrence whose location has frames above them that are not the function, with
 * their location's top (sandwichFromTrie): pprof's show_from cuts those frames off the location
 * at every depth, so such a node is a child of the top's caller's frame (see LevelBuilder.cut).
 */
function* sandwichTree(
  tr: FlameTrie,
  si: number,
  fn: number,
  outer: Int32Array,
  callers: boolean,
  minW: number,
  until: Until,
  moved?: { node: readonly number[]; top: readonly number[] },
): Generator<void, { trie: FlameTrie; recursive: boolean }> {
  const b = new LevelBuilder(tr, si, fn, callers, minW);
  if (moved && moved.node.length > 0) b.cut(moved.node, moved.top);
  b.seed(outer);
  while (b.cur.n > 0) while (!b.level(until)) yield;
  return { trie: b.out.trie(tr, si, callers), recursive: b.recursive };
}

/**
 * sandwichTree's state. Each step is a small method of its own, so that V8 optimises each with
 * its own type feedback (one big function deoptimised at every branch first taken late).
 */
class LevelBuilder {
  readonly out = new Nodes();
  cur = new Entries(16);
  next = new Entries(1024);
  recursive = false;
  /** The current level's first entry not grouped yet (level() stopped there). */
  private at = 0;
  private readonly sub: Subgroups;
  private eSub = new Int32Array(16);
  private perm = new Int32Array(16);
  private readonly kids: { start: Uint32Array; kid: Uint32Array } | undefined;
  private readonly work: Int32Array;
  private readonly rec: Int32Array;
  private readonly val: Float64Array;
  /**
   * The callees' cuts inside locations (undefined: none, the common case). mark: 2 = a moved
   * node (not a child of its trie parent any more), 1 = a frame of a moved node's location above
   * it, whose total and weight lose the moved nodes' (`less`: t, w per node); movedFrom: a
   * location's top node → the moved nodes of its location, children of its caller's frame.
   */
  private mark: Uint8Array | undefined;
  private less: Map<number, [number, number]> | undefined;
  private movedFrom: Map<number, number[]> | undefined;
  constructor(
    private readonly tr: FlameTrie,
    private readonly si: number,
    private readonly fn: number,
    private readonly callers: boolean,
    private readonly minW: number,
  ) {
    this.sub = new Subgroups(tr.names.length);
    this.kids = callers ? undefined : childrenOf(tr);
    this.work = new Int32Array(callers ? 0 : tr.nodes + 1);
    const walk = walkOf(tr, si);
    this.rec = walk.rec;
    this.val = walk.val;
  }
  /**
   * Callees: pprof's show_from keeps a matching Location's Lines up to its outermost matching one
   * in every sample, so below the outermost occurrence a node of the function inlined under frames
   * of its location that are not the function (node[k], its location's top node top[k]) drops
   * them: it is taken out of their subtrees (their values lose its own) and is a child of the
   * top's caller's frame (merged into it when that frame is the function's: a direct call to itself).
   */
  cut(node: readonly number[], top: readonly number[]): void {
    const { parent } = this.tr;
    const val = this.val;
    const mark = (this.mark = new Uint8Array(this.tr.nodes));
    const less = (this.less = new Map());
    const movedFrom = (this.movedFrom = new Map());
    for (let k = 0; k < node.length; k++) {
      const d = node[k]!;
      const q = top[k]!;
      mark[d] = 2;
      const list = movedFrom.get(q);
      if (list) list.push(d);
      else movedFrom.set(q, [d]);
      for (let x = parent[d]!; ; x = parent[x]!) {
        mark[x] = 1;
        const l = less.get(x);
        if (l) {
          l[0] += val[d * 3]!;
          l[1] += val[d * 3 + 1]!;
        } else less.set(x, [val[d * 3]!, val[d * 3 + 1]!]);
        if (x === q) break;
      }
    }
  }
  seed(outer: Int32Array): void {
    const val = this.val;
    this.cur = new Entries(outer.length);
    for (let k = 0; k < outer.length; k++) {
      const x = outer[k]!;
      const t = val[x * 3]!;
      const w = val[x * 3 + 1]!;
      this.cur.push(x, 0, t, w);
      this.out.total[0]! += t;
      this.out.weight[0]! += w;
    }
  }
  /** The inverted tree's seeds: each trie node's own stacks (those ending at it), under the root. */
  seedLeaves(): void {
    const { weight, self, parent, T, nodes: N } = this.tr;
    const si = this.si;
    const own = new Float64Array(N);
    for (let n = 0; n < N; n++) own[n] = weight[n * T + si]!;
    for (let n = N - 1; n > 0; n--) own[parent[n]!]! -= weight[n * T + si]!;
    let S = 0;
    for (let n = 1; n < N; n++) if (own[n] !== 0 || self[n * T + si] !== 0) S++;
    this.cur = new Entries(S);
    for (let n = 1; n < N; n++) {
      const t = self[n * T + si]!;
      const w = own[n]!;
      if (w === 0 && t === 0) continue;
      this.cur.push(n, 0, t, w);
      this.out.total[0]! += t;
      this.out.weight[0]! += w;
    }
  }
  /**
   * Groups the current level's entries into the next level's, from where the last call stopped;
   * stops after a group when `until()` says so. True when the level is done (the next is current).
   */
  level(until: Until = never): boolean {
    const E = this.cur.n;
    const into = this.cur.into;
    if (this.at === 0) {
      this.next.n = 0;
      this.eSub = grown(this.eSub, E);
      this.perm = grown(this.perm, E);
    }
    for (let a = this.at; a < E;) {
      const node = into[a]!;
      let b = a + 1;
      while (b < E && into[b] === node) b++;
      this.group(a, b, node);
      a = b;
      if (a < E && until()) {
        this.at = a;
        return false;
      }
    }
    this.at = 0;
    const t = this.cur;
    this.cur = this.next;
    this.next = t;
    return true;
  }
  /** Entries [a, b), all under `node`: grouped by frame into its children. */
  private group(a: number, b: number, node: number): void {
    this.split(a, b);
    this.make(node);
    this.sortBySub(a, b);
    if (this.callers) this.expandCallers(a, b);
    else this.expandCallees(a, b);
  }
  private split(a: number, b: number): void {
    const { src, w } = this.cur;
    const rec = this.rec;
    const sub = this.sub;
    const eSub = this.eSub;
    sub.reset();
    // Neighbouring entries are mostly the same frame (they are sorted by their node's subgroup):
    // the last frame's subgroup is taken without a lookup.
    let lastName = -2;
    let lastFile = -2;
    let k = -1;
    for (let i = a; i < b; i++) {
      const x = src[i]! * 4;
      const name = rec[x + 1]!;
      const file = rec[x + 2]!;
      if (name !== lastName || file !== lastFile) {
        k = sub.of(name, file, i);
        lastName = name;
        lastFile = file;
      }
      eSub[i] = k;
      sub.w[k]! += w[i]!;
    }
  }
  /** A new node per subgroup heavy enough to be drawn, in the order of first appearance. */
  private make(node: number): void {
    const sub = this.sub;
    const src = this.cur.src;
    const { nodeName, nodeFile, inlined } = this.tr;
    const mark = this.mark;
    for (let k = 0; k < sub.S; k++) {
      const w = sub.w[k]!;
      if (!(w > 0 && w >= this.minW)) continue;
      const first = src[sub.first[k]!]!;
      // Callees: the function's frame (cut inside its location) and a moved node are their
      // locations' outermost frames now: not inlined (as from the samples, and in pprof).
      const inl = (node === 0 && !this.callers) || (mark !== undefined && mark[first] === 2) ? 0 : inlined[first]!;
      sub.node[k] = this.out.make(node, nodeName[first]!, nodeFile[first]!, inl);
    }
  }
  /** The entries by subgroup (stable), so that the next level's entries of a node are contiguous. */
  private sortBySub(a: number, b: number): void {
    const at = this.sub.at;
    const S = this.sub.S;
    const eSub = this.eSub;
    const perm = this.perm;
    for (let k = 0; k <= S; k++) at[k] = 0;
    for (let i = a; i < b; i++) at[eSub[i]! + 1]!++;
    for (let k = 0; k < S; k++) at[k + 1]! += at[k]!;
    for (let i = a; i < b; i++) perm[a + at[eSub[i]!]!++] = i;
  }
  /** Entry i's value into its node c (and the node's line, from its heaviest entry). */
  private take(i: number, k: number, c: number): void {
    const cur = this.cur;
    const out = this.out;
    const w = cur.w[i]!;
    out.total[c]! += cur.t[i]!;
    out.weight[c]! += w;
    if (w > this.sub.lineW[k]!) {
      this.sub.lineW[k] = w;
      out.line[c] = this.rec[cur.src[i]! * 4 + 3]!;
    }
  }
  private expandCallers(a: number, b: number): void {
    const { src, t, w } = this.cur;
    const { rec, perm, eSub, out } = this;
    const { node, lineW } = this.sub;
    const next = this.next;
    next.reserve(b - a);
    let n = next.n;
    const { src: nSrc, into: nInto, t: nT, w: nW } = next;
    for (let q = a; q < b; q++) {
      const i = perm[q]!;
      const k = eSub[i]!;
      const c = node[k]!;
      if (c < 0) continue;
      // The entry's value into its node (and the node's line, from its heaviest entry).
      const x = src[i]! * 4;
      const ti = t[i]!;
      const wi = w[i]!;
      out.total[c]! += ti;
      out.weight[c]! += wi;
      if (wi > lineW[k]!) {
        lineW[k] = wi;
        out.line[c] = rec[x + 3]!;
      }
      // (Members never meet: a trie node is one path, and a group's members differ below it.)
      const up = rec[x]!;
      if (up > 0) {
        nSrc[n] = up;
        nInto[n] = c;
        nT[n] = ti;
        nW[n] = wi;
        n++;
      } else out.self[c]! += ti;
    }
    next.n = n;
  }
  /** Callees: each entry's children, through the function's direct calls to itself. */
  private expandCallees(a: number, b: number): void {
    const { start, kid } = this.kids!;
    const { rec, val } = this;
    const fn = this.fn;
    const work = this.work;
    const out = this.out;
    const mark = this.mark;
    for (let q = a; q < b; q++) {
      const i = this.perm[q]!;
      const k = this.eSub[i]!;
      const c = this.sub.node[k]!;
      if (c < 0) continue;
      this.take(i, k, c);
      const merge = out.name[c] === fn;
      let sp = 0;
      work[sp++] = this.cur.src[i]!;
      while (sp > 0) {
        const m = work[--sp]!;
        out.self[c]! += val[m * 3 + 2]!;
        for (let j = start[m]!; j < start[m + 1]!; j++) {
          const ch = kid[j]!;
          if (mark !== undefined && mark[ch] !== 0) {
            sp = this.cutChild(ch, c, merge, sp);
            continue;
          }
          if (merge && rec[ch * 4 + 1] === fn) {
            this.recursive = true;
            work[sp++] = ch;
          } else this.next.push(ch, c, val[ch * 3]!, val[ch * 3 + 1]!);
        }
      }
    }
  }
  /**
   * Callees: child ch of a member of node c, marked by cut(). A moved node is skipped (its
   * location's top brings it); a frame above moved nodes in their location goes on without their
   * values, and a location's top brings its moved nodes to c: merged into c when c is the
   * function's frame (pushed on the work stack; the new stack depth is returned), else entries.
   */
  private cutChild(ch: number, c: number, merge: boolean, sp: number): number {
    if (this.mark![ch] === 2) return sp;
    const val = this.val;
    const [lt, lw] = this.less!.get(ch)!;
    this.next.push(ch, c, val[ch * 3]! - lt, val[ch * 3 + 1]! - lw);
    const moved = this.movedFrom!.get(ch);
    if (moved)
      for (const d of moved) {
        if (merge) {
          this.recursive = true;
          this.work[sp++] = d;
        } else this.next.push(d, c, val[d * 3]!, val[d * 3 + 1]!);
      }
    return sp;
  }
}

/**
 * One sample type's columns of a trie, interleaved per node: rec = parent, name, file, line and
 * val = total, weight, self. The level walks jump from node to node across a tree of 400k nodes:
 * one node's fields in one place cost one cache miss, not one per column (the columns are tens of
 * MB, far beyond the caches).
 */
interface Walk {
  readonly si: number;
  readonly rec: Int32Array;
  readonly val: Float64Array;
}

const walkCache = new WeakMap<FlameTrie, Walk>();

/** The trie's interleaved columns for one sample type, kept per trie (the latest type). */
export function walkOf(tr: FlameTrie, si: number): Walk {
  const hit = walkCache.get(tr);
  if (hit?.si === si) return hit;
  const { nodes: N, T, parent, nodeName, nodeFile, line, total, weight, self } = tr;
  const rec = new Int32Array(N * 4);
  const val = new Float64Array(N * 3);
  for (let n = 0; n < N; n++) {
    rec[n * 4] = parent[n]!;
    rec[n * 4 + 1] = nodeName[n]!;
    rec[n * 4 + 2] = nodeFile[n]!;
  }
  for (let n = 0, j = si; n < N; n++, j += T) {
    rec[n * 4 + 3] = line[j]!;
    val[n * 3] = total[j]!;
    val[n * 3 + 1] = weight[j]!;
    val[n * 3 + 2] = self[j]!;
  }
  const w = { si, rec, val };
  walkCache.set(tr, w);
  return w;
}

const childrenCache = new WeakMap<FlameTrie, { start: Uint32Array; kid: Uint32Array }>();

/** The children of every trie node (CSR: kid[start[n] .. start[n+1]]), kept per trie. */
function childrenOf(tr: FlameTrie): { start: Uint32Array; kid: Uint32Array } {
  let r = childrenCache.get(tr);
  if (r) return r;
  const N = tr.nodes;
  const start = new Uint32Array(N + 1);
  for (let i = 1; i < N; i++) start[tr.parent[i]! + 1]!++;
  for (let i = 0; i < N; i++) start[i + 1]! += start[i]!;
  const kid = new Uint32Array(Math.max(0, N - 1));
  const fill = start.slice(0, N);
  for (let i = 1; i < N; i++) kid[fill[tr.parent[i]!]!++] = i;
  childrenCache.set(tr, (r = { start, kid }));
  return r;
}

/**
 * The sandwich from the profile's merged call tree (core/flame flameTrie, memoised per view): the
 * same trees as buildSandwich, since a trie node holds exactly the samples with its stack prefix,
 * in time proportional to the tree's nodes kept (frames lighter than `minShare` of the function's
 * cum are never built) rather than to samples × depth, for one sample type. Undefined when the
 * trie was cut by its limits (then only the samples tell): use buildSandwich.
 */
export function sandwichFromTrie(
  tr: FlameTrie,
  func: string,
  o: Pick<SandwichOptions, 'sampleIndex' | 'maxNodes' | 'minShare' | 'reportTotal'>,
): Sandwich | undefined {
  return runSteps(sandwichSteps(tr, func, o, never));
}

/**
 * sandwichFromTrie a slice at a time: it yields between its steps (the scan for the function's
 * nodes, each tree's levels, each tree's layout) once `until()` says so (see core/steps).
 */
export function* sandwichSteps(
  tr: FlameTrie,
  func: string,
  o: Pick<SandwichOptions, 'sampleIndex' | 'maxNodes' | 'minShare' | 'reportTotal'>,
  until: Until,
): Generator<void, Sandwich | undefined> {
  if (tr.reverse || tr.samplesCutDepth > 0 || tr.samplesCutNodes > 0 || tr.samplesCutWork > 0) return undefined;
  const T = tr.T;
  const si = o.sampleIndex;
  const N = tr.nodes;
  const fn = tr.names.indexOf(func);
  // The function's outermost nodes (no ancestor is the function), in preorder, and its flat over
  // every node: a node is outermost when it is the function and no ancestor is (marked top-down,
  // as a parent's number is below its children's).
  // Below them, the function's inlined nodes whose location (its top: the first node up the
  // inlined chain that is not inlined) has frames above them none of which is the function: the
  // callees tree cuts those frames off (pprof's show_from, at every depth; see LevelBuilder.cut).
  const under = new Uint8Array(N);
  const outerList: number[] = [];
  const moved = { node: [] as number[], top: [] as number[] };
  let flat = 0;
  let cum = 0;
  let cumW = 0;
  if (fn >= 0)
    for (let i = 1; i < N; i++) {
      const isF = tr.nodeName[i] === fn;
      if (isF) flat += tr.self[i * T + si]!;
      if (under[tr.parent[i]!]) {
        under[i] = 1;
        if (isF && tr.inlined[i] === 1) {
          let q = tr.parent[i]!;
          while (q > 0 && tr.inlined[q] === 1 && tr.nodeName[q] !== fn) q = tr.parent[q]!;
          if (q > 0 && tr.nodeName[q] !== fn) {
            moved.node.push(i);
            moved.top.push(q);
          }
        }
      } else if (isF) {
        under[i] = 1;
        outerList.push(i);
        cum += tr.total[i * T + si]!;
        cumW += tr.weight[i * T + si]!;
      }
    }
  const outer = Int32Array.from(outerList);
  const minW = (o.minShare ?? 0) * cumW;
  if (until()) yield;
  const up = yield* sandwichTree(tr, si, fn, outer, true, minW, until);
  const down = yield* sandwichTree(tr, si, fn, outer, false, minW, until, moved);
  const of = (t: FlameTrie): FlameData => {
    const f = flameOf(t, {
      sampleIndex: 0,
      ...(o.maxNodes !== undefined ? { maxNodes: o.maxNodes } : {}),
      ...(o.minShare !== undefined ? { minShare: o.minShare } : {}),
    });
    return { ...f, reportTotal: o.reportTotal ?? f.reportTotal };
  };
  if (until()) yield;
  const callers = of(up.trie);
  if (until()) yield;
  return { func, flat, cum, samples: outer.length, recursive: down.recursive, callers, callees: of(down.trie) };
}

/**
 * The inverted (bottom-up) tree of one sample type from the top-down merged trie, as
 * flameTrie(p, { reverse: true }) builds it from the samples but for that one type (T = 1), and
 * level by level as the sandwich's callers tree: the root's children are the frames stacks end
 * at (each trie node's own stacks), a node's children its callers. A frame lighter than
 * `minShare` of the whole is left out with its callers before it is expanded (the work follows
 * what is kept: on a 700k-sample heap profile, a fraction of the full bottom-up tree); every node
 * kept has the full tree's numbers. Undefined when the trie was cut by its limits or is itself
 * bottom-up.
 */
export function invertedFromTrie(tr: FlameTrie, sampleIndex: number, minShare: number): FlameTrie | undefined {
  return runSteps(invertedSteps(tr, sampleIndex, minShare, never));
}

/** invertedFromTrie a slice at a time: it yields between its levels' groups once `until()` says so. */
export function* invertedSteps(
  tr: FlameTrie,
  sampleIndex: number,
  minShare: number,
  until: Until,
): Generator<void, FlameTrie | undefined> {
  if (tr.reverse || tr.samplesCutDepth > 0 || tr.samplesCutNodes > 0 || tr.samplesCutWork > 0) return undefined;
  const b = new LevelBuilder(tr, sampleIndex, -1, true, minShare * Math.abs(tr.weight[sampleIndex] ?? 0));
  b.seedLeaves();
  if (until()) yield;
  while (b.cur.n > 0) while (!b.level(until)) yield;
  return b.out.trie(tr, sampleIndex, true);
}

/**
 * The function with the largest |flat| of one sample type in a top-down trie (a node's self summed
 * over every node of its name), the first row of pprof's -top; undefined when every flat is 0. Ties
 * go to the name that sorts first, as -top orders them.
 */
export function heaviestByFlat(tr: FlameTrie, sampleIndex: number): string | undefined {
  const flat = new Float64Array(tr.names.length);
  for (let n = 1; n < tr.nodes; n++) flat[tr.nodeName[n]!]! += tr.self[n * tr.T + sampleIndex]!;
  let best = -1;
  for (let f = 0; f < flat.length; f++) {
    const d = Math.abs(flat[f]!) - (best < 0 ? 0 : Math.abs(flat[best]!));
    if (flat[f] !== 0 && (best < 0 || d > 0 || (d === 0 && tr.names[f]! < tr.names[best]!))) best = f;
  }
  return best < 0 ? undefined : tr.names[best];
}
