/**
 * The panel's views as the worker serves them (src/worker/ops.ts on the real CPU fixture): the
 * inverted view's table has pprof's -top numbers like the top-down one, the inverted tree built
 * ahead of the panel (prewarmInverted) is what the Inverted toggle gets, and a recursive
 * function's sandwich says it merged the function's calls to itself; and a focus or ignore
 * transform's tree, derived from the unfiltered view's trie, equals the tree of the filtered
 * samples (the transforms' numbers against pprof are in transforms.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildFlame } from '../../src/core/flame';
import { SANDWICH_MIN_SHARE } from '../../src/core/sandwich';
import { exactName } from '../../src/core/transforms';
import type { FilterOptions } from '../../src/core/filter';
import type { FlameData } from '../../src/shared/flame';
import { ProfileOps } from '../../src/worker/ops';
import { parseTop, same } from './helpers/pprofText';
import { repoRoot } from './helpers/shared';

const load = () =>
  ProfileOps.load({ bytes: new Uint8Array(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz'))) })
    .ops;
const FIB = 'example.com/fixtures/internal/work.Fib';

/** A tree field by field with its names and files as text (the tables' order is no matter) and without its lines. */
function resolved(f: FlameData) {
  const { nodeLine: _l, names, files, nodeName, nodeFile, ...rest } = f;
  return {
    ...rest,
    name: Array.from(nodeName, (k) => (k < 0 ? '' : names[k])),
    file: Array.from(nodeFile, (k) => (k < 0 ? '' : files[k])),
  };
}

describe('worker ops: inverted view and sandwich', () => {
  it("the inverted view's table is the top-down one (flat is not the bottom-up tree's self)", () => {
    const ops = load();
    for (const si of [0, 1]) {
      const down = ops.flame({ sampleIndex: si });
      const up = ops.flame({ sampleIndex: si, reverse: true });
      const rows = (t: typeof down.top) => t.name.map((n, i) => [n, t.flat[i], t.cum[i]]);
      assert.deepEqual(rows(up.top), rows(down.top));
      // And the inverted tree's root children are the leaf frames: runtime.main is no leaf.
      const kids: string[] = [];
      const f = up.flame;
      for (let c = 1; c < f.subtree[0]!; c += f.subtree[c]!) kids.push(f.names[f.nodeName[c]!]!);
      assert.ok(!kids.includes('runtime.main'));
      assert.ok(kids.includes('example.com/fixtures/internal/work.mix'));
    }
  });

  for (const fixture of ['cpu', 'heap', 'labels', 'goroutine']) {
    it(`${fixture}: the inverted tree from the top-down trie is the samples' bottom-up tree`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(repoRoot(), `test/fixtures/profiles/${fixture}.pb.gz`)));
      const ops = ProfileOps.load({ bytes }).ops;
      for (let si = 0; si < ops.profile.sampleTypes.length; si++) {
        const got = ops.flame({ sampleIndex: si, reverse: true }).flame;
        const want = buildFlame(ops.profile, { sampleIndex: si, reverse: true });
        // Equal siblings may come in another order: each node by its path from the root.
        const byPath = (f: FlameData, minW: number) => {
          const out = new Map<string, string>();
          // Preorder with depths: the path is the names of the nodes on the stack of depths.
          const stack: string[] = [];
          for (let i = 0; i < f.nodeName.length; i++) {
            const d = f.depth[i]!;
            stack.length = d;
            stack.push(i === 0 ? '' : `${f.names[f.nodeName[i]!]}@${f.files[f.nodeFile[i]!] ?? ''}`);
            if (f.weight[i]! < minW) continue;
            out.set(stack.join(' <- '), `${f.total[i]} ${f.self[i]} ${f.weight[i]} ${f.inlined[i]}`);
          }
          return out;
        };
        const minW = SANDWICH_MIN_SHARE * want.weight[0]!;
        const g = byPath(got, 0);
        const w = byPath(want, minW);
        assert.ok(g.size > 1, `${fixture} ${si}`);
        assert.deepEqual([...g].sort(), [...w].sort(), `${fixture} ${si}`);
      }
    });
  }

  it('prewarmInverted builds the tree the Inverted toggle then gets', () => {
    const ops = load();
    ops.prewarmInverted(1);
    const t0 = performance.now();
    const a = ops.flame({ sampleIndex: 1, reverse: true });
    assert.ok(performance.now() - t0 < 5, 'a cached copy');
    assert.deepEqual(a.flame, load().flame({ sampleIndex: 1, reverse: true }).flame);
  });

  // The worker builds ahead a slice at a time (worker/main.ts): a request meanwhile for the very
  // tree or sandwich being built finishes it from where it stopped; another request leaves it to
  // go on; either way each answer is the one a fresh worker gives.
  it('a build ahead, a slice at a time: the request for it finishes it, another leaves it going', () => {
    const heap = () =>
      ProfileOps.load({
        bytes: new Uint8Array(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/heap.pb.gz'))),
      }).ops;
    const fresh = heap();
    for (const si of [3, 1]) {
      const ops = heap();
      ops.beginPrewarm('inverted', si);
      assert.equal(ops.prewarmStep(0), false, 'not done in one slice of no time');
      assert.deepEqual(ops.flame({ sampleIndex: si, reverse: true }), fresh.flame({ sampleIndex: si, reverse: true }));
      assert.equal(ops.prewarmStep(0), true, 'the request finished it');
      // Begun again once it is kept: nothing to build.
      ops.beginPrewarm('inverted', si);
      assert.equal(ops.prewarmStep(0), true);

      ops.beginPrewarm('sandwich', si);
      assert.equal(ops.prewarmStep(0), false);
      // Another function's sandwich in between: the build goes on after it.
      const other = 'main.main';
      assert.deepEqual(
        ops.sandwich({ sampleIndex: si, func: other }),
        fresh.sandwich({ sampleIndex: si, func: other }),
      );
      let slices = 1;
      while (!ops.prewarmStep(0)) slices++;
      assert.ok(slices > 1, `${slices} slices`);
      // Built: the top table's first row's sandwich is a copy now, equal to a fresh one.
      const func = ops.flame({ sampleIndex: si }).top.name[0]!;
      const t0 = performance.now();
      const got = ops.sandwich({ sampleIndex: si, func });
      assert.ok(performance.now() - t0 < 5, 'a cached copy');
      assert.deepEqual(got, fresh.sandwich({ sampleIndex: si, func }));
    }
  });

  it("a recursive function's sandwich: recursive set, one Fib frame in its callees", () => {
    const ops = load();
    const s = ops.sandwich({ sampleIndex: 1, func: FIB });
    assert.equal(s.recursive, true);
    const d = s.callees;
    const fibs = Array.from(d.nodeName, (n, i) => (i > 0 && d.names[n] === FIB ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(fibs, [1]);
    assert.equal(ops.sandwich({ sampleIndex: 1, func: 'main.countWords' }).recursive, false);
  });

  // go tool pprof -top with -hide / -show_from (test/fixtures/golden/<profile>/filters, from
  // commands.tsv) against the panel's table of that transform as filteredFlame computes it on the
  // unfiltered view's trie: every row's flat and cum, and the same functions.
  for (const [fixture, file] of [
    ['cpu', 'hide_runtime'],
    ['cpu', 'hide_inlined_helpers'],
    ['cpu', 'show_from_phases'],
    ['labels', 'hide_runtime'],
  ] as const) {
    it(`${fixture}: ${file} from the trie equals go tool pprof's -top`, () => {
      const dir = path.join(repoRoot(), 'test/fixtures/golden', fixture);
      const cmd = readFileSync(path.join(dir, 'commands.tsv'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`filters/${file}.txt\t`))!;
      const filters: FilterOptions = {};
      for (const [, k, v] of cmd.matchAll(/'-(hide|show_from)=([^']*)'/g))
        filters[k === 'hide' ? 'hide' : 'showFrom'] = v!;
      assert.ok(filters.hide ?? filters.showFrom, cmd);
      const bytes = new Uint8Array(readFileSync(path.join(repoRoot(), `test/fixtures/profiles/${fixture}.pb.gz`)));
      const ops = ProfileOps.load({ bytes }).ops;
      const st = ops.profile.sampleTypes;
      // pprof's default sample type: the last one.
      const si = st.length - 1;
      ops.flame({ sampleIndex: si });
      const got = ops.filteredFlame({ sampleIndex: si, filters });
      assert.ok(got, 'computed on the trie');
      const want = parseTop(readFileSync(path.join(dir, `filters/${file}.txt`), 'utf8'));
      const unit = st[si]!.unit;
      const rows = new Map(got.top.name.map((n, i) => [n, i]));
      for (const w of want) {
        const i = rows.get(w.name);
        assert.ok(i !== undefined, w.name);
        assert.equal(same(got.top.flat[i]!, w.flat, unit), w.flat, `${w.name} flat`);
        assert.equal(same(got.top.cum[i]!, w.cum, unit), w.cum, `${w.name} cum`);
      }
      const shown = got.top.name.filter((_, i) => got.top.flat[i] !== 0 || got.top.cum[i] !== 0);
      assert.deepEqual(shown.sort(), want.map((w) => w.name).sort());
    });
  }

  for (const fixture of ['cpu', 'heap', 'labels']) {
    it(`${fixture}: focus / ignore from the unfiltered trie equal the filtered samples' tree`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(repoRoot(), `test/fixtures/profiles/${fixture}.pb.gz`)));
      const first = ProfileOps.load({ bytes }).ops;
      const si = first.profile.sampleTypes.length - 1;
      const top = first.flame({ sampleIndex: si }).top.name;
      const [a, b] = [top[0]!, top[Math.min(3, top.length - 1)]!];
      const cases: FilterOptions[] = [
        { focus: exactName(a) },
        { ignore: exactName(a) },
        { focus: exactName(b), ignore: exactName(a) },
        { focus: `${exactName(a)}|${exactName(b)}` },
        { focus: 'main' }, // names and their files both match
        { focus: 'work\\.go$' }, // a file only: from the samples
      ];
      for (const filters of cases) {
        // Through a view that had no filters, and through one that had others (the trie is handed on).
        const fromTrie = first.review({ filters }).ops;
        const chained = first.review({ filters: { ignore: '^nothing$' } }).ops.review({ filters }).ops;
        const fresh = ProfileOps.load({ bytes, filters }).ops;
        const want = fresh.flame({ sampleIndex: si });
        for (const ops of [fromTrie, chained]) {
          const got = ops.flame({ sampleIndex: si });
          const { nodeLine: _a, ...g } = got.flame;
          const { nodeLine: _b, ...w } = want.flame;
          assert.deepEqual(g, w, JSON.stringify(filters));
          assert.deepEqual(got.top, want.top, JSON.stringify(filters));
        }
      }
    });

    it(`${fixture}: the panel's tree of a transform ahead of its view (filteredFlame) is the view's own`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(repoRoot(), `test/fixtures/profiles/${fixture}.pb.gz`)));
      const ops = ProfileOps.load({ bytes }).ops;
      const si = ops.profile.sampleTypes.length - 1;
      // Before the panel built the default tree the trie cannot answer.
      assert.equal(ops.filteredFlame({ sampleIndex: si, filters: { focus: 'main' } }), null);
      const top = ops.flame({ sampleIndex: si }).top.name;
      const [a, b] = [top[0]!, top[Math.min(3, top.length - 1)]!];
      const cases: FilterOptions[] = [
        { focus: exactName(a) },
        { ignore: exactName(a) },
        { focus: exactName(b), ignore: exactName(a) },
        { focus: `${exactName(a)}|${exactName(b)}` },
        { hide: exactName(a) },
        { hide: `${exactName(a)}|${exactName(b)}` },
        { showFrom: exactName(b) },
        { showFrom: 'main' },
        { hide: '^runtime\\.' },
        // Stacked: hide, then show from what is left, on a focused subset.
        { focus: exactName(b), hide: exactName(a), showFrom: 'main' },
        { ignore: exactName(b), hide: '^runtime\\.', showFrom: exactName(a) },
        {}, // undo back to no filters
      ];
      for (const filters of cases) {
        const view = ProfileOps.load({ bytes, filters }).ops;
        for (const firstPaint of [false, true]) {
          const got = ops.filteredFlame({ sampleIndex: si, filters, ...(firstPaint ? { firstPaint } : {}) });
          assert.ok(got, JSON.stringify(filters));
          const want = view.flame({ sampleIndex: si, ...(firstPaint ? { firstPaint } : {}) });
          assert.deepEqual(resolved(got.flame), resolved(want.flame), JSON.stringify(filters));
          // The table's numbers; its lines are the loaded view's until the view itself comes.
          assert.deepEqual(got.top.name, want.top.name, JSON.stringify(filters));
          assert.deepEqual(got.top.flat, want.top.flat, JSON.stringify(filters));
          assert.deepEqual(got.top.cum, want.top.cum, JSON.stringify(filters));
          assert.deepEqual(got.active, view.view.active);
        }
      }
      // What the trie cannot tell: a file-only match, another kind of filter, a filtered view.
      assert.equal(ops.filteredFlame({ sampleIndex: si, filters: { focus: 'work\\.go$' } }), null);
      assert.equal(ops.filteredFlame({ sampleIndex: si, filters: { show: exactName(a) } }), null);
      assert.equal(ops.filteredFlame({ sampleIndex: si, filters: { hide: 'work\\.go$' } }), null);
      const filtered = ProfileOps.load({ bytes, filters: { focus: exactName(a) } }).ops;
      filtered.flame({ sampleIndex: si });
      assert.equal(filtered.filteredFlame({ sampleIndex: si, filters: { ignore: exactName(b) } }), null);
    });
  }
});
