/**
 * core/benchstat on real `go test -bench -count=6` output of test/fixtures/benchab (generate.sh:
 * the same package before and after an optimisation of Join). The expected medians, spreads, U
 * statistics and p-values are worked out here independently: medians and intervals by hand from
 * the sorted samples, p-values by enumerating every way of splitting the pooled values (all
 * C(n1+n2, n1) of them, mid-ranks for ties), and the large-sample approximation against the
 * formula with tie and continuity correction (the value scipy.stats.mannwhitneyu(method=
 * 'asymptotic') prints, 0.015856209681046).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  commonScale,
  compareOutputs,
  compareSamples,
  formatComparison,
  formatScaled,
  mannWhitneyU,
  medianCI,
  parseBenchOutput,
  pctRange,
  summarize,
} from '../../src/core/benchstat';

const dir = path.join(__dirname, '../fixtures/benchab');
const oldTxt = readFileSync(path.join(dir, 'old.txt'), 'utf8');
const newTxt = readFileSync(path.join(dir, 'new.txt'), 'utf8');

/** Two-sided exact p by enumeration: P(U <= min U) × 2 over all splits of the pooled values, capped at 1. */
function bruteForce(x: number[], y: number[]): { u: number; p: number } {
  const pool = [...x, ...y];
  const sorted = [...pool].sort((a, b) => a - b);
  const rank = (v: number) => {
    const idx = sorted.flatMap((s, i) => (s === v ? [i + 1] : []));
    return idx.reduce((a, b) => a + b, 0) / idx.length;
  };
  const ranks = pool.map(rank);
  const n1 = x.length;
  const n = pool.length;
  const uOf = (chosen: number[]) => chosen.reduce((a, i) => a + ranks[i]!, 0) - (n1 * (n1 + 1)) / 2;
  const u1 = uOf([...Array(n1).keys()]);
  const u = Math.min(u1, n1 * y.length - u1);
  let hit = 0;
  let all = 0;
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === n1) {
      all++;
      if (uOf(chosen) <= u + 1e-9) hit++;
      return;
    }
    for (let i = start; i < n; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return { u, p: u === n1 * y.length - u ? 1 : Math.min(1, (2 * hit) / all) };
}

describe('benchstat: parsing go test -bench output', () => {
  it('reads the configuration and every run with its b.N and metrics', () => {
    const o = parseBenchOutput(oldTxt);
    assert.deepEqual([...o.config.keys()], ['goos', 'goarch', 'pkg', 'cpu']);
    assert.equal(o.config.get('pkg'), 'example.com/benchab');
    assert.equal(o.runs.length, 12);
    assert.deepEqual(
      o.runs.map((r) => r.name),
      [...Array(6).fill('BenchmarkJoin-2'), ...Array(6).fill('BenchmarkSum-2')],
    );
    const first = o.runs[0]!;
    const line = oldTxt.split('\n').find((l) => l.startsWith('BenchmarkJoin-2'))!;
    const f = line.split(/\s+/);
    assert.equal(first.iterations, Number(f[1]));
    assert.equal(first.values.get('ns/op'), Number(f[2]));
    assert.equal(first.values.get('B/op'), 32840);
    assert.equal(first.values.get('allocs/op'), 126);
  });
  it('joins a result printed after a benchmark log and skips other lines', () => {
    const o = parseBenchOutput(
      'BenchmarkLog-8   \t\nsome log line: 3\n    1000\t      1234 ns/op\t      12.5 MB/s\n--- BENCH: BenchmarkLog-8\nPASS\nok  \tx\t1.0s\n',
    );
    assert.equal(o.runs.length, 1);
    assert.equal(o.runs[0]!.name, 'BenchmarkLog-8');
    assert.equal(o.runs[0]!.iterations, 1000);
    assert.equal(o.runs[0]!.values.get('MB/s'), 12.5);
    assert.equal(o.config.size, 0);
  });
});

describe('benchstat: median and its 95% interval', () => {
  it('uses the order statistics a binomial(n, 1/2) gives, infinite below 6 samples', () => {
    // Independent check: the interval [lo, hi) in gap space holds >= 95 % of Binomial(n, 1/2).
    const pmf = (n: number, k: number) => {
      let c = 1;
      for (let i = 1; i <= k; i++) c = (c * (n - i + 1)) / i;
      return c / 2 ** n;
    };
    for (const [n, lo, hi] of [
      [5, 0, 5],
      [6, 1, 6],
      [10, 2, 9],
      [20, 6, 15],
    ] as const) {
      const ci = medianCI(n);
      assert.deepEqual([ci.lo, ci.hi], [lo, hi], `n=${n}`);
      let conf = 0;
      for (let k = Math.max(lo, 0); k < Math.min(hi, n + 1); k++) conf += pmf(n, k);
      if (lo > 0) assert.ok(conf >= 0.95 && Math.abs(conf - ci.confidence) < 1e-12, `n=${n} confidence ${conf}`);
    }
  });
  it('summarises the fixture: Join old = 26653.5 ns ± 22% (min and max of 6 runs)', () => {
    const o = parseBenchOutput(oldTxt);
    const xs = o.runs.filter((r) => r.name === 'BenchmarkJoin-2').map((r) => r.values.get('ns/op')!);
    const s = summarize(xs);
    const sorted = [...xs].sort((a, b) => a - b);
    assert.equal(s.center, (sorted[2]! + sorted[3]!) / 2);
    assert.equal(s.lo, sorted[0]);
    assert.equal(s.hi, sorted[5]);
    const pct = 100 * Math.max(sorted[5]! / s.center - 1, 1 - sorted[0]! / s.center);
    assert.equal(pctRange(s), `${Math.round(pct)}%`);
    assert.deepEqual(s.warnings, []);
    const small = summarize(xs.slice(0, 5));
    assert.equal(pctRange(small), '∞');
    assert.deepEqual(small.warnings, ['need >= 6 samples for confidence interval at level 0.95']);
    assert.equal(pctRange(summarize([0, 0, 0, 0, 0, 0])), '0%');
  });
});

describe('benchstat: Mann-Whitney U test', () => {
  const cases: [string, number[], number[]][] = [
    ['all of one below the other', [1, 2, 3], [4, 5, 6]],
    ['interleaved', [1, 3, 5, 7, 9, 11], [2, 4, 6, 8, 10, 12]],
    ['ties (exact with ties, n <= 9)', [1, 2, 2, 3, 3, 3], [2, 3, 3, 4, 4, 5]],
    ['unequal sizes with ties', [5, 5, 6, 7, 9], [5, 6, 6, 8, 9, 9, 10]],
    ['identical distributions', [1, 2, 3, 4], [1, 2, 3, 4]],
  ];
  for (const [what, x, y] of cases) {
    it(`matches the enumeration of every split: ${what}`, () => {
      const got = mannWhitneyU(x, y);
      const want = bruteForce(x, y);
      assert.equal(got.u, want.u);
      assert.ok(got.exact);
      assert.ok(Math.abs(got.p - want.p) < 1e-12, `p ${got.p} vs ${want.p}`);
    });
  }
  it('hand-checked: 3 vs 3 fully separated gives U=0, p = 2/C(6,3) = 0.1', () => {
    const t = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    assert.equal(t.u, 0);
    assert.ok(Math.abs(t.p - 0.1) < 1e-12);
  });
  it('the fixture: Join 6 runs before vs after, fully separated: p = 2/924 = 0.002', () => {
    const o = parseBenchOutput(oldTxt).runs.filter((r) => r.name === 'BenchmarkJoin-2');
    const n = parseBenchOutput(newTxt).runs.filter((r) => r.name === 'BenchmarkJoin-2');
    const t = mannWhitneyU(
      o.map((r) => r.values.get('ns/op')!),
      n.map((r) => r.values.get('ns/op')!),
    );
    assert.equal(t.u, 0);
    assert.ok(Math.abs(t.p - 2 / 924) < 1e-12);
  });
  it('beyond 9 samples with ties: normal approximation with tie and continuity correction', () => {
    const t = mannWhitneyU([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], [3, 3, 4, 4, 5, 5, 6, 6, 7, 7]);
    assert.equal(t.u, 18);
    assert.equal(t.exact, false);
    assert.ok(Math.abs(t.p - 0.015856209681046) < 1e-6, String(t.p));
  });
  it('all values equal: p = 1 and the warning benchstat prints', () => {
    const t = mannWhitneyU([0, 0, 0], [0, 0, 0]);
    assert.equal(t.p, 1);
    assert.equal(t.warning, 'all samples are equal');
  });
  it('delta: "~" above alpha, the change of the medians below, notes "(p=… n=…)"', () => {
    const sig = compareSamples([10, 11, 12, 13, 14, 15], [5, 6, 7, 8, 9, 9.5], 12.5, 7.5);
    assert.equal(sig.delta, '-40.00%');
    assert.equal(sig.note, 'p=0.002 n=6');
    // Join's first three runs against its last three: U=2 of 9, P(U<=2) = 4/20, p = 0.4.
    const o = parseBenchOutput(oldTxt).runs.filter((r) => r.name === 'BenchmarkJoin-2');
    const v = o.map((r) => r.values.get('ns/op')!);
    const ns = compareSamples(v.slice(0, 3), v.slice(3), 1, 1);
    assert.equal(ns.u, 2);
    assert.equal(ns.delta, '~');
    assert.equal(ns.note, 'p=0.400 n=3');
    assert.deepEqual(ns.warnings, ['need >= 4 samples to detect a difference at alpha level 0.05']);
    assert.equal(compareSamples([1, 2, 3, 4, 5], [6, 7, 8], 3, 7).note, 'p=0.036 n=5+3');
  });
});

describe('benchstat: units and the table', () => {
  it('scales a row by its smallest value with at least three significant digits', () => {
    const s = commonScale([26653.5e-9, 943.4e-9], false);
    assert.equal(formatScaled(26653.5e-9, s), '26653.5n');
    assert.equal(formatScaled(943.4e-9, s), '943.4n');
    assert.equal(formatScaled(1.5, commonScale([1.5, 2], false)), '1.500');
    assert.equal(formatScaled(2048, commonScale([2048, 4096], true)), '2.000Ki');
    assert.equal(formatScaled(0, commonScale([0, 0], true)), '0.000');
  });
  it('prints the fixture comparison as benchstat lays it out', () => {
    const r = compareOutputs(parseBenchOutput(oldTxt), parseBenchOutput(newTxt));
    assert.deepEqual(
      r.tables.map((t) => t.unit),
      ['sec/op', 'B/op', 'allocs/op'],
    );
    // Hand-checked from old.txt / new.txt: medians of the sorted samples, min/max spreads, U=0 (p=2/924).
    const join = r.tables[0]!.rows[0]!;
    assert.equal(join.name, 'Join-2');
    assert.ok(Math.abs(join.old!.center - 26653.5e-9) < 1e-15);
    assert.ok(Math.abs(join.new!.center - 943.35e-9) < 1e-15);
    assert.equal(join.comparison!.delta, '-96.46%');
    assert.equal(r.ops.old.get('BenchmarkJoin-2'), 36438 + 36219 + 59905 + 57628 + 50124 + 52992);
    const text = formatComparison(r, 'HEAD', 'working tree');
    const lines = text.split('\n');
    assert.equal(lines[0], 'goos: linux');
    assert.ok(lines.includes('Join-2    26653.5n ± 22%   943.4n ± 35%  -96.46% (p=0.002 n=6)'), text);
    assert.ok(lines.includes('Sum-2     0.000 ± 0%     0.000 ± 0%          ~ (p=1.000 n=6) ¹'), text);
    assert.ok(lines.includes('Join-2    126.000 ± 0%   1.000 ± 0%    -99.21% (p=0.002 n=6)'), text);
    assert.ok(lines.includes('¹ all samples are equal'), text);
    assert.ok(lines.includes('² summaries must be >0 to compute geomean'), text);
    assert.ok(lines.includes('geomean   2201.0n          277.8n        -87.38%'), text);
  });
});
