/**
 * The path a profile takes in the editor, headless: the worker's own ProfileOps (decode, drop_frames,
 * annotate), then top, the flame graph and line callers, as the status bar, the panel and the hover
 * ask for them. Used by the CI fuzz test (test/unit/hostile.test.ts) and the long run
 * (scripts/fuzz.ts). Typed failures are outcomes; anything else is a bug and is rethrown.
 */
import { isProfileError } from '../../src/core/errors';
import { ProfileOps, toWorkerError } from '../../src/worker/ops';

export type Outcome = { kind: 'ok'; samples: number } | { kind: 'error'; errorKind: string; message: string };

/** Typed: a ProfileError, or what the worker answers as a known kind (not "internal"). */
export function runPipeline(bytes: Uint8Array): Outcome {
  let ops: ProfileOps;
  try {
    ops = ProfileOps.load({ bytes }).ops;
  } catch (e) {
    if (isProfileError(e)) return { kind: 'error', errorKind: e.kind, message: e.message };
    const w = toWorkerError(e);
    if (w.kind !== 'internal') return { kind: 'error', errorKind: w.kind, message: w.message };
    throw e;
  }
  const p = ops.profile;
  const si = 0;
  ops.top({ sampleIndex: si, limit: 50 });
  const flame = ops.flame({ sampleIndex: si, topLimit: 200 });
  // Line callers of the hottest line of the top table, as the hover asks.
  const t = flame.top;
  const hot = t.name.findIndex((_, i) => t.file[i] !== '' && t.line[i]! > 0);
  if (hot >= 0) ops.lineCallers({ sampleIndex: si, file: t.file[hot]!, line: t.line[hot]!, limit: 5 });
  return { kind: 'ok', samples: p.samples.count };
}

/** xorshift32: reproducible mutations. */
export function rng(seed: number): () => number {
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

/**
 * One mutation of a raw (uncompressed) profile: flipped bytes, large varints, repeated or
 * truncated slices, spliced chunks. The result is sometimes gzipped again by the caller.
 */
export function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rand() * n);
  let b: Uint8Array = Uint8Array.from(src);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    if (b.length === 0) break;
    switch (pick(7)) {
      case 0: // flip a byte
        b[pick(b.length)] = pick(256);
        break;
      case 1: // set a byte to a varint continuation or boundary value
        b[pick(b.length)] = [0x00, 0x01, 0x7f, 0x80, 0xff][pick(5)]!;
        break;
      case 2: {
        // truncate
        b = b.subarray(0, pick(b.length + 1));
        break;
      }
      case 3: {
        // repeat a slice (deeper stacks, more samples)
        const a = pick(b.length);
        const e = Math.min(b.length, a + 1 + pick(64));
        const times = 1 + pick(50);
        const parts = [b.subarray(0, e)];
        for (let i = 0; i < times; i++) parts.push(b.subarray(a, e));
        parts.push(b.subarray(e));
        b = concat(parts);
        break;
      }
      case 4: {
        // insert a large varint
        const at = pick(b.length);
        b = concat([b.subarray(0, at), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f), b.subarray(at)]);
        break;
      }
      case 5: {
        // delete a slice
        const a = pick(b.length);
        b = concat([b.subarray(0, a), b.subarray(Math.min(b.length, a + 1 + pick(16)))]);
        break;
      }
      default: {
        // swap two slices
        const a = pick(b.length);
        const c = pick(b.length);
        const n = Math.min(8, b.length - Math.max(a, c));
        const t = b.slice(a, a + n);
        b.copyWithin(a, c, c + n);
        b.set(t, c);
      }
    }
  }
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
