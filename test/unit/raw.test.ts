/**
 * formatRaw (pprof's Profile.String(), the `-raw` text) on hand-built profiles, and end to end
 * against Go 1.19's `go tool pprof -raw` output in go1.19-oracle/.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { driverNormalize, simplifyFunc } from '../../src/core/compact';
import { parseProfile } from '../../src/core/decode';
import {
  identityStacks,
  sampleLocs,
  type Func,
  type Label,
  type Location,
  type Mapping,
  type Profile,
} from '../../src/core/model';
import { formatGoDuration, formatGoTime, formatRaw } from '../../src/core/raw';
import { sharedPath } from './helpers/shared';

function mapping(over: Partial<Mapping> = {}): Mapping {
  return {
    id: 1,
    start: 0x400000,
    limit: 0x500000,
    offset: 0,
    file: '/bin/app',
    buildId: 'abc',
    hasFunctions: false,
    hasFilenames: false,
    hasLineNumbers: false,
    hasInlineFrames: false,
    ...over,
  };
}

function profile(
  over: Partial<Profile> & { stacks: number[][]; vals: number[][]; labels?: (Label[] | undefined)[] },
): Profile {
  const { stacks, vals, labels, ...rest } = over;
  const starts = [0];
  for (const s of stacks) starts.push(starts[starts.length - 1]! + s.length);
  return {
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    defaultSampleType: '',
    samples: {
      count: stacks.length,
      values: Float64Array.from(vals.flat()),
      stack: identityStacks(stacks.length),
      locStart: Uint32Array.from(starts),
      stackLocs: Uint32Array.from(stacks.flat()),
      labels: labels ?? [],
    },
    mappings: [],
    locations: [],
    functions: [],
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: 0,
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: 10000000,
    comments: [],
    docUrl: '',
    ...rest,
  };
}

describe('formatRaw', () => {
  it('prints every part with pprof widths and markers', () => {
    const functions: Func[] = [
      { id: 7, name: 'main.inner', systemName: 'main.inner', file: 'a.go', startLine: 3 },
      { id: 8, name: 'main.outer', systemName: '_ZN4main5outerE', file: 'a.go', startLine: 10 },
    ];
    const locations: Location[] = [
      {
        id: 12,
        mapping: 0,
        address: 0x401000,
        lines: [
          { func: 0, line: 5, column: 2 },
          { func: 1, line: 11, column: 0 },
        ],
        isFolded: true,
      },
      { id: 1000000, mapping: -1, address: 0, lines: [{ func: -1, line: 0, column: 0 }], isFolded: false },
      { id: 3, mapping: 1, address: 0xffffffffff600000, lines: [], isFolded: false },
    ];
    const p = profile({
      comments: ['hello'],
      defaultSampleType: 'cpu',
      timeNanos: 1506718679257235456,
      durationNanos: 16502830 * 1e6,
      mappings: [
        mapping({ hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true }),
        mapping({ id: 2, start: 0, limit: 18446744073709551615, file: '[vsyscall]', buildId: '' }),
      ],
      locations,
      functions,
      stacks: [[0, 1], [2]],
      vals: [
        [1, -10000000],
        [123456789012, 0],
      ],
      labels: [
        [
          { key: 'b', str: 'x' },
          { key: 'a', str: 'y' },
          { key: 'b', str: 'z' },
          { key: 'bytes', num: 1024 },
          { key: 'alloc', num: 5, numUnit: 'requests' },
        ],
        undefined,
      ],
    });
    const want = [
      'Comment: hello',
      'PeriodType: cpu nanoseconds',
      'Period: 10000000',
      'Time: 2017-09-29 20:57:59.257235456 +0000 UTC',
      'Duration: 4h35',
      'Samples:',
      'samples/count cpu/nanoseconds[dflt]',
      '          1  -10000000: 12 1000000 ',
      '                a:[y] b:[x z]',
      '                alloc:[5 requests] bytes:[1024]',
      ' 123456789012          0: 3 ',
      'Locations',
      '    12: 0x401000 M=1 [F] main.inner a.go:5 s=3',
      '             main.outer a.go:11 s=10(_ZN4main5outerE)',
      '1000000: 0x0 ??',
      '     3: 0xffffffffff600000 M=2 ',
      'Mappings',
      '1: 0x400000/0x500000/0x0 /bin/app abc [FN][FL][LN][IN]',
      '2: 0x0/0xffffffffffffffff/0x0 [vsyscall]  ',
      '',
    ].join('\n');
    assert.equal(formatRaw(p), want);
    assert.match(formatRaw(p, { columns: true }), /main\.inner a\.go:5:2 s=3\n {13}main\.outer a\.go:11:0 s=10/);
  });

  it('prints "PeriodType:  " for a profile without one, as pprof does after decoding', () => {
    const { periodType: _unused, ...noPeriod } = profile({ stacks: [], vals: [] });
    assert.match(formatRaw(noPeriod), /^PeriodType:  \nPeriod: 10000000\nSamples:\n/);
  });

  it('formats durations and times as Go does', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [999, '999ns'],
      [1500, '1.5µs'],
      [1500000, '1.5ms'],
      [2e9, '2s'],
      [60e9, '1m0s'],
      [3600e9, '1h0m0s'],
      [16502830e6, '4h35m2.83s'],
      [-1500, '-1.5µs'],
    ];
    for (const [ns, s] of cases) assert.equal(formatGoDuration(ns), s, `${ns}`);
    assert.equal(formatGoTime(1506718679e9), '2017-09-29 20:57:59 +0000 UTC');
    assert.equal(formatGoTime(1506718679257235456), '2017-09-29 20:57:59.257235456 +0000 UTC');
  });
});

describe('driverNormalize (compact.ts)', () => {
  it('merges identical samples, drops zero and empty-stack samples, renumbers by first use', () => {
    const p = profile({
      mappings: [mapping(), mapping({ id: 2, start: 0x900000, limit: 0x901000, file: '/unused.so', buildId: '' })],
      locations: [
        { id: 5, mapping: 0, address: 0x401000, lines: [], isFolded: false },
        { id: 9, mapping: 0, address: 0x402000, lines: [], isFolded: false },
      ],
      stacks: [[1, 0], [0], [1, 0], [], [0]],
      vals: [
        [1, 10],
        [0, 0],
        [2, 20],
        [4, 40],
        [1, 1],
      ],
    });
    const q = driverNormalize(p);
    assert.equal(
      formatRaw(q),
      [
        'PeriodType: cpu nanoseconds',
        'Period: 10000000',
        'Samples:',
        'samples/count cpu/nanoseconds',
        '          3         30: 1 2 ',
        '          1          1: 2 ',
        'Locations',
        '     1: 0x402000 M=1 ',
        '     2: 0x401000 M=1 ',
        'Mappings',
        '1: 0x400000/0x500000/0x0 /bin/app abc ',
        '',
      ].join('\n'),
    );
    // The input is untouched.
    assert.equal(p.samples.count, 5);
    assert.equal(p.locations[0]!.id, 5);
  });

  it('prunes drop_frames from the leaf side but keeps keep_frames', () => {
    const fn = (name: string, id: number): Func => ({ id, name, systemName: name, file: '', startLine: 0 });
    const p = profile({
      dropFrames: 'malloc|runtime\\..*',
      keepFrames: 'runtime\\.panic',
      mappings: [mapping()],
      functions: [fn('malloc', 1), fn('main.f', 2), fn('main.main', 3), fn('runtime.panic', 4)],
      locations: [1, 2, 3, 4].map((id, i) => ({
        id,
        mapping: 0,
        address: 0x401000 + i,
        lines: [{ func: i, line: 1, column: 0 }],
        isFolded: false,
      })),
      stacks: [
        [0, 1, 2],
        [3, 2],
      ],
      vals: [
        [1, 1],
        [2, 2],
      ],
    });
    const q = driverNormalize(p);
    const stacks = [0, 1].map((i) =>
      Array.from(sampleLocs(q.samples, i)).map((l) => q.functions[q.locations[l]!.lines[0]!.func]!.name),
    );
    assert.deepEqual(stacks, [
      ['main.f', 'main.main'],
      ['runtime.panic', 'main.main'],
    ]);
  });

  it('simplifies C++ names before matching, keeping reserved names', () => {
    assert.equal(simplifyFunc('foo::bar(int, char*)'), 'foo::bar');
    assert.equal(simplifyFunc('(anonymous namespace)::f(int)'), '(anonymous namespace)::f');
    assert.equal(simplifyFunc('.main'), 'main');
  });
});

/** Every directory under go1.19-oracle with a raw.txt(.gz). */
function oracleDirs(): string[] {
  const root = sharedPath('pprof-testdata', 'go1.19-oracle');
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const f = path.join(d, e);
      if (statSync(f).isDirectory()) walk(f);
      else if (e === 'raw.txt' || e === 'raw.txt.gz') out.push(d);
    }
  };
  walk(root);
  return out.sort().map((d) => path.relative(root, d));
}

function readRaw(dir: string): string {
  const base = sharedPath('pprof-testdata', 'go1.19-oracle', dir);
  if (existsSync(path.join(base, 'raw.txt'))) return readFileSync(path.join(base, 'raw.txt'), 'utf8');
  return gunzipSync(readFileSync(path.join(base, 'raw.txt.gz'))).toString('utf8');
}

describe('Go 1.19 `pprof -raw` oracle (go1.19-oracle/**/raw.txt)', () => {
  const dirs = oracleDirs();

  it('finds the oracle directories', () => assert.ok(dirs.length >= 19, `${dirs.length}`));

  for (const dir of dirs) {
    const converted = sharedPath('pprof-testdata', 'go1.19-oracle', dir, 'converted.pb.gz');
    if (existsSync(converted)) {
      it(`${dir}: converted.pb.gz decoded == raw.txt`, () => {
        const p = parseProfile(readFileSync(converted));
        assert.equal(formatRaw(p), readRaw(dir));
        // pprof's own output is already normalized: normalizing again changes nothing.
        assert.equal(formatRaw(driverNormalize(p)), readRaw(dir));
      });
    }
    it(`${dir}: the input itself, normalized like the driver, == raw.txt`, function () {
      this.timeout(60000);
      const input = sharedPath('pprof-testdata', dir);
      const p = driverNormalize(parseProfile(readFileSync(input)));
      // Time: lines included: time_nanos beyond 2^53 is kept exactly (Profile.timeNanosExact).
      assert.equal(formatRaw(p), readRaw(dir));
    });
  }
});
