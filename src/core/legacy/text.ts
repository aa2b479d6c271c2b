/**
 * Small text helpers shared by the legacy parsers: a line scanner with the semantics of Go's
 * bufio.Scanner (lines split on "\n", one trailing "\r" dropped, no empty final line), Go-style
 * integer parsing with int64/uint64 range checks, and the "not this format" signal.
 */
import { ProfileError } from '../errors';

/** Thrown by a parser when the input is not its format, so the next parser gets a try. */
export class NotThisFormat extends Error {
  constructor() {
    super('not this legacy format');
  }
}

export function malformed(lineNo: number, message: string): ProfileError {
  const where = lineNo > 0 ? `line ${lineNo}: ` : '';
  return new ProfileError('malformed', `legacy profile: ${where}${message}`);
}

const decoder = new TextDecoder('utf-8', { fatal: false });

export function bytesToText(data: Uint8Array): string {
  return decoder.decode(data);
}

const MAX_LINE = 64 * 1024;

/** Line-at-a-time reader; `text` is "" once the input is exhausted, as with Go's Scanner. */
export class LineScanner {
  private readonly src: string;
  /** Where the next line starts. */
  private pos = 0;
  private count = 0;
  /** The current line, without its terminator. */
  text = '';
  /** 1-based number of the current line (0 before the first scan). */
  lineNo: number;

  constructor(text: string, firstLineNo = 1) {
    // Lines are found one at a time: a parser that gives up after its first line (every parser
    // but one, when the legacy formats are tried in turn) costs nothing on a large input.
    this.src = text;
    this.lineNo = firstLineNo - 1;
  }

  scan(): boolean {
    if (this.pos >= this.src.length) {
      this.text = '';
      return false;
    }
    const nl = this.src.indexOf('\n', this.pos);
    const end = nl < 0 ? this.src.length : nl;
    const len = end - this.pos;
    this.count++;
    if (len > MAX_LINE) {
      // pprof's scanner gives up on lines over 64 KiB; so do we. A first line that long is not
      // text at all.
      if (this.count === 1) throw new NotThisFormat();
      throw malformed(this.lineNo + 1, `line longer than ${MAX_LINE} characters`);
    }
    let l = this.src.slice(this.pos, end);
    this.pos = nl < 0 ? this.src.length : nl + 1;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    this.text = l;
    this.lineNo++;
    return true;
  }
}

/** Go's strings.TrimSpace for ASCII white space (the only kind these formats use). */
export function trimSpace(s: string): string {
  // A scan: the regular expression /[\s]+$/ is quadratic on a long run of blanks inside a line.
  let a = 0;
  let b = s.length;
  while (a < b && isAsciiSpace(s.charCodeAt(a))) a++;
  while (b > a && isAsciiSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13); // space, \t \n \v \f \r
}

export function isSpaceOrComment(line: string): boolean {
  const t = trimSpace(line);
  return t.length === 0 || t[0] === '#';
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

function digitsFor(base: number): RegExp {
  switch (base) {
    case 2:
      return /^[01]+$/;
    case 8:
      return /^[0-7]+$/;
    case 16:
      return /^[0-9a-fA-F]+$/;
    default:
      return /^[0-9]+$/;
  }
}

/** The magnitude of an unsigned number in `base` (0 = prefix decides, like Go), or undefined. */
function parseMagnitude(s: string, base: 0 | 10 | 16): bigint | undefined {
  let b: number = base;
  let t = s;
  if (base === 0) {
    if (/^0[xX]/.test(t)) {
      b = 16;
      t = t.slice(2);
    } else if (/^0[oO]/.test(t)) {
      b = 8;
      t = t.slice(2);
    } else if (/^0[bB]/.test(t)) {
      b = 2;
      t = t.slice(2);
    } else if (t.length > 1 && t[0] === '0') {
      b = 8;
      t = t.slice(1);
    } else {
      b = 10;
    }
  }
  if (t === '' || !digitsFor(b).test(t)) return undefined;
  const prefix = b === 16 ? '0x' : b === 8 ? '0o' : b === 2 ? '0b' : '';
  return BigInt(prefix + t);
}

/** Go's strconv.ParseInt(s, base, 64): undefined on syntax error or overflow. */
export function parseInt64(s: string, base: 0 | 10 = 10): bigint | undefined {
  let neg = false;
  let t = s;
  if (t.startsWith('-') || t.startsWith('+')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  const m = parseMagnitude(t, base);
  if (m === undefined) return undefined;
  const v = neg ? -m : m;
  if (v < INT64_MIN || v > INT64_MAX) return undefined;
  return v;
}

/** Go's strconv.ParseUint(s, base, 64): undefined on syntax error or overflow. */
export function parseUint64(s: string, base: 0 | 16): bigint | undefined {
  const m = parseMagnitude(s, base);
  if (m === undefined || m > UINT64_MAX) return undefined;
  return m;
}

/** Wraps to int64 as Go's integer arithmetic does. */
export function wrap64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/**
 * Go's int64(f) for a float64 as amd64 computes it: truncation toward zero, and the minimum int64
 * for NaN, infinities and values out of range (so nothing non-finite ever reaches a profile).
 */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

const hexNumberRE = /0x[0-9a-f]+/g;

/**
 * Every "0x..." number in s, as pprof's parseHexAddresses finds them; a number over 64 bits
 * makes the profile malformed.
 */
export function parseHexAddresses(s: string, lineNo: number): bigint[] {
  const out: bigint[] = [];
  for (const m of s.matchAll(hexNumberRE)) {
    const v = parseUint64(m[0], 0);
    if (v === undefined) throw malformed(lineNo, `address ${m[0]} does not fit in 64 bits`);
    out.push(v);
  }
  return out;
}

/** Go's filepath.Base for slash-separated paths. */
export function baseName(path: string): string {
  if (path === '') return '.';
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  let p = path.slice(0, end);
  if (p === '') return '/';
  const i = p.lastIndexOf('/');
  if (i >= 0) p = p.slice(i + 1);
  return p;
}
