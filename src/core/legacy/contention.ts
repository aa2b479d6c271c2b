/**
 * Contention text profiles: Go's mutex and block profiles in debug=1 text ("--- mutex:",
 * "--- contention:") and C++ contentionz ("--- contentionz 1 ---").
 */
import { LegacyBuilder, parseAdditionalSections, notThisFormat } from './builder';
import { GoSymbols } from './gosymbols';
import {
  LineScanner,
  floatToInt64,
  isSpaceOrComment,
  malformed,
  parseHexAddresses,
  parseInt64,
  trimSpace,
  wrap64,
} from './text';

/**
 * pprof's `(\d+) *(\d+) @([ x0-9a-f]*)` at the start of a (trimmed) line, matched by hand: the
 * regular expression backtracks quadratically over a long run of digits. Without spaces between
 * the numbers, the second is the last digit of the run, as the greedy first group leaves it.
 */
function matchContentionSample(line: string): [string, string, string, string] | undefined {
  const head = /^(\d+)( *)/.exec(line);
  if (!head) return undefined;
  const run = head[1]!;
  if (head[2] !== '') {
    const second = /^\d+/.exec(line.slice(head[0].length));
    if (second) {
      const after = line.slice(head[0].length + second[0].length);
      if (after.startsWith(' @')) return [line, run, second[0], /^[ x0-9a-f]*/.exec(after.slice(2))![0]];
    }
  }
  const after = line.slice(run.length);
  if (run.length < 2 || !after.startsWith(' @')) return undefined;
  return [line, run.slice(0, -1), run.slice(-1), /^[ x0-9a-f]*/.exec(after.slice(2))![0]];
}

export function parseContention(text: string, goSymbols = true): LegacyBuilder | undefined {
  const s = new LineScanner(text);
  if (!s.scan()) return undefined;
  const first = s.text;
  if (
    !first.startsWith('--- contentionz ') &&
    !first.startsWith('--- mutex:') &&
    !first.startsWith('--- contention:')
  ) {
    return undefined;
  }
  const b = new LegacyBuilder();
  b.periodType = { type: 'contentions', unit: 'count' };
  b.period = 1n;
  b.sampleTypes = [
    { type: 'contentions', unit: 'count' },
    { type: 'delay', unit: 'nanoseconds' },
  ];
  let cpuHz = 0n;
  // "attribute = value" lines come before the samples.
  while (s.scan()) {
    const line = trimSpace(s.text);
    if (isSpaceOrComment(line)) continue;
    if (line.startsWith('---')) break;
    const eq = line.indexOf('=');
    if (eq < 0) break;
    const key = trimSpace(line.slice(0, eq));
    const val = trimSpace(line.slice(eq + 1));
    switch (key) {
      case 'cycles/second':
        cpuHz = parseInt64(val, 0) ?? notThisFormat();
        break;
      case 'sampling period':
        b.period = parseInt64(val, 0) ?? notThisFormat();
        break;
      case 'ms since reset':
        b.durationNanos = wrap64((parseInt64(val, 0) ?? notThisFormat()) * 1000n * 1000n);
        break;
      case 'discarded samples':
        break;
      default:
        // Includes "format" and "resolution", which only Java contentionz profiles have.
        return notThisFormat();
    }
  }
  const symbols = new GoSymbols(goSymbols);
  for (;;) {
    const line = trimSpace(s.text);
    if (line.startsWith('---')) break;
    if (!isSpaceOrComment(line)) {
      const m = matchContentionSample(line);
      if (!m) notThisFormat();
      let v1 = parseInt64(m[1]!);
      let v2 = parseInt64(m[2]!);
      if (v1 === undefined || v2 === undefined) throw malformed(s.lineNo, 'sample value out of the 64-bit range');
      if (b.period > 0n) {
        if (cpuHz > 0n) {
          const cpuGHz = Number(cpuHz) / 1e9;
          v1 = floatToInt64((Number(v1) * Number(b.period)) / cpuGHz);
        }
        v2 = wrap64(v2 * b.period);
      }
      const addrs = parseHexAddresses(m[3]!, s.lineNo);
      const locs = addrs.map((a) => b.location(BigInt.asUintN(64, a - 1n)));
      symbols.startBlock(locs);
      b.samples.push({ values: [v2, v1], locs });
    } else if (line.startsWith('#')) {
      symbols.add(line);
    }
    if (!s.scan()) break;
  }
  symbols.apply(b);
  parseAdditionalSections(s, b);
  return b;
}
