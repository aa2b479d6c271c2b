/**
 * Legacy profile parsing against google/pprof's TestParse goldens (profile/testdata/*.string),
 * Go 1.19's own -raw output, hand-checked Go debug=1 text, and mutated / broken inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isProfileError } from '../../src/core/errors';
import { parseLegacy, scaleHeapSample } from '../../src/core/legacy';
import { sampleLocs, type Profile } from '../../src/core/model';
import { formatRaw } from '../../src/core/raw';
import { sharedPath } from './helpers/shared';

const testdata = (): string => sharedPath('pprof-testdata', 'profile', 'testdata');

/** The 14 inputs of pprof's profile_test.go TestParse (MANIFEST section 2a). */
const GOLDEN_INPUTS = [
  'go.crc32.cpu',
  'go.godoc.thread',
  'gobench.cpu',
  'gobench.heap',
  'cppbench.cpu',
  'cppbench.heap',
  'cppbench.contention',
  'cppbench.growth',
  'cppbench.thread',
  'cppbench.thread.all',
  'cppbench.thread.none',
  'java.cpu',
  'java.heap',
  'java.contention',
];

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function parse(s: string | Uint8Array): Profile {
  const p = parseLegacy(typeof s === 'string' ? enc(s) : s);
  assert.ok(p, 'expected a recognized legacy profile');
  return p;
}

function sampleValues(p: Profile): number[][] {
  const T = p.sampleTypes.length;
  const out: number[][] = [];
  for (let i = 0; i < p.samples.count; i++) out.push(Array.from(p.samples.values.subarray(i * T, i * T + T)));
  return out;
}

function stack(p: Profile, i: number): number[] {
  return Array.from(sampleLocs(p.samples, i)).map((k) => p.locations[k]!.address);
}

/** Every cross reference in range, every number finite, the column layout consistent. */
function assertWellFormed(p: Profile): void {
  const { count, values, stack, locStart, stackLocs, labels } = p.samples;
  const T = p.sampleTypes.length;
  const S = locStart.length - 1;
  assert.equal(values.length, count * T, 'values length');
  assert.equal(stack.length, count, 'stack length');
  for (const u of stack) assert.ok(u < S, `stack ${u} out of range`);
  assert.equal(locStart[0], 0);
  assert.equal(locStart[S], stackLocs.length, 'locStart end');
  for (let u = 0; u < S; u++) assert.ok(locStart[u]! <= locStart[u + 1]!, 'locStart monotonic');
  for (const k of stackLocs) assert.ok(k < p.locations.length, `location index ${k} out of range`);
  for (const v of values) assert.ok(Number.isFinite(v), `non-finite value ${v}`);
  assert.ok(labels.length === 0 || labels.length === count, 'labels length');
  for (const ls of labels) for (const l of ls ?? []) if (l.num !== undefined) assert.ok(Number.isFinite(l.num));
  for (const l of p.locations) {
    assert.ok(l.mapping >= -1 && l.mapping < p.mappings.length, `mapping index ${l.mapping} out of range`);
    assert.ok(Number.isFinite(l.address));
    for (const ln of l.lines) assert.ok(ln.func >= -1 && ln.func < p.functions.length, `function index ${ln.func}`);
  }
  for (const m of p.mappings)
    assert.ok(Number.isFinite(m.start) && Number.isFinite(m.limit) && Number.isFinite(m.offset));
  assert.ok(Number.isFinite(p.period) && Number.isFinite(p.durationNanos));
}

describe('parseLegacy + formatRaw: pprof TestParse goldens (.string)', () => {
  for (const name of GOLDEN_INPUTS) {
    it(`${name} == ${name}.string`, () => {
      const p = parse(readFileSync(path.join(testdata(), name)));
      assertWellFormed(p);
      const want = readFileSync(path.join(testdata(), `${name}.string`), 'utf8');
      // The goldens come from current pprof, which prints file:line:column.
      assert.equal(formatRaw(p, { columns: true }).replace(/\n$/, ''), want.replace(/\n$/, ''));
    });
  }

  it("go.godoc.thread == Go 1.19's `pprof -raw` (the one input the driver does not change)", () => {
    const p = parse(readFileSync(path.join(testdata(), 'go.godoc.thread')));
    const want = readFileSync(
      sharedPath('pprof-testdata', 'go1.19-oracle', 'profile', 'testdata', 'go.godoc.thread', 'raw.txt'),
      'utf8',
    );
    assert.equal(formatRaw(p), want);
  });

  it('sets drop/keep frames by kind as pprof does', () => {
    const heap = parse(readFileSync(path.join(testdata(), 'gobench.heap')));
    assert.match(heap.dropFrames, /^calloc\|cfree\|malloc\|/);
    assert.equal(heap.keepFrames, 'runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*');
    const cont = parse(readFileSync(path.join(testdata(), 'cppbench.contention')));
    assert.match(cont.dropFrames, /^RecordLockProfileData\|/);
    const cpu = parse(readFileSync(path.join(testdata(), 'gobench.cpu')));
    assert.match(cpu.dropFrames, /^ProfileData::Add\|/);
  });
});

describe('parseLegacy: Go heap text (debug=1)', () => {
  const header = 'heap profile: 1: 1024 [4: 4096] @ heap/1048576\n';

  it('unsamples by the rate (period = rate = header/2) and keeps zero in-use buckets at zero', () => {
    const p = parse(header + '1: 1024 [1: 1024] @ 0x1001 0x2001\n0: 0 [3: 3072] @ 0x1001 0x3001\n');
    assertWellFormed(p);
    assert.deepEqual(
      p.sampleTypes.map((t) => `${t.type}/${t.unit}`),
      ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
    );
    assert.deepEqual(p.periodType, { type: 'space', unit: 'bytes' });
    assert.equal(p.period, 524288);
    const [a, b] = sampleValues(p);
    // 1/(1-exp(-1024/524288)) = 512.50016...; the counts are truncated as Go's int64() does.
    assert.deepEqual(a, [512, 524800, 512, 524800]);
    assert.deepEqual(b, [1537, 1574400, 0, 0]);
    assert.deepEqual(p.samples.labels[1], [{ key: 'bytes', num: 1024 }]);
    // Return addresses are moved back onto the call instruction.
    assert.deepEqual(stack(p, 1), [0x1000, 0x3000]);
    for (const v of p.samples.values) assert.ok(Number.isFinite(v) && !Object.is(v, -0));
  });

  it('scaleHeapSample never divides by zero', () => {
    assert.deepEqual(scaleHeapSample(0n, 0n, 524288n), [0n, 0n]);
    assert.deepEqual(scaleHeapSample(0n, 5n, 524288n), [0n, 0n]);
    assert.deepEqual(scaleHeapSample(5n, 0n, 524288n), [0n, 0n]);
    assert.deepEqual(scaleHeapSample(3n, 300n, 0n), [3n, 300n]);
    assert.deepEqual(scaleHeapSample(3n, 300n, 1n), [3n, 300n]);
    // A vanishing average size would make the scale infinite; the result must stay an int64.
    const [c, s] = scaleHeapSample(9007199254740993n, 1n, 1n << 62n);
    assert.equal(typeof c, 'bigint');
    assert.equal(typeof s, 'bigint');
  });

  it('turns the "#\\t0x… func+0x… file:line" comments into functions and lines, and skips MemStats', () => {
    const text =
      header +
      '1: 1024 [4: 4096] @ 0x4a2b3d 0x4a2c11 0x4a2d01\n' +
      '#\t0x4a2b3c\tmain.alloc+0x1c\t\t/src/app/main.go:42\n' +
      '#\t0x4a2c10\tmain.inner+0x10\t\t/src/app/main.go:30\n' +
      '#\t0x4a2c10\tmain.outer+0x30\t\t/src/app/main.go:20\n' +
      '\n' +
      '\n# runtime.MemStats\n# Alloc = 123456\n# TotalAlloc = 999\n# NumGC = 3\n';
    const p = parse(text);
    assertWellFormed(p);
    assert.equal(p.samples.count, 1);
    const locs = p.locations;
    assert.equal(locs.length, 3);
    const frames = locs.map((l) =>
      l.lines.map((ln) => `${p.functions[ln.func]!.name} ${p.functions[ln.func]!.file}:${ln.line}`),
    );
    assert.deepEqual(frames, [
      ['main.alloc /src/app/main.go:42'],
      // Inlined: the innermost frame first.
      ['main.inner /src/app/main.go:30', 'main.outer /src/app/main.go:20'],
      // The root address the text leaves unnamed: runtime.goexit, which runtime/pprof hides.
      ['runtime.goexit :0'],
    ]);
    assert.deepEqual(
      p.functions.map((f) => f.id),
      p.functions.map((_, i) => i + 1),
    );
  });

  it('rejects an in-use count of 0 with a non-zero size, naming the line', () => {
    assert.throws(
      () => parseLegacy(enc(header + '1: 1 [1: 1] @ 0x1\n0: 1024 [1: 1024] @ 0x2\n')),
      (e: unknown) => isProfileError(e) && e.kind === 'malformed' && /line 3/.test(e.message),
    );
  });
});

describe('parseLegacy: Go count profiles (goroutine, threadcreate)', () => {
  it('reads counts, stacks, labels and symbols', () => {
    const text =
      'goroutine profile: total 5\n' +
      '3 @ 0x43a1f6 0x46b0c1 0x4015ab\n' +
      '# labels: {"handler":"/api", "quote":"a\\"b"}\n' +
      '#\t0x46b0c0\tmain.worker+0x20\t/src/w.go:12\n' +
      '#\t0x4015aa\tmain.main+0x4a\t/src/main.go:7\n' +
      '\n' +
      '2 @ 0x43a1f6 0x4015ab\n' +
      '#\t0x4015aa\tmain.main+0x4a\t/src/main.go:7\n';
    const p = parse(text);
    assertWellFormed(p);
    assert.deepEqual(p.sampleTypes, [{ type: 'goroutine', unit: 'count' }]);
    assert.deepEqual(p.periodType, { type: 'goroutine', unit: 'count' });
    assert.equal(p.period, 1);
    assert.deepEqual(sampleValues(p), [[3], [2]]);
    assert.deepEqual(stack(p, 0), [0x43a1f5, 0x46b0c0, 0x4015aa]);
    assert.deepEqual(p.samples.labels, [
      [
        { key: 'handler', str: '/api' },
        { key: 'quote', str: 'a"b' },
      ],
      undefined,
    ]);
    // main.worker, main.main, and the runtime frame the text hides at the leaf (gopark).
    assert.deepEqual(p.functions.map((f) => f.name).sort(), ['main.main', 'main.worker', 'runtime.?']);
    assert.match(formatRaw(p), /handler:\[\/api\] quote:\[a"b\]/);
  });

  it('reports a broken stack line with its line number', () => {
    assert.throws(
      () => parseLegacy(enc('goroutine profile: total 2\n1 @ 0x1 0x2\n1 @ zzz\n')),
      (e: unknown) => isProfileError(e) && e.kind === 'malformed' && /line 3/.test(e.message),
    );
  });
});

describe('parseLegacy: Go contention text (mutex, block)', () => {
  it('scales cycles to nanoseconds and contentions by the sampling period', () => {
    const text =
      '--- mutex:\ncycles/second=2000000000\nsampling period=5\n' +
      '4000 2 @ 0x1001 0x2001\n#\t0x1000\tsync.(*Mutex).Unlock+0x40\t/go/src/sync/mutex.go:190\n\n';
    const p = parse(text);
    assertWellFormed(p);
    assert.deepEqual(
      p.sampleTypes.map((t) => `${t.type}/${t.unit}`),
      ['contentions/count', 'delay/nanoseconds'],
    );
    assert.equal(p.period, 5);
    // delay = 4000 cycles * 5 / 2 GHz = 10000 ns; contentions = 2 * 5.
    assert.deepEqual(sampleValues(p), [[10, 10000]]);
    assert.equal(p.functions[0]?.name, 'sync.(*Mutex).Unlock');
  });

  it('reads "--- contention:" (block profile) headers', () => {
    const p = parse('--- contention:\ncycles/second=1000000000\n100 1 @ 0x10\n');
    assert.deepEqual(sampleValues(p), [[1, 100]]);
  });
});

describe('parseLegacy: bad input', () => {
  /** undefined (not a legacy profile), a ProfileError, or a well-formed Profile: nothing else. */
  function outcome(data: Uint8Array): 'unrecognized' | 'error' | 'profile' {
    let p: Profile | undefined;
    try {
      p = parseLegacy(data);
    } catch (e) {
      assert.ok(isProfileError(e), `not a ProfileError: ${String(e)}`);
      assert.ok(e.message.length > 0);
      return 'error';
    }
    if (p === undefined) return 'unrecognized';
    assertWellFormed(p);
    return 'profile';
  }

  const cases: [string, string | Uint8Array, ('unrecognized' | 'error' | 'profile')[]][] = [
    ['empty', '', ['unrecognized']],
    ['truncated heap header', 'heap profile: 1: 2 [', ['unrecognized']],
    ['heap header only', 'heap profile: 1: 2 [3: 4] @ heap/1048576', ['profile']],
    ['garbage line in a heap profile', 'heap profile: 1: 2 [3: 4] @ heap/1048576\nhello world\n', ['error']],
    ['huge count', 'heap profile: 1: 2 [3: 4] @ heap/2\n99999999999999999999: 1 [1: 1] @ 0x1\n', ['error']],
    ['huge address', 'heap profile: 1: 2 [3: 4] @ heap/2\n1: 1 [1: 1] @ 0x1ffffffffffffffff\n', ['error']],
    ['negative numbers', 'heap profile: 1: 2 [3: 4] @ heap/1048576\n-1: -100 [1: 100] @ 0x10\n', ['profile']],
    ['huge goroutine count', 'goroutine profile: total 1\n99999999999999999999 @ 0x1\n', ['error']],
    ['pprof fuzz crasher: --- heapz 1 --- with 0 0 @ 0', '--- heapz 1 ---\n0 0 @ 0\n', ['error']],
    ['java heapz without resolution', '--- heapz 1 ---\nformat = java\n1 1 @ 0x1\n', ['error']],
    ['threadz without a thread', '--- threadz 1 ---\n', ['unrecognized']],
    ['contention with an unknown attribute', '--- contentionz 1 ---\ncolour = blue\n', ['unrecognized']],
    [
      'binary CPU header only',
      new Uint8Array([0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0]),
      ['profile'],
    ],
    [
      'binary CPU with an impossible stack depth',
      new Uint8Array([0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 255, 255, 255, 127]),
      ['unrecognized'],
    ],
    ['binary noise', new Uint8Array(Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff)), ['unrecognized']],
  ];
  for (const [name, input, allowed] of cases) {
    it(name, () => {
      const got = outcome(typeof input === 'string' ? enc(input) : input);
      assert.ok(allowed.includes(got), `got ${got}, want one of ${allowed.join(', ')}`);
    });
  }

  it('long adversarial lines finish quickly (no regular-expression backtracking blow-up)', () => {
    const digits = '1'.repeat(60000);
    const inputs = [
      'heap profile: 1: 2 [3: 4] @ heap/2\n' + digits + '\n',
      '--- contentionz 1 ---\n' + digits + '\n',
      '--- contentionz 1 ---\n' + '1 '.repeat(30000) + '\n',
      '--- heapz 1 ---\nformat = java\nresolution = bytes\n' + digits + '#=\n',
      'goroutine profile: total 1\n' + digits + '\n',
      'heap profile: 1: 2 [3: 4] @ heap/2\n--- Memory map: ---\n' + '0'.repeat(60000) + 'x\n',
      'heap profile: 1: 2 [3: 4] @ heap/2\n' + '1'.repeat(100000) + '\n',
    ];
    for (const t of inputs) {
      const start = Date.now();
      outcome(enc(t));
      assert.ok(Date.now() - start < 500, `${Date.now() - start} ms for ${JSON.stringify(t.slice(0, 40))}`);
    }
  });

  it('contention samples without a space between the numbers split as pprof does', () => {
    const p = parse('--- contentionz 1 ---\n1234 @ 0x10\n12 3 @ 0x10\n');
    assert.deepEqual(sampleValues(p), [
      [4, 123],
      [3, 12],
    ]);
  });

  it('the fuzz crasher file from pprof/fuzz/testdata is a malformed ProfileError', () => {
    const data = readFileSync(
      sharedPath('pprof-testdata', 'fuzz', 'testdata', '7e3c92482f6f39fc502b822ded792c589849cca8'),
    );
    assert.throws(
      () => parseLegacy(data),
      (e: unknown) => isProfileError(e) && e.kind === 'malformed' && /line 2/.test(e.message),
    );
  });

  it('mutated corpus: 4000 seeded mutations end in a ProfileError, undefined or a well-formed Profile', function () {
    this.timeout(120000);
    const corpus = GOLDEN_INPUTS.map((n) => new Uint8Array(readFileSync(path.join(testdata(), n))));
    corpus.push(
      new Uint8Array(
        readFileSync(sharedPath('pprof-testdata', 'fuzz', 'testdata', '7e3c92482f6f39fc502b822ded792c589849cca8')),
      ),
    );
    const rand = mulberry32(0x5eed1e55);
    const pick = (n: number): number => Math.floor(rand() * n);
    const counts = { unrecognized: 0, error: 0, profile: 0 };
    for (let iter = 0; iter < 4000; iter++) {
      let data: Uint8Array = corpus[pick(corpus.length)]!;
      const rounds = 1 + pick(4);
      for (let r = 0; r < rounds; r++) data = mutate(data, pick, rand);
      const start = Date.now();
      let got: string;
      try {
        got = outcome(data);
      } catch (e) {
        throw new Error(
          `iteration ${iter}: ${(e as Error).message}\ninput (base64): ${Buffer.from(data).toString('base64')}`,
        );
      }
      counts[got as keyof typeof counts]++;
      assert.ok(Date.now() - start < 2000, `iteration ${iter} took ${Date.now() - start} ms`);
    }
    // The mutations must exercise all three outcomes, or the test proves little.
    assert.ok(counts.profile > 100 && counts.error > 100 && counts.unrecognized > 10, JSON.stringify(counts));
  });
});

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [
  '0',
  '-1',
  '99999999999999999999',
  '0x',
  '0xffffffffffffffff',
  '@',
  ':',
  '[',
  ']',
  '---',
  '#',
  '=',
  ' ',
  '\n',
];

function mutate(src: Uint8Array, pick: (n: number) => number, rand: () => number): Uint8Array {
  const d = new Uint8Array(src);
  if (d.length === 0) return new TextEncoder().encode(INTERESTING[pick(INTERESTING.length)]!);
  switch (pick(7)) {
    case 0: {
      // flip a few bytes
      const n = 1 + pick(8);
      for (let i = 0; i < n; i++) d[pick(d.length)] = pick(256);
      return d;
    }
    case 1: // truncate
      return d.subarray(0, pick(d.length));
    case 2:
    case 3: {
      // duplicate, delete or swap a line
      const lines = Buffer.from(d).toString('latin1').split('\n');
      const i = pick(lines.length);
      const r = rand();
      if (r < 0.4) lines.splice(i, 0, lines[i]!);
      else if (r < 0.8) lines.splice(i, 1);
      else {
        const j = pick(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return new Uint8Array(Buffer.from(lines.join('\n'), 'latin1'));
    }
    case 4: {
      // insert an interesting token
      const at = pick(d.length + 1);
      const tok = new TextEncoder().encode(INTERESTING[pick(INTERESTING.length)]!);
      const out = new Uint8Array(d.length + tok.length);
      out.set(d.subarray(0, at));
      out.set(tok, at);
      out.set(d.subarray(at), at + tok.length);
      return out;
    }
    case 5: {
      // change a digit
      const digits: number[] = [];
      for (let i = 0; i < d.length; i++) if (d[i]! >= 0x30 && d[i]! <= 0x39) digits.push(i);
      if (digits.length > 0) d[digits[pick(digits.length)]!] = 0x30 + pick(10);
      return d;
    }
    default: {
      // for binary inputs: set a 4-byte word to an extreme
      const at = pick(Math.max(1, d.length - 4));
      const v = [0, 1, 0xff, 0x7f][pick(4)]!;
      for (let i = 0; i < 4 && at + i < d.length; i++) d[at + i] = v;
      return d;
    }
  }
}
