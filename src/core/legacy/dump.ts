/**
 * Goroutine dumps read as a goroutine profile: what /debug/pprof/goroutine?debug=2 returns, what a
 * panic or fatal error prints (with GOTRACEBACK=all, every goroutine), and the SIGQUIT dump.
 * go tool pprof refuses them.
 *
 *     goroutine 14 [chan send, 2 minutes]:
 *     main.fetch.func1()
 *     	/src/app/main.go:80 +0x3a
 *     created by main.fetch
 *     	/src/app/main.go:79 +0x85
 *
 * One sample per distinct stack and state, valued by the number of goroutines in it; the stack is
 * the frames the dump prints, leaf first. The "created by" line is no frame: the go statement did
 * not call the goroutine's function (the proto and debug=1 formats have no such frame, and making
 * it one put a cum on the go statement's line that no other format shows); the Goroutines view
 * (core/goroutines) keeps it as the group's creator. Labels: `state` (the reason in brackets: "chan receive", "select",
 * "IO wait", "semacquire" ...) and `wait`, the longest wait of those goroutines in seconds
 * (the dump prints whole minutes, and only for waits of a minute or more that a garbage
 * collection has seen; goroutines without one have no `wait` label).
 *
 * Read line by line with plain scans: linear in the input whatever it holds.
 */
import type { Label } from '../model';
import type { BFunction, BLocation } from './builder';
import { LegacyBuilder } from './builder';

export interface Frame {
  fn: string;
  file: string;
  line: number;
}

/** One goroutine of a dump: its id, state, wait, frames (leaf first) and "created by" frame. */
export interface Goroutine {
  id: number;
  state: string;
  waitMinutes: number | undefined;
  frames: Frame[];
  creator: Frame | undefined;
}

/**
 * The bracket of a goroutine header, "goroutine 14 [chan send, 2 minutes]:" (newer runtimes may
 * put "gp=… m=…" between the id and the bracket), or undefined when the line is no header.
 */
export function parseGoroutineHeader(line: string): { state: string; waitMinutes?: number } | undefined {
  if (!line.startsWith('goroutine ') || !line.endsWith(']:')) return undefined;
  let i = 10;
  const idStart = i;
  while (i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
  if (i === idStart || line[i] !== ' ') return undefined;
  const open = line.indexOf('[', i);
  if (open < 0) return undefined;
  const parts = line.slice(open + 1, -2).split(', ');
  const state = parts[0]!.trim();
  if (state === '') return undefined;
  for (const p of parts.slice(1)) {
    const m = /^(\d{1,9}) minutes?$/.exec(p.trim());
    if (m) return { state, waitMinutes: Number(m[1]) };
  }
  return { state };
}

/** "pkg.(*T).m(0xc000…, {…})" -> "pkg.(*T).m": the name without its argument list. */
function functionName(line: string): string {
  if (!line.endsWith(')')) return line;
  let depth = 0;
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) return i > 0 ? line.slice(0, i) : line;
  }
  return line;
}

/** "\t/src/app/main.go:80 +0x3a fp=… sp=… pc=…" -> file and line. */
function fileLine(line: string): { file: string; line: number } {
  let t = line.trim();
  const sp = t.indexOf(' +0x');
  if (sp >= 0) t = t.slice(0, sp);
  const fp = t.indexOf(' fp=');
  if (fp >= 0) t = t.slice(0, fp);
  const colon = t.lastIndexOf(':');
  if (colon > 0 && /^\d{1,9}$/.test(t.slice(colon + 1)))
    return { file: t.slice(0, colon), line: Number(t.slice(colon + 1)) };
  return { file: t, line: 0 };
}

/** Parses a goroutine dump; undefined when the text has no goroutine header. */
export function parseGoroutineDump(text: string): LegacyBuilder | undefined {
  const goroutines = readGoroutines(text);
  return goroutines.length === 0 ? undefined : toBuilder(goroutines);
}

/** Every goroutine of a dump, in the dump's order (none when the text has no goroutine header). */
export function readGoroutines(text: string): Goroutine[] {
  const goroutines: Goroutine[] = [];
  let g: Goroutine | undefined;
  /** The function line waiting for its "\tfile:line". */
  let pending: { fn: string; creator: boolean } | undefined;
  const flush = (): void => {
    if (g !== undefined && pending !== undefined) {
      const f = { fn: pending.fn, file: '', line: 0 };
      if (pending.creator) g.creator = f;
      else g.frames.push(f);
    }
    pending = undefined;
  };
  // Lines of any length: a dump often follows a long log line or panic message, and every step
  // below is linear in the line.
  for (let pos = 0; pos < text.length;) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    let raw = text.slice(pos, end);
    pos = end + 1;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const h = parseGoroutineHeader(raw);
    if (h !== undefined) {
      flush();
      g = { id: goroutineId(raw), state: h.state, waitMinutes: h.waitMinutes, frames: [], creator: undefined };
      goroutines.push(g);
      continue;
    }
    if (g === undefined) continue; // a panic message, "SIGQUIT: quit", a log before the dump
    if (raw.trim() === '') {
      flush();
      g = undefined;
      continue;
    }
    if (raw.startsWith('\t')) {
      if (pending === undefined) continue;
      const f = { fn: pending.fn, ...fileLine(raw) };
      if (pending.creator) g.creator = f;
      else g.frames.push(f);
      pending = undefined;
      continue;
    }
    flush();
    if (raw.startsWith('[originating from')) {
      // GODEBUG=tracebackancestors: the stacks of the goroutines that created this one follow.
      g = undefined;
      continue;
    }
    if (raw.startsWith('...') || raw.trim().startsWith('goroutine running on other thread')) continue;
    if (raw.startsWith('created by ')) {
      let fn = raw.slice('created by '.length);
      const inG = fn.indexOf(' in goroutine ');
      if (inG >= 0) fn = fn.slice(0, inG);
      pending = { fn, creator: true };
      continue;
    }
    if (g.creator !== undefined) {
      // Nothing follows "created by" in a goroutine's block: whatever this is ends it.
      g = undefined;
      continue;
    }
    pending = { fn: functionName(raw), creator: false };
  }
  flush();
  return goroutines;
}

/** "goroutine 14 [...]:" -> 14 (the header is checked by parseGoroutineHeader). */
function goroutineId(header: string): number {
  let i = 10;
  while (i < header.length && header.charCodeAt(i) >= 48 && header.charCodeAt(i) <= 57) i++;
  return Number(header.slice(10, i));
}

function toBuilder(goroutines: Goroutine[]): LegacyBuilder {
  const b = new LegacyBuilder();
  b.sampleTypes = [{ type: 'goroutine', unit: 'count' }];
  b.periodType = { type: 'goroutine', unit: 'count' };
  b.period = 1n;
  const fns = new Map<string, BFunction>();
  const locs = new Map<string, BLocation>();
  const location = (f: Frame): BLocation => {
    const key = `${f.fn}\u0000${f.file}\u0000${f.line}`;
    let loc = locs.get(key);
    if (loc === undefined) {
      const fkey = `${f.fn}\u0000${f.file}`;
      let fn = fns.get(fkey);
      if (fn === undefined) {
        fn = { id: 0, name: f.fn, systemName: f.fn, file: f.file };
        fns.set(fkey, fn);
      }
      loc = { id: b.locations.length + 1, address: 0n, mapping: undefined, lines: [{ fn, line: f.line }] };
      locs.set(key, loc);
      b.locations.push(loc);
    }
    return loc;
  };
  const samples = new Map<string, { count: bigint; wait: number | undefined; locs: BLocation[]; state: string }>();
  for (const g of goroutines) {
    const ls = g.frames.map(location);
    const key = `${g.state}\u0001${ls.map((l) => l.id).join(',')}`;
    let smp = samples.get(key);
    if (smp === undefined) {
      smp = { count: 0n, wait: undefined, locs: ls, state: g.state };
      samples.set(key, smp);
    }
    smp.count++;
    if (g.waitMinutes !== undefined) smp.wait = Math.max(smp.wait ?? 0, g.waitMinutes);
  }
  for (const smp of samples.values()) {
    const labels: Label[] = [{ key: 'state', str: smp.state }];
    if (smp.wait !== undefined) labels.push({ key: 'wait', num: smp.wait * 60, numUnit: 'seconds' });
    b.samples.push({ values: [smp.count], locs: smp.locs, labels });
  }
  b.remapLocationIDs();
  b.remapFunctionIDs();
  return b;
}
