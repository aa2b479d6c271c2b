/**
 * Makes Go-like CPU profiles of a chosen size for the benchmark: a few thousand functions in a
 * few hundred files, locations with inlined frames, deep stacks drawn from a call tree (so that
 * stacks share prefixes as real ones do), two sample types and string labels on some samples.
 * Deterministic for a seed.
 */
import { encodeProfile } from '../src/core/encode';
import type { Func, Label, Location, Profile } from '../src/core/model';

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

export function generateProfile(targetBytes: number, seed = 1): Uint8Array {
  const rand = rng(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const nFuncs = Math.max(200, Math.round(targetBytes / 5000));
  const nFiles = Math.max(20, Math.round(nFuncs / 12));
  const pkgs = ['runtime', 'net/http', 'encoding/json', 'example.com/app/server', 'example.com/app/store', 'github.com/lib/pq', 'sync', 'bufio'];
  const functions: Func[] = [];
  for (let i = 0; i < nFuncs; i++) {
    const pkg = pkgs[i % pkgs.length]!;
    const file = `/home/ci/go/src/${pkg}/file${i % nFiles}.go`;
    functions.push({ id: i + 1, name: `${pkg}.(*T${i % 97}).Method${i}`, systemName: '', file, startLine: 10 + (i % 400) });
  }
  const locations: Location[] = [];
  const nLocs = nFuncs * 4;
  for (let i = 0; i < nLocs; i++) {
    const f = i % nFuncs;
    const lines = [{ func: f, line: functions[f]!.startLine + 1 + pick(40), column: 0 }];
    if (rand() < 0.15) lines.unshift({ func: (f + 1 + pick(50)) % nFuncs, line: 5 + pick(100), column: 0 });
    locations.push({ id: i + 1, mapping: 0, address: 0x400000 + i * 16, lines, isFolded: false });
  }
  // Stacks: random walks down a fixed call tree (each location calls up to 6 others) so that
  // prefixes repeat, 10 to 50 frames deep as Go server stacks are.
  const children: number[][] = Array.from({ length: nLocs }, (_, i) =>
    Array.from({ length: 1 + (i % 6) }, () => pick(nLocs)),
  );
  const samples: { locs: number[]; v: number; labels?: Label[] }[] = [];
  let bytes = 0;
  const handlers = ['/api/users', '/api/orders', '/healthz', '/metrics'];
  while (bytes < targetBytes) {
    const stack: number[] = [];
    let node = pick(8);
    const depth = 10 + pick(41);
    for (let d = 0; d < depth; d++) {
      stack.push(node);
      // Skewed towards the first callee, so hot paths repeat as in real profiles.
      const c = children[node]!;
      node = c[Math.floor(c.length * rand() ** 3)]!;
    }
    stack.reverse(); // leaf first
    const count = 1 + pick(3);
    const s: { locs: number[]; v: number; labels?: Label[] } = { locs: stack, v: count };
    if (rand() < 0.3) s.labels = [{ key: 'handler', str: handlers[pick(handlers.length)]! }];
    samples.push(s);
    bytes += 12 + stack.length * (nLocs > 16383 ? 3 : 2) + (s.labels ? 6 : 0);
  }
  const T = 2;
  const n = samples.length;
  const values = new Float64Array(n * T);
  const stackStart = new Uint32Array(n + 1);
  let total = 0;
  for (const s of samples) total += s.locs.length;
  const stackLocs = new Uint32Array(total);
  let k = 0;
  samples.forEach((s, i) => {
    values[i * 2] = s.v;
    values[i * 2 + 1] = s.v * 10_000_000;
    stackStart[i] = k;
    for (const l of s.locs) stackLocs[k++] = l;
  });
  stackStart[n] = k;
  const p: Profile = {
    sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }],
    defaultSampleType: '',
    samples: { count: n, values, stackStart, stackLocs, labels: samples.map(s => s.labels) },
    mappings: [{ id: 1, start: 0x400000, limit: 0x400000 + nLocs * 16, offset: 0, file: '/home/ci/bin/app', buildId: '', hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true }],
    locations,
    functions,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 1_763_800_000_000_000_000,
    durationNanos: 30_000_000_000,
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period: 10_000_000,
    comments: [],
    docUrl: '',
  };
  return encodeProfile(p);
}
