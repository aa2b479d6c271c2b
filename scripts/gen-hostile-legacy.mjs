#!/usr/bin/env node
// Writes the hand-made hostile legacy inputs of test/fixtures/hostile/legacy-*.gz: text profiles
// whose lines made the legacy parsers' regular expressions (or their mapping lookups) quadratic.
// Each is small gzipped and at most a few MB inflated; test/unit/legacyHostile.test.ts holds each
// to 2 s. Deterministic: rerunning gives the same files.
//
//   node scripts/gen-hostile-legacy.mjs
import { gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'hostile');
mkdirSync(out, { recursive: true });
/** Just under the 64 KiB line limit pprof and pprof-lens share. */
const L = 65000;
const rep = (s, n) => s.repeat(Math.max(0, Math.floor(n)));
const fill = (unit, len = L) => rep(unit, len / unit.length);
const heapHead = 'heap profile: 1: 1 [1: 1] @ heap/2\n1: 1 [1: 1] @ 0x2\n';
const javaHead = '--- heapz 1 ---\nformat = java\nresolution = bytes\n1 1 @ 0x1\n';

const files = {
  // One 64 KiB Java symbol line: "(.*)\s+\((.+):(-?[0-9]+)\)$" backtracks over every " (".
  'legacy-java-symbol-line.txt': javaHead + '0x1 ' + fill('a (') + 'x)\n',
  // Ten of them, and ten whose description ends in a long run of blanks ("(.*?)\s*$").
  'legacy-java-symbol-lines.txt':
    javaHead + rep('0x1 ' + fill('f (') + 'x\n', 10) + rep('0x1 a' + fill(' ') + 'b\n', 10),
  // Twenty Go debug=1 comment lines with a "+0x" every few characters and no ":line".
  'legacy-go-comments.txt': heapHead + rep('#\t0x1\t' + fill('a+0x1 ') + '\n', 20),
  // Long runs of blanks inside lines: trimming by /\s+$/ is quadratic.
  'legacy-blank-runs.txt':
    heapHead + rep('#' + fill(' ') + 'x\n', 20) + rep('1: 1 [1: 1] @ 0x2' + fill('\t') + 'y\n', 1),
  // A threadz header repeated along one line: "(.*)\/(\d+)\) stack: ---" for each occurrence.
  'legacy-threadz-header.txt':
    '--- threadz 1 ---\n\n--- Thread 1 (name: a/1) stack: ---\n  PC: 0x1\n' + fill('--- Thread 1 (name: x/1') + '\n',
  // A goroutine dump with 64 KiB function lines (nested argument lists) and file lines, and
  // (dumps have no line limit: they follow logs) a 4 MB line of unbalanced parentheses.
  'legacy-goroutine-dump.txt':
    rep(
      'goroutine 1 [chan receive, 5 minutes]:\nmain.f' +
        fill('(', L - 2000) +
        fill(')', 1000) +
        '\n\t' +
        fill('/a:1 +0x') +
        '\n\n',
      10,
    ) +
    'goroutine 2 [select]:\nmain.g' +
    fill(')', 4_000_000) +
    '\n\t/b.go:1 +0x1\n',
  // A memory map of 8,000 mappings with $variables and 8,000 located samples: pprof's mapping
  // lookup is a scan of every mapping per location.
  'legacy-memory-map.txt': (() => {
    const n = 8000;
    let s = 'heap profile: 1: 1 [1: 1] @ heap/2\n';
    for (let i = 0; i < n; i++) s += `1: 1 [1: 1] @ 0x${(0x10000 + i * 0x1000 + 0x800).toString(16)}\n`;
    s += '--- Memory map: ---\n';
    for (let i = 0; i < 200; i++) s += `lib${i} = /usr/lib/x${i}.so\n`;
    for (let i = 0; i < n; i++) {
      const a = 0x10000 + i * 0x1000;
      s += `${a.toString(16)}-${(a + 0x1000).toString(16)} r-xp 00001000 00:00 0 $lib${i % 200}/$$$${i}\n`;
    }
    return s;
  })(),
};

for (const [name, text] of Object.entries(files)) {
  const gz = gzipSync(Buffer.from(text), { level: 9 });
  writeFileSync(join(out, `${name}.gz`), gz);
  console.log(`${name}.gz: ${gz.length} bytes, ${text.length} inflated`);
}
