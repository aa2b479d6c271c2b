/**
 * Values and percentages printed the way `go tool pprof` prints them (its measurement package):
 * bytes scale by 1024 (B, kB, MB, GB, TB, PB), time by its units (ns, us, ms, s, hrs), GCU by
 * 1000, and any other unit prints the bare number. Used by the core reports and the webview alike,
 * so this file imports nothing.
 */

interface Unit {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly factor: number;
}
interface UnitType {
  readonly units: readonly Unit[];
  readonly defaultUnit: Unit;
}

const bytesUnit: Unit = { name: 'B', aliases: ['b', 'byte'], factor: 1 };
const secondsUnit: Unit = { name: 's', aliases: [], factor: 1e9 };
const gcuUnit: Unit = { name: 'GCU', aliases: [], factor: 1 };

const unitTypes: readonly UnitType[] = [
  {
    units: [
      bytesUnit,
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: bytesUnit,
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: secondsUnit,
  },
  {
    units: [
      { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { name: 'GCU', aliases: ['gcu'], factor: 1 },
      { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    defaultUnit: gcuUnit,
  },
];

function sniff(ut: UnitType, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return ut.units.find((x) => x.aliases.includes(u));
}

function autoScale(ut: UnitType, v: number): [number, string] | undefined {
  let f = 0;
  let name = '';
  for (const u of ut.units) {
    if (u.factor >= f && v / u.factor >= 1) {
      f = u.factor;
      name = u.name;
    }
  }
  return f === 0 ? undefined : [v / f, name];
}

/**
 * Converts value from fromUnit to toUnit ("minimum"/"auto" pick the largest unit that keeps the
 * value >= 1). Returns the number and the unit suffix to print ("" for counts).
 */
export function scale(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scale(-value, fromUnit, toUnit);
    return [-v, u];
  }
  for (const ut of unitTypes) {
    const from = sniff(ut, fromUnit);
    if (!from) continue;
    const v = value * from.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      return autoScale(ut, v) ?? [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    }
    const to = sniff(ut, toUnit);
    return to ? [v / to.factor, to.name] : [v / ut.defaultUnit.factor, ut.defaultUnit.name];
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

/** The unit pprof would print `value` in when asked for the "minimum" unit. */
export function minimumUnit(value: number, unit: string): string {
  return scale(value, unit, 'minimum')[1];
}

/**
 * x printed with `digits` decimals, rounding exact ties to even as Go's fmt does
 * (Number.prototype.toFixed rounds ties away from zero: 0.125 -> "0.13", Go prints "0.12").
 */
export function toFixedGo(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (!Number.isFinite(x)) return s;
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 25));
  const tail = exact.slice(exact.indexOf('.') + 1 + digits);
  if (!/^50*$/.test(tail)) return s;
  // An exact tie: toFixed rounded away from zero; step back if that left an odd last digit.
  const lastDigit = Number(s[s.length - 1]);
  if (lastDigit % 2 === 0) return s;
  const step = 10 ** -digits;
  return (x < 0 ? -(Math.abs(x) - step / 2) : x - step / 2).toFixed(digits);
}

/** Go's %.Ng (N significant digits, shortest form, exponent when exp < -4 or exp >= N). */
export function formatG(x: number, precision: number): string {
  if (x === 0) return '0';
  const [mant, expStr] = x.toExponential(precision - 1).split('e') as [string, string];
  const exp = Number(expStr);
  const trim = (m: string) => (m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m);
  if (exp < -4 || exp >= precision) {
    const e = Math.abs(exp);
    return `${trim(mant)}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return trim(x.toFixed(Math.max(0, precision - 1 - exp)));
}

/** Like pprof's ScaledLabel: "1.28s", "150ms", "512kB", "0". */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scale(value, fromUnit, toUnit);
  let sv = toFixedGo(v, 2);
  if (sv.endsWith('.00')) sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + u;
}

/** Like pprof's Percentage: "  100%", "72.73%", " 0.57%". Always the absolute ratio. */
export function percentage(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${toFixedGo(ratio, 2).padStart(5)}%`;
  return `${formatG(ratio, 2).padStart(5)}%`;
}

/** A short label for UI surfaces: the value scaled to the minimum unit, e.g. "1.28s", "12.50MB". */
export function shortLabel(value: number, unit: string): string {
  return scaledLabel(value, unit, 'minimum');
}
