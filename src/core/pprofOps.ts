/**
 * Steps of `go tool pprof`'s driver that change the profile a report runs on, each pure (a new
 * Profile; the input is not changed): -tagroot/-tagleaf pseudo frames, -prune_from, the -mean
 * total, and the -symbolize option check.
 */
import { scaledLabel } from '../shared/units';
import { simplifyFunc } from './compact';
import { isDiffBaseSample } from './diff';
import { identityStacks, type Func, type Label, type Location, type Profile } from './model';

/** The values of label key k of a sample: strings first, then numbers formatted in outputUnit. */
function labelValues(labels: readonly Label[] | undefined, key: string, outputUnit: string): string[] {
  const strs: string[] = [];
  const nums: Label[] = [];
  for (const l of labels ?? []) {
    if (l.key !== key) continue;
    if (l.str !== undefined) strs.push(l.str);
    else if (l.num !== undefined) nums.push(l);
  }
  // pprof keeps only the string values when some numbers of the key carry a unit and others not.
  const withUnit = nums.filter((l) => l.numUnit).length;
  if (withUnit !== 0 && withUnit !== nums.length) return strs;
  for (const l of nums) strs.push(withUnit ? scaledLabel(l.num!, l.numUnit!, outputUnit) : scaledLabel(l.num!, '', ''));
  return strs;
}

/**
 * pprof's -tagroot / -tagleaf: a pseudo frame "value[,value]" (its file the label key) for each
 * key, above the root (the first key outermost) or below the leaf (the last key innermost) of
 * every sample. Returns which of the two matched a label of some sample.
 */
export function addLabelNodes(
  p: Profile,
  rootKeys: readonly string[],
  leafKeys: readonly string[],
  outputUnit: string,
) {
  let nextLocId = p.locations.reduce((m, l) => Math.max(m, l.id), 0) + 1;
  let nextFuncId = p.functions.reduce((m, f) => Math.max(m, f.id), 0) + 1;
  const functions: Func[] = [...p.functions];
  const locations: Location[] = [...p.locations];
  const interned = new Map<string, number>();
  const intern = (name: string, file: string): number => {
    const key = `${name}\u0000${file}`;
    let li = interned.get(key);
    if (li === undefined) {
      functions.push({ id: nextFuncId++, name, systemName: '', file, startLine: 0 });
      locations.push({
        id: nextLocId++,
        mapping: -1,
        address: 0,
        lines: [{ func: functions.length - 1, line: 0, column: 0 }],
        isFolded: false,
      });
      li = locations.length - 1;
      interned.set(key, li);
    }
    return li;
  };
  let rootMatched = false;
  let leafMatched = false;
  const pseudo = (
    labels: readonly Label[] | undefined,
    keys: readonly string[],
  ): { locs: number[]; match: boolean } => {
    const locs: number[] = [];
    let match = false;
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const values = labelValues(labels, k, outputUnit);
      if (values.length > 0) match = true;
      locs.push(intern(values.join(','), k));
    }
    return { locs, match };
  };
  const { count, values, locStart, stack, stackLocs, labels } = p.samples;
  const starts = new Uint32Array(count + 1);
  const out: number[] = [];
  for (let s = 0; s < count; s++) {
    const root = pseudo(labels[s], rootKeys);
    const leaf = pseudo(labels[s], leafKeys);
    rootMatched ||= root.match;
    leafMatched ||= leaf.match;
    starts[s] = out.length;
    out.push(...leaf.locs);
    for (let k = locStart[stack[s]!]!; k < locStart[stack[s]! + 1]!; k++) out.push(stackLocs[k]!);
    out.push(...root.locs);
  }
  starts[count] = out.length;
  const profile: Profile = {
    ...p,
    functions,
    locations,
    samples: {
      count,
      values,
      stack: identityStacks(count),
      locStart: starts,
      stackLocs: Uint32Array.from(out),
      labels,
    },
  };
  return { profile, rootMatched, leafMatched };
}

/**
 * pprof's -prune_from: in each location the frames inside the first (innermost) one whose
 * function matches are dropped, and each stack loses the frames below its first such location.
 */
export function pruneFrom(p: Profile, rx: { test(s: string): boolean }): Profile {
  const beneath = new Uint8Array(p.locations.length);
  const locations = p.locations.map((loc, li) => {
    for (let i = 0; i < loc.lines.length; i++) {
      const f = p.functions[loc.lines[i]!.func];
      if (f && f.name !== '' && rx.test(simplifyFunc(f.name))) {
        beneath[li] = 1;
        return i === 0 ? loc : { ...loc, lines: loc.lines.slice(i) };
      }
    }
    return loc;
  });
  // Each stack of the table once: the samples keep their stacks.
  const { locStart, stackLocs } = p.samples;
  const S = locStart.length - 1;
  const starts = new Uint32Array(S + 1);
  const out: number[] = [];
  for (let s = 0; s < S; s++) {
    let from = locStart[s]!;
    const to = locStart[s + 1]!;
    for (let k = from; k < to; k++) {
      if (beneath[stackLocs[k]!]) {
        from = k;
        break;
      }
    }
    starts[s] = out.length;
    for (let k = from; k < to; k++) out.push(stackLocs[k]!);
  }
  starts[S] = out.length;
  return { ...p, locations, samples: { ...p.samples, locStart: starts, stackLocs: Uint32Array.from(out) } };
}

/** pprof's report total with -mean: the summed |values| divided (integer) by the summed counts. */
export function meanTotal(p: Profile, sampleIndex: number): number {
  const T = p.sampleTypes.length;
  const { count, values, labels } = p.samples;
  let total = 0;
  let div = 0;
  let diffTotal = 0;
  let diffDiv = 0;
  for (let s = 0; s < count; s++) {
    const v = Math.abs(values[s * T + sampleIndex]!);
    const d = values[s * T]!;
    total += v;
    div += d;
    if (labels.length > 0 && isDiffBaseSample(labels[s])) {
      diffTotal += v;
      diffDiv += d;
    }
  }
  if (diffTotal > 0) {
    total = diffTotal;
    div = diffDiv;
  }
  return div !== 0 ? Math.trunc(total / div) : total;
}

/**
 * The warnings pprof prints for a -symbolize value (pprof-lens never symbolizes: profiles from Go
 * carry their function names). Elements are ':'-separated; "none" ends the check.
 */
export function symbolizeWarnings(mode: string): string[] {
  const out: string[] = [];
  for (const o of mode.toLowerCase().split(':')) {
    if (o === '' || o === 'local' || o === 'fastlocal' || o === 'remote' || o === 'force') continue;
    if (o === 'none' || o === 'no') break;
    const d = o.startsWith('demangle=') ? o.slice('demangle='.length) : o;
    if (['full', 'none', 'templates', 'default'].includes(d) && o !== d) continue;
    if (['full', 'templates', 'default'].includes(d)) continue;
    out.push(
      `ignoring unrecognized symbolization option: ${mode}`,
      'expecting -symbolize=[local|fastlocal|remote|none][:force][:demangle=[none|full|templates|default]',
    );
  }
  return out;
}
