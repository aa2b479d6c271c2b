// npm run bench:reports: the whole-profile reports of the CLI (-traces, -tags, -raw, and three
// profiles merged into -top) against go tool pprof on the real large.cpu (20,430 samples, 500k
// stack entries) and a generated 10 MB profile; each run a fresh process under bench/rusage.py
// (wall time, peak RSS), median of BENCH_RUNS (default 3). Outputs are compared byte for byte.
// Target: no slower than 1.5x go tool pprof's wall time.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const out = join(here, 'out');
mkdirSync(out, { recursive: true });
const runs = Number(process.env.BENCH_RUNS ?? 3);
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error('dist/cli.js is missing: npm run build first');
if (spawnSync('go', ['version']).status !== 0) {
  console.log('go not found: nothing to compare with (apt-get install -y golang-go)');
  process.exit(0);
}

await esbuild.build({
  entryPoints: { generate: join(here, 'generate.ts') },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir: out,
  logLevel: 'warning',
});
const { generateProfile } = await import(join(out, 'generate.js'));
const gen = join(out, 'gen-10mb.pb.gz');
if (!existsSync(gen)) writeFileSync(gen, gzipSync(generateProfile(10 * 1024 * 1024, 10)));
const shared = [resolve(root, '..', 'shared'), '/work/shared'].find((d) => existsSync(d));
const large = shared && join(shared, 'pprof-testdata/internal/proftest/testdata/large.cpu');

function measured(cmd, args) {
  const r = spawnSync('python3', [join(here, 'rusage.py'), cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, TZ: 'UTC' },
  });
  const lines = r.stderr.trim().split('\n');
  const usage = JSON.parse(lines[lines.length - 1]);
  if (usage.rc !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return { usage, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = [];
for (const [name, file] of [
  ['large.cpu', large],
  ['generated 10 MB', gen],
]) {
  if (!file || !existsSync(file)) continue;
  cases.push({ name, report: '-traces', args: ['-traces', file] });
  cases.push({ name, report: '-tags', args: ['-tags', file] });
  cases.push({ name, report: '-raw', args: ['-raw', file] });
  cases.push({ name, report: '-top, 3 copies merged', args: ['-top', file, file, file] });
}
const rows = [];
let failed = false;
for (const c of cases) {
  const lens = [];
  const go = [];
  let same = true;
  for (let i = 0; i < runs; i++) {
    const l = measured('node', [cli, ...c.args]);
    const g = measured('go', ['tool', 'pprof', '-symbolize=none', ...c.args]);
    same &&= l.stdout === g.stdout;
    lens.push(l.usage);
    go.push(g.usage);
  }
  const lw = median(lens.map((u) => u.wallMs));
  const gw = median(go.map((u) => u.wallMs));
  const ratio = lw / gw;
  if (ratio > 1.5 || !same) failed = true;
  rows.push({
    profile: c.name,
    report: c.report,
    'lens ms': lw.toFixed(0),
    'go pprof ms': gw.toFixed(0),
    'lens / go': `${ratio.toFixed(2)}x`,
    'lens RSS MB': Math.max(...lens.map((u) => u.maxRssMB)).toFixed(0),
    'go RSS MB': Math.max(...go.map((u) => u.maxRssMB)).toFixed(0),
    'same output': same ? 'yes' : 'NO',
  });
}
console.table(rows);
if (failed) {
  console.log('target missed: an output differs or pprof-lens took more than 1.5x go tool pprof');
  process.exitCode = 1;
}
