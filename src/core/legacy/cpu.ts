/**
 * The legacy binary CPU profile (gperftools' profiler, Go's pre-proto runtime/pprof, and the Java
 * agent's variant): a header of five words, then count/depth/PCs records, an end marker, and for
 * C++ a /proc/self/maps text trailer (for Java, a symbol section).
 */
import { LegacyBuilder } from './builder';
import { parseJavaLocations, aggregateJava } from './java';
import { LineScanner, bytesToText, wrap64 } from './text';

type WordReader = (data: Uint8Array, pos: number) => bigint;

interface Encoding {
  size: 4 | 8;
  read: WordReader;
}

const encodings: Encoding[] = [
  { size: 4, read: (d, p) => BigInt((d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0) },
  { size: 4, read: (d, p) => BigInt(((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0) },
  {
    size: 8,
    read: (d, p) => new DataView(d.buffer, d.byteOffset + p, 8).getBigUint64(0, true),
  },
  {
    size: 8,
    read: (d, p) => new DataView(d.buffer, d.byteOffset + p, 8).getBigUint64(0, false),
  },
];

/** Reads words like pprof: past the end it yields 0 and marks the input as exhausted ("nil"). */
class Words {
  pos: number;
  exhausted = false;
  constructor(
    readonly data: Uint8Array,
    readonly enc: Encoding,
    pos = 0,
  ) {
    this.pos = pos;
  }
  get remaining(): number {
    return this.exhausted ? 0 : this.data.length - this.pos;
  }
  next(): bigint {
    if (this.exhausted || this.data.length - this.pos < this.enc.size) {
      this.exhausted = true;
      return 0n;
    }
    const v = this.enc.read(this.data, this.pos);
    this.pos += this.enc.size;
    return v;
  }
}

export function parseCPU(data: Uint8Array): LegacyBuilder | undefined {
  for (const enc of encodings) {
    const w = new Words(data, enc);
    const n1 = w.next();
    const n2 = w.next();
    const n3 = w.next();
    const n4 = w.next();
    const n5 = w.next();
    if (w.exhausted || n1 !== 0n || n2 !== 3n || n4 === 0n || n5 !== 0n) continue;
    if (n3 === 0n) return cppProfile(w, wrap64(n4));
    if (n3 === 1n) return javaCPUProfile(w, wrap64(n4));
  }
  return undefined;
}

function newCPUBuilder(periodMicros: bigint): LegacyBuilder {
  const b = new LegacyBuilder();
  b.period = wrap64(periodMicros * 1000n);
  b.periodType = { type: 'cpu', unit: 'nanoseconds' };
  b.sampleTypes = [
    { type: 'samples', unit: 'count' },
    { type: 'cpu', unit: 'nanoseconds' },
  ];
  return b;
}

/** Returns false when the records do not parse (the input is then not this format). */
function parseCPUSamples(w: Words, adjust: boolean, b: LegacyBuilder): boolean {
  while (w.remaining > 0) {
    const count = w.next();
    const nstk = w.next();
    if (w.exhausted || nstk > BigInt(Math.floor(w.remaining / 4))) return false;
    const n = Number(nstk);
    const addrs: bigint[] = new Array<bigint>(n);
    for (let i = 0; i < n; i++) addrs[i] = w.next();
    if (count === 0n && nstk === 1n && addrs[0] === 0n) break; // end of data
    const locs = addrs.map((a, i) => b.location(adjust && i > 0 ? BigInt.asUintN(64, a - 1n) : a));
    const c = wrap64(count);
    b.samples.push({ values: [c, wrap64(c * b.period)], locs });
  }
  return true;
}

function cppProfile(w: Words, periodMicros: bigint): LegacyBuilder | undefined {
  const b = newCPUBuilder(periodMicros);
  if (!parseCPUSamples(w, true, b)) return undefined;

  // When (nearly) every sample has the same second frame, it is the signal handler's own frame
  // and not part of the program's stack: drop it, at most twice.
  const margin = Math.floor(b.samples.length / 32);
  for (let iter = 0; iter < 2; iter++) {
    const counts = new Map<bigint, number>();
    for (const s of b.samples) {
      if (s.locs.length > 1) {
        const a = s.locs[1]!.address;
        counts.set(a, (counts.get(a) ?? 0) + 1);
      }
    }
    for (const [addr, count] of counts) {
      if (count >= b.samples.length - margin) {
        for (const s of b.samples) {
          if (s.locs.length > 1 && s.locs[1]!.address === addr) s.locs.splice(1, 1);
        }
        break;
      }
    }
  }
  const rest = w.exhausted ? '' : bytesToText(w.data.subarray(w.pos));
  b.parseMemoryMap(new LineScanner(rest));
  b.cleanupDuplicateLocations();
  return b;
}

function javaCPUProfile(w: Words, periodMicros: bigint): LegacyBuilder | undefined {
  const b = newCPUBuilder(periodMicros);
  if (!parseCPUSamples(w, false, b)) return undefined;
  const rest = w.exhausted ? '' : bytesToText(w.data.subarray(w.pos));
  parseJavaLocations(rest, 1, b);
  aggregateJava(b);
  b.checkValid();
  return b;
}
