/**
 * Per-line and per-function costs for editor overlays, for every sample type at once, so that
 * switching the sample type in the editor needs no new pass over the samples.
 *
 * The per-line numbers are those `go tool pprof -list` prints: nodes are (function, file, line)
 * with cum counted once per sample. A line's flat is the sum over the functions at that line; its
 * cum counts each sample once even when several functions share the line (a closure literal's
 * line holds the outer function's call and the closure's entry: `pprof.Do(ctx, l, func(…) {`),
 * so it equals -list's value wherever one function has the line and never double counts.
 * Functions' totals are those of `-top` at function granularity (cum once per sample).
 */
import { cleanPath } from './graph';
import type { Profile } from './model';
import { reportTotal } from './report';
import { stacksOf } from './stacks';

export interface LineCost {
  readonly line: number;
  /** flat[t], cum[t] for sample type t. */
  readonly flat: number[];
  readonly cum: number[];
}

export interface FunctionCost {
  readonly name: string;
  readonly file: string;
  /** Function.start_line when the profile has it, else the smallest sampled line. */
  readonly startLine: number;
  /** Smallest and largest sampled line of the function in this file. */
  readonly firstLine: number;
  readonly lastLine: number;
  readonly flat: number[];
  readonly cum: number[];
  /** As pprof's top marks it: "inline" when every call to it was inlined, "partial-inline" when some were. */
  readonly inline: '' | 'inline' | 'partial-inline';
}

export interface FileCosts {
  /** The file name as the profile has it (cleaned like pprof does). */
  readonly file: string;
  /** Ascending by line. */
  readonly lines: LineCost[];
  readonly functions: FunctionCost[];
}

export interface Annotations {
  readonly sampleTypes: Profile['sampleTypes'];
  /** What percentages are relative to, per sample type, as in pprof (see reportTotal). */
  readonly totals: Float64Array;
  readonly files: FileCosts[];
}

/**
 * One pass over the samples computing list-style line costs and top-style function costs.
 * totals: what 100 % is per sample type (core/view viewTotals); pprof's report totals of p when not given.
 */
export function annotate(p: Profile, totalsOf?: readonly number[]): Annotations {
  const T = p.sampleTypes.length;
  const clean = new Map<string, string>();
  const cleanOf = (f: string) => {
    let c = clean.get(f);
    if (c === undefined) clean.set(f, (c = f === '' ? '' : cleanPath(f)));
    return c;
  };

  // Line nodes: (function index, line) -> id. Function nodes: function name+file -> id.
  const lineKey = new Map<string, number>();
  const lineFunc: number[] = [];
  const lineNo: number[] = [];
  // Per line node, its source line (file, line) shared by every function on it.
  const srcKey = new Map<string, number>();
  const lineSrc: number[] = [];
  const funcKey = new Map<string, number>();
  const funcs: { name: string; file: string; startLine: number }[] = [];
  // Per location, its lines' node ids, flattened: frames locStart[l] .. locStart[l+1].
  const locStart = new Uint32Array(p.locations.length + 1);
  let nFrames = 0;
  p.locations.forEach((l, i) => {
    locStart[i] = nFrames;
    nFrames += l.lines.length;
  });
  locStart[p.locations.length] = nFrames;
  const frameLine = new Int32Array(nFrames);
  const frameFunc = new Int32Array(nFrames);
  let fr = 0;
  for (const l of p.locations) {
    for (const line of l.lines) {
      const k = fr++;
      if (line.func < 0) {
        frameLine[k] = -1;
        frameFunc[k] = -1;
        continue;
      }
      const f = p.functions[line.func]!;
      const file = cleanOf(f.file);
      const fkey = `${f.name}\u0000${file}`;
      let fid = funcKey.get(fkey);
      if (fid === undefined) {
        fid = funcs.length;
        funcs.push({ name: f.name, file, startLine: f.startLine });
        funcKey.set(fkey, fid);
      }
      frameFunc[k] = fid;
      if (file === '' || line.line <= 0) {
        frameLine[k] = -1;
        continue;
      }
      const key = `${fid}:${line.line}`;
      let id = lineKey.get(key);
      if (id === undefined) {
        id = lineFunc.length;
        lineFunc.push(fid);
        lineNo.push(line.line);
        lineKey.set(key, id);
        const sk = `${file}\u0000${line.line}`;
        let src = srcKey.get(sk);
        if (src === undefined) srcKey.set(sk, (src = srcKey.size));
        lineSrc.push(src);
      }
      frameLine[k] = id;
    }
  }

  const NL = lineFunc.length;
  const NF = funcs.length;
  const lflat = new Float64Array(NL * T);
  const lcum = new Float64Array(NL * T);
  const fflat = new Float64Array(NF * T);
  const fcum = new Float64Array(NF * T);
  const lstamp = new Int32Array(NL).fill(-1);
  const NS = srcKey.size;
  const scum = new Float64Array(NS * T);
  const sstamp = new Int32Array(NS).fill(-1);
  const fstamp = new Int32Array(NF).fill(-1);
  // Per function: bit 0 called inlined (not the last line of its location), bit 1 called not inlined.
  const inl = new Uint8Array(NF);
  const totals = new Float64Array(T);
  const { stackStart, stackLocs } = p.samples;
  // Each distinct stack once, with its samples' summed values (core/stacks).
  const st = stacksOf(p);
  const { sums: values, nonzero: nz, first } = st;

  for (let s = 0; s < st.count; s++) {
    const v0 = s * T;
    let nonzero = false;
    for (let t = 0; t < T; t++) if (nz[v0 + t] === 1) nonzero = true;
    const a = stackStart[first[s]!]!;
    const b = stackStart[first[s]! + 1]!;
    if (!nonzero || a === b) continue;
    // The leaf frame gets the flat value: line[0] of the first location, if it has lines.
    const leafLoc = stackLocs[a]!;
    if (locStart[leafLoc + 1]! > locStart[leafLoc]!) {
      const f0 = locStart[leafLoc]!;
      const leafLine = frameLine[f0]!;
      const leafFunc = frameFunc[f0]!;
      if (leafLine >= 0)
        for (let t = 0; t < T; t++) lflat[leafLine * T + t] = lflat[leafLine * T + t]! + values[v0 + t]!;
      if (leafFunc >= 0)
        for (let t = 0; t < T; t++) fflat[leafFunc * T + t] = fflat[leafFunc * T + t]! + values[v0 + t]!;
    }
    for (let k = a; k < b; k++) {
      const loc = stackLocs[k]!;
      const end = locStart[loc + 1]!;
      for (let fi = locStart[loc]!; fi < end; fi++) {
        const id = frameLine[fi]!;
        if (id >= 0 && lstamp[id] !== s) {
          lstamp[id] = s;
          for (let t = 0; t < T; t++) lcum[id * T + t] = lcum[id * T + t]! + values[v0 + t]!;
          const src = lineSrc[id]!;
          if (sstamp[src] !== s) {
            sstamp[src] = s;
            for (let t = 0; t < T; t++) scum[src * T + t] = scum[src * T + t]! + values[v0 + t]!;
          }
        }
        const fid = frameFunc[fi]!;
        if (fid >= 0) {
          if (fi < end - 1) inl[fid] = inl[fid]! | 1;
          else if (k < b - 1) inl[fid] = inl[fid]! | 2;
        }
        if (fid >= 0 && fstamp[fid] !== s) {
          fstamp[fid] = s;
          for (let t = 0; t < T; t++) fcum[fid * T + t] = fcum[fid * T + t]! + values[v0 + t]!;
        }
      }
    }
  }

  // Group by file; flat sums the line nodes of different functions on the same line, cum is the
  // source line's (each sample once).
  const byFile = new Map<string, { lines: Map<number, LineCost>; functions: FunctionCost[] }>();
  const fileOf = (file: string) => {
    let f = byFile.get(file);
    if (!f) byFile.set(file, (f = { lines: new Map(), functions: [] }));
    return f;
  };
  const fnRange = new Map<number, [number, number]>();
  for (let id = 0; id < NL; id++) {
    const fid = lineFunc[id]!;
    const line = lineNo[id]!;
    let zero = true;
    for (let t = 0; t < T; t++) if (lcum[id * T + t] !== 0 || lflat[id * T + t] !== 0) zero = false;
    if (zero) continue;
    const fc = fileOf(funcs[fid]!.file);
    let lc = fc.lines.get(line);
    if (!lc) {
      const src = lineSrc[id]!;
      fc.lines.set(
        line,
        (lc = { line, flat: new Array<number>(T).fill(0), cum: Array.from(scum.subarray(src * T, src * T + T)) }),
      );
    }
    for (let t = 0; t < T; t++) lc.flat[t] = lc.flat[t]! + lflat[id * T + t]!;
    const r = fnRange.get(fid);
    if (!r) fnRange.set(fid, [line, line]);
    else {
      if (line < r[0]) r[0] = line;
      if (line > r[1]) r[1] = line;
    }
  }
  for (let fid = 0; fid < NF; fid++) {
    const f = funcs[fid]!;
    const r = fnRange.get(fid);
    if (f.file === '' || !r) continue;
    fileOf(f.file).functions.push({
      name: f.name,
      file: f.file,
      startLine: f.startLine > 0 ? f.startLine : r[0],
      firstLine: r[0],
      lastLine: r[1],
      flat: Array.from(fflat.subarray(fid * T, fid * T + T)),
      cum: Array.from(fcum.subarray(fid * T, fid * T + T)),
      inline: inl[fid] === 1 ? 'inline' : inl[fid] === 3 ? 'partial-inline' : '',
    });
  }
  const files: FileCosts[] = [...byFile.entries()]
    .map(([file, f]) => ({
      file,
      lines: [...f.lines.values()].sort((a, b) => a.line - b.line),
      functions: f.functions.sort((a, b) => a.startLine - b.startLine),
    }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // In a -diff_base comparison the base's total is the reference.
  for (let t = 0; t < T; t++) totals[t] = totalsOf?.[t] ?? reportTotal(p, t);
  return { sampleTypes: p.sampleTypes, totals, files };
}
