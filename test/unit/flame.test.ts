/**
 * The flame graph's merged call tree on real profiles: the root holds every sample, each node's
 * total is its self plus its children's totals, the preorder ranges nest, inlined frames are nodes
 * of their own, and a recursive function appears at several depths.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { buildFlame, flameTop, flameTrie } from '../../src/core/flame';
import { topReport } from '../../src/core/report';
import { type Profile, totalOf } from '../../src/core/model';
import {
  compactTables,
  FIRST_PAINT,
  type FlameData,
  nodeCount,
  packFlame,
  parentOf,
  pathTo,
  unpackFlame,
} from '../../src/shared/flame';
import { ProfileOps } from '../../src/worker/ops';
import { repoRoot, sharedPath } from './helpers/shared';

function children(d: FlameData, i: number): number[] {
  const out: number[] = [];
  for (let c = i + 1; c < i + d.subtree[i]!; c += d.subtree[c]!) out.push(c);
  return out;
}
const name = (d: FlameData, i: number) => (i === 0 ? 'all' : d.names[d.nodeName[i]!]!);

const files = [
  sharedPath('pprof-testdata/internal/report/testdata/sample.cpu'),
  sharedPath('pprof-testdata/internal/proftest/testdata/large.cpu'),
  path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz'),
  path.join(repoRoot(), 'test/fixtures/profiles/heap.pb.gz'),
];

describe('core/flame buildFlame', () => {
  const loaded = new Map<string, Profile>();
  const load = (f: string) => {
    let p = loaded.get(f);
    if (!p) loaded.set(f, (p = parseProfile(readFileSync(f))));
    return p;
  };

  for (const f of files) {
    it(`invariants on ${path.basename(f)}, every sample type`, () => {
      const p = load(f);
      for (let si = 0; si < p.sampleTypes.length; si++) {
        const d = buildFlame(p, { sampleIndex: si });
        const n = nodeCount(d);
        assert.equal(d.total[0], totalOf(p, si), 'root total = sum of sample values');
        assert.equal(d.subtree[0], n, 'the root spans the whole tree');
        for (let i = 0; i < n; i++) {
          const kids = children(d, i);
          let sum = 0;
          let wsum = 0;
          for (const c of kids) {
            sum += d.total[c]!;
            wsum += d.weight[c]!;
            assert.equal(d.depth[c], d.depth[i]! + 1);
          }
          assert.ok(d.total[i]! >= d.self[i]!, `total >= self at ${name(d, i)}`);
          assert.ok(
            Math.abs(d.total[i]! - (d.self[i]! + sum)) <= 1e-9 * Math.abs(d.total[0]!),
            `total = self + children at ${name(d, i)}`,
          );
          assert.ok(wsum <= d.weight[i]! + 1e-6, 'children fit in their parent');
          // Children are laid out side by side from the parent's left edge, heaviest first.
          let x = d.start[i]!;
          for (const c of kids) {
            assert.equal(d.start[c], x);
            x += d.weight[c]!;
          }
          for (let k = 1; k < kids.length; k++) assert.ok(d.weight[kids[k - 1]!]! >= d.weight[kids[k]!]!);
        }
      }
    });
  }

  it('keeps inlined frames as nodes of their own (sample.cpu)', () => {
    const d = buildFlame(load(files[0]!), { sampleIndex: 1 });
    const inl: number[] = [];
    for (let i = 1; i < nodeCount(d); i++) if (d.inlined[i]) inl.push(i);
    assert.ok(inl.length > 0, 'some frames are inlined');
    for (const i of inl) assert.ok(parentOf(d, i) > 0, 'an inlined frame has a caller frame');
  });

  it('shows the inlined helper work.mix under its caller (fixture cpu.pb.gz)', () => {
    const d = buildFlame(load(files[2]!), { sampleIndex: 1 });
    const mix = [...Array(nodeCount(d)).keys()].filter((i) => i > 0 && /work\.mix$/.test(name(d, i)));
    assert.ok(mix.length > 0);
    assert.ok(mix.some((i) => d.inlined[i] === 1));
    for (const i of mix) assert.ok(d.nodeLine[i]! > 0 && d.nodeFile[i]! >= 0, 'file and line to open');
  });

  it('puts a recursive function at several depths (fixture cpu.pb.gz work.Fib)', () => {
    const d = buildFlame(load(files[2]!), { sampleIndex: 1 });
    const depths = new Set<number>();
    let nested = false;
    for (let i = 1; i < nodeCount(d); i++) {
      if (!/work\.Fib$/.test(name(d, i))) continue;
      depths.add(d.depth[i]!);
      if (
        pathTo(d, i)
          .slice(0, -1)
          .some((a) => /work\.Fib$/.test(name(d, a)))
      )
        nested = true;
    }
    assert.ok(depths.size >= 3, `Fib at depths ${[...depths].join(',')}`);
    assert.ok(nested, 'Fib under Fib');
  });

  it('builds a tree of 100k+ nodes fast (large.cpu)', () => {
    const p = load(files[1]!);
    const t0 = performance.now();
    const d = buildFlame(p, { sampleIndex: 1 });
    const ms = performance.now() - t0;
    assert.ok(nodeCount(d) > 100_000, `${nodeCount(d)} nodes`);
    assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  });

  it('reverse: the root children are the leaf frames, each with its flat value', () => {
    for (const f of [files[0]!, files[2]!]) {
      const p = load(f);
      const fwd = buildFlame(p, { sampleIndex: 1 });
      const rev = buildFlame(p, { sampleIndex: 1, reverse: true });
      assert.equal(rev.total[0], fwd.total[0]);
      const key = (d: FlameData, i: number) => `${name(d, i)}|${d.nodeFile[i]! >= 0 ? d.files[d.nodeFile[i]!] : ''}`;
      const flat = new Map<string, number>();
      for (let i = 1; i < nodeCount(fwd); i++)
        if (fwd.self[i]) flat.set(key(fwd, i), (flat.get(key(fwd, i)) ?? 0) + fwd.self[i]!);
      const leaves = new Map(children(rev, 0).map((c) => [key(rev, c), rev.total[c]!]));
      assert.deepEqual(leaves, flat);
      for (let i = 0; i < nodeCount(rev); i++) {
        const sum = children(rev, i).reduce((a, c) => a + rev.total[c]!, 0);
        assert.equal(rev.total[i], rev.self[i]! + sum);
      }
    }
  });

  it('minShare drops light subtrees and keeps the root total', () => {
    const p = load(files[1]!);
    const all = buildFlame(p, { sampleIndex: 1 });
    const cut = buildFlame(p, { sampleIndex: 1, minShare: 0.001 });
    assert.ok(nodeCount(cut) < nodeCount(all) / 10);
    assert.equal(cut.total[0], all.total[0]);
  });

  it('a hand-made profile: merged paths, self at the leaf, pathTo/parentOf', () => {
    const fn = (name: string) => ({ id: 0, name, systemName: name, file: `/src/${name}.go`, startLine: 1 });
    const loc = (func: number, line: number) => ({
      id: 0,
      mapping: -1,
      address: 0,
      lines: [{ func, line, column: 0 }],
      isFolded: false,
    });
    // stacks leaf first: [b, a] x3, [c, a] x5, [a] x2
    const p: Profile = {
      sampleTypes: [{ type: 'cpu', unit: 'nanoseconds' }],
      defaultSampleType: '',
      samples: {
        count: 3,
        values: new Float64Array([3, 5, 2]),
        stack: new Uint32Array([0, 1, 2]),
        locStart: new Uint32Array([0, 2, 4, 5]),
        stackLocs: new Uint16Array([1, 0, 2, 0, 0]),
        labels: [],
      },
      mappings: [],
      locations: [loc(0, 10), loc(1, 20), loc(2, 30)],
      functions: [fn('main.a'), fn('main.b'), fn('main.c')],
      dropFrames: '',
      keepFrames: '',
      timeNanos: 0,
      durationNanos: 0,
      period: 0,
      comments: [],
      docUrl: '',
    };
    const d = buildFlame(p, { sampleIndex: 0 });
    assert.deepEqual(
      [...Array(nodeCount(d)).keys()].map((i) => name(d, i)),
      ['all', 'main.a', 'main.c', 'main.b'],
    );
    assert.deepEqual(Array.from(d.total), [10, 10, 5, 3]);
    assert.deepEqual(Array.from(d.self), [0, 2, 5, 3]);
    assert.deepEqual(pathTo(d, 3), [0, 1, 3]);
    assert.equal(parentOf(d, 2), 1);
    assert.equal(d.files[d.nodeFile[2]!], '/src/main.c.go');
    assert.equal(d.nodeLine[2], 30);
  });
});

describe('core/flame flameTop: pprof -top -functions from the merged trie, in its order', () => {
  for (const f of files) {
    it(`equals topReport (functions, nodefraction 0) on ${path.basename(f)}, every sample type, both directions`, () => {
      const p = parseProfile(readFileSync(f));
      // The inverted view's table comes from the bottom-up trie: the same numbers.
      for (const tr of [flameTrie(p), flameTrie(p, { reverse: true })])
        for (let si = 0; si < p.sampleTypes.length; si++) {
          const got = flameTop(tr, si)!;
          const want = new Map<string, [number, number]>();
          for (const r of topReport(p, { sampleIndex: si, nodeFraction: 0, granularity: 'functions' }).rows) {
            const k = r.function || r.name;
            const cur = want.get(k) ?? [0, 0];
            want.set(k, [cur[0] + r.flat, cur[1] + r.cum]);
          }
          const mine = new Map(got.name.map((n, i) => [n, [got.flat[i]!, got.cum[i]!] as [number, number]]));
          for (const [k, v] of want) if (v[0] === 0 && v[1] === 0) want.delete(k);
          for (const [k, v] of mine) if (v[0] === 0 && v[1] === 0) mine.delete(k);
          assert.deepEqual(mine, want, `${path.basename(f)} sample type ${si}${tr.reverse ? ' (bottom-up)' : ''}`);
          // In -top's order, ties too (|flat|, then the name: the flat-0 rows alphabetical).
          assert.deepEqual(
            got.name.filter((n) => mine.has(n)),
            [...want.keys()],
            `${path.basename(f)} sample type ${si}: -top's row order`,
          );
        }
    });
  }
});

describe('shared/flame packFlame / unpackFlame (the webview wire form)', () => {
  it('round-trips every column on real trees, plain and signed', () => {
    const p = parseProfile(readFileSync(files[2]!));
    for (const d of [
      buildFlame(p, { sampleIndex: 1 }),
      buildFlame(parseProfile(readFileSync(files[0]!)), { sampleIndex: 1, maxNodes: 50 }),
    ]) {
      const u = unpackFlame(packFlame(d));
      for (const k of [
        'nodeName',
        'nodeFile',
        'nodeLine',
        'depth',
        'inlined',
        'start',
        'weight',
        'total',
        'self',
        'subtree',
      ] as const) {
        assert.deepEqual(Array.from(u[k]), Array.from(d[k]), k);
      }
      assert.equal(u.maxDepth, d.maxDepth);
    }
    // Signed values (a comparison): total travels, self is derived.
    const d = buildFlame(p, { sampleIndex: 1 });
    const neg = { ...d, total: Float64Array.from(d.total, (v, i) => (i % 2 ? -v : v)), self: new Float64Array(0) };
    const pk = packFlame(neg);
    assert.ok(pk.total, 'signed totals are sent');
    const u = unpackFlame(pk);
    assert.deepEqual(Array.from(u.total), Array.from(neg.total));
    assert.ok(pk.name instanceof Uint16Array && pk.subtree instanceof Uint32Array, 'narrow columns');
  });
});

describe('the panel first paint (shared/flame compactTables, worker flame firstPaint)', () => {
  it('keeps every frame name and file of a cut tree with tables holding only those', () => {
    const d = buildFlame(parseProfile(readFileSync(files[1]!)), { sampleIndex: 1, maxNodes: 300 });
    const c = compactTables(d);
    assert.ok(c.names.length < d.names.length && c.files.length <= d.files.length, 'smaller tables');
    assert.equal(new Set(c.names).size, c.names.length);
    for (let i = 0; i < d.nodeName.length; i++) {
      assert.equal(name(c, i), name(d, i), `name of node ${i}`);
      assert.equal(c.files[c.nodeFile[i]!], d.files[d.nodeFile[i]!], `file of node ${i}`);
    }
    // It survives the wire form.
    const u = unpackFlame(packFlame(c));
    for (let i = 0; i < d.nodeName.length; i++) assert.equal(name(u, i), name(d, i));
  });

  it('the worker answers the first tree with the heaviest frames of the whole one and the table head', () => {
    const { ops } = ProfileOps.load({ bytes: new Uint8Array(readFileSync(files[1]!)) });
    const whole = ops.flame({ sampleIndex: 1 });
    const first = ops.flame({ sampleIndex: 1, firstPaint: true });
    const n = first.flame.nodeName.length;
    assert.ok(n <= FIRST_PAINT.maxNodes && n > 1 && whole.flame.nodeName.length > n);
    assert.equal(first.flame.reportTotal, whole.flame.reportTotal);
    assert.equal(first.flame.total[0], whole.flame.total[0], 'the same root');
    assert.ok(first.flame.names.length <= n);
    assert.deepEqual(first.top.name, whole.top.name.slice(0, FIRST_PAINT.topLimit));
    assert.deepEqual(Array.from(first.top.cum), Array.from(whole.top.cum).slice(0, FIRST_PAINT.topLimit));
    // The whole tree is not changed by it (its cache key is its own).
    assert.equal(ops.flame({ sampleIndex: 1 }).top.name.length, whole.top.name.length);
  });
});
