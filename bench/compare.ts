/**
 * npm run bench:compare — core/diff compareProfiles (pprof's -base / -diff_base merge) on the
 * 700,000-sample Go heap profile (bench/generate.ts) against another snapshot of the same program
 * (seed 8, BENCH_BASE_SAMPLES samples, default as many), both decoded first: the CPU time of the
 * compare alone (best of BENCH_RUNS), the heap and array buffers it leaves (result and garbage not
 * yet collected), and the process's peak RSS after the decodes and after the compares, with the
 * load average. BENCH_SAMPLES changes the profile size.
 */
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { parseProfile } from '../src/core/decode';
import { compareProfiles, type CompareMode } from '../src/core/diff';
import type { Profile } from '../src/core/model';
import { generateGoHeapProfile } from './generate';
import { benchProfile } from './vscodeBench';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function cpuMs(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function main(): void {
  console.log(`load average ${load()}`);
  const { raw, samples } = benchProfile();
  const baseSamples = Number(process.env.BENCH_BASE_SAMPLES ?? samples);
  const current = parseProfile(raw);
  const base = parseProfile(gzipSync(generateGoHeapProfile({ samples: baseSamples, seed: 8 })));
  const peak = () => `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
  console.log(
    `current ${current.samples.count} samples, base ${base.samples.count} samples (${base.locations.length} locations); decoded: ${peak()}`,
  );
  for (const mode of ['base', 'diff_base'] as CompareMode[]) {
    let best = Infinity;
    let out: Profile | undefined;
    for (let r = 0; r < runs; r++) {
      out = undefined;
      gc();
      const before = process.memoryUsage();
      const ms = cpuMs(() => {
        out = compareProfiles(current, base, mode);
      });
      const after = process.memoryUsage();
      best = Math.min(best, ms);
      console.log(
        `  -${mode} run ${r + 1}: ${ms.toFixed(0)} cpu-ms, heap +${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(0)} MB, array buffers +${((after.arrayBuffers - before.arrayBuffers) / 2 ** 20).toFixed(0)} MB  (load ${load()})`,
      );
    }
    console.log(
      `-${mode}: best ${best.toFixed(0)} cpu-ms of ${runs}; ${out!.samples.count} samples, ${out!.locations.length} locations, ${out!.functions.length} functions; ${peak()}`,
    );
  }
  console.log(`load average ${load()}`);
}

main();
