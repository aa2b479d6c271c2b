/**
 * What `go tool pprof` does to a fetched profile before any report, -raw and -proto included:
 *
 * 1. a profile without mappings gets one empty mapping that every location points at,
 * 2. profile.Merge of the single source: all-zero samples are dropped, samples with the same
 *    stack and labels are summed, equal mappings / functions / locations are shared, and
 *    everything is renumbered in order of first use (unused entries disappear),
 * 3. RemoveUninteresting: frames matching the profile's drop_frames (unless keep_frames) are
 *    pruned from the stacks,
 * 4. mappings whose file is an absolute URL and that have no build id lose the file name,
 * 5. the report's sample filter (FilterSamplesByName, even with no focus/ignore given) drops
 *    samples whose stack is empty.
 *
 * The .string goldens of pprof's TestParse show a parsed profile before these steps; the
 * go1.19-oracle raw.txt files show it after them.
 */
import {
  withLabelSets,
  type Func,
  type Label,
  type Line,
  type Location,
  type Mapping,
  type Profile,
  type Samples,
} from './model';
import { compileGoRegexp, type GoRegexp } from './regexp';
import { rememberDistinct, STACK_HASH_PRIME, STACK_HASH_SEED } from './stacks';

interface MLine {
  func: number;
  line: number;
  column: number;
}

interface MLocation {
  id: number;
  mapping: number;
  address: number;
  lines: MLine[];
  isFolded: boolean;
}

/** Applies the driver's normalization (see the file comment); the input is not modified. */
export function driverNormalize(p: Profile): Profile {
  let q = withFakeMapping(p);
  q = mergeProfiles([q]);
  q = removeUninteresting(q);
  q = unsourceMappings(q);
  return dropEmptyStacks(q);
}

function withFakeMapping(p: Profile): Profile {
  if (p.mappings.length > 0) return p;
  const m: Mapping = {
    id: 1,
    start: 0,
    limit: 0,
    offset: 0,
    file: '',
    buildId: '',
    hasFunctions: false,
    hasFilenames: false,
    hasLineNumbers: false,
    hasInlineFrames: false,
  };
  return { ...p, mappings: [m], locations: p.locations.map((l) => ({ ...l, mapping: 0 })) };
}

/** Go's sample key: string labels and numeric labels (with units) grouped by key, sorted. */
function labelKey(labels: readonly Label[] | undefined): string {
  if (labels === undefined || labels.length === 0) return '';
  const strs = new Map<string, string[]>();
  const nums = new Map<string, { v: number[]; u: string[] }>();
  for (const l of labels) {
    if (l.str !== undefined) {
      const a = strs.get(l.key) ?? [];
      a.push(l.str);
      strs.set(l.key, a);
    } else if (l.num !== undefined) {
      const a = nums.get(l.key) ?? { v: [], u: [] };
      a.v.push(l.num);
      if (l.numUnit) a.u.push(l.numUnit);
      nums.set(l.key, a);
    }
  }
  const s = [...strs].map(([k, v]) => JSON.stringify([k, v])).sort();
  const n = [...nums].map(([k, { v, u }]) => JSON.stringify([k, v, u])).sort();
  return s.join('') + '\u0000' + n.join('');
}

/**
 * pprof's Merge: profiles with the same sample types (see diff.ts incompatibility) become one.
 * Mappings, functions and locations are unified by content and renumbered in order of first use
 * (unused ones disappear), samples with the same stack and labels are summed, all-zero samples
 * dropped; the headers combine as pprof's combineHeaders does (earliest time, summed durations,
 * largest period, comments once each).
 *
 * It works on the sample columns: each distinct stack of a profile's stack table is mapped once
 * (on its first nonzero sample, so locations are numbered in the order pprof numbers them) and
 * interned among the merged stacks; a sample is then found by (merged stack, label set) in a
 * typed hash table and its values summed in a Float64Array. The result's stack table holds each
 * merged stack once, numbered in the order of its first sample (stacksOf walks no stack again).
 */
export function mergeProfiles(ps: readonly Profile[]): Profile {
  const header = combineHeaders(ps);
  const T = header.sampleTypes.length;
  const mappings: Mapping[] = [];
  const mappingByKey = new Map<string, number>();
  const functions: Func[] = [];
  const functionByKey = new Map<string, number>();
  const locations: MLocation[] = [];
  const locationByKey = new Map<string, number>();

  // Label sets: each label array (by identity; the decoder shares one among its samples) is
  // numbered once, 1 + its index in setArrays (0: no labels), and so is its labelKey (keyOfSet;
  // 0: no labels or an empty array): samples with the same key have the same labels for pprof.
  const setOf = new Map<readonly Label[], number>();
  const setArrays: (readonly Label[])[] = [];
  const keyOfSet: number[] = [0];
  const keyIdByKey = new Map<string, number>();
  const setId = (ls: readonly Label[] | undefined): number => {
    if (ls === undefined) return 0;
    let id = setOf.get(ls);
    if (id === undefined) {
      setArrays.push(ls);
      setOf.set(ls, (id = setArrays.length));
      let kid = 0;
      if (ls.length > 0) {
        const key = labelKey(ls);
        kid = keyIdByKey.get(key) ?? 0;
        if (kid === 0) keyIdByKey.set(key, (kid = keyIdByKey.size + 1));
      }
      keyOfSet.push(kid);
    }
    return id;
  };

  const stacks = new StackSet();
  const samples = new SampleSet(Math.max(16, ...ps.map((p) => p.samples.count)), T);

  for (const p of ps) {
    const mappingBySrc = new Map<number, { m: number; offset: number }>();
    // Source index -> merged index, -1 until seen: typed arrays, as every stack entry looks here.
    const functionBySrc = new Int32Array(p.functions.length).fill(-1);
    const locationBySrc = new Int32Array(p.locations.length).fill(-1);

    const mapMapping = (src: number): { m: number; offset: number } | undefined => {
      if (src < 0) return undefined;
      const known = mappingBySrc.get(src);
      if (known !== undefined) return known;
      const m = p.mappings[src]!;
      const size = Math.ceil((m.limit - m.start) / 0x1000) * 0x1000;
      const key = `${size}|${m.offset}|${m.buildId !== '' ? m.buildId : m.file}`;
      const same = mappingByKey.get(key);
      if (same !== undefined) {
        const mi = { m: same, offset: mappings[same]!.start - m.start };
        mappingBySrc.set(src, mi);
        return mi;
      }
      mappings.push({ ...m, id: mappings.length + 1 });
      mappingByKey.set(key, mappings.length - 1);
      const mi = { m: mappings.length - 1, offset: 0 };
      mappingBySrc.set(src, mi);
      return mi;
    };

    const mapFunction = (src: number): number => {
      if (src < 0) return -1;
      const known = functionBySrc[src]!;
      if (known >= 0) return known;
      const f = p.functions[src]!;
      const key = `${f.startLine}\u0000${f.name}\u0000${f.systemName}\u0000${f.file}`;
      let idx = functionByKey.get(key);
      if (idx === undefined) {
        functions.push({ ...f, id: functions.length + 1 });
        idx = functions.length - 1;
        functionByKey.set(key, idx);
      }
      functionBySrc[src] = idx;
      return idx;
    };

    const mapLocation = (src: number): number => {
      const known = locationBySrc[src]!;
      if (known >= 0) return known;
      const l = p.locations[src]!;
      const mi = mapMapping(l.mapping);
      const loc: MLocation = {
        id: locations.length + 1,
        mapping: mi === undefined ? -1 : mi.m,
        address: l.address + (mi?.offset ?? 0),
        lines: l.lines.map((ln) => ({ func: mapFunction(ln.func), line: ln.line, column: ln.column })),
        isFolded: l.isFolded,
      };
      const m = loc.mapping >= 0 ? mappings[loc.mapping]! : undefined;
      const key = [
        m === undefined ? loc.address : loc.address - m.start,
        m === undefined ? 0 : m.id,
        loc.isFolded ? 1 : 0,
        loc.lines.map((ln) => `${ln.func >= 0 ? functions[ln.func]!.id : ''}|${ln.line}`).join('|'),
      ].join('/');
      const same = locationByKey.get(key);
      if (same !== undefined) {
        locationBySrc[src] = same;
        return same;
      }
      locations.push(loc);
      locationByKey.set(key, locations.length - 1);
      locationBySrc[src] = locations.length - 1;
      return locations.length - 1;
    };

    /** Source stack e with its locations mapped, among the merged stacks: its number. */
    const internStack = (e: number): number => {
      const { locStart, stackLocs } = p.samples;
      const a0 = locStart[e]!;
      const n = locStart[e + 1]! - a0;
      const buf = stacks.reserve(n);
      const at = stacks.next();
      for (let k = 0; k < n; k++) {
        const src = stackLocs[a0 + k]!;
        const l = locationBySrc[src]!;
        buf[at + k] = l >= 0 ? l : mapLocation(src);
      }
      return stacks.intern(n);
    };

    // The first mapping stays first: it names the main binary.
    if (mappings.length === 0 && p.mappings.length > 0) mapMapping(0);
    addSamples(p, samples, internStack, setId, keyOfSet);
  }

  const N = samples.count;
  const { set: sSet, values: sValues } = samples;
  let anyZero = false;
  let anyLabels = false;
  for (let i = 0; i < N; i++) {
    if (keyOfSet[sSet[i]!] !== 0) anyLabels = true;
    let zero = true;
    for (let j = i * T; j < i * T + T && zero; j++) if (sValues[j] !== 0) zero = false;
    if (zero) anyZero = true;
  }
  const total = stacks.next();
  const columns = {
    count: N,
    values: sValues.length === N * T ? sValues : sValues.slice(0, N * T),
    stack: samples.stack.length === N ? samples.stack : samples.stack.slice(0, N),
    locStart: stacks.start.slice(0, stacks.count + 1),
    stackLocs:
      locations.length <= 0xffff ? Uint16Array.from(stacks.locs.subarray(0, total)) : stacks.locs.slice(0, total),
  };
  // Labels as label columns (each sample's set: its first source sample's array).
  const merged: Samples = anyLabels
    ? withLabelSets(columns, labelIdColumn(sSet.subarray(0, N), setArrays.length), setArrays)
    : { ...columns, labels: [] };
  const out: Profile = {
    ...header,
    samples: merged,
    locations: locations.map((l): Location => ({
      id: l.id,
      mapping: l.mapping,
      address: l.address,
      lines: l.lines as Line[],
      isFolded: l.isFolded,
    })),
    functions,
    mappings,
  };
  // Sums that cancel out leave zero samples: pprof merges once more to drop them.
  if (anyZero) return withoutZeroSamples(out);
  // Each stack of the table once, in the order of its first sample (every one has a sample).
  rememberDistinct(merged);
  return out;
}

/**
 * What mergeProfiles([p]) makes of a merged profile p whose sums cancelled out (pprof's second
 * merge): the all-zero samples dropped, and stacks, locations, functions and mappings renumbered
 * in order of first use by the others (the first mapping stays first). p's entries are distinct
 * already (it is a merge), so nothing is unified and no sample is looked up: the rest keep their
 * order.
 */
function withoutZeroSamples(p: Profile): Profile {
  const { count, values, stack, locStart, stackLocs, labelIds, labelSets } = p.samples;
  // (With label columns, the labels array is never built.)
  const labels = labelIds && labelSets ? [] : p.samples.labels;
  const T = p.sampleTypes.length;
  const mappings: Mapping[] = [];
  const functions: Func[] = [];
  const locations: Location[] = [];
  const mappingOf = new Int32Array(p.mappings.length).fill(-1);
  const functionOf = new Int32Array(p.functions.length).fill(-1);
  const locationOf = new Int32Array(p.locations.length).fill(-1);
  const useMapping = (m: number): number => {
    if (m < 0) return -1;
    if (mappingOf[m]! < 0) {
      mappingOf[m] = mappings.length;
      mappings.push({ ...p.mappings[m]!, id: mappings.length + 1 });
    }
    return mappingOf[m]!;
  };
  const useFunction = (f: number): number => {
    if (f < 0) return -1;
    if (functionOf[f]! < 0) {
      functionOf[f] = functions.length;
      functions.push({ ...p.functions[f]!, id: functions.length + 1 });
    }
    return functionOf[f]!;
  };
  const useLocation = (l: number): number => {
    const known = locationOf[l]!;
    if (known >= 0) return known;
    const loc = p.locations[l]!;
    const mapping = useMapping(loc.mapping);
    const lines = loc.lines.map((ln) => ({ func: useFunction(ln.func), line: ln.line, column: ln.column }));
    locationOf[l] = locations.length;
    locations.push({ id: locations.length + 1, mapping, address: loc.address, lines, isFolded: loc.isFolded });
    return locations.length - 1;
  };
  if (p.mappings.length > 0) useMapping(0);

  const keep: number[] = [];
  for (let i = 0; i < count; i++) {
    for (let j = i * T; j < i * T + T; j++) {
      if (values[j] !== 0) {
        keep.push(i);
        break;
      }
    }
  }
  const n = keep.length;
  const stackOf = new Int32Array(locStart.length - 1).fill(-1);
  const outValues = new Float64Array(n * T);
  const outStack = new Uint32Array(n);
  const starts: number[] = [0];
  const locs: number[] = [];
  let anyLabels = false;
  for (let k = 0; k < n; k++) {
    const i = keep[k]!;
    outValues.set(values.subarray(i * T, i * T + T), k * T);
    const e = stack[i]!;
    if (stackOf[e]! < 0) {
      stackOf[e] = starts.length - 1;
      for (let a = locStart[e]!; a < locStart[e + 1]!; a++) locs.push(useLocation(stackLocs[a]!));
      starts.push(locs.length);
    }
    outStack[k] = stackOf[e]!;
    if (!anyLabels && labels.length > 0 && (labels[i]?.length ?? 0) > 0) anyLabels = true;
  }
  const columns = {
    count: n,
    values: outValues,
    stack: outStack,
    locStart: Uint32Array.from(starts),
    stackLocs: locations.length <= 0xffff ? Uint16Array.from(locs) : Uint32Array.from(locs),
  };
  let samples: Samples = { ...columns, labels: anyLabels ? keep.map((i) => labels[i]) : [] };
  if (labelIds && labelSets) {
    const ids = labelIdColumn(
      keep.map((i) => labelIds[i]!),
      labelSets.length,
    );
    if (ids.some((id) => id > 0 && labelSets[id - 1]!.length > 0)) samples = withLabelSets(columns, ids, labelSets);
  }
  rememberDistinct(samples);
  return { ...p, samples, locations, functions, mappings };
}

/**
 * Merges p's samples into `into`, in order: all-zero samples skipped, the others found by their
 * merged stack (stackOf: a source stack's, mapped on its first sample) and their label set's key
 * (keyOfSet[setId(labels)]), their values summed. A function of its own, so that V8 optimizes
 * this loop whole.
 */
function addSamples(
  p: Profile,
  into: SampleSet,
  internStack: (e: number) => number,
  setId: (ls: readonly Label[] | undefined) => number,
  keyOfSet: readonly number[],
): void {
  const { count, values, stack, locStart, labelIds, labelSets } = p.samples;
  const T = p.sampleTypes.length;
  // Per entry of the source stack table, its merged stack (-1: not mapped yet).
  const stackOf = new Int32Array(locStart.length - 1).fill(-1);
  // Label columns: each set numbered once, the labels array never built.
  let setOfId: Int32Array | undefined;
  if (labelIds && labelSets) {
    setOfId = new Int32Array(labelSets.length + 1);
    for (let k = 0; k < labelSets.length; k++) setOfId[k + 1] = setId(labelSets[k]);
  }
  const labels = setOfId ? [] : p.samples.labels;
  const hasLabels = labels.length > 0;
  let lastLabels: readonly Label[] | undefined;
  let lastSet = 0;
  // Samples go to `into` in batches: their slots are looked at first, all at once, so that the
  // table's cache misses overlap (a stack's samples are spread over the profile).
  const batch = new Int32Array(3 * ADD_BATCH);
  let n = 0;
  for (let i = 0; i < count; i++) {
    const v0 = i * T;
    let zero = true;
    for (let j = 0; j < T && zero; j++) if (values[v0 + j] !== 0) zero = false;
    if (zero) continue;
    const e = stack[i]!;
    let u = stackOf[e]!;
    if (u < 0) u = stackOf[e] = internStack(e);
    let set = 0;
    if (setOfId) set = setOfId[labelIds![i]!]!;
    else if (hasLabels) {
      const ls = labels[i];
      if (ls !== lastLabels) {
        lastLabels = ls;
        lastSet = setId(ls);
      }
      set = lastSet;
    }
    batch[3 * n] = i;
    batch[3 * n + 1] = u;
    batch[3 * n + 2] = set;
    if (++n === ADD_BATCH) {
      into.addBatch(batch, n, keyOfSet, values);
      n = 0;
    }
  }
  into.addBatch(batch, n, keyOfSet, values);
}

const ADD_BATCH = 64;

/**
 * The merged stacks, each once: stack u is locs[start[u] .. start[u + 1]) (merged location
 * indices, leaf first). A new stack is written at next() and then interned.
 */
class StackSet {
  count = 0;
  start = new Uint32Array(1025);
  locs = new Uint32Array(1 << 14);
  /** Open addressing: a slot holds a stack and its hash side by side ([2h], [2h + 1]; -1: empty). */
  private cap = 1 << 12;
  private slots = new Int32Array(2 * this.cap).fill(-1);

  /** Where the next stack's locations go. */
  next(): number {
    return this.start[this.count]!;
  }

  /** locs, with room for n locations at next(). */
  reserve(n: number): Uint32Array {
    const at = this.next();
    if (at + n > this.locs.length) {
      const b = new Uint32Array(Math.max(2 * this.locs.length, at + n));
      b.set(this.locs.subarray(0, at));
      this.locs = b;
    }
    return this.locs;
  }

  /** The number of the stack of the n locations written at next(): a known one, or a new one. */
  intern(n: number): number {
    const { locs, start } = this;
    const at = start[this.count]!;
    let hash = STACK_HASH_SEED | 0;
    for (let k = 0; k < n; k++) hash = Math.imul(hash ^ locs[at + k]!, STACK_HASH_PRIME);
    const mask = this.cap - 1;
    let h = hash & mask;
    for (let c = this.slots[2 * h]!; c !== -1; c = this.slots[2 * h]!) {
      if (this.slots[2 * h + 1] === hash) {
        const b0 = start[c]!;
        if (start[c + 1]! - b0 === n) {
          let k = 0;
          while (k < n && locs[b0 + k] === locs[at + k]) k++;
          if (k === n) return c;
        }
      }
      h = (h + 1) & mask;
    }
    const u = this.count++;
    if (this.count + 1 > start.length) {
      this.start = new Uint32Array(2 * start.length);
      this.start.set(start);
    }
    this.start[this.count] = at + n;
    this.slots[2 * h] = u;
    this.slots[2 * h + 1] = hash;
    if (2 * this.count > this.cap) this.rehash();
    return u;
  }

  private rehash(): void {
    const old = this.slots;
    this.cap *= 2;
    const mask = this.cap - 1;
    const slots = new Int32Array(2 * this.cap).fill(-1);
    for (let k = 0; k < old.length; k += 2) {
      if (old[k] === -1) continue;
      let j = old[k + 1]! & mask;
      while (slots[2 * j] !== -1) j = (j + 1) & mask;
      slots[2 * j] = old[k]!;
      slots[2 * j + 1] = old[k + 1]!;
    }
    this.slots = slots;
  }
}

/**
 * The merged samples, in order of their first source sample: per sample its merged stack, its
 * label set (the first source sample's) and that set's key, and values [i*T .. i*T + T).
 */
class SampleSet {
  count = 0;
  stack: Uint32Array;
  set: Int32Array;
  key: Int32Array;
  values: Float64Array;
  /** Open addressing over (stack, key): a slot holds [stack, key, sample] side by side (-1: empty). */
  private slotCap = 16;
  private slots: Int32Array;
  /** What addBatch read ahead (kept, so that the reads are not optimized away). */
  touched = 0;

  constructor(
    private cap: number,
    private readonly T: number,
  ) {
    this.stack = new Uint32Array(cap);
    this.set = new Int32Array(cap);
    this.key = new Int32Array(cap);
    this.values = new Float64Array(cap * T);
    while (this.slotCap < 2 * cap) this.slotCap *= 2;
    this.slots = new Int32Array(3 * this.slotCap).fill(-1);
  }

  /** The n samples of batch ([3k]: source sample, [3k + 1]: merged stack, [3k + 2]: label set) added. */
  addBatch(batch: Int32Array, n: number, keyOfSet: readonly number[], from: Samples['values']): void {
    const { slots, values, T } = this;
    const mask = this.slotCap - 1;
    let touched = 0;
    for (let k = 0; k < n; k++)
      touched += slots[3 * (sampleHash(batch[3 * k + 1]!, keyOfSet[batch[3 * k + 2]!]!) & mask)]!;
    for (let k = 0; k < n; k++) {
      const u = batch[3 * k + 1]!;
      const h = 3 * (sampleHash(u, keyOfSet[batch[3 * k + 2]!]!) & mask);
      if (slots[h] === u) touched += values[slots[h + 2]! * T]!;
    }
    this.touched = touched;
    for (let k = 0; k < n; k++) {
      const set = batch[3 * k + 2]!;
      this.add(batch[3 * k + 1]!, keyOfSet[set]!, set, from, batch[3 * k]! * T);
    }
  }

  /** Adds from[v0 .. v0 + T) to the sample of stack u and label key `key` (label set `set` if new). */
  add(u: number, key: number, set: number, from: Samples['values'], v0: number): void {
    const { slots, values, T } = this;
    const mask = this.slotCap - 1;
    let h = sampleHash(u, key) & mask;
    for (let x = slots[3 * h]!; x !== -1; x = slots[3 * h]!) {
      if (x === u && slots[3 * h + 1] === key) {
        const o = slots[3 * h + 2]! * T;
        for (let j = 0; j < T; j++) values[o + j] = values[o + j]! + from[v0 + j]!;
        return;
      }
      h = (h + 1) & mask;
    }
    if (this.count === this.cap) this.grow();
    const n = this.count++;
    this.stack[n] = u;
    this.set[n] = set;
    this.key[n] = key;
    const o = n * T;
    for (let j = 0; j < T; j++) this.values[o + j] = from[v0 + j]!;
    slots[3 * h] = u;
    slots[3 * h + 1] = key;
    slots[3 * h + 2] = n;
    if (2 * this.count > this.slotCap) this.rehash();
  }

  private grow(): void {
    const cap = (this.cap *= 2);
    const grown = <A extends Uint32Array | Int32Array | Float64Array>(a: A, b: A): A => (b.set(a), b);
    this.stack = grown(this.stack, new Uint32Array(cap));
    this.set = grown(this.set, new Int32Array(cap));
    this.key = grown(this.key, new Int32Array(cap));
    this.values = grown(this.values, new Float64Array(cap * this.T));
  }

  private rehash(): void {
    this.slotCap *= 2;
    const mask = this.slotCap - 1;
    const slots = new Int32Array(3 * this.slotCap).fill(-1);
    for (let s = 0; s < this.count; s++) {
      const u = this.stack[s]!;
      const key = this.key[s]!;
      let h = sampleHash(u, key) & mask;
      while (slots[3 * h] !== -1) h = (h + 1) & mask;
      slots[3 * h] = u;
      slots[3 * h + 1] = key;
      slots[3 * h + 2] = s;
    }
    this.slots = slots;
  }
}

function sampleHash(u: number, key: number): number {
  const h = Math.imul(u, 0x9e3779b1) ^ Math.imul(key + 1, 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** Label set ids (0: none, else 1 + an index into sets) in the smallest array that holds them. */
function labelIdColumn(ids: ArrayLike<number>, sets: number): Uint8Array | Uint16Array | Uint32Array {
  const out =
    sets <= 0xff
      ? new Uint8Array(ids.length)
      : sets <= 0xffff
        ? new Uint16Array(ids.length)
        : new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = ids[i]!;
  return out;
}

function combineHeaders(ps: readonly Profile[]): Profile {
  const first = ps[0]!;
  if (ps.length === 1) return first;
  let timeNanos = 0;
  let timeNanosExact: string | undefined;
  let durationNanos = 0;
  let period = 0;
  const comments: string[] = [];
  let defaultSampleType = '';
  for (const p of ps) {
    if (timeNanos === 0 || p.timeNanos < timeNanos) {
      timeNanos = p.timeNanos;
      timeNanosExact = p.timeNanosExact;
    }
    durationNanos += p.durationNanos;
    if (period === 0 || period < p.period) period = p.period;
    for (const c of p.comments) if (!comments.includes(c)) comments.push(c);
    if (defaultSampleType === '') defaultSampleType = p.defaultSampleType;
  }
  const { timeNanosExact: _, ...rest } = first;
  return {
    ...rest,
    timeNanos,
    ...(timeNanosExact !== undefined ? { timeNanosExact } : {}),
    durationNanos,
    period,
    comments,
    defaultSampleType,
  };
}

const RESERVED_NAMES = ['(anonymous namespace)', 'operator()'];

/** pprof's simplifyFunc: drops a leading "." and the argument list of unsimplified C++ names. */
export function simplifyFunc(f: string): string {
  const name = f.startsWith('.') ? f.slice(1) : f;
  const rx = /\(anonymous namespace\)|operator\(\)|\(/g;
  for (const m of name.matchAll(rx)) {
    if (!RESERVED_NAMES.includes(m[0])) return name.slice(0, m.index);
  }
  return name;
}

/** pprof's RemoveUninteresting: prunes frames matching drop_frames (unless keep_frames). */
export function removeUninteresting(p: Profile): Profile {
  if (p.dropFrames === '') return p;
  let drop: GoRegexp;
  let keep: GoRegexp | undefined;
  try {
    drop = compileGoRegexp(`^(${p.dropFrames})$`);
    if (p.keepFrames !== '') keep = compileGoRegexp(`^(${p.keepFrames})$`);
  } catch {
    // pprof reports the bad pattern and goes on without pruning.
    return p;
  }
  const prune = new Uint8Array(p.locations.length);
  const pruneBeneath = new Uint8Array(p.locations.length);
  let changed = false;
  const locations = p.locations.map((loc, li) => {
    let i: number;
    for (i = loc.lines.length - 1; i >= 0; i--) {
      const fn = p.functions[loc.lines[i]!.func];
      if (fn !== undefined && fn.name !== '') {
        const name = simplifyFunc(fn.name);
        if (drop.test(name) && (keep === undefined || !keep.test(name))) break;
      }
    }
    if (i < 0) return loc;
    changed = true;
    pruneBeneath[li] = 1;
    if (i === loc.lines.length - 1) {
      prune[li] = 1;
      return loc;
    }
    return { ...loc, lines: loc.lines.slice(i + 1) };
  });
  if (!changed) return p;
  // Each stack of the table once: the samples keep their stacks.
  const { locStart, stackLocs } = p.samples;
  const S = locStart.length - 1;
  const starts = new Uint32Array(S + 1);
  const out: number[] = [];
  for (let s = 0; s < S; s++) {
    let from = locStart[s]!;
    const to = locStart[s + 1]!;
    let foundUser = false;
    for (let k = to - 1; k >= from; k--) {
      const l = stackLocs[k]!;
      if (!prune[l] && !pruneBeneath[l]) {
        foundUser = true;
        continue;
      }
      if (!foundUser) continue;
      // A pruned location goes with everything beneath it; a partly pruned one stays.
      from = prune[l] ? k + 1 : k;
      break;
    }
    starts[s] = out.length;
    for (let k = from; k < to; k++) out.push(stackLocs[k]!);
  }
  starts[S] = out.length;
  return {
    ...p,
    locations,
    samples: { ...p.samples, locStart: starts, stackLocs: Uint32Array.from(out) },
  };
}

function unsourceMappings(p: Profile): Profile {
  const isAbsURL = (f: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(f);
  if (!p.mappings.some((m) => m.buildId === '' && isAbsURL(m.file))) return p;
  return { ...p, mappings: p.mappings.map((m) => (m.buildId === '' && isAbsURL(m.file) ? { ...m, file: '' } : m)) };
}

function dropEmptyStacks(p: Profile): Profile {
  const { count, values, locStart, stack, stackLocs, labels } = p.samples;
  const keep: number[] = [];
  for (let i = 0; i < count; i++) if (locStart[stack[i]! + 1]! > locStart[stack[i]!]!) keep.push(i);
  if (keep.length === count) return p;
  const T = p.sampleTypes.length;
  const v = new Float64Array(keep.length * T);
  const kept = new Uint32Array(keep.length);
  keep.forEach((i, j) => {
    v.set(values.subarray(i * T, i * T + T), j * T);
    kept[j] = stack[i]!;
  });
  // The stack table stays: the samples of empty stacks are gone.
  const ls = labels.length === 0 ? [] : keep.map((i) => labels[i]);
  return { ...p, samples: { count: keep.length, values: v, stack: kept, locStart, stackLocs, labels: ls } };
}
