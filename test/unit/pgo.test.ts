/**
 * "Export as default.pgo" (src/core/pgo.ts) on three real CPU profiles of one program
 * (test/fixtures/pgo, scripts/gen-insight-fixtures.sh): the merge must hold the samples
 * `go tool pprof -proto cpu1 cpu2 cpu3 > merged.pgo` holds (both decoded, compared sample by
 * sample), and the call edges must be those of pprof's -raw output of that file, counted by an
 * independent reading of the text. Go 1.19 has no `go build -pgo` (1.21+): the build check runs only
 * when the go on PATH is 1.21 or newer, and otherwise the test says so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from '../../src/cli';
import { parseProfile } from '../../src/core/decode';
import { encodeProfile } from '../../src/core/encode';
import { isProfileError } from '../../src/core/errors';
import { sampleLocs, type Profile } from '../../src/core/model';
import {
  declaresPackageMain,
  hotCallSites,
  isPgoProfile,
  mergeForPgo,
  missingStartLines,
  profileSampleTypes,
} from '../../src/core/pgo';

const fix = path.resolve(__dirname, '..', 'fixtures', 'pgo');
const cpus = ['cpu1.pb.gz', 'cpu2.pb.gz', 'cpu3.pb.gz'].map((n) => path.join(fix, 'profiles', n));
const goldenPgo = path.join(fix, 'golden', 'merged.pgo');
const load = (f: string): Profile => parseProfile(readFileSync(f));

/** Samples as "v1 v2 | fn file:line <- …" (leaf first), with their multiplicity. */
function sampleSet(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  const T = p.sampleTypes.length;
  for (let s = 0; s < p.samples.count; s++) {
    const vals = [...p.samples.values.subarray(s * T, s * T + T)].join(' ');
    const frames: string[] = [];
    for (const loc of sampleLocs(p.samples, s))
      for (const ln of p.locations[loc]!.lines) {
        const f = p.functions[ln.func]!;
        frames.push(`${f.name} ${f.file}:${ln.line}`);
      }
    const key = `${vals} | ${frames.join(' <- ')}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Call edges from pprof's -raw text: "caller>callee@line" -> samples/count, once per sample. */
function rawEdges(text: string): Map<string, number> {
  const lines = text.split('\n');
  const locs = new Map<number, { fn: string; line: number }[]>();
  const li = lines.indexOf('Locations');
  for (let i = li + 1; i < lines.length && lines[i] !== 'Mappings'; i++) {
    const m = /^\s+(\d+): 0x[0-9a-f]+ M=\d+ (\S+) \S+:(\d+) s=\d+$/.exec(lines[i]!);
    const c = /^\s+(\S+) \S+:(\d+) s=\d+$/.exec(lines[i]!);
    if (m) locs.set(Number(m[1]), [{ fn: m[2]!, line: Number(m[3]) }]);
    else if (c) [...locs.values()].pop()!.push({ fn: c[1]!, line: Number(c[2]) });
  }
  const out = new Map<string, number>();
  for (let i = lines.indexOf('Samples:') + 2; i < li; i++) {
    const m = /^\s+(\d+)\s+\d+: ([\d ]+)$/.exec(lines[i]!);
    if (!m) continue;
    const ids = m[2]!.trim().split(' ').map(Number);
    const frames = ids.flatMap((id) => locs.get(id)!.map((f, j) => ({ ...f, node: `${id}:${j}` })));
    const seen = new Set<string>();
    for (let k = 0; k + 1 < frames.length; k++) {
      const callee = frames[k]!;
      const caller = frames[k + 1]!;
      const pair = `${caller.node}>${callee.node}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      const key = `${caller.fn}>${callee.fn}@${caller.line}`;
      out.set(key, (out.get(key) ?? 0) + Number(m[1]));
    }
  }
  return out;
}

describe('PGO: merging CPU profiles into default.pgo and its hot call sites (core/pgo)', () => {
  const merged = mergeForPgo(cpus.map(load));

  it('the merge holds the samples of go tool pprof -proto cpu1 cpu2 cpu3', () => {
    const want = load(goldenPgo);
    assert.deepEqual(merged.sampleTypes, want.sampleTypes);
    assert.equal(merged.period, want.period);
    assert.deepEqual(sampleSet(merged), sampleSet(want));
    // And the encoded file decodes to the same samples (what default.pgo will hold).
    assert.deepEqual(sampleSet(parseProfile(gzipSync(encodeProfile(merged)))), sampleSet(want));
  });

  it('writes what the CLI -proto of the same three profiles writes, byte for byte', () => {
    let out: Uint8Array | undefined;
    const code = run(
      ['-proto', ...cpus],
      () => undefined,
      () => undefined,
      { outBytes: (b: Uint8Array) => (out = b) },
    );
    assert.equal(code, 0);
    assert.ok(out);
    assert.deepEqual(Buffer.from(gzipSync(encodeProfile(merged))), Buffer.from(out));
  });

  it('call edges: the weights an independent reading of pprof -raw gives, hot ones covering > 99 %', () => {
    const h = hotCallSites(merged);
    assert.equal(h.sampleType, 'samples');
    const want = rawEdges(readFileSync(path.join(fix, 'golden', 'merged.raw.txt'), 'utf8'));
    // Go 1.19 writes no start lines: the offset is the line itself.
    const got = new Map(h.edges.map((e) => [`${e.caller}>${e.callee}@${e.line}`, e.weight]));
    assert.deepEqual(got, want);
    const total = [...want.values()].reduce((a, b) => a + b, 0);
    assert.equal(h.totalWeight, total);
    const hot = h.edges.slice(0, h.hotCount);
    const cum = hot.reduce((s, e) => s + e.weight, 0);
    assert.ok(cum / total > 0.99, 'the hot prefix covers more than 99 %');
    assert.ok((cum - hot[hot.length - 1]!.weight) / total <= 0.99, 'and is the shortest such prefix');
    for (let i = 1; i < h.edges.length; i++) assert.ok(h.edges[i - 1]!.weight >= h.edges[i]!.weight);
    const names = hot.map((e) => `${e.caller}>${e.callee}`);
    for (const want of ['main.main>main.summarize', 'main.summarize>main.tally', 'main.tally>main.hash'])
      assert.ok(names.includes(want), want);
  });

  it('says the profiles lack start lines (written by Go 1.19: go build -pgo of 1.21+ refuses them)', () => {
    const m = missingStartLines(merged);
    assert.ok(m.count > 0);
    assert.ok(m.examples.includes('main.hash'));
  });

  it('refuses a heap profile, in words', () => {
    const heap = load(path.resolve(__dirname, '..', 'fixtures', 'legacy', 'profiles', 'heap.txt'));
    assert.throws(
      () => mergeForPgo([load(cpus[0]!), heap]),
      (e: unknown) => isProfileError(e) && /PGO needs CPU profiles/.test(e.message),
    );
  });

  it('go build -pgo accepts the merged profile (needs Go 1.21+)', function () {
    const v = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
    const m = /^go1\.(\d+)/.exec(v.stdout ?? '');
    if (!m || Number(m[1]) < 21) {
      // Go 1.19 (the reference toolchain here) has no -pgo flag.
      this.skip();
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-pgo-'));
    try {
      cpSync(path.join(fix, 'go'), dir, { recursive: true });
      writeFileSync(path.join(dir, 'default.pgo'), gzipSync(encodeProfile(merged)));
      const b = spawnSync('go', ['build', '-pgo=auto', '-o', path.join(dir, 'bin'), '.'], {
        cwd: dir,
        encoding: 'utf8',
      });
      // Profiles written by Go < 1.20 have no start lines, which the compiler refuses with this message.
      if (b.status !== 0) assert.match(b.stderr, /start_line/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PGO: finding the main package (declaresPackageMain)', () => {
  it('reads the package clause after comments and build constraints', () => {
    assert.ok(declaresPackageMain(readFileSync(path.join(fix, 'go', 'main.go'), 'utf8')));
    assert.ok(declaresPackageMain('//go:build linux\n\n/* doc */\n// Command x.\npackage main\n'));
    assert.ok(declaresPackageMain('\uFEFFpackage main // x\n'));
    assert.ok(!declaresPackageMain('package mainly\n'));
    assert.ok(!declaresPackageMain('// package main\npackage lib\n'));
    assert.ok(!declaresPackageMain('/* package main'));
  });
});

describe('pgo: the export picker lists CPU profiles only', () => {
  const profiles = path.resolve(__dirname, '..', 'fixtures', 'profiles');
  const all = [
    ...cpus,
    ...[
      'cpu.pb.gz',
      'heap.pb.gz',
      'allocs.pb.gz',
      'goroutine.pb.gz',
      'block.pb.gz',
      'mutex.pb.gz',
      'threadcreate.pb.gz',
      'heap_legacy.txt',
      'goroutine.txt',
    ].map((n) => path.join(profiles, n)),
  ];
  for (const f of all) {
    it(`${path.basename(f)}: the sample types without decoding the samples, as the decoder reads them`, () => {
      const bytes = readFileSync(f);
      const want = parseProfile(bytes).sampleTypes.map((t) => ({ type: t.type, unit: t.unit }));
      assert.deepEqual(profileSampleTypes(bytes), want);
      assert.equal(isPgoProfile(want), /cpu/.test(path.basename(f)), 'only CPU profiles are offered');
    });
  }
  it('a file that is no profile throws (the picker leaves it out)', () => {
    assert.throws(() => profileSampleTypes(new TextEncoder().encode('hello, not a profile')));
  });
});
