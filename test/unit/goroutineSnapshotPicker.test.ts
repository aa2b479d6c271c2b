/**
 * Which files "Goroutines: Compare Two Snapshots…" offers (core/goroutines isGoroutineSnapshot):
 * goroutine snapshots in the three formats /debug/pprof/goroutine serves, the capture's
 * goroutine-dump-*.txt, and no heap, CPU, block or threadcreate profile, text or proto.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { isGoroutineSnapshot } from '../../src/core/goroutines';

const fixtures = path.resolve(__dirname, '..', 'fixtures');
const read = (rel: string): Uint8Array => new Uint8Array(readFileSync(path.join(fixtures, rel)));
/** As the picker reads a .txt: its first 512 bytes only. */
const head = (rel: string): Uint8Array => read(rel).subarray(0, 512);

describe('the goroutine snapshot picker offers goroutine snapshots only', () => {
  for (const rel of ['goroutines/profiles/before.pb.gz', 'profiles/goroutine.pb.gz'])
    it(`${rel}: a goroutine proto (its sample type read)`, () => assert.ok(isGoroutineSnapshot(read(rel))));

  for (const rel of ['goroutines/profiles/before.txt', 'profiles/goroutine.txt', 'legacy/profiles/goroutine.txt'])
    it(`${rel}: a debug=1 text ("goroutine profile: total N")`, () => assert.ok(isGoroutineSnapshot(head(rel), true)));

  for (const rel of ['goroutines/profiles/before.dump.txt', 'legacy/profiles/goroutine_dump.txt'])
    it(`${rel}: a debug=2 dump ("goroutine N [state]:"), as a capture's goroutine-dump-*.txt`, () =>
      assert.ok(isGoroutineSnapshot(head(rel), true)));

  it('a dump with Windows line ends and a byte order mark', () => {
    const text = '\uFEFFgoroutine 1 [running]:\r\nmain.main()\r\n\t/src/main.go:3 +0x1\r\n';
    assert.ok(isGoroutineSnapshot(new TextEncoder().encode(text), true));
  });

  for (const rel of [
    'profiles/heap.pb.gz',
    'profiles/leak_after.pb.gz',
    'profiles/cpu.pb.gz',
    'profiles/block.pb.gz',
    'profiles/threadcreate.pb.gz',
    'profiles/labels.pb.gz',
  ])
    it(`${rel}: not a goroutine profile`, () => assert.equal(isGoroutineSnapshot(read(rel)), false));

  for (const rel of ['profiles/threadcreate.txt', 'profiles/block.txt', 'profiles/heap_legacy.txt'])
    it(`${rel}: a text of another kind`, () => assert.equal(isGoroutineSnapshot(head(rel), true), false));

  it('an empty file, a README, a truncated or non-profile gzip: not offered, no throw', () => {
    assert.equal(isGoroutineSnapshot(new Uint8Array(0)), false);
    assert.equal(isGoroutineSnapshot(new TextEncoder().encode('notes about goroutine 5\n'), true), false);
    assert.equal(isGoroutineSnapshot(read('goroutines/profiles/before.pb.gz').subarray(0, 200)), false);
    assert.equal(isGoroutineSnapshot(gzipSync(Buffer.from('hello'))), false);
  });
});
