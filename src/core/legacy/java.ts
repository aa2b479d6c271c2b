/** Java legacy text profiles (heapz, contentionz with "format = java") and their symbol section. */
import { LegacyBuilder, notThisFormat, type BFunction } from './builder';
import { scaleHeapSample } from './heap';
import {
  LineScanner,
  baseName,
  malformed,
  parseHexAddresses,
  parseInt64,
  parseUint64,
  trimSpace,
  wrap64,
} from './text';

const isWordOrSpace = (c: string | undefined): boolean => c !== undefined && /[\w ]/.test(c);

/**
 * The leftmost match of pprof's `([\w ]+)=([\w ]+)`, found by hand because the unanchored
 * regular expression is quadratic on long lines without a match.
 */
function matchAttribute(line: string): [string, string, string] | undefined {
  for (let eq = line.indexOf('='); eq >= 0; eq = line.indexOf('=', eq + 1)) {
    if (!isWordOrSpace(line[eq - 1]) || !isWordOrSpace(line[eq + 1])) continue;
    let a = eq - 1;
    while (a > 0 && isWordOrSpace(line[a - 1])) a--;
    let b = eq + 1;
    while (b + 1 < line.length && isWordOrSpace(line[b + 1])) b++;
    return [line.slice(a, b + 1), line.slice(a, eq), line.slice(eq + 1, b + 1)];
  }
  return undefined;
}
// Anchored (pprof's is not): sample lines are trimmed, and anchoring keeps the match linear.
const javaSampleRx = /^ *(\d+) +(\d+) +@ +([ x0-9a-f]*)/;

// pprof's symbol-line patterns, matched by scans: as regular expressions, a lazy `(.*?)` before a
// run of blanks and a greedy `(.*)` before "(" are quadratic on a long line (a 64 KiB line took
// over 40 s).
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
const isHexDigit = (c: string | undefined): boolean =>
  c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));

/** `^\s*0x([0-9A-Fa-f]+)\s+(.*?)\s*$`: the address digits and the description. */
export function matchJavaLocation(line: string): [string, string] | undefined {
  let i = 0;
  while (isBlank(line[i])) i++;
  if (!line.startsWith('0x', i)) return undefined;
  const h = i + 2;
  i = h;
  while (isHexDigit(line[i])) i++;
  const hexEnd = i;
  if (i === h || !isBlank(line[i])) return undefined;
  while (isBlank(line[i])) i++;
  let end = line.length;
  while (end > i && isBlank(line[end - 1])) end--;
  return [line.slice(h, hexEnd), line.slice(i, end)];
}

/** The last "(" at or before `from` that follows a blank, as the greedy `(.*)\s+\(` finds it. */
function lastParenAfterBlank(desc: string, from: number): number {
  for (let o = desc.lastIndexOf('(', from); o >= 1; o = desc.lastIndexOf('(', o - 1)) {
    if (isBlank(desc[o - 1])) return o;
  }
  return -1;
}

/** `^(.*)\s+\((.+):(-?[0-9]+)\)$`: function, file and line. */
export function matchJavaFileLine(desc: string): [string, string, string] | undefined {
  if (!desc.endsWith(')')) return undefined;
  const c = desc.lastIndexOf(':');
  if (c < 0) return undefined;
  const num = desc.slice(c + 1, -1);
  const digits = num.startsWith('-') ? num.slice(1) : num;
  if (digits === '' || !/^[0-9]+$/.test(digits)) return undefined;
  const o = lastParenAfterBlank(desc, c - 2);
  if (o < 0) return undefined;
  return [desc.slice(0, o - 1), desc.slice(o + 1, c), num];
}

/** `^(.*)\s+\((.*)\)$`: function and path. */
export function matchJavaPath(desc: string): [string, string] | undefined {
  if (!desc.endsWith(')')) return undefined;
  const o = lastParenAfterBlank(desc, desc.length - 2);
  if (o < 0) return undefined;
  return [desc.slice(0, o - 1), desc.slice(o + 1, -1)];
}

const JAVA_HEAPZ_SAMPLING_RATE = 524288n;

/** Line-by-line cursor over complete ("\n"-terminated) lines, tracking line numbers. */
class Cursor {
  constructor(
    readonly lines: string[],
    public i: number,
    readonly firstLineNo: number,
  ) {}
  lineNo(): number {
    return this.firstLineNo + this.i;
  }
}

export function parseJavaProfile(text: string): LegacyBuilder | undefined {
  const nl = text.indexOf('\n');
  if (nl < 0) return undefined;
  const header = trimSpace(text.slice(0, nl));
  let kind: 'heap' | 'contention';
  if (header === '--- heapz 1 ---') kind = 'heap';
  else if (header === '--- contentionz 1 ---') kind = 'contention';
  else return undefined;

  const b = new LegacyBuilder();
  b.periodType = { type: '', unit: '' };
  // Only lines that end in "\n" are attributes or samples; the rest is the symbol section.
  const rest = text.slice(nl + 1);
  const parts = rest.split('\n');
  const tail = parts.pop()!; // text after the last "\n" (possibly "")
  const c = new Cursor(parts, 0, 2);

  // Attributes.
  for (; c.i < parts.length; c.i++) {
    const line = trimSpace(parts[c.i]!);
    if (line === '') continue;
    const h = matchAttribute(line);
    if (!h) break;
    const attr = h[1]!.trim();
    const value = h[2]!.trim();
    switch (`${kind}/${attr}`) {
      case 'heap/format':
      case 'contention/format':
        if (value !== 'java') notThisFormat();
        break;
      case 'heap/resolution':
        b.sampleTypes = [
          { type: 'inuse_objects', unit: 'count' },
          { type: 'inuse_space', unit: value },
        ];
        break;
      case 'contention/resolution':
        b.sampleTypes = [
          { type: 'contentions', unit: 'count' },
          { type: 'delay', unit: value },
        ];
        break;
      case 'contention/sampling period': {
        b.periodType = { type: 'contentions', unit: 'count' };
        const p = parseInt64(value, 0);
        if (p === undefined) throw malformed(c.lineNo(), `bad attribute ${JSON.stringify(line)}`);
        b.period = p;
        break;
      }
      case 'contention/ms since reset': {
        const ms = parseInt64(value, 0);
        if (ms === undefined) throw malformed(c.lineNo(), `bad attribute ${JSON.stringify(line)}`);
        b.durationNanos = wrap64(ms * 1000000n);
        break;
      }
      default:
        notThisFormat();
    }
  }

  // Samples: "<value2> <value1> @ addrs" (Java swaps the two columns).
  for (; c.i < parts.length; c.i++) {
    const line = trimSpace(parts[c.i]!);
    if (line === '') continue;
    const m = javaSampleRx.exec(line);
    if (!m) break;
    const lineNo = c.lineNo();
    const addrs = parseHexAddresses(m[3]!, lineNo);
    const locs = addrs.map((a) => b.location(a));
    let v0 = parseInt64(m[2]!, 0);
    let v1 = parseInt64(m[1]!, 0);
    if (v0 === undefined || v1 === undefined)
      throw malformed(lineNo, `bad sample values in ${JSON.stringify(line.slice(0, 80))}`);
    let labels;
    if (kind === 'heap') {
      if (v0 === 0n) throw malformed(lineNo, 'heap sample count must be non-zero');
      labels = [{ key: 'bytes', num: Number(wrap64(v1 / v0)) }];
      [v0, v1] = scaleHeapSample(v0, v1, JAVA_HEAPZ_SAMPLING_RATE);
    } else if (b.period !== 0n) {
      v0 = wrap64(v0 * b.period);
      v1 = wrap64(v1 * b.period);
    }
    b.samples.push({ values: [v0, v1], locs, ...(labels ? { labels } : {}) });
  }

  const remaining = parts.slice(c.i).join('\n') + (c.i < parts.length ? '\n' : '') + tail;
  parseJavaLocations(remaining, c.lineNo(), b);
  aggregateJava(b);
  b.checkValid();
  return b;
}

/**
 * The symbol section: "0x<addr> <function> (<file>:<line>)" lines give the locations samples
 * use their functions; other lines are ignored. Renumbers everything afterwards.
 */
export function parseJavaLocations(text: string, firstLineNo: number, b: LegacyBuilder): void {
  const s = new LineScanner(text, firstLineNo);
  const fns = new Map<string, BFunction>();
  while (s.scan()) {
    const line = trimSpace(s.text);
    if (line === '') continue;
    const j = matchJavaLocation(line);
    if (!j) continue;
    const addr = parseUint64(j[0], 16);
    if (addr === undefined) throw malformed(s.lineNo, `address 0x${j[0]} does not fit in 64 bits`);
    const loc = b.byAddress.get(addr);
    if (loc === undefined) continue;
    const desc = j[1];
    let fnName: string;
    let file = '';
    let lineNo = 0;
    let fl: [string, string, string] | undefined;
    let fp: [string, string] | undefined;
    if ((fl = matchJavaFileLine(desc))) {
      fnName = fl[0];
      file = fl[1];
      const n = parseInt64(fl[2]);
      if (n !== undefined && n > 0n) lineNo = Number(n);
    } else if ((fp = matchJavaPath(desc))) {
      // A shared library path: its base name is enough.
      fnName = fp[0];
      file = baseName(fp[1]);
    } else if (desc.includes('generated stub/JIT')) {
      fnName = 'STUB';
    } else {
      // Internal states of the Java agent, such as "GC" or "VM".
      fnName = desc;
    }
    let fn = fns.get(fnName);
    if (fn === undefined) {
      fn = { id: 0, name: fnName, systemName: fnName, file };
      fns.set(fnName, fn);
    }
    loc.lines = [{ fn, line: lineNo }];
    loc.address = 0n;
  }
  b.remapLocationIDs();
  b.remapFunctionIDs();
  b.remapMappingIDs();
}

/** pprof drops the (meaningless) Java addresses so equal frames merge. */
export function aggregateJava(b: LegacyBuilder): void {
  for (const l of b.locations) l.address = 0n;
}
