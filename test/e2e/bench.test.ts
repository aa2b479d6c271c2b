/**
 * End to end, without VS Code: what the benchmark CodeLens runs. The lenses' benchmarks are found
 * in the fixture's work_test.go (core/bench findBenchmarks), `go test` runs with the exact argv the
 * task gets (benchArgs) in the package directory with the go binary the extension would pick
 * (resolveGoBinary), and the written profile, opened like the extension does (the decode worker's
 * load path), puts the cost on the line that does the work: CPU, memory, block and mutex.
 *
 * Skipped, with a message, only when no go binary is found.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  benchArgs,
  benchProfileFileName,
  findBenchmarks,
  resolveGoBinary,
  type BenchProfileKind,
} from '../../src/core/bench';
import { timestamp } from '../../src/core/capture';
import { ProfileOps } from '../../src/worker/ops';
import type { PackedAnnotations } from '../../src/worker/protocol';

const fixture = path.resolve(__dirname, '../integration/bench/fixture');
const workGo = readFileSync(path.join(fixture, 'work.go'), 'utf8').split('\n');
const lineOf = (marker: string) => workGo.findIndex((l) => l.includes(marker)) + 1;

const goBin = resolveGoBinary({
  pathEnv: process.env.PATH ?? '',
  isFile: (p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
});

function lineCosts(a: PackedAnnotations, file: string, t: number): Map<number, { flat: number; cum: number }> {
  const f = a.files.findIndex((x) => x.endsWith(`/${file}`));
  const out = new Map<number, { flat: number; cum: number }>();
  if (f < 0) return out;
  const T = a.sampleTypes.length;
  for (let i = a.fileLineStart[f]!; i < a.fileLineStart[f + 1]!; i++)
    out.set(a.lineNo[i]!, { flat: a.lineFlat[i * T + t]!, cum: a.lineCum[i * T + t]! });
  return out;
}

describe('e2e: profiling a benchmark as the CodeLens does', function () {
  this.timeout(240_000);
  let out = '';

  before(function () {
    if (!goBin) {
      process.stdout.write(
        '      SKIPPED: no go binary found on PATH (install Go; .ci/run does) — the benchmark e2e tests need one.\n',
      );
      this.skip();
    }
    out = mkdtempSync(path.join(tmpdir(), 'pprof-lens-bench-'));
  });
  after(() => {
    if (out && existsSync(out)) rmSync(out, { recursive: true, force: true });
  });

  it('finds the lenses’ benchmarks in the fixture', () => {
    const found = findBenchmarks(readFileSync(path.join(fixture, 'work_test.go'), 'utf8'));
    assert.deepEqual(
      found.map((b) => b.name),
      ['BenchmarkChecksum', 'BenchmarkBuild', 'BenchmarkContend'],
    );
  });

  const cases: { kind: BenchProfileKind; bench: string; benchtime: string; type: string; marker: string }[] = [
    { kind: 'cpu', bench: 'BenchmarkChecksum', benchtime: '1s', type: 'cpu', marker: 'CPU-LINE' },
    { kind: 'mem', bench: 'BenchmarkBuild', benchtime: '2000x', type: 'alloc_space', marker: 'ALLOC-LINE' },
    { kind: 'mutex', bench: 'BenchmarkContend', benchtime: '200x', type: 'delay', marker: 'LOCK-LINE' },
    { kind: 'block', bench: 'BenchmarkContend', benchtime: '200x', type: 'delay', marker: 'LOCK-LINE' },
  ];
  for (const c of cases) {
    it(`profile ${c.kind}: ${c.bench} → a profile whose overlays put the cost on the ${c.marker}`, function () {
      const file = path.join(out, benchProfileFileName(c.bench, c.kind, timestamp(new Date())));
      const args = benchArgs(c.bench, c.kind, file, {
        benchtime: c.benchtime,
        testBinary: path.join(out, 'fixture.test'),
      });
      const t0 = Date.now();
      const r = spawnSync(goBin!.path, args, {
        cwd: fixture,
        encoding: 'utf8',
        env: { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off' },
      });
      const ms = Date.now() - t0;
      assert.equal(r.status, 0, `go ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, new RegExp(`${c.bench}\\S*\\s+\\d+`), 'the benchmark ran');
      assert.ok(existsSync(file), 'the profile was written');
      assert.ok(!existsSync(path.join(fixture, 'benchfixture.test')), 'no test binary left in the package');
      const { packed } = ProfileOps.load({ bytes: new Uint8Array(readFileSync(file)) });
      const t = packed.sampleTypes.findIndex((s) => s.type === c.type);
      assert.ok(t >= 0, `sample types ${packed.sampleTypes.map((s) => s.type).join(',')}`);
      const lines = lineCosts(packed, 'work.go', t);
      const want = lineOf(c.marker);
      const hot = [...lines.entries()].sort((a, b) => b[1].flat - a[1].flat || b[1].cum - a[1].cum)[0];
      process.stdout.write(
        `      · go test ${c.kind} in ${ms} ms; hottest work.go line ${hot?.[0]} (${c.type} flat ${hot?.[1].flat}, cum ${hot?.[1].cum}); want ${want}\n`,
      );
      if (c.kind === 'mutex' || c.kind === 'block') {
        // Contention is charged to the Lock/Unlock call sites: the worker closure's lines.
        assert.ok(
          (lines.get(want)?.cum ?? 0) > 0 || (lines.get(want + 2)?.cum ?? 0) > 0,
          `no ${c.type} on lines ${want}/${want + 2}`,
        );
      } else {
        assert.equal(hot?.[0], want);
        assert.ok(hot![1].flat > 0);
      }
    });
  }
});
