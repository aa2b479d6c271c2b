/**
 * Bytes -> Profile. Accepts gzip-compressed or raw profile.proto and, through ./legacy, the
 * legacy text and binary formats. All failures are ProfileErrors.
 *
 * profile.proto decoding uses the protobufjs static code generated from proto/profile.proto
 * (`npm run proto`) for the small messages, and a hand-written loop for Profile.sample, which
 * holds almost all of a profile's bytes: it writes straight into growable typed arrays instead of
 * allocating an object per sample (see model.ts for the column layout and the int64 policy).
 * A gzipped profile is decoded as it inflates, a window at a time (ProtoWindow, ./inflate), in
 * one pass: the inflated profile is never held whole.
 */
import { gunzipSync } from 'node:zlib';
import { protobuf as $protobuf } from './pbconfig';
import type { Reader } from 'protobufjs/minimal.js';
import {
  checkCounts,
  checkFrames,
  checkInputSize,
  DEFAULT_BUDGET,
  inflateCap,
  inflateError,
  stackTooDeep,
  validateProfile,
  type Budget,
} from './budget';
import { ProfileError } from './errors';
import {
  withLabelSets,
  type Func,
  type Label,
  type Location,
  type Mapping,
  type Profile,
  type ValueType,
} from './model';
import { perftools } from './proto/profile';
import { parseLegacy, unreadableTextMessage } from './legacy';
import { isGzip } from './gzip';
import { GunzipStream, InflateCapError, type GzipSource } from './inflate';
import { rememberDistinct, STACK_HASH_PRIME as HASH_PRIME, STACK_HASH_SEED } from './stacks';

// Module constants, so that the hot loops read a local binding (not an import's getter, as tsx's
// transform of the import would be).
const STACK_HASH_PRIME = HASH_PRIME;

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
    throw gzipError(e, data.length, budget);
  }
}

/** A zlib failure in the user's words. */
function gzipError(e: unknown, inputBytes: number, budget: Budget): ProfileError {
  if (e instanceof ProfileError) return e;
  if (e instanceof InflateCapError) return inflateError(inputBytes, budget);
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ERR_BUFFER_TOO_LARGE' || /larger than|too large/i.test(err.message)) {
    return inflateError(inputBytes, budget);
  }
  if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) {
    return new ProfileError('gzip', 'The gzip data is truncated: the file ends before the compressed profile does.');
  }
  return new ProfileError('gzip', `The gzip data is corrupt (${err.message}).`);
}

/** Any supported profile, compressed or not, checked whole and within the budget. */
export function parseProfile(data: Uint8Array, opts: DecodeOptions = {}): Profile {
  const budget = budgetOf(opts);
  if (data.length === 0) throw new ProfileError('empty', 'The file is empty: there is no profile in it.');
  checkInputSize(data.length, budget);
  const gzipped = isGzip(data);
  const streamed = gzipped ? parseGzipStream(data, budget) : undefined;
  if (streamed) return streamed;
  const raw = gunzipIfNeeded(data, opts);
  if (raw.length === 0) throw new ProfileError('empty', 'The gzip stream holds no data: there is no profile in it.');
  let p: Profile;
  try {
    p = parseRaw(raw, opts, { ...budget, inputBytes: data.length });
  } catch (e) {
    // The gzip layer was read whole and checked (gunzipIfNeeded): the fault is in what it holds.
    if (gzipped && e instanceof ProtoStopError) throw e.insideGzip();
    throw e;
  }
  validateProfile(p, data.length, raw.length, budget, stacksChecked.has(p));
  return p;
}

/**
 * profile.proto decoding stopped at byte `at` of `total`: `truncated` when a record ran past the
 * end of the data (a file cut short), else the bytes made no sense there. Said in the user's
 * words, without the decoder's internals.
 */
class ProtoStopError extends ProfileError {
  constructor(
    readonly at: number,
    readonly total: number,
    readonly truncated: boolean,
  ) {
    super(
      'not-a-profile',
      `Not a pprof profile: the data is neither gzip-compressed nor plain profile.proto nor a known legacy format (protobuf decoding stopped at byte ${at} of ${total}${truncated ? ': the data ends inside a record' : ''}).`,
    );
  }

  /** The same stop, for a profile read out of intact gzip data. */
  insideGzip(): ProfileError {
    return new ProfileError(
      'not-a-profile',
      this.truncated
        ? `The gzip data is intact, but the profile inside it is truncated: its ${this.total} uncompressed bytes end inside a record that starts at byte ${this.at} (was the file cut short before it was compressed?).`
        : `The gzip data is intact, but the profile inside it is damaged: it cannot be read as profile.proto from byte ${this.at} of its ${this.total} uncompressed bytes.`,
    );
  }
}

/**
 * parseProfile for bytes read piece by piece (a file): a gzipped profile.proto is inflated and
 * decoded as it is read, so neither the file nor the inflated profile is ever held whole. Any
 * other data is read whole and parsed as parseProfile does.
 */
export function parseProfileSource(src: GzipSource, opts: DecodeOptions = {}): Profile {
  const budget = budgetOf(opts);
  if (src.size === 0) throw new ProfileError('empty', 'The file is empty: there is no profile in it.');
  checkInputSize(src.size, budget);
  const head = readAt(src, 0, Math.min(2, src.size));
  const streamed = isGzip(head) ? parseGzipStream(src, budget) : undefined;
  return streamed ?? parseProfile(readAt(src, 0, src.size), opts);
}

function readAt(src: GzipSource, pos: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n;) {
    const k = src.read(out.subarray(at), pos + at);
    if (k <= 0) throw new ProfileError('gzip', 'The file ended while it was being read (was it being written?).');
    at += k;
  }
  return out;
}

/**
 * A gzipped profile.proto decoded as it inflates, one window at a time (never the whole inflated
 * profile in memory). Undefined when the data is something else (a legacy text, or not a
 * profile at all: the caller inflates it whole and says which), or when this runtime's zlib
 * cannot stream synchronously.
 */
function parseGzipStream(data: Uint8Array | GzipSource, budget: Budget): Profile | undefined {
  const n = data instanceof Uint8Array ? data.length : data.size;
  const stream = GunzipStream.open(data, inflateCap(n, budget));
  if (!stream) return undefined;
  const w = new ProtoWindow({ stream, inputBytes: n, budget });
  try {
    w.ensure(0, 64);
    if (w.len === 0 || looksLikeText(w.buf.subarray(0, w.len))) return undefined;
    // The gzip trailer's ISIZE (size mod 2^32 of the last member): a hint for sizing columns.
    const t = n >= 18 ? (data instanceof Uint8Array ? data.subarray(n - 4) : readAt(data, n - 4, 4)) : undefined;
    const isize = t ? (t[0]! | (t[1]! << 8) | (t[2]! << 16) | (t[3]! << 24)) >>> 0 : 0;
    const p = decodeWindows(w, Math.min(Math.max(isize, w.len), inflateCap(n, budget)), {
      ...budget,
      inputBytes: n,
    });
    validateProfile(p, n, w.total(), budget, stacksChecked.has(p));
    return p;
  } catch (e) {
    if (e instanceof ProfileError && e.kind === 'not-a-profile') return undefined;
    throw e;
  } finally {
    stream.close();
  }
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

/**
 * A varint of at most 7 bytes (below 2^49, never negative) at r.pos, read with doubles (no
 * allocation); -1 when it is longer or runs past the data (then varint64 reads it).
 */
function shortVarint(r: Reader): number {
  const buf = r.buf;
  let pos = r.pos;
  if (pos + 7 > r.len) return -1;
  let b = buf[pos++]!;
  let v = b & 0x7f;
  let mul = 128;
  for (let k = 1; b >= 0x80 && k < 7; k++) {
    b = buf[pos++]!;
    v += (b & 0x7f) * mul;
    mul *= 128;
  }
  if (b >= 0x80) return -1;
  r.pos = pos;
  return v;
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
  const v = shortVarint(r);
  if (v >= 0) return v;
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
  const v = shortVarint(r);
  if (v >= 0) return v;
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

function lengthOf(r: Reader): number {
  const len = varint(r);
  if (r.pos + len > r.len) throw new RangeError(`index out of range: ${r.pos} + ${len} > ${r.len}`);
  return len;
}

/**
 * Column-wise samples as the decoder reads them. The columns grow as samples arrive (the profile
 * is read once, in windows, so their number is not known up front): sized by extrapolating from
 * the bytes read so far to the profile's size, so they grow a few times early, while small.
 */
interface RawSamples {
  count: number;
  /**
   * The distinct stacks' location ids as written, turned into location indices by resolve(). 16
   * bits wide until an id needs more (Go numbers locations 1..N), then 32, then doubles. A
   * sample's ids are read after the last stack's; when they repeat a stack seen before, they are
   * dropped again (the stack table: see model.ts Samples).
   */
  locIds: Uint16Array | Uint32Array | Float64Array;
  maxId: number;
  nLocIds: number;
  /** Location ids over all samples, repeated stacks included (for the budget). */
  allLocIds: number;
  /** Per sample, its stack: 16 bits wide until a 65,536th stack (then 32). */
  stack: Uint16Array | Uint32Array;
  /** Per stack, where its ids start in locIds ([nStacks]: where the next one's will). */
  locStart: Uint32Array;
  /** Per stack, its first sample (for messages). */
  firstSample: Uint32Array;
  nStacks: number;
  /** The hash of the ids read so far of the sample being read (see internStack). */
  hash: number;
  /** Open addressing over the stacks: [2h] = stack + 1 (0: empty), [2h + 1] = its hash. */
  slots: Int32Array;
  /** 32-bit values until one does not fit, then doubles (copied once). */
  values: Int32Array | Float64Array;
  nValues: number;
  /** The first sample's number of values, and the first sample with another number (-1: none). */
  firstValues: number;
  otherValues: [index: number, values: number] | undefined;
  /** Per sample, 1 + its interned label set, or 0. */
  labelSet: Uint8Array | Uint16Array | Uint32Array;
  labelSets: RawLabel[][];
  labelSetIndex: Map<string, number>;
  /** The labels of the sample being read. */
  scratch: RawLabel[];
  /** Single numeric labels: (key, unit) -> value -> label set id. */
  numLabelIndex: Map<number, Map<number, number>>;
  lastOuter: number;
  lastMap: Map<number, number> | undefined;
  /** Samples past the budget: counted, not stored, for the error message. */
  skipped: number;
  /** The profile's expected size in bytes (a hint: the gzip trailer's, or the data's length). */
  expectBytes: number;
}

function newSamples(expectBytes: number): RawSamples {
  return {
    count: 0,
    locIds: new Uint16Array(4096),
    maxId: 0xffff,
    nLocIds: 0,
    allLocIds: 0,
    stack: new Uint16Array(1024),
    locStart: new Uint32Array(1024),
    firstSample: new Uint32Array(1024),
    nStacks: 0,
    hash: 0,
    slots: new Int32Array(2 * 4096),
    values: new Int32Array(4096),
    nValues: 0,
    firstValues: -1,
    otherValues: undefined,
    labelSet: new Uint8Array(1024),
    labelSets: [],
    labelSetIndex: new Map(),
    numLabelIndex: new Map(),
    lastOuter: -1,
    lastMap: undefined,
    scratch: [],
    skipped: 0,
    expectBytes,
  };
}

/** A column's new length: what the bytes read so far predict for the whole profile, at least need. */
function grownLength(have: number, used: number, need: number, readBytes: number, expectBytes: number): number {
  // Never more entries than bytes: every id, value and sample takes one byte or more.
  const bytes = Math.max(expectBytes, readBytes);
  const predicted = readBytes > 0 ? Math.min(Math.ceil((used / readBytes) * bytes * 1.05), bytes) : 0;
  return Math.max(need, predicted, Math.ceil(have * 1.5), 1024);
}

function grow<A extends Uint8Array | Uint16Array | Uint32Array | Float64Array | Int32Array>(a: A, n: number): A {
  const b = new (a.constructor as new (n: number) => A)(n);
  b.set(a);
  return b;
}

/** Room for one more sample of at most `bytes` bytes (each of its ids and values takes one byte or more). */
function reserve(s: RawSamples, bytes: number, readBytes: number): void {
  const { expectBytes } = s;
  // The distinct stacks' ids: few, and most of them early (where an estimate from the bytes read
  // would predict far too many), so the column doubles.
  if (s.nLocIds + bytes > s.locIds.length) s.locIds = grow(s.locIds, Math.max(s.nLocIds + bytes, s.locIds.length * 2));
  if (s.nValues + bytes > s.values.length) {
    s.values = grow(s.values, grownLength(s.values.length, s.nValues, s.nValues + bytes, readBytes, expectBytes));
  }
  if (s.count + 2 > s.stack.length) {
    const n = grownLength(s.stack.length, s.count, s.count + 2, readBytes, expectBytes);
    s.stack = grow(s.stack, n);
    s.labelSet = grow(s.labelSet, n);
  }
}

/** Values column: 32-bit integers until v is not one, then doubles. */
function widenValues(s: RawSamples): void {
  s.values = Float64Array.from(s.values);
}

/** v is not a 32-bit integer: the Int32Array values column cannot hold it. */
function notInt32(v: number): boolean {
  return (v | 0) !== v;
}

/**
 * The sample just read has its ids at locIds[locStart[nStacks], nLocIds): its stack, from the
 * table when it repeats one (its ids dropped again), else a new one. s.hash is the stack's hash:
 * FNV-1a over its location ids (ids above 2^32 hash by their low bits), as Int32 (the slots hold
 * it so), computed as the ids were read (readPackedIds).
 */
function internStack(s: RawSamples): number {
  const ids = s.locIds;
  const a0 = s.locStart[s.nStacks]!;
  const a1 = s.nLocIds;
  const n = a1 - a0;
  s.allLocIds += n;
  const hash = s.hash;
  let slots = s.slots;
  let mask = (slots.length >> 1) - 1;
  let h = hash & mask;
  const starts = s.locStart;
  for (let cand = slots[2 * h]!; cand !== 0; cand = slots[2 * h]!) {
    if (slots[2 * h + 1] === hash) {
      const b0 = starts[cand - 1]!;
      if (starts[cand]! - b0 === n) {
        let i = 0;
        while (i < n && ids[a0 + i] === ids[b0 + i]) i++;
        if (i === n) {
          s.nLocIds = a0;
          return cand - 1;
        }
      }
    }
    h = (h + 1) & mask;
  }
  const u = s.nStacks++;
  if (u + 2 > s.locStart.length) {
    s.locStart = grow(s.locStart, s.locStart.length * 2);
    s.firstSample = grow(s.firstSample, s.locStart.length);
  }
  s.locStart[u + 1] = a1;
  s.firstSample[u] = s.count;
  slots[2 * h] = u + 1;
  slots[2 * h + 1] = hash;
  if (s.nStacks * 4 > slots.length) {
    const old = slots;
    slots = new Int32Array(old.length * 2);
    mask = (slots.length >> 1) - 1;
    for (let k = 0; k < old.length; k += 2) {
      if (old[k] === 0) continue;
      let m = old[k + 1]! & mask;
      while (slots[2 * m] !== 0) m = (m + 1) & mask;
      slots[2 * m] = old[k]!;
      slots[2 * m + 1] = old[k + 1]!;
    }
    s.slots = slots;
  }
  return u;
}

/** Location id v does not fit the id column: a wider one (32 bits, else doubles). */
function widen(s: RawSamples, v: number): void {
  if (v <= 0xffffffff && s.maxId < 0xffff + 1) {
    s.locIds = Uint32Array.from(s.locIds);
    s.maxId = 0xffffffff;
  } else {
    s.locIds = Float64Array.from(s.locIds);
    s.maxId = Infinity;
  }
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
 * Reads one packed run of location ids (buf[r.pos, end)) into s.locIds, which has room (reserve).
 * The common 1 to 3 byte varints are read inline.
 */
function readPackedIds(r: Reader, end: number, s: RawSamples): void {
  const buf = r.buf;
  let out = s.locIds;
  let maxId = s.maxId;
  let pos = r.pos;
  let n = s.nLocIds;
  let hash = s.hash;
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
    if (n >= out.length) throw new RangeError('more location ids than reserved');
    if (v > maxId) {
      s.nLocIds = n;
      widen(s, v);
      out = s.locIds;
      maxId = s.maxId;
    }
    out[n++] = v;
    hash = Math.imul(hash ^ v, STACK_HASH_PRIME);
  }
  if (pos !== end) throw new RangeError('packed field overruns its length');
  r.pos = pos;
  s.nLocIds = n;
  s.hash = hash;
}

/** As readPackedIds for the values (int64): varints of up to 7 bytes inline, with doubles. */
function readPackedValues(r: Reader, end: number, s: RawSamples): void {
  const buf = r.buf;
  let out = s.values;
  let pos = r.pos;
  let n = s.nValues;
  while (pos < end) {
    if (n >= out.length) throw new RangeError('more values than reserved');
    let b = buf[pos++]!;
    if (b < 0x80) {
      out[n++] = b;
      continue;
    }
    const start = pos - 1;
    let v = b & 0x7f;
    let mul = 128;
    for (let k = 1; b >= 0x80 && k < 7; k++) {
      b = buf[pos++]!;
      v += (b & 0x7f) * mul;
      mul *= 128;
    }
    if (b >= 0x80) {
      // 8 bytes or more: large, or negative (a -diff_base profile's), as int64.
      r.pos = start;
      v = int64(r);
      pos = r.pos;
    }
    if (notInt32(v) && out instanceof Int32Array) {
      widenValues(s);
      out = s.values;
    }
    out[n++] = v;
  }
  if (pos !== end) throw new RangeError('packed field overruns its length');
  r.pos = pos;
  s.nValues = n;
}

function copyLabels(ls: RawLabel[], n: number): RawLabel[] {
  return ls.slice(0, n).map((l) => ({ ...l }));
}

/** The interned id of the label set in s.scratch[0 .. n); a new set is copied out of the scratch. */
function labelSetId(s: RawSamples, n: number): number {
  const ls = s.scratch;
  // One numeric label (Go heap profiles' "bytes" on every sample): numbers, not a string key.
  const l0 = ls[0]!;
  if (n === 1 && l0.str === 0 && l0.key < 0x100000 && l0.numUnit < 0x100000) {
    const outer = l0.key * 0x100000 + l0.numUnit;
    // Every sample of a heap profile has the same key and unit: the last map is the usual hit.
    let m = outer === s.lastOuter ? s.lastMap : s.numLabelIndex.get(outer);
    if (!m) s.numLabelIndex.set(outer, (m = new Map()));
    s.lastOuter = outer;
    s.lastMap = m;
    let id = m.get(l0.num);
    if (id === undefined) {
      id = s.labelSets.length;
      s.labelSets.push(copyLabels(ls, n));
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
    s.labelSets.push(copyLabels(ls, n));
    s.labelSetIndex.set(key, id);
  }
  return id;
}

function readSample(r: Reader, s: RawSamples): void {
  const len = lengthOf(r);
  const end = r.pos + len;
  const i = s.count;
  const v0 = s.nValues;
  s.hash = STACK_HASH_SEED | 0;
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
        if (s.nLocIds >= s.locIds.length) throw new RangeError('more location ids than reserved');
        if (v > s.maxId) widen(s, v);
        s.locIds[s.nLocIds++] = v;
        s.hash = Math.imul(s.hash ^ v, STACK_HASH_PRIME);
      } else r.skipType(wt);
    } else if (field === 2) {
      if (wt === 2) {
        const l = lengthOf(r);
        readPackedValues(r, r.pos + l, s);
      } else if (wt === 0) {
        const v = int64(r);
        if (s.nValues >= s.values.length) throw new RangeError('more values than reserved');
        if (notInt32(v) && s.values instanceof Int32Array) widenValues(s);
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
  if (s.firstValues < 0) s.firstValues = n;
  else if (n !== s.firstValues && !s.otherValues) s.otherValues = [i, n];
  const set = nLabels > 0 ? labelSetId(s, nLabels) + 1 : 0;
  if (set > 0xff && !(s.labelSet instanceof Uint32Array)) {
    s.labelSet = set > 0xffff ? Uint32Array.from(s.labelSet) : Uint16Array.from(s.labelSet);
  }
  s.labelSet[i] = set;
  const u = internStack(s);
  if (u > 0xffff && s.stack instanceof Uint16Array) s.stack = Uint32Array.from(s.stack);
  s.stack[i] = u;
  s.count++;
}

type PbValueType = perftools.profiles.ValueType;
type PbMapping = perftools.profiles.Mapping;

/**
 * A Location as read, in its final shape (model.ts Location): mapping and each line's func hold
 * the ids written until resolve() turns them into indices, in place.
 */
interface RawLocation {
  id: number;
  mapping: number;
  address: number;
  lines: { func: number; line: number; column: number }[];
  isFolded: boolean;
}

/**
 * Reads a Location message (buf[r.pos, end)). Hand-written, as readSample is: the generated
 * decoder allocates for every 64-bit field, and a large profile has tens of thousands of locations.
 */
function readLocation(r: Reader, end: number): RawLocation {
  const loc: RawLocation = { id: 0, mapping: 0, address: 0, lines: [], isFolded: false };
  while (r.pos < end) {
    const tag = varint(r);
    const wt = tag & 7;
    const field = Math.floor(tag / 8);
    if (wt === 0 && field === 1) loc.id = varint(r);
    else if (wt === 0 && field === 2) loc.mapping = varint(r);
    else if (wt === 0 && field === 3) loc.address = varint(r);
    else if (wt === 2 && field === 4) {
      const lineLen = lengthOf(r);
      const lineEnd = r.pos + lineLen;
      const ln = { func: 0, line: 0, column: 0 };
      // (An array literal of one line, the usual case, has no spare room: push's would.)
      while (r.pos < lineEnd) {
        const t = varint(r);
        const w = t & 7;
        const f = Math.floor(t / 8);
        if (w === 0 && f === 1) ln.func = varint(r);
        else if (w === 0 && f === 2) ln.line = int64(r);
        else if (w === 0 && f === 3) ln.column = int64(r);
        else r.skipType(w);
      }
      if (r.pos !== lineEnd) throw new RangeError('line overruns its length');
      if (loc.lines.length === 0) loc.lines = [ln];
      else loc.lines.push(ln);
    } else if (wt === 0 && field === 5) loc.isFolded = varint(r) !== 0;
    else r.skipType(wt);
  }
  if (r.pos !== end) throw new RangeError('location overruns its length');
  return loc;
}
type PbFunction = perftools.profiles.Function;

/**
 * profile.proto bytes as they arrive: buf[0, len) holds bytes [base, base + len) of the profile.
 * Over plain bytes it is the whole profile at once; over gzip, windows of about a megabyte
 * inflated on demand (see inflate.ts), so the inflated profile is never held whole.
 */
class ProtoWindow {
  buf: Uint8Array;
  len: number;
  base = 0;
  ended: boolean;

  private readonly gz: { stream: GunzipStream; inputBytes: number; budget: Budget } | undefined;

  /** Over plain bytes, or over a gzip stream. */
  constructor(data: Uint8Array | { stream: GunzipStream; inputBytes: number; budget: Budget }) {
    if (data instanceof Uint8Array) {
      this.gz = undefined;
      this.buf = data;
      this.len = data.length;
      this.ended = true;
    } else {
      this.gz = data;
      this.buf = new Uint8Array(WINDOW_BYTES);
      this.len = 0;
      this.ended = false;
    }
  }

  /**
   * Makes buf hold at least `need` bytes from offset `from` on (all there is, at the end): moves
   * buf[from, len) to the front and inflates more after it. Returns the new offset of `from`.
   */
  ensure(from: number, need: number): number {
    if (this.ended || this.len - from >= need) return from;
    const keep = this.len - from;
    let buf = this.buf;
    if (keep > buf.length / 2) {
      buf = new Uint8Array(buf.length * 2);
      buf.set(this.buf.subarray(from, this.len));
    } else buf.copyWithin(0, from, this.len);
    this.buf = buf;
    this.base += from;
    this.len = keep;
    while (!this.ended && (this.len < need || this.len < buf.length)) {
      if (this.len === buf.length) {
        const b = new Uint8Array(buf.length * 2);
        b.set(buf);
        this.buf = buf = b;
      }
      const n = this.inflate(buf, this.len, buf.length - this.len);
      if (n === 0) this.ended = true;
      this.len += n;
    }
    return 0;
  }

  private inflate(buf: Uint8Array, off: number, max: number): number {
    const gz = this.gz!;
    try {
      return gz.stream.read(buf, off, max);
    } catch (e) {
      throw gzipError(e, gz.inputBytes, gz.budget);
    }
  }

  /** The profile's size in bytes: inflates (and checks) the rest of a gzip stream. */
  total(): number {
    if (!this.gz || this.ended) return this.base + this.len;
    try {
      this.gz.stream.drain();
    } catch (e) {
      throw gzipError(e, this.gz.inputBytes, this.gz.budget);
    }
    this.ended = true;
    return this.gz.stream.total;
  }
}

const WINDOW_BYTES = 1 << 20;

/** Decodes uncompressed profile.proto bytes; budget.inputBytes: the file's size before gunzip. */
export function decodeProto(data: Uint8Array, budget: Budget & { inputBytes?: number } = DEFAULT_BUDGET): Profile {
  return decodeWindows(new ProtoWindow(data), data.length, budget);
}

/**
 * Decodes a profile.proto in one pass over its windows. expectBytes: its size, or a guess (sizes
 * the sample columns).
 */
function decodeWindows(w: ProtoWindow, expectBytes: number, budget: Budget & { inputBytes?: number }): Profile {
  const r = $protobuf.Reader.create(w.buf);
  r.len = w.len;
  const refill = (from: number, need: number) => {
    const at = w.ensure(from, need);
    r.buf = w.buf;
    r.len = w.len;
    r.pos = at;
  };
  const sampleTypes: PbValueType[] = [];
  const mappings: PbMapping[] = [];
  const locations: RawLocation[] = [];
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
  const s = newSamples(expectBytes);
  const inputBytes = budget.inputBytes ?? expectBytes;
  // Samples past the budget are counted, not stored: the message says how many there are.
  const sampleLimit = Math.min(budget.maxSamples, budget.freeSamples + inputBytes * budget.maxSamplesPerInputByte);

  try {
    for (;;) {
      if (r.len - r.pos < 24) refill(r.pos, 24);
      if (r.pos >= r.len) break;
      const start = r.pos;
      const tag = varint(r);
      const wt = tag & 7;
      const field = Math.floor(tag / 8);
      if (field === 0) throw new Error('field number 0');
      if (wt === 2) {
        // The whole field in the window before it is read.
        const at = r.pos;
        const len = varint(r);
        const end = r.pos + len;
        r.pos = at;
        if (end > r.len && !w.ended) {
          refill(start, end - start);
          continue;
        }
        switch (field) {
          case 1:
            sampleTypes.push(pb.ValueType.decode(r, lengthOf(r)));
            continue;
          case 2:
            if (s.count < sampleLimit) {
              reserve(s, Math.min(len, r.len - r.pos), w.base + r.pos);
              readSample(r, s);
            } else {
              const l = lengthOf(r);
              r.pos += l;
              s.skipped++;
            }
            continue;
          case 3:
            mappings.push(pb.Mapping.decode(r, lengthOf(r)));
            continue;
          case 4: {
            const l = lengthOf(r);
            locations.push(readLocation(r, r.pos + l));
            continue;
          }
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
      } else if (wt === 3 && !w.ended) {
        // A group (long deprecated): read with everything after it in the window.
        refill(start, Infinity);
        varint(r);
      }
      r.skipType(wt);
    }
  } catch (e) {
    // A gzip stream's own faults come first: the rest is inflated (and checked) before a
    // decoding error is reported.
    if (e instanceof ProfileError) throw e;
    const at = w.base + r.pos;
    const total = w.total();
    // (A gzip stream is inflated whole and decoded again for this message: parseGzipStream.)
    throw new ProtoStopError(at, total, e instanceof RangeError && /^index out of range/.test((e as Error).message));
  }
  const protoBytes = w.total();
  checkCounts({ samples: s.count + s.skipped, locIds: s.allLocIds }, inputBytes, protoBytes, budget);
  return resolve({
    budget,
    protoBytes,
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

interface Decoded {
  budget: Budget;
  /** The profile.proto's size. */
  protoBytes: number;
  sampleTypes: PbValueType[];
  mappings: PbMapping[];
  locations: RawLocation[];
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

  // Ids become indices in place.
  const locations: Location[] = d.locations;
  for (const l of d.locations) {
    const mappingId = l.mapping;
    l.mapping = -1;
    if (mappingId) {
      l.mapping = mappingIndex(mappingId);
      if (l.mapping < 0) throw malformed(`location ${l.id} refers to mapping ${mappingId}, which does not exist`);
    }
    for (const ln of l.lines) {
      const functionId = ln.func;
      ln.func = -1;
      if (functionId) {
        ln.func = funcIndex(functionId);
        if (ln.func < 0) throw malformed(`location ${l.id} refers to function ${functionId}, which does not exist`);
      }
    }
  }
  const locIndex = idIndex(
    'location',
    locations.map((l) => l.id),
  );

  // Samples: check value counts, map location ids to indices, resolve labels.
  const s = d.s;
  const count = s.count;
  if (count > 0 && T === 0) throw malformed('the profile has samples but no sample types');
  // The first sample whose number of values is not the number of sample types.
  if (count > 0 && s.firstValues !== T)
    throw malformed(`sample 0 has ${s.firstValues} values but the profile has ${T} sample types`);
  if (s.otherValues) {
    const [i, n] = s.otherValues;
    throw malformed(`sample ${i} has ${n} values but the profile has ${T} sample types`);
  }
  const values = s.values.length === s.nValues ? s.values : s.values.subarray(0, s.nValues);
  const nLocs = s.nLocIds;
  const ids = s.locIds;
  const S = s.nStacks;
  // Indices replace ids in place when the id column has the width the locations need (16 bits
  // for at most 65535 locations, else 32).
  const narrow = locations.length <= 0xffff;
  const stackLocs =
    ids instanceof Float64Array || ids instanceof Uint16Array !== narrow
      ? narrow
        ? new Uint16Array(nLocs)
        : new Uint32Array(nLocs)
      : ids.length === nLocs
        ? ids
        : ids.subarray(0, nLocs);
  // One walk over the distinct stacks maps ids to indices and checks the stacks against the frame
  // budget (validateProfile then skips its own walk): a stack's frames are its locations' lines,
  // at least one each; the profile's, every sample's stack's.
  const depth = new Uint32Array(locations.length);
  for (let i = 0; i < locations.length; i++) depth[i] = Math.max(1, locations[i]!.lines.length);
  const starts = s.locStart;
  const maxDepth = d.budget.maxStackFrames;
  const stackFrames = new Float64Array(S);
  let deep = -1;
  let deepFrames = 0;
  for (let u = 0; u < S; u++) {
    const e = starts[u + 1]!;
    let f = 0;
    for (let k = starts[u]!; k < e; k++) {
      const id = ids[k]!;
      const idx = locIndex(id);
      if (idx < 0) throw malformed(`sample ${s.firstSample[u]} refers to location ${id}, which does not exist`);
      stackLocs[k] = idx;
      f += depth[idx]!;
    }
    stackFrames[u] = f;
    if (f > maxDepth && deep < 0) {
      deep = s.firstSample[u]!;
      deepFrames = f;
    }
  }
  if (deep >= 0) throw stackTooDeep(deep, deepFrames, d.budget);
  const stack = s.stack.length === count ? s.stack : s.stack.subarray(0, count);
  let frames = 0;
  for (let i = 0; i < count; i++) frames += stackFrames[stack[i]!]!;
  checkFrames(frames, d.protoBytes, d.budget);
  const locStart = s.locStart.slice(0, S + 1);

  // Samples usually share a handful of label sets: one array per distinct set, and per sample
  // its set's id (the labels array is built when read: withLabelSets).
  let sets: Label[][] = [];
  if (s.labelSets.length > 0) {
    sets = s.labelSets.map((ls) =>
      ls.map((l) => {
        const k = str(l.key, 'a label key');
        if (l.str !== 0) return { key: k, str: str(l.str, `label ${k}`) };
        const numUnit = l.numUnit !== 0 ? str(l.numUnit, `label ${k} unit`) : undefined;
        return numUnit !== undefined ? { key: k, num: l.num, numUnit } : { key: k, num: l.num };
      }),
    );
  }
  const columns = { count, values, stack, locStart, stackLocs };
  const samples =
    sets.length > 0
      ? withLabelSets(columns, s.labelSet.length === count ? s.labelSet : s.labelSet.subarray(0, count), sets)
      : { ...columns, labels: [] };

  const p: Profile = {
    sampleTypes,
    defaultSampleType: str(d.defaultSampleType, 'default_sample_type'),
    samples,
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
  stacksChecked.add(p);
  rememberDistinct(p.samples);
  return p;
}

/** Profiles whose stacks resolve() checked against the budget: validateProfile skips that walk. */
const stacksChecked = new WeakSet<Profile>();
