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
 * annotate()'s result column-wise, as the worker transfers it (T = sampleTypes.length).
 * File f's lines are lineNo[fileLineStart[f] .. fileLineStart[f+1]) with flat/cum of line i and
 * sample type t at lineFlat[i*T+t] / lineCum[i*T+t]; its functions likewise through fileFuncStart.
 * Files are sorted by name, lines by number, a file's functions by start line.
 */
export interface AnnotationColumns {
  readonly sampleTypes: readonly { readonly type: string; readonly unit: string }[];
  /** What percentages are relative to, per sample type, as in pprof (see reportTotal). */
  readonly totals: Float64Array;
  readonly files: readonly string[];
  readonly fileLineStart: Uint32Array;
  readonly lineNo: Uint32Array;
  readonly lineFlat: Float64Array;
  readonly lineCum: Float64Array;
  readonly fileFuncStart: Uint32Array;
  readonly funcName: readonly string[];
  readonly funcStartLine: Uint32Array;
  readonly funcFirstLine: Uint32Array;
  readonly funcLastLine: Uint32Array;
  readonly funcFlat: Float64Array;
  readonly funcCum: Float64Array;
  /** 1: "(inline)", 2: "(partial-inline)", 0: neither (as pprof's top marks functions). */
  readonly funcInline: Uint8Array;
}

/**
 * One pass over the samples (each distinct stack once) computing list-style line costs and
 * top-style function costs, written as the columns the worker transfers.
 * totals: what 100 % is per sample type (core/view viewTotals); pprof's report totals of p when not given.
 */
export function annotateColumns(p: Profile, totalsOf?: readonly number[]): AnnotationColumns {
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
  const { locStart: stackStart, stackLocs } = p.samples;
  // Each distinct stack once, with its samples' summed values (core/stacks).
  const st = stacksOf(p);
  const { sums: values, nonzero: nz, table } = st;

  for (let s = 0; s < st.count; s++) {
    const v0 = s * T;
    let nonzero = false;
    for (let t = 0; t < T; t++) if (nz[v0 + t] === 1) nonzero = true;
    const a = stackStart[table[s]!]!;
    const b = stackStart[table[s]! + 1]!;
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
  // source line's (each sample once). Rows are (file, line); written straight into the columns.
  const fileIdx = new Map<string, number>();
  const fileName: string[] = [];
  const fileOf = (file: string) => {
    let f = fileIdx.get(file);
    if (f === undefined) {
      f = fileName.length;
      fileName.push(file);
      fileIdx.set(file, f);
    }
    return f;
  };
  const rowKey = new Map<number, Map<number, number>>();
  const rowFile: number[] = [];
  const rowLine: number[] = [];
  const rowSrc: number[] = [];
  const rowFlat: number[] = [];
  const fnRange = new Map<number, [number, number]>();
  for (let id = 0; id < NL; id++) {
    const fid = lineFunc[id]!;
    const line = lineNo[id]!;
    let zero = true;
    for (let t = 0; t < T; t++) if (lcum[id * T + t] !== 0 || lflat[id * T + t] !== 0) zero = false;
    if (zero) continue;
    const fi = fileOf(funcs[fid]!.file);
    let rows = rowKey.get(fi);
    if (!rows) rowKey.set(fi, (rows = new Map()));
    let r = rows.get(line);
    if (r === undefined) {
      r = rowLine.length;
      rows.set(line, r);
      rowFile.push(fi);
      rowLine.push(line);
      rowSrc.push(lineSrc[id]!);
      for (let t = 0; t < T; t++) rowFlat.push(0);
    }
    for (let t = 0; t < T; t++) rowFlat[r * T + t] = rowFlat[r * T + t]! + lflat[id * T + t]!;
    const range = fnRange.get(fid);
    if (!range) fnRange.set(fid, [line, line]);
    else {
      if (line < range[0]) range[0] = line;
      if (line > range[1]) range[1] = line;
    }
  }
  const fnOfFile: number[][] = fileName.map(() => []);
  for (let fid = 0; fid < NF; fid++) {
    const f = funcs[fid]!;
    if (f.file === '' || !fnRange.has(fid)) continue;
    fnOfFile[fileOf(f.file)]!.push(fid);
  }
  const startOf = (fid: number) => (funcs[fid]!.startLine > 0 ? funcs[fid]!.startLine : fnRange.get(fid)![0]);
  const rowsOfFile: number[][] = fileName.map(() => []);
  for (let r = 0; r < rowLine.length; r++) rowsOfFile[rowFile[r]!]!.push(r);
  const order = fileName
    .map((_, i) => i)
    .sort((x, y) => (fileName[x]! < fileName[y]! ? -1 : fileName[x]! > fileName[y]! ? 1 : 0));

  const NR = rowLine.length;
  let NFn = 0;
  for (const fl of fnOfFile) NFn += fl.length;
  const out: AnnotationColumns = {
    sampleTypes: p.sampleTypes,
    totals,
    files: order.map((i) => fileName[i]!),
    fileLineStart: new Uint32Array(order.length + 1),
    lineNo: new Uint32Array(NR),
    lineFlat: new Float64Array(NR * T),
    lineCum: new Float64Array(NR * T),
    fileFuncStart: new Uint32Array(order.length + 1),
    funcName: [],
    funcStartLine: new Uint32Array(NFn),
    funcFirstLine: new Uint32Array(NFn),
    funcLastLine: new Uint32Array(NFn),
    funcFlat: new Float64Array(NFn * T),
    funcCum: new Float64Array(NFn * T),
    funcInline: new Uint8Array(NFn),
  };
  let li = 0;
  let fo = 0;
  order.forEach((f, k) => {
    out.fileLineStart[k] = li;
    out.fileFuncStart[k] = fo;
    for (const r of rowsOfFile[f]!.sort((x, y) => rowLine[x]! - rowLine[y]!)) {
      out.lineNo[li] = rowLine[r]!;
      const src = rowSrc[r]!;
      for (let t = 0; t < T; t++) {
        out.lineFlat[li * T + t] = rowFlat[r * T + t]!;
        out.lineCum[li * T + t] = scum[src * T + t]!;
      }
      li++;
    }
    for (const fid of fnOfFile[f]!.sort((x, y) => startOf(x) - startOf(y))) {
      const range = fnRange.get(fid)!;
      (out.funcName as string[]).push(funcs[fid]!.name);
      out.funcStartLine[fo] = startOf(fid);
      out.funcFirstLine[fo] = range[0];
      out.funcLastLine[fo] = range[1];
      // 1: "(inline)", 2: "(partial-inline)", as pprof's top marks functions.
      out.funcInline[fo] = inl[fid] === 1 ? 1 : inl[fid] === 3 ? 2 : 0;
      for (let t = 0; t < T; t++) {
        out.funcFlat[fo * T + t] = fflat[fid * T + t]!;
        out.funcCum[fo * T + t] = fcum[fid * T + t]!;
      }
      fo++;
    }
  });
  out.fileLineStart[order.length] = li;
  out.fileFuncStart[order.length] = fo;
  // In a -diff_base comparison the base's total is the reference.
  for (let t = 0; t < T; t++) totals[t] = totalsOf?.[t] ?? reportTotal(p, t);
  return out;
}

/** annotateColumns as nested objects per file, line and function (for tests and one-off readers). */
export function annotate(p: Profile, totalsOf?: readonly number[]): Annotations {
  return nestedAnnotations(annotateColumns(p, totalsOf));
}

/** The nested form of annotation columns. */
export function nestedAnnotations(c: AnnotationColumns): Annotations {
  const T = c.sampleTypes.length;
  const inline = ['', 'inline', 'partial-inline'] as const;
  const files: FileCosts[] = c.files.map((file, k) => {
    const lines: LineCost[] = [];
    for (let i = c.fileLineStart[k]!; i < c.fileLineStart[k + 1]!; i++)
      lines.push({
        line: c.lineNo[i]!,
        flat: Array.from(c.lineFlat.subarray(i * T, i * T + T)),
        cum: Array.from(c.lineCum.subarray(i * T, i * T + T)),
      });
    const functions: FunctionCost[] = [];
    for (let i = c.fileFuncStart[k]!; i < c.fileFuncStart[k + 1]!; i++)
      functions.push({
        name: c.funcName[i]!,
        file,
        startLine: c.funcStartLine[i]!,
        firstLine: c.funcFirstLine[i]!,
        lastLine: c.funcLastLine[i]!,
        flat: Array.from(c.funcFlat.subarray(i * T, i * T + T)),
        cum: Array.from(c.funcCum.subarray(i * T, i * T + T)),
        inline: inline[c.funcInline[i]!] ?? '',
      });
    return { file, lines, functions };
  });
  return { sampleTypes: c.sampleTypes, totals: c.totals, files };
}
