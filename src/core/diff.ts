/**
 * Comparing profiles as `go tool pprof` does:
 *  - base (-base):      current minus base: the base is scaled by -1 and merged in, so identical
 *                       stacks cancel; what remains is the growth (positive) and shrink (negative).
 *  - diff_base (-diff_base): the same merge, but base samples keep a `pprof::base=true` label, so
 *                       nothing cancels at the sample level and percentages are relative to the
 *                       base's total (see reportTotal).
 * Merging follows pprof's Merge: locations, functions and mappings are unified by content,
 * identical samples (same stack, same labels) are summed, all-zero samples dropped, and the
 * headers combined (earliest time, summed durations, largest period).
 */
import { mergeProfiles as mergeAll } from './compact';
import { ProfileError } from './errors';
import { withLabels, withLabelSets, type Label, type Profile } from './model';

export const DIFF_BASE_LABEL = 'pprof::base';

function sameType(a?: { type: string; unit: string }, b?: { type: string; unit: string }): boolean {
  if (!a || !b) return a === b || (!a && !b);
  return a.type === b.type && a.unit === b.unit;
}

/** Why two profiles cannot be merged, or undefined when they can. */
export function incompatibility(a: Profile, b: Profile): string | undefined {
  const vt = (t?: { type: string; unit: string }) => (t ? `${t.type}/${t.unit}` : 'none');
  if (!sameType(a.periodType, b.periodType)) {
    return `incompatible period types ${vt(a.periodType)} and ${vt(b.periodType)}`;
  }
  const st = (p: Profile) => `[${p.sampleTypes.map(vt).join(' ')}]`;
  if (a.sampleTypes.length !== b.sampleTypes.length || a.sampleTypes.some((t, i) => !sameType(t, b.sampleTypes[i]))) {
    return `incompatible sample types ${st(a)} and ${st(b)}`;
  }
  return undefined;
}

/** What kind of profile it is and its values, for messages: "a CPU profile (samples/count, cpu/nanoseconds)". */
export function profileKind(p: Pick<Profile, 'sampleTypes'>): string {
  const has = (t: string) => p.sampleTypes.some((s) => s.type === t);
  const kind = has('cpu')
    ? 'a CPU profile'
    : has('alloc_space') || has('inuse_space')
      ? 'a heap profile'
      : has('goroutine')
        ? 'a goroutine profile'
        : has('threadcreate')
          ? 'a threadcreate profile'
          : has('contentions') && has('delay')
            ? 'a mutex or block profile'
            : 'a profile';
  return `${kind} (${p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ')})`;
}

/**
 * Why `base` cannot be the base of `current`, in the user's words, or undefined when it can:
 * "it is a CPU profile (samples/count, cpu/nanoseconds), the open profile a goroutine profile (goroutine/count)".
 */
export function baseMismatch(current: Profile, base: Profile): string | undefined {
  const why = incompatibility(current, base);
  if (!why) return undefined;
  const a = profileKind(base);
  const b = profileKind(current);
  return a === b ? `${why.replace(/^incompatible/, 'it has other')}` : `it is ${a}, the open profile ${b}`;
}

/**
 * The base picker's candidates: those with the open profile's sample types (the only ones pprof can
 * compare it with) in their order, and a note on the others left out ("2 profiles of other kinds
 * (a CPU profile, a heap profile) are not listed"). Unreadable candidates (types undefined) stay.
 */
export function baseCandidates<T>(
  current: Pick<Profile, 'sampleTypes'>,
  found: readonly { item: T; sampleTypes?: readonly { type: string; unit: string }[] }[],
): { items: T[]; note?: string } {
  const key = (ts: readonly { type: string; unit: string }[]) => ts.map((t) => `${t.type}/${t.unit}`).join(' ');
  const want = key(current.sampleTypes);
  const items: T[] = [];
  const kinds = new Set<string>();
  let left = 0;
  for (const f of found) {
    if (!f.sampleTypes || key(f.sampleTypes) === want) items.push(f.item);
    else {
      left++;
      kinds.add(profileKind({ sampleTypes: f.sampleTypes.map((t) => ({ ...t })) as Profile['sampleTypes'] }));
    }
  }
  if (left === 0) return { items };
  const what = left === 1 ? '1 profile of another kind' : `${left} profiles of other kinds`;
  return {
    items,
    note: `${what} (${[...kinds].join('; ')}) not listed: a base needs the sample types of ${profileKind(current)}`,
  };
}

/** Go's math.Round: halves away from zero (Math.round rounds -2.5 to -2). */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Multiplies every sample value by ratio, rounding like pprof's Scale. */
export function scaleProfile(p: Profile, ratio: number): Profile {
  if (ratio === 1) return p;
  const from = p.samples.values;
  const values = new Float64Array(from.length);
  for (let i = 0; i < from.length; i++) values[i] = goRound(from[i]! * ratio);
  const { count, stack, locStart, stackLocs, labelIds, labelSets } = p.samples;
  // Label columns stay columns (a spread would build the labels array).
  if (labelIds && labelSets) {
    return { ...p, samples: withLabelSets({ count, values, stack, locStart, stackLocs }, labelIds, labelSets) };
  }
  return { ...p, samples: { ...p.samples, values } };
}

/**
 * pprof's -normalize: scales p so that each sample type sums to what it sums to in base
 * (samples that become all zero are dropped).
 */
export function normalizeTo(p: Profile, base: Profile): Profile {
  const why = incompatibility(p, base);
  if (why) throw new ProfileError('unsupported', `Cannot compare these profiles: ${why}.`);
  const T = p.sampleTypes.length;
  const sum = (q: Profile) => {
    const out = new Array<number>(T).fill(0);
    for (let i = 0; i < q.samples.count; i++) for (let t = 0; t < T; t++) out[t]! += q.samples.values[i * T + t]!;
    return out;
  };
  const b = sum(base);
  const s = sum(p);
  const ratios = b.map((v, t) => (s[t] === 0 ? 0 : v / s[t]!));
  if (ratios.every((r) => r === 1)) return p;
  const keep: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < p.samples.count; i++) {
    let nonzero = false;
    const row: number[] = [];
    for (let t = 0; t < T; t++) {
      const v = p.samples.values[i * T + t]!;
      const x = ratios[t] !== 1 ? goRound(v * ratios[t]!) : v;
      if (ratios[t] !== 1 && x !== 0) nonzero = true;
      row.push(x);
    }
    if (!nonzero) continue;
    keep.push(i);
    values.push(...row);
  }
  // The stack table stays: the kept samples keep their stacks.
  const { locStart, stack, stackLocs, labels } = p.samples;
  return {
    ...p,
    samples: {
      count: keep.length,
      values: Float64Array.from(values),
      stack: Uint32Array.from(keep, (i) => stack[i]!),
      locStart,
      stackLocs,
      labels: labels.length > 0 ? keep.map((i) => labels[i]) : [],
    },
  };
}

/** Adds a label to every sample (replacing one of the same key). */
export function withLabel(p: Profile, label: Label): Profile {
  const add = (ls: readonly Label[] | undefined): Label[] => [...(ls ?? []).filter((l) => l.key !== label.key), label];
  const { labelIds, labelSets } = p.samples;
  if (labelIds && labelSets) {
    // Label columns: each set once, and one more for the samples without labels.
    const sets = [...labelSets.map(add), add(undefined)];
    const none = sets.length;
    const ids =
      none <= 0xff
        ? new Uint8Array(p.samples.count)
        : none <= 0xffff
          ? new Uint16Array(p.samples.count)
          : new Uint32Array(p.samples.count);
    for (let i = 0; i < ids.length; i++) ids[i] = labelIds[i] || none;
    const { count, values, stack, locStart, stackLocs } = p.samples;
    return { ...p, samples: withLabelSets({ count, values, stack, locStart, stackLocs }, ids, sets) };
  }
  const cache = new Map<readonly Label[] | undefined, Label[]>();
  const labels = Array.from({ length: p.samples.count }, (_, i) => {
    const ls = p.samples.labels[i];
    let out = cache.get(ls);
    if (!out) cache.set(ls, (out = add(ls)));
    return out;
  });
  return { ...p, samples: withLabels(p.samples, labels) };
}

/** pprof's Merge of profiles with the same sample types. */
export function mergeProfiles(ps: readonly Profile[]): Profile {
  if (ps.length === 0) throw new RangeError('no profiles to merge');
  for (const q of ps.slice(1)) {
    const why = incompatibility(ps[0]!, q);
    if (why) throw new ProfileError('unsupported', `Cannot compare these profiles: ${why}.`);
  }
  return mergeAll(ps);
}

export type CompareMode = 'base' | 'diff_base';

/** current compared with base, as go tool pprof -base / -diff_base (with -normalize). */
export function compareProfiles(current: Profile, base: Profile, mode: CompareMode, normalize = false): Profile {
  let b = base;
  if (mode === 'diff_base') b = withLabel(b, { key: DIFF_BASE_LABEL, str: 'true' });
  const c = normalize ? normalizeTo(current, b) : current;
  return mergeProfiles([c, scaleProfile(b, -1)]);
}

/** True for samples from the base of a -diff_base comparison. */
export function isDiffBaseSample(labels: readonly Label[] | undefined): boolean {
  return !!labels?.some((l) => l.key === DIFF_BASE_LABEL && l.str === 'true');
}
