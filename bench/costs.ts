/**
 * npm run bench:costs — what Session.costsFor reads of the loaded profile for one editor, on the
 * 700,000-sample Go heap profile's biggest file (most sampled lines). costsFor runs on every
 * redraw, hover, CodeLens and status-bar update; before, each call copied every line's flat/cum
 * of every sample type out of the packed columns into new arrays and filtered all functions;
 * now docLines.profileLines reads them once per (profile, files) and Session keeps its answer
 * until the document, its tracker, the staleness or the profile change.
 *   before: the per-call copy (as costsFor did it), per call;
 *   after:  profileLines per call (the memo hit; Session's own cache skips even this call).
 * CPU time from process.cpuUsage (user+sys), so other work on the machine does not count.
 */
import { ProfileOps } from '../src/worker/ops';
import { LoadedProfile } from '../src/vscode/profile/loadedProfile';
import { profileLines, type DocLine } from '../src/vscode/profile/docLines';
import type { WorkerClient } from '../src/vscode/profile/workerClient';
import { benchProfile } from './vscodeBench';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const { raw } = benchProfile();
const { packed } = ProfileOps.load({ bytes: raw });
const p = new LoadedProfile('heap-700k.pb.gz', 'bench', packed, undefined as unknown as WorkerClient);
let file = 0;
for (let f = 0; f < packed.files.length; f++)
  if (
    packed.fileLineStart[f + 1]! - packed.fileLineStart[f]! >
    packed.fileLineStart[file + 1]! - packed.fileLineStart[file]!
  )
    file = f;
const nLines = packed.fileLineStart[file + 1]! - packed.fileLineStart[file]!;
console.log(`biggest file: ${packed.files[file]} (${nLines} lines, ${p.T} sample types), ${CALLS} calls`);

/** costsFor's profile side before this change, per call. */
function before(): { lines: DocLine[]; functions: unknown[] } {
  const T = p.T;
  const byLine = new Map<number, DocLine>();
  for (const l of p.lines(file)) {
    let d = byLine.get(l.line);
    if (!d)
      byLine.set(l.line, (d = { line: l.line, flat: new Array<number>(T).fill(0), cum: new Array<number>(T).fill(0) }));
    for (let t = 0; t < T; t++) {
      d.flat[t] = d.flat[t]! + p.lineFlat(l.index, t);
      d.cum[t] = d.cum[t]! + p.lineCum(l.index, t);
    }
  }
  return { lines: [...byLine.values()].sort((a, b) => a.line - b.line), functions: p.functionsOf(file) };
}

function measure(name: string, fn: () => unknown): number {
  fn();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) fn();
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  const perCall = (c.user + c.system) / CALLS;
  console.log(`${name}: ${perCall.toFixed(2)} cpu-µs per call (${((wall / CALLS) * 1000).toFixed(2)} wall-µs)`);
  return perCall;
}

const miss0 = process.cpuUsage();
const first = profileLines(p, [file]);
const miss = process.cpuUsage(miss0);
const ref = before();
if (JSON.stringify(ref.lines) !== JSON.stringify(first.lines) || ref.functions.length !== first.functions.length)
  throw new Error('profileLines differs from the per-call copy');
console.log(`after, first call (reads the columns once): ${((miss.user + miss.system) / 1000).toFixed(2)} cpu-ms`);
const b = measure('before (copy per call)', before);
const a = measure('after (profileLines memo)', () => profileLines(p, [file]));
console.log(`per-call ratio: ${(b / a).toFixed(0)}x`);
