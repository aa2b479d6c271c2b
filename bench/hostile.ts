/**
 * npm run bench:hostile — the budgets against a big realistic profile and the regexp engine's speed.
 * 1. A generated Go-like CPU profile of BENCH_MB (default 100) MB uncompressed must pass every
 *    budget of src/core/budget.ts (a real profile of that size is never a bomb).
 * 2. Filters (focus/ignore/hide/show) and drop_frames run through re2js on it; the figures are
 *    printed next to JavaScript's own engine on the same patterns, for the record.
 */
import { gzipSync } from 'node:zlib';
import { parseProfile } from '../src/core/decode';
import { filterProfile } from '../src/core/filter';
import { removeUninteresting } from '../src/core/compact';
import { generateProfile } from './generate';
import { RE2JS } from 're2js';

const mb = Number(process.env.BENCH_MB ?? 100);
const raw = generateProfile(mb * 1024 * 1024, 7);
const gz = gzipSync(raw);
let t = performance.now();
const p = parseProfile(gz);
const decodeMs = performance.now() - t;
console.log(
  `profile: ${(raw.length / 2 ** 20).toFixed(1)} MiB raw, ${(gz.length / 2 ** 20).toFixed(1)} MiB gzip, ${p.samples.count} samples, ${p.locations.length} locations, ${p.functions.length} functions: within budget, decoded in ${decodeMs.toFixed(0)} ms`,
);

const names = [...new Set(p.functions.flatMap((f) => [f.name, f.file]))];
const patterns = ['server', '^net/http\\.', '(?i)store.*Method1[0-9]+$', 'json|pq|bufio', '\\pL+\\.\\(\\*T9[0-9]\\)'];
for (const pat of patterns) {
  // Raw engines on every distinct function name and file of the profile.
  const re2 = RE2JS.compile(pat);
  const js = new RegExp(pat.replace('(?i)', '').replace('\\pL', '\\p{L}'), pat.startsWith('(?i)') ? 'iu' : 'u');
  const reps = 5;
  t = performance.now();
  let n2 = 0;
  for (let r = 0; r < reps; r++) for (const s of names) if (re2.test(s)) n2++;
  const re2Ns = ((performance.now() - t) * 1e6) / (reps * names.length);
  t = performance.now();
  let nj = 0;
  for (let r = 0; r < reps; r++) for (const s of names) if (js.test(s)) nj++;
  const jsNs = ((performance.now() - t) * 1e6) / (reps * names.length);
  if (n2 !== nj) throw new Error(`${pat}: re2js matched ${n2}, RegExp ${nj}`);
  // The whole -focus filter as the CLI and the worker run it (compileGoRegexp: re2js, memoized).
  t = performance.now();
  const f = filterProfile(p, { focus: pat });
  const filterMs = performance.now() - t;
  console.log(
    `${pat.padEnd(28)} re2js ${re2Ns.toFixed(0).padStart(5)} ns/name, RegExp ${jsNs.toFixed(0).padStart(4)} ns/name (${names.length} names); -focus on the whole profile: ${filterMs.toFixed(0)} ms (${f.profile.samples.count} samples kept)`,
  );
}
t = performance.now();
removeUninteresting({ ...p, dropFrames: 'runtime\\..*|sync\\.\\(\\*Mutex\\)\\..*', keepFrames: 'runtime\\.main' });
console.log(`drop_frames on the whole profile: ${(performance.now() - t).toFixed(0)} ms`);
