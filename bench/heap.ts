/**
 * npm run bench:heap — the spine's speed on a generated 700,000-sample Go heap profile (~30 MB
 * uncompressed, bench/generate.ts generateGoHeapProfile), written to a fresh mkdtemp folder:
 *   - CLI: `pprof-lens -top` and `go tool pprof -top` on the same file, each a fresh process under
 *     /usr/bin/time (user+sys CPU seconds, peak RSS), outputs compared byte for byte, ratio printed.
 *     Targets (issue 11): ≤ 1.0 cpu-s and peak RSS ≤ 3x the uncompressed size.
 *   - Worker side (src/worker/ops.ts, in this process): load (decode + compare + filters +
 *     annotate + pack), the flame tree and top table of the default sample type, the first switch
 *     to each other sample type, and a switch back (cached). CPU milliseconds of this thread.
 * BENCH_SAMPLES (default 700000), BENCH_RUNS (default 3, median), BENCH_GO=0 skips go tool pprof
 * (about a minute of CPU and 2.5 GB), PPROF_LENS_KEEP=1 keeps the folder, BENCH_DISTINCT=1 gives
 * every sample its own stack (the stack table's worst case: nothing shared).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ProfileOps } from '../src/worker/ops';
import { generateGoHeapProfile } from './generate';

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error('dist/cli.js is missing: npm run build first');
const samples = Number(process.env.BENCH_SAMPLES ?? 700_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-bench-heap-'));
const file = path.join(dir, 'heap.pb.gz');
const raw = generateGoHeapProfile({ samples, allDistinct: process.env.BENCH_DISTINCT === '1' });
const gz = gzipSync(raw);
writeFileSync(file, gz);
const MB = 2 ** 20;
console.log(
  `profile: ${samples.toLocaleString('en-US')} samples, ${(gz.length / MB).toFixed(1)} MB gzipped, ${(raw.length / MB).toFixed(1)} MB uncompressed (${file})`,
);

interface Usage {
  cpuS: number;
  rssMB: number;
  wallS: number;
  stdout: string;
}
function timed(cmd: string, args: string[]): Usage {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M %e', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, TZ: 'UTC' },
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [u, s, m, e] = last.split(' ').map(Number);
  if (r.status !== 0 || u === undefined) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return { cpuS: u + s!, rssMB: m! / 1024, wallS: e!, stdout: r.stdout };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[][] = [];
let missed = false;
const target = (ok: boolean, what: string) => {
  if (!ok) missed = true;
  return `${what}: ${ok ? 'met' : 'NOT met'}`;
};

// CLI
const lens: Usage[] = [];
for (let i = 0; i < runs; i++) lens.push(timed('node', [cli, '-top', file]));
const cpu = median(lens.map((u) => u.cpuS));
const rss = median(lens.map((u) => u.rssMB));
const rawMB = raw.length / MB;
rows.push(['pprof-lens -top', `${cpu.toFixed(2)} cpu-s`, target(cpu <= 1.0, 'target ≤ 1.0 cpu-s')]);
rows.push([
  'pprof-lens -top peak RSS',
  `${rss.toFixed(0)} MB (${(rss / rawMB).toFixed(1)}x)`,
  target(rss <= 3 * rawMB, `target ≤ 3x ${rawMB.toFixed(0)} MB`),
]);
if (process.env.BENCH_GO !== '0' && spawnSync('go', ['version']).status === 0) {
  const go = timed('go', ['tool', 'pprof', '-symbolize=none', '-top', file]);
  const same = go.stdout === lens[0]!.stdout;
  if (!same) missed = true;
  rows.push([
    'go tool pprof -top',
    `${go.cpuS.toFixed(2)} cpu-s, ${go.rssMB.toFixed(0)} MB`,
    `pprof-lens: ${(go.cpuS / cpu).toFixed(0)}x less CPU, ${(go.rssMB / rss).toFixed(0)}x less memory; output ${same ? 'identical' : 'DIFFERS'}`,
  ]);
}

// Worker side, in this process (the worker thread runs the same code).
const cpuMs = (f: () => void) => {
  const a = process.cpuUsage();
  f();
  const d = process.cpuUsage(a);
  return (d.user + d.system) / 1000;
};
const bytes = new Uint8Array(readFileSync(file));
let ops!: ProfileOps;
let T = 0;
let def = 0;
const loadMs = cpuMs(() => {
  const r = ProfileOps.load({ bytes });
  ops = r.ops;
  T = r.packed.sampleTypes.length;
  def = r.packed.defaultIndex;
});
rows.push(['worker: load (decode, annotate, pack)', `${loadMs.toFixed(0)} ms`, '']);
const flameMs = cpuMs(() => ops.flame({ sampleIndex: def }));
rows.push(['worker: flame tree + top table, default type', `${flameMs.toFixed(0)} ms`, '']);
const firsts: number[] = [];
for (let t = 0; t < T; t++) if (t !== def) firsts.push(cpuMs(() => ops.flame({ sampleIndex: t })));
const first = Math.max(...firsts);
rows.push([
  'worker: flame, first switch to another type (max)',
  `${first.toFixed(0)} ms`,
  target(first <= 300, 'target ≤ 300 ms'),
]);
const again = cpuMs(() => ops.flame({ sampleIndex: def }));
rows.push(['worker: flame, switch back (cached)', `${again.toFixed(1)} ms`, target(again <= 50, 'target ≤ 50 ms')]);

const w = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(`${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]}`);
console.log(
  'CLI runs (user+sys s, peak RSS MB, wall s):',
  lens.map((u) => `${u.cpuS.toFixed(2)}/${u.rssMB.toFixed(0)}/${u.wallS.toFixed(2)}`).join('  '),
);
if (process.env.PPROF_LENS_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
if (missed) process.exitCode = 1;
