/**
 * The text reports of `go tool pprof`: top (-top / -text), peek (-peek) and list (-list), as
 * structured rows and as the same text pprof prints. Numbers, order, trimming and formatting
 * follow Go's pprof; the golden tests in test/unit/golden.test.ts hold them to its output.
 */
import type { GoRegexp } from './regexp';
import { percentage, scale, scaledLabel } from '../shared/units';
import {
  buildGraph,
  buildNodeTable,
  cleanPath,
  edgesIn,
  edgesOut,
  inlineLabel,
  sortEdges,
  trimmedGraph,
  type Granularity,
  type GraphNode,
  type SortOrder,
} from './graph';
import { isDiffBaseSample } from './diff';
import type { Profile } from './model';
import { baseName } from './graph';

export interface ReportOptions {
  sampleIndex: number;
  granularity?: Granularity;
  noInlines?: boolean;
  sort?: SortOrder;
  /** -nodecount; undefined means pprof's default for the report (top: no limit). */
  nodeCount?: number;
  /** -nodefraction, default 0.005. */
  nodeFraction?: number;
  /** -edgefraction, default 0.001. */
  edgeFraction?: number;
  /** -unit, default "minimum". */
  unit?: string;
  /** -divide_by, default 1. */
  divideBy?: number;
  /** Omit the File/Type/Time/Duration header lines. */
  compactLabels?: boolean;
  /** The total percentages are relative to; defaults to the sum of |value| over all samples. */
  total?: number;
  /** Lines for an "Active filters:" legend, e.g. "focus=main". */
  activeFilters?: string[];
  /** -drop_negative: leave out nodes with a negative value. */
  dropNegative?: boolean;
  /** -mean: values per event (the sample type divided by sample type 0, per node). */
  mean?: boolean;
}

/**
 * pprof's report total: the sum of absolute sample values, or, in a -diff_base comparison, the
 * sum over the base's samples (so that percentages are relative to the base).
 */
export function reportTotal(p: Profile, sampleIndex: number): number {
  const { values, count, labelIds, labelSets } = p.samples;
  const T = p.sampleTypes.length;
  let total = 0;
  for (let i = 0; i < count; i++) total += Math.abs(values[i * T + sampleIndex]!);
  if (labelIds && labelSets) {
    // The decoder's label columns: each set looked at once, the labels array never built.
    const isBase = labelSets.map(isDiffBaseSample);
    if (!isBase.includes(true)) return total;
    let base = 0;
    for (let i = 0; i < count; i++) {
      const id = labelIds[i]!;
      if (id > 0 && isBase[id - 1]) base += Math.abs(values[i * T + sampleIndex]!);
    }
    return base > 0 ? base : total;
  }
  const { labels } = p.samples;
  if (labels.length === 0) return total;
  // Samples share their label sets (one array per set): each run of a set is looked at once.
  let baseTotal = 0;
  let last: (typeof labels)[number] | null = null;
  let lastIsBase = false;
  for (let i = 0; i < count; i++) {
    const ls = labels[i];
    if (ls !== last) {
      last = ls;
      lastIsBase = isDiffBaseSample(ls);
    }
    if (lastIsBase) baseTotal += Math.abs(values[i * T + sampleIndex]!);
  }
  return baseTotal > 0 ? baseTotal : total;
}

/** Formats values the way one pprof report does (its unit chosen once, from the data). */
export class ValueFormatter {
  constructor(
    readonly sampleUnit: string,
    public outputUnit: string,
    readonly ratio: number,
  ) {}
  format(v: number): string {
    const x = this.ratio > 0 && this.ratio !== 1 ? Math.trunc(v * this.ratio) : v;
    return scaledLabel(x, this.sampleUnit, this.outputUnit);
  }
  /** pprof's selectOutputUnit: one unit for the report, fine enough for its smallest value. */
  selectFor(nodes: readonly GraphNode[], total: number, callgrind = false): void {
    if (this.outputUnit !== 'minimum' || nodes.length === 0) return;
    let minValue = 0;
    for (const n of nodes) {
      let m = Math.abs(n.flat);
      if (m === 0) m = Math.abs(n.cum);
      if (m > 0 && (minValue === 0 || m < minValue)) minValue = m;
    }
    let maxValue = total;
    if (minValue === 0) minValue = maxValue;
    const r = this.ratio;
    if (r > 0 && r !== 1) {
      minValue = Math.trunc(minValue * r);
      maxValue = Math.trunc(maxValue * r);
    }
    const minUnit = scale(minValue, this.sampleUnit, 'minimum')[1];
    const maxUnit = scale(maxValue, this.sampleUnit, 'minimum')[1];
    let unit = minUnit;
    if (minUnit !== maxUnit && minValue * 100 < maxValue && !callgrind) {
      unit = scale(100 * minValue, this.sampleUnit, 'minimum')[1];
    }
    this.outputUnit = unit !== '' ? unit : this.sampleUnit;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's "Jan 2, 2006 at 3:04pm (MST)" layout, in UTC. */
export function formatTime(nanos: number): string {
  const d = new Date(Math.floor(nanos / 1e6));
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} at ${h12}:${mm}${h < 12 ? 'am' : 'pm'} (UTC)`;
}

/** The header lines pprof prints above a report (File, Build ID, comments, Type, Time, Duration). */
export function profileLabels(
  p: Profile,
  sampleIndex: number,
  total: number,
  fmt: ValueFormatter,
  mean = false,
): string[] {
  const label: string[] = [];
  const m0 = p.mappings[0];
  if (m0) {
    if (m0.file !== '') label.push(`File: ${baseName(m0.file)}`);
    if (m0.buildId !== '') label.push(`Build ID: ${m0.buildId}`);
  }
  for (const c of p.comments) if (!c.startsWith('#')) label.push(c);
  const st = p.sampleTypes[sampleIndex]!;
  label.push(`Type: ${mean ? 'mean_' : ''}${st.type}`);
  if (p.timeNanos !== 0) label.push(`Time: ${formatTime(p.timeNanos)}`);
  if (p.durationNanos !== 0) {
    const duration = scaledLabel(p.durationNanos, 'nanoseconds', 'auto');
    const [totalNanos, totalUnit] = scale(total, st.unit, 'nanoseconds');
    const ratio =
      totalUnit === 'ns' && totalNanos !== 0 ? `(${percentage(Math.trunc(totalNanos), p.durationNanos)})` : '';
    label.push(`Duration: ${duration}, Total samples = ${fmt.format(total)} ${ratio}`);
  }
  return label;
}

export interface TopRow {
  /** pprof's printable name: "main.foo", "main.foo /src/x.go:12", a file name, ... */
  name: string;
  /** Function name ("" at files granularity). */
  function: string;
  /** Cleaned source file name, "" when unknown. */
  file: string;
  /** Source line at lines granularity, else 0. */
  line: number;
  flat: number;
  cum: number;
  /** "(inline)", "(partial-inline)" or "". */
  inline: string;
}

export interface TopReport {
  /** Header lines: profile labels, filters, "Showing nodes accounting for ...", dropped counts. */
  labels: string[];
  rows: TopRow[];
  total: number;
  formatter: ValueFormatter;
}

function resolveOptions(p: Profile, o: ReportOptions) {
  const st = p.sampleTypes[o.sampleIndex];
  if (!st) throw new RangeError(`sample index ${o.sampleIndex} is outside [0..${p.sampleTypes.length - 1}]`);
  const divideBy = o.divideBy ?? 1;
  if (divideBy === 0) throw new RangeError('zero divisor specified');
  const total = o.total ?? reportTotal(p, o.sampleIndex);
  const fmt = new ValueFormatter(st.unit, o.unit ?? 'minimum', 1 / divideBy);
  return { total, fmt };
}

function reportLabels(
  p: Profile,
  o: ReportOptions,
  total: number,
  fmt: ValueFormatter,
  nodes: readonly GraphNode[],
  origCount: number,
  droppedNodes: number,
  nodeFraction: number,
): string[] {
  const label = o.compactLabels ? [] : profileLabels(p, o.sampleIndex, total, fmt, o.mean);
  let flatSum = 0;
  for (const n of nodes) flatSum += n.flat;
  if (o.activeFilters && o.activeFilters.length > 0) {
    label.push('Active filters:');
    for (const f of o.activeFilters) label.push(`   ${f.length > 80 ? `${f.slice(0, 80)}…` : f}`);
  }
  label.push(
    `Showing nodes accounting for ${fmt.format(flatSum)}, ${percentage(flatSum, total).trim()} of ${fmt.format(total)} total`,
  );
  if (total !== 0) {
    if (droppedNodes > 0) {
      const cut = fmt.format(Math.abs(Math.trunc(total * nodeFraction)));
      label.push(`Dropped ${droppedNodes} ${droppedNodes > 1 ? 'nodes' : 'node'} (cum <= ${cut})`);
    }
    if (nodes.length > 0 && nodes.length < origCount) {
      label.push(`Showing top ${nodes.length} nodes out of ${origCount}`);
    }
  }
  return label;
}

/** pprof's -top / -text report. */
export function topReport(p: Profile, o: ReportOptions): TopReport {
  const { total, fmt } = resolveOptions(p, o);
  const nodeFraction = o.nodeFraction ?? 0.005;
  const t = trimmedGraph(
    p,
    {
      sampleIndex: o.sampleIndex,
      granularity: o.granularity ?? 'functions',
      noInlines: !!o.noInlines,
      dropNegative: !!o.dropNegative,
      mean: !!o.mean,
    },
    { nodeFraction, edgeFraction: o.edgeFraction ?? 0.001, nodeCount: o.nodeCount ?? 0, sort: o.sort ?? 'flat' },
  );
  const nodes = t.graph.nodes;
  fmt.selectFor(nodes, total);
  const labels = reportLabels(p, o, total, fmt, nodes, t.origCount, t.droppedNodes, nodeFraction);
  const rows = nodes.map((n) => ({
    name: n.printableName,
    function: n.info.name,
    file: n.info.file,
    line: n.info.line,
    flat: n.flat,
    cum: n.cum,
    inline: inlineLabel(t.graph, n.id),
  }));
  return { labels, rows, total, formatter: fmt };
}

export function formatTop(r: TopReport): string {
  const out = [...r.labels];
  out.push(
    `${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'sum'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%`,
  );
  let flatSum = 0;
  for (const row of r.rows) {
    flatSum += row.flat;
    const inl = row.inline !== '' ? ` ${row.inline}` : '';
    out.push(
      `${r.formatter.format(row.flat).padStart(10)} ${percentage(row.flat, r.total)} ${percentage(flatSum, r.total)} ` +
        `${r.formatter.format(row.cum).padStart(10)} ${percentage(row.cum, r.total)}  ${row.name}${inl}`,
    );
  }
  return `${out.join('\n')}\n`;
}

export interface PeekEdge {
  name: string;
  weight: number;
  inline: boolean;
}

export interface PeekEntry {
  name: string;
  flat: number;
  cum: number;
  callers: PeekEdge[];
  callees: PeekEdge[];
}

export interface PeekReport {
  labels: string[];
  entries: PeekEntry[];
  total: number;
  formatter: ValueFormatter;
  /** Nodes in the graph the entries were chosen from. */
  nodeCount: number;
}

/**
 * pprof's -tree (every node of the trimmed graph) and -peek (the nodes whose name matches, on the
 * untrimmed graph): each with its callers and callees.
 */
export function treeReport(p: Profile, o: ReportOptions, match?: GoRegexp): PeekReport {
  const { total, fmt } = resolveOptions(p, o);
  const nodeFraction = match ? 0 : (o.nodeFraction ?? 0.005);
  const t = trimmedGraph(
    p,
    {
      sampleIndex: o.sampleIndex,
      granularity: o.granularity ?? 'functions',
      noInlines: !!o.noInlines,
      dropNegative: !!o.dropNegative,
      mean: !!o.mean,
    },
    match
      ? { nodeFraction: 0, edgeFraction: 0, nodeCount: 0, sort: o.sort ?? 'flat' }
      : { nodeFraction, edgeFraction: o.edgeFraction ?? 0.001, nodeCount: o.nodeCount ?? 80, sort: o.sort ?? 'flat' },
  );
  const nodes = t.graph.nodes;
  fmt.selectFor(nodes, total);
  const labels = reportLabels(p, o, total, fmt, nodes, t.origCount, t.droppedNodes, nodeFraction);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const get = (id: number) => byId.get(id)!;
  const entries: PeekEntry[] = [];
  for (const n of nodes) {
    if (match && !match.test(n.printableName)) continue;
    entries.push({
      name: n.printableName,
      flat: n.flat,
      cum: n.cum,
      callers: sortEdges(edgesIn(t.graph, n.id), get).map((e) => ({
        name: get(e.src).printableName,
        weight: e.weight,
        inline: e.inline,
      })),
      callees: sortEdges(edgesOut(t.graph, n.id), get).map((e) => ({
        name: get(e.dest).printableName,
        weight: e.weight,
        inline: e.inline,
      })),
    });
  }
  if (match && entries.length === 0) throw new NoMatchError(match);
  return { labels, entries, total, formatter: fmt, nodeCount: nodes.length };
}

/** pprof's -peek: callers and callees of every node whose name matches. */
export function peekReport(p: Profile, o: ReportOptions, match: GoRegexp): PeekReport {
  return treeReport(p, o, match);
}

export class NoMatchError extends Error {
  constructor(rx: GoRegexp) {
    super(`no matches found for regexp: ${rx.source}`);
    this.name = 'NoMatchError';
  }
}

const SEPARATOR = '----------------------------------------------------------+-------------';
const LEGEND = '      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ';

export function formatPeek(r: PeekReport): string {
  const out = [...r.labels, SEPARATOR, LEGEND];
  const f = r.formatter;
  let flatSum = 0;
  for (const e of r.entries) {
    out.push(SEPARATOR);
    for (const c of e.callers) {
      out.push(
        `${f.format(c.weight).padStart(50)} ${percentage(c.weight, e.cum)} |   ${c.name}${c.inline ? ' (inline)' : ''}`,
      );
    }
    flatSum += e.flat;
    out.push(
      `${f.format(e.flat).padStart(10)} ${percentage(e.flat, r.total)} ${percentage(flatSum, r.total)} ` +
        `${f.format(e.cum).padStart(10)} ${percentage(e.cum, r.total)}                | ${e.name}`,
    );
    for (const c of e.callees) {
      out.push(
        `${f.format(c.weight).padStart(50)} ${percentage(c.weight, e.cum)} |   ${c.name}${c.inline ? ' (inline)' : ''}`,
      );
    }
  }
  if (r.nodeCount > 0) out.push(SEPARATOR);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// list

export interface ListLine {
  line: number;
  flat: number;
  cum: number;
  /** Source text, when the file could be read. */
  text?: string;
}

export interface ListBlock {
  function: string;
  file: string;
  flat: number;
  cum: number;
  /** Lines with costs (always) and the source around them (when readable), ascending. */
  lines: ListLine[];
  /** Why the source could not be shown, e.g. "open /x.go: no such file or directory". */
  error?: string;
}

export interface ListReport {
  total: number;
  formatter: ValueFormatter;
  blocks: ListBlock[];
  /** Functions that matched but carry no file name. */
  noSource: string[];
  /** Report order: function names in order, each with its blocks or a no-source marker. */
  order: ({ kind: 'block'; block: ListBlock } | { kind: 'nosource'; name: string })[];
}

/** Source lines of a file (index 0 = line 1), or an error message to print instead. */
export type SourceReader = (file: string) => string[] | { error: string };

/**
 * pprof's -list: per matching function and file, flat and cum per source line. Line costs come
 * from nodes at "lines" granularity, summed per line number (so a line shared by a recursive or
 * inlined call can exceed the total, as in pprof).
 */
export function listReport(p: Profile, o: ReportOptions, match: GoRegexp, read?: SourceReader): ListReport {
  const { total, fmt } = resolveOptions(p, o);
  const gopt = {
    sampleIndex: o.sampleIndex,
    granularity: 'lines' as const,
    noInlines: !!o.noInlines,
    objNames: true,
    dropNegative: !!o.dropNegative,
    mean: !!o.mean,
  };
  const table = buildNodeTable(p, gopt);
  const g = buildGraph(p, table, gopt);
  // pprof formats list values with the unit the profile would get without selection per graph:
  // its output unit stays "minimum", so every value picks its own unit.
  const functionNodes = new Map<string, GraphNode[]>();
  const functions: GraphNode[] = [];
  for (const n of g.nodes) {
    if (!match.test(n.info.name)) continue;
    let list = functionNodes.get(n.info.name);
    if (!list) {
      functionNodes.set(n.info.name, (list = []));
      functions.push(n);
    }
    list.push(n);
  }
  if (functions.length === 0) throw new NoMatchError(match);
  const infoKey = (n: GraphNode) =>
    `{${n.info.name} ${n.info.origName} ${n.info.address} ${n.info.file} ${n.info.startLine} ${n.info.line} ${n.info.objfile}}`;
  functions.sort((a, b) =>
    a.info.name < b.info.name ? -1 : a.info.name > b.info.name ? 1 : infoKey(a) < infoKey(b) ? -1 : 1,
  );

  const report: ListReport = { total, formatter: fmt, blocks: [], noSource: [], order: [] };
  for (const fn of functions) {
    const name = fn.info.name;
    const fileNodes = new Map<string, GraphNode[]>();
    const files: GraphNode[] = [];
    for (const n of functionNodes.get(name)!) {
      if (n.info.file === '') continue;
      let l = fileNodes.get(n.info.file);
      if (!l) {
        fileNodes.set(n.info.file, (l = []));
        files.push(n);
      }
      l.push(n);
    }
    if (files.length === 0) {
      report.noSource.push(name);
      report.order.push({ kind: 'nosource', name });
      continue;
    }
    files.sort((a, b) =>
      a.info.file !== b.info.file
        ? a.info.file < b.info.file
          ? -1
          : 1
        : a.info.startLine !== b.info.startLine
          ? a.info.startLine - b.info.startLine
          : infoKey(a) < infoKey(b)
            ? -1
            : 1,
    );
    for (const fl of files) {
      const block = sourceBlock(name, fl.info.file, fileNodes.get(fl.info.file)!, read);
      report.blocks.push(block);
      report.order.push({ kind: 'block', block });
    }
  }
  return report;
}

function sourceBlock(name: string, file: string, fns: GraphNode[], read?: SourceReader): ListBlock {
  let flat = 0;
  let cum = 0;
  const perLine = new Map<number, { flat: number; cum: number }>();
  for (const n of fns) {
    // pprof's list sums the nodes' raw values (with -mean: not divided).
    const nf = n.rawFlat ?? n.flat;
    const nc = n.rawCum ?? n.cum;
    flat += nf;
    cum += nc;
    const e = perLine.get(n.info.line) ?? { flat: 0, cum: 0 };
    e.flat += nf;
    e.cum += nc;
    perLine.set(n.info.line, e);
  }
  const margin = 5;
  const first = fns[0]!.info;
  let start = first.startLine !== 0 ? first.startLine : first.line - margin;
  let end = first.line + margin;
  for (const n of fns) {
    const nodeStart = n.info.startLine !== 0 ? n.info.startLine : n.info.line - margin;
    const nodeEnd = n.info.line + margin;
    // pprof widens either the start or the end for each node, never both.
    if (nodeStart < start) start = nodeStart;
    else if (nodeEnd > end) end = nodeEnd;
  }
  if (start < 1) start = 1;

  const block: ListBlock = { function: name, file, flat, cum, lines: [] };
  const src = read ? read(file) : { error: `open ${file}: source not available` };
  if (!Array.isArray(src)) {
    block.error = src.error;
    block.lines = [...perLine.entries()].sort((a, b) => a[0] - b[0]).map(([line, v]) => ({ line, ...v }));
    return block;
  }
  for (let ln = start; ln <= end; ln++) {
    if (ln > src.length) break;
    const v = perLine.get(ln) ?? { flat: 0, cum: 0 };
    block.lines.push({ line: ln, flat: v.flat, cum: v.cum, text: src[ln - 1]! });
  }
  return block;
}

export function formatList(r: ListReport): string {
  const f = r.formatter;
  const dot = (v: number) => (v === 0 ? '.' : f.format(v));
  const out = [`Total: ${f.format(r.total)}`];
  for (const item of r.order) {
    if (item.kind === 'nosource') {
      out.push(`No source information for ${item.name}`);
      continue;
    }
    const b = item.block;
    out.push(`ROUTINE ======================== ${b.function} in ${b.file}`);
    out.push(
      `${f.format(b.flat).padStart(10)} ${f.format(b.cum).padStart(10)} (flat, cum) ${percentage(b.cum, r.total)} of Total`,
    );
    if (b.error !== undefined) {
      out.push(` Error: ${b.error}`);
      continue;
    }
    for (const l of b.lines)
      out.push(`${dot(l.flat).padStart(10)} ${dot(l.cum).padStart(10)} ${String(l.line).padStart(6)}:${l.text}`);
  }
  return `${out.join('\n')}\n`;
}

export { cleanPath };
