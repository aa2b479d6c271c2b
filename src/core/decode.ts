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
import {
  checkCounts,
  checkInputSize,
  DEFAULT_BUDGET,
  inflateCap,
  inflateError,
  validateProfile,
  type Budget,
} from './budget';
import { ProfileError } from './errors';
import type { Func, Label, Line, Location, Mapping, Profile, ValueType } from './model';
import { perftools } from './proto/profile';
import { parseLegacy, unreadableTextMessage } from './legacy';
import { isGzip } from './gzip';

const pb = perftools.profiles;

export interface DecodeOptions {
  /** Largest input accepted, compressed or not. Default 1 GiB. */
  maxInputBytes?: number;
  /**
   * Largest profile.proto accepted after gunzip. Default 2 GiB - 1, and never more than the
   * budget's inflate ratio allows for the compressed size (see budget.ts).
   */
  maxUncompressedBytes?: number;
  /** Symbols from the comments of Go's legacy text profiles (see LegacyOptions); default true. */
  goSymbols?: boolean;
  /** Limits beyond the two above (defaults: DEFAULT_BUDGET). */
  budget?: Partial<Budget>;
}

function budgetOf(opts: DecodeOptions): Budget {
  return {
    ...DEFAULT_BUDGET,
    ...opts.budget,
    ...(opts.maxInputBytes !== undefined ? { maxInputBytes: opts.maxInputBytes } : {}),
    ...(opts.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: opts.maxUncompressedBytes } : {}),
  };
}

export { isGzip };

/**
 * Gunzips when the gzip magic is present; returns the bytes unchanged otherwise. Inflation stops
 * as soon as the output passes the cap (zlib's maxOutputLength is checked chunk by chunk), so a
 * bomb costs at most the cap in memory and the time to inflate that much.
 */
export function gunzipIfNeeded(data: Uint8Array, opts: DecodeOptions = {}): Uint8Array {
  if (!isGzip(data)) return data;
  const budget = budgetOf(opts);
  const max = inflateCap(data.length, budget);
  // The gzip trailer's ISIZE (size mod 2^32 of the last member) sizes the output chunk, so the
  // data is inflated into one buffer instead of chunks joined at the end (half the peak memory).
  // It is only a hint, and an untrusted one: never more than the cap.
  const n = data.length;
  const isize = n >= 18 ? (data[n - 4]! | (data[n - 3]! << 8) | (data[n - 2]! << 16) | (data[n - 1]! << 24)) >>> 0 : 0;
  const chunkSize = Math.min(Math.max(isize + 1, 64 * 1024), max + 1, 1024 ** 3);
  try {
    const out = gunzipSync(data, { maxOutputLength: max, chunkSize });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || /larger than|too large/i.test(err.message)) {
      throw inflateError(data.length, budget);
    }
    if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) {
      throw new ProfileError('gzip', 'The gzip data is truncated: the file ends before the compressed profile does.');
    }
    throw new ProfileError('gzip', `The gzip data is corrupt (${err.message}).`);
  }
}

/** Any supported profile, compressed or not, checked whole and within the budget. */
export function parseProfile(data: Uint8Array, opts: DecodeOptions = {}): Profile {
  const budget = budgetOf(opts);
  if (data.length === 0) throw new ProfileError('empty', 'The file is empty: there is no profile in it.');
  checkInputSize(data.length, budget);
  const raw = gunzipIfNeeded(data, opts);
  if (raw.length === 0) throw new ProfileError('empty', 'The gzip stream holds no data: there is no profile in it.');
  const p = parseRaw(raw, opts, { ...budget, inputBytes: data.length });
  validateProfile(p, data.length, raw.length, budget);
  return p;
}

function parseRaw(raw: Uint8Array, opts: DecodeOptions, budget: Budget & { inputBytes?: number }): Profile {
  if (looksLikeText(raw)) {
    const legacy = parseLegacy(raw, { goSymbols: opts.goSymbols !== false });
    if (legacy) return legacy;
  }
  try {
    return decodeProto(raw, budget);
  } catch (e) {
    if (!(e instanceof ProfileError) || e.kind !== 'not-a-profile') throw e;
    const legacy = looksLikeText(raw) ? undefined : parseLegacy(raw, { goSymbols: opts.goSymbols !== false });
    if (legacy) return legacy;
    const text = unreadableTextMessage(raw);
    if (text !== undefined) throw new ProfileError('not-a-profile', text);
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

/** Sizes found by the first pass, so the second can fill exact-size typed arrays. */
interface Counts {
  samples: number;
  locIds: number;
  values: number;
  sampleTypes: number;
  locations: number;
}

/**
 * Number of varints in buf[pos, end): one per byte without the continuation bit. Four bytes at a
 * time through words (w32: a Uint32Array over buf's whole ArrayBuffer, from offset 0).
 */
function countVarints(buf: Uint8Array, w32: Uint32Array, pos: number, end: number): number {
  const off = buf.byteOffset;
  let i = pos + off;
  const e = end + off;
  let n = 0;
  while (i < e && (i & 3) !== 0) {
    if (buf[i - off]! < 0x80) n++;
    i++;
  }
  const wEnd = e & ~3;
  if (wEnd > i) {
    let cont = 0;
    for (let w = i >> 2; w < wEnd >> 2; w++) cont += Math.imul((w32[w]! >>> 7) & 0x01010101, 0x01010101) >>> 24;
    n += wEnd - i - cont;
    i = wEnd;
  }
  for (; i < e; i++) if (buf[i - off]! < 0x80) n++;
  return n;
}

function lengthOf(r: Reader): number {
  const len = varint(r);
  if (r.pos + len > r.len) throw new RangeError(`index out of range: ${r.pos} + ${len} > ${r.len}`);
  return len;
}

/** First pass: counts samples, location ids and values without decoding them. */
function countProfile(r: Reader): Counts {
  const c: Counts = { samples: 0, locIds: 0, values: 0, sampleTypes: 0, locations: 0 };
  const buf = r.buf;
  const w32 = new Uint32Array(buf.buffer, 0, buf.buffer.byteLength >> 2);
  while (r.pos < r.len) {
    const tag = varint(r);
    const wt = tag & 7;
    const field = Math.floor(tag / 8);
    if (field === 0) throw new Error('field number 0');
    if (wt === 2 && field === 4) c.locations++;
    if (wt === 2 && (field === 1 || field === 2)) {
      const len = lengthOf(r);
      const end = r.pos + len;
      if (field === 1) {
        c.sampleTypes++;
        r.pos = end;
        continue;
      }
      c.samples++;
      while (r.pos < end) {
        const t = buf[r.pos]!;
        // Packed location ids (tag 0x0a) and values (0x12) with a one-byte length: the usual case.
        if ((t === 0x0a || t === 0x12) && r.pos + 1 < end && buf[r.pos + 1]! < 0x80) {
          const l = buf[r.pos + 1]!;
          const from = r.pos + 2;
          if (from + l > r.len) throw new RangeError(`index out of range: ${from} + ${l} > ${r.len}`);
          const n = countVarints(buf, w32, from, from + l);
          if (t === 0x0a) c.locIds += n;
          else c.values += n;
          r.pos = from + l;
          continue;
        }
        const tag = varint(r);
        const w = tag & 7;
        const f = Math.floor(tag / 8);
        if ((f === 1 || f === 2) && w === 2) {
          const l = lengthOf(r);
          const n = countVarints(buf, w32, r.pos, r.pos + l);
          if (f === 1) c.locIds += n;
          else c.values += n;
          r.pos += l;
        } else if ((f === 1 || f === 2) && w === 0) {
          varint(r);
          if (f === 1) c.locIds++;
          else c.values++;
        } else r.skipType(w);
      }
      if (r.pos !== end) throw new RangeError('sample overruns its length');
      continue;
    }
    r.skipType(wt);
  }
  return c;
}

/** Column-wise samples as the second pass fills them. */
interface RawSamples {
  count: number;
  /**
   * Location ids as written, turned into location indices in place by resolve(). 16 bits wide
   * when the profile has at most 65535 locations (Go numbers them 1..N), else 32; doubles only
   * for the rare profile whose ids do not fit (then tooWide is set and the samples read again).
   */
  locIds: Uint16Array | Uint32Array | Float64Array;
  maxId: number;
  nLocIds: number;
  stackStart: Uint32Array;
  values: Float64Array;
  nValues: number;
  /** Values each sample must have (sample_type count). */
  T: number;
  /** First sample with a different number of values, and that number. */
  badSample?: [index: number, values: number];
  /** Per sample, its interned label set, or -1. */
  labelSet: Int32Array;
  labelSets: RawLabel[][];
  labelSetIndex: Map<string, number>;
  /** The labels of the sample being read. */
  scratch: RawLabel[];
  /** Single numeric labels: (key, unit) -> value -> label set id. */
  numLabelIndex: Map<number, Map<number, number>>;
  tooWide?: boolean;
}

function newSamples(c: Counts, wide: boolean): RawSamples {
  const locIds = wide
    ? new Float64Array(c.locIds)
    : c.locations <= 0xffff
      ? new Uint16Array(c.locIds)
      : new Uint32Array(c.locIds);
  return {
    count: 0,
    locIds,
    maxId: wide ? Number.MAX_SAFE_INTEGER : locIds instanceof Uint16Array ? 0xffff : 0xffffffff,
    nLocIds: 0,
    stackStart: new Uint32Array(c.samples + 1),
    values: new Float64Array(c.values),
    nValues: 0,
    T: c.sampleTypes,
    labelSet: new Int32Array(c.samples).fill(-1),
    labelSets: [],
    labelSetIndex: new Map(),
    numLabelIndex: new Map(),
    scratch: [],
  };
}

function readRepeated(r: Reader, wireType: number, push: (v: number) => void, signed: boolean): void {
  const read = signed ? int64 : varint;
  if (wireType === 2) {
    const len = lengthOf(r);
    const end = r.pos + len;
    while (r.pos < end) push(read(r));
    if (r.pos !== end) throw new RangeError('packed field overruns its length');
  } else if (wireType === 0) {
    push(read(r));
  } else {
    r.skipType(wireType);
  }
}

/** Reads a Label message into l (reused: most labels repeat a set seen before). */
function readLabel(r: Reader, end: number, l: RawLabel): void {
  l.key = 0;
  l.str = 0;
  l.num = 0;
  l.numUnit = 0;
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
  if (r.pos !== end) throw new RangeError('label overruns its length');
}

/**
 * Reads one packed run of varints (buf[pos, end)) into out from index n; returns the new n.
 * Sets s.tooWide when a value passes s.maxId. The common 1 to 3 byte varints are read inline.
 */
function readPackedIds(r: Reader, end: number, s: RawSamples): void {
  const buf = r.buf;
  const out = s.locIds;
  const maxId = s.maxId;
  let pos = r.pos;
  let n = s.nLocIds;
  while (pos < end) {
    let b = buf[pos++]!;
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++]!;
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++]!;
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          r.pos = pos - 3;
          v = varint(r);
          pos = r.pos;
        }
      }
    }
    if (n >= out.length) throw new RangeError('more location ids than counted');
    if (v > maxId) s.tooWide = true;
    out[n++] = v;
  }
  if (pos !== end) throw new RangeError('packed field overruns its length');
  r.pos = pos;
  s.nLocIds = n;
}

/** As readPackedIds for the values (int64): 1 to 4 byte varints inline. */
function readPackedValues(r: Reader, end: number, s: RawSamples): void {
  const buf = r.buf;
  const out = s.values;
  let pos = r.pos;
  let n = s.nValues;
  while (pos < end) {
    const start = pos;
    let b = buf[pos++]!;
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++]!;
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++]!;
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++]!;
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            r.pos = start;
            v = int64(r);
            pos = r.pos;
          }
        }
      }
    }
    if (n >= out.length) throw new RangeError('more values than counted');
    out[n++] = v;
  }
  if (pos !== end) throw new RangeError('packed field overruns its length');
  r.pos = pos;
  s.nValues = n;
}

/** The interned id of the label set in s.scratch[0 .. n); a new set is copied out of the scratch. */
function labelSetId(s: RawSamples, n: number): number {
  const ls = s.scratch;
  const copy = () => ls.slice(0, n).map((l) => ({ ...l }));
  // One numeric label (Go heap profiles' "bytes" on every sample): numbers, not a string key.
  const l0 = ls[0]!;
  if (n === 1 && l0.str === 0 && l0.key < 0x100000 && l0.numUnit < 0x100000) {
    const outer = l0.key * 0x100000 + l0.numUnit;
    let m = s.numLabelIndex.get(outer);
    if (!m) s.numLabelIndex.set(outer, (m = new Map()));
    let id = m.get(l0.num);
    if (id === undefined) {
      id = s.labelSets.length;
      s.labelSets.push(copy());
      m.set(l0.num, id);
    }
    return id;
  }
  let key = '';
  for (let i = 0; i < n; i++) {
    const l = ls[i]!;
    key += `${i > 0 ? ';' : ''}${l.key},${l.str},${l.num},${l.numUnit}`;
  }
  let id = s.labelSetIndex.get(key);
  if (id === undefined) {
    id = s.labelSets.length;
    s.labelSets.push(copy());
    s.labelSetIndex.set(key, id);
  }
  return id;
}

function readSample(r: Reader, s: RawSamples): void {
  const len = lengthOf(r);
  const end = r.pos + len;
  const i = s.count;
  s.stackStart[i] = s.nLocIds;
  const v0 = s.nValues;
  let nLabels = 0;
  while (r.pos < end) {
    const tag = varint(r);
    const wt = tag & 7;
    const field = Math.floor(tag / 8);
    if (field === 1) {
      if (wt === 2) {
        const l = lengthOf(r);
        readPackedIds(r, r.pos + l, s);
      } else if (wt === 0) {
        const v = varint(r);
        if (s.nLocIds >= s.locIds.length) throw new RangeError('more location ids than counted');
        if (v > s.maxId) s.tooWide = true;
        s.locIds[s.nLocIds++] = v;
      } else r.skipType(wt);
    } else if (field === 2) {
      if (wt === 2) {
        const l = lengthOf(r);
        readPackedValues(r, r.pos + l, s);
      } else if (wt === 0) {
        const v = int64(r);
        if (s.nValues >= s.values.length) throw new RangeError('more values than counted');
        s.values[s.nValues++] = v;
      } else r.skipType(wt);
    } else if (field === 3 && wt === 2) {
      const l = lengthOf(r);
      if (nLabels === s.scratch.length) s.scratch.push({ key: 0, str: 0, num: 0, numUnit: 0 });
      readLabel(r, r.pos + l, s.scratch[nLabels++]!);
    } else r.skipType(wt);
  }
  if (r.pos !== end) throw new RangeError('sample overruns its length');
  const n = s.nValues - v0;
  if (n !== s.T && !s.badSample) s.badSample = [i, n];
  if (nLabels > 0) s.labelSet[i] = labelSetId(s, nLabels);
  s.count++;
}

type PbValueType = perftools.profiles.ValueType;
type PbMapping = perftools.profiles.Mapping;
type PbLocation = perftools.profiles.Location;
type PbFunction = perftools.profiles.Function;

/** Decodes uncompressed profile.proto bytes; budget.inputBytes: the file's size before gunzip. */
export function decodeProto(data: Uint8Array, budget: Budget & { inputBytes?: number } = DEFAULT_BUDGET): Profile {
  const r = $protobuf.Reader.create(data);
  const sampleTypes: PbValueType[] = [];
  const mappings: PbMapping[] = [];
  const locations: PbLocation[] = [];
  const functions: PbFunction[] = [];
  const strings: string[] = [];
  const comments: number[] = [];
  let dropFrames = 0;
  let keepFrames = 0;
  let timeNanos = 0;
  let timeNanosExact: string | undefined;
  let durationNanos = 0;
  let periodType: PbValueType | undefined;
  let period = 0;
  let defaultSampleType = 0;
  let docUrl = 0;
  let s: RawSamples | undefined;

  try {
    const c = countProfile(r);
    checkCounts(c, budget.inputBytes ?? data.length, data.length, budget);
    r.pos = 0;
    s = newSamples(c, false);
    const samples = s;
    while (r.pos < r.len) {
      const tag = varint(r);
      const wt = tag & 7;
      const field = Math.floor(tag / 8);
      if (wt === 2) {
        switch (field) {
          case 1:
            sampleTypes.push(pb.ValueType.decode(r, lengthOf(r)));
            continue;
          case 2:
            readSample(r, samples);
            continue;
          case 3:
            mappings.push(pb.Mapping.decode(r, lengthOf(r)));
            continue;
          case 4:
            locations.push(pb.Location.decode(r, lengthOf(r)));
            continue;
          case 5:
            functions.push(pb.Function.decode(r, lengthOf(r)));
            continue;
          case 6:
            strings.push(r.string());
            continue;
          case 11:
            periodType = pb.ValueType.decode(r, lengthOf(r));
            continue;
          case 13:
            readRepeated(r, wt, (v) => comments.push(v), true);
            continue;
        }
      } else if (wt === 0) {
        switch (field) {
          case 7:
            dropFrames = int64(r);
            continue;
          case 8:
            keepFrames = int64(r);
            continue;
          case 9: {
            const start = r.pos;
            timeNanos = int64(r);
            if (Math.abs(timeNanos) > Number.MAX_SAFE_INTEGER) {
              r.pos = start;
              const [lo, hi] = varint64(r);
              timeNanosExact = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
            }
            continue;
          }
          case 10:
            durationNanos = int64(r);
            continue;
          case 12:
            period = int64(r);
            continue;
          case 13:
            comments.push(int64(r));
            continue;
          case 14:
            defaultSampleType = int64(r);
            continue;
          case 15:
            docUrl = int64(r);
            continue;
        }
      }
      r.skipType(wt);
    }
    if (s.tooWide) s = decodeWideIds(data, c);
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    const msg = (e as Error).message;
    throw new ProfileError(
      'not-a-profile',
      `Not a pprof profile: the data is neither gzip-compressed nor plain profile.proto nor a known legacy format (protobuf decoding stopped at byte ${r.pos} of ${r.len}: ${msg}).`,
    );
  }
  s.stackStart[s.count] = s.nLocIds;
  return resolve({
    sampleTypes,
    mappings,
    locations,
    functions,
    strings,
    comments,
    s,
    dropFrames,
    keepFrames,
    timeNanos,
    timeNanosExact,
    durationNanos,
    periodType,
    period,
    defaultSampleType,
    docUrl,
  });
}

/** The rare profile whose location ids do not fit 32 bits: samples decoded again with double ids. */
function decodeWideIds(data: Uint8Array, c: Counts): RawSamples {
  const r = $protobuf.Reader.create(data);
  const s = newSamples(c, true);
  while (r.pos < r.len) {
    const tag = varint(r);
    if ((tag & 7) === 2 && tag >>> 3 === 2) readSample(r, s);
    else r.skipType(tag & 7);
  }
  return s;
}

interface Decoded {
  sampleTypes: PbValueType[];
  mappings: PbMapping[];
  locations: PbLocation[];
  functions: PbFunction[];
  strings: string[];
  comments: number[];
  s: RawSamples;
  dropFrames: number;
  keepFrames: number;
  timeNanos: number;
  timeNanosExact: string | undefined;
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
    return (id) => (id >= 1 && id <= n ? id - 1 : -1);
  }
  const m = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    if (m.has(ids[i]!)) throw malformed(`two ${what}s share the id ${ids[i]}`);
    m.set(ids[i]!, i);
  }
  return (id) => m.get(id) ?? -1;
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
  const vt = (t: PbValueType, what: string): ValueType => ({
    type: str(t.type, `${what} type`),
    unit: str(t.unit, `${what} unit`),
  });

  const sampleTypes = d.sampleTypes.map((t) => vt(t, 'sample type'));
  const T = sampleTypes.length;

  const mappings: Mapping[] = d.mappings.map((m) => ({
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
  const mappingIndex = idIndex(
    'mapping',
    mappings.map((m) => m.id),
  );

  const functions: Func[] = d.functions.map((f) => ({
    id: f.id ?? 0,
    name: str(f.name, 'a function name'),
    systemName: str(f.systemName, 'a function system name'),
    file: str(f.filename, 'a function file name'),
    startLine: f.startLine ?? 0,
  }));
  const funcIndex = idIndex(
    'function',
    functions.map((f) => f.id),
  );

  const locations: Location[] = d.locations.map((l) => {
    let mapping = -1;
    if (l.mappingId) {
      mapping = mappingIndex(l.mappingId);
      if (mapping < 0) throw malformed(`location ${l.id} refers to mapping ${l.mappingId}, which does not exist`);
    }
    const lines: Line[] = (l.line ?? []).map((ln) => {
      let func = -1;
      if (ln.functionId) {
        func = funcIndex(ln.functionId);
        if (func < 0) throw malformed(`location ${l.id} refers to function ${ln.functionId}, which does not exist`);
      }
      return { func, line: ln.line ?? 0, column: ln.column ?? 0 };
    });
    return { id: l.id ?? 0, mapping, address: l.address ?? 0, lines, isFolded: !!l.isFolded };
  });
  const locIndex = idIndex(
    'location',
    locations.map((l) => l.id),
  );

  // Samples: check value counts, map location ids to indices, resolve labels.
  const s = d.s;
  const count = s.count;
  if (count > 0 && T === 0) throw malformed('the profile has samples but no sample types');
  if (s.badSample) {
    const [i, n] = s.badSample;
    throw malformed(`sample ${i} has ${n} values but the profile has ${T} sample types`);
  }
  const values = s.values.length === s.nValues ? s.values : s.values.slice(0, s.nValues);
  const nLocs = s.nLocIds;
  const ids = s.locIds;
  // Indices replace ids in place, except after the wide path (ids in doubles).
  const stackLocs =
    ids instanceof Float64Array ? (locations.length <= 0xffff ? new Uint16Array(nLocs) : new Uint32Array(nLocs)) : ids;
  for (let k = 0; k < nLocs; k++) {
    const id = ids[k]!;
    const idx = locIndex(id);
    if (idx < 0) {
      const sampleNo = upperBound(s.stackStart, count, k);
      throw malformed(`sample ${sampleNo} refers to location ${id}, which does not exist`);
    }
    stackLocs[k] = idx;
  }
  const stackStart = s.stackStart.length === count + 1 ? s.stackStart : s.stackStart.slice(0, count + 1);

  // Samples usually share a handful of label sets: one array per distinct set.
  let labels: (Label[] | undefined)[] = [];
  if (s.labelSets.length > 0) {
    const sets = s.labelSets.map((ls) =>
      ls.map((l) => {
        const k = str(l.key, 'a label key');
        if (l.str !== 0) return { key: k, str: str(l.str, `label ${k}`) };
        const numUnit = l.numUnit !== 0 ? str(l.numUnit, `label ${k} unit`) : undefined;
        return numUnit !== undefined ? { key: k, num: l.num, numUnit } : { key: k, num: l.num };
      }),
    );
    labels = new Array<Label[] | undefined>(count);
    for (let i = 0; i < count; i++) {
      const id = s.labelSet[i]!;
      labels[i] = id >= 0 ? sets[id] : undefined;
    }
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
    ...(d.timeNanosExact !== undefined ? { timeNanosExact: d.timeNanosExact } : {}),
    durationNanos: d.durationNanos,
    ...(d.periodType ? { periodType: vt(d.periodType, 'period type') } : {}),
    period: d.period,
    comments: Array.from(d.comments, (c) => str(c, 'a comment')),
    docUrl: str(d.docUrl, 'doc_url'),
  };
}

/** The sample whose stack holds stack entry k. */
function upperBound(starts: Uint32Array, count: number, k: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid + 1]! <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
