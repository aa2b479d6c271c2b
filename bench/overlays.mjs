// npm run bench:overlays: time from "open profile" to "decorations computed" for a ~10 MB profile
// through the extension's worker path, without VS Code: read the file, transfer it to the decode
// worker (dist-style bundle of src/worker/main.ts), decode + annotate there, transfer the packed
// annotations back, then compute the overlays of the hottest file (core/lineView, what decorations.ts places).
// Also measures how long the host's event loop was blocked meanwhile (it should stay near 0).
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
mkdirSync(out, { recursive: true });
const runs = Number(process.env.BENCH_RUNS ?? 5);
const mb = Number(process.env.BENCH_MB ?? 10);
// BENCH_ISOLATION=thread measures a worker thread instead of the child process the extension uses.
const isolation = process.env.BENCH_ISOLATION === 'thread' ? 'thread' : 'process';

await esbuild.build({
  entryPoints: {
    'overlays-worker': join(here, '..', 'src/worker/main.ts'),
    'overlays-host': join(here, '..', 'src/vscode/profile/workerClient.ts'),
    'overlays-lineview': join(here, '..', 'src/core/lineView.ts'),
    generate: join(here, 'generate.ts'),
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir: out,
  logLevel: 'warning',
});
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
const { WorkerClient } = require(join(out, 'overlays-host.js'));
const { overlays } = require(join(out, 'overlays-lineview.js'));
const { generateProfile } = require(join(out, 'generate.js'));

const file = process.argv[2] ?? join(out, `gen-${mb}mb.pb.gz`);
if (!existsSync(file)) writeFileSync(file, gzipSync(generateProfile(mb * 1024 * 1024, mb)));
const rawBytes = gunzipSync(readFileSync(file)).length;
console.log(
  `profile: ${file} (${(statSync(file).size / 2 ** 20).toFixed(1)} MB gzipped, ${(rawBytes / 2 ** 20).toFixed(1)} MB raw)`,
);

const { monitorEventLoopDelay } = await import('node:perf_hooks');
const { readFile } = await import('node:fs/promises');

async function once() {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const client = new WorkerClient({ script: join(out, 'overlays-worker.js'), isolation });
  const bytes = new Uint8Array(await readFile(file));
  const t1 = performance.now();
  const a = await client.request('load', { bytes }, { transfer: [bytes.buffer] });
  const t2 = performance.now();
  // The hottest file's overlays, as decorations.ts asks core/lineView for an editor.
  const T = a.sampleTypes.length;
  const t = a.defaultIndex;
  let best = 0;
  let bestCost = -1;
  for (let f = 0; f < a.files.length; f++) {
    let c = 0;
    for (let i = a.fileLineStart[f]; i < a.fileLineStart[f + 1]; i++) c += a.lineFlat[i * T + t];
    if (c > bestCost) [best, bestCost] = [f, c];
  }
  const lines = [];
  for (let i = a.fileLineStart[best]; i < a.fileLineStart[best + 1]; i++)
    lines.push({ line: a.lineNo[i], flat: a.lineFlat[i * T + t], cum: a.lineCum[i * T + t] });
  const labels = overlays(lines, Number.MAX_SAFE_INTEGER, () => '\tx := f()', a.sampleTypes[t].unit, a.totals[t], {
    show: 'both',
    percentages: false,
    heatMetric: 'auto',
    minLinePercent: 0,
    compact: false,
    compare: false,
    tabSize: 4,
  });
  const t3 = performance.now();
  h.disable();
  client.terminate();
  return {
    totalMs: t3 - t0,
    readMs: t1 - t0,
    workerMs: t2 - t1,
    labelsMs: t3 - t2,
    decodeMs: a.summary.decodeMs,
    annotateMs: a.summary.annotateMs,
    maxBlockedMs: h.max / 1e6,
    files: a.files.length,
    lines: a.lineNo.length,
    fileLines: labels.length,
  };
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
const med = (k) => [...results.map((r) => r[k])].sort((x, y) => x - y)[Math.floor(results.length / 2)];
const f = (v) => v.toFixed(0).padStart(6);
console.log(
  `runs: ${runs}; worker isolation: ${isolation}; ${results[0].files} files, ${results[0].lines} sampled lines; hottest file ${results[0].fileLines} decorated lines`,
);
console.log('median ms:  total   read  worker(decode annotate)  labels   host event loop max blocked');
console.log(
  `          ${f(med('totalMs'))} ${f(med('readMs'))} ${f(med('workerMs'))} (${f(med('decodeMs'))} ${f(med('annotateMs'))}) ${f(med('labelsMs'))}   ${med('maxBlockedMs').toFixed(1)} ms`,
);
writeFileSync(join(out, 'overlays.json'), JSON.stringify({ file, rawBytes, runs: results }, null, 2));
