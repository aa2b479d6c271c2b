/**
 * Profile-guided optimization: CPU profiles merged into the default.pgo `go build -pgo=auto` reads,
 * and the hot call sites the compiler will see in it.
 *
 * The merge is `go tool pprof -proto a.pb.gz b.pb.gz c.pb.gz > default.pgo`'s: every profile
 * decoded, checked compatible, merged as pprof merges sources (core/diff mergeProfiles), then
 * pprof's driver normalization and drop_frames pruning, as the CLI's -proto does. The caller
 * encodes and gzips the result (core/encode).
 *
 * Hot call sites follow cmd/compile (Go 1.21+, internal/pgo and inline's hotNodesFromCDF):
 *  - sample value: the first sample type that is samples/count or cpu/nanoseconds;
 *  - pprof's graph at its default granularity (a node per location address and line): for each
 *    sample, each caller→callee pair of adjacent frames (inlined frames included) adds the value to
 *    that edge once per sample;
 *  - edges are named (caller function, callee function, call-site offset = call line − caller's
 *    start line) and their weights summed;
 *  - named edges sorted by weight (heaviest first; ties by caller, callee, offset); the hot ones are
 *    the shortest prefix whose cumulative weight exceeds 99 % of the total edge weight
 *    (inlineCDFHotCallSiteThresholdPercent), the last one included. Those call sites get the
 *    raised inlining budget (2000 instead of 80).
 * The compiler refuses a profile whose functions have no start line ("profile missing
 * Function.start_line data"): Go writes start lines since 1.20, so CPU profiles of programs built
 * with an older Go cannot guide a build; missingStartLines says so before writing.
 */
import { driverNormalize, removeUninteresting } from './compact';
import { gunzipIfNeeded, parseProfile } from './decode';
import { incompatibility, mergeProfiles } from './diff';
import { ProfileError } from './errors';
import type { Profile } from './model';

/** pprof's -proto of several sources: merged, normalized, drop_frames pruned. */
export function mergeForPgo(ps: readonly Profile[]): Profile {
  if (ps.length === 0) throw new ProfileError('empty', 'choose at least one CPU profile.');
  for (const p of ps) {
    if (pgoValueIndex(p) < 0)
      throw new ProfileError(
        'unsupported',
        `a ${p.sampleTypes.map((t) => t.type).join('/')} profile cannot guide a build: PGO needs CPU profiles (samples/count, cpu/nanoseconds).`,
      );
  }
  for (const q of ps.slice(1)) {
    const why = incompatibility(ps[0]!, q);
    if (why) throw new ProfileError('unsupported', `the profiles cannot be merged: ${why}`);
  }
  const merged = ps.length === 1 ? ps[0]! : mergeProfiles(ps);
  return removeUninteresting(driverNormalize(merged));
}

/** The sample type cmd/compile reads: the first samples/count or cpu/nanoseconds, else -1. */
export function pgoValueIndex(p: Pick<Profile, 'sampleTypes'>): number {
  return p.sampleTypes.findIndex(
    (t) => (t.type === 'samples' && t.unit === 'count') || (t.type === 'cpu' && t.unit === 'nanoseconds'),
  );
}

/**
 * A profile's sample types without decoding its samples: the top-level sample_type (1) and
 * string_table (6) fields of the proto, other fields skipped. A legacy or unreadable file falls
 * back to the full decoder (which throws a ProfileError for what is no profile).
 */
export function profileSampleTypes(data: Uint8Array): { type: string; unit: string }[] {
  try {
    return scanSampleTypes(gunzipIfNeeded(data));
  } catch {
    return parseProfile(data).sampleTypes.map((t) => ({ type: t.type, unit: t.unit }));
  }
}

function scanSampleTypes(b: Uint8Array): { type: string; unit: string }[] {
  // Encoders write sample_type first (tag 0x0a); anything else (a legacy text) takes the decoder.
  if (b[0] !== 0x0a) throw new RangeError('not a profile proto');
  let i = 0;
  const varint = (end: number): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (i >= end) throw new RangeError('truncated varint');
      const c = b[i++]!;
      v += (c & 0x7f) * mul;
      if (c < 0x80) return v;
      mul *= 128;
      if (mul > 2 ** 63) throw new RangeError('varint too long');
    }
  };
  const pairs: [number, number][] = [];
  const strings: [number, number][] = [];
  while (i < b.length) {
    const key = varint(b.length);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) varint(b.length);
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const n = varint(b.length);
      const start = i;
      i += n;
      if (i > b.length) throw new RangeError('truncated field');
      if (field === 6) strings.push([start, i]);
      else if (field === 1) {
        let type = 0;
        let unit = 0;
        const save = i;
        i = start;
        while (i < save) {
          const k = varint(save);
          if ((k & 7) !== 0) throw new RangeError('unexpected ValueType field');
          const v = varint(save);
          if (k >> 3 === 1) type = v;
          else if (k >> 3 === 2) unit = v;
        }
        pairs.push([type, unit]);
      }
    } else throw new RangeError(`wire type ${wire}`);
  }
  if (pairs.length === 0 || strings.length === 0) throw new RangeError('no sample types');
  const dec = new TextDecoder();
  const str = (k: number): string => {
    const r = strings[k];
    if (!r) throw new RangeError('string index out of range');
    return dec.decode(b.subarray(r[0], r[1]));
  };
  return pairs.map(([t, u]) => ({ type: str(t), unit: str(u) }));
}

/** Whether go build -pgo can read a profile with these sample types (a CPU profile). */
export function isPgoProfile(types: readonly { type: string; unit: string }[]): boolean {
  return pgoValueIndex({ sampleTypes: types }) >= 0;
}

/** Functions with samples whose start line is 0 (written by Go before 1.20), at most `max` names. */
export function missingStartLines(p: Profile, max = 5): { count: number; examples: string[] } {
  const seen = new Set<number>();
  const { count, locStart, stack, stackLocs } = p.samples;
  for (let s = 0; s < count; s++)
    for (let k = locStart[stack[s]!]!; k < locStart[stack[s]! + 1]!; k++)
      for (const ln of p.locations[stackLocs[k]!]!.lines) if (ln.func >= 0) seen.add(ln.func);
  const names: string[] = [];
  for (const i of seen) if (p.functions[i]!.startLine === 0) names.push(p.functions[i]!.name);
  names.sort();
  return { count: names.length, examples: names.slice(0, max) };
}

export interface CallSite {
  readonly caller: string;
  readonly callee: string;
  /** The call's line minus the caller's start line (what the compiler matches on). */
  readonly offset: number;
  /** The call's file and line in the caller. */
  readonly file: string;
  readonly line: number;
  readonly weight: number;
}

export interface HotCallSites {
  /** Sum of every named edge's weight. */
  readonly totalWeight: number;
  /** Every named edge, heaviest first. */
  readonly edges: readonly CallSite[];
  /** How many of edges (a prefix) are hot. */
  readonly hotCount: number;
  /** The weight of the last hot edge, in percent of totalWeight (the compiler's -d=pgodebug prints it). */
  readonly thresholdPercent: number;
  readonly sampleType: string;
}

export const HOT_CALLSITE_CDF_PERCENT = 99;

/** The call edges and the hot call sites the compiler derives from a CPU profile (see the file comment). */
export function hotCallSites(p: Profile, cdfPercent = HOT_CALLSITE_CDF_PERCENT): HotCallSites {
  const vi = pgoValueIndex(p);
  if (vi < 0) throw new ProfileError('unsupported', 'not a CPU profile: no samples/count or cpu/nanoseconds values.');
  const T = p.sampleTypes.length;
  const named = new Map<
    string,
    { caller: string; callee: string; offset: number; file: string; line: number; w: number }
  >();
  const { count, values, locStart, stack, stackLocs } = p.samples;
  // Frame identity as pprof's graph nodes: location (its address) and the line's index in it.
  const seenEdge = new Set<string>();
  for (let s = 0; s < count; s++) {
    const v = values[s * T + vi]!;
    if (v === 0) continue;
    seenEdge.clear();
    let callee: { node: string; func: number } | undefined;
    for (let k = locStart[stack[s]!]!; k < locStart[stack[s]! + 1]!; k++) {
      const li = stackLocs[k]!;
      const lines = p.locations[li]!.lines;
      for (let j = 0; j < lines.length; j++) {
        const ln = lines[j]!;
        if (ln.func < 0) {
          callee = undefined; // an unsymbolized frame: pprof drops the node, no named edge across it
          continue;
        }
        const node = `${li}:${j}`;
        if (callee !== undefined && callee.node !== node) {
          const pair = `${node}>${callee.node}`;
          if (!seenEdge.has(pair)) {
            seenEdge.add(pair);
            const caller = p.functions[ln.func]!;
            const offset = ln.line - caller.startLine;
            const calleeName = p.functions[callee.func]!.name;
            const key = `${caller.name}\u0000${calleeName}\u0000${offset}`;
            const e = named.get(key);
            if (e) e.w += v;
            else
              named.set(key, {
                caller: caller.name,
                callee: calleeName,
                offset,
                file: caller.file,
                line: ln.line,
                w: v,
              });
          }
        }
        callee = { node, func: ln.func };
      }
    }
  }
  const edges: CallSite[] = [...named.values()]
    .map((e) => ({
      caller: e.caller,
      callee: e.callee,
      offset: e.offset,
      file: e.file,
      line: e.line,
      weight: e.w,
    }))
    .sort(
      (a, b) =>
        b.weight - a.weight ||
        (a.caller < b.caller ? -1 : a.caller > b.caller ? 1 : 0) ||
        (a.callee < b.callee ? -1 : a.callee > b.callee ? 1 : 0) ||
        a.offset - b.offset,
    );
  const total = edges.reduce((s, e) => s + e.weight, 0);
  let cum = 0;
  let hotCount = edges.length;
  let thresholdPercent = 0;
  for (let i = 0; i < edges.length; i++) {
    cum += edges[i]!.weight;
    if ((cum / total) * 100 > cdfPercent) {
      hotCount = i + 1;
      thresholdPercent = (edges[i]!.weight / total) * 100;
      break;
    }
  }
  return { totalWeight: total, edges, hotCount, thresholdPercent, sampleType: p.sampleTypes[vi]!.type };
}

/**
 * True when a Go source file's package clause is `package main` (comments and build constraints
 * before it skipped). Reads at most the first 64 KiB.
 */
export function declaresPackageMain(source: string): boolean {
  const s = source.slice(0, 1 << 16);
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF') i++;
    else if (s.startsWith('//', i)) {
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl + 1;
    } else if (s.startsWith('/*', i)) {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) return false;
      i = end + 2;
    } else break;
  }
  return /^package[ \t]+main(?![\p{L}\p{N}_])/u.test(s.slice(i, i + 64));
}
