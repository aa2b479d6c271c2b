/**
 * The panel's views as the worker serves them (src/worker/ops.ts on the real CPU fixture): the
 * inverted view's table has pprof's -top numbers like the top-down one, the inverted tree built
 * ahead of the panel (prewarmInverted) is what the Inverted toggle gets, and a recursive
 * function's sandwich says it merged the function's calls to itself.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProfileOps } from '../../src/worker/ops';
import { repoRoot } from './helpers/shared';

const load = () =>
  ProfileOps.load({ bytes: new Uint8Array(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz'))) })
    .ops;
const FIB = 'example.com/fixtures/internal/work.Fib';

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

  it('prewarmInverted builds the tree the Inverted toggle then gets', () => {
    const ops = load();
    ops.prewarmInverted(1);
    const t0 = performance.now();
    const a = ops.flame({ sampleIndex: 1, reverse: true });
    assert.ok(performance.now() - t0 < 5, 'a cached copy');
    assert.deepEqual(a.flame, load().flame({ sampleIndex: 1, reverse: true }).flame);
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
});
