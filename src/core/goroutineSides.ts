/**
 * Comparing goroutine snapshots of different formats frame by frame (the top table, the flame
 * graph, the overlays of a debug=2 dump compared with a debug=1 text or a proto, or the reverse).
 *
 * A debug=2 dump prints the stacks as a traceback does: the runtime's unexported functions
 * (runtime.gopark, runtime.chanrecv, runtime.goexit, runtime.main …) are not shown. The proto and
 * the debug=1 text have them. Subtracted as they are, every such frame would be a difference that
 * is none (runtime.goexit −22), and a function whose leaf runtime frames are only on one side
 * would get more flat than cum. So for a mixed pair both sides lose the frames a traceback hides,
 * as pprof -hide '^runtime\.[^A-Z]' would drop them, and are matched by frames alone (no labels,
 * addresses or mappings: the dump has none); with two snapshots of the same format nothing changes. The Goroutines view compares groups (core/goroutines) and needs none of this.
 */
import { filterProfile } from './filter';
import { withLabels, type Profile } from './model';

const GOROUTINE_TYPES = new Set(['goroutine', 'goroutineleak']);

/** The frames a Go traceback (and so a debug=2 dump) leaves out: the runtime's unexported functions. */
export const TRACEBACK_HIDDEN = '^runtime\\.[^A-Z]';

/** A goroutine profile read from a debug=2 dump: every sample has the dump's `state` label. */
export function isGoroutineDump(p: Profile): boolean {
  const { count, labels } = p.samples;
  if (!GOROUTINE_TYPES.has(p.sampleTypes[0]?.type ?? '') || count === 0 || labels.length !== count) return false;
  for (let s = 0; s < count; s++) if (!labels[s]?.some((l) => l.key === 'state' && l.str !== undefined)) return false;
  return true;
}

/**
 * current and base made comparable frame by frame: unchanged unless one is a dump and the other a
 * goroutine profile of another format; then both without the frames a traceback hides.
 */
export function comparableGoroutineSides(current: Profile, base: Profile): { current: Profile; base: Profile } {
  const isGoroutine = (p: Profile) => GOROUTINE_TYPES.has(p.sampleTypes[0]?.type ?? '');
  if (!isGoroutine(current) || !isGoroutine(base) || isGoroutineDump(current) === isGoroutineDump(base))
    return { current, base };
  // Labels go too: the dump's state and wait exist on one side only, and samples that differ
  // only in them would stay apart instead of cancelling out (pprof merges by stack and labels).
  // So do addresses and start lines, which only the proto and text have: a location is its lines,
  // a function its name and file (with the start line either side knows).
  const hidden = [current, base].map((p) => filterProfile(p, { hide: TRACEBACK_HIDDEN }).profile);
  const starts = new Map<string, number>();
  for (const p of hidden)
    for (const f of p.functions) if (f.startLine > 0) starts.set(`${f.name}\u0000${f.file}`, f.startLine);
  const plain = (p: Profile): Profile => ({
    ...p,
    samples: withLabels(p.samples, []),
    locations: p.locations.map((l) => ({ ...l, address: 0, mapping: -1 })),
    functions: p.functions.map((f) => ({
      ...f,
      systemName: f.name,
      startLine: starts.get(`${f.name}\u0000${f.file}`) ?? 0,
    })),
  });
  return { current: plain(hidden[0]!), base: plain(hidden[1]!) };
}
