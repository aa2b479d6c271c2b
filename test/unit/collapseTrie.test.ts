/**
 * Collapse recursion from the merged trie (core/flame collapseTrie, the worker's path) against
 * the reference, the trie built from collapseRecursion's profile (core/transforms): node for node
 * the same tree (parents, frames, inlined flags, per-sample-type totals, weights and selfs, in
 * the same node order, so equal siblings keep their order too) on the fixtures, for each
 * function that calls itself directly, all of them at once, and one that does not; the worker's
 * views of a collapse (tree, inverted tree, table) are the reference's; and a trie cut by its
 * limits still takes the samples' path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateGoHeapProfile } from '../../bench/generate';
import { parseProfile } from '../../src/core/decode';
import { encodeProfile } from '../../src/core/encode';
import { collapseTrie, flameOf, flameTrie, type FlameTrie } from '../../src/core/flame';
import type { Profile } from '../../src/core/model';
import type { FilterOptions } from '../../src/core/filter';
import { collapseRecursion, exactName } from '../../src/core/transforms';
import type { FlameData } from '../../src/shared/flame';
import { ProfileOps } from '../../src/worker/ops';
import { repoRoot } from './helpers/shared';

const fixture = (name: string) => path.join(repoRoot(), 'test/fixtures/profiles', `${name}.pb.gz`);
const FIB = 'example.com/fixtures/internal/work.Fib';

/** The trie node by node with its names and files as text (the tables' order is no matter). */
function resolved(tr: FlameTrie, lines: boolean) {
  const text = (tab: readonly string[], a: Int32Array) => Array.from(a, (k) => (k < 0 ? '' : tab[k]!));
  return {
    T: tr.T,
    nodes: tr.nodes,
    parent: Array.from(tr.parent),
    name: text(tr.names, tr.nodeName),
    file: text(tr.files, tr.nodeFile),
    inlined: Array.from(tr.inlined),
    total: Array.from(tr.total),
    weight: Array.from(tr.weight),
    self: Array.from(tr.self),
    ...(lines ? { line: Array.from(tr.line) } : {}),
    reportTotals: tr.reportTotals,
  };
}

/** A tree with its names and files as text (the tables' order is no matter), without its lines. */
function text(f: FlameData) {
  const { nodeLine: _l, names, files, nodeName, nodeFile, ...rest } = f;
  return {
    ...rest,
    name: Array.from(nodeName, (k) => (k < 0 ? '' : names[k])),
    file: Array.from(nodeFile, (k) => (k < 0 ? '' : files[k])),
  };
}

/** The functions whose frame calls itself directly somewhere in the trie. */
function selfCallers(tr: FlameTrie): string[] {
  const out = new Set<string>();
  for (let n = 1; n < tr.nodes; n++) {
    const p = tr.parent[n]!;
    if (p > 0 && tr.nodeName[p] === tr.nodeName[n] && tr.nodeFile[p] === tr.nodeFile[n])
      out.add(tr.names[tr.nodeName[n]!]!);
  }
  return [...out].sort();
}

describe('core/flame collapseTrie: collapse recursion from the merged trie', () => {
  const profiles = new Map<string, Profile>();
  for (const name of ['cpu', 'heap', 'labels', 'goroutine'])
    profiles.set(name, parseProfile(readFileSync(fixture(name))));
  // A Go-like heap profile (bench/generate): thousands of functions, inlined frames, recursion.
  profiles.set('generated heap', parseProfile(generateGoHeapProfile({ samples: 20_000, seed: 5 })));

  it('the fixtures recurse: the cpu fixture through work.Fib', () => {
    assert.ok(selfCallers(flameTrie(profiles.get('cpu')!)).includes(FIB));
  });

  for (const [name, p] of profiles) {
    it(`${name}: node for node the trie of collapseRecursion's profile`, () => {
      const tr = flameTrie(p);
      const rec = selfCallers(tr);
      if (name === 'cpu' || name.startsWith('generated')) assert.ok(rec.length > 0, 'recursion');
      // A leaf of the heaviest path: no recursion, the same trie.
      const plain = tr.names.find((n) => !rec.includes(n) && n.includes('.'))!;
      const cases = [...rec.slice(0, 8).map((f) => [f]), rec, [plain, ...rec.slice(0, 1)], [plain]];
      for (const names of cases) {
        const want = flameTrie(collapseRecursion(p, names));
        const got = collapseTrie(tr, names);
        assert.deepEqual(resolved(got, true), resolved(want, true), names.join(', '));
        assert.deepEqual(
          selfCallers(got),
          rec.filter((f) => !names.includes(f)),
          'what is left recursing',
        );
        // One sample type (the panel's filtered tries): that column of the same tree.
        for (let si = 0; si < p.sampleTypes.length; si++) {
          const one = collapseTrie(tr, names, [si]);
          const whole = flameOf(got, { sampleIndex: si });
          const { names: _a, files: _b, ...a } = flameOf(one, { sampleIndex: 0 });
          const { names: _c, files: _d, ...b } = whole;
          assert.deepEqual(
            { ...a, name: Array.from(a.nodeName, (k) => one.names[k] ?? '') },
            { ...b, name: Array.from(b.nodeName, (k) => got.names[k] ?? ''), nodeName: a.nodeName },
            `${names.join(', ')} column ${si}`,
          );
        }
      }
      assert.equal(collapseTrie(tr, [plain]), tr, 'nothing to collapse: the trie itself');
    });
  }

  it("a frame inlined into a collapsed call is its location's outermost frame, as in the reference", () => {
    // Location 1: F with G inlined into it; location 0 is F calling (location 1). Stack F → F+G.
    const fn = (id: number, name: string) => ({ id, name, systemName: name, file: 'x.go', startLine: 1 });
    const p: Profile = {
      ...profiles.get('cpu')!,
      sampleTypes: [{ type: 'samples', unit: 'count' }],
      functions: [fn(1, 'F'), fn(2, 'G'), fn(3, 'F')], // F twice in the table: one frame
      locations: [
        { id: 1, address: 0, mapping: -1, lines: [{ func: 0, line: 3, column: 0 }], isFolded: false },
        {
          id: 2,
          address: 0,
          mapping: -1,
          lines: [
            { func: 1, line: 7, column: 0 },
            { func: 2, line: 5, column: 0 },
          ],
          isFolded: false,
        },
        { id: 3, address: 0, mapping: -1, lines: [{ func: 2, line: 9, column: 0 }], isFolded: false },
      ],
      samples: {
        count: 3,
        values: Float64Array.from([5, 3, 2]),
        stack: Uint32Array.from([0, 1, 2]),
        locStart: Uint32Array.from([0, 2, 5, 6]),
        // leaf first: G inlined in F ← F; F ← F ← F; F
        stackLocs: Uint16Array.from([1, 0, 2, 0, 0, 0]),
        labels: [],
      },
    } as unknown as Profile;
    const tr = flameTrie(p);
    const want = flameTrie(collapseRecursion(p, ['F']));
    const got = collapseTrie(tr, ['F']);
    assert.deepEqual(resolved(got, true), resolved(want, true));
    // F (self 2 + 3: its calls to itself), and G under it, no longer inlined.
    assert.deepEqual(resolved(got, false).name, ['', 'F', 'G']);
    assert.deepEqual(resolved(got, false).inlined, [0, 0, 0]);
    assert.deepEqual(resolved(got, false).self, [0, 5, 5]);
  });
});

describe('worker ops: collapse recursion from the loaded trie', () => {
  it("derives the collapse from the view's trie, and from the samples when that trie was cut", () => {
    const fn = (id: number, name: string) => ({ id, name, systemName: name, file: 'r.go', startLine: 1 });
    const loc = (id: number, func: number) => ({
      id,
      address: 0,
      mapping: -1,
      lines: [{ func, line: 10 + id, column: 0 }],
      isFolded: false,
    });
    // main → F × 5,000 → G: past the trie's 4,096 frames a stack, cut; F × 3 → G: not.
    const deep = [1, ...Array<number>(5000).fill(0), 2];
    const shallow = [1, 0, 0, 0, 2];
    const base = parseProfile(readFileSync(fixture('cpu')));
    const p: Profile = {
      ...base,
      sampleTypes: [{ type: 'samples', unit: 'count' }],
      functions: [fn(1, 'F'), fn(2, 'main'), fn(3, 'G')],
      locations: [loc(1, 0), loc(2, 1), loc(3, 2)],
      mappings: [],
      samples: {
        count: 2,
        values: Float64Array.from([7, 4]),
        stack: Uint32Array.from([0, 1]),
        locStart: Uint32Array.from([0, deep.length, deep.length + shallow.length]),
        stackLocs: Uint16Array.from([...deep.reverse(), ...shallow.reverse()]),
        labels: [],
      },
    };
    for (const [what, q, cut] of [
      ['cut', p, true],
      [
        'whole',
        { ...p, samples: { ...p.samples, count: 1, values: Float64Array.from([4]), stack: Uint32Array.from([1]) } },
        false,
      ],
    ] as const) {
      const { ops } = ProfileOps.load({ bytes: encodeProfile(q) });
      assert.equal(ops.flame({ sampleIndex: 0 }).flame.limits?.samplesCutDepth !== undefined, cut, what);
      const got = ops.flame({ sampleIndex: 0, collapse: ['F'] }).flame;
      const names = Array.from(got.nodeName, (k) => got.names[k] ?? '');
      assert.deepEqual(names, ['', 'main', 'F', 'G'], what);
      assert.deepEqual(Array.from(got.self), cut ? [0, 0, 0, 11] : [0, 0, 0, 4], what);
      assert.equal(got.limits, undefined, `${what}: nothing cut once collapsed`);
      // The trie kept for the collapse: from the view's own trie (its column of the sample type
      // shown), unless cut: then from the collapsed profile (samples rebuilt).
      const o = ops as unknown as {
        tries: Map<string, { profile: Profile }>;
        collapsedOne?: { profile: Profile; trie: { T: number } };
      };
      if (cut) assert.notEqual(o.tries.get('/\u0002F')!.profile, ops.profile, what);
      else {
        assert.equal(o.collapsedOne!.profile, ops.profile, what);
        assert.equal(o.collapsedOne!.trie.T, 1, what);
        assert.equal(o.tries.get('/\u0002F'), undefined, what);
      }
      // Inverted, the collapse of every sample type (the table's trie): the same numbers.
      const inv = ops.flame({ sampleIndex: 0, collapse: ['F'], reverse: true });
      assert.deepEqual(inv.top, ops.flame({ sampleIndex: 0, collapse: ['F'] }).top, what);
    }
  });

  for (const name of ['cpu', 'labels']) {
    it(`${name}: the tree, inverted tree and table of a collapse are the reference's`, () => {
      const { ops } = ProfileOps.load({ bytes: new Uint8Array(readFileSync(fixture(name))) });
      const rec = selfCallers(flameTrie(ops.profile));
      assert.ok(rec.length > 0);
      for (let si = 0; si < ops.profile.sampleTypes.length; si++) {
        const plain = ops.flame({ sampleIndex: si });
        const got = ops.flame({ sampleIndex: si, collapse: rec });
        const ref = collapseRecursion(ops.profile, rec);
        const want = flameOf(flameTrie(ref), { sampleIndex: si, maxNodes: 120_000 });
        const text = (f: typeof want) => ({
          ...f,
          names: [],
          files: [],
          reportTotal: 0,
          nodeName: Array.from(f.nodeName, (k) => f.names[k] ?? ''),
          nodeFile: Array.from(f.nodeFile, (k) => f.files[k] ?? ''),
        });
        assert.deepEqual(text(got.flame), text(want));
        // The table: every function's numbers as before the collapse (pprof counts each sample once).
        assert.deepEqual(got.top, plain.top);
        const inv = ops.flame({ sampleIndex: si, reverse: true, collapse: rec });
        assert.deepEqual(inv.top, plain.top);
        assert.ok(inv.flame.nodeName.length > 1);
      }
    });
  }
});

describe('core/flame filterTrie: hide and show_from share the merge (a generated Go heap profile)', function () {
  this.timeout(120_000);
  it("the trees from the unfiltered trie are the filtered samples' trees, every sample type", () => {
    const bytes = generateGoHeapProfile({ samples: 20_000, seed: 11 });
    const first = ProfileOps.load({ bytes }).ops;
    const si = 1;
    const top = first.flame({ sampleIndex: si }).top.name;
    const rec = selfCallers(flameTrie(first.profile));
    const cases: FilterOptions[] = [
      { hide: exactName(top[0]!) },
      { hide: `${exactName(top[1]!)}|${exactName(top[5]!)}` },
      { hide: '^runtime\\.' },
      { showFrom: exactName(top[7]!) },
      { hide: exactName(rec[0]!), showFrom: exactName(top[7]!) },
      // sync's functions are inlined into others: pprof cuts the Lines above one out of its
      // Location in every sample, at every depth (test/unit/showFromInline.test.ts).
      { showFrom: '^sync\\.' },
      { hide: '^runtime\\.', showFrom: '^sync\\.' },
    ];
    for (const filters of cases) {
      const what = JSON.stringify(filters);
      const want = ProfileOps.load({ bytes, filters }).ops;
      // All sample types at once (the view's trie from the unfiltered one), and one (the panel's).
      const all = first.review({ filters }).ops;
      for (let t = 0; t < 4; t++) {
        const w = want.flame({ sampleIndex: t });
        const g = all.flame({ sampleIndex: t });
        assert.deepEqual(text(g.flame), text(w.flame), `${what} type ${t}`);
        assert.deepEqual(g.top, w.top, `${what} type ${t}`);
      }
      const one = first.filteredFlame({ sampleIndex: si, filters })!;
      assert.deepEqual(text(one.flame), text(want.flame({ sampleIndex: si }).flame), what);
    }
  });
});
