// npm run bench:legacy: the legacy text readers on large and hostile inputs, each through the
// CLI (`top`) in a fresh process under /usr/bin/time. The targets are on CPU time (user + sys),
// which a machine shared with other jobs inflates far less than wall time (both are printed):
// - a goroutine dump of 100,000 goroutines (~23 MB, built from the real leak dump in
//   test/fixtures/legacy), target < 3 s CPU and < 600 MB;
// - a Go debug=1 heap text of 100,000 buckets (~44 MB, built from the real heap text), target
//   < 6 s CPU and < 1 GB;
// - every hostile file in test/fixtures/hostile/legacy-*, target < 1 s CPU and < 500 MB each.
// Exits 1 when a target is missed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const out = join(here, 'out');
mkdirSync(out, { recursive: true });
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error('build first: npm run build');
const fixtures = join(root, 'test', 'fixtures');

function dump(n) {
  const blocks = readFileSync(join(fixtures, 'legacy/profiles/leak_after.txt'), 'utf8')
    .split('\n\n')
    .filter((b) => b.startsWith('goroutine'));
  const outp = [];
  for (let i = 0; i < n; i++) {
    // Distinct lines, so stacks stay many: the leak site moves over 500 lines.
    outp.push(
      blocks[i % blocks.length]
        .replace(/^goroutine \d+/, `goroutine ${i + 1}`)
        .replace(/:80 \+0x3a/, `:${80 + (i % 500)} +0x3a`),
    );
  }
  return outp.join('\n\n') + '\n';
}

function heapText(n) {
  const text = readFileSync(join(fixtures, 'legacy/profiles/heap.txt'), 'utf8');
  const [header, ...rest] = text.split('\n');
  const records = rest
    .join('\n')
    .split('\n\n')
    .filter((r) => /^\d+: \d+ \[/.test(r));
  const outp = [header];
  for (let i = 0; i < n; i++) {
    // Shift the leaf address so that every bucket is a stack of its own.
    const r = records[i % records.length];
    const leaf = 0x500000 + i * 16;
    outp.push(
      r
        .replace(/ @ 0x[0-9a-f]+/, ` @ 0x${leaf.toString(16)}`)
        .replace(/^#\t0x[0-9a-f]+/m, `#\t0x${(leaf - 1).toString(16)}`),
    );
  }
  return outp.join('\n') + '\n';
}

const inputs = [
  {
    name: 'goroutine dump, 100,000 goroutines',
    file: join(out, 'dump-100k.txt'),
    make: () => dump(100_000),
    ms: 3000,
    mb: 600,
  },
  {
    name: 'heap debug=1 text, 100,000 buckets',
    file: join(out, 'heap-100k.txt'),
    make: () => heapText(100_000),
    ms: 6000,
    mb: 1024,
  },
  ...readdirSync(join(fixtures, 'hostile'))
    .filter((f) => f.startsWith('legacy-'))
    .map((f) => ({ name: f, file: join(fixtures, 'hostile', f), ms: 1000, mb: 500 })),
];

let failed = false;
console.log('input | MB | wall ms | CPU ms | peak RSS MB | target');
for (const inp of inputs) {
  if (inp.make && !existsSync(inp.file)) writeFileSync(inp.file, inp.make());
  const size = readFileSync(inp.file).length / 2 ** 20;
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', 'node', cli, 'top', '-nodecount=5', inp.file], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const [wall, user, sys, rssKB] = r.stderr.trim().split('\n').pop().split(' ').slice(1).map(Number);
  const cpuMs = (user + sys) * 1000;
  const rssMB = rssKB / 1024;
  const ok = cpuMs < inp.ms && rssMB < inp.mb;
  if (!ok) failed = true;
  const status = r.status === 0 ? 'top' : 'clear error';
  console.log(
    `${inp.name} | ${size.toFixed(1)} | ${(wall * 1000).toFixed(0)} | ${cpuMs.toFixed(0)} | ${rssMB.toFixed(0)} | < ${inp.ms} ms CPU, < ${inp.mb} MB ${ok ? 'ok' : 'MISSED'} (${status})`,
  );
}
process.exit(failed ? 1 : 0);
