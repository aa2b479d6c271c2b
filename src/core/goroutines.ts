/**
 * Goroutine leaks: the goroutines of a goroutine profile grouped by stack (and, in a debug=2 dump,
 * by state), and two snapshots compared group by group, the way one hunts a heap leak with -base.
 *
 * Reads the three formats /debug/pprof/goroutine serves: profile.proto (debug=0), the debug=1 text
 * (counts per stack) and the debug=2 dump (every goroutine with its state, its wait in minutes and
 * its "created by" frame). Only the dump has states, waits, goroutine ids and creation sites; for
 * the other two a group's `entry` is the goroutine's first function (the frame under
 * runtime.goexit), which is where the `go` statement pointed, not where it was written.
 *
 * Where a group blocks (`blocking`): its first frame, leaf first, outside the Go runtime and the
 * standard library (the user's line that waits on a channel, a lock, a select); else the first
 * frame outside the runtime (net/http's accept loop); else the leaf.
 *
 * Pure: no vscode, no node.
 */
import { parseProfile } from './decode';
import { ProfileError } from './errors';
import type { GoFrame } from './goroutineLabels';
import { goPackage, isRuntimePackage } from './hotFunctions';
import { parseGoroutineHeader, readGoroutines, type Goroutine } from './legacy/dump';
import type { Profile } from './model';
import { profileSampleTypes } from './pgo';

export type { GoFrame };
export { frameLabel, waitLabel } from './goroutineLabels';

export type GoroutineFormat = 'proto' | 'text' | 'dump';

export interface GoroutineGroup {
  /** Identity for comparing snapshots (see groupKey). */
  readonly key: string;
  /** The frames, leaf first, without the "created by" frame. */
  readonly frames: readonly GoFrame[];
  /** The `go` statement that started them (dumps only). */
  readonly creator?: GoFrame;
  /** The goroutine's first function: the root frame (under runtime.goexit). */
  readonly entry?: GoFrame;
  /** Where they block (see the file comment). */
  readonly blocking?: GoFrame;
  /** "chan receive", "select", "semacquire", ... (dumps only). */
  readonly state?: string;
  readonly count: number;
  /** The longest wait in whole minutes, when the dump printed one (waits of a minute or more). */
  readonly maxWaitMinutes?: number;
  /** Goroutine ids, in the dump's order (dumps only; at most MAX_IDS). */
  readonly ids?: readonly number[];
}

export interface GoroutineSnapshot {
  readonly format: GoroutineFormat;
  /** The profile's sample type: "goroutine", or "goroutineleak" (Go 1.26+). */
  readonly kind: string;
  readonly total: number;
  /** Heaviest first; ties by key. */
  readonly groups: readonly GoroutineGroup[];
}

export const MAX_IDS = 50;

const isStd = (fn: string): boolean => {
  const pkg = goPackage(fn);
  if (pkg === 'main') return false;
  const first = pkg.split('/')[0]!;
  return !first.includes('.');
};
const isRuntime = (fn: string): boolean => fn === 'runtime.?' || isRuntimePackage(goPackage(fn));

/** Where a stack (leaf first) blocks: see the file comment. */
export function blockingFrame(frames: readonly GoFrame[]): GoFrame | undefined {
  return frames.find((f) => !isStd(f.fn)) ?? frames.find((f) => !isRuntime(f.fn)) ?? frames[0];
}

const frameKey = (f: GoFrame): string => `${f.fn}\u0000${f.file}\u0000${f.line}`;

/**
 * The identity of a group across snapshots: its frames outside the runtime (the proto and the
 * texts show the runtime's frames differently: a debug=1 text leaves the leaf runtime frames
 * unnamed), its creation site and its state when it has them.
 */
function groupKey(frames: readonly GoFrame[], creator: GoFrame | undefined, state: string | undefined): string {
  const own = frames.filter((f) => !isRuntime(f.fn)).map(frameKey);
  return [state ?? '', creator ? frameKey(creator) : '', ...own].join('\u0001');
}

function sortGroups(gs: GoroutineGroup[]): GoroutineGroup[] {
  return gs.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Groups the goroutines of a dump by stack, creation site and state. */
export function groupDump(goroutines: readonly Goroutine[]): GoroutineGroup[] {
  const byKey = new Map<
    string,
    { frames: GoFrame[]; creator?: GoFrame; state: string; count: number; wait?: number; ids: number[] }
  >();
  for (const g of goroutines) {
    // Identity of the full stack (runtime frames too), so groups are exact; the comparison key
    // below leaves the runtime out.
    const full = [g.state, g.creator ? frameKey(g.creator) : '', ...g.frames.map(frameKey)].join('\u0001');
    let e = byKey.get(full);
    if (e === undefined) {
      e = { frames: g.frames, state: g.state, count: 0, ids: [], ...(g.creator ? { creator: g.creator } : {}) };
      byKey.set(full, e);
    }
    e.count++;
    if (e.ids.length < MAX_IDS) e.ids.push(g.id);
    if (g.waitMinutes !== undefined) e.wait = Math.max(e.wait ?? 0, g.waitMinutes);
  }
  const out: GoroutineGroup[] = [];
  for (const e of byKey.values()) {
    const blocking = blockingFrame(e.frames);
    const entry = e.frames[e.frames.length - 1];
    out.push({
      key: groupKey(e.frames, e.creator, e.state),
      frames: e.frames,
      ...(e.creator ? { creator: e.creator } : {}),
      ...(entry ? { entry } : {}),
      ...(blocking ? { blocking } : {}),
      state: e.state,
      count: e.count,
      ...(e.wait !== undefined ? { maxWaitMinutes: e.wait } : {}),
      ids: e.ids,
    });
  }
  return mergeSameKey(out);
}

/** Groups the samples of a goroutine profile (proto or debug=1 text) by stack. */
export function groupProfile(p: Profile): GoroutineGroup[] {
  const T = p.sampleTypes.length;
  const byKey = new Map<string, { frames: GoFrame[]; count: number }>();
  const { count, values, locStart, stack, stackLocs } = p.samples;
  for (let s = 0; s < count; s++) {
    const v = values[s * T]!;
    if (v === 0) continue;
    const frames: GoFrame[] = [];
    for (let k = locStart[stack[s]!]!; k < locStart[stack[s]! + 1]!; k++) {
      for (const ln of p.locations[stackLocs[k]!]!.lines) {
        const f = ln.func >= 0 ? p.functions[ln.func] : undefined;
        frames.push({ fn: f?.name ?? '?', file: f?.file ?? '', line: ln.line });
      }
    }
    const full = frames.map(frameKey).join('\u0001');
    const e = byKey.get(full);
    if (e) e.count += v;
    else byKey.set(full, { frames, count: v });
  }
  const out: GoroutineGroup[] = [];
  for (const e of byKey.values()) {
    // The root is runtime.goexit; the goroutine's own first function is the frame under it.
    let r = e.frames.length - 1;
    while (r > 0 && isRuntime(e.frames[r]!.fn) && e.frames[r]!.fn !== 'runtime.main') r--;
    const entry = e.frames[r];
    const blocking = blockingFrame(e.frames);
    out.push({
      key: groupKey(e.frames, undefined, undefined),
      frames: e.frames,
      ...(entry ? { entry } : {}),
      ...(blocking ? { blocking } : {}),
      count: e.count,
    });
  }
  return mergeSameKey(out);
}

/**
 * Groups whose comparison keys are equal (stacks that differ only in runtime frames) are one
 * group: the first (heaviest) keeps its frames, counts add up, waits take the longest.
 */
function mergeSameKey(gs: GoroutineGroup[]): GoroutineGroup[] {
  sortGroups(gs);
  const byKey = new Map<string, GoroutineGroup>();
  for (const g of gs) {
    const e = byKey.get(g.key);
    if (e === undefined) {
      byKey.set(g.key, g);
      continue;
    }
    const wait =
      e.maxWaitMinutes === undefined && g.maxWaitMinutes === undefined
        ? undefined
        : Math.max(e.maxWaitMinutes ?? 0, g.maxWaitMinutes ?? 0);
    byKey.set(g.key, {
      ...e,
      count: e.count + g.count,
      ...(wait !== undefined ? { maxWaitMinutes: wait } : {}),
      ...(e.ids || g.ids ? { ids: [...(e.ids ?? []), ...(g.ids ?? [])].slice(0, MAX_IDS) } : {}),
    });
  }
  return sortGroups([...byKey.values()]);
}

const GOROUTINE_TYPES = new Set(['goroutine', 'goroutineleak']);

/**
 * Reads a goroutine profile in any of the three formats. Throws a ProfileError (a sentence for
 * the user) when the bytes are no profile, or a profile of another kind.
 */
export function readGoroutineSnapshot(bytes: Uint8Array): GoroutineSnapshot {
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  if (/^goroutine \d+ /m.test(head)) {
    const gs = readGoroutines(new TextDecoder().decode(bytes));
    if (gs.length > 0) {
      const groups = groupDump(gs);
      return { format: 'dump', kind: 'goroutine', total: gs.length, groups };
    }
  }
  const p = parseProfile(bytes);
  const kind = p.sampleTypes[0]?.type ?? '';
  if (!GOROUTINE_TYPES.has(kind) || p.sampleTypes.length !== 1) {
    throw new ProfileError(
      'unsupported',
      `this is a ${p.sampleTypes.map((t) => t.type).join('/') || 'profile without sample types'} profile, not a goroutine profile (/debug/pprof/goroutine).`,
    );
  }
  const groups = groupProfile(p);
  const text = head.startsWith('goroutine profile: total');
  return { format: text ? 'text' : 'proto', kind, total: groups.reduce((s, g) => s + g.count, 0), groups };
}

/**
 * Whether a file is a goroutine snapshot, for the snapshot pickers: a text whose first line is a
 * debug=1 header ("goroutine profile: total N") or a dump's first goroutine ("goroutine 1
 * [running]:", what the capture's goroutine-dump-*.txt holds), or a proto whose one sample type
 * is goroutine (read without decoding its samples). `head` is the file's first bytes for a text
 * (isText: its name ends in .txt, which is never parsed further); the whole file otherwise.
 */
export function isGoroutineSnapshot(bytes: Uint8Array, isText = false): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 512))).replace(/^\uFEFF/, '');
  const nl = head.indexOf('\n');
  const first = (nl < 0 ? head : head.slice(0, nl)).replace(/\r$/, '');
  if (/^goroutine(leak)? profile: total \d+$/.test(first) || parseGoroutineHeader(first) !== undefined) return true;
  if (isText || bytes.length === 0) return false;
  try {
    const types = profileSampleTypes(bytes);
    return types.length === 1 && GOROUTINE_TYPES.has(types[0]!.type);
  } catch {
    return false;
  }
}

export interface GoroutineGrowth {
  /** The group as in the later snapshot (the earlier one's when it is gone). */
  readonly group: GoroutineGroup;
  readonly before: number;
  readonly after: number;
  /** after − before. */
  readonly delta: number;
}

export interface GoroutineComparison {
  readonly totalBefore: number;
  readonly totalAfter: number;
  /** Groups whose count grew, most growth first (ties: larger count, then key). */
  readonly grown: readonly GoroutineGrowth[];
  /** Groups whose count shrank or that are gone, most shrinkage first. */
  readonly shrunk: readonly GoroutineGrowth[];
  /** True when states were compared (both snapshots are dumps). */
  readonly byState: boolean;
}

/** Re-keys groups by their frames alone (for comparing a dump with a proto or debug=1 text). */
function withoutState(gs: readonly GoroutineGroup[]): GoroutineGroup[] {
  return mergeSameKey(
    gs.map((g) => {
      const { state: _s, creator: _c, ...rest } = g;
      return { ...rest, key: groupKey(g.frames, undefined, undefined) };
    }),
  );
}

/** Compares two snapshots group by group: what grew between them (the leak) and what shrank. */
export function compareGoroutines(before: GoroutineSnapshot, after: GoroutineSnapshot): GoroutineComparison {
  const byState = before.format === 'dump' && after.format === 'dump';
  const b = byState ? before.groups : withoutState(before.groups);
  const a = byState ? after.groups : withoutState(after.groups);
  const bm = new Map(b.map((g) => [g.key, g]));
  const am = new Map(a.map((g) => [g.key, g]));
  const grown: GoroutineGrowth[] = [];
  const shrunk: GoroutineGrowth[] = [];
  for (const g of a) {
    const n = bm.get(g.key)?.count ?? 0;
    if (g.count > n) grown.push({ group: g, before: n, after: g.count, delta: g.count - n });
    else if (g.count < n) shrunk.push({ group: g, before: n, after: g.count, delta: g.count - n });
  }
  for (const g of b) if (!am.has(g.key)) shrunk.push({ group: g, before: g.count, after: 0, delta: -g.count });
  const order = (x: GoroutineGrowth, y: GoroutineGrowth): number =>
    Math.abs(y.delta) - Math.abs(x.delta) ||
    y.after - x.after ||
    (x.group.key < y.group.key ? -1 : x.group.key > y.group.key ? 1 : 0);
  return {
    totalBefore: before.total,
    totalAfter: after.total,
    grown: grown.sort(order),
    shrunk: shrunk.sort(order),
    byState,
  };
}
