/**
 * One benchmark measurement in a fresh process: decode + top report + editor annotations of a
 * profile, timed per stage; prints JSON. Run by bench/run.ts under bench/rusage.py for peak RSS.
 */
import { readFileSync } from 'node:fs';
import { annotate } from '../src/core/annotate';
import { parseProfile } from '../src/core/decode';
import { defaultSampleIndex } from '../src/core/model';
import { formatTop, topReport } from '../src/core/report';

const file = process.argv[2]!;
const t0 = performance.now();
/** As the extension's worker does: a gzipped profile is decoded as it inflates (core/decode). */
function load() {
  return parseProfile(readFileSync(file));
}
const p = load();
const t1 = performance.now();
const top = formatTop(topReport(p, { sampleIndex: defaultSampleIndex(p) }));
const t2 = performance.now();
const a = annotate(p);
const t3 = performance.now();
console.log(
  JSON.stringify({
    decodeMs: t1 - t0,
    topMs: t2 - t1,
    annotateMs: t3 - t2,
    totalMs: t3 - t0,
    samples: p.samples.count,
    locations: p.locations.length,
    files: a.files.length,
    topLines: top.split('\n').length,
    heapUsedMB: process.memoryUsage().heapUsed / 2 ** 20,
  }),
);
