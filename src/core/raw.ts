/**
 * The text dump of a profile that pprof prints with -raw (Go's Profile.String()): header, each
 * sample's values, location ids and labels, the locations with their lines, the mappings.
 *
 * Two dialects exist: Go 1.19's pprof prints a line as "file:line"; pprof since Line.column was
 * added (the .string goldens of google/pprof) prints "file:line:column". The default is Go 1.19,
 * the behaviour reference; pass { columns: true } for the newer form.
 */

export interface FormatRawOptions {
  /** Print "file:line:column" as current pprof does, instead of Go 1.19's "file:line". */
  readonly columns?: boolean;
}
import type { Label, Location, Mapping, Profile } from './model';

const TWO_64 = 18446744073709551616;

/** "%#x" of a uint64 held in a double; values rounded up to 2^64 print as the maximum uint64. */
function hex(v: number): string {
  if (v >= TWO_64) return '0xffffffffffffffff';
  if (v < 0) return '0x' + BigInt.asUintN(64, BigInt(Math.trunc(v))).toString(16);
  return '0x' + Math.trunc(v).toString(16);
}

/** "%d" of an int64 held in a double. */
function dec(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return BigInt(Math.trunc(v)).toString();
}

function padLeft(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Go's time.Time.String() in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC". */
export function formatGoTime(unixNanos: number | string): string {
  const ns = typeof unixNanos === 'string' ? BigInt(unixNanos) : BigInt(Math.trunc(unixNanos));
  let secs = ns / 1000000000n;
  let frac = ns % 1000000000n;
  if (frac < 0n) {
    frac += 1000000000n;
    secs -= 1n;
  }
  const d = new Date(Number(secs) * 1000);
  const date = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  let f = '';
  if (frac !== 0n) f = '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${date} ${time}${f} +0000 UTC`;
}

/** Go's time.Duration.String(), e.g. "4h35m2.83s", "1.5ms", "0s". */
export function formatGoDuration(nanos: number): string {
  let u = BigInt(Math.trunc(nanos));
  const neg = u < 0n;
  if (neg) u = -u;
  const fmtFrac = (v: bigint, prec: number): [string, bigint] => {
    // v / 10^prec with the fractional part's trailing zeros dropped.
    const p = 10n ** BigInt(prec);
    const frac = v % p;
    let f = '';
    if (frac !== 0n) f = '.' + frac.toString().padStart(prec, '0').replace(/0+$/, '');
    return [f, v / p];
  };
  let out: string;
  if (u < 1000000000n) {
    if (u === 0n) return '0s';
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1000000n) {
      const [f, w] = fmtFrac(u, 3);
      out = `${w}${f}µs`;
    } else {
      const [f, w] = fmtFrac(u, 6);
      out = `${w}${f}ms`;
    }
  } else {
    const [f, secs] = fmtFrac(u, 9);
    const s = secs % 60n;
    const mins = secs / 60n;
    out = `${s}${f}s`;
    if (mins > 0n) {
      out = `${mins % 60n}m` + out;
      const h = mins / 60n;
      if (h > 0n) out = `${h}h` + out;
    }
  }
  return neg ? '-' + out : out;
}

/** Go's "%.4v": the first four characters (runes). */
function firstRunes(s: string, n: number): string {
  return Array.from(s).slice(0, n).join('');
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The label line(s) of one sample: string labels, then numeric labels, each sorted. */
function labelLines(labels: readonly Label[]): string[] {
  const strs = new Map<string, string[]>();
  const nums = new Map<string, { values: number[]; units: string[] }>();
  for (const l of labels) {
    if (l.str !== undefined) {
      let v = strs.get(l.key);
      if (v === undefined) strs.set(l.key, (v = []));
      v.push(l.str);
    } else if (l.num !== undefined) {
      let v = nums.get(l.key);
      if (v === undefined) nums.set(l.key, (v = { values: [], units: [] }));
      v.values.push(l.num);
      if (l.numUnit !== undefined && l.numUnit !== '') v.units.push(l.numUnit);
    }
  }
  const out: string[] = [];
  const header = '                ';
  if (strs.size > 0) {
    const ls = [...strs].map(([k, v]) => `${k}:[${v.join(' ')}]`).sort(compareBytes);
    out.push(header + ls.join(' '));
  }
  if (nums.size > 0) {
    const ls = [...nums].map(([k, { values, units }]) => {
      if (units.length > 0) {
        // pprof pads the units it found to the number of values.
        const us = values.map((_, i) => units[i] ?? '');
        return `${k}:[${values.map((v, i) => `${dec(v)} ${us[i]}`).join(' ')}]`;
      }
      return `${k}:[${values.map(dec).join(' ')}]`;
    });
    out.push(header + ls.sort(compareBytes).join(' '));
  }
  return out;
}

function locationString(p: Profile, l: Location, columns: boolean): string {
  let head = `${padLeft(String(l.id), 6)}: ${hex(l.address)} `;
  const m = l.mapping >= 0 ? p.mappings[l.mapping] : undefined;
  if (m !== undefined) head += `M=${m.id} `;
  if (l.isFolded) head += '[F] ';
  if (l.lines.length === 0) return head;
  const ss: string[] = [];
  for (const ln of l.lines) {
    let s = '??';
    const fn = ln.func >= 0 ? p.functions[ln.func] : undefined;
    if (fn !== undefined) {
      s = `${fn.name} ${fn.file}:${dec(ln.line)}${columns ? ':' + dec(ln.column) : ''} s=${dec(fn.startLine)}`;
      if (fn.name !== fn.systemName) s += `(${fn.systemName})`;
    }
    ss.push(head + s);
    head = '             ';
  }
  return ss.join('\n');
}

function mappingString(m: Mapping): string {
  let bits = '';
  if (m.hasFunctions) bits += '[FN]';
  if (m.hasFilenames) bits += '[FL]';
  if (m.hasLineNumbers) bits += '[LN]';
  if (m.hasInlineFrames) bits += '[IN]';
  return `${m.id}: ${hex(m.start)}/${hex(m.limit)}/${hex(m.offset)} ${m.file} ${m.buildId} ${bits}`;
}

/** pprof's Profile.String(), as `pprof -raw` prints it. */
export function formatRaw(p: Profile, opts: FormatRawOptions = {}): string {
  const ss: string[] = [];
  for (const c of p.comments) ss.push('Comment: ' + c);
  // pprof's decoder gives every parsed profile a (possibly empty) period type, so -raw always
  // prints the line: "PeriodType:  " when the profile has none.
  ss.push(`PeriodType: ${p.periodType?.type ?? ''} ${p.periodType?.unit ?? ''}`);
  ss.push(`Period: ${dec(p.period)}`);
  if (p.timeNanos !== 0) ss.push(`Time: ${formatGoTime(p.timeNanosExact ?? p.timeNanos)}`);
  if (p.durationNanos !== 0) ss.push(`Duration: ${firstRunes(formatGoDuration(p.durationNanos), 4)}`);
  ss.push('Samples:');
  ss.push(
    p.sampleTypes
      .map((t) => `${t.type}/${t.unit}${t.type === p.defaultSampleType ? '[dflt]' : ''}`)
      .join(' ')
      .trim(),
  );
  const { count, values, locStart, stack, stackLocs, labels } = p.samples;
  const T = p.sampleTypes.length;
  for (let i = 0; i < count; i++) {
    let sv = '';
    for (let j = 0; j < T; j++) sv += ' ' + padLeft(dec(values[i * T + j]!), 10);
    sv += ': ';
    for (let k = locStart[stack[i]!]!; k < locStart[stack[i]! + 1]!; k++) sv += `${p.locations[stackLocs[k]!]!.id} `;
    ss.push(sv);
    const ls = labels[i];
    if (ls !== undefined && ls.length > 0) ss.push(...labelLines(ls));
  }
  ss.push('Locations');
  for (const l of p.locations) ss.push(locationString(p, l, opts.columns === true));
  ss.push('Mappings');
  for (const m of p.mappings) ss.push(mappingString(m));
  return ss.join('\n') + '\n';
}
