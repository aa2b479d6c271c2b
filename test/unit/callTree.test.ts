/**
 * The call tree table (webview/callTreeModel over core/flame's tree) against `go tool pprof -tree`
 * on the real fixture profiles (test/fixtures/golden-panel), field by field: every function's
 * flat, flat%, cum and cum% (flat summed over its rows, cum over its outermost rows: each sample
 * once), and for functions that do not recurse, its callers and callees with -tree's edge weights,
 * calls% and inline marks. Also the rows as the table opens and closes them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateGoHeapProfile } from '../../bench/generate';
import { parseProfile } from '../../src/core/decode';
import { buildFlame } from '../../src/core/flame';
import type { FlameData } from '../../src/shared/flame';
import { CallTreeModel } from '../../webview/callTreeModel';
import { panelCommands, panelGolden, parsePeek, pct, same } from './helpers/pprofText';
import { repoRoot } from './helpers/shared';

const nameOf = (d: FlameData, i: number) => d.names[d.nodeName[i]!]!;

interface Agg {
  flat: number;
  cum: number;
  recursive: boolean;
  callers: Map<string, number>;
  callees: Map<string, { w: number; inline: Set<boolean> }>;
}

function aggregate(d: FlameData): Map<string, Agg> {
  const m = new Map<string, Agg>();
  const get = (n: string) => {
    let a = m.get(n);
    if (!a) m.set(n, (a = { flat: 0, cum: 0, recursive: false, callers: new Map(), callees: new Map() }));
    return a;
  };
  const walk = (i: number, parent: number, above: Set<string>) => {
    const n = nameOf(d, i);
    const a = get(n);
    a.flat += d.self[i]!;
    if (above.has(n)) a.recursive = true;
    else a.cum += d.total[i]!;
    if (parent > 0) a.callers.set(nameOf(d, parent), (a.callers.get(nameOf(d, parent)) ?? 0) + d.total[i]!);
    const next = new Set(above).add(n);
    for (let c = i + 1; c < i + d.subtree[i]!; c += d.subtree[c]!) {
      const e = a.callees.get(nameOf(d, c)) ?? { w: 0, inline: new Set<boolean>() };
      e.w += d.total[c]!;
      e.inline.add(d.inlined[c] === 1);
      a.callees.set(nameOf(d, c), e);
      walk(c, i, next);
    }
  };
  for (let c = 1; c < d.nodeName.length; c += d.subtree[c]!) walk(c, 0, new Set());
  return m;
}

describe('call tree against go tool pprof -tree', () => {
  for (const profile of ['cpu', 'heap', 'labels', 'goroutine']) {
    it(`${profile}: every function's flat and cum; callers and callees of those that do not recurse`, () => {
      const cmds = panelCommands(profile);
      const args = cmds.get('tree.txt')!;
      const p = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures', args.at(-1)!)));
      const si = p.sampleTypes.findIndex((t) => args.includes(`-sample_index=${t.type}`));
      const unit = p.sampleTypes[si]!.unit;
      const d = buildFlame(p, { sampleIndex: si });
      const total = d.reportTotal;
      const ours = aggregate(d);
      const blocks = parsePeek(panelGolden(profile, 'tree.txt'));
      assert.ok(blocks.length > 3);
      // -tree drops nothing here (-nodefraction=0 -edgefraction=0) except functions with no value.
      assert.deepEqual(
        [...ours.entries()]
          .filter(([, a]) => a.cum !== 0 || a.flat !== 0)
          .map(([n]) => n)
          .sort(),
        blocks.map((b) => b.name).sort(),
      );
      let edges = 0;
      for (const b of blocks) {
        const a = ours.get(b.name)!;
        assert.equal(same(a.flat, b.flat, unit), b.flat, `${b.name} flat`);
        assert.equal(pct(a.flat, total), b.flatPct, `${b.name} flat%`);
        assert.equal(same(a.cum, b.cum, unit), b.cum, `${b.name} cum`);
        assert.equal(pct(a.cum, total), b.cumPct, `${b.name} cum%`);
        const callerRecursion = b.callers.some((e) => ours.get(e.name)?.recursive);
        if (a.recursive || callerRecursion) continue;
        assert.deepEqual([...a.callers.keys()].sort(), b.callers.map((e) => e.name).sort(), `${b.name} callers`);
        for (const e of b.callers) {
          assert.equal(same(a.callers.get(e.name)!, e.weight, unit), e.weight, `${e.name} -> ${b.name}`);
          assert.equal(pct(a.callers.get(e.name)!, a.cum), e.pct, `${e.name} -> ${b.name} calls%`);
          edges++;
        }
        assert.deepEqual([...a.callees.keys()].sort(), b.callees.map((e) => e.name).sort(), `${b.name} callees`);
        for (const e of b.callees) {
          const c = a.callees.get(e.name)!;
          assert.equal(same(c.w, e.weight, unit), e.weight, `${b.name} -> ${e.name}`);
          assert.equal(pct(c.w, a.cum), e.pct, `${b.name} -> ${e.name} calls%`);
          assert.deepEqual([...c.inline], [e.inline], `${b.name} -> ${e.name} inline`);
          edges++;
        }
      }
      assert.ok(edges > 4, `${edges} edges compared`);
    });
  }

  it('opens and closes rows: children after their parent, heaviest first or by name, state by name paths', () => {
    const p = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));
    const d = buildFlame(p, { sampleIndex: 1 });
    const m = new CallTreeModel(d);
    assert.deepEqual(
      [...m.rows].map((i) => nameOf(d, i)),
      ['runtime.main'],
    );
    assert.equal(m.expand(0), 1);
    assert.deepEqual(
      [...m.rows].map((i) => nameOf(d, i)),
      ['runtime.main', 'main.main'],
    );
    const added = m.expand(1);
    const kids = [...m.rows.subarray(2)];
    assert.equal(added, kids.length);
    for (let k = 1; k < kids.length; k++) assert.ok(d.total[kids[k - 1]!]! >= d.total[kids[k]!]!, 'heaviest first');
    assert.equal(nameOf(d, kids[0]!), 'main.hashPhase');
    // Open a grandchild, close its parent: all its rows go; open again: they come back.
    m.expand(2);
    const open = m.length;
    assert.equal(m.collapse(1), open - 2);
    assert.equal(m.length, 2);
    assert.equal(m.expand(1), open - 2);
    assert.deepEqual(m.openPaths(), [
      ['runtime.main'],
      ['runtime.main', 'main.main'],
      ['runtime.main', 'main.main', 'main.hashPhase'],
    ]);
    // The same paths open a fresh model (after a reload) to the same rows.
    const again = new CallTreeModel(d);
    again.openByPaths(m.openPaths());
    assert.deepEqual([...again.rows], [...m.rows]);
    // By name.
    const byName = new CallTreeModel(d, 'name');
    byName.expand(0);
    byName.expand(1);
    const names = [...byName.rows.subarray(2)].map((i) => nameOf(d, i));
    assert.deepEqual(names, [...names].sort());
    // Reveal opens the ancestors of a deep node.
    const fib = [...Array(d.nodeName.length).keys()].filter((i) => i > 0 && /work\.Fib$/.test(nameOf(d, i))).at(-1)!;
    const fresh = new CallTreeModel(d);
    const r = fresh.reveal(fib);
    assert.equal(fresh.rows[r], fib);
  });

  /** '*' as it was: each node opened in turn, in the order the rows show them (the reference). */
  function expandOneByOne(m: CallTreeModel, k: number, max: number): void {
    const i = m.rows[k]!;
    const end = i + m.d.subtree[i]!;
    let budget = max - m.length;
    for (let r = k; r < m.length && budget > 0; r++) {
      const j = m.rows[r]!;
      if (r > k && (j <= i || j >= end)) break;
      if (!m.isOpen(j)) budget -= m.expand(r);
    }
  }

  it("'*' opens every level below a row at once: the rows and open nodes of opening them one by one", () => {
    // A profile with thousands of nodes (bench/generate), some opened beforehand, both orders,
    // from a few rows, with and without the row cap.
    const p = parseProfile(generateGoHeapProfile({ samples: 20_000, seed: 3 }));
    const d = buildFlame(p, { sampleIndex: 1 });
    assert.ok(d.nodeName.length > 10_000, `${d.nodeName.length} nodes`);
    for (const order of ['heavy', 'name'] as const)
      for (const max of [100_000, 5_000, 50]) {
        const prep = (m: CallTreeModel) => {
          m.expand(0);
          m.expand(1);
          m.expand(3); // an open node inside what '*' opens, and rows after it
          return m;
        };
        for (const k of [0, 1, 2]) {
          const a = prep(new CallTreeModel(d, order));
          const b = prep(new CallTreeModel(d, order));
          const before = a.length;
          const added = a.expandAll(k, max);
          expandOneByOne(b, k, max);
          const what = `${order}, row ${k}, at most ${max}`;
          assert.deepEqual([...a.rows], [...b.rows], what);
          assert.deepEqual(a.openPaths(), b.openPaths(), what);
          assert.equal(added, a.length - before, what);
          assert.equal(a.expandAll(k, max), 0, `${what}: again, nothing`);
        }
      }
    // The whole tree, uncapped: every node with children open, every node a row.
    const all = new CallTreeModel(d);
    all.expandAll(0, Infinity);
    for (let c = 1; c < d.nodeName.length; c += d.subtree[c]!)
      if (c !== all.rows[0]) all.expandAll(all.rowOf(c), Infinity);
    assert.equal(all.length, d.nodeName.length - 1);
  });
});
