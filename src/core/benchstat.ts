/**
 * Benchmark A/B statistics with benchstat's conventions (golang.org/x/perf/cmd/benchstat): parse
 * `go test -bench` output, summarise each benchmark's samples by their median with a 95 %
 * distribution-free confidence interval (order statistics of the binomial distribution; "± ∞"
 * below 6 samples), compare two revisions with the two-sided Mann–Whitney U test (exact
 * distribution for small samples, with ties too; normal approximation with tie and continuity
 * correction beyond), alpha 0.05: "~" when not significant, else the change of the medians in
 * percent, with "(p=0.008 n=6)". Values are printed with benchstat's unit tidying (ns/op as
 * sec/op, MB/s as B/s) and scaling (at least three significant digits, one SI or binary prefix
 * per row). Pure: no processes, no files.
 */

/** One line of `go test -bench` output: a benchmark run and its measurements. */
export interface BenchRun {
  /** "BenchmarkJoin/size=10-8" as printed. */
  readonly name: string;
  /** b.N. */
  readonly iterations: number;
  /** unit ("ns/op", "B/op", "allocs/op", "MB/s", custom) -> value. */
  readonly values: ReadonlyMap<string, number>;
}

export interface BenchOutput {
  /** "goos", "goarch", "pkg", "cpu", … in order of appearance (the last value of a key wins). */
  readonly config: ReadonlyMap<string, string>;
  readonly runs: readonly BenchRun[];
}

const RESULT = /^(\d+)((?:\s+[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s+\S+)+)\s*$/;

/**
 * Reads go test -bench output (also `go test -json`'s Output lines, already unwrapped). Lines that
 * are not results are skipped; a benchmark that printed a log between its name and its numbers
 * is joined as the testing package prints it ("BenchmarkX-2  \t" … "  1000  12 ns/op").
 */
export function parseBenchOutput(text: string): BenchOutput {
  const config = new Map<string, string>();
  const runs: BenchRun[] = [];
  let pending: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    const cfg = /^([a-z][^\s:A-Z]*):\s+(.*)$/.exec(line);
    if (cfg && !line.startsWith('Benchmark')) {
      config.set(cfg[1]!, cfg[2]!);
      continue;
    }
    let name: string | undefined;
    let rest = line.trim();
    if (line.startsWith('Benchmark')) {
      const m = /^(Benchmark\S*)(.*)$/.exec(line)!;
      name = m[1]!;
      rest = m[2]!.trim();
      if (rest === '') {
        pending = name;
        continue;
      }
    } else if (pending !== undefined && RESULT.test(rest)) name = pending;
    if (name === undefined) continue;
    const m = RESULT.exec(rest);
    if (!m) continue;
    pending = undefined;
    const fields = m[2]!.trim().split(/\s+/);
    const values = new Map<string, number>();
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const v = Number(fields[i]);
      if (Number.isFinite(v) && !values.has(fields[i + 1]!)) values.set(fields[i + 1]!, v);
    }
    runs.push({ name, iterations: Number(m[1]), values });
  }
  return { config, runs };
}

/** benchstat's row name: without "Benchmark" ("Join-2", "Parse/size=10-8"). */
export function rowName(benchName: string): string {
  const s = benchName.replace(/^Benchmark/, '');
  return s === '' || s.startsWith('-') ? benchName : s;
}

// ---------------------------------------------------------------------------------------------
// Distributions

/** log(n!) for small n, exactly summed (n <= a few thousand). */
function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** P(X = k), X ~ Binomial(n, 1/2). */
function binomHalfPmf(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  return Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) - n * Math.LN2);
}

/** The complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** The standard normal quantile, by bisection on normalCdf (|error| < 1e-9). */
function normalQuantile(p: number): number {
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------------
// Summary: median and its confidence interval

/** The confidence interval of the median of n samples as 1-based order statistics [lo, hi]. */
export interface MedianCI {
  /** 0 means -∞ (the sample is too small). */
  readonly lo: number;
  /** n+1 means +∞. */
  readonly hi: number;
  /** The interval's actual confidence (>= the requested one). */
  readonly confidence: number;
}

/**
 * benchstat's (x/perf benchmath AssumeNothing) interval: the binomial(n, 1/2) probabilities of the
 * population median falling between consecutive order statistics, summed outward from the lower
 * mode, taking the larger neighbour (the left one on a tie), until the confidence is reached; the
 * normal approximation with continuity correction above 30 samples.
 */
export function medianCI(n: number, confidence = 0.95): MedianCI {
  let l: number;
  let r: number;
  let accum: number;
  if (n <= 30) {
    const x = Math.ceil((n + 1) * 0.5) - 1;
    accum = binomHalfPmf(n, x);
    l = x;
    r = x + 1;
    let lp = binomHalfPmf(n, l - 1);
    let rp = binomHalfPmf(n, r);
    while (accum < confidence && (lp > 0 || rp > 0)) {
      if (lp >= rp) {
        accum += lp;
        l--;
        lp = binomHalfPmf(n, l - 1);
      } else {
        accum += rp;
        r++;
        rp = binomHalfPmf(n, r);
      }
    }
  } else {
    const mu = n / 2;
    const sd = Math.sqrt(n) / 2;
    const l1 = mu + sd * normalQuantile((1 - confidence) / 2);
    const r1 = 2 * mu - l1;
    l = Math.floor(Math.floor(l1 - 0.5) + 0.5) + 1;
    r = Math.floor(Math.ceil(r1 - 0.5) + 0.5) + 1;
    const cdf = (a: number, b: number) => normalCdf((b - 0.5 - mu) / sd) - normalCdf((a - 0.5 - mu) / sd);
    accum = cdf(l, r);
    const biased = cdf(l, r - 1);
    if (biased >= confidence && biased < accum) {
      accum = biased;
      r--;
    }
    if (l <= 0 && r >= n + 1) accum = 1;
  }
  return { lo: Math.max(l, 0), hi: Math.min(r, n + 1), confidence: accum };
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export interface Summary {
  readonly center: number;
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
  readonly warnings: readonly string[];
}

/** The smallest sample for a finite 95 % interval of the median. */
export function medianSamplesNeeded(confidence = 0.95): number {
  for (let n = 2; n <= 50; n++) {
    const ci = medianCI(n, confidence);
    if (ci.lo > 0 && ci.hi <= n) return n;
  }
  return 51;
}

export function summarize(values: readonly number[], confidence = 0.95): Summary {
  const xs = [...values].sort((a, b) => a - b);
  const ci = medianCI(xs.length, confidence);
  const lo = ci.lo < 1 ? -Infinity : xs[ci.lo - 1]!;
  const hi = ci.hi > xs.length ? Infinity : xs[ci.hi - 1]!;
  const warnings: string[] = [];
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    warnings.push(`need >= ${medianSamplesNeeded(confidence)} samples for confidence interval at level ${confidence}`);
  return { center: median(xs), lo, hi, n: xs.length, warnings };
}

/** The "± x%" part: the interval's larger distance from the median, in percent of it. */
export function pctRange(s: Summary): string {
  if (!Number.isFinite(s.lo) || !Number.isFinite(s.hi)) return '∞';
  const sign = Math.sign(s.center);
  if (sign !== Math.sign(s.lo) || sign !== Math.sign(s.hi)) return '?';
  if (s.center === 0) return '0%';
  return `${(100 * Math.max(s.hi / s.center - 1, 1 - s.lo / s.center)).toFixed(0)}%`;
}

// ---------------------------------------------------------------------------------------------
// Mann–Whitney U test

export interface UTest {
  /** The smaller of U1 and U2 (ties count 1/2). */
  readonly u: number;
  readonly n1: number;
  readonly n2: number;
  /** Two-sided p-value; 1 with a warning when every value is equal. */
  readonly p: number;
  readonly exact: boolean;
  readonly warning?: string;
}

/** Sample sizes up to which the exact distribution is used (benchstat's limits). */
export const U_EXACT_LIMIT = 50;
export const U_TIES_EXACT_LIMIT = 9;

/**
 * P(U <= u) under the null hypothesis, given the tie groups of the pooled sample (sizes in sorted
 * order): every choice of which n1 of the n pooled values are the first sample's is equally
 * likely; U1 = R1 - n1(n1+1)/2 with mid-ranks. Counted by dynamic programming over the tie groups
 * on doubled rank sums (integers).
 */
export function uCdf(n1: number, ties: readonly number[], u: number): number {
  const n = ties.reduce((a, b) => a + b, 0);
  // ways[j][s]: ways to pick j values whose doubled rank sum is s.
  const maxS = n * (n + 1);
  let ways: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(maxS + 1));
  ways[0]![0] = 1;
  let before = 0;
  for (const t of ties) {
    const doubledRank = 2 * before + t + 1; // 2 × the mid-rank of this group
    const next = Array.from({ length: n1 + 1 }, () => new Float64Array(maxS + 1));
    let c = 1; // C(t, k)
    for (let k = 0; k <= t && k <= n1; k++) {
      if (k > 0) c = (c * (t - k + 1)) / k;
      const add = k * doubledRank;
      for (let j = 0; j + k <= n1; j++) {
        const from = ways[j]!;
        const to = next[j + k]!;
        for (let s = 0; s + add <= maxS; s++) if (from[s] !== 0) to[s + add]! += from[s]! * c;
      }
    }
    ways = next;
    before += t;
  }
  const limit = Math.round(2 * u) + n1 * (n1 + 1);
  let hit = 0;
  let all = 0;
  const row = ways[n1]!;
  for (let s = 0; s <= maxS; s++) {
    all += row[s]!;
    if (s <= limit) hit += row[s]!;
  }
  return hit / all;
}

/** The two-sided Mann–Whitney U test of x1 against x2, as benchstat runs it. */
export function mannWhitneyU(x1: readonly number[], x2: readonly number[]): UTest {
  const n1 = x1.length;
  const n2 = x2.length;
  if (n1 === 0 || n2 === 0) return { u: 0, n1, n2, p: 1, exact: false, warning: 'no samples' };
  const merged = [...x1.map((v) => ({ v, first: true })), ...x2.map((v) => ({ v, first: false }))].sort(
    (a, b) => a.v - b.v,
  );
  let r1 = 0;
  const ties: number[] = [];
  let tieCorrection = 0;
  for (let i = 0; i < merged.length;) {
    const start = i;
    let k1 = 0;
    const v = merged[i]!.v;
    for (; i < merged.length && merged[i]!.v === v; i++) if (merged[i]!.first) k1++;
    const t = i - start;
    r1 += ((start + 1 + i) / 2) * k1;
    ties.push(t);
    tieCorrection += t * t * t - t;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u = Math.min(u1, n1 * n2 - u1);
  const hasTies = ties.length < merged.length;
  if (ties.length === 1) return { u, n1, n2, p: 1, exact: true, warning: 'all samples are equal' };
  const exact = hasTies
    ? n1 <= U_TIES_EXACT_LIMIT && n2 <= U_TIES_EXACT_LIMIT
    : n1 <= U_EXACT_LIMIT && n2 <= U_EXACT_LIMIT;
  if (exact) {
    const p = u === n1 * n2 - u ? 1 : Math.min(1, 2 * uCdf(n1, ties, u));
    return { u, n1, n2, p, exact };
  }
  const N = n1 + n2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (N + 1 - tieCorrection / (N * (N - 1))));
  if (sigma === 0) return { u, n1, n2, p: 1, exact, warning: 'all samples are equal' };
  let num = u - mu;
  num -= Math.sign(num) * 0.5;
  const z = num / sigma;
  return { u, n1, n2, p: 2 * Math.min(normalCdf(z), 1 - normalCdf(z)), exact };
}

/** The smallest p-value two samples of n values each can reach (no ties): 2 / C(2n, n). */
function uTestMinP(n: number): number {
  let c = 1;
  for (let k = 1; k <= n; k++) c = (c * (n + k)) / k;
  return Math.min(1, 2 / c);
}

export const ALPHA = 0.05;

export interface Comparison extends UTest {
  readonly alpha: number;
  /** "~", "0.00%", "?" or "-96.48%". */
  readonly delta: string;
  /** "p=0.002 n=6", "p=0.002 n=6+5". */
  readonly note: string;
  readonly warnings: readonly string[];
}

export function compareSamples(
  old: readonly number[],
  cur: readonly number[],
  oldCenter: number,
  newCenter: number,
  alpha = ALPHA,
): Comparison {
  const t = mannWhitneyU(old, cur);
  const warnings = t.warning ? [t.warning] : [];
  if (t.p > alpha) {
    let need = 0;
    for (let n = 1; n <= 10 && need === 0; n++) if (uTestMinP(n) <= alpha) need = n;
    if (t.n1 < need && t.n2 < need)
      warnings.push(`need >= ${need} samples to detect a difference at alpha level ${alpha}`);
  }
  let delta: string;
  if (t.p > alpha) delta = '~';
  else if (oldCenter === newCenter) delta = '0.00%';
  else if (oldCenter === 0) delta = '?';
  else {
    const pct = (newCenter / oldCenter - 1) * 100;
    delta = `${pct >= 0 ? '+' : '-'}${Math.abs(pct).toFixed(2)}%`;
  }
  const n = t.n1 === t.n2 ? `n=${t.n1}` : `n=${t.n1}+${t.n2}`;
  return { ...t, alpha, delta, note: `p=${t.p.toFixed(3)} ${n}`, warnings };
}

// ---------------------------------------------------------------------------------------------
// Units and scaling

/** benchstat's tidied unit: ns/op -> sec/op (×1e-9), MB/s -> B/s (×1e6); others unchanged. */
export function tidyUnit(unit: string): { unit: string; factor: number; binary: boolean } {
  if (unit === 'ns/op') return { unit: 'sec/op', factor: 1e-9, binary: false };
  if (unit === 'MB/s') return { unit: 'B/s', factor: 1e6, binary: false };
  if (unit === 'B/op' || unit === 'B/s' || /^(bytes|B)\b/.test(unit)) return { unit, factor: 1, binary: true };
  return { unit, factor: 1, binary: false };
}

export interface Scaler {
  readonly prec: number;
  readonly factor: number;
  readonly prefix: string;
}

const SI: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
];
const IEC: [number, string][] = [
  [2 ** 40, 'Ti'],
  [2 ** 30, 'Gi'],
  [2 ** 20, 'Mi'],
  [2 ** 10, 'Ki'],
  [1, ''],
];

/**
 * One scale for every value of a row, chosen by the non-zero value closest to zero so that each
 * shows at least three significant digits (100.0 / 10.00 / 1.000 with the prefix).
 */
export function commonScale(values: readonly number[], binary: boolean): Scaler {
  let min = 0;
  for (const v0 of values) {
    const v = Math.abs(v0);
    if (v !== 0 && Number.isFinite(v) && (min === 0 || v < min)) min = v;
  }
  if (min === 0) return { prec: 3, factor: 1, prefix: '' };
  const factors = binary ? IEC : SI;
  for (const [f, prefix] of factors) {
    if (min >= 99.995 * f) return { prec: 1, factor: f, prefix };
    if (min >= 9.9995 * f) return { prec: 2, factor: f, prefix };
    if (min >= 0.99995 * f) return { prec: 3, factor: f, prefix };
  }
  const [f, prefix] = factors[factors.length - 1]!;
  const val = min / f;
  for (let i = 0; i < 8; i++) if (val >= 9.9995 * 10 ** (-1 - i) || i === 7) return { prec: i + 3, factor: f, prefix };
  return { prec: 10, factor: f, prefix };
}

export function formatScaled(v: number, s: Scaler): string {
  return `${(v / s.factor).toFixed(s.prec)}${s.prefix}`;
}

// ---------------------------------------------------------------------------------------------
// The comparison table

export interface MetricRow {
  /** "Join-2". */
  readonly name: string;
  /** The go test benchmark name, "BenchmarkJoin-2". */
  readonly benchmark: string;
  readonly old?: Summary;
  readonly new?: Summary;
  readonly comparison?: Comparison;
  readonly scaler: Scaler;
}

export interface MetricTable {
  /** The tidied unit ("sec/op", "B/op", "allocs/op"). */
  readonly unit: string;
  /** The unit as go test prints it ("ns/op"). */
  readonly rawUnit: string;
  readonly rows: readonly MetricRow[];
  /** Geometric means of the medians (more than one row); undefined parts when a median is <= 0. */
  readonly geomean?: { readonly old?: number; readonly new?: number; readonly delta?: string; readonly scaler: Scaler };
}

export interface ABResult {
  readonly config: ReadonlyMap<string, string>;
  readonly tables: readonly MetricTable[];
  /** Sum of b.N over the runs of each benchmark (go test name -> count), for per-op profiles. */
  readonly ops: { readonly old: ReadonlyMap<string, number>; readonly new: ReadonlyMap<string, number> };
}

function samplesBy(out: BenchOutput, unit: string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const r of out.runs) {
    const v = r.values.get(unit);
    if (v === undefined) continue;
    let a = m.get(r.name);
    if (!a) m.set(r.name, (a = []));
    a.push(v);
  }
  return m;
}

function opsBy(out: BenchOutput): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of out.runs) m.set(r.name, (m.get(r.name) ?? 0) + r.iterations);
  return m;
}

function geomean(xs: readonly number[]): number | undefined {
  if (xs.length === 0 || xs.some((x) => !(x > 0))) return undefined;
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

/** The table of benchstat old new: one metric table per unit, rows in the order benchmarks ran. */
export function compareOutputs(oldOut: BenchOutput, newOut: BenchOutput, alpha = ALPHA): ABResult {
  const units: string[] = [];
  for (const r of [...oldOut.runs, ...newOut.runs])
    for (const u of r.values.keys()) if (!units.includes(u)) units.push(u);
  const names: string[] = [];
  for (const r of [...oldOut.runs, ...newOut.runs]) if (!names.includes(r.name)) names.push(r.name);
  const config = new Map<string, string>();
  for (const [k, v] of oldOut.config) config.set(k, v);
  for (const [k, v] of newOut.config)
    if (config.get(k) !== v) config.set(k, config.has(k) ? `${config.get(k)} | ${v}` : v);
  const tables: MetricTable[] = [];
  for (const rawUnit of units) {
    const tidy = tidyUnit(rawUnit);
    const a = samplesBy(oldOut, rawUnit);
    const b = samplesBy(newOut, rawUnit);
    const rows: MetricRow[] = [];
    for (const name of names) {
      const xs = a.get(name)?.map((v) => v * tidy.factor);
      const ys = b.get(name)?.map((v) => v * tidy.factor);
      if (!xs && !ys) continue;
      const so = xs ? summarize(xs) : undefined;
      const sn = ys ? summarize(ys) : undefined;
      const comparison = xs && ys ? compareSamples(xs, ys, so!.center, sn!.center, alpha) : undefined;
      const scaler = commonScale([so?.center ?? 0, sn?.center ?? 0], tidy.binary);
      rows.push({
        name: rowName(name),
        benchmark: name,
        ...(so ? { old: so } : {}),
        ...(sn ? { new: sn } : {}),
        ...(comparison ? { comparison } : {}),
        scaler,
      });
    }
    let gm: MetricTable['geomean'];
    if (rows.length > 1) {
      const go = geomean(rows.filter((r) => r.old).map((r) => r.old!.center));
      const gn = geomean(rows.filter((r) => r.new).map((r) => r.new!.center));
      const delta =
        go !== undefined && gn !== undefined
          ? `${gn >= go ? '+' : '-'}${Math.abs((gn / go - 1) * 100).toFixed(2)}%`
          : undefined;
      gm = {
        ...(go !== undefined ? { old: go } : {}),
        ...(gn !== undefined ? { new: gn } : {}),
        ...(delta ? { delta } : {}),
        scaler: commonScale([go ?? 0, gn ?? 0], tidy.binary),
      };
    }
    tables.push({ unit: tidy.unit, rawUnit, rows, ...(gm ? { geomean: gm } : {}) });
  }
  return { config, tables, ops: { old: opsBy(oldOut), new: opsBy(newOut) } };
}

function pad(s: string, w: number, right = false): string {
  const len = [...s].length;
  return right ? ' '.repeat(Math.max(0, w - len)) + s : s + ' '.repeat(Math.max(0, w - len));
}

/**
 * The table as benchstat prints it: the configuration, then per unit a block whose columns are
 * the old revision ("median ± spread"), the new one and "vs base" (delta and the test's note),
 * footnotes (¹ ² …) for the warnings, a geomean row when there are several benchmarks.
 */
export function formatComparison(r: ABResult, oldLabel: string, newLabel: string): string {
  const out: string[] = [];
  for (const [k, v] of r.config) out.push(`${k}: ${v}`);
  const notes: string[] = [];
  const mark = (w: readonly string[]): string => {
    const marks = w.map((text) => {
      let i = notes.indexOf(text);
      if (i < 0) i = notes.push(text) - 1;
      return superscript(i + 1);
    });
    return marks.length ? ` ${marks.join(' ')}` : '';
  };
  for (const t of r.tables) {
    if (out.length) out.push('');
    const lines: string[][] = [];
    for (const row of t.rows) {
      const cell = (s?: Summary) =>
        s ? `${formatScaled(s.center, row.scaler)} ± ${pctRange(s)}${mark(s.warnings)}` : '';
      const c = row.comparison;
      lines.push([row.name, cell(row.old), cell(row.new), c?.delta ?? '', c ? `(${c.note})${mark(c.warnings)}` : '']);
    }
    if (t.geomean) {
      const g = t.geomean;
      const f = (v?: number) => (v === undefined ? '' : formatScaled(v, g.scaler));
      const warn = g.old === undefined || g.new === undefined ? mark(['summaries must be >0 to compute geomean']) : '';
      const cellOf = (v?: number) => (v === undefined ? warn.trim() : f(v));
      lines.push(['geomean', cellOf(g.old), cellOf(g.new), g.delta ?? '', '']);
    }
    const wName = Math.max(...lines.map((l) => [...l[0]!].length));
    const wOld = Math.max([...oldLabel].length, [...t.unit].length, ...lines.map((l) => [...l[1]!].length));
    const wNew = Math.max([...newLabel].length, [...t.unit].length, ...lines.map((l) => [...l[2]!].length));
    const wDelta = Math.max(...lines.map((l) => [...l[3]!].length));
    const wVs = Math.max('vs base'.length, ...lines.map((l) => wDelta + 1 + [...l[4]!].length));
    const center = (s: string, w: number) => {
      const len = [...s].length;
      const left = Math.floor((w - len) / 2);
      return ' '.repeat(left) + s + ' '.repeat(w - len - left);
    };
    out.push(`${' '.repeat(wName)} │ ${center(oldLabel, wOld)} │ ${center(newLabel, wNew + 2 + wVs)} │`);
    out.push(`${' '.repeat(wName)} │ ${center(t.unit, wOld)} │ ${center(t.unit, wNew)}  ${pad('vs base', wVs)} │`);
    for (const l of lines)
      out.push(
        `${pad(l[0]!, wName)}   ${pad(l[1]!, wOld)}   ${pad(l[2]!, wNew)}  ${pad(l[3]!, wDelta, true)} ${l[4]}`.replace(
          /\s+$/,
          '',
        ),
      );
  }
  if (notes.length) {
    out.push('');
    notes.forEach((n, i) => out.push(`${superscript(i + 1)} ${n}`));
  }
  return `${out.join('\n')}\n`;
}

function superscript(n: number): string {
  const d = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return String(n)
    .split('')
    .map((c) => d[Number(c)]!)
    .join('');
}
