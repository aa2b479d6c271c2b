/**
 * Heap text profiles: Go's /debug/pprof/heap?debug=1 ("@ heap/<2*rate>"), C++ heapz_v2,
 * heapprofile, growthz and fragmentationz. Values are unsampled as pprof does.
 */
import { LegacyBuilder, isMemoryMapSentinel, notThisFormat, parseAdditionalSections } from './builder';
import { GoSymbols } from './gosymbols';
import {
  LineScanner,
  floatToInt64,
  isSpaceOrComment,
  malformed,
  parseHexAddresses,
  parseInt64,
  trimSpace,
  wrap64,
} from './text';

const heapHeaderRE = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/;
// Anchored (pprof's is not): sample lines are trimmed, and anchoring keeps the match linear.
const heapSampleRE = /^(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *\] @([ x0-9a-f]*)/;
const growthHeaderRE = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?/;
const fragmentationHeaderRE = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz?/;

/**
 * pprof's estimate of the unsampled count and size of a bucket: each sample of average size S
 * appears with probability 1-exp(-S/rate). Zero buckets stay zero; rate <= 1 means no scaling.
 */
export function scaleHeapSample(count: bigint, size: bigint, rate: bigint): [bigint, bigint] {
  if (count === 0n || size === 0n) return [0n, 0n];
  if (rate <= 1n) return [count, size];
  const avgSize = Number(size) / Number(count);
  const scale = 1 / (1 - Math.exp(-avgSize / Number(rate)));
  return [floatToInt64(Number(count) * scale), floatToInt64(Number(size) * scale)];
}

interface HeapHeader {
  sampling: '' | 'v2';
  period: bigint;
  hasAlloc: boolean;
}

function parseHeapHeader(m: RegExpExecArray): HeapHeader {
  let period = 0n;
  if (m[6]!.length > 0) {
    const p = parseInt64(m[6]!);
    if (p === undefined) notThisFormat();
    period = p;
  }
  const hasAlloc = (m[3] !== m[1] && m[3] !== '0') || (m[4] !== m[2] && m[4] !== '0');
  switch (m[5]) {
    case 'heapz_v2':
    case 'heap_v2':
      return { sampling: 'v2', period, hasAlloc };
    case 'heapprofile':
      return { sampling: '', period: 1n, hasAlloc };
    case 'heap':
      // Go writes twice the sampling rate.
      return { sampling: 'v2', period: period / 2n, hasAlloc };
    default:
      return notThisFormat();
  }
}

export function parseHeap(text: string, goSymbols = true): LegacyBuilder | undefined {
  const s = new LineScanner(text);
  if (!s.scan()) return undefined;
  const b = new LegacyBuilder();
  let sampling: '' | 'v2' = '';
  let hasAlloc = false;
  const line0 = s.text;
  b.periodType = { type: 'space', unit: 'bytes' };
  let h: RegExpExecArray | null;
  if ((h = heapHeaderRE.exec(line0))) {
    ({ sampling, period: b.period, hasAlloc } = parseHeapHeader(h));
  } else if (growthHeaderRE.test(line0) || fragmentationHeaderRE.test(line0)) {
    b.period = 1n;
  } else {
    return undefined;
  }
  b.sampleTypes = hasAlloc
    ? [
        { type: 'alloc_objects', unit: 'count' },
        { type: 'alloc_space', unit: 'bytes' },
        { type: 'inuse_objects', unit: 'count' },
        { type: 'inuse_space', unit: 'bytes' },
      ]
    : [
        { type: 'objects', unit: 'count' },
        { type: 'space', unit: 'bytes' },
      ];

  const symbols = new GoSymbols(goSymbols);
  while (s.scan()) {
    const line = trimSpace(s.text);
    if (isSpaceOrComment(line)) {
      if (line.startsWith('#')) symbols.add(line);
      continue;
    }
    if (isMemoryMapSentinel(line)) break;
    const m = heapSampleRE.exec(line);
    if (!m) throw malformed(s.lineNo, `not a heap sample: ${JSON.stringify(line.slice(0, 80))}`);
    const values: bigint[] = [];
    let blocksize = 0n;
    const add = (countStr: string, sizeStr: string, what: string): void => {
      let count = parseInt64(countStr);
      let size = parseInt64(sizeStr);
      if (count === undefined || size === undefined) {
        throw malformed(s.lineNo, `${what} value out of the 64-bit range`);
      }
      if (count === 0n && size !== 0n) {
        throw malformed(s.lineNo, `${what} count was 0 but ${what} bytes was ${size}`);
      }
      if (count !== 0n) {
        blocksize = wrap64(size / count);
        if (sampling === 'v2') [count, size] = scaleHeapSample(count, size, b.period);
      }
      values.push(count, size);
    };
    if (hasAlloc) add(m[3]!, m[4]!, 'allocation');
    add(m[1]!, m[2]!, 'inuse');
    const addrs = parseHexAddresses(m[5]!, s.lineNo);
    // Return addresses: -1 lands on the call instruction.
    const locs = addrs.map((a) => b.location(BigInt.asUintN(64, a - 1n)));
    symbols.startBlock(locs);
    b.samples.push({ values, locs, labels: [{ key: 'bytes', num: Number(blocksize) }] });
  }
  symbols.apply(b);
  parseAdditionalSections(s, b);
  return b;
}
