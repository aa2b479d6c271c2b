/**
 * -show_from on a function inlined into another, where that Location (one PC, grow's Line inlined
 * into build's) repeats down the stacks: pprof (profile/filter.go ShowFrom) cuts the Lines outer
 * to the outermost matching one off the Location itself, so build is gone at every depth, not only
 * above the outermost grow. The fixture (test/fixtures/showfrom, scripts/gen-showfrom-fixture.sh)
 * is a real Go 1.19 heap profile of a recursive tree build through the inlined grow. For each
 * -show_from of the goldens and each sample type, three trees are the same, field by field: the
 * panel's (worker filteredFlame: core/flame filterTrie on the unfiltered trie), the filtered
 * view's own (the samples through core/filter, then a trie built from them) and pprof's
 * (-traces: each sample's stack, merged root first); and the panel's table is pprof's -top.
 * -show_from by grow's file name (pprof matches a Line's function name or file) is the samples'
 * (the trie knows function names only). And the CLI prints every golden as pprof does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { filterProfile, type FilterOptions } from '../../src/core/filter';
import type { FlameData } from '../../src/shared/flame';
import { ProfileOps } from '../../src/worker/ops';
import { run } from '../../src/cli';
import { assertSameLines } from './helpers/golden';
import { parseTop, same } from './helpers/pprofText';
import { repoRoot } from './helpers/shared';

const FIX = path.join(repoRoot(), 'test/fixtures/showfrom');
const golden = (file: string) => readFileSync(path.join(FIX, 'golden', file), 'utf8');
const bytes = () => new Uint8Array(readFileSync(path.join(FIX, 'profiles/heap.pb.gz')));

/** commands.tsv: output file → its command's argv after `go tool pprof`. */
function commands(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of golden('commands.tsv').split('\n').filter(Boolean)) {
    const [file, , cmd] = line.split('\t') as [string, string, string];
    out.set(file, [...cmd.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(3));
  }
  return out;
}

interface Row {
  total: number;
  self: number;
  inlined: boolean;
}

/**
 * pprof -traces merged into a tree: every node by its path of names from the root (inlined frames
 * marked), with its total and self. Counts only: -traces prints each sample's value in its own
 * scaled unit, which the sum of rounded byte values could not give back exactly.
 */
function tracesTree(text: string): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const block of text.split(/^-+\+-+$/m).slice(1)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '' && !/^\s+bytes:/.test(l));
    if (lines.length === 0) continue;
    const first = /^\s*(-?\d+)\s+(.*)$/.exec(lines[0]!);
    assert.ok(first, lines[0]);
    const value = Number(first[1]);
    const frames = [first[2]!, ...lines.slice(1).map((l) => l.trim())].reverse(); // root first
    let key = '';
    frames.forEach((f, i) => {
      const inlined = f.endsWith(' (inline)');
      key += `${i > 0 ? ' -> ' : ''}${f.replace(/ \(inline\)$/, '')}`;
      const r = out.get(key) ?? { total: 0, self: 0, inlined };
      r.total += value;
      if (i === frames.length - 1) r.self += value;
      out.set(key, r);
    });
  }
  return out;
}

/** Our tree the same way (nodes no sample passes through, zero total, left out as pprof has none). */
function flameTree(f: FlameData): Map<string, Row> {
  const out = new Map<string, Row>();
  const stack: string[] = [];
  for (let i = 1; i < f.nodeName.length; i++) {
    stack.length = f.depth[i]! - 1;
    stack.push(f.names[f.nodeName[i]!]!);
    if (f.total[i] === 0 && f.self[i] === 0) continue;
    out.set(stack.join(' -> '), { total: f.total[i]!, self: f.self[i]!, inlined: f.inlined[i] === 1 });
  }
  return out;
}

/** A tree field by field with names and files as text (the tables' order is no matter), without its lines. */
function resolved(f: FlameData) {
  const { nodeLine: _l, names, files, nodeName, nodeFile, ...rest } = f;
  return {
    ...rest,
    name: Array.from(nodeName, (k) => (k < 0 ? '' : names[k])),
    file: Array.from(nodeFile, (k) => (k < 0 ? '' : files[k])),
  };
}

const sorted = (m: Map<string, Row>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('show_from on an inlined function whose Location repeats down the stack (pprof cuts it at every depth)', () => {
  const cmds = commands();
  const showFrom = (args: readonly string[]) =>
    args.find((a) => a.startsWith('-show_from='))?.slice('-show_from='.length);
  const cases = [...cmds]
    .map(([file, args]) => [file, showFrom(args)] as const)
    // (The sandwich's goldens, -focus with -show_from, are sandwichShowFrom.test.ts's.)
    .filter(([file, sf]) => sf !== undefined && file.endsWith('_traces.txt') && !file.includes('/sandwich_'));

  it('the fixture has grow inlined into build at several depths of one stack', () => {
    const traces = golden('inuse_objects/traces.txt');
    assert.match(traces, /main\.grow \(inline\)\n\s+main\.build\n\s+main\.grow \(inline\)\n\s+main\.build\n/);
    assert.equal(cases.length, 12);
  });

  it("core/filter keeps the Location's Lines up to its outermost matching one, in every sample", () => {
    const { ops } = ProfileOps.load({ bytes: bytes() });
    const p = ops.profile;
    const { profile: q } = filterProfile(p, { showFrom: '^main\\.grow$' });
    const names = (loc: number) => q.locations[loc]!.lines.map((l) => q.functions[l.func]!.name);
    let deeper = 0;
    for (let e = 0; e + 1 < q.samples.locStart.length; e++) {
      const a = q.samples.locStart[e]!;
      const b = q.samples.locStart[e + 1]!;
      for (let k = a; k < b; k++) {
        const n = names(q.samples.stackLocs[k]!);
        assert.ok(!(n.includes('main.grow') && n.includes('main.build')), n.join(' '));
        if (n[0] === 'main.grow' && k < b - 1) deeper++;
      }
    }
    assert.ok(deeper > 0, 'grow below another grow');
  });

  for (const [file, showFrom] of cases) {
    const si = file.split('/')[0]!;
    it(`${si}, -show_from=${showFrom}: the panel's tree is the filtered view's and pprof's`, () => {
      const filters: FilterOptions = { showFrom: showFrom! };
      const { ops } = ProfileOps.load({ bytes: bytes() });
      const t = ops.profile.sampleTypes.findIndex((s) => s.type === si);
      assert.ok(t >= 0, si);
      ops.flame({ sampleIndex: t });
      const fast = ops.filteredFlame({ sampleIndex: t, filters });
      // A file name: the trie (function names) cannot tell, the view's samples do.
      if (file.includes('_file_')) assert.equal(fast, null, 'matches a file');
      else assert.ok(fast, 'computed on the trie');
      const view = ProfileOps.load({ bytes: bytes(), filters }).ops;
      const slow = view.flame({ sampleIndex: t });
      const unit = ops.profile.sampleTypes[t]!.unit;

      // pprof's tree: counts exactly from -traces; the byte types through -top below.
      if (si.endsWith('_objects')) {
        const want = sorted(tracesTree(golden(file)));
        assert.deepEqual(sorted(flameTree(slow.flame)), want, 'filtered view vs pprof');
        if (fast) assert.deepEqual(sorted(flameTree(fast.flame)), want, 'panel vs pprof');
      }
      // The panel's tree node for node the filtered view's (same order, depths, totals, weights).
      if (fast) assert.deepEqual(resolved(fast.flame), resolved(slow.flame), 'panel vs filtered view');

      // The tables: every function's flat and cum as pprof's -top prints them.
      const top = parseTop(golden(file.replace(/_traces\.txt$/, '_top.txt')));
      assert.ok(top.length > 0);
      for (const table of fast ? [fast.top, slow.top] : [slow.top]) {
        const rows = new Map(table.name.map((n, i) => [n, i]));
        for (const w of top) {
          const i = rows.get(w.name);
          assert.ok(i !== undefined, w.name);
          assert.equal(same(table.flat[i]!, w.flat, unit), w.flat, `${w.name} flat`);
          assert.equal(same(table.cum[i]!, w.cum, unit), w.cum, `${w.name} cum`);
        }
        const shown = table.name.filter((_, i) => table.flat[i] !== 0 || table.cum[i] !== 0);
        assert.deepEqual(shown.sort(), top.map((w) => w.name).sort());
      }
    });
  }

  it('the CLI prints what go tool pprof printed, for every golden', () => {
    assert.equal(cmds.size, 53);
    for (const [file, args] of cmds) {
      let out = '';
      let err = '';
      const argv = args.map((a) => (a.startsWith('profiles/') ? path.join(FIX, a) : a));
      assert.equal(
        run(
          argv,
          (t) => (out += t),
          (t) => (err += t),
        ),
        0,
        `${file}: ${err}`,
      );
      assertSameLines(out, golden(file), file);
    }
  });

  it("with the other filters, and matches that cut nothing: the panel's tree is the filtered view's", () => {
    const { ops } = ProfileOps.load({ bytes: bytes() });
    const cases: FilterOptions[] = [
      { focus: '^main\\.leaf$', showFrom: '^main\\.grow$' },
      { ignore: '^main\\.leaf$', showFrom: '^main\\.grow$' },
      { hide: '^main\\.leaf$', showFrom: '^main\\.grow$' },
      // Every build Line hidden: nothing is left above grow in its Location.
      { hide: '^main\\.build$', showFrom: '^main\\.grow$' },
      { hide: '^main\\.run$', showFrom: '^main\\.(run|grow)$' },
      // build's Line is the Location's outermost match: the Location keeps both.
      { showFrom: '^main\\.(grow|build)$' },
      { showFrom: '^main\\.build$' },
    ];
    for (let t = 0; t < ops.profile.sampleTypes.length; t++) {
      ops.flame({ sampleIndex: t });
      for (const filters of cases) {
        const what = `${JSON.stringify(filters)} ${t}`;
        const fast = ops.filteredFlame({ sampleIndex: t, filters });
        assert.ok(fast, what);
        const slow = ProfileOps.load({ bytes: bytes(), filters }).ops.flame({ sampleIndex: t });
        assert.deepEqual(resolved(fast.flame), resolved(slow.flame), what);
        assert.deepEqual(
          [fast.top.name, fast.top.flat, fast.top.cum],
          [slow.top.name, slow.top.flat, slow.top.cum],
          what,
        );
      }
    }
  });
});
