/**
 * npm run bench:switch — a first sample-type switch in the flame panel while the worker is still
 * building trees ahead (src/worker/prewarm.ts), without code-server: the real worker process
 * (dist/worker.js, as the extension runs it) on the 700,000-sample heap profile. As the panel does:
 * load, then the command asks for the default type's first-paint and whole trees; the switch asks
 * for another type's first-paint tree (then its whole one) DELAY ms after the first tree arrived.
 * Timed: switch request → its first-paint tree in the host (what the panel paints from). The
 * worker's CPU time (/proc, user+sys) over the same span says how much of the wait was its work.
 * Target (issue 9): the switch ≤ 300 ms. BENCH_DELAYS (default "0,300,1000,2500") sets the delays.
 * Measured at load 13–14 (2 cores): the worker's CPU from switch to tree 520–1,050 ms at 0–1,000 ms
 * (a tree being built ahead, then the type's own first-paint tree), against 990–1,750 ms with the
 * session-start worker (BENCH_WORKER=<its esbuild bundle>: a type's two trees per task, the
 * inverted tree built from the samples after 1.5 s of quiet); wall 1.4–2.9 s on the loaded machine.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { WorkerClient } from '../src/vscode/profile/workerClient';
import { BenchTable, benchProfile } from './vscodeBench';

const { raw } = benchProfile();
// BENCH_WORKER=<file>: another build of the worker (an A/B of the build-ahead order).
const script = process.env.BENCH_WORKER ?? path.join(__dirname, '..', 'dist', 'worker.js');
const delays = (process.env.BENCH_DELAYS ?? '0,300,1000,2500').split(',').map(Number);
const table = new BenchTable();

/** user+sys CPU ms of the worker child process (the only node child of this process). */
function childCpu(): number {
  const pids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  let ms = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
    } catch {
      // gone
    }
  }
  return ms;
}

async function run(delay: number): Promise<void> {
  const w = new WorkerClient({ script });
  try {
    const loaded = await w.request('load', { bytes: new Uint8Array(raw) });
    const si = loaded.defaultIndex;
    const other = si === 1 ? 0 : 1;
    // The command: the first tree, then the whole one.
    const first = w.request('flame', { sampleIndex: si, firstPaint: true });
    const whole = w.request('flame', { sampleIndex: si });
    await first;
    await new Promise((r) => setTimeout(r, delay));
    const c0 = childCpu();
    const t0 = performance.now();
    const sw = w.request('flame', { sampleIndex: other, firstPaint: true });
    const swWhole = w.request('flame', { sampleIndex: other });
    await sw;
    const ms = performance.now() - t0;
    const cpu = childCpu() - c0;
    table.row(`switch ${delay} ms after the first tree: request → first-paint tree`, ms, 300);
    table.note('  the worker’s CPU meanwhile', `${cpu.toFixed(0)} ms`);
    await Promise.all([whole, swWhole]);
  } finally {
    w.terminate();
  }
}

async function main(): Promise<void> {
  for (const d of delays) await run(d);
  table.print();
  console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
