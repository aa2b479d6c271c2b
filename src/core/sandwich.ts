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
import { flameOf, flameTrie, type FlameOptions } from './flame';
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
  /** Samples through the function. */
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
