/**
 * Comparing goroutine profiles: the status bar says "34 → 77 goroutines (+43)" (each side's
 * count and the change) where pprof's -base total alone (the sum of the differences) reads as a
 * goroutine count. The counts are each profile's `go tool pprof -top` total.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { goroutineCompareTotal } from '../../src/core/heat';
import { ProfileOps } from '../../src/worker/ops';

const FIX = path.resolve(__dirname, '..', 'fixtures', 'goroutines', 'profiles');
const load = (f: string) => parseProfile(readFileSync(path.join(FIX, f)));
/** `go tool pprof -top` of each (Go 1.19.8): "Showing nodes accounting for N, 100% of N total". */
const PPROF_TOTAL = { 'before.pb.gz': 34, 'after.pb.gz': 77 };

describe('compare totals: goroutines before → after', () => {
  for (const mode of ['base', 'diff_base'] as const) {
    it(`-${mode}: each side's count as go tool pprof -top totals it, and the change`, () => {
      const { packed } = ProfileOps.derive(
        load('after.pb.gz'),
        0,
        { profile: load('before.pb.gz'), name: 'before.pb.gz', mode, normalize: false },
        undefined,
        {},
        () => {},
        0,
      );
      const sides = packed.view!.compare!.sides!;
      assert.deepEqual(sides.base, [PPROF_TOTAL['before.pb.gz']]);
      assert.deepEqual(sides.current, [PPROF_TOTAL['after.pb.gz']]);
      const st = packed.sampleTypes[0]!;
      assert.equal(
        goroutineCompareTotal(st.type, st.unit, sides.base[0]!, sides.current[0]!),
        '34 → 77 goroutines (+43)',
      );
    });
  }

  for (const [before, after] of [
    ['before.txt', 'after.txt'],
    ['before.dump.txt', 'after.dump.txt'],
  ] as const) {
    it(`${before} → ${after}: the same counts from the debug=1 texts and the debug=2 dumps`, () => {
      const { packed } = ProfileOps.derive(
        load(after),
        0,
        { profile: load(before), name: before, mode: 'base', normalize: false },
        undefined,
        {},
        () => {},
        0,
      );
      const sides = packed.view!.compare!.sides!;
      const st = packed.sampleTypes[0]!;
      assert.equal(
        goroutineCompareTotal(st.type, st.unit, sides.base[0]!, sides.current[0]!),
        '34 → 77 goroutines (+43)',
      );
    });
  }

  it('says a drop with a minus, and leaves other sample types to pprof', () => {
    assert.equal(goroutineCompareTotal('goroutine', 'count', 77, 34), '77 → 34 goroutines (-43)');
    assert.equal(goroutineCompareTotal('goroutine', 'count', 1, 1), '1 → 1 goroutine (+0)');
    assert.equal(goroutineCompareTotal('inuse_space', 'bytes', 1, 2), undefined);
  });
});
