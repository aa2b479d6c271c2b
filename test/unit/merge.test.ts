/**
 * core/compact mergeProfiles, pprof's Merge on the sample columns (what -base, -diff_base, merged
 * sources and every -raw/-traces report go through), against a plain reference: samples keyed by
 * what their stacks and labels say (function names, lines, addresses, mapping files; labels by key,
 * in any order), summed in order of first appearance, all-zero ones dropped. Beside it, pprof's
 * numbering (locations, functions and mappings in order of first use) and the stack table the
 * result hands to stacksOf.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateGoHeapProfile } from '../../bench/generate';
import { mergeProfiles } from '../../src/core/compact';
import { parseProfile } from '../../src/core/decode';
import { isDiffBaseSample, scaleProfile, withLabel } from '../../src/core/diff';
import { identityStacks, withLabels, type Label, type Profile } from '../../src/core/model';
import { stacksOf } from '../../src/core/stacks';

const fixture = (name: string): Profile =>
  parseProfile(readFileSync(path.join(__dirname, '..', 'fixtures', 'profiles', name)));

const locationKeys = new WeakMap<Profile, string[]>();

/** A location as pprof compares them: its address in its mapping, the mapping, its frames. */
function locationKey(p: Profile, l: number): string {
  let keys = locationKeys.get(p);
  if (!keys) locationKeys.set(p, (keys = []));
  return (keys[l] ??= locationKeyOf(p, l));
}

function locationKeyOf(p: Profile, l: number): string {
  const loc = p.locations[l]!;
  const m = p.mappings[loc.mapping];
  const lines = loc.lines.map((ln) => {
    const f = p.functions[ln.func];
    return f ? [f.name, f.systemName, f.file, f.startLine, ln.line] : ['', ln.line];
  });
  return JSON.stringify([
    m ? loc.address - m.start : loc.address,
    m ? [m.file, m.buildId, m.offset] : null,
    loc.isFolded,
    lines,
  ]);
}

/** Labels as pprof keys samples: by key, values in order, keys in any order; none and [] alike. */
function labelsKey(ls: readonly Label[] | undefined): string {
  const byKey = new Map<string, (string | number)[]>();
  for (const l of ls ?? []) byKey.set(l.key, [...(byKey.get(l.key) ?? []), l.str ?? `${l.num}${l.numUnit ?? ''}`]);
  return JSON.stringify([...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sampleKey(p: Profile, i: number): string {
  const s = p.samples;
  const u = s.stack[i]!;
  const locs = Array.from(s.stackLocs.subarray(s.locStart[u], s.locStart[u + 1]), (l) => locationKey(p, l));
  return JSON.stringify([locs, labelsKey(s.labels[i])]);
}

/** The reference merge: [sample key, values] in order of first appearance, zero sums dropped. */
function referenceMerge(ps: readonly Profile[]): [string, number[]][] {
  const sums = new Map<string, number[]>();
  for (const p of ps) {
    const T = p.sampleTypes.length;
    for (let i = 0; i < p.samples.count; i++) {
      const v = Array.from(p.samples.values.subarray(i * T, i * T + T));
      if (v.every((x) => x === 0)) continue;
      const k = sampleKey(p, i);
      const had = sums.get(k);
      if (had) v.forEach((x, t) => (had[t]! += x));
      else sums.set(k, v);
    }
  }
  return [...sums].filter(([, v]) => v.some((x) => x !== 0));
}

function samplesOf(p: Profile): [string, number[]][] {
  const T = p.sampleTypes.length;
  return Array.from({ length: p.samples.count }, (_, i) => [
    sampleKey(p, i),
    Array.from(p.samples.values.subarray(i * T, i * T + T)),
  ]);
}

/** pprof's numbering: ids are index + 1, and everything is numbered in order of first use. */
function assertNumbering(p: Profile): void {
  p.locations.forEach((l, i) => assert.equal(l.id, i + 1));
  p.functions.forEach((f, i) => assert.equal(f.id, i + 1));
  p.mappings.forEach((m, i) => assert.equal(m.id, i + 1));
  const s = p.samples;
  let nextLoc = 0;
  let nextFn = 0;
  // The first mapping stays first (it names the main binary).
  let nextMapping = p.mappings.length > 0 ? 1 : 0;
  const seenLoc = new Set<number>();
  const seenFn = new Set<number>();
  const seenMapping = new Set<number>([0]);
  for (let i = 0; i < s.count; i++) {
    const u = s.stack[i]!;
    for (let k = s.locStart[u]!; k < s.locStart[u + 1]!; k++) {
      const l = s.stackLocs[k]!;
      if (seenLoc.has(l)) continue;
      assert.equal(l, nextLoc++, `location ${l} is used first after location ${nextLoc - 2}`);
      seenLoc.add(l);
      const loc = p.locations[l]!;
      if (loc.mapping >= 0 && !seenMapping.has(loc.mapping)) {
        assert.equal(loc.mapping, nextMapping++);
        seenMapping.add(loc.mapping);
      }
      for (const ln of loc.lines) {
        if (ln.func < 0 || seenFn.has(ln.func)) continue;
        assert.equal(ln.func, nextFn++);
        seenFn.add(ln.func);
      }
    }
  }
  assert.equal(nextLoc, p.locations.length, 'every location is used');
  assert.equal(nextFn, p.functions.length, 'every function is used');
}

/** The result's stack table: each stack once, numbered in the order of its first sample. */
function assertDistinctTable(p: Profile): void {
  const s = p.samples;
  const U = s.locStart.length - 1;
  const contents = new Set<string>();
  for (let u = 0; u < U; u++) contents.add(Array.from(s.stackLocs.subarray(s.locStart[u], s.locStart[u + 1])).join());
  assert.equal(contents.size, U, 'no stack twice');
  let next = 0;
  for (let i = 0; i < s.count; i++) {
    if (s.stack[i]! === next) next++;
    else assert.ok(s.stack[i]! < next, `sample ${i} uses stack ${s.stack[i]} before stack ${next}`);
  }
  assert.equal(next, U, 'every stack has a sample');
  const st = stacksOf(p);
  assert.equal(st.count, U);
}

/** Equal sample lists; on a difference, the first one (not two lists of thousands). */
function assertSameSamples(got: [string, number[]][], want: [string, number[]][]): void {
  const n = Math.min(got.length, want.length);
  let i = 0;
  while (i < n && got[i]![0] === want[i]![0] && got[i]![1].join() === want[i]![1].join()) i++;
  if (i < n) assert.deepEqual([i, got[i]], [i, want[i]]);
  assert.equal(got.length, want.length, 'samples');
}

function check(ps: readonly Profile[]): Profile {
  const m = mergeProfiles(ps);
  assertSameSamples(samplesOf(m), referenceMerge(ps));
  assertNumbering(m);
  assertDistinctTable(m);
  // A merge of a merge changes nothing (pprof merges the result again before its reports).
  const again = mergeProfiles([m]);
  assertSameSamples(samplesOf(again), samplesOf(m));
  assert.deepEqual(again.locations, m.locations);
  assert.deepEqual(again.functions, m.functions);
  assert.deepEqual(again.mappings, m.mappings);
  return m;
}

describe('mergeProfiles on the sample columns (pprof Merge)', () => {
  const after = fixture('leak_after.pb.gz');
  const before = fixture('leak_before.pb.gz');

  it('-base of two heap snapshots: the differences, numbered as pprof numbers them', () => {
    const m = check([after, scaleProfile(before, -1)]);
    assert.ok(m.samples.count > 0 && m.samples.count < after.samples.count + before.samples.count);
  });

  it('-diff_base: the base samples stay apart under their label', () => {
    const b = withLabel(scaleProfile(before, -1), { key: 'pprof::base', str: 'true' });
    const m = check([after, b]);
    assert.ok(m.samples.labels.some((ls) => ls?.some((l) => l.key === 'pprof::base')));
  });

  it('a profile against itself cancels out: no sample, location, function or mapping is left', () => {
    const m = mergeProfiles([after, scaleProfile(after, -1)]);
    assert.equal(m.samples.count, 0);
    assert.equal(m.samples.stackLocs.length, 0);
    assert.deepEqual([m.locations.length, m.functions.length], [0, 0]);
    // The first mapping stays (pprof keeps the main binary's).
    assert.equal(m.mappings.length, Math.min(1, after.mappings.length));
  });

  it('sums that cancel for some stacks drop those, and what only they used', () => {
    // Half the base (rounded) cancels the samples of value 1 exactly, and only those.
    const half = scaleProfile(after, 0.5);
    const m = check([after, scaleProfile(half, -1)]);
    assert.ok(m.samples.count < after.samples.count, 'some samples cancelled');
    assert.ok(m.samples.count > 0);
  });

  it('values of every width add up exactly (Int32 decoded values with Float64 scaled ones)', () => {
    assert.ok(after.samples.values instanceof Int32Array);
    const m = check([after, scaleProfile(after, 2)]);
    const one = mergeProfiles([after]);
    assert.deepEqual(
      Array.from(m.samples.values),
      Array.from(one.samples.values, (v) => 3 * v),
    );
  });

  it('labels: the same labels in other arrays or another key order are one sample; none and [] alike', () => {
    const stackLocs = Uint16Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const ab: Label[] = [
      { key: 'a', str: 'x' },
      { key: 'b', str: 'y' },
    ];
    const ba: Label[] = [
      { key: 'b', str: 'y' },
      { key: 'a', str: 'x' },
    ];
    const bytes: Label[] = [{ key: 'bytes', num: 8, numUnit: 'bytes' }];
    const kib: Label[] = [{ key: 'bytes', num: 8, numUnit: 'kilobytes' }];
    const p: Profile = {
      ...after,
      sampleTypes: [{ type: 'samples', unit: 'count' }],
      samples: {
        count: 5,
        values: Int32Array.from([1, 2, 4, 8, 16]),
        stack: identityStacks(5),
        locStart: Uint32Array.from([0, 2, 4, 6, 8, 10]),
        stackLocs,
        labels: [ab, ba, undefined, bytes, kib],
      },
      locations: [0, 1].map((i) => ({ ...after.locations[i]!, mapping: 0 })),
      mappings: [after.mappings[0]!],
    };
    const q: Profile = {
      ...p,
      samples: { ...p.samples, count: 1, values: Int32Array.from([32]), labels: [[]], stack: Uint32Array.of(0) },
    };
    const m = check([p, q]);
    assert.deepEqual(Array.from(m.samples.values), [3, 36, 8, 16]);
    // A merged sample keeps its first sample's labels.
    assert.equal(m.samples.labels[0], ab);
    assert.equal(m.samples.labels[1], undefined);
    assert.deepEqual([m.samples.labels[2], m.samples.labels[3]], [bytes, kib]);
    assert.equal(m.samples.locStart.length, 2, 'one stack');
  });

  it('label columns: merged as the labels array they stand for; withLabel keeps them true to the labels', () => {
    const cols = before.samples;
    assert.ok(cols.labelIds && cols.labelSets, 'the decoder gives label columns');
    const plain: Profile = { ...before, samples: withLabels(cols, [...cols.labels]) };
    assert.equal(plain.samples.labelIds, undefined);
    assertSameSamples(samplesOf(mergeProfiles([after, before])), samplesOf(mergeProfiles([after, plain])));
    const base = { key: 'pprof::base', str: 'true' };
    const pairs: [Profile, Profile][] = [
      [withLabel(before, base), withLabel(plain, base)],
      [withLabel(scaleProfile(before, -1), base), withLabel(scaleProfile(plain, -1), base)],
    ];
    for (const [q, want] of pairs) {
      const { labelIds, labelSets, labels, count } = q.samples;
      assert.ok(labelIds && labelSets, 'withLabel keeps label columns');
      for (let i = 0; i < count; i++) {
        assert.equal(labels[i], labelSets[labelIds[i]! - 1], `sample ${i}: columns and labels agree`);
        assert.ok(isDiffBaseSample(labels[i]));
      }
      assertSameSamples(samplesOf(q), samplesOf(want));
      assertSameSamples(samplesOf(mergeProfiles([after, q])), samplesOf(mergeProfiles([after, want])));
    }
  });

  it('many samples: the tables grow past the largest profile, results as the reference', function () {
    this.timeout(120_000);
    const a = parseProfile(gzipSync(generateGoHeapProfile({ samples: 5_000, seed: 5 })));
    const b = parseProfile(gzipSync(generateGoHeapProfile({ samples: 5_000, seed: 6 })));
    const m = check([a, scaleProfile(b, -1)]);
    assert.ok(m.samples.count > Math.max(a.samples.count, b.samples.count), 'more samples than either side');
    check([a, withLabel(scaleProfile(b, -1), { key: 'pprof::base', str: 'true' })]);
  });
});
