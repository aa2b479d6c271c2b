/**
 * The flame panel's Labels tab and label pivot against Go 1.19's `go tool pprof`:
 * - labelsReport's keys, values, shares and order equal `-tags` (test/fixtures/golden/…/tags.txt)
 *   for every sample type of the labels (string labels from pprof.Do) and heap (numeric `bytes`
 *   labels) fixtures; numeric keys come as a histogram ordered by size;
 * - each value's tagfocus expression keeps exactly that value's samples: the core's filter gives
 *   the value's total, and `go tool pprof -tagfocus=<expr>` (run live) reports the same total;
 * - the -tagroot pivot of the worker's flame op: its top table and root children equal
 *   `go tool pprof -tagroot=handler -top` (test/fixtures/golden-parity/labels/tagroot_top.txt).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { filterProfile, type FilterOptions } from '../../src/core/filter';
import { labelsReport, quoteTagValue } from '../../src/core/labels';
import { reportTotal } from '../../src/core/report';
import { scale, scaledLabel, toFixedGo } from '../../src/shared/units';
import { ProfileOps } from '../../src/worker/ops';
import { makeView } from '../../src/core/view';

const FIX = path.resolve(__dirname, '../fixtures');
const load = (name: string) => parseProfile(readFileSync(path.join(FIX, 'profiles', name)));

interface GoldenKey {
  key: string;
  total: string;
  values: { value: string; pct: string; label: string }[];
}

/** pprof -tags output: " key: Total X" then "  value (pct%): label" lines. */
function parseTags(text: string): GoldenKey[] {
  const out: GoldenKey[] = [];
  for (const line of text.split('\n')) {
    const k = /^\s*(\S.*): Total (\S+)$/.exec(line);
    if (k) {
      out.push({ key: k[1]!, total: k[2]!, values: [] });
      continue;
    }
    const v = /^\s*(\S+) \(\s*([^)]*)%\): (.*)$/.exec(line);
    if (v) out[out.length - 1]!.values.push({ value: v[1]!, pct: v[2]!, label: v[3]! });
  }
  return out;
}

/** As -tags formats a value: scaled to the unit of the report, one decimal. */
function fmt(v: number, unit: string): string {
  const [x, u] = scale(v, unit, 'minimum');
  return `${toFixedGo(x, 1)}${u}`;
}

/** pprof's percentage in -tags, without padding. */
function pct(share: number): string {
  const r = share * 100;
  if (r >= 99.95 && r <= 100.05) return '100';
  if (r >= 1) return toFixedGo(r, 2);
  return String(Number(r.toPrecision(2)));
}

const CASES: [string, string, string[]][] = [
  ['labels.pb.gz', 'labels', ['samples', 'cpu']],
  ['heap.pb.gz', 'heap', ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']],
];

describe('labels: the Labels tab equals go tool pprof -tags', () => {
  for (const [file, golden, types] of CASES) {
    const p = load(file);
    for (const type of types) {
      it(`${file} -sample_index=${type}`, () => {
        const si = p.sampleTypes.findIndex((t) => t.type === type);
        assert.ok(si >= 0);
        const want = parseTags(readFileSync(path.join(FIX, 'golden', golden, type, 'tags.txt'), 'utf8'));
        const got = labelsReport(p, { sampleIndex: si });
        assert.deepEqual(
          got.keys.map((k) => k.key),
          want.map((k) => k.key),
        );
        for (const [i, w] of want.entries()) {
          const g = got.keys[i]!;
          assert.equal(fmt(g.total, got.sampleUnit), w.total, `${w.key} total`);
          const rows = g.values.map((v) => ({
            value: fmt(v.value, got.sampleUnit),
            pct: pct(v.share),
            label: v.label,
          }));
          if (g.numeric) {
            // A histogram: ordered by the number, not by weight; the same rows as pprof's.
            const nums = g.values.map((v) => v.num!);
            assert.deepEqual(
              nums,
              [...nums].sort((a, b) => a - b),
            );
            const byLabel = (a: { label: string }, b: { label: string }) => (a.label < b.label ? -1 : 1);
            assert.deepEqual([...rows].sort(byLabel), [...w.values].sort(byLabel));
          } else assert.deepEqual(rows, w.values);
        }
      });
    }
  }

  it('numeric keys carry their unit and the raw numbers', () => {
    const p = load('heap.pb.gz');
    const r = labelsReport(p, { sampleIndex: 3 });
    const bytes = r.keys.find((k) => k.key === 'bytes')!;
    assert.equal(bytes.numeric, true);
    assert.equal(bytes.unit, 'bytes');
    assert.deepEqual(
      bytes.values.map((v) => v.num),
      [8, 16, 32, 80, 96, 384, 416, 1536, 8192, 16384, 163840],
    );
    assert.equal(bytes.values.find((v) => v.num === 16384)!.label, '16kB');
  });
});

describe('labels: clicking a value sets a tagfocus that keeps exactly its samples', () => {
  for (const [file, , types] of CASES) {
    it(`${file}: the filtered total is the value's total, for every value`, () => {
      const p = load(file);
      const si = p.sampleTypes.findIndex((t) => t.type === types[types.length - 1]);
      for (const k of labelsReport(p, { sampleIndex: si }).keys) {
        for (const v of k.values) {
          const f = filterProfile(p, { tagFocus: v.tagFocus });
          assert.equal(reportTotal(f.profile, si), v.value, `${v.tagFocus}`);
        }
      }
    });
  }

  it('go tool pprof -tagfocus=<expr> reports the same totals (live)', function () {
    this.timeout(60_000);
    const checks: [string, string, string][] = [
      ['labels.pb.gz', 'cpu', '/api/orders'],
      ['heap.pb.gz', 'inuse_space', '16kB'],
      ['heap.pb.gz', 'inuse_space', '1.50kB'],
    ];
    for (const [file, type, label] of checks) {
      const p = load(file);
      const si = p.sampleTypes.findIndex((t) => t.type === type);
      const row = labelsReport(p, { sampleIndex: si })
        .keys.flatMap((k) => k.values)
        .find((v) => v.label === label)!;
      const out = execFileSync(
        'go',
        [
          'tool',
          'pprof',
          '-symbolize=none',
          `-sample_index=${type}`,
          `-tagfocus=${row.tagFocus}`,
          '-top',
          path.join(FIX, 'profiles', file),
        ],
        { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const m = /Showing nodes accounting for (\S+), /.exec(out);
      assert.ok(m, out);
      assert.equal(m[1], fmtTop(row.value, p.sampleTypes[si]!.unit), `${file} ${row.tagFocus}`);
    }
  });

  it('quotes regexp metacharacters and commas (pprof splits tag values at commas)', () => {
    assert.equal(quoteTagValue('/a.b,c(d)'), '/a\\.b\\x2cc\\(d\\)');
    const f = filterProfile(load('labels.pb.gz'), { tagFocus: `handler=^${quoteTagValue('/api/users')}$` });
    assert.ok(f.matched.tagFocus);
  });
});

/** pprof -top's "Showing nodes accounting for X": the value scaled, %.2f with ".00" dropped. */
const fmtTop = (v: number, unit: string) => scaledLabel(v, unit, 'minimum');

describe('labels: the -tagroot pivot of the flame graph equals go tool pprof -tagroot', () => {
  it('labels.pb.gz -tagroot=handler: top table and the root children', () => {
    const p = load('labels.pb.gz');
    const si = p.sampleTypes.findIndex((t) => t.type === 'cpu');
    const ops = new ProfileOps(makeView(p));
    const r = ops.flame({ sampleIndex: si, tagRoot: ['handler'] });
    const golden = readFileSync(path.join(FIX, 'golden-parity/labels/tagroot_top.txt'), 'utf8');
    const rows = golden
      .split('\n')
      .map((l) => /^\s+(\d\S*)\s+[\d.]+%\s+[\d.]+%\s+(\S+)\s+[\d.]+%\s+(.*?)( \(inline\))?$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    assert.ok(rows.length > 10);
    const secs = (ns: number) => (ns === 0 ? '0' : `${toFixedGo(ns / 1e9, 2)}s`);
    for (const m of rows) {
      const i = r.top.name.indexOf(m[3]!);
      assert.ok(i >= 0, `${m[3]} in the table`);
      assert.equal(secs(r.top.flat[i]!), m[1], `${m[3]} flat`);
      assert.equal(secs(r.top.cum[i]!), m[2], `${m[3]} cum`);
    }
    assert.equal(r.top.name.length, rows.length);
    // One subtree per handler under the root, each as heavy as pprof's pseudo frame.
    const f = r.flame;
    const kids: Record<string, string> = {};
    for (let i = 1; i < f.nodeName.length; i += f.subtree[i]!) kids[f.names[f.nodeName[i]!]!] = secs(f.total[i]!);
    assert.deepEqual(kids, {
      '/api/users': '0.97s',
      '/api/orders': '0.15s',
      '/healthz': '0.08s',
      '<unknown>': '0.01s',
    });
    // The plain tree is still there (the pivot has its own cache entry).
    const plain = ops.flame({ sampleIndex: si });
    assert.equal(plain.flame.names[plain.flame.nodeName[1]!], 'runtime.main');
  });
});

// The panel's Labels tab pivot with Set Filters (trial4: hide=runtime lost the samples whose frames
// were all hidden, instead of keeping them under their label frame): the worker's flame op on a
// filtered view with -tagroot against `go tool pprof -tagroot=handler <filters> -top`
// (test/fixtures/golden-parity/labels, commands.tsv), every row's flat and cum.
describe('labels: the -tagroot pivot of a filtered view equals go tool pprof (label frames before the filters)', () => {
  const dir = path.join(FIX, 'golden-parity/labels');
  const commands = readFileSync(path.join(dir, 'commands.tsv'), 'utf8').split('\n').filter(Boolean);
  const keys: Record<string, keyof FilterOptions> = {
    hide: 'hide',
    show_from: 'showFrom',
    focus: 'focus',
    ignore: 'ignore',
  };
  for (const out of [
    'tagroot_hide.txt',
    'tagroot_hide_code.txt',
    'tagroot_hide_all.txt',
    'tagroot_show_from.txt',
    'tagroot_ignore.txt',
    'tagroot_hide_focus.txt',
  ]) {
    const cmd = commands.find((l) => l.startsWith(`${out}\t`))!;
    it(`${out}: ${cmd.split('\t')[3]!.replace(/^.*-nodecount=1000 /, '')}`, () => {
      const filters: FilterOptions = {};
      for (const m of cmd.matchAll(/'?-(hide|show_from|focus|ignore)=([^' ]*)'?/g)) filters[keys[m[1]!]!] = m[2]!;
      assert.ok(Object.keys(filters).length > 0, cmd);
      const p = load('labels.pb.gz');
      const si = p.sampleTypes.findIndex((t) => t.type === 'cpu');
      const ops = new ProfileOps(makeView(p, { filters }));
      const r = ops.flame({ sampleIndex: si, tagRoot: ['handler'] });
      const golden = readFileSync(path.join(dir, out), 'utf8');
      const rows = golden
        .split('\n')
        .map((l) => /^\s+(\d\S*)\s+[\d.]+%\s+[\d.]+%\s+(\S+)\s+[\d.]+%\s+(.*?)( \(inline\))?$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null);
      // As pprof -top prints a duration in the unit of its golden (0.97s or 970ms).
      const ms = rows.some((m) => /ms$/.test(m[2]!));
      const fmt = (ns: number) => (ns === 0 ? '0' : ms ? `${Math.round(ns / 1e6)}ms` : `${toFixedGo(ns / 1e9, 2)}s`);
      const shown = r.top.name.filter((_, i) => r.top.flat[i] !== 0 || r.top.cum[i] !== 0);
      assert.deepEqual(shown.sort(), rows.map((m) => m[3]!).sort(), 'the same functions');
      for (const m of rows) {
        const i = r.top.name.indexOf(m[3]!);
        assert.equal(fmt(r.top.flat[i]!), m[1], `${m[3]} flat`);
        assert.equal(fmt(r.top.cum[i]!), m[2], `${m[3]} cum`);
      }
      // No sample lost: the label roots add up to what pprof's "Showing nodes accounting for" keeps.
      const f = r.flame;
      let roots = 0;
      for (let i = 1; i < f.nodeName.length; i += f.subtree[i]!) roots += f.total[i]!;
      const kept = /^Showing nodes accounting for (\S+),/m.exec(golden)![1]!;
      assert.equal(fmt(roots), kept, 'the label roots');
    });
  }
});
