/**
 * One traversal per profile: samples grouped by stack, once, memoised.
 *
 * A Go heap profile has one sample per (stack, allocation size): 700,000 samples over about
 * 60,000 distinct stacks. Every per-stack walk (graph, annotate, flame tree) visits each distinct
 * stack once with the summed values of its samples, instead of every sample's frames again. The
 * sums are exact: sample values are integers, and integer sums below 2^53 do not depend on order.
 *
 * A stack counts for a sample type when one of its samples has a nonzero value there (nonzero),
 * not when the sum is nonzero: a +5 and a -5 sample on one stack (a -diff_base comparison) still
 * pass through its nodes and edges, as they do in pprof.
 */
import type { Profile, Samples } from './model';

export interface Stacks {
  /** Number of distinct stacks. */
  readonly count: number;
  /** Per stack, its first sample: the stack is p.samples.stackLocs[stackStart[first] .. stackStart[first+1]). */
  readonly first: Int32Array;
  /** Per sample, its stack. */
  readonly of: Int32Array;
  /** Per stack u and sample type t, the summed values at [u*T + t]. */
  readonly sums: Float64Array;
  /** Per stack u and sample type t, 1 when one of its samples has a nonzero value at [u*T + t]. */
  readonly nonzero: Uint8Array;
}

const memo = new WeakMap<Samples, Stacks>();

/** Per sample, stackHash of its stack, when the decoder computed it in its own walk. */
const knownHashes = new WeakMap<Samples, Int32Array>();

/** The hash stacksOf uses: FNV-1a over the location indices, leaf first. */
export const STACK_HASH_SEED = 0x811c9dc5;
export const STACK_HASH_PRIME = 0x01000193;

/**
 * Hands stacksOf the per-sample hashes of samples' stacks (hash = Math.imul(hash ^ loc,
 * STACK_HASH_PRIME) from STACK_HASH_SEED over stackLocs), so it does not walk the stacks twice.
 */
export function rememberStackHashes(samples: Samples, hashes: Int32Array): void {
  if (hashes.length === samples.count) knownHashes.set(samples, hashes);
}

/** The distinct stacks of p's samples with their summed values (memoised per samples table). */
export function stacksOf(p: Profile): Stacks {
  const hit = memo.get(p.samples);
  if (hit) return hit;
  const { values, stackStart, stackLocs, count } = p.samples;
  const T = p.sampleTypes.length;
  // Open addressing over stack ids, sized by the distinct stacks (not the samples), so the table
  // stays in cache. A slot holds the stack and its full hash side by side ([2h] = u, [2h+1] =
  // hash): a probe costs one cache line, and most mismatches end there; the hash also regrows
  // the table.
  let hcap = 1 << 12;
  let mask = hcap - 1;
  let slots = new Int32Array(2 * hcap).fill(-1);
  let firstAll = new Int32Array(1024);
  // The distinct stacks copied contiguously, in the sample column's own width (stack u:
  // ulocs[ustart[u] .. ustart[u+1])): comparing against them stays in cache, where the first
  // sample's stack may lie anywhere in stackLocs.
  let ustart = new Uint32Array(1025);
  const Locs = stackLocs instanceof Uint16Array ? Uint16Array : Uint32Array;
  let ulocs: Uint16Array | Uint32Array = new Locs(1 << 14);
  const of = new Int32Array(count);
  const known = knownHashes.get(p.samples);
  knownHashes.delete(p.samples);
  let U = 0;
  for (let s = 0; s < count; s++) {
    const a0 = stackStart[s]!;
    const a1 = stackStart[s + 1]!;
    const n = a1 - a0;
    let hash = STACK_HASH_SEED;
    if (known) hash = known[s]!;
    else for (let i = a0; i < a1; i++) hash = Math.imul(hash ^ stackLocs[i]!, STACK_HASH_PRIME);
    let h = hash & mask;
    let u = -1;
    for (let cand = slots[2 * h]!; cand !== -1; cand = slots[2 * h]!) {
      if (slots[2 * h + 1] === hash) {
        const b0 = ustart[cand]!;
        if (ustart[cand + 1]! - b0 === n) {
          let i = 0;
          while (i < n && stackLocs[a0 + i] === ulocs[b0 + i]) i++;
          if (i === n) {
            u = cand;
            break;
          }
        }
      }
      h = (h + 1) & mask;
    }
    if (u < 0) {
      u = U++;
      if (u === firstAll.length) {
        const f = new Int32Array(u * 2);
        f.set(firstAll);
        firstAll = f;
        const us = new Uint32Array(u * 2 + 1);
        us.set(ustart);
        ustart = us;
      }
      const at = ustart[u]!;
      if (at + n > ulocs.length) {
        const ul = new Locs(Math.max(ulocs.length * 2, at + n));
        ul.set(ulocs);
        ulocs = ul;
      }
      for (let i = 0; i < n; i++) ulocs[at + i] = stackLocs[a0 + i]!;
      ustart[u + 1] = at + n;
      firstAll[u] = s;
      slots[2 * h] = u;
      slots[2 * h + 1] = hash;
      if (U * 2 > hcap) {
        const old = slots;
        hcap *= 2;
        mask = hcap - 1;
        slots = new Int32Array(2 * hcap).fill(-1);
        for (let k = 0; k < old.length; k += 2) {
          if (old[k] === -1) continue;
          let m = old[k + 1]! & mask;
          while (slots[2 * m] !== -1) m = (m + 1) & mask;
          slots[2 * m] = old[k]!;
          slots[2 * m + 1] = old[k + 1]!;
        }
      }
    }
    of[s] = u;
  }
  const st: Stacks = { count: U, first: firstAll.slice(0, U), of, ...sumStacks(values, of, U, T) };
  memo.set(p.samples, st);
  return st;
}

/** Per stack and sample type, the summed values of its samples and whether one is nonzero. */
function sumStacks(values: Float64Array, of: Int32Array, U: number, T: number): Pick<Stacks, 'sums' | 'nonzero'> {
  const sums = new Float64Array(U * T);
  const nonzero = new Uint8Array(U * T);
  for (let s = 0; s < of.length; s++) {
    const u = of[s]! * T;
    const v0 = s * T;
    for (let t = 0; t < T; t++) {
      const v = values[v0 + t]!;
      if (v !== 0) {
        sums[u + t] = sums[u + t]! + v;
        nonzero[u + t] = 1;
      }
    }
  }
  return { sums, nonzero };
}

/**
 * Hands stacksOf the stacks of `to`, samples of `from` with their stacks as they were (kept[i]:
 * the sample of from that to's sample i is; a filter that drops whole samples), from from's
 * memoised stacks: no stack is hashed again. The result is what stacksOf(to) would compute (the
 * stacks in the order of their first sample). Does nothing when from's stacks are not known.
 */
export function deriveStacks(from: Samples, to: Samples, kept: Int32Array, T: number): void {
  const st = memo.get(from);
  if (!st || kept.length !== to.count || memo.has(to)) return;
  const remap = new Int32Array(st.count).fill(-1);
  const of = new Int32Array(to.count);
  const firstAll = new Int32Array(st.count);
  let U = 0;
  for (let i = 0; i < to.count; i++) {
    const u0 = st.of[kept[i]!]!;
    let u = remap[u0]!;
    if (u < 0) {
      u = remap[u0] = U++;
      firstAll[u] = i;
    }
    of[i] = u;
  }
  memo.set(to, { count: U, first: firstAll.slice(0, U), of, ...sumStacks(to.values, of, U, T) });
}
