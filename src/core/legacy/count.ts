/**
 * Go count profiles in debug=1 text ("goroutine profile: total N", "threadcreate profile: total
 * N"), and C++ threadz dumps.
 */
import type { Label } from '../model';
import { LegacyBuilder, isMemoryMapSentinel, notThisFormat, parseAdditionalSections } from './builder';
import { GoSymbols } from './gosymbols';
import {
  LineScanner,
  isSpaceOrComment,
  malformed,
  parseHexAddresses,
  parseInt64,
  parseUint64,
  trimSpace,
} from './text';

const countStartRE = /^(\S+) profile: total \d+$/;

/** "<count> @ 0x… 0x…" (pprof's `^(\d+) @(( 0x[0-9a-f]+)+)$`, scanned): the count and addresses. */
function matchCountLine(line: string): [string, string[]] | undefined {
  const at = line.indexOf(' @');
  if (at <= 0 || !/^\d+$/.test(line.slice(0, at))) return undefined;
  const rest = line.slice(at + 2);
  if (rest === '') return [line.slice(0, at), []];
  const toks = rest.split(' ');
  if (toks[0] !== '') return undefined;
  toks.shift();
  for (const t of toks) if (!/^0x[0-9a-f]+$/.test(t)) return undefined;
  return [line.slice(0, at), toks];
}

export function parseGoCount(text: string, goSymbols = true): LegacyBuilder | undefined {
  const s = new LineScanner(text);
  while (s.scan() && isSpaceOrComment(s.text)) {
    // skip leading comments
  }
  const head = countStartRE.exec(s.text);
  if (!head) return undefined;
  const b = new LegacyBuilder();
  const kind = head[1]!;
  b.periodType = { type: kind, unit: 'count' };
  b.period = 1n;
  b.sampleTypes = [{ type: kind, unit: 'count' }];
  const symbols = new GoSymbols(goSymbols);
  while (s.scan()) {
    const line = s.text;
    if (isSpaceOrComment(line)) {
      const t = trimSpace(line);
      if (t.startsWith('# labels:')) {
        const last = b.samples[b.samples.length - 1];
        const labels = parseGoLabels(t.slice('# labels:'.length));
        if (last !== undefined && labels !== undefined && last.labels === undefined) last.labels = labels;
      } else if (t.startsWith('#')) {
        symbols.add(t);
      }
      continue;
    }
    if (line.startsWith('---')) break;
    const m = matchCountLine(line);
    // Go writes "N @" for threads the runtime started before any Go code ran. Go 1.19's pprof
    // refuses those lines; pprof-lens reads them (as a sample with no frames) unless asked for
    // pprof's view.
    if (m === undefined || (m[1].length === 0 && !goSymbols)) {
      throw malformed(s.lineNo, `not a "<count> @ <addresses>" line: ${JSON.stringify(line.slice(0, 80))}`);
    }
    const n = parseInt64(m[0], 0);
    if (n === undefined) throw malformed(s.lineNo, `count ${m[0]} is not a valid 64-bit integer`);
    const locs = m[1].map((tok) => {
      const a = parseUint64(tok, 0);
      if (a === undefined) throw malformed(s.lineNo, `address ${tok} does not fit in 64 bits`);
      return b.location(BigInt.asUintN(64, a - 1n));
    });
    symbols.startBlock(locs);
    b.samples.push({ values: [n], locs });
  }
  symbols.apply(b);
  parseAdditionalSections(s, b);
  return b;
}

/**
 * Go's labelMap.String(): {"key":"value", "k2":"v2"} with Go-quoted strings. Returns undefined
 * when the text is not in that form (the labels are then ignored, as pprof ignores them all).
 */
export function parseGoLabels(text: string): Label[] | undefined {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const body = t.slice(1, -1);
  const out: Label[] = [];
  let i = 0;
  const readQuoted = (): string | undefined => {
    if (body[i] !== '"') return undefined;
    let j = i + 1;
    while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
    if (j >= body.length) return undefined;
    const v = unquoteGo(body.slice(i, j + 1));
    i = j + 1;
    return v;
  };
  while (i < body.length) {
    const k = readQuoted();
    if (k === undefined || body[i] !== ':') return undefined;
    i++;
    const v = readQuoted();
    if (v === undefined) return undefined;
    out.push({ key: k, str: v });
    if (body.startsWith(', ', i)) i += 2;
    else if (i < body.length) return undefined;
  }
  return out;
}

/** Decodes a Go double-quoted string literal as %q writes it. */
function unquoteGo(q: string): string | undefined {
  const inner = q.slice(1, -1);
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < inner.length;) {
    const c = inner[i]!;
    if (c !== '\\') {
      const cp = inner.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = inner[i + 1];
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };
    if (e !== undefined && e in simple) {
      bytes.push(simple[e]!);
      i += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(inner.slice(i + 2, i + 4))) {
      bytes.push(parseInt(inner.slice(i + 2, i + 4), 16));
      i += 4;
    } else if ((e === 'u' || e === 'U') && /^[0-9a-fA-F]+$/.test(inner.slice(i + 2, i + (e === 'u' ? 6 : 10)))) {
      const n = e === 'u' ? 4 : 8;
      const cp = parseInt(inner.slice(i + 2, i + 2 + n), 16);
      if (cp > 0x10ffff) return undefined;
      bytes.push(...enc.encode(String.fromCodePoint(cp)));
      i += 2 + n;
    } else if (e !== undefined && /^[0-7]{3}$/.test(inner.slice(i + 1, i + 4))) {
      bytes.push(parseInt(inner.slice(i + 1, i + 4), 8) & 0xff);
      i += 4;
    } else {
      return undefined;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

// ---- C++ threadz -----------------------------------------------------------------------------

const threadzStartRE = /--- threadz \d+ ---/;

/**
 * pprof's `--- Thread ([0-9A-Fa-f]+) \(name: (.*)\/(\d+)\) stack: ---` anywhere in the line, by
 * scanning: the regular expression backtracks over every "/" for every "--- Thread" it sees.
 */
export function isThreadStart(line: string): boolean {
  let from = -1;
  for (let i = line.indexOf('--- Thread '); i >= 0; i = line.indexOf('--- Thread ', i + 1)) {
    let j = i + 11;
    const h = j;
    while (j < line.length && /[0-9A-Fa-f]/.test(line[j]!)) j++;
    if (j > h && line.startsWith(' (name: ', j)) {
      from = j + 8;
      break;
    }
  }
  if (from < 0) return false;
  const tail = ') stack: ---';
  for (let k = line.indexOf(tail, from); k >= 0; k = line.indexOf(tail, k + 1)) {
    let d = k;
    while (d > from && line[d - 1]! >= '0' && line[d - 1]! <= '9') d--;
    if (d < k && d - 1 >= from && line[d - 1] === '/') return true;
  }
  return false;
}

export function parseThread(text: string): LegacyBuilder | undefined {
  const s = new LineScanner(text);
  while (s.scan() && isSpaceOrComment(s.text)) {
    // skip leading comments
  }
  let line = s.text;
  if (threadzStartRE.test(line)) {
    while (s.scan()) {
      line = s.text;
      if (isMemoryMapSentinel(line) || line.startsWith('-')) break;
    }
  } else if (!isThreadStart(line)) {
    return undefined;
  }
  const b = new LegacyBuilder();
  b.sampleTypes = [{ type: 'thread', unit: 'count' }];
  b.periodType = { type: 'thread', unit: 'count' };
  b.period = 1n;
  while (!isMemoryMapSentinel(line)) {
    if (line.startsWith('---- no stack trace for')) {
      break;
    }
    if (!isThreadStart(line)) notThisFormat();
    let addrs: bigint[] | undefined;
    [line, addrs] = parseThreadSample(s);
    if (addrs === undefined || addrs.length === 0) {
      // "[same as previous thread]": count one more for the previous stack.
      const prev = b.samples[b.samples.length - 1];
      if (prev !== undefined) prev.values[0]! += 1n;
      continue;
    }
    const locs = addrs.map((a, i) => b.location(i > 0 ? BigInt.asUintN(64, a - 1n) : a));
    b.samples.push({ values: [1n], locs });
  }
  parseAdditionalSections(s, b);
  b.cleanupDuplicateLocations();
  return b;
}

/** Reads one thread's stack; returns the line that ended it and its addresses (none for a repeat). */
function parseThreadSample(s: LineScanner): [string, bigint[] | undefined] {
  let line = '';
  let same = false;
  const addrs: bigint[] = [];
  while (s.scan()) {
    line = trimSpace(s.text);
    if (line === '') continue;
    if (line.startsWith('---')) break;
    if (line.includes('same as previous thread')) {
      same = true;
      continue;
    }
    for (const a of parseHexAddresses(line, s.lineNo)) addrs.push(a);
  }
  return [line, same ? undefined : addrs];
}
