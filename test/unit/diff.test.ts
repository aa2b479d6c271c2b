/**
 * -base, -diff_base and -normalize against google/pprof's own expectations (fetch_test.go
 * TestFetchWithBase, transcribed in ../shared/.../expected_fetch_with_base.json) and the merge
 * rules: identical stacks cancel, all-zero samples go, base samples of a diff keep their label,
 * and a diff's percentages are relative to the base's total.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { run } from '../../src/cli';
import { removeUninteresting } from '../../src/core/compact';
import { parseProfile } from '../../src/core/decode';
import { compareProfiles, isDiffBaseSample, mergeProfiles } from '../../src/core/diff';
import { isProfileError } from '../../src/core/errors';
import type { Profile } from '../../src/core/model';
import { reportTotal, topReport } from '../../src/core/report';
import { sharedPath } from './helpers/shared';

interface Want {
  values: number[];
  labels?: Record<string, string[]>;
}
interface Case {
  desc: string;
  sources: string[];
  bases: string[] | null;
  diffBases: string[] | null;
  normalize: boolean;
  wantSamples?: Want[] | null;
  wantParseErrorMsg?: string;
  wantFetchErrorMsg?: string;
}

const load = (rel: string): Profile =>
  removeUninteresting(parseProfile(readFileSync(sharedPath(`pprof-testdata/internal/driver/${rel}`))));

function samplesOf(p: Profile): Want[] {
  const T = p.sampleTypes.length;
  return Array.from({ length: p.samples.count }, (_, i) => {
    const w: Want = { values: Array.from(p.samples.values.subarray(i * T, i * T + T)) };
    if (isDiffBaseSample(p.samples.labels[i])) w.labels = { 'pprof::base': ['true'] };
    return w;
  });
}

describe('compare: google/pprof TestFetchWithBase expectations', () => {
  const spec = JSON.parse(
    readFileSync(sharedPath('pprof-testdata/synthesized/expected_fetch_with_base.json'), 'utf8'),
  ) as { cases: Case[] };
  for (const c of spec.cases) {
    // One source and one base profile: the cases a comparison in the editor can make.
    if (c.sources.length !== 1 || (c.bases?.length ?? 0) + (c.diffBases?.length ?? 0) !== 1) continue;
    it(c.desc, () => {
      const mode = c.bases ? 'base' : 'diff_base';
      const p = compareProfiles(load(c.sources[0]!), load((c.bases ?? c.diffBases)![0]!), mode, c.normalize);
      assert.deepEqual(samplesOf(p), c.wantSamples ?? []);
    });
  }

  it('-base and -diff_base together are refused, as by pprof', () => {
    let err = '';
    const f = sharedPath('pprof-testdata/internal/driver/testdata/cppbench.contention');
    const code = run(
      ['top', `-base=${f}`, `-diff_base=${f}`, f],
      () => {},
      (s) => (err += s),
    );
    assert.equal(code, 2);
    assert.match(err, /-base and -diff_base flags cannot both be specified/);
  });

  it('profiles with different sample types cannot be compared', () => {
    const cpu = load('testdata/cppbench.cpu');
    const cont = load('testdata/cppbench.contention');
    assert.throws(
      () => compareProfiles(cpu, cont, 'base'),
      (e) => isProfileError(e) && /incompatible/.test(e.message),
    );
  });
});

describe('compare: report semantics', () => {
  const p = load('testdata/cppbench.contention');
  const small = load('testdata/cppbench.small.contention');

  it('a profile compared with itself is empty: every node cancels', () => {
    const d = compareProfiles(p, p, 'base');
    assert.equal(d.samples.count, 0);
    assert.equal(topReport(d, { sampleIndex: 1 }).rows.length, 0);
  });

  it('-diff_base: percentages relative to the base total; -base: to the remaining difference', () => {
    const diff = compareProfiles(p, small, 'diff_base');
    assert.equal(reportTotal(diff, 1), reportTotal(small, 1));
    const base = compareProfiles(p, small, 'base');
    assert.equal(reportTotal(base, 1), reportTotal(p, 1) - reportTotal(small, 1));
  });

  it('merging a profile with itself doubles every value and keeps the stacks', () => {
    const m = mergeProfiles([p, p]);
    assert.equal(reportTotal(m, 0), 2 * reportTotal(p, 0));
    const top1 = topReport(p, { sampleIndex: 0, nodeFraction: 0 }).rows.map((r) => [r.name, r.flat * 2, r.cum * 2]);
    const top2 = topReport(m, { sampleIndex: 0, nodeFraction: 0 }).rows.map((r) => [r.name, r.flat, r.cum]);
    assert.deepEqual(top2, top1);
  });
});
