/**
 * npm run bench:views — filters and compare on the 700,000-sample Go heap profile (bench/generate.ts,
 * ~32 MB uncompressed), as the extension host asks for them: through the real worker (dist/worker.js,
 * a child process, as ProfileService runs it), from the request to the packed per-line columns the
 * editor's overlays are drawn from, in the host:
 *   - before: a filter re-loaded the profile in a new worker (decode + filter + annotate);
 *   - now: the loaded worker's `view` op (filter + annotate, nothing decoded again), undo with
 *     `useView` (the unfiltered view is kept), and compare with a base (only the base decoded);
 * with the worker's CPU time (its /proc stat, user + sys) beside the wall clock, its peak RSS after the
 * compare (and the new worker's after its load with a base), and the load average.
 * Each step starts when the worker is idle (as when a user acts on a drawn panel): the flame trees
 * it builds ahead after a load or a view are not counted in the next step.
 * BENCH_SAMPLES changes the profile size.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { exactName } from '../src/core/transforms';
import { WorkerClient } from '../src/vscode/profile/workerClient';
import type { FilterOptions } from '../src/worker/protocol';
import { generateGoHeapProfile } from './generate';
import { benchProfile } from './vscodeBench';

const TARGET_MS = 1000;
const script = path.join(__dirname, '..', 'dist', 'worker.js');
const { file, samples } = benchProfile();
const bytes = () => new Uint8Array(readFileSync(file));

/** CPU seconds (user + sys) a process has used so far, from /proc (Linux), in ms; NaN elsewhere. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** A process's peak resident memory so far (VmHWM, /proc), in MB; NaN elsewhere. */
function peakMbOf(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The newest child process of this one: the worker just forked. */
function newestChild(): number | undefined {
  try {
    const kids = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/);
    return Number(kids[kids.length - 1]);
  } catch {
    return undefined;
  }
}

/** Waits until the worker is idle (its CPU time still for 600 ms): the flame trees it builds ahead are done. */
async function settle(pid: number | undefined): Promise<void> {
  for (let last = cpuMsOf(pid), k = 0; k < 120; k++) {
    await new Promise((r) => setTimeout(r, 600));
    const now = cpuMsOf(pid);
    if (!(now - last > 20)) return;
    last = now;
  }
}

const rows: [string, number, number, number | undefined][] = [];
async function measure<T>(what: string, pid: () => number | undefined, f: () => Promise<T>, target?: number) {
  await settle(pid());
  const c0 = cpuMsOf(pid());
  const t0 = performance.now();
  const r = await f();
  const ms = performance.now() - t0;
  rows.push([what, ms, cpuMsOf(pid()) - c0, target]);
  return r;
}

async function main(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const c = new WorkerClient({ script });
  const pid = newestChild();
  const worker = () => pid;
  try {
    const loaded = await measure('open: load (decode + annotate)', worker, () => c.request('load', { bytes: bytes() }));
    const si = loaded.defaultIndex;
    const top = await c.request('top', { sampleIndex: si, limit: 60 });
    // The heaviest function (a focus that keeps every sample) and one from the table's middle.
    const cases: [string, FilterOptions][] = [
      [`focus=${top.rows[0]!.name}`, { focus: exactName(top.rows[0]!.name) }],
      [`focus=${top.rows[40]!.name}`, { focus: exactName(top.rows[40]!.name) }],
      [`ignore=${top.rows[40]!.name}`, { ignore: exactName(top.rows[40]!.name) }],
      ['hide=^runtime\\.', { hide: '^runtime\\.' }],
    ];
    const plainId = loaded.view!.id!;
    for (const [name, filters] of cases) {
      const v = await measure(
        `${name}: view op → columns in the host`,
        worker,
        () => c.request('view', { filters }),
        TARGET_MS,
      );
      console.log(`  ${name}: ${v.lineNo.length} lines of ${loaded.lineNo.length}`);
      await measure(
        `${name}: undo (useView of the unfiltered view)`,
        worker,
        () => c.request('useView', { id: plainId }),
        TARGET_MS,
      );
    }
    // Compare with a base: another snapshot of the same program (another seed).
    const baseBytes = gzipSync(generateGoHeapProfile({ samples, seed: 8 }));
    const d = await measure(
      'compare with a base (-base): view op, only the base decoded',
      worker,
      () => c.request('view', { base: { bytes: baseBytes, name: 'base.pb.gz', mode: 'base' } }),
      TARGET_MS * 3,
    );
    await measure('clear the base: useView', worker, () => c.request('useView', { id: plainId }), TARGET_MS);
    console.log(`  compared: ${d.lineNo.length} lines; the worker's peak RSS so far ${peakMbOf(pid).toFixed(0)} MB`);

    // Before: every filter re-loaded the profile in a worker of its own.
    const old = new WorkerClient({ script });
    const oldPid = newestChild();
    try {
      await measure(
        `before: ${cases[1]![0]} as a new worker's load (decode + filter + annotate)`,
        () => oldPid,
        () => old.request('load', { bytes: bytes(), filters: cases[1]![1] }),
      );
      await measure(
        "before: compare as a new worker's load (decode both + compare + annotate)",
        () => oldPid,
        () => old.request('load', { bytes: bytes(), base: { bytes: baseBytes, name: 'base.pb.gz', mode: 'base' } }),
      );
      console.log(`  a new worker's load with a base: its peak RSS ${peakMbOf(oldPid).toFixed(0)} MB`);
    } finally {
      old.terminate();
    }
  } finally {
    c.terminate();
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [what, ms, cpu, target] of rows)
    console.log(
      `${what.padEnd(w)}  ${ms.toFixed(0).padStart(6)} ms  worker CPU ${cpu.toFixed(0).padStart(5)} ms${target ? `  target < ${target} ms: ${ms < target ? 'met' : 'NOT met'}` : ''}`,
    );
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
