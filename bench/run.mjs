// npm run bench: decode + aggregate time and peak memory of pprof-lens against `go tool pprof -top`
// on profiles of about 1, 10 and 50 MB uncompressed (generated, deterministic) and on the real
// large.cpu from google/pprof's testdata. Each measurement runs in a fresh process under
// bench/rusage.py (wall time, peak RSS). Targets: >= 2x faster than go tool pprof -top at 50 MB,
// peak memory < 4x the uncompressed size.
import * as esbuild from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const out = join(here, 'out');
mkdirSync(out, { recursive: true });
const runs = Number(process.env.BENCH_RUNS ?? 3);
const sizes = (process.env.BENCH_SIZES ?? '1,10,50').split(',').map(Number);

await esbuild.build({
  entryPoints: { measure: join(here, 'measure.ts'), generate: join(here, 'generate.ts') },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outdir: out,
  logLevel: 'warning',
});
const { generateProfile } = await import(join(out, 'generate.js'));

const hasGo = spawnSync('go', ['version']).status === 0;
if (!hasGo) console.log('go not found: the go tool pprof comparison is skipped (apt-get install -y golang-go)');

function measured(cmd, args) {
  const r = spawnSync('python3', [join(here, 'rusage.py'), cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const lines = r.stderr.trim().split('\n');
  const usage = JSON.parse(lines[lines.length - 1]);
  if (usage.rc !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return { usage, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const inputs = [];
for (const mb of sizes) {
  const file = join(out, `gen-${mb}mb.pb.gz`);
  if (!existsSync(file)) {
    const raw = generateProfile(mb * 1024 * 1024, mb);
    writeFileSync(file, gzipSync(raw));
  }
  inputs.push({ name: `generated ${mb} MB`, file });
}
const shared = [resolve(root, '..', 'shared'), '/work/shared'].find((d) => existsSync(d));
const large = shared && join(shared, 'pprof-testdata/internal/proftest/testdata/large.cpu');
if (large && existsSync(large)) inputs.push({ name: 'large.cpu (real)', file: large });

const rows = [];
for (const { name, file } of inputs) {
  const rawMB = execFileSync('bash', ['-c', `gzip -dc '${file}' | wc -c`], { encoding: 'utf8' }) / 2 ** 20;
  const lens = [];
  const go = [];
  let stages;
  for (let i = 0; i < runs; i++) {
    const m = measured('node', [join(out, 'measure.js'), file]);
    stages = JSON.parse(m.stdout);
    lens.push({ ...m.usage, ...stages });
    if (hasGo) go.push(measured('go', ['tool', 'pprof', '-top', '-symbolize=none', file]).usage);
  }
  const lensWall = median(lens.map((r) => r.wallMs));
  const lensWork = median(lens.map((r) => r.decodeMs + r.topMs));
  const lensRss = Math.max(...lens.map((r) => r.maxRssMB));
  const goWall = hasGo ? median(go.map((r) => r.wallMs)) : NaN;
  const goRss = hasGo ? Math.max(...go.map((r) => r.maxRssMB)) : NaN;
  rows.push({
    profile: name,
    'raw MB': rawMB.toFixed(1),
    samples: stages.samples,
    'decode ms': median(lens.map((r) => r.decodeMs)).toFixed(0),
    'top ms': median(lens.map((r) => r.topMs)).toFixed(0),
    'annotate ms': median(lens.map((r) => r.annotateMs)).toFixed(0),
    'lens process ms': lensWall.toFixed(0),
    'go pprof -top ms': hasGo ? goWall.toFixed(0) : 'n/a',
    'speedup (process)': hasGo ? `${(goWall / lensWall).toFixed(1)}x` : 'n/a',
    'lens peak RSS MB': lensRss.toFixed(0),
    'RSS / raw size': `${(lensRss / rawMB).toFixed(1)}x`,
    'go peak RSS MB': hasGo ? goRss.toFixed(0) : 'n/a',
    'decode+top ms': lensWork.toFixed(0),
  });
}
console.table(rows);
writeFileSync(join(out, 'results.json'), JSON.stringify(rows, null, 2));
const at50 = rows.find((r) => r.profile === 'generated 50 MB');
if (at50) {
  console.log(
    `50 MB: pprof-lens ${at50['lens process ms']} ms vs go tool pprof -top ${at50['go pprof -top ms']} ms (${at50['speedup (process)']}, target >= 2x); peak RSS ${at50['lens peak RSS MB']} MB = ${at50['RSS / raw size']} the raw size (target < 4x)`,
  );
}
