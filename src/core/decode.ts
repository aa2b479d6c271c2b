/**
 * Bytes -> Profile. Accepts gzip-compressed or raw profile.proto and, through ./legacy, the
 * legacy text and binary formats. All failures are ProfileErrors.
 *
 * profile.proto decoding uses the protobufjs static code generated from proto/profile.proto
 * (`npm run proto`) for the small messages, and a hand-written loop for Profile.sample, which
 * holds almost all of a profile's bytes: it writes straight into growable typed arrays instead of
 * allocating an object per sample (see model.ts for the column layout and the int64 policy).
 */
import { gunzipSync } from 'node:zlib';
import { protobuf as $protobuf } from './pbconfig';
import type { Reader } from 'protobufjs/minimal.js';
import { ProfileError } from './errors';
import type { Func, Label, Line, Location, Mapping, Profile, ValueType } from './model';
import { perftools } from './proto/profile';
import { parseLegacy } from './legacy';

const pb = perftools.profiles;

export interface DecodeOptions {
  /** Largest input accepted, compressed or not. Default 1 GiB. */
  maxInputBytes?: number;
  /** Largest profile.proto accepted after gunzip. Default 2 GiB - 1 (Node's Buffer limit is near). */
  maxUncompressedBytes?: number;
}

const GiB = 1024 ** 3;
const DEFAULT_MAX_INPUT = GiB;
const DEFAULT_MAX_UNCOMPRESSED = 2 * GiB - 1;

export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Gunzips when the gzip magic is present; returns the bytes unchanged otherwise. */
export function gunzipIfNeeded(data: Uint8Array, opts: DecodeOptions = {}): Uint8Array {
  if (!isGzip(data)) return data;
  const max = opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED;
  try {
    const out = gunzipSync(data, { maxOutputLength: max });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || /larger than|too large/i.test(err.message)) {
      throw new ProfileError(
        'too-large',
        `The profile decompresses to more than ${mib(max)}, the largest pprof-lens reads.`,
      );
    }
    if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) {
      throw new ProfileError('gzip', 'The gzip data is truncated: the file ends before the compressed profile does.');
    }
    throw new ProfileError('gzip', `The gzip data is corrupt (${err.message}).`);
  }
}

/** Any supported profile, compressed or not. */
export function parseProfile(data: Uint8Array, opts: DecodeOptions = {}): Profile {
  const maxIn = opts.maxInputBytes ?? DEFAULT_MAX_INPUT;
  if (data.length === 0) throw new ProfileError('empty', 'The file is empty: there is no profile in it.');
  if (data.length > maxIn) {
    throw new ProfileError(
      'too-large',
      `The file is ${mib(data.length)}, over the ${mib(maxIn)} pprof-lens reads. Capture a shorter profile or filter it with go tool pprof -proto first.`,
    );
  }
  const raw = gunzipIfNeeded(data, opts);
  if (raw.length === 0) throw new ProfileError('empty', 'The gzip stream holds no data: there is no profile in it.');
  if (looksLikeText(raw)) {
    const legacy = parseLegacy(raw);
    if (legacy) return legacy;
  }
  try {
    return decodeProto(raw);
  } catch (e) {
    if (!(e instanceof ProfileError) || e.kind !== 'not-a-profile') throw e;
    const legacy = looksLikeText(raw) ? undefined : parseLegacy(raw);
    if (legacy) return legacy;
    throw e;
  }
}

/** True when the first bytes are printable ASCII, as every legacy text format starts. */
function looksLikeText(data: Uint8Array): boolean {
  const n = Math.min(data.length, 64);
  for (let i = 0; i < n; i++) {
    const c = data[i]!;
    if (!(c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127))) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// profile.proto

/** Growable Float64Array. */
class F64 {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  trim(): Float64Array {
    return this.a.slice(0, this.n);
  }
}

/** Reads a varint at r.pos as its low and high 32 bits. */
function varint64(r: Reader): [lo: number, hi: number] {
  const buf = r.buf;
  const len = r.len;
  let pos = r.pos;
  let lo = 0;
  let hi = 0;
  let shift = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= len) throw new RangeError(`index out of range: ${pos} + 1 > ${len}`);
    const b = buf[pos++]!;
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) {
      lo |= (b & 0x0f) << 28;
      hi |= (b & 0x7f) >>> 4;
    } else hi |= (b & 0x7f) << (shift - 32);
    shift += 7;
    if (b < 0x80) {
      r.pos = pos;
      return [lo >>> 0, hi >>> 0];
    }
  }
  throw new Error('invalid varint encoding');
}

/** Reads an unsigned varint as a double (exact below 2^53). */
function varint(r: Reader): number {
  const buf = r.buf;
  const pos = r.pos;
  const b = buf[pos]!;
  if (b < 0x80 && pos < r.len) {
    r.pos = pos + 1;
    return b;
  }
  const [lo, hi] = varint64(r);
  return hi * 4294967296 + lo;
}

/** A varint read as int64 (two's complement), as a double. */
function int64(r: Reader): number {
  const buf = r.buf;
  const pos = r.pos;
  const b = buf[pos]!;
  if (b < 0x80 && pos < r.len) {
    r.pos = pos + 1;
    return b;
  }
  const [lo, hi] = varint64(r);
  if (hi >= 0x80000000) return -((~hi >>> 0) * 4294967296 + (~lo >>> 0) + 1);
  return hi * 4294967296 + lo;
}

interface RawLabel {
  key: number;
  str: number;
  num: number;
  numUnit: number;
}

interface RawSamples {
  count: number;
  valueStart: F64; // index into values per sample (count + 1 entries at the end)
  values: F64;
  stackStart: F64;
  locIds: F64;
  labels: (RawLabel[] | undefined)[];
  anyLabels: boolean;
}

function readPackedOrOne(r: Reader, wireType: number, out: F64, signed: boolean): void {
  if (wireType === 2) {
    const len = varint(r);
    const end = r.pos + len;
    if (end > r.len) throw new RangeError(`index out of range: ${r.pos} + ${len} > ${r.len}`);
    while (r.pos < end) out.push(signed ? int64(r) : varint(r));
    if (r.pos !== end) throw new RangeError('packed field overruns its length');
  } else if (wireType === 0) {
    out.push(signed ? int64(r) : varint(r));
  } else {
    r.skipType(wireType);
  }
}

function readLabel(r: Reader, end: number): RawLabel {
  const l: RawLabel = { key: 0, str: 0, num: 0, numUnit: 0 };
  while (r.pos < end) {
    const tag = varint(r);
    const wt = tag & 7;
    const field = Math.floor(tag / 8);
    if (wt === 0 && field >= 1 && field <= 4) {
      const v = int64(r);
      if (field === 1) l.key = v;
      else if (field === 2) l.str = v;
      else if (field === 3) l.num = v;
      else l.numUnit = v;
    } else {
      r.skipType(wt);
    }
  }
  return l;
}

function readSample(r: Reader, s: RawSamples): void {
  const len = varint(r);
  const end = r.pos + len;
  if (end > r.len) throw new RangeError(`index out of range: ${r.pos} + ${len} > ${r.len}`);
  s.stackStart.push(s.locIds.n);
  s.valueStart.push(s.values.n);
  let labels: RawLabel[] | undefined;
  while (r.pos < end) {
    const tag = varint(r);
    const wt = tag & 7;
    const field = Math.floor(tag / 8);
    if (field === 1) readPackedOrOne(r, wt, s.locIds, false);
    else if (field === 2) readPackedOrOne(r, wt, s.values, true);
    else if (field === 3 && wt === 2) {
      const l = varint(r);
      const lend = r.pos + l;
      if (lend > end) throw new RangeError('label overruns its sample');
      (labels ??= []).push(readLabel(r, lend));
    } else r.skipType(wt);
  }
  if (r.pos !== end) throw new RangeError('sample overruns its length');
  s.labels.push(labels);
  if (labels) s.anyLabels = true;
  s.count++;
}

type PbValueType = perftools.profiles.ValueType;
type PbMapping = perftools.profiles.Mapping;
type PbLocation = perftools.profiles.Location;
type PbFunction = perftools.profiles.Function;

/** Decodes uncompressed profile.proto bytes. */
export function decodeProto(data: Uint8Array): Profile {
  const r = $protobuf.Reader.create(data);
  const sampleTypes: PbValueType[] = [];
  const mappings: PbMapping[] = [];
  const locations: PbLocation[] = [];
  const functions: PbFunction[] = [];
  const strings: string[] = [];
  const comments = new F64(8);
  const s: RawSamples = {
    count: 0,
    valueStart: new F64(),
    values: new F64(),
    stackStart: new F64(),
    locIds: new F64(),
    labels: [],
    anyLabels: false,
  };
  let dropFrames = 0;
  let keepFrames = 0;
  let timeNanos = 0;
  let durationNanos = 0;
  let periodType: PbValueType | undefined;
  let period = 0;
  let defaultSampleType = 0;
  let docUrl = 0;

  try {
    while (r.pos < r.len) {
      const tag = varint(r);
      const wt = tag & 7;
      const field = Math.floor(tag / 8);
      if (field === 0) throw new Error('field number 0');
      if (wt === 2) {
        switch (field) {
          case 1:
            sampleTypes.push(pb.ValueType.decode(r, r.uint32()));
            continue;
          case 2:
            readSample(r, s);
            continue;
          case 3:
            mappings.push(pb.Mapping.decode(r, r.uint32()));
            continue;
          case 4:
            locations.push(pb.Location.decode(r, r.uint32()));
            continue;
          case 5:
            functions.push(pb.Function.decode(r, r.uint32()));
            continue;
          case 6:
            strings.push(r.string());
            continue;
          case 11:
            periodType = pb.ValueType.decode(r, r.uint32());
            continue;
          case 13:
            readPackedOrOne(r, wt, comments, true);
            continue;
        }
      } else if (wt === 0) {
        switch (field) {
          case 7: dropFrames = int64(r); continue;
          case 8: keepFrames = int64(r); continue;
          case 9: timeNanos = int64(r); continue;
          case 10: durationNanos = int64(r); continue;
          case 12: period = int64(r); continue;
          case 13: comments.push(int64(r)); continue;
          case 14: defaultSampleType = int64(r); continue;
          case 15: docUrl = int64(r); continue;
        }
      }
      r.skipType(wt);
    }
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    const msg = (e as Error).message;
    throw new ProfileError(
      'not-a-profile',
      `Not a pprof profile: the data is neither gzip-compressed nor plain profile.proto nor a known legacy format (protobuf decoding stopped at byte ${r.pos} of ${r.len}: ${msg}).`,
    );
  }
  return resolve({
    sampleTypes, mappings, locations, functions, strings, comments: comments.trim(), s,
    dropFrames, keepFrames, timeNanos, durationNanos, periodType, period, defaultSampleType, docUrl,
  });
}

interface Decoded {
  sampleTypes: PbValueType[];
  mappings: PbMapping[];
  locations: PbLocation[];
  functions: PbFunction[];
  strings: string[];
  comments: Float64Array;
  s: RawSamples;
  dropFrames: number;
  keepFrames: number;
  timeNanos: number;
  durationNanos: number;
  periodType: PbValueType | undefined;
  period: number;
  defaultSampleType: number;
  docUrl: number;
}

function malformed(msg: string): ProfileError {
  return new ProfileError('malformed', `Malformed profile: ${msg}.`);
}

/** id -> index lookup; dense 1..N ids (what Go writes) avoid a Map. */
function idIndex(what: string, ids: ArrayLike<number>): (id: number) => number {
  let dense = true;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === 0) throw malformed(`a ${what} has the reserved id 0`);
    if (id !== i + 1) dense = false;
  }
  if (dense) {
    const n = ids.length;
    return id => (id >= 1 && id <= n ? id - 1 : -1);
  }
  const m = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    if (m.has(ids[i]!)) throw malformed(`two ${what}s share the id ${ids[i]}`);
    m.set(ids[i]!, i);
  }
  return id => m.get(id) ?? -1;
}

function resolve(d: Decoded): Profile {
  const { strings } = d;
  if (strings.length === 0) {
    if (d.s.count > 0 || d.sampleTypes.length > 0) throw malformed('the string table is missing');
    throw new ProfileError('not-a-profile', 'Not a pprof profile: no string table, no sample types and no samples.');
  }
  if (strings[0] !== '') throw malformed('string_table[0] must be the empty string (are two profiles concatenated?)');
  const str = (i: number | undefined, what: string): string => {
    const v = i ?? 0;
    if (v < 0 || v >= strings.length || !Number.isInteger(v)) {
      throw malformed(`${what} points at string ${v}, outside the string table of ${strings.length}`);
    }
    return strings[v]!;
  };
  const vt = (t: PbValueType, what: string): ValueType => ({ type: str(t.type, `${what} type`), unit: str(t.unit, `${what} unit`) });

  const sampleTypes = d.sampleTypes.map(t => vt(t, 'sample type'));
  const T = sampleTypes.length;

  const mappings: Mapping[] = d.mappings.map(m => ({
    id: m.id ?? 0,
    start: m.memoryStart ?? 0,
    limit: m.memoryLimit ?? 0,
    offset: m.fileOffset ?? 0,
    file: str(m.filename, 'a mapping file name'),
    buildId: str(m.buildId, 'a mapping build id'),
    hasFunctions: !!m.hasFunctions,
    hasFilenames: !!m.hasFilenames,
    hasLineNumbers: !!m.hasLineNumbers,
    hasInlineFrames: !!m.hasInlineFrames,
  }));
  const mappingIndex = idIndex('mapping', mappings.map(m => m.id));

  const functions: Func[] = d.functions.map(f => ({
    id: f.id ?? 0,
    name: str(f.name, 'a function name'),
    systemName: str(f.systemName, 'a function system name'),
    file: str(f.filename, 'a function file name'),
    startLine: f.startLine ?? 0,
  }));
  const funcIndex = idIndex('function', functions.map(f => f.id));

  const locations: Location[] = d.locations.map(l => {
    let mapping = -1;
    if (l.mappingId) {
      mapping = mappingIndex(l.mappingId);
      if (mapping < 0) throw malformed(`location ${l.id} refers to mapping ${l.mappingId}, which does not exist`);
    }
    const lines: Line[] = (l.line ?? []).map(ln => {
      let func = -1;
      if (ln.functionId) {
        func = funcIndex(ln.functionId);
        if (func < 0) throw malformed(`location ${l.id} refers to function ${ln.functionId}, which does not exist`);
      }
      return { func, line: ln.line ?? 0, column: ln.column ?? 0 };
    });
    return { id: l.id ?? 0, mapping, address: l.address ?? 0, lines, isFolded: !!l.isFolded };
  });
  const locIndex = idIndex('location', locations.map(l => l.id));

  // Samples: check value counts, map location ids to indices, resolve labels.
  const s = d.s;
  const count = s.count;
  s.valueStart.push(s.values.n);
  s.stackStart.push(s.locIds.n);
  if (count > 0 && T === 0) throw malformed('the profile has samples but no sample types');
  const vs = s.valueStart.a;
  for (let i = 0; i < count; i++) {
    const n = vs[i + 1]! - vs[i]!;
    if (n !== T) throw malformed(`sample ${i} has ${n} values but the profile has ${T} sample types`);
  }
  const values = s.values.trim();
  const nLocs = s.locIds.n;
  const stackLocs = new Uint32Array(nLocs);
  const ids = s.locIds.a;
  for (let k = 0; k < nLocs; k++) {
    const idx = locIndex(ids[k]!);
    if (idx < 0) {
      const sampleNo = upperBound(s.stackStart.a, count, k);
      throw malformed(`sample ${sampleNo} refers to location ${ids[k]}, which does not exist`);
    }
    stackLocs[k] = idx;
  }
  const stackStart = new Uint32Array(count + 1);
  for (let i = 0; i <= count; i++) stackStart[i] = s.stackStart.a[i]!;

  let labels: (Label[] | undefined)[] = [];
  if (s.anyLabels) {
    labels = s.labels.map(ls =>
      ls?.map(l => {
        const key = str(l.key, 'a label key');
        if (l.str !== 0) return { key, str: str(l.str, `label ${key}`) };
        const numUnit = l.numUnit !== 0 ? str(l.numUnit, `label ${key} unit`) : undefined;
        return numUnit !== undefined ? { key, num: l.num, numUnit } : { key, num: l.num };
      }),
    );
  }

  return {
    sampleTypes,
    defaultSampleType: str(d.defaultSampleType, 'default_sample_type'),
    samples: { count, values, stackStart, stackLocs, labels },
    mappings,
    locations,
    functions,
    dropFrames: str(d.dropFrames, 'drop_frames'),
    keepFrames: str(d.keepFrames, 'keep_frames'),
    timeNanos: d.timeNanos,
    durationNanos: d.durationNanos,
    ...(d.periodType ? { periodType: vt(d.periodType, 'period type') } : {}),
    period: d.period,
    comments: Array.from(d.comments, c => str(c, 'a comment')),
    docUrl: str(d.docUrl, 'doc_url'),
  };
}

/** The sample whose stack holds stack entry k. */
function upperBound(starts: Float64Array, count: number, k: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid + 1]! <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
