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
  /**
   * Per distinct stack, its entry in the samples' stack table: stack u is
   * p.samples.stackLocs[locStart[table[u]] .. locStart[table[u] + 1]).
   */
  readonly table: Uint32Array;
  /** Per sample, its distinct stack. */
  readonly of: Uint16Array | Uint32Array;
  /** Per stack u and sample type t, the summed values at [u*T + t]. */
  readonly sums: Float64Array;
  /** Per stack u and sample type t, 1 when one of its samples has a nonzero value at [u*T + t]. */
  readonly nonzero: Uint8Array;
}

const memo = new WeakMap<Samples, Stacks>();

/** Samples whose stack table holds each stack once, numbered in the order of their first sample. */
const distinct = new WeakSet<Samples>();

/** The hash of a stack: FNV-1a over its location ids or indices, leaf first. */
export const STACK_HASH_SEED = 0x811c9dc5;
export const STACK_HASH_PRIME = 0x01000193;

/**
 * Tells stacksOf that samples' stack table is distinct, each stack numbered in the order of its
 * first sample (the decoder's), so the table is the answer and no stack is walked.
 */
export function rememberDistinct(samples: Samples): void {
  distinct.add(samples);
}

/** The distinct stacks of p's samples with their summed values (memoised per samples table). */
export function stacksOf(p: Profile): Stacks {
  const hit = memo.get(p.samples);
  if (hit) return hit;
  const { values, count } = p.samples;
  const T = p.sampleTypes.length;
  const { table, of } = distinct.has(p.samples) ? distinctTable(p.samples) : dedupe(p.samples);
  const U = table.length;
  const st: Stacks = { count: U, table, of, ...sumStacks(values, of, count, U, T) };
  memo.set(p.samples, st);
  return st;
}

/** Per stack and sample type, the summed values of its samples and whether one is nonzero. */
function sumStacks(
  values: Samples['values'],
  of: Stacks['of'],
  count: number,
  U: number,
  T: number,
): Pick<Stacks, 'sums' | 'nonzero'> {
  const sums = new Float64Array(U * T);
  const nonzero = new Uint8Array(U * T);
  for (let s = 0; s < count; s++) {
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
 * the sample of from that to's sample i is; a filter that drops whole samples, to sharing from's
 * stack table), from from's memoised stacks: no stack is hashed again. The result is what
 * stacksOf(to) would compute (the stacks in the order of their first sample). Does nothing when
 * from's stacks are not known.
 */
export function deriveStacks(from: Samples, to: Samples, kept: Int32Array, T: number): void {
  const st = memo.get(from);
  if (!st || kept.length !== to.count || memo.has(to) || to.locStart !== from.locStart) return;
  const remap = new Int32Array(st.count).fill(-1);
  const of = new Uint32Array(to.count);
  const table = new Uint32Array(st.count);
  let U = 0;
  for (let i = 0; i < to.count; i++) {
    const u0 = st.of[kept[i]!]!;
    let u = remap[u0]!;
    if (u < 0) {
      u = remap[u0] = U++;
      table[u] = st.table[u0]!;
    }
    of[i] = u;
  }
  memo.set(to, { count: U, table: table.slice(0, U), of, ...sumStacks(to.values, of, to.count, U, T) });
}

function distinctTable(samples: Samples): { table: Uint32Array; of: Uint16Array | Uint32Array } {
  const table = new Uint32Array(samples.locStart.length - 1);
  for (let u = 0; u < table.length; u++) table[u] = u;
  return { table, of: samples.stack };
}

/**
 * The distinct stacks of a table that may repeat stacks, in the order of their first sample: each
 * table entry used is hashed once and looked up among the stacks found so far.
 */
function dedupe(samples: Samples): { table: Uint32Array; of: Uint32Array } {
  const { stack, locStart, stackLocs, count } = samples;
  // Per table entry, its distinct stack + 1 (0: not seen yet).
  const seen = new Uint32Array(locStart.length - 1);
  // Open addressing over stack ids, sized by the distinct stacks (not the samples), so the table
  // stays in cache. A slot holds the stack and its full hash side by side ([2h] = u, [2h+1] =
  // hash): a probe costs one cache line, and most mismatches end there; the hash also regrows
  // the table.
  let hcap = 1 << 12;
  let mask = hcap - 1;
  let slots = new Int32Array(2 * hcap).fill(-1);
  let table = new Uint32Array(1024);
  const of = new Uint32Array(count);
  let U = 0;
  for (let s = 0; s < count; s++) {
    const e = stack[s]!;
    const known = seen[e]!;
    if (known !== 0) {
      of[s] = known - 1;
      continue;
    }
    const a0 = locStart[e]!;
    const a1 = locStart[e + 1]!;
    const n = a1 - a0;
    // (Int32, as the slots hold it: an empty stack's hash is the seed.)
    let hash = STACK_HASH_SEED | 0;
    for (let i = a0; i < a1; i++) hash = Math.imul(hash ^ stackLocs[i]!, STACK_HASH_PRIME);
    let h = hash & mask;
    let u = -1;
    for (let cand = slots[2 * h]!; cand !== -1; cand = slots[2 * h]!) {
      if (slots[2 * h + 1] === hash) {
        const b0 = locStart[table[cand]!]!;
        if (locStart[table[cand]! + 1]! - b0 === n) {
          let i = 0;
          while (i < n && stackLocs[a0 + i] === stackLocs[b0 + i]) i++;
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
      if (u === table.length) {
        const t = new Uint32Array(u * 2);
        t.set(table);
        table = t;
      }
      table[u] = e;
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
    seen[e] = u + 1;
    of[s] = u;
  }
  return { table: table.slice(0, U), of };
}
