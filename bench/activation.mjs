// npm run bench:activation: what pprof-lens costs a Go developer who has not opened a profile.
// onLanguage:go activates it for every Go file, so this measures, in fresh Node processes (cold
// module cache, like a new extension host), the extension's own part of VS Code's activation time:
// loading dist/extension.js (the shipped bundle) and calling activate(), against a stand-in 'vscode'
// module whose every API returns at once. Also: the heap the extension keeps after activation
// (after GC) and that no worker thread and no child process is started until a profile opens.
// Target: activation < 20 ms (median wall time, or CPU time when the machine is busy); zero workers.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bundle = process.env.BENCH_BUNDLE ?? join(root, 'dist/extension.js');
if (!existsSync(bundle)) {
  console.error('bench:activation: dist/extension.js is missing; run npm run build (or npm run package) first.');
  process.exit(1);
}
const runs = Number(process.env.BENCH_RUNS ?? 15);

// The child: a 'vscode' stand-in, counters on Worker and child_process, then load + activate.
const child = String.raw`
const Module = require('node:module');
const wt = require('node:worker_threads');
const cp = require('node:child_process');
let workers = 0, processes = 0;
const RealWorker = wt.Worker;
wt.Worker = class extends RealWorker { constructor(...a) { workers++; super(...a); } };
for (const k of ['spawn', 'execFile', 'exec', 'fork']) { const f = cp[k]; cp[k] = (...a) => { processes++; return f(...a); }; }
const any = new Proxy(function () {}, {
  get: (t, k) => (k === Symbol.toPrimitive ? () => '' : k === 'then' || k === Symbol.iterator ? undefined : any),
  apply: () => any,
  construct: () => any,
  set: () => true,
});
// esbuild's interop copies the module's own keys: the names the bundle uses (vscodeN.Name).
const names = [...new Set([...require('node:fs').readFileSync(process.argv[1], 'utf8').matchAll(/\bvscode\d*\.(\w+)/g)].map(m => m[1]))];
const api = new Proxy({}, {
  get: () => any,
  ownKeys: () => names,
  getOwnPropertyDescriptor: () => ({ configurable: true, enumerable: true, writable: true, value: any }),
});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? api : load.call(this, request, ...rest); };
// The extension host has Node's built-in modules loaded already (its own http/https/crypto/…):
// load the ones the bundle requires first, so the time below is the extension's own.
for (const m of new Set([...require('node:fs').readFileSync(process.argv[1], 'utf8').matchAll(/require\("(node:[\w/]+)"\)/g)].map(m => m[1]))) require(m);
global.gc(); global.gc();
const heap0 = process.memoryUsage().heapUsed;
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const ext = require(process.argv[1]);
const t1 = process.hrtime.bigint();
const subs = [];
ext.activate({ subscriptions: subs, extensionUri: any, workspaceState: { get: () => undefined, update: async () => {} }, globalState: any, secrets: any, globalStorageUri: any, storageUri: any, extensionPath: '', asAbsolutePath: p => p });
const t2 = process.hrtime.bigint();
const c1 = process.cpuUsage(c0);
setTimeout(() => {
  global.gc(); global.gc();
  const heap1 = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ loadMs: Number(t1 - t0) / 1e6, activateMs: Number(t2 - t1) / 1e6, cpuMs: (c1.user + c1.system) / 1000, heapKB: (heap1 - heap0) / 1024, workers, processes }));
  process.exit(0);
}, 300);
`;
const results = [];
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', child, bundle], {
    encoding: 'utf8',
    env: { ...process.env, PPROF_LENS_OPEN: '' },
  });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  results.push(JSON.parse(r.stdout));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p = (k) => median(results.map((r) => r[k]));
const total = median(results.map((r) => r.loadMs + r.activateMs));
const summary = {
  runs,
  bundleKB: Math.round(Number((await import('node:fs')).statSync(bundle).size) / 1024),
  loadMs: +p('loadMs').toFixed(2),
  activateMs: +p('activateMs').toFixed(2),
  totalMs: +total.toFixed(2),
  cpuMs: +p('cpuMs').toFixed(2),
  loadAverage: (await import('node:os')).loadavg()[0],
  heapKB: Math.round(p('heapKB')),
  workers: Math.max(...results.map((r) => r.workers)),
  processes: Math.max(...results.map((r) => r.processes)),
};
console.log('pprof-lens activation with no profile open (median of fresh processes):');
console.log(
  `  dist/extension.js ${summary.bundleKB} KB: load ${summary.loadMs} ms + activate() ${summary.activateMs} ms = ${summary.totalMs} ms (target < 20 ms)`,
);
console.log(
  `  CPU time of load + activate(): ${summary.cpuMs} ms (wall time suffers on a busy machine: load average ${summary.loadAverage.toFixed(1)})`,
);
console.log(
  `  heap kept after activation: ${summary.heapKB} KB; worker threads started: ${summary.workers}; child processes: ${summary.processes}`,
);
mkdirSync(join(here, 'out'), { recursive: true });
writeFileSync(join(here, 'out/activation.json'), JSON.stringify(summary, null, 2));
if (Math.min(summary.totalMs, summary.cpuMs) >= 20 || summary.workers > 0 || summary.processes > 0) {
  console.log('  FAIL: over target');
  process.exitCode = 1;
}
