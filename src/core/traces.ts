/**
 * pprof's -traces (every sample's stack with its value and labels) and -tags (label values and the
 * share of the sample type each carries), as structured data and as the text `go tool pprof`
 * prints. The profile given is the one the report runs on: merged as pprof's driver merges it
 * (compact.ts driverNormalize, so samples keep pprof's order) and filtered.
 */
import { percentage, scale, scaledLabel, toFixedGo } from '../shared/units';
import { buildNodeTable, printableName, type Granularity } from './graph';
import type { Label, Profile } from './model';
import { profileLabels, reportTotal, ValueFormatter } from './report';

export interface TracesOptions {
  sampleIndex: number;
  granularity?: Granularity;
  noInlines?: boolean;
  /** -unit, default "minimum". */
  unit?: string;
  /** -divide_by, default 1. */
  divideBy?: number;
  /** The total of the header's Duration line; defaults to the profile's. */
  total?: number;
  /** -mean: each value divided by the sample's first value (its count). */
  mean?: boolean;
}

/** pprof's numeric label units: the first unit seen for a key, else guessed from the key. */
export function numLabelUnits(p: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const seen = new Set<string>();
  for (const ls of p.samples.labels) {
    for (const l of ls ?? []) {
      if (l.num === undefined) continue;
      seen.add(l.key);
      if (l.numUnit && !units.has(l.key)) units.set(l.key, l.numUnit);
    }
  }
  for (const k of seen) {
    if (!units.get(k)) units.set(k, k === 'alignment' || k === 'request' ? 'bytes' : k);
  }
  return units;
}

/** Labels grouped by key in order of appearance: [key, values][] for strings and numbers. */
function groupLabels(ls: readonly Label[] | undefined): { strs: Map<string, string[]>; nums: Map<string, number[]> } {
  const strs = new Map<string, string[]>();
  const nums = new Map<string, number[]>();
  for (const l of ls ?? []) {
    if (l.str !== undefined) {
      const a = strs.get(l.key);
      if (a) a.push(l.str);
      else strs.set(l.key, [l.str]);
    } else if (l.num !== undefined) {
      const a = nums.get(l.key);
      if (a) a.push(l.num);
      else nums.set(l.key, [l.num]);
    }
  }
  return { strs, nums };
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface TraceFrame {
  name: string;
  /** True for a frame inlined into the next one (pprof's " (inline)"). */
  inline: boolean;
}

export interface Trace {
  /** "key:  v1 v2" lines, string labels first, each group sorted. */
  labels: string[];
  value: number;
  /** The stack, leaf first, as indices into TracesReport.locationFrames. */
  locations: number[];
}

export interface TracesReport {
  header: string[];
  traces: Trace[];
  /** Per location of the profile: its frames, innermost first. Shared by every trace through it. */
  locationFrames: TraceFrame[][];
  formatter: ValueFormatter;
}

/** A trace's frames, leaf first. */
export function traceFrames(r: TracesReport, t: Trace): TraceFrame[] {
  return t.locations.flatMap((l) => r.locationFrames[l]!);
}

export function tracesReport(p: Profile, o: TracesOptions): TracesReport {
  const st = p.sampleTypes[o.sampleIndex];
  if (!st) throw new RangeError(`sample index ${o.sampleIndex} is outside [0..${p.sampleTypes.length - 1}]`);
  const divideBy = o.divideBy ?? 1;
  if (divideBy === 0) throw new RangeError('zero divisor specified');
  const fmt = new ValueFormatter(st.unit, o.unit ?? 'minimum', 1 / divideBy);
  const total = o.total ?? reportTotal(p, o.sampleIndex);
  const header = profileLabels(p, o.sampleIndex, total, fmt, o.mean);
  const table = buildNodeTable(p, {
    sampleIndex: o.sampleIndex,
    granularity: o.granularity ?? 'functions',
    noInlines: !!o.noInlines,
  });
  const names = table.infos.map(printableName);
  const locationFrames = table.locNodes.map((nodes) =>
    Array.from(nodes, (n, i) => ({ name: names[n]!, inline: i !== nodes.length - 1 })),
  );
  const units = numLabelUnits(p);
  const T = p.sampleTypes.length;
  const { count, values, locStart, stack, stackLocs, labels } = p.samples;
  const labelLines = new Map<readonly Label[], string[]>();
  const traces: Trace[] = [];
  for (let s = 0; s < count; s++) {
    const locations: number[] = [];
    let frames = 0;
    for (let k = locStart[stack[s]!]!; k < locStart[stack[s]! + 1]!; k++) {
      locations.push(stackLocs[k]!);
      frames += locationFrames[stackLocs[k]!]!.length;
    }
    if (frames === 0) continue;
    const ls = labels[s];
    let lines: string[] = [];
    if (ls && ls.length > 0) {
      let cached = labelLines.get(ls);
      if (!cached) {
        const { strs, nums } = groupLabels(ls);
        const pad = (k: string) => k.padStart(10);
        const strLines = [...strs].map(([k, v]) => `${pad(k)}:  ${v.join(' ')}`).sort(byCodeUnits);
        const numLines = [...nums]
          .map(([k, v]) => `${pad(k)}:  ${v.map((x) => scaledLabel(x, units.get(k) ?? k, 'auto')).join(' ')}`)
          .sort(byCodeUnits);
        labelLines.set(ls, (cached = [...strLines, ...numLines]));
      }
      lines = cached;
    }
    let v = values[s * T + o.sampleIndex]!;
    if (o.mean) {
      const d = values[s * T]!;
      if (d !== 0) v = Math.trunc(v / d);
    }
    traces.push({ labels: lines, value: v, locations });
  }
  return { header, traces, locationFrames, formatter: fmt };
}

const TRACE_SEPARATOR = '-----------+-------------------------------------------------------';

export function formatTraces(r: TracesReport): string {
  const blank = ' '.repeat(13);
  const frameLine = (f: TraceFrame) => `${f.name}${f.inline ? ' (inline)' : ''}`;
  // Every frame line but a stack's first is the same wherever the location occurs: made once.
  const text = r.locationFrames.map((fs) => fs.map((f) => `${blank}${frameLine(f)}\n`).join(''));
  const out: string[] = [`${r.header.join('\n')}\n`];
  for (const t of r.traces) {
    let s = `${TRACE_SEPARATOR}\n`;
    for (const l of t.labels) s += `${l}\n`;
    let first = true;
    for (const loc of t.locations) {
      const fs = r.locationFrames[loc]!;
      if (fs.length === 0) continue;
      if (first) {
        s += `${r.formatter.format(t.value).padStart(10)}   ${frameLine(fs[0]!)}\n`;
        for (let i = 1; i < fs.length; i++) s += `${blank}${frameLine(fs[i]!)}\n`;
        first = false;
      } else s += text[loc]!;
    }
    out.push(s);
  }
  out.push(`${TRACE_SEPARATOR}\n`);
  return out.join('');
}

export interface TagValue {
  name: string;
  value: number;
}

export interface TagsReport {
  /** Keys in name order, each with its values heaviest first. */
  keys: { key: string; total: number; values: TagValue[] }[];
  sampleUnit: string;
  outputUnit: string;
}

/** pprof's -tags: for each label key, the sum of the sample type per value. */
export function tagsReport(p: Profile, o: { sampleIndex: number; unit?: string }): TagsReport {
  const st = p.sampleTypes[o.sampleIndex];
  if (!st) throw new RangeError(`sample index ${o.sampleIndex} is outside [0..${p.sampleTypes.length - 1}]`);
  const outputUnit = o.unit ?? 'minimum';
  const units = numLabelUnits(p);
  const tagMap = new Map<string, Map<string, number>>();
  const add = (key: string, val: string, v: number) => {
    let m = tagMap.get(key);
    if (!m) tagMap.set(key, (m = new Map()));
    m.set(val, (m.get(val) ?? 0) + v);
  };
  const T = p.sampleTypes.length;
  const { count, values, labels, locStart, stack } = p.samples;
  for (let s = 0; s < count; s++) {
    const ls = labels[s];
    if (!ls || ls.length === 0) continue;
    // pprof's fetch drops samples whose every value is zero (its merge), and its report's sample
    // filter those whose stack is empty (all pruned by drop_frames): they name no tag value.
    if (locStart[stack[s]! + 1] === locStart[stack[s]!]) continue;
    let zero = true;
    for (let t = 0; t < T && zero; t++) if (values[s * T + t] !== 0) zero = false;
    if (zero) continue;
    const v = values[s * T + o.sampleIndex]!;
    for (const l of ls) {
      if (l.str !== undefined) add(l.key, l.str, v);
      else if (l.num !== undefined) add(l.key, scaledLabel(l.num, units.get(l.key) ?? l.key, outputUnit), v);
    }
  }
  const keys = [...tagMap.keys()].sort(byCodeUnits).map((key) => {
    const m = tagMap.get(key)!;
    let total = 0;
    const vals: TagValue[] = [];
    for (const [name, value] of m) {
      total += value;
      vals.push({ name, value });
    }
    vals.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || byCodeUnits(a.name, b.name));
    return { key, total, values: vals };
  });
  return { keys, sampleUnit: st.unit, outputUnit };
}

export function formatTags(r: TagsReport): string {
  const fmt = (v: number) => {
    const [x, u] = scale(v, r.sampleUnit, r.outputUnit);
    return `${toFixedGo(x, 1)}${u}`;
  };
  const rows: string[][] = [];
  for (const k of r.keys) {
    rows.push([`${k.key}:`, ` Total ${fmt(k.total)}`]);
    for (const t of k.values) {
      rows.push([
        ' ',
        k.total > 0 ? `${fmt(t.value)} (${percentage(t.value, k.total)}):` : `${fmt(t.value)}:`,
        ` ${t.name}`,
      ]);
    }
    rows.push(['']);
  }
  return tabwriterAlignRight(rows, 1);
}

/**
 * Go's text/tabwriter with minwidth 0, the given padding, ' ' as pad character and AlignRight:
 * each row is its cells, the last one not terminated by a tab (so it is not aligned). Cells of a
 * column are aligned over each run of consecutive rows that have that column.
 */
export function tabwriterAlignRight(rows: readonly (readonly string[])[], padding: number): string {
  const width = (s: string) => [...s].length;
  const out: string[] = rows.map(() => '');
  const format = (col: number, from: number, to: number): void => {
    let line = from;
    while (line < to) {
      if (rows[line]!.length - 1 <= col) {
        line++;
        continue;
      }
      const start = line;
      let w = 0;
      while (line < to && rows[line]!.length - 1 > col) {
        w = Math.max(w, width(rows[line]![col]!) + padding);
        line++;
      }
      for (let i = start; i < line; i++) {
        const c = rows[i]![col]!;
        out[i] += ' '.repeat(w - width(c)) + c;
      }
      format(col + 1, start, line);
    }
  };
  format(0, 0, rows.length);
  return rows.map((r, i) => `${out[i]}${r[r.length - 1] ?? ''}\n`).join('');
}
