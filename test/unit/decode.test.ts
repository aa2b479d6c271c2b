/**
 * The decoder on real profiles and on every kind of bad input: each ends in a ProfileError of the
 * right kind with a readable message, or in a valid Profile; never another exception, never a hang.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeProto, parseProfile } from '../../src/core/decode';
import { encodeProfile } from '../../src/core/encode';
import { isProfileError, ProfileError } from '../../src/core/errors';
import { defaultSampleIndex, sampleIndexByName, sampleLocs, type Profile } from '../../src/core/model';

const repoRoot = path.resolve(__dirname, '..', '..');
const shared = [path.resolve(repoRoot, '..', 'shared'), '/work/shared'].find((d) => existsSync(d))!;
const td = (rel: string) => path.join(shared, 'pprof-testdata', rel);

/** Every reference in range, every sample with one value per sample type. */
export function assertValid(p: Profile): void {
  const T = p.sampleTypes.length;
  const { count, values, stack, locStart, stackLocs, labels } = p.samples;
  assert.equal(values.length, count * T);
  assert.equal(stack.length, count);
  const S = locStart.length - 1;
  for (const u of stack) assert.ok(u < S);
  assert.equal(locStart[0], 0);
  assert.equal(locStart[S], stackLocs.length);
  for (let u = 0; u < S; u++) assert.ok(locStart[u]! <= locStart[u + 1]!);
  for (const l of stackLocs) assert.ok(l < p.locations.length);
  for (const loc of p.locations) {
    assert.ok(loc.mapping >= -1 && loc.mapping < p.mappings.length);
    for (const ln of loc.lines) assert.ok(ln.func >= -1 && ln.func < p.functions.length);
  }
  assert.ok(labels.length === 0 || labels.length === count);
  for (const v of values) assert.ok(Number.isFinite(v));
}

function expectError(kind: ProfileError['kind'], bytes: Uint8Array, re?: RegExp): ProfileError {
  try {
    parseProfile(bytes);
  } catch (e) {
    assert.ok(isProfileError(e), `expected a ProfileError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (re) assert.match(e.message, re);
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

/** A tiny valid profile to break in controlled ways. */
function tiny(): Profile {
  return {
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    defaultSampleType: '',
    samples: {
      count: 2,
      values: Float64Array.of(1, 10_000_000, 2, 20_000_000),
      stack: Uint32Array.of(0, 1),
      locStart: Uint32Array.of(0, 2, 3),
      stackLocs: Uint32Array.of(0, 1, 1),
      labels: [[{ key: 'handler', str: '/api' }], undefined],
    },
    mappings: [
      {
        id: 1,
        start: 0x400000,
        limit: 0x500000,
        offset: 0,
        file: '/bin/app',
        buildId: 'abc',
        hasFunctions: true,
        hasFilenames: true,
        hasLineNumbers: true,
        hasInlineFrames: true,
      },
    ],
    locations: [
      {
        id: 1,
        mapping: 0,
        address: 0x401000,
        lines: [
          { func: 0, line: 12, column: 0 },
          { func: 1, line: 30, column: 0 },
        ],
        isFolded: false,
      },
      { id: 2, mapping: 0, address: 0x402000, lines: [{ func: 1, line: 31, column: 0 }], isFolded: false },
    ],
    functions: [
      { id: 1, name: 'main.leaf', systemName: 'main.leaf', file: '/src/app/main.go', startLine: 10 },
      { id: 2, name: 'main.main', systemName: 'main.main', file: '/src/app/main.go', startLine: 28 },
    ],
    dropFrames: '',
    keepFrames: '',
    timeNanos: 1_700_000_000_000_000_000,
    durationNanos: 1_000_000_000,
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: 10_000_000,
    comments: ['a comment'],
    docUrl: '',
  };
}

describe('decode: real profiles', () => {
  const files = [
    'internal/report/testdata/sample.cpu',
    'internal/proftest/testdata/large.cpu',
    'internal/driver/testdata/go.nomappings.crash',
    'internal/driver/testdata/cppbench.cpu_no_samples_type',
    'synthesized/driver.heap.demangled.pb.gz',
    'synthesized/driver.contention.demangled.pb.gz',
    'synthesized/report.testProfile.pb.gz',
  ];
  for (const f of files) {
    it(`decodes ${f} into a valid profile`, () => {
      const p = parseProfile(readFileSync(td(f)));
      assertValid(p);
      assert.ok(p.samples.count > 0);
    });
  }

  it('keeps every Line of an inlined Location, innermost first (sample.cpu)', () => {
    const p = parseProfile(readFileSync(td('internal/report/testdata/sample.cpu')));
    const inlined = p.locations.filter((l) => l.lines.length > 1);
    assert.ok(inlined.length > 0, 'sample.cpu has inlined frames');
    // runtime.add is inlined into its callers in sample.cpu: it must be line[0], never the last.
    for (const l of inlined) {
      const names = l.lines.map((ln) => p.functions[ln.func]!.name);
      assert.notEqual(names[names.length - 1], 'runtime.add', names.join(' <- '));
    }
  });

  it('large.cpu: counts as go tool pprof -raw reports them', () => {
    const p = parseProfile(readFileSync(td('internal/proftest/testdata/large.cpu')));
    assert.equal(p.samples.count, 20430);
    assert.equal(p.locations.length, 23355);
    assert.equal(p.functions.length, 23038);
  });

  it('reads raw (not gzipped) profile.proto too', () => {
    const gz = readFileSync(td('internal/report/testdata/sample.cpu'));
    const a = parseProfile(gz);
    const b = parseProfile(gunzipSync(gz));
    assert.deepEqual(b.sampleTypes, a.sampleTypes);
    assert.deepEqual(Array.from(b.samples.values), Array.from(a.samples.values));
  });

  it('chooses the default sample type as pprof does', () => {
    const cpu = parseProfile(readFileSync(td('internal/report/testdata/sample.cpu')));
    assert.equal(cpu.sampleTypes[defaultSampleIndex(cpu)]!.type, 'cpu'); // the last one
    const withDefault = decodeProto(encodeProfile({ ...tiny(), defaultSampleType: 'samples' }));
    assert.equal(defaultSampleIndex(withDefault), 0);
    assert.equal(sampleIndexByName(withDefault, ''), 0);
    assert.equal(sampleIndexByName(withDefault, 'cpu'), 1);
    assert.equal(sampleIndexByName(withDefault, '1'), 1);
    assert.throws(() => sampleIndexByName(withDefault, '2'), /outside the range \[0\.\.1\]/);
    assert.throws(() => sampleIndexByName(withDefault, 'alloc_space'), /must be one of: samples, cpu/);
  });

  it('round-trips through the encoder', () => {
    const p = tiny();
    const q = decodeProto(encodeProfile(p));
    // A time beyond 2^53 ns also comes back exactly, in decimal.
    assert.deepEqual({ ...q, samples: null }, { ...p, samples: null, timeNanosExact: BigInt(p.timeNanos).toString() });
    assert.deepEqual(Array.from(q.samples.values), Array.from(p.samples.values));
    assert.deepEqual(Array.from(q.samples.stackLocs), Array.from(p.samples.stackLocs));
    assert.deepEqual(q.samples.labels, p.samples.labels);
    const real = parseProfile(readFileSync(td('internal/report/testdata/sample.cpu')));
    const again = decodeProto(encodeProfile(real));
    assert.deepEqual(again.functions, real.functions);
    assert.deepEqual(again.locations, real.locations);
    assert.deepEqual(Array.from(again.samples.values), Array.from(real.samples.values));
  });

  it('keeps int64 values exact up to 2^53 and negative values (diffs)', () => {
    const p = tiny();
    const big = 2 ** 53 - 1;
    const q = decodeProto(
      encodeProfile({ ...p, samples: { ...p.samples, values: Float64Array.of(-5, big, 3, -big) } }),
    );
    assert.deepEqual(Array.from(q.samples.values), [-5, big, 3, -big]);
  });

  it('stores each distinct stack once: samples of one stack share its entry, values 32-bit until one is not', () => {
    const p = tiny();
    // Five samples over the two stacks [0 1] and [1], in the order a b a b a, one of them empty.
    const stacks = [[0, 1], [1], [0, 1], [], [0, 1]];
    const starts = [0];
    for (const st of stacks) starts.push(starts.at(-1)! + st.length);
    const many = (values: number[]): Profile => ({
      ...p,
      samples: {
        count: stacks.length,
        values: Float64Array.from(values),
        stack: Uint32Array.from(stacks, (_, i) => i),
        locStart: Uint32Array.from(starts),
        stackLocs: Uint32Array.from(stacks.flat()),
        labels: [],
      },
    });
    const small = [1, 10, 2, 20, 3, 30, 4, 40, 5, 50];
    const q = decodeProto(encodeProfile(many(small)));
    assert.deepEqual(Array.from(q.samples.stack), [0, 1, 0, 2, 0]);
    assert.deepEqual(Array.from(q.samples.locStart), [0, 2, 3, 3]);
    assert.deepEqual(Array.from(q.samples.stackLocs), [0, 1, 1]);
    assert.ok(q.samples.values instanceof Int32Array);
    assert.deepEqual(Array.from(q.samples.values), small);
    for (let i = 0; i < stacks.length; i++) assert.deepEqual(Array.from(sampleLocs(q.samples, i)), stacks[i]);
    // A value past 32 bits in the middle: the column turns into doubles, every value kept.
    const wide = [1, 10, 2, 2 ** 31, 3, -(2 ** 31) - 1, 4, 40, 5, 2 ** 40];
    const w = decodeProto(encodeProfile(many(wide)));
    assert.ok(w.samples.values instanceof Float64Array);
    assert.deepEqual(Array.from(w.samples.values), wide);
    assert.deepEqual(Array.from(w.samples.stack), [0, 1, 0, 2, 0]);
    // The labels of each sample, built from the set ids when read.
    const labelled = decodeProto(encodeProfile(p));
    assert.deepEqual(Array.from(labelled.samples.labelIds!), [1, 0]);
    assert.deepEqual(labelled.samples.labels, p.samples.labels);
  });
});

describe('decode: bad input', () => {
  it('empty file', () => {
    expectError('empty', new Uint8Array(0), /empty/);
    expectError('empty', gzipSync(Buffer.alloc(0)), /no data/);
  });

  it('truncated gzip', () => {
    const gz = readFileSync(td('internal/report/testdata/sample.cpu'));
    expectError('gzip', gz.subarray(0, gz.length - 40), /truncated/);
    expectError('gzip', gz.subarray(0, 12), /truncated|corrupt/);
  });

  it('corrupt gzip', () => {
    const gz = Buffer.from(readFileSync(td('internal/report/testdata/sample.cpu')));
    for (let i = 20; i < 60; i++) gz[i] = gz[i]! ^ 0x5a;
    expectError('gzip', gz, /corrupt|truncated/);
  });

  it('not a profile: text, JSON, random bytes', () => {
    expectError('not-a-profile', Buffer.from('hello, this is not a profile\n'), /Not a pprof profile/);
    expectError('not-a-profile', Buffer.from('{"nodes": []}'), /Not a pprof profile/);
    const rnd = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < rnd.length; i++) rnd[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    expectError('not-a-profile', rnd);
  });

  it('truncated profile.proto', () => {
    const raw = encodeProfile(tiny());
    for (const n of [1, 5, 17, raw.length - 3]) {
      const e = expectError('not-a-profile', raw.subarray(0, n));
      assert.match(e.message, /byte \d+ of \d+/);
    }
  });

  it('a real profile cut short and gzipped again: the gzip is intact, the profile inside is truncated', () => {
    const raw = gunzipSync(readFileSync(td('internal/report/testdata/sample.cpu')));
    for (const n of [40, Math.floor(raw.length / 2), raw.length - 20]) {
      const e = expectError('not-a-profile', gzipSync(raw.subarray(0, n)));
      assert.match(e.message, /^The gzip data is intact, but the profile inside it is (truncated|damaged)/);
      assert.match(e.message, new RegExp(`of its ${n} uncompressed bytes|its ${n} uncompressed bytes end`));
      // No decoder internals, and not "neither gzip-compressed …" of data that is gzip.
      assert.doesNotMatch(e.message, /index out of range|neither gzip|\d+ \+ \d+ >/);
    }
    // Cut inside the last record: the file ends in the middle of it.
    const e = expectError('not-a-profile', gzipSync(raw.subarray(0, raw.length - 3)));
    assert.match(e.message, /truncated: its \d+ uncompressed bytes end inside a record that starts at byte \d+/);
    // The same bytes not gzipped: no profile.proto, said without the decoder's internals.
    const plain = expectError('not-a-profile', raw.subarray(0, raw.length - 3));
    assert.match(plain.message, /stopped at byte \d+ of \d+: the data ends inside a record\)\.$/);
    assert.doesNotMatch(plain.message, /index out of range/);
  });

  it('out-of-range string index', () => {
    // sample_type {type: 99}, string_table [""]
    const bytes = Buffer.from([0x0a, 0x02, 0x08, 0x63, 0x32, 0x00]);
    expectError('malformed', bytes, /string 99, outside the string table of 1/);
    // a negative index (int64 -1 is ten varint bytes)
    const neg = Buffer.from([0x0a, 0x0b, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x32, 0x00]);
    expectError('malformed', neg, /string -1, outside the string table/);
  });

  it('missing location, mapping and function ids', () => {
    const head = [0x0a, 0x02, 0x08, 0x01]; // sample_type {type: 1}
    const strings = [0x32, 0x00, 0x32, 0x01, 0x78]; // string_table ["", "x"]
    const sample = [0x12, 0x05, 0x0a, 0x01, 0x02, 0x10, 0x01]; // sample {location_id: [2], value: 1}
    const loc1 = [0x22, 0x02, 0x08, 0x01]; // location {id: 1}
    expectError(
      'malformed',
      Buffer.from([...head, ...sample, ...loc1, ...strings]),
      /sample 0 refers to location 2, which does not exist/,
    );
    const loc1Mapping9 = [0x22, 0x04, 0x08, 0x01, 0x10, 0x09]; // location {id: 1, mapping_id: 9}
    expectError(
      'malformed',
      Buffer.from([...head, ...loc1Mapping9, ...strings]),
      /location 1 refers to mapping 9, which does not exist/,
    );
    const loc1Func5 = [0x22, 0x06, 0x08, 0x01, 0x22, 0x02, 0x08, 0x05]; // location {id: 1, line {function_id: 5}}
    expectError(
      'malformed',
      Buffer.from([...head, ...loc1Func5, ...strings]),
      /location 1 refers to function 5, which does not exist/,
    );
  });

  it('a sample with the wrong number of values', () => {
    const hand = Buffer.from([
      0x0a,
      0x02,
      0x08,
      0x01, // sample_type {type: 1}
      0x12,
      0x04,
      0x12,
      0x02,
      0x01,
      0x02, // sample {value: [1, 2]} (packed)
      0x32,
      0x00,
      0x32,
      0x01,
      0x78, // string_table ["", "x"]
    ]);
    expectError('malformed', hand, /sample 0 has 2 values but the profile has 1 sample types/);
  });

  it('reserved id 0 and duplicate ids', () => {
    const p = tiny();
    expectError(
      'malformed',
      encodeProfile({ ...p, functions: [p.functions[0]!, { ...p.functions[1]!, id: 1 }] }),
      /share the id 1|does not exist/,
    );
  });

  it('a file over the size limit is refused before decoding', () => {
    const gz = readFileSync(td('internal/report/testdata/sample.cpu'));
    expectErrorWith({ maxInputBytes: 100 }, 'too-large', gz, /over the 1 KiB pprof-lens reads/);
    expectErrorWith({ maxUncompressedBytes: 1000 }, 'too-large', gz, /decompresses to more than/);
  });

  it('a gzip bomb is stopped at the limit without inflating it all', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const t0 = Date.now();
    expectErrorWith({ maxUncompressedBytes: 1024 * 1024 }, 'too-large', bomb);
    assert.ok(Date.now() - t0 < 5000);
  });
});

function expectErrorWith(
  opts: Parameters<typeof parseProfile>[1],
  kind: ProfileError['kind'],
  bytes: Uint8Array,
  re?: RegExp,
): void {
  try {
    parseProfile(bytes, opts);
  } catch (e) {
    assert.ok(isProfileError(e), String(e));
    assert.equal(e.kind, kind, e.message);
    if (re) assert.match(e.message, re);
    return;
  }
  assert.fail('expected an error');
}

describe('decode: fuzz (mutated real profiles)', () => {
  /** xorshift32: reproducible mutations. */
  function rng(seed: number) {
    let s = seed >>> 0 || 1;
    return () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s / 2 ** 32;
    };
  }
  const inputs = [
    gunzipSync(readFileSync(td('internal/report/testdata/sample.cpu'))),
    gunzipSync(readFileSync(td('synthesized/driver.heap.demangled.pb.gz'))),
    gunzipSync(readFileSync(td('synthesized/report.testProfile.pb.gz'))),
    encodeProfile(tiny()),
  ];

  it('3000 mutations: each a ProfileError or a valid profile', function () {
    this.timeout(120_000);
    const rand = rng(20261122);
    let errors = 0;
    let valid = 0;
    for (let i = 0; i < 3000; i++) {
      const src = inputs[i % inputs.length]!;
      const b = Buffer.from(src);
      const kind = Math.floor(rand() * 4);
      let data: Uint8Array = b;
      if (kind === 0) {
        for (let k = 0; k < 1 + rand() * 8; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      } else if (kind === 1) {
        data = b.subarray(0, Math.floor(rand() * b.length));
      } else if (kind === 2) {
        const at = Math.floor(rand() * b.length);
        data = Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), b.subarray(at)]);
      } else {
        const at = Math.floor(rand() * b.length);
        const len = Math.floor(rand() * 64);
        data = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + len))]);
      }
      if (rand() < 0.3) data = gzipSync(data);
      try {
        const p = parseProfile(data);
        assertValid(p);
        valid++;
      } catch (e) {
        if (!isProfileError(e)) throw new Error(`mutation ${i} (kind ${kind}) threw ${String((e as Error).stack)}`);
        assert.ok(e.message.length > 10);
        errors++;
      }
    }
    assert.ok(errors > 0 && valid > 0, `errors ${errors}, valid ${valid}`);
  });
});
