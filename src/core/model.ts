/**
 * The decoded profile: profile.proto's names with the string table and ids resolved once.
 *
 * Every table is a dense array and every cross reference is an index into one of them, so the
 * model is cheap to walk, JSON-safe and transferable between threads. Samples are stored
 * column-wise in typed arrays: a 50 MB profile holds millions of stack entries, and one JS object
 * per sample would cost several times the memory of the profile itself.
 *
 * A Profile is never mutated after decoding. Stages that change it (filter, diff, scale) return
 * a new Profile that may share tables with the old one.
 *
 * int64 policy: protobuf int64/uint64 fields are read as JS numbers (doubles). Sample values,
 * label numbers, times, periods and line numbers are exact up to 2^53 (about 104 days in
 * nanoseconds, 8 PB in bytes); larger magnitudes are rounded to the nearest double. Addresses
 * above 2^53 (kernel space) are likewise rounded: they only label unsymbolized frames, and a
 * location's identity is its index, never its address.
 */

export interface ValueType {
  /** e.g. "alloc_space", "cpu", "contentions". */
  readonly type: string;
  /** e.g. "bytes", "nanoseconds", "count". */
  readonly unit: string;
}

export interface Mapping {
  readonly id: number;
  readonly start: number;
  readonly limit: number;
  readonly offset: number;
  readonly file: string;
  readonly buildId: string;
  readonly hasFunctions: boolean;
  readonly hasFilenames: boolean;
  readonly hasLineNumbers: boolean;
  readonly hasInlineFrames: boolean;
}

export interface Func {
  readonly id: number;
  readonly name: string;
  readonly systemName: string;
  readonly file: string;
  readonly startLine: number;
}

/** One frame of a location. line[0] of a Location is the innermost inlined frame. */
export interface Line {
  /** Index into Profile.functions, or -1 when the Line names no function. */
  readonly func: number;
  readonly line: number;
  readonly column: number;
}

export interface Location {
  readonly id: number;
  /** Index into Profile.mappings, or -1. */
  readonly mapping: number;
  readonly address: number;
  readonly lines: readonly Line[];
  readonly isFolded: boolean;
}

export interface Label {
  readonly key: string;
  /** String value; undefined for a numeric label. */
  readonly str?: string;
  /** Numeric value; undefined for a string label. */
  readonly num?: number;
  readonly numUnit?: string;
}

/**
 * Column-wise samples over a stack table. Sample i has the values values[i*T .. i*T+T)
 * (T = sampleTypes.length) and the stack stack[i]; stack u is stackLocs[locStart[u] ..
 * locStart[u+1]), leaf first, as indices into Profile.locations.
 *
 * A Go runtime profile repeats few stacks over many samples (700,000 heap samples over 53,000
 * stacks): the table holds each once. The decoder makes the table distinct; stages that build
 * samples may give every sample its own entry (identityStacks), and core/stacks stacksOf finds
 * the distinct stacks either way.
 */
export interface Samples {
  readonly count: number;
  /** Int32Array when every value fits 32 bits (most profiles), else Float64Array. */
  readonly values: Float64Array | Int32Array;
  /** Per sample, its stack: an index into the stack table (locStart). */
  readonly stack: Uint16Array | Uint32Array;
  /** Per stack of the table, where its locations start in stackLocs; one more entry than stacks. */
  readonly locStart: Uint32Array;
  /** Uint16Array when the profile has at most 65535 locations. */
  readonly stackLocs: Uint16Array | Uint32Array;
  /** labels[i] is undefined for a sample without labels. Length is count, or 0 when no sample has labels. */
  readonly labels: ReadonlyArray<readonly Label[] | undefined>;
  /**
   * Label columns (the decoder's, and withLabel's of them), absent elsewhere: per sample 1 + the
   * index of its set in labelSets, or 0. labels is built from them on first use (withLabelSets),
   * so a report that needs no labels never holds an entry per sample. When present they describe
   * labels exactly (readers use them instead): other labels go with withLabels.
   */
  readonly labelIds?: Uint8Array | Uint16Array | Uint32Array;
  readonly labelSets?: ReadonlyArray<readonly Label[]>;
}

/**
 * Samples whose labels are given as label set ids (0: none, else 1 + index into sets), built into
 * the labels array when something reads it.
 */
export function withLabelSets(
  base: Omit<Samples, 'labels' | 'labelIds' | 'labelSets'>,
  labelIds: Uint8Array | Uint16Array | Uint32Array,
  labelSets: ReadonlyArray<readonly Label[]>,
): Samples {
  let labels: (readonly Label[] | undefined)[] | undefined;
  return {
    ...base,
    labelIds,
    labelSets,
    get labels() {
      if (!labels) {
        labels = new Array<readonly Label[] | undefined>(labelIds.length);
        for (let i = 0; i < labelIds.length; i++) {
          const id = labelIds[i]!;
          labels[i] = id > 0 ? labelSets[id - 1] : undefined;
        }
      }
      return labels;
    },
  };
}

/**
 * s with other labels. Never `{ ...s, labels }`: that keeps s's label columns (labelIds,
 * labelSets), which readers trust over labels and which describe s's old labels.
 */
export function withLabels(s: Samples, labels: Samples['labels']): Samples {
  return { count: s.count, values: s.values, stack: s.stack, locStart: s.locStart, stackLocs: s.stackLocs, labels };
}

/** The stack table of samples built one stack per sample: stack[i] = i. */
export function identityStacks(count: number): Uint32Array {
  const a = new Uint32Array(count);
  for (let i = 0; i < count; i++) a[i] = i;
  return a;
}

/** Sample i's locations, leaf first (a view, not a copy). */
export function sampleLocs(s: Samples, i: number): Uint16Array | Uint32Array {
  const u = s.stack[i]!;
  return s.stackLocs.subarray(s.locStart[u], s.locStart[u + 1]);
}

export interface Profile {
  readonly sampleTypes: readonly ValueType[];
  /** The profile's default_sample_type, "" when unset. Use defaultSampleIndex() to choose. */
  readonly defaultSampleType: string;
  readonly samples: Samples;
  readonly mappings: readonly Mapping[];
  readonly locations: readonly Location[];
  readonly functions: readonly Func[];
  readonly dropFrames: string;
  readonly keepFrames: string;
  readonly timeNanos: number;
  /**
   * time_nanos in decimal when it is beyond 2^53 and timeNanos is rounded (times since 1970 in
   * nanoseconds are): raw output prints it to the nanosecond.
   */
  readonly timeNanosExact?: string;
  readonly durationNanos: number;
  readonly periodType?: ValueType;
  readonly period: number;
  readonly comments: readonly string[];
  readonly docUrl: string;
}

/** The index of the sample type pprof shows when no -sample_index is given. */
export function defaultSampleIndex(p: Profile): number {
  if (p.defaultSampleType !== '') {
    const i = p.sampleTypes.findIndex((t) => t.type === p.defaultSampleType);
    if (i >= 0) return i;
  }
  return p.sampleTypes.length - 1;
}

/**
 * Resolves a -sample_index argument as pprof does: "" means the default, a number is an index,
 * otherwise a sample type name; "inuse_space"/"inuse_objects" also match legacy "space"/"objects".
 */
export function sampleIndexByName(p: Profile, name: string): number {
  if (name === '') return defaultSampleIndex(p);
  if (/^-?\d+$/.test(name)) {
    const n = Number(name);
    if (n < 0 || n >= p.sampleTypes.length) {
      throw new RangeError(`sample_index ${name} is outside the range [0..${p.sampleTypes.length - 1}]`);
    }
    return n;
  }
  const noInuse = name.replace(/^inuse_/, '');
  const i = p.sampleTypes.findIndex((t) => t.type === name || t.type === noInuse);
  if (i >= 0) return i;
  throw new RangeError(`sample_index "${name}" must be one of: ${p.sampleTypes.map((t) => t.type).join(', ')}`);
}

/** Sum of one sample type over all samples. */
export function totalOf(p: Profile, sampleIndex: number): number {
  const { values, count } = p.samples;
  const T = p.sampleTypes.length;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i * T + sampleIndex]!;
  return sum;
}
