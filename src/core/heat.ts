/**
 * The primitives of what the editor overlays say: heat levels, the per-line label text (like
 * `go tool pprof -list`), CodeLens titles, hover markdown and the check that a file still matches
 * the profile. Pure text; ./lineView.ts composes them into each document's overlays, lenses and
 * hover, which the VS Code adapters only place.
 *
 * Heat level: a line's (or function's) share of the profile total for the current sample type,
 * on a log-like scale so that both the few very hot lines and the long tail stay visible:
 *   5: >= 20%   4: >= 5%   3: >= 1%   2: >= 0.25%   1: > 0   0: no cost (not decorated)
 * The total is pprof's (sum of |value| over samples), so levels mean the same in every file.
 */
import { plainText } from '../shared/text';
import { percentage, shortLabel } from '../shared/units';

export const HEAT_LEVELS = 5;
const LEVEL_FLOOR = [0.2, 0.05, 0.01, 0.0025] as const;

/** 0 for no cost, else 1..HEAT_LEVELS by |value| / total (see the file comment). */
export function heatLevel(value: number, total: number): number {
  if (value === 0 || !Number.isFinite(value)) return 0;
  if (total === 0) return 1;
  const share = Math.abs(value) / Math.abs(total);
  for (let i = 0; i < LEVEL_FLOOR.length; i++) if (share >= LEVEL_FLOOR[i]!) return HEAT_LEVELS - i;
  return 1;
}

export type ShowValues = 'both' | 'flat' | 'cum';

export interface LabelOptions {
  show: ShowValues;
  /** Add each value's share of the total, e.g. "150ms 1.76%". */
  percentages: boolean;
}

/** A value as -list prints it: "." for zero, else scaled to its own minimum unit ("150ms", "1.50MB"). */
export function listValue(v: number, unit: string): string {
  return v === 0 ? '.' : shortLabel(v, unit);
}

export interface Cost {
  flat: number;
  cum: number;
}

/**
 * Labels for a set of lines (one file), right-aligned in columns like -list's "flat cum" so that
 * they line up when placed at the same column: e.g. ["  150ms   1.76s", "      .  10ms"].
 */
export function lineLabels(costs: readonly Cost[], unit: string, total: number, o: LabelOptions): string[] {
  const cols = (c: Cost): string[] => {
    const out: string[] = [];
    const add = (v: number) => {
      out.push(listValue(v, unit));
      if (o.percentages) out.push(v === 0 ? '' : percentage(v, total).trim());
    };
    if (o.show !== 'cum') add(c.flat);
    if (o.show !== 'flat') add(c.cum);
    return out;
  };
  const rows = costs.map(cols);
  const widths: number[] = [];
  for (const r of rows) r.forEach((s, i) => (widths[i] = Math.max(widths[i] ?? 0, s.length)));
  return rows.map((r) => r.map((s, i) => s.padStart(widths[i]!)).join(' '));
}

/** The CodeLens title above a function: "cpu: flat 150ms (1.76%) · cum 1.76s (20.51%)". */
export function codeLensTitle(sampleType: string, unit: string, flat: number, cum: number, total: number): string {
  const pc = (v: number) => percentage(v, total).trim();
  return `${sampleType}: flat ${shortLabel(flat, unit)} (${pc(flat)}) · cum ${shortLabel(cum, unit)} (${pc(cum)})`;
}

/**
 * Escapes text for Markdown (CommonMark + GFM tables): every ASCII punctuation character that has a
 * meaning gets a backslash, newlines and control characters become spaces. For names from a
 * profile, which may hold *, _, <, [, `, | and anything else.
 */
export function escapeMarkdown(s: string): string {
  return plainText(s).replace(/[\\`*_{}[\]()#+\-.!|<>~&$"':=]/g, (c) => `\\${c}`);
}

export interface HoverSampleType {
  type: string;
  unit: string;
  total: number;
  flat: number;
  cum: number;
}

export interface HoverCaller {
  /** Function name of the caller. */
  name: string;
  /** "file.go:12" of the calling line, when known. */
  where?: string;
  weight: number;
}

export interface HoverInput {
  line: number;
  /** The file name as the profile has it. */
  profilePath: string;
  /** How it was mapped to this file, e.g. "go.mod module path". */
  resolvedBy?: string;
  /** Functions with samples on this line. */
  functions: readonly string[];
  sampleTypes: readonly HoverSampleType[];
  current: number;
  /** Top callers for the current sample type; undefined while unknown. */
  callers?: readonly HoverCaller[];
  profileName: string;
}

/** The hover on a decorated line: every sample type's flat and cum, then the top callers. */
export function hoverMarkdown(h: HoverInput): string {
  const e = escapeMarkdown;
  const out: string[] = [];
  const fn = h.functions.length > 0 ? ` in ${h.functions.map((f) => `**${e(f)}**`).join(', ')}` : '';
  out.push(`**pprof** ${e(h.profileName)}: line ${h.line}${fn}`);
  out.push('');
  out.push('| sample type | flat | flat% | cum | cum% |');
  out.push('|:--|--:|--:|--:|--:|');
  h.sampleTypes.forEach((t, i) => {
    const name = i === h.current ? `**${e(t.type)}**` : e(t.type);
    out.push(
      `| ${name} | ${e(listValue(t.flat, t.unit))} | ${e(percentage(t.flat, t.total).trim())} | ` +
        `${e(listValue(t.cum, t.unit))} | ${e(percentage(t.cum, t.total).trim())} |`,
    );
  });
  const cur = h.sampleTypes[h.current];
  if (h.callers && cur) {
    out.push('');
    if (h.callers.length === 0) out.push(`No callers (${e(cur.type)}): a root of the call stacks.`);
    else {
      out.push(`Top callers (${e(cur.type)}):`);
      out.push('');
      for (const c of h.callers) {
        const where = c.where ? ` ${e(c.where)}` : '';
        out.push(
          `- ${e(shortLabel(c.weight, cur.unit))} (${e(percentage(c.weight, cur.total).trim())}) ${e(c.name)}${where}`,
        );
      }
    }
  }
  out.push('');
  const via = h.resolvedBy ? ` (via ${e(h.resolvedBy)})` : '';
  out.push(`Profile path: ${e(h.profilePath)}${via}`);
  return out.join('\n');
}

/** Width of text in columns with tabs expanded to tabSize stops. */
export function visualWidth(text: string, tabSize: number): number {
  let w = 0;
  for (const ch of text) w = ch === '\t' ? w + tabSize - (w % tabSize) : w + 1;
  return w;
}

/**
 * The column labels start at in a file: two past its longest decorated line, capped so that one
 * very long line does not push every label out of view. Lines longer than the cap get a fixed gap.
 */
export function labelColumn(lineTexts: readonly string[], tabSize: number, cap = 100): number {
  let max = 0;
  for (const t of lineTexts) {
    const w = visualWidth(t.trimEnd(), tabSize);
    if (w <= cap) max = Math.max(max, w);
  }
  return max + 4;
}

/** The padding (non-breaking spaces, which editors do not collapse) placing a label at column. */
export function padToColumn(lineText: string, tabSize: number, column: number, minGap = 2): string {
  const w = visualWidth(lineText.trimEnd(), tabSize);
  const trailing = visualWidth(lineText, tabSize) - w;
  return '\u00a0'.repeat(Math.max(minGap, column - w - trailing));
}

export interface StaleFunction {
  name: string;
  startLine: number;
  firstLine: number;
}

export interface Staleness {
  stale: boolean;
  /** Why, for the user: the first mismatch found. */
  reason?: string;
}

/** The identifier a Go function's declaration line holds, or "" for closures ("func" only), undefined to skip. */
export function goDeclName(fullName: string): string | undefined {
  // Drop type parameters ("main.Map[...]") and the package path ("example.com/x/pkg.").
  let s = fullName.replace(/\[[^\]]*\]/g, '');
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  const parts = s.split('.');
  // Closures and inits: pkg.f.func1, pkg.f.func1.2, pkg.init.0 -> a "func" on the line.
  let i = parts.length - 1;
  while (i > 0 && /^\d+$/.test(parts[i]!)) i--;
  const last = parts[i] ?? '';
  if (/^(gowrap|deferwrap)\d+$/.test(last)) return undefined;
  if (/^func\d+$/.test(last) || i < parts.length - 1) return last === 'init' ? 'init' : '';
  return last;
}

/**
 * Does the file text still match the profile? Stale when a sampled line lies beyond the end of the
 * file or is blank or only a comment, or (Go files) a function's recorded start line no longer holds
 * its "func Name(" declaration. A closing brace is fine: Go attributes returns and defers to it.
 */
export function checkStale(
  fileLines: readonly string[],
  sampledLines: readonly number[],
  functions: readonly StaleFunction[],
  isGo: boolean,
): Staleness {
  // A trailing newline leaves one empty last element that is not a line.
  const n = fileLines.length > 0 && fileLines[fileLines.length - 1] === '' ? fileLines.length - 1 : fileLines.length;
  for (const ln of sampledLines) {
    if (ln > n) return { stale: true, reason: `line ${ln} has samples, but the file now has ${n} lines` };
    const t = fileLines[ln - 1]!.trim();
    if (t === '') return { stale: true, reason: `line ${ln} has samples, but it is blank now` };
    if (isGo && (t.startsWith('//') || t.startsWith('/*'))) {
      return { stale: true, reason: `line ${ln} has samples, but it is a comment now` };
    }
  }
  if (isGo) {
    for (const f of functions) {
      if (f.startLine <= 0 || f.startLine > n) continue;
      const want = goDeclName(f.name);
      if (want === undefined) continue;
      // Without Function.start_line (Go before 1.20) the profile's start is the first sampled line,
      // which may hold anything, closures included (`pprof.Do(ctx, l, func(ctx context.Context) {`,
      // `g.Go(func() error {`, `sort.Slice(s, func(i, j int) bool {`): it proves nothing.
      if (f.startLine === f.firstLine) continue;
      const text = fileLines[f.startLine - 1]!;
      const hasFunc = /\bfunc\b/.test(text);
      const ok = hasFunc && (want === '' || text.includes(want));
      if (!ok) {
        return {
          stale: true,
          reason: `${f.name} started at line ${f.startLine} when profiled, but that line is now: ${text.trim().slice(0, 80)}`,
        };
      }
    }
  }
  return { stale: false };
}

/** What picks a line's colour: its flat, its cum, or 'auto' (cum for lines that call, flat for leaf lines). */
export type HeatMetric = 'auto' | 'flat' | 'cum';

/**
 * The value a line's heat level is taken from. 'auto' is cum (the line and everything it calls:
 * for a leaf line that is its flat), so that in heap, block, mutex and goroutine profiles, where
 * flat sits in the runtime or the standard library, the user's lines that lead there light up.
 */
export function heatValue(flat: number, cum: number, metric: HeatMetric): number {
  if (metric === 'flat') return flat;
  if (metric === 'cum') return cum;
  // cum, which is never smaller than flat in one profile; in a comparison the deltas can be (flat
  // -20ms, cum +10ms), and the line's label must still be the cum the lens header names.
  return cum !== 0 ? cum : flat;
}

/** The legend of the heat colours, for the status bar and hovers. */
export function heatLegend(metric: HeatMetric, sampleType: string, compare: boolean): string {
  const by =
    metric === 'flat'
      ? 'flat (cost in the line itself)'
      : metric === 'cum'
        ? 'cum (the line and what it calls)'
        : 'cum: the line and what it calls (flat for lines that call nothing)';
  if (compare)
    return `Colour: red grew, green shrank since the base; stronger = larger change in ${sampleType} by ${by}, as a share of the total (≥20%, ≥5%, ≥1%, ≥0.25%, >0).`;
  return `Colour: share of the ${sampleType} total by ${by}; 5 levels: ≥20%, ≥5%, ≥1%, ≥0.25%, >0.`;
}

/** A percentage for UI lists: "12.34%", "0.12%", "<0.01%", "0%"; signed when asked ("+3.10%", "−0.50%"). */
export function uiPercent(v: number, total: number, signed = false): string {
  const r = total !== 0 ? (Math.abs(v) / Math.abs(total)) * 100 : 0;
  const sign = signed && v !== 0 ? (v > 0 ? '+' : '-') : '';
  if (v === 0 || r === 0) return '0%';
  if (r < 0.01) return `${sign}<0.01%`;
  return `${sign}${r >= 99.995 && r <= 100.005 ? '100' : r.toFixed(2)}%`;
}

/** A signed value for compare mode: "+1.50MB", "-200kB", "." for zero (as -list prints zero). */
export function signedValue(v: number, unit: string): string {
  return v === 0 ? '.' : `${v > 0 ? '+' : ''}${shortLabel(v, unit)}`;
}

/** lineLabels with signed values and signed percentages (compare mode), aligned the same way. */
export function signedLineLabels(costs: readonly Cost[], unit: string, total: number, o: LabelOptions): string[] {
  const rows = costs.map((c) => {
    const out: string[] = [];
    const add = (v: number) => {
      out.push(signedValue(v, unit));
      if (o.percentages) out.push(v === 0 ? '' : uiPercent(v, total, true));
    };
    if (o.show !== 'cum') add(c.flat);
    if (o.show !== 'flat') add(c.cum);
    return out;
  });
  const widths: number[] = [];
  for (const r of rows) r.forEach((x, i) => (widths[i] = Math.max(widths[i] ?? 0, x.length)));
  return rows.map((r) => r.map((x, i) => x.padStart(widths[i]!)).join(' '));
}

/**
 * The compact form of a line's values for a narrow editor: the one value that picks its colour
 * (cum, or flat when the line calls nothing), no alignment padding: "1.76s", "+8MB".
 */
export function compactLabel(c: Cost, unit: string, metric: HeatMetric, show: ShowValues, signed: boolean): string {
  const v = show === 'flat' ? c.flat : show === 'cum' ? c.cum : heatValue(c.flat, c.cum, metric);
  return signed ? signedValue(v, unit) : listValue(v, unit);
}

/** What the columns after the lines are, for the function's CodeLens: "flat · cum" (or one of them). */
export function columnsHeader(show: ShowValues, compact: boolean, metric: HeatMetric): string {
  if (compact) return show === 'flat' ? 'flat' : show === 'cum' || metric !== 'flat' ? 'cum' : 'flat';
  return show === 'both' ? 'flat · cum' : show;
}

/** A CodeLens title in compare mode: the mode, the base, signed values and signed percentages; zero is "0". */
export function compareLensTitle(
  mode: 'base' | 'diff_base',
  baseName: string,
  sampleType: string,
  unit: string,
  flat: number,
  cum: number,
  total: number,
): string {
  const v = (x: number) => (x === 0 ? '0' : signedValue(x, unit));
  const m = mode === 'diff_base' ? '-diff_base' : '-base';
  return `Δ ${sampleType} (${m} ${baseName}): flat ${v(flat)} (${uiPercent(flat, total, true)}) · cum ${v(cum)} (${uiPercent(cum, total, true)})`;
}

/**
 * The line of a closure's `func` literal for a profile without start_line, whose only clue is the
 * closure's first sampled line `from`: the nearest line at or above it with a `func(` literal
 * (not a `func Name(` declaration) whose braces are still open at `from`. `from` when none is found
 * within `limit` lines.
 */
export function closureLiteralLine(lineText: (line: number) => string, from: number, limit = 200): number {
  if (
    /\bfunc\s*\([^)]*\)[^{]*\{\s*$/.test(
      lineText(from)
        .replace(/\/\/.*$/, '')
        .trimEnd(),
    ) &&
    !/^\s*func\s/.test(lineText(from))
  )
    return from;
  let depth = 0;
  for (let l = from - 1; l >= Math.max(1, from - limit); l--) {
    const t = lineText(l)
      .replace(/\/\/.*$/, '')
      .replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'/g, '""');
    for (let i = t.length - 1; i >= 0; i--) {
      if (t[i] === '}') depth++;
      else if (t[i] === '{') depth--;
    }
    if (/^func\s/.test(t.trim())) return from;
    if (depth < 0 && /\bfunc\s*\(/.test(t)) return l;
    if (depth < 0) depth = 0;
  }
  return from;
}

/**
 * The status bar's total in a comparison of goroutine profiles: "80 → 96 goroutines (+16)", each
 * side's count and the change, where pprof's -base total (the sum of the differences) alone reads
 * as a count of goroutines. Undefined for other sample types (their total stays pprof's).
 */
export function goroutineCompareTotal(type: string, unit: string, before: number, after: number): string | undefined {
  if (type !== 'goroutine' && type !== 'goroutines') return undefined;
  if (unit !== 'count') return undefined;
  const d = after - before;
  return `${before} → ${after} goroutine${after === 1 ? '' : 's'} (${d < 0 ? '-' : '+'}${Math.abs(d)})`;
}
