/**
 * The mutable intermediate every legacy parser fills in, and the steps pprof applies to all of
 * them: the memory map (with its heuristics), renumbering of locations, functions and mappings,
 * the validity check and the conversion to the immutable model.
 *
 * Addresses and values stay bigint here so that uint64 addresses and int64 arithmetic behave as
 * in pprof; they become JS numbers only in toProfile() (see the int64 policy in ../model.ts).
 */
import {
  identityStacks,
  type Func,
  type Label,
  type Line,
  type Location,
  type Mapping,
  type Profile,
  type ValueType,
} from '../model';
import { LineScanner, NotThisFormat, malformed, parseUint64 } from './text';

export interface BMapping {
  id: number;
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
}

export interface BFunction {
  id: number;
  name: string;
  systemName: string;
  file: string;
}

export interface BLine {
  fn: BFunction;
  line: number;
}

export interface BLocation {
  id: number;
  address: bigint;
  mapping: BMapping | undefined;
  lines: BLine[];
}

export interface BSample {
  values: bigint[];
  locs: BLocation[];
  labels?: Label[];
}

const UINT64_MAX = (1n << 64n) - 1n;

export class LegacyBuilder {
  sampleTypes: ValueType[] = [];
  periodType: ValueType | undefined;
  period = 0n;
  durationNanos = 0n;
  dropFrames = '';
  keepFrames = '';
  samples: BSample[] = [];
  locations: BLocation[] = [];
  functions: BFunction[] = [];
  mappings: BMapping[] = [];
  /** Locations by address, as each pprof parser keeps them while reading samples. */
  readonly byAddress = new Map<bigint, BLocation>();

  /** The location for addr, created and appended on first use. */
  location(addr: bigint): BLocation {
    let loc = this.byAddress.get(addr);
    if (loc === undefined) {
      loc = { id: 0, address: addr, mapping: undefined, lines: [] };
      this.byAddress.set(addr, loc);
      this.locations.push(loc);
    }
    return loc;
  }

  /** Reads a memory map from the scanner's remaining lines, then renumbers everything. */
  parseMemoryMap(s: LineScanner): void {
    this.mappings.push(...parseProcMaps(s));
    this.massageMappings();
    this.remapLocationIDs();
    this.remapFunctionIDs();
    this.remapMappingIDs();
  }

  /** Merges adjacent pieces of one mapping and moves the likely main binary first. */
  private massageMappings(): void {
    if (this.mappings.length > 1) {
      const kept: BMapping[] = [this.mappings[0]!];
      const mergedInto = new Map<BMapping, BMapping>();
      for (const m of this.mappings.slice(1)) {
        const last = kept[kept.length - 1]!;
        if (adjacent(last, m)) {
          last.limit = m.limit;
          if (m.file !== '') last.file = m.file;
          if (m.buildId !== '') last.buildId = m.buildId;
          mergedInto.set(m, last);
          continue;
        }
        kept.push(m);
      }
      // One pass over the locations, not one per merged mapping.
      if (mergedInto.size > 0) {
        for (const l of this.locations) {
          if (l.mapping !== undefined) l.mapping = mergedInto.get(l.mapping) ?? l.mapping;
        }
      }
      this.mappings = kept;
    }
    for (let i = 0; i < this.mappings.length; i++) {
      const file = this.mappings[i]!.file.split('(deleted)').join('').trim();
      if (file.length === 0) continue;
      if (/([.]so$|[.]so[._][0-9]+)/.test(file)) continue;
      if (file[0] === '[') continue;
      const first = this.mappings[0]!;
      this.mappings[0] = this.mappings[i]!;
      this.mappings[i] = first;
      break;
    }
    this.mappings.forEach((m, i) => (m.id = i + 1));
  }

  /** Keeps the locations samples use, numbered in order of first use. */
  remapLocationIDs(): void {
    const seen = new Set<BLocation>();
    const locs: BLocation[] = [];
    for (const s of this.samples) {
      for (const l of s.locs) {
        if (seen.has(l)) continue;
        l.id = locs.length + 1;
        locs.push(l);
        seen.add(l);
      }
    }
    this.locations = locs;
  }

  remapFunctionIDs(): void {
    const seen = new Set<BFunction>();
    const fns: BFunction[] = [];
    for (const l of this.locations) {
      for (const ln of l.lines) {
        if (seen.has(ln.fn)) continue;
        ln.fn.id = fns.length + 1;
        fns.push(ln.fn);
        seen.add(ln.fn);
      }
    }
    this.functions = fns;
  }

  /** Assigns each location a mapping by address; pprof's heuristics, then one catch-all mapping. */
  remapMappingIDs(): void {
    const ms = this.mappings;
    if (ms.length > 0) {
      const m = ms[0]!;
      if (m.file.startsWith('/anon_hugepage') && ms.length > 1 && m.limit === ms[1]!.start) {
        ms.shift();
      }
    }
    if (ms.length > 0) {
      const m = ms[0]!;
      if (BigInt.asUintN(64, m.start - m.offset) === 0x400000n) {
        m.start = 0x400000n;
        m.offset = 0n;
      }
    }
    let fake: BMapping | undefined;
    // pprof scans every mapping for every location; an index keeps a map section of many
    // thousand lines linear. Mappings whose start the offset workaround below moved are checked
    // on the side (at most MAX_MOVED of them: beyond that the workaround stops).
    const find = mappingIndex(ms);
    const order = new Map(ms.map((m, i) => [m, i]));
    const moved: BMapping[] = [];
    let withOffset = ms.filter((m) => m.offset !== 0n);
    next: for (const l of this.locations) {
      const a = l.address;
      if (l.mapping !== undefined || a === 0n) continue;
      let hit = find(a);
      for (const m of moved) {
        if (m.start <= a && a < m.limit && (hit === undefined || order.get(m)! < order.get(hit)!)) hit = m;
      }
      if (hit !== undefined) {
        l.mapping = hit;
        continue;
      }
      if (moved.length < MAX_MOVED) {
        for (const m of withOffset) {
          if (m.offset !== 0n && BigInt.asUintN(64, m.start - m.offset) <= a && a < m.start) {
            m.start = BigInt.asUintN(64, m.start - m.offset);
            m.offset = 0n;
            l.mapping = m;
            moved.push(m);
            withOffset = withOffset.filter((x) => x !== m);
            continue next;
          }
        }
      }
      if (fake === undefined) {
        fake = { id: 1, start: 0n, limit: UINT64_MAX, offset: 0n, file: '', buildId: '' };
        ms.push(fake);
      }
      l.mapping = fake;
    }
    ms.forEach((m, i) => (m.id = i + 1));
  }

  /**
   * Drops a leaf frame the profiler recorded twice: once from the signal context and once,
   * adjusted by -1, from unwinding.
   */
  cleanupDuplicateLocations(): void {
    for (const s of this.samples) {
      if (s.locs.length > 1 && s.locs[0]!.address === s.locs[1]!.address + 1n) {
        s.locs.splice(1, 1);
      }
    }
  }

  /** Sets drop/keep frames by profile kind, as pprof does for every legacy profile. */
  addLegacyFrameInfo(): void {
    const types = this.sampleTypes.map((t) => t.type).join(',');
    if (HEAP_TYPES.has(types)) {
      this.dropFrames = ALLOC_RX;
      this.keepFrames = ALLOC_SKIP_RX;
    } else if (types === 'contentions,delay') {
      this.dropFrames = LOCK_RX;
      this.keepFrames = '';
    } else {
      this.dropFrames = CPU_PROFILER_RX;
      this.keepFrames = '';
    }
  }

  /** pprof's CheckValid, for what a legacy parser can get wrong. */
  checkValid(): void {
    const n = this.sampleTypes.length;
    if (n === 0 && this.samples.length !== 0) {
      throw malformed(0, 'missing sample type information');
    }
    for (const s of this.samples) {
      if (s.values.length !== n) {
        throw malformed(0, `mismatch: sample has ${s.values.length} values vs. ${n} types`);
      }
    }
  }

  toProfile(): Profile {
    this.checkValid();
    const mapIndex = new Map<BMapping, number>();
    const mappings: Mapping[] = this.mappings.map((m, i) => {
      mapIndex.set(m, i);
      return {
        id: m.id,
        start: Number(m.start),
        limit: Number(m.limit),
        offset: Number(m.offset),
        file: m.file,
        buildId: m.buildId,
        hasFunctions: false,
        hasFilenames: false,
        hasLineNumbers: false,
        hasInlineFrames: false,
      };
    });
    const fnIndex = new Map<BFunction, number>();
    const functions: Func[] = this.functions.map((f, i) => {
      fnIndex.set(f, i);
      return { id: f.id, name: f.name, systemName: f.systemName, file: f.file, startLine: 0 };
    });
    const locIndex = new Map<BLocation, number>();
    const locations: Location[] = this.locations.map((l, i) => {
      locIndex.set(l, i);
      const lines: Line[] = l.lines.map((ln) => ({ func: fnIndex.get(ln.fn) ?? -1, line: ln.line, column: 0 }));
      return {
        id: l.id,
        mapping: l.mapping === undefined ? -1 : (mapIndex.get(l.mapping) ?? -1),
        address: Number(l.address),
        lines,
        isFolded: false,
      };
    });
    const T = this.sampleTypes.length;
    const count = this.samples.length;
    const values = new Float64Array(count * T);
    const stackStart = new Uint32Array(count + 1);
    let total = 0;
    for (const s of this.samples) total += s.locs.length;
    const stackLocs = new Uint32Array(total);
    let k = 0;
    let anyLabels = false;
    this.samples.forEach((s, i) => {
      for (let j = 0; j < T; j++) values[i * T + j] = Number(s.values[j]!);
      stackStart[i] = k;
      for (const l of s.locs) {
        const idx = locIndex.get(l);
        if (idx === undefined) throw malformed(0, 'sample refers to a location that was dropped');
        stackLocs[k++] = idx;
      }
      if (s.labels !== undefined && s.labels.length > 0) anyLabels = true;
    });
    stackStart[count] = k;
    const labels = anyLabels
      ? this.samples.map((s) => (s.labels !== undefined && s.labels.length > 0 ? s.labels : undefined))
      : [];
    return {
      sampleTypes: this.sampleTypes,
      defaultSampleType: '',
      samples: { count, values, stack: identityStacks(count), locStart: stackStart, stackLocs, labels },
      mappings,
      locations,
      functions,
      dropFrames: this.dropFrames,
      keepFrames: this.keepFrames,
      timeNanos: 0,
      durationNanos: Number(this.durationNanos),
      ...(this.periodType !== undefined ? { periodType: this.periodType } : {}),
      period: Number(this.period),
      comments: [],
      docUrl: '',
    };
  }
}

/** How many mappings pprof's offset workaround may move before pprof-lens stops applying it. */
const MAX_MOVED = 64;

/**
 * For an address, the first mapping in list order whose [start, limit) holds it, as pprof's
 * linear scan finds it, in O(log n): the boundaries cut the address space into segments, and
 * each segment belongs to the first mapping that covers it (assigned in list order, skipping
 * segments already taken).
 */
function mappingIndex(ms: readonly BMapping[]): (a: bigint) => BMapping | undefined {
  if (ms.length <= 8) return (a) => ms.find((m) => m.start <= a && a < m.limit);
  const cmp = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);
  const pts = [...new Set(ms.flatMap((m) => [m.start, m.limit]))].sort(cmp);
  const at = (v: bigint): number => {
    // The last i with pts[i] <= v, or -1.
    let lo = 0;
    let hi = pts.length - 1;
    let r = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (pts[mid]! <= v) {
        r = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return r;
  };
  const owner = new Int32Array(pts.length).fill(-1);
  // next[i]: the first segment >= i not yet owned (path-halving union-find).
  const next = new Int32Array(pts.length + 1).map((_, i) => i);
  const free = (i: number): number => {
    while (next[i] !== i) {
      next[i] = next[next[i]!]!;
      i = next[i]!;
    }
    return i;
  };
  ms.forEach((m, k) => {
    if (m.start >= m.limit) return;
    const hi = at(m.limit);
    for (let i = free(at(m.start)); i < hi; i = free(i)) {
      owner[i] = k;
      next[i] = i + 1;
    }
  });
  return (a) => {
    const i = at(a);
    return i >= 0 && owner[i]! >= 0 ? ms[owner[i]!] : undefined;
  };
}

function adjacent(m1: BMapping, m2: BMapping): boolean {
  if (m1.file !== '' && m2.file !== '' && m1.file !== m2.file) return false;
  if (m1.buildId !== '' && m2.buildId !== '' && m1.buildId !== m2.buildId) return false;
  if (m1.limit !== m2.start) return false;
  if (m1.offset !== 0n && m2.offset !== 0n) {
    const offset = BigInt.asUintN(64, m1.offset + (m1.limit - m1.start));
    if (offset !== m2.offset) return false;
  }
  return true;
}

// ---- memory maps ----------------------------------------------------------------------------

// Go's RE2 \s is ASCII-only; spell it out so JS's Unicode \s does not widen the match.
const S = '[\\t\\n\\f\\r ]';
const NS = '[^\\t\\n\\f\\r ]';
const X = '[0-9A-Fa-f]';
const cHex = `(?:0x)?(${X}+)`;
const cHexRange = `${S}*${cHex}[\\t\\n\\f\\r -]?${S}*${cHex}:?`;
const cPerm = `(?:${S}+([-rwxp]+))?`;
const cSpaceHex = `(?:${S}+(${X}+))?`;
const hexPair = `${S}+${X}+:${X}+`;
const spaceDigits = `${S}+[0-9]+`;
const cSpaceString = `(?:${S}+(${NS}+))?`;
const cSpaceAtOffset = `(?:${S}+\\(@(${X}+)\\))?`;
/** /proc/<pid>/maps: start-end perms offset dev inode path */
const procMapsRE = new RegExp(`^${cHexRange}${cPerm}${cSpaceHex}${hexPair}${spaceDigits}${cSpaceString}`);
/** The brief form: start-end [perms] [path] [(@offset)] [build id] */
const briefMapsRE = new RegExp(`^${cHexRange}${cPerm}${cSpaceString}${cSpaceAtOffset}${cSpaceHex}`);
/** A glog prefix such as "I0102 15:04:05.000000 1234 file.cc:42] ". */
const logInfoRE = /^[^[\]]+:[0-9]+\][\t\n\f\r ]/;

const MEMORY_MAP_SENTINELS = ['--- Memory map: ---', 'MAPPED_LIBRARIES:'];

export function isMemoryMapSentinel(line: string): boolean {
  return MEMORY_MAP_SENTINELS.some((s) => line.includes(s));
}

/** Parses mapping lines until the end of input; other lines are skipped or define $variables. */
function parseProcMaps(s: LineScanner): BMapping[] {
  const out: BMapping[] = [];
  const vars: Variables = { list: [], trie: { def: -1, next: new Map() } };
  while (s.scan()) {
    let line = s.text;
    const log = logInfoRE.exec(line);
    if (log) line = line.slice(log[0].length);
    line = substitute(line, vars);
    const m = parseMappingEntry(line);
    if (m === 'unrecognized') {
      const eq = line.indexOf('=');
      if (eq >= 0) defineVariable(vars, '$' + line.slice(0, eq).trim(), line.slice(eq + 1).trim());
      continue;
    }
    if (m !== undefined) out.push(m);
  }
  return out;
}

/** Replaces $name with its value, left to right, earlier definitions first (strings.Replacer). */
function substitute(line: string, vars: Variables): string {
  if (vars.list.length === 0 || !line.includes('$')) return line;
  let out = '';
  let i = 0;
  while (i < line.length) {
    const d = line.indexOf('$', i);
    if (d < 0) break;
    out += line.slice(i, d);
    // Every name starts with "$": walk the trie from here, keeping the earliest-defined match.
    let node: TrieNode | undefined = vars.trie;
    let best = -1;
    let bestLen = 0;
    for (let k = d; node !== undefined && k <= line.length; k++) {
      if (node.def >= 0 && (best < 0 || node.def < best)) {
        best = node.def;
        bestLen = k - d;
      }
      node = k < line.length ? node.next.get(line[k]!) : undefined;
    }
    if (best >= 0) {
      out += vars.list[best]![1];
      i = d + bestLen;
    } else {
      out += '$';
      i = d + 1;
    }
  }
  return out + line.slice(i);
}

interface TrieNode {
  /** The index of the earliest variable named by the path to here, or -1. */
  def: number;
  next: Map<string, TrieNode>;
}

/**
 * The $variables of a memory map section. Names longer than MAX_VAR_NAME characters and
 * definitions beyond MAX_VARS are ignored, which bounds the work per character.
 */
interface Variables {
  list: [string, string][];
  trie: TrieNode;
}

const MAX_VAR_NAME = 64;
const MAX_VARS = 1024;

function defineVariable(vars: Variables, name: string, value: string): void {
  if (name.length > MAX_VAR_NAME || vars.list.length >= MAX_VARS) return;
  const idx = vars.list.length;
  vars.list.push([name, value]);
  let node = vars.trie;
  for (const ch of name) {
    let n = node.next.get(ch);
    if (n === undefined) {
      n = { def: -1, next: new Map() };
      node.next.set(ch, n);
    }
    node = n;
  }
  if (node.def < 0) node.def = idx;
}

function parseMappingEntry(l: string): BMapping | undefined | 'unrecognized' {
  // The two hex groups of the patterns split a run of hex digits in every possible way, which is
  // quadratic; no address needs more than 64 digits, so longer runs are not mapping lines.
  const lead = /^[\t\n\f\r ]*(?:0x)?([0-9A-Fa-f]*)/.exec(l)!;
  if (lead[1]!.length > 64) return 'unrecognized';
  let start: string, end: string, perm: string, file: string, offset: string, buildId: string;
  let me = procMapsRE.exec(l);
  if (me) {
    [start, end, perm, offset, file] = [me[1]!, me[2]!, me[3] ?? '', me[4] ?? '', me[5] ?? ''];
    buildId = '';
  } else if ((me = briefMapsRE.exec(l))) {
    [start, end, perm, file, offset, buildId] = [me[1]!, me[2]!, me[3] ?? '', me[4] ?? '', me[5] ?? '', me[6] ?? ''];
  } else {
    return 'unrecognized';
  }
  if (perm !== '' && !perm.includes('x')) return undefined; // not executable
  const s = parseUint64(start, 16);
  const e = parseUint64(end, 16);
  if (s === undefined || e === undefined) return 'unrecognized';
  let off = 0n;
  if (offset !== '') {
    const o = parseUint64(offset, 16);
    if (o === undefined) return 'unrecognized';
    off = o;
  }
  return { id: 0, start: s, limit: e, offset: off, file, buildId };
}

/** Skips to the memory map sentinel (if any) and reads the map, as pprof's parseAdditionalSections. */
export function parseAdditionalSections(s: LineScanner, b: LegacyBuilder): void {
  while (!isMemoryMapSentinel(s.text) && s.scan()) {
    // skip
  }
  b.parseMemoryMap(s);
}

/** Throws NotThisFormat; a tiny helper to keep parsers terse. */
export function notThisFormat(): never {
  throw new NotThisFormat();
}

// ---- frame-dropping patterns pprof attaches to legacy profiles ------------------------------

const HEAP_TYPES = new Set([
  'allocations,size',
  'objects,space',
  'inuse_objects,inuse_space',
  'alloc_objects,alloc_space',
  'alloc_objects,alloc_space,inuse_objects,inuse_space',
]);

const ALLOC_RX = [
  'calloc',
  'cfree',
  'malloc',
  'free',
  'memalign',
  'do_memalign',
  '(__)?posix_memalign',
  'pvalloc',
  'valloc',
  'realloc',
  'tcmalloc::.*',
  'tc_calloc',
  'tc_cfree',
  'tc_malloc',
  'tc_free',
  'tc_memalign',
  'tc_posix_memalign',
  'tc_pvalloc',
  'tc_valloc',
  'tc_realloc',
  'tc_new',
  'tc_delete',
  'tc_newarray',
  'tc_deletearray',
  'tc_new_nothrow',
  'tc_newarray_nothrow',
  'malloc_zone_malloc',
  'malloc_zone_calloc',
  'malloc_zone_valloc',
  'malloc_zone_realloc',
  'malloc_zone_memalign',
  'malloc_zone_free',
  'runtime\\..*',
  'BaseArena::.*',
  '(::)?do_malloc_no_errno',
  '(::)?do_malloc_pages',
  '(::)?do_malloc',
  'DoSampledAllocation',
  'MallocedMemBlock::MallocedMemBlock',
  '_M_allocate',
  '__builtin_(vec_)?delete',
  '__builtin_(vec_)?new',
  '__gnu_cxx::new_allocator::allocate',
  '__libc_malloc',
  '__malloc_alloc_template::allocate',
  'allocate',
  'cpp_alloc',
  'operator new(\\[\\])?',
  'simple_alloc::allocate',
].join('|');

const ALLOC_SKIP_RX = ['runtime\\.panic', 'runtime\\.reflectcall', 'runtime\\.call[0-9]*'].join('|');

const CPU_PROFILER_RX = [
  'ProfileData::Add',
  'ProfileData::prof_handler',
  'CpuProfiler::prof_handler',
  '__pthread_sighandler',
  '__restore',
].join('|');

const LOCK_RX = [
  'RecordLockProfileData',
  '(base::)?RecordLockProfileData.*',
  '(base::)?SubmitMutexProfileData.*',
  '(base::)?SubmitSpinLockProfileData.*',
  '(base::Mutex::)?AwaitCommon.*',
  '(base::Mutex::)?Unlock.*',
  '(base::Mutex::)?UnlockSlow.*',
  '(base::Mutex::)?ReaderUnlock.*',
  '(base::MutexLock::)?~MutexLock.*',
  '(Mutex::)?AwaitCommon.*',
  '(Mutex::)?Unlock.*',
  '(Mutex::)?UnlockSlow.*',
  '(Mutex::)?ReaderUnlock.*',
  '(MutexLock::)?~MutexLock.*',
  '(SpinLock::)?Unlock.*',
  '(SpinLock::)?SlowUnlock.*',
  '(SpinLockHolder::)?~SpinLockHolder.*',
].join('|');
