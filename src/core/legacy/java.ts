/** Java legacy text profiles (heapz, contentionz with "format = java") and their symbol section. */
import { LegacyBuilder, notThisFormat, type BFunction } from './builder';
import { scaleHeapSample } from './heap';
import { LineScanner, baseName, malformed, parseHexAddresses, parseInt64, parseUint64, trimSpace, wrap64 } from './text';

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
const javaLocationRx = /^[\t\n\f\r ]*0x([0-9A-Fa-f]+)[\t\n\f\r ]+(.*?)[\t\n\f\r ]*$/;
const javaLocationFileLineRx = /^(.*)[\t\n\f\r ]+\((.+):(-?[0-9]+)\)$/;
const javaLocationPathRx = /^(.*)[\t\n\f\r ]+\((.*)\)$/;

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
    const locs = addrs.map(a => b.location(a));
    let v0 = parseInt64(m[2]!, 0);
    let v1 = parseInt64(m[1]!, 0);
    if (v0 === undefined || v1 === undefined) throw malformed(lineNo, `bad sample values in ${JSON.stringify(line.slice(0, 80))}`);
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
    const j = javaLocationRx.exec(line);
    if (!j) continue;
    const addr = parseUint64(j[1]!, 16);
    if (addr === undefined) throw malformed(s.lineNo, `address 0x${j[1]} does not fit in 64 bits`);
    const loc = b.byAddress.get(addr);
    if (loc === undefined) continue;
    const desc = j[2]!;
    let fnName: string;
    let file = '';
    let lineNo = 0;
    let fl: RegExpExecArray | null;
    let fp: RegExpExecArray | null;
    if ((fl = javaLocationFileLineRx.exec(desc))) {
      fnName = fl[1]!;
      file = fl[2]!;
      const n = parseInt64(fl[3]!);
      if (n !== undefined && n > 0n) lineNo = Number(n);
    } else if ((fp = javaLocationPathRx.exec(desc))) {
      // A shared library path: its base name is enough.
      fnName = fp[1]!;
      file = baseName(fp[2]!);
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
