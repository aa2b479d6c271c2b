/**
 * The panel's transforms, pure. Focus on, ignore, hide (merge into callers) and show from a
 * function are pprof's own filters (-focus, -ignore, -hide, -show_from) with the function's exact
 * name as the regexp, added to the filters already set (joined by `|`, as pprof's web UI joins the
 * nodes it acts on): the panel, "Set Filters…" and the status bar edit one filter state. Collapse
 * recursion has no pprof flag: it merges a function's direct calls to itself into one frame, which
 * changes the trees only (every pprof report counts a function once per sample already). And the
 * command line that shows the same view in `go tool pprof`.
 */
import type { FilterOptions } from './filter';
import { cleanPath } from './graph';
import type { Location, Profile } from './model';

export type FilterTransform = 'focus' | 'ignore' | 'hide' | 'showFrom';

/** The Go regexp matching exactly this name. */
export function exactName(name: string): string {
  return `^${name.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`;
}

/**
 * The names a regexp matches exactly when it is only exactName alternatives (`^a\\.b$|^c$`, as
 * the panel's transforms write them): a regexp that matches these strings and nothing else.
 * Undefined for any other regexp.
 */
export function exactNames(src: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    if (src[i] !== '^') return undefined;
    i++;
    let name = '';
    for (;;) {
      const c = src[i];
      if (c === undefined) return undefined;
      if (c === '\\') {
        const x = src[i + 1];
        if (x === undefined || !/[\\.+*?()|[\]{}^$]/.test(x)) return undefined;
        name += x;
        i += 2;
      } else if (c === '$') {
        i++;
        break;
      } else if (/[.+*?()|[\]{}^]/.test(c)) return undefined;
      else {
        name += c;
        i++;
      }
    }
    out.push(name);
    if (i === src.length) break;
    if (src[i] !== '|') return undefined;
    i++;
    if (i === src.length) return undefined;
  }
  return out.length > 0 ? out : undefined;
}

/** The filters with `op` on the function `name` added (or the same when it is there already). */
export function addTransform(filters: FilterOptions, op: FilterTransform, name: string): FilterOptions {
  const rx = exactName(name);
  const cur = filters[op];
  if (cur === rx || (cur !== undefined && cur.split('|').includes(rx))) return filters;
  return { ...filters, [op]: cur ? `${cur}|${rx}` : rx };
}

/**
 * The profile with each direct call of a listed function to itself merged into one frame (a
 * recursion F → F → F → G shows as F → G); its samples and values are unchanged. A function is
 * its frame in the trees (core/flame: name and file), so two entries of the function table with
 * the same name and file are one function here. The reference of core/flame collapseTrie, which
 * gives the same tree from the merged trie (the worker's fast path).
 */
export function collapseRecursion(p: Profile, names: readonly string[]): Profile {
  if (names.length === 0) return p;
  const set = new Set(names);
  const listed = p.functions.map((f) => f.name !== '' && set.has(f.name));
  // Each listed function's first entry of the same frame (name and file): -1 for the others.
  const frameOf = new Map<string, number>();
  const same = p.functions.map((f, i) => {
    if (!listed[i]) return -1;
    const key = `${f.name}\u0000${f.file ? cleanPath(f.file) : ''}`;
    const first = frameOf.get(key);
    if (first !== undefined) return first;
    frameOf.set(key, i);
    return i;
  });
  const locations: Location[] = p.locations.slice();
  // The location to use for location l entered from a caller function (only a listed caller
  // matters): its index, or -1 when every line of it goes.
  const variants = new Map<string, number>();
  const frame = (fn: number) => (fn >= 0 && fn < same.length ? same[fn]! : -1);
  const variantOf = (l: number, caller: number): number => {
    const c = frame(caller);
    const key = `${l}:${c}`;
    let v = variants.get(key);
    if (v !== undefined) return v;
    const loc = p.locations[l]!;
    const keep: boolean[] = [];
    let up = c;
    // Lines run innermost first: walk them from the outermost. (up: the listed frame above, or -1.)
    for (let k = loc.lines.length - 1; k >= 0; k--) {
      const f = frame(loc.lines[k]!.func);
      keep[k] = !(f >= 0 && f === up);
      if (keep[k]) up = f;
    }
    const lines = loc.lines.filter((_, k) => keep[k]);
    if (lines.length === loc.lines.length) v = l;
    else if (lines.length === 0) v = -1;
    else {
      v = locations.length;
      locations.push({ ...loc, lines });
    }
    variants.set(key, v);
    return v;
  };
  // Each stack of the table once: the samples keep their stacks.
  const { locStart, stackLocs } = p.samples;
  const S = locStart.length - 1;
  const outStart = new Uint32Array(S + 1);
  const out: number[] = [];
  const stack: number[] = [];
  for (let s = 0; s < S; s++) {
    stack.length = 0;
    // From the root (the stack's end) to the leaf; `caller` is the function of the frame above.
    let caller = -1;
    for (let k = locStart[s + 1]! - 1; k >= locStart[s]!; k--) {
      const v = variantOf(stackLocs[k]!, caller);
      // A location that went entirely was the function called by itself: the caller stays.
      if (v < 0) continue;
      stack.push(v);
      caller = locations[v]!.lines[0]?.func ?? -1;
    }
    for (let k = stack.length - 1; k >= 0; k--) out.push(stack[k]!);
    outStart[s + 1] = out.length;
  }
  return {
    ...p,
    locations,
    samples: {
      ...p.samples,
      locStart: outStart,
      stackLocs: locations.length > 0xffff ? Uint32Array.from(out) : Uint16Array.from(out),
    },
  };
}

export interface CommandOptions {
  /** The profile's path (or URL) as the user would type it. */
  readonly profile: string;
  /** The sample type's name (pprof's -sample_index=<name>). */
  readonly sampleType: string;
  readonly base?: { readonly path: string; readonly mode: 'base' | 'diff_base'; readonly normalize?: boolean };
  readonly filters: FilterOptions;
  /** Label keys the tree is pivoted on (-tagroot). */
  readonly tagRoot?: readonly string[];
  /** The output: '-http=:' (pprof's web UI, the default) or a report such as '-top'. */
  readonly output?: string;
}

const FLAG: Record<keyof FilterOptions, string> = {
  focus: 'focus',
  ignore: 'ignore',
  hide: 'hide',
  show: 'show',
  showFrom: 'show_from',
  tagFocus: 'tagfocus',
  tagIgnore: 'tagignore',
  tagShow: 'tagshow',
  tagHide: 'taghide',
};

/** A POSIX shell word: bare when safe, else in single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The arguments after `go tool pprof` that show this view. */
export function pprofArgs(o: CommandOptions): string[] {
  const args = [o.output ?? '-http=:', `-sample_index=${o.sampleType}`];
  if (o.base) {
    if (o.base.normalize) args.push('-normalize');
    args.push(`-${o.base.mode}=${o.base.path}`);
  }
  for (const k of Object.keys(FLAG) as (keyof FilterOptions)[]) {
    const v = o.filters[k];
    if (v) args.push(`-${FLAG[k]}=${v}`);
  }
  if (o.tagRoot && o.tagRoot.length > 0) args.push(`-tagroot=${o.tagRoot.join(',')}`);
  args.push(o.profile);
  return args;
}

/** The whole command line, quoted for a POSIX shell. */
export function pprofCommand(o: CommandOptions): string {
  return ['go', 'tool', 'pprof', ...pprofArgs(o)].map(shellQuote).join(' ');
}
