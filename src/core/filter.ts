/**
 * pprof's sample filters, as -focus, -ignore, -hide, -show, -show_from, -tagfocus, -tagignore,
 * -tagshow and -taghide apply them (in that order), returning a new Profile; the input is not
 * changed. Name filters match a frame's function name or file name, or the location's mapping
 * file, anywhere in the string (Go regexp semantics, via compileGoRegexp).
 */
import { scale } from '../shared/units';
import type { Label, Line, Location, Profile, Samples } from './model';
import { deriveStacks } from './stacks';
import { compileGoRegexp, type GoRegexp } from './regexp';

export interface FilterOptions {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  showFrom?: string;
  tagFocus?: string;
  tagIgnore?: string;
  tagShow?: string;
  tagHide?: string;
}

export interface FilterResult {
  profile: Profile;
  /** For each option given, whether it matched anything (pprof warns "no matches" otherwise). */
  matched: Partial<Record<keyof FilterOptions, boolean>>;
  /** "focus=main" etc., for the "Active filters:" legend. */
  active: string[];
}

/** Each filter option and its pprof flag name, in pprof's legend order. */
export const FILTER_FLAGS: readonly (readonly [keyof FilterOptions, string])[] = [
  ['focus', 'focus'],
  ['ignore', 'ignore'],
  ['hide', 'hide'],
  ['show', 'show'],
  ['showFrom', 'show_from'],
  ['tagFocus', 'tagfocus'],
  ['tagIgnore', 'tagignore'],
  ['tagShow', 'tagshow'],
  ['tagHide', 'taghide'],
];

export function activeFilters(o: FilterOptions): string[] {
  return FILTER_FLAGS.filter(([k]) => o[k]).map(([k, name]) => `${name}=${o[k]}`);
}

export function hasFilters(o: FilterOptions): boolean {
  return activeFilters(o).length > 0;
}

type SampleTest = (labels: readonly Label[] | undefined) => boolean;

/** Numeric label keys without a unit get pprof's guess. */
function numUnitOf(l: Label): string {
  if (l.numUnit) return l.numUnit;
  return l.key === 'bytes' || l.key === 'request' || l.key === 'alignment' ? 'bytes' : l.key;
}

/** pprof's numeric tag ranges: "1mb", "1mb:", ":1mb", "1mb:2gb". Undefined when not a range. */
export function parseTagRange(filter: string): ((v: number, unit: string) => boolean) | undefined {
  const rx = /([+-]?[0-9]+)([A-Za-z]+)?/g;
  const ranges = [...filter.matchAll(rx)].slice(0, 2);
  if (ranges.length === 0) return undefined;
  const [m0, n0, u0 = ''] = ranges[0]!;
  const [lo, unit] = scale(Number(n0), u0, u0);
  const inUnit = (v: number, u: string): number | undefined => {
    const [sv, su] = scale(v, u, unit);
    return su === unit ? sv : undefined;
  };
  if (ranges.length === 1) {
    if (filter === m0) return (v, u) => inUnit(v, u) === lo;
    if (filter === `${m0}:`) return (v, u) => (inUnit(v, u) ?? -Infinity) >= lo;
    if (filter === `:${m0}`) return (v, u) => (inUnit(v, u) ?? Infinity) <= lo;
    return undefined;
  }
  const [m1, n1, u1 = ''] = ranges[1]!;
  if (filter !== `${m0}:${m1}`) return undefined;
  const [hi, unit2] = scale(Number(n1), u1, unit);
  if (unit2 !== unit) return undefined;
  return (v, u) => {
    const sv = inUnit(v, u);
    return sv !== undefined && sv >= lo && sv <= hi;
  };
}

/** pprof's compileTagFilter: "key=regexp,regexp", "regexp" (against key:value), or a numeric range. */
export function compileTagFilter(value: string, what = 'tagfocus'): SampleTest {
  let wantKey = '';
  const eq = value.indexOf('=');
  if (eq >= 0) {
    wantKey = value.slice(0, eq);
    value = value.slice(eq + 1);
  }
  const range = parseTagRange(value);
  if (range) {
    return (labels) =>
      (labels ?? []).some(
        (l) => l.num !== undefined && (wantKey === '' || l.key === wantKey) && range(l.num, numUnitOf(l)),
      );
  }
  const rxs = value.split(',').map((v) => compileGoRegexp(v, what));
  if (wantKey === '') {
    // Every regexp must match some "key:value" of the sample.
    return (labels) =>
      rxs.every((rx) => (labels ?? []).some((l) => l.str !== undefined && rx.test(`${l.key}:${l.str}`)));
  }
  return (labels) => {
    const vals = (labels ?? []).filter((l) => l.key === wantKey && l.str !== undefined);
    return vals.length > 0 && rxs.some((rx) => vals.some((l) => rx.test(l.str!)));
  };
}

export function filterProfile(p: Profile, o: FilterOptions): FilterResult {
  const matched: FilterResult['matched'] = {};
  const re = (s: string | undefined, what: string) => (s ? compileGoRegexp(s, what) : undefined);
  const focus = re(o.focus, 'focus');
  const ignore = re(o.ignore, 'ignore');
  const hide = re(o.hide, 'hide');
  const show = re(o.show, 'show');
  const showFrom = re(o.showFrom, 'show_from');

  const mappingFile = (l: Location) => (l.mapping >= 0 ? p.mappings[l.mapping]!.file : undefined);
  const lineMatches = (rx: GoRegexp, ln: Line) => {
    if (ln.func < 0) return false;
    const f = p.functions[ln.func]!;
    return rx.test(f.name) || rx.test(f.file);
  };
  const locMatches = (rx: GoRegexp, l: Location) => {
    if (l.lines.some((ln) => lineMatches(rx, ln))) return true;
    const mf = mappingFile(l);
    return mf !== undefined && rx.test(mf);
  };

  // Per location: 1 focused, 2 ignored (0 neither); hidden; new lines.
  const nL = p.locations.length;
  const focusState = new Uint8Array(nL);
  const hidden = new Uint8Array(nL);
  let anyHidden = false;
  const locations: Location[] = p.locations.map((l, i) => {
    if (ignore && locMatches(ignore, l)) {
      matched.ignore = true;
      focusState[i] = 2;
    } else if (!focus || locMatches(focus, l)) {
      if (focus) matched.focus = true;
      focusState[i] = 1;
    }
    let lines = l.lines;
    if (hide && locMatches(hide, l)) {
      matched.hide = true;
      const mf = mappingFile(l);
      lines = mf !== undefined && hide.test(mf) ? [] : lines.filter((ln) => !lineMatches(hide, ln));
      if (lines.length === 0) hidden[i] = 1;
    }
    if (show) {
      const mf = mappingFile(l);
      if (!(mf !== undefined && show.test(mf))) lines = lines.filter((ln) => ln.func < 0 || lineMatches(show, ln));
      if (lines.length === 0) hidden[i] = 1;
      else matched.show = true;
    }
    if (hidden[i]) anyHidden = true;
    return lines === l.lines ? l : { ...l, lines };
  });

  // show_from: per location, keep lines up to the outermost matching one (by function name or
  // file, pprof's lastMatchedLineIndex), in every sample; the whole location when its mapping's
  // file matches.
  const showFromLoc = new Uint8Array(nL);
  if (showFrom) {
    for (let i = 0; i < nL; i++) {
      const l = locations[i]!;
      const mf = mappingFile(l);
      if (mf !== undefined && showFrom.test(mf)) {
        showFromLoc[i] = 1;
        continue;
      }
      for (let k = l.lines.length - 1; k >= 0; k--) {
        const ln = l.lines[k]!;
        if (lineMatches(showFrom, ln)) {
          locations[i] = { ...l, lines: l.lines.slice(0, k + 1) };
          showFromLoc[i] = 1;
          break;
        }
      }
    }
    matched.showFrom = showFromLoc.includes(1);
  }

  const tagFocus = o.tagFocus ? compileTagFilter(o.tagFocus, 'tagfocus') : undefined;
  const tagIgnore = o.tagIgnore ? compileTagFilter(o.tagIgnore, 'tagignore') : undefined;
  const tagShow = re(o.tagShow, 'tagshow');
  const tagHide = re(o.tagHide, 'taghide');

  const { values, locStart, stack, stackLocs, labels, count } = p.samples;
  const T = p.sampleTypes.length;
  // Sized for every sample, cut to what is kept at the end.
  const outValues = values instanceof Int32Array ? new Int32Array(count * T) : new Float64Array(count * T);
  const outStack = new Uint32Array(count);
  /** Per kept sample, its index in p: while no frame is removed (stacksKept), the stacks are p's. */
  const kept = new Int32Array(count);
  // Without hide and show_from a stack is kept whole or dropped: the output shares p's table.
  const stacksKept = !anyHidden && !showFrom;
  const outStart: number[] = [0];
  const outLocs: number[] = [];
  let n = 0;
  let labelsChanged = false;
  const outLabels: (readonly Label[] | undefined)[] = [];
  const labelCache = new Map<readonly Label[], readonly Label[] | undefined>();
  // The stack filters depend on the stack alone: each stack of the table is filtered once, at its
  // first sample. Per stack: its stack in the output table, DROPPED, or UNSEEN.
  const UNSEEN = -1;
  const DROPPED = -2;
  const stackOut = new Int32Array(locStart.length - 1).fill(UNSEEN);
  const filterStack = (e: number): number => {
    const a = locStart[e]!;
    const b = locStart[e + 1]!;
    // focus / ignore
    let f = false;
    for (let k = a; k < b; k++) {
      const st = focusState[stackLocs[k]!]!;
      if (st === 2) return DROPPED;
      if (st === 1) f = true;
    }
    if (!f) return DROPPED;
    if (stacksKept) return e;
    // hide / show
    let locs: number[] = [];
    for (let k = a; k < b; k++) {
      const l = stackLocs[k]!;
      if (!anyHidden || !hidden[l]) locs.push(l);
    }
    if (anyHidden && locs.length === 0) return DROPPED;
    // show_from: cut above the outermost matching location
    if (showFrom) {
      let cut = -1;
      for (let i = locs.length - 1; i >= 0; i--) {
        if (showFromLoc[locs[i]!]) {
          cut = i;
          break;
        }
      }
      if (cut < 0) return DROPPED;
      locs = locs.slice(0, cut + 1);
    }
    for (const l of locs) outLocs.push(l);
    outStart.push(outLocs.length);
    return outStart.length - 2;
  };
  for (let s = 0; s < count; s++) {
    const e = stack[s]!;
    let out = stackOut[e]!;
    if (out === UNSEEN) stackOut[e] = out = filterStack(e);
    if (out === DROPPED) continue;
    // tag focus / ignore
    const ls = labels[s];
    if (tagFocus) {
      const ok = tagFocus(ls);
      if (ok) matched.tagFocus = true;
      if (!ok) {
        if (tagIgnore && tagIgnore(ls)) matched.tagIgnore = true;
        continue;
      }
    }
    if (tagIgnore && tagIgnore(ls)) {
      matched.tagIgnore = true;
      continue;
    }
    // tag show / hide: drop label keys
    let outL = ls;
    if (ls && (tagShow || tagHide)) {
      let c = labelCache.get(ls);
      if (!labelCache.has(ls)) {
        const kept = ls.filter((l) => {
          const sh = !tagShow || tagShow.test(l.key);
          const hd = !!tagHide && tagHide.test(l.key);
          if (sh && tagShow) matched.tagShow = true;
          if (hd) matched.tagHide = true;
          return sh && !hd;
        });
        c = kept.length > 0 ? kept : undefined;
        labelCache.set(ls, c);
      }
      if (c !== ls) labelsChanged = true;
      outL = c;
    }
    for (let t = 0; t < T; t++) outValues[n * T + t] = values[s * T + t]!;
    outStack[n] = out;
    kept[n] = s;
    outLabels.push(outL);
    n++;
  }
  const unchanged = stacksKept && !hide && !show && n === count && !labelsChanged;
  // Every sample kept as it was: p's samples themselves (their stacks, flame trie and annotations are p's).
  const samples: Samples = unchanged
    ? p.samples
    : {
        count: n,
        values: n === count ? outValues : outValues.slice(0, n * T),
        stack: n === count ? outStack : outStack.slice(0, n),
        locStart: stacksKept ? p.samples.locStart : Uint32Array.from(outStart),
        stackLocs: stacksKept
          ? p.samples.stackLocs
          : locations.length <= 0xffff
            ? Uint16Array.from(outLocs)
            : Uint32Array.from(outLocs),
        labels: outLabels.some((l) => l) ? outLabels : [],
      };
  // Whole samples dropped, stacks as they were: p's distinct stacks give the kept samples' ones.
  if (stacksKept && !unchanged) deriveStacks(p.samples, samples, kept.subarray(0, n), T);
  return {
    profile: { ...p, locations: unchanged ? p.locations : locations, samples },
    matched,
    active: activeFilters(o),
  };
}
