/**
 * Gzipped profiles are decoded as they inflate, a window of about a megabyte at a time
 * (core/inflate.ts, decode.ts ProtoWindow): the result must be the profile the whole-buffer
 * decoder gives, wherever the window boundaries fall, and gzip faults keep their messages.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateGoHeapProfile } from '../../bench/generate';
import { decodeProto, parseProfile, parseProfileSource } from '../../src/core/decode';
import { encodeProfile } from '../../src/core/encode';
import { isProfileError } from '../../src/core/errors';
import { GunzipStream } from '../../src/core/inflate';
import type { Profile } from '../../src/core/model';

function same(a: Profile, b: Profile): void {
  assert.deepEqual({ ...a, samples: undefined }, { ...b, samples: undefined });
  assert.equal(a.samples.count, b.samples.count);
  assert.deepEqual(Array.from(a.samples.values), Array.from(b.samples.values));
  assert.deepEqual(Array.from(a.samples.stack), Array.from(b.samples.stack));
  assert.deepEqual(Array.from(a.samples.locStart), Array.from(b.samples.locStart));
  assert.equal(a.samples.values.constructor, b.samples.values.constructor);
  assert.deepEqual(Array.from(a.samples.stackLocs), Array.from(b.samples.stackLocs));
  assert.equal(a.samples.stackLocs.constructor, b.samples.stackLocs.constructor);
  assert.deepEqual(a.samples.labels, b.samples.labels);
}

function errorOf(f: () => unknown): { kind: string; message: string } {
  try {
    f();
  } catch (e) {
    assert.ok(isProfileError(e), String(e));
    return { kind: e.kind, message: e.message };
  }
  assert.fail('no error');
}

describe('decode: gzip inflated and decoded window by window', () => {
  // 60,000 samples: 2.8 MB of profile.proto, three windows and more.
  const raw = generateGoHeapProfile({ samples: 60_000, seed: 3 });
  const gz = gzipSync(raw);

  it('this runtime streams (the zlib handle is there)', () => {
    const s = GunzipStream.open(gz, raw.length);
    assert.ok(s, 'GunzipStream.open returned undefined: every gzip profile is inflated whole');
    s.close();
  });

  it('gives the profile the whole-buffer decoder gives', () => {
    assert.ok(raw.length > 2 * (1 << 20));
    const whole = decodeProto(raw);
    same(parseProfile(gz), whole);
    assert.equal(whole.samples.count, 60_000);
  });

  it('a field longer than a window (a 3 MB comment)', () => {
    const p = decodeProto(raw);
    const big = 'x'.repeat(3 << 20);
    const q: Profile = { ...p, comments: [big, ...p.comments] };
    const enc = encodeProfile(q);
    const back = parseProfile(gzipSync(enc));
    same(back, decodeProto(enc));
    assert.equal(back.comments[0], big);
  });

  it('truncated and corrupt streams keep their messages', () => {
    const cut = gz.subarray(0, gz.length >> 1);
    assert.deepEqual(
      errorOf(() => parseProfile(cut)),
      {
        kind: 'gzip',
        message: 'The gzip data is truncated: the file ends before the compressed profile does.',
      },
    );
    const bad = Uint8Array.from(gz);
    bad[bad.length - 6]! ^= 0xff; // CRC
    assert.deepEqual(
      errorOf(() => parseProfile(bad)),
      {
        kind: 'gzip',
        message: 'The gzip data is corrupt (incorrect data check).',
      },
    );
  });

  it('a protobuf error deep in the stream: the message of the whole-buffer decoder', () => {
    const broken = Uint8Array.from(raw);
    // A sample message's tag turned into field 0 in the third megabyte.
    let at = (5 << 19) + 1;
    while (broken[at] !== 0x12) at++;
    broken[at] = 0x02;
    const viaGzip = errorOf(() => parseProfile(gzipSync(broken)));
    const viaRaw = errorOf(() => parseProfile(broken));
    assert.equal(viaGzip.kind, 'not-a-profile');
    assert.equal(viaRaw.kind, 'not-a-profile');
    // The same stop, at the same byte; said of the profile inside the gzip data when it is gzipped.
    const stop = /byte (\d+)/.exec(viaRaw.message)![1];
    assert.match(
      viaGzip.message,
      new RegExp(
        `^The gzip data is intact, but the profile inside it is damaged: .* byte ${stop} of its ${broken.length} uncompressed bytes\\.$`,
      ),
    );
    assert.match(viaRaw.message, /^Not a pprof profile: the data is neither gzip-compressed/);
  });

  it('read piece by piece (the CLI reads files so): the same profile, gzipped, plain or legacy text', () => {
    const pieces = (b: Uint8Array) => ({
      size: b.length,
      read: (into: Uint8Array, pos: number) => {
        const n = Math.min(into.length, 1000, b.length - pos);
        into.set(b.subarray(pos, pos + n));
        return n;
      },
    });
    same(parseProfileSource(pieces(gz)), parseProfile(gz));
    same(parseProfileSource(pieces(raw)), parseProfile(raw));
    const legacy = readFileSync(path.resolve(__dirname, '..', 'fixtures', 'profiles', 'heap_legacy.txt'));
    same(parseProfileSource(pieces(gzipSync(legacy))), parseProfile(legacy));
    assert.deepEqual(
      errorOf(() => parseProfileSource(pieces(gz.subarray(0, 5000)))),
      errorOf(() => parseProfile(gz.subarray(0, 5000))),
    );
  });
});
