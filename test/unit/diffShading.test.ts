/**
 * The flame tree of a comparison carries both sides: for -base and -diff_base, every node's
 * (weight + total) / 2 is its value in the new profile and (weight − total) / 2 in the base
 * (checked against trees built from each profile alone, root and first two levels, every sample
 * type), while totals, the top table and the percentages' total stay those of pprof's -base
 * (test/fixtures/golden/leak_diff/<type>/top_base.txt for the total).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { compareProfiles } from '../../src/core/diff';
import { buildFlame } from '../../src/core/flame';
import type { FlameData } from '../../src/shared/flame';
import { scaledLabel } from '../../src/shared/units';
import { ProfileOps } from '../../src/worker/ops';

const FIX = path.resolve(__dirname, '../fixtures');
const load = (f: string) => parseProfile(readFileSync(path.join(FIX, 'profiles', f)));

/** Value per name path (root and two levels) of a tree. */
function byPath(d: FlameData, v: (i: number) => number): Map<string, number> {
  const out = new Map<string, number>();
  const name = (i: number) => (i === 0 ? 'all' : d.names[d.nodeName[i]!]!);
  const walk = (i: number, prefix: string, depth: number) => {
    const key = `${prefix}/${name(i)}`;
    out.set(key, (out.get(key) ?? 0) + v(i));
    if (depth === 2) return;
    for (let c = i + 1; c < i + d.subtree[i]!; c += d.subtree[c]!) walk(c, key, depth + 1);
  };
  walk(0, '', 0);
  return out;
}

describe('diff shading: the compared tree holds before and after', () => {
  const before = load('leak_before.pb.gz');
  const after = load('leak_after.pb.gz');
  for (const mode of ['base', 'diff_base'] as const) {
    for (const [si, st] of after.sampleTypes.entries()) {
      it(`-${mode} ${st.type}`, () => {
        const { ops } = ProfileOps.derive(
          after,
          0,
          { profile: before, name: 'b', mode, normalize: false },
          undefined,
          {},
          () => {},
          0,
        );
        const r = ops.flame({ sampleIndex: si });
        const f = r.flame;
        const gotAfter = byPath(f, (i) => (f.weight[i]! + f.total[i]!) / 2);
        const gotBefore = byPath(f, (i) => (f.weight[i]! - f.total[i]!) / 2);
        const a = buildFlame(after, { sampleIndex: si });
        const b = buildFlame(before, { sampleIndex: si });
        for (const [k, v] of byPath(a, (i) => a.total[i]!))
          assert.ok(Math.abs((gotAfter.get(k) ?? 0) - v) < 1e-6, `after ${k}`);
        for (const [k, v] of byPath(b, (i) => b.total[i]!))
          assert.ok(Math.abs((gotBefore.get(k) ?? 0) - v) < 1e-6, `before ${k}`);
        // Signed totals and the table as pprof's comparison has them.
        const cmp = compareProfiles(after, before, mode);
        const plain = buildFlame(cmp, { sampleIndex: si });
        assert.equal(f.total[0], plain.total[0]);
        if (mode === 'base') {
          const golden = readFileSync(path.join(FIX, 'golden/leak_diff', st.type, 'top_base.txt'), 'utf8');
          const m = /of (\S+) total/.exec(golden)!;
          assert.equal(scaledLabel(f.reportTotal, st.unit, st.unit === 'bytes' ? 'kB' : ''), m[1]);
        }
      });
    }
  }
});
