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
import { identityStacks, type Func, type Label, type Line, type Location, type Mapping, type Profile } from './model';
import { compileGoRegexp, type GoRegexp } from './regexp';

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

interface MSample {
  values: number[];
  locs: number[];
  labels: readonly Label[] | undefined;
  /** Its labels' number in mergeProfiles (the same labelKey, the same number; 0: no labels). */
  labelId: number;
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

function isZero(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
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
 */
export function mergeProfiles(ps: readonly Profile[], depth = 0): Profile {
  const mappings: Mapping[] = [];
  const mappingByKey = new Map<string, number>();
  const functions: Func[] = [];
  const functionByKey = new Map<string, number>();
  const locations: MLocation[] = [];
  const locationByKey = new Map<string, number>();
  const samples: MSample[] = [];
  const sampleByHash = new Map<number, MSample | MSample[]>();
  // Samples are found by a hash of their stack and labels. A label set is numbered by its
  // labelKey, which is computed once per label array (the decoder shares one among its samples).
  const labelIdByKey = new Map<string, number>();
  const labelIdOf = new Map<readonly Label[], number>();
  const labelId = (ls: readonly Label[] | undefined): number => {
    if (ls === undefined || ls.length === 0) return 0;
    let id = labelIdOf.get(ls);
    if (id === undefined) {
      const key = labelKey(ls);
      id = labelIdByKey.get(key);
      if (id === undefined) labelIdByKey.set(key, (id = labelIdByKey.size + 1));
      labelIdOf.set(ls, id);
    }
    return id;
  };

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

    // The first mapping stays first: it names the main binary.
    if (mappings.length === 0 && p.mappings.length > 0) mapMapping(0);
    const T = p.sampleTypes.length;
    const { count, values, locStart, stack, stackLocs, labels } = p.samples;
    for (let i = 0; i < count; i++) {
      const v0 = i * T;
      let zero = true;
      for (let j = 0; j < T && zero; j++) if (values[v0 + j] !== 0) zero = false;
      if (zero) continue;
      const locs: number[] = [];
      for (let k = locStart[stack[i]!]!; k < locStart[stack[i]! + 1]!; k++) locs.push(mapLocation(stackLocs[k]!));
      const ls = labels[i];
      // Merged locations are numbered by index (id = index + 1): the indices identify the stack.
      // No string per sample: a hash of the stack and the label set's number, then a comparison.
      const lid = labelId(ls);
      const hash = (stackHash(locs) ^ Math.imul(lid, 0x9e3779b1)) & 0x3fffffff;
      const c = sampleByHash.get(hash);
      const same =
        c === undefined
          ? undefined
          : Array.isArray(c)
            ? c.find((x) => sameSample(x, locs, lid))
            : sameSample(c, locs, lid)
              ? c
              : undefined;
      if (same !== undefined) {
        for (let j = 0; j < T; j++) same.values[j] = same.values[j]! + values[v0 + j]!;
        continue;
      }
      const vs: number[] = [];
      for (let j = 0; j < T; j++) vs.push(values[v0 + j]!);
      const s: MSample = { values: vs, locs, labels: ls, labelId: lid };
      if (c === undefined) sampleByHash.set(hash, s);
      else if (Array.isArray(c)) c.push(s);
      else sampleByHash.set(hash, [c, s]);
      samples.push(s);
    }
  }
  const out = build(combineHeaders(ps), samples, locations, functions, mappings);
  // Sums that cancel out leave zero samples: pprof merges once more to drop them.
  if (depth < 2 && samples.some((s) => isZero(s.values))) return mergeProfiles([out], depth + 1);
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

function build(
  p: Profile,
  samples: MSample[],
  locations: MLocation[],
  functions: Func[],
  mappings: Mapping[],
): Profile {
  const T = p.sampleTypes.length;
  const values = new Float64Array(samples.length * T);
  const locStart = new Uint32Array(samples.length + 1);
  let total = 0;
  for (const s of samples) total += s.locs.length;
  const stackLocs = locations.length <= 0xffff ? new Uint16Array(total) : new Uint32Array(total);
  let k = 0;
  samples.forEach((s, i) => {
    values.set(s.values, i * T);
    locStart[i] = k;
    for (const l of s.locs) stackLocs[k++] = l;
  });
  locStart[samples.length] = k;
  const anyLabels = samples.some((s) => s.labels !== undefined && s.labels.length > 0);
  return {
    ...p,
    samples: {
      count: samples.length,
      values,
      stack: identityStacks(samples.length),
      locStart,
      stackLocs,
      labels: anyLabels ? samples.map((s) => s.labels) : [],
    },
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
}

/** FNV-1a over a stack's merged location indices, as a small integer (V8 keeps it unboxed). */
function stackHash(locs: readonly number[]): number {
  let h = 0x811c9dc5 ^ locs.length;
  for (let i = 0; i < locs.length; i++) h = Math.imul(h ^ locs[i]!, 0x01000193);
  return h & 0x3fffffff;
}

/** True when s has exactly this stack and label set (labelId). */
function sameSample(s: MSample, locs: readonly number[], labelId: number): boolean {
  if (s.labelId !== labelId) return false;
  const a = s.locs;
  if (a.length !== locs.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== locs[i]) return false;
  return true;
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
