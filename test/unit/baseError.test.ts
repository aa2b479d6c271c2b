/**
 * A bad base blames the base (trial 3, finding 7): comparing heap2.pb.gz with a truncated base said
 * "Cannot open heap2.pb.gz: The base profile truncated.pb.gz: …", blaming the good profile.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { baseCandidates } from '../../src/core/diff';
import { baseErrorMessage } from '../../src/core/errors';
import { profileSampleTypes } from '../../src/core/pgo';
import { ProfileOps, toWorkerError } from '../../src/worker/ops';

const repoRoot = path.resolve(__dirname, '..', '..');
const shared = [path.resolve(repoRoot, '..', 'shared'), '/work/shared'].find((d) => existsSync(d))!;
const good = readFileSync(path.join(shared, 'pprof-testdata', 'internal/report/testdata/sample.cpu'));

describe('a bad base blames the base', () => {
  it('the worker says which input failed: the base, by its name, with the reason alone', () => {
    const raw = gunzipSync(good);
    const truncated = gzipSync(raw.subarray(0, raw.length - 3));
    let err: unknown;
    try {
      ProfileOps.load({ bytes: good, base: { bytes: truncated, name: 'truncated.pb.gz', mode: 'base' } });
    } catch (e) {
      err = e;
    }
    const w = toWorkerError(err);
    assert.equal(w.base, 'truncated.pb.gz');
    assert.equal(w.kind, 'not-a-profile');
    assert.match(w.message, /^The gzip data is intact, but the profile inside it is truncated/);
    assert.doesNotMatch(w.message, /base profile|truncated\.pb\.gz/);
    // The profile itself failing is not the base's fault.
    let own: unknown;
    try {
      ProfileOps.load({ bytes: truncated, base: { bytes: good, name: 'good.pb.gz', mode: 'base' } });
    } catch (e) {
      own = e;
    }
    assert.equal(toWorkerError(own).base, undefined);
    // A good pair loads.
    assert.ok(ProfileOps.load({ bytes: good, base: { bytes: good, name: 'good.pb.gz', mode: 'base' } }).ops);
  });

  it('the message names the base first and says what became of the profile', () => {
    assert.equal(
      baseErrorMessage(
        'truncated.pb.gz',
        'The gzip data is intact, but the profile inside it is truncated.',
        'heap2.pb.gz stays open without a base',
      ),
      'Cannot use truncated.pb.gz as the base: the gzip data is intact, but the profile inside it is truncated. heap2.pb.gz stays open without a base.',
    );
    // A reason without a final period gets one; an acronym keeps its capitals.
    assert.equal(
      baseErrorMessage('x.pb.gz', 'GZIP header bad', 'y.pb.gz was not opened'),
      'Cannot use x.pb.gz as the base: GZIP header bad. y.pb.gz was not opened.',
    );
  });

  it('a base of another kind (the trial: goroutine2.pb.gz with cpu2.pb.gz as base) blames the base and says both kinds', () => {
    const fixtures = path.join(repoRoot, 'test/fixtures/profiles');
    const goroutine = readFileSync(path.join(fixtures, 'goroutine.pb.gz'));
    const cpu = readFileSync(path.join(fixtures, 'cpu.pb.gz'));
    let err: unknown;
    try {
      ProfileOps.load({ bytes: goroutine, base: { bytes: cpu, name: 'cpu2.pb.gz', mode: 'base' } });
    } catch (e) {
      err = e;
    }
    const w = toWorkerError(err);
    assert.equal(w.base, 'cpu2.pb.gz');
    assert.equal(
      baseErrorMessage(w.base!, w.message, 'goroutine2.pb.gz stays open without a base', 'goroutine2.pb.gz'),
      'Cannot use cpu2.pb.gz as the base of goroutine2.pb.gz: it is a CPU profile (samples/count, cpu/nanoseconds), ' +
        'goroutine2.pb.gz a goroutine profile (goroutine/count); goroutine2.pb.gz stays open without a base.',
    );
  });

  it("the base picker lists only profiles of the open one's kind and says why the others are absent", () => {
    const fixtures = path.join(repoRoot, 'test/fixtures/profiles');
    const types = (n: string) => profileSampleTypes(readFileSync(path.join(fixtures, n)));
    const names = ['cpu.pb.gz', 'heap.pb.gz', 'goroutine.pb.gz', 'unreadable'];
    const found = names.map((n) => ({ item: n, ...(n === 'unreadable' ? {} : { sampleTypes: types(n) }) }));
    const { items, note } = baseCandidates({ sampleTypes: types('goroutine.pb.gz') }, found);
    assert.deepEqual(items, ['goroutine.pb.gz', 'unreadable']);
    assert.equal(
      note,
      '2 profiles of other kinds (a CPU profile (samples/count, cpu/nanoseconds); a heap profile (alloc_objects/count, ' +
        'alloc_space/bytes, inuse_objects/count, inuse_space/bytes)) not listed: a base needs the sample types of ' +
        'a goroutine profile (goroutine/count)',
    );
    assert.equal(baseCandidates({ sampleTypes: types('cpu.pb.gz') }, found.slice(0, 1)).note, undefined);
  });
});
