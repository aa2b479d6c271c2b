/**
 * pprof-lens headless front end: the editor's core, on the command line.
 *
 *   pprof-lens top  [flags] <profile>...      like go tool pprof -top
 *   pprof-lens list <regex> [flags] <profile>...
 *   pprof-lens peek <regex> [flags] <profile>...
 *   pprof-lens tree|traces|tags|raw [flags] <profile>...
 *   pprof-lens -proto [flags] <profile>... > out.pb.gz
 *   pprof-lens flame [--json] <profile>...   the flame graph: folded stacks, or its nodes as JSON
 *
 * pprof's own spellings work too (-top, -list=re, -peek re, -raw), several profiles are merged,
 * http(s) sources are fetched, and the text reports have --json.
 */
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { displayUrl } from './core/capture';
import { parseProfile, parseProfileSource } from './core/decode';
import { isProfileError } from './core/errors';
import type { Granularity } from './core/graph';
import { sampleIndexByName, sampleLocs, type Profile } from './core/model';
import { formatRaw } from './core/raw';
import { incompatibility, mergeProfiles } from './core/diff';
import { driverNormalize } from './core/compact';
import { encodeProfile } from './core/encode';
import { FILTER_FLAGS, parseTagRange, type FilterOptions } from './core/filter';
import { symbolizeWarnings } from './core/pprofOps';
import { comparedProfile, makeView, viewTotal, withLabelFrames } from './core/view';
import {
  formatList,
  formatPeek,
  formatTop,
  listReport,
  NoMatchError,
  peekReport,
  topReport,
  treeReport,
  type ReportOptions,
  type SourceReader,
} from './core/report';
import { compileGoRegexp } from './core/regexp';
import { buildFlame } from './core/flame';
import { flameJson, formatCollapsed } from './core/flameExport';
import { checkInputSize } from './core/budget';
import { trimSourcePath } from './core/sourcePath';
import { formatTags, formatTraces, tagsReport, traceFrames, tracesReport } from './core/traces';
import { CaptureError, fetchProfile } from './node/fetchProfile';

type Command =
  'top' | 'list' | 'peek' | 'tree' | 'raw' | 'traces' | 'tags' | 'proto' | 'comments' | 'flame' | 'collapsed';

interface Args {
  command?: Command;
  pattern?: string;
  /** Profile files and http(s) URLs, merged as pprof merges them. */
  sources: string[];
  json: boolean;
  sampleIndex: string;
  nodeCount?: number;
  nodeFraction?: number;
  edgeFraction?: number;
  cum: boolean;
  granularity?: Granularity;
  noInlines: boolean;
  unit?: string;
  divideBy?: number;
  sourcePath?: string;
  trimPath?: string;
  filters: FilterOptions;
  /** The -base / -diff_base source (a list, as pprof's driver has it; its command line sets one). */
  base: string[];
  diffBase: string[];
  compactLabels: boolean;
  relativePercentages: boolean;
  normalize: boolean;
  goSymbols: boolean;
  dropNegative: boolean;
  mean: boolean;
  pruneFrom?: string;
  tagRoot?: string;
  tagLeaf?: string;
  symbolize?: string;
  seconds?: number;
  timeout?: number;
  output?: string;
  comment?: string;
  help: boolean;
}

const USAGE = `usage: pprof-lens <report> [flags] [binary] PROFILE...

Reads pprof profiles (.pb.gz, .pprof, raw profile.proto, Go's legacy text profiles, or an
http(s)://host/debug/pprof/... URL) and prints the report go tool pprof prints. Several profiles
are merged into one, as pprof merges them. pprof's spellings work too (-top, -list=REGEX, ...).

reports (one at a time):
  top | -top | -text      top entries in text form
  list REGEX | -list      annotated source of the functions matching REGEX
  peek REGEX | -peek      callers and callees of the functions matching REGEX
  tree | -tree            text rendering of the call graph
  traces | -traces        every sample's stack, value and labels
  tags | -tags            label values and their share of the total
  raw | -raw              text representation of the raw profile
  comments | -comments    the profile's comments
  flame | -collapsed      the flame graph as folded stacks (flamegraph.pl, inferno, speedscope);
                          flame --json: its nodes (name, file, line, parent, total, self)
  -proto                  the profile after -base/-diff_base, merging and filters, as gzipped
                          profile.proto (to standard output, or -output=FILE)

flags (bool flags also take =true/=false):
  -sample_index=NAME|N  sample type to report (default: the profile's default)
  -inuse_space|-inuse_objects|-alloc_space|-alloc_objects|-total_delay|-contentions
                        the same as -sample_index=NAME; -mean_delay is -mean -sample_index=delay
  -mean                 average value per event (the sample type divided by the first, count)
  -nodecount=N          show at most N nodes (top: all; tree: 80)
  -nodefraction=F       hide nodes below F*total (default 0.005)
  -edgefraction=F       hide edges below F*total (default 0.001)
  -cum | -flat          sort by cumulative or own value
  -functions|-filefunctions|-files|-lines|-addresses   granularity (default -functions)
  -noinlines            attribute inlined calls to their caller
  -unit=UNIT            output unit (default minimum)
  -divide_by=F          divide every value by F
  -drop_negative        leave out nodes with negative values (with -base)
  -compact_labels       minimal header
  -relative_percentages percentages relative to what the filters keep
  -source_path=DIRS     list: where to look for source files, ':'-separated (default: the
                        current directory; a recorded path containing a directory's base name is
                        looked up under that directory)
  -trim_path=PREFIXES   list: path prefixes (':'-separated) to remove from recorded source paths
  -focus/-ignore/-hide/-show/-show_from=REGEXP   filter frames and samples by function or file
  -prune_from=REGEXP    drop the frames below the first frame matching REGEXP
  -tagfocus/-tagignore=[KEY=]REGEXP|RANGE        filter samples by label ("handler=api", "1mb:2gb")
  -tagshow/-taghide=REGEXP                       keep or drop label keys
  -tagroot/-tagleaf=KEYS                         label values as frames at the root / the leaf
  -base=PROFILE         subtract PROFILE (what grew or shrank since it)
  -diff_base=PROFILE    compare with PROFILE, percentages relative to it
  -normalize            with -base/-diff_base: scale the profile to the base's totals first
  -seconds=N            URL sources: profile for N seconds
  -timeout=N            URL sources: give up after N seconds (default: 1.5 x seconds, or 60)
  -symbolize=MODE       accepted for compatibility; pprof-lens reads names from the profile
  -add_comment=TEXT     add a comment to the profile (shown by -comments, kept by -proto)
  -output=FILE          write the report to FILE instead of standard output
  -legacy_symbols=false ignore the function names in Go's debug=1 text profiles, as go tool pprof does
  --json                structured output (top, peek, tree, list, raw, traces, tags, flame)
  -h, -help             this help
`;

class UsageError extends Error {}

/** Go's strconv.ParseBool. */
function parseBool(name: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new UsageError(`invalid boolean value ${JSON.stringify(v)} for -${name}: parse error`);
}

const REPORT_WORDS = ['top', 'text', 'list', 'peek', 'tree', 'raw', 'traces', 'tags', 'comments', 'flame'];

export function parseArgs(argv: string[]): Args {
  const a: Args = {
    sources: [],
    json: false,
    sampleIndex: '',
    cum: false,
    noInlines: false,
    filters: {},
    base: [],
    diffBase: [],
    compactLabels: false,
    relativePercentages: false,
    normalize: false,
    goSymbols: true,
    dropNegative: false,
    mean: false,
    help: false,
  };
  const rest: string[] = [];
  const setCommand = (c: Command, pattern?: string) => {
    if (a.command && a.command !== c) throw new UsageError('must set at most one output format');
    a.command = c;
    if (pattern !== undefined) a.pattern = pattern;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      rest.push(arg);
      continue;
    }
    if (arg === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    const m = /^--?([A-Za-z_]+)(?:=([\s\S]*))?$/.exec(arg);
    if (!m) throw new UsageError(`flag provided but not defined: ${arg.replace(/=[\s\S]*$/, '')}`);
    const name = m[1]!;
    const takeValue = (): string => {
      if (m[2] !== undefined) return m[2];
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`flag needs an argument: -${name}`);
      return v;
    };
    const num = (): number => {
      const v = takeValue();
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n))
        throw new UsageError(`invalid value ${JSON.stringify(v)} for flag -${name}: parse error`);
      return n;
    };
    /** A bool flag: bare means true; -flag=false and -flag=true as Go's flag package reads them. */
    const bool = (): boolean => (m[2] === undefined ? true : parseBool(name, m[2]));
    const report = (c: Command) => {
      if (bool()) setCommand(c);
    };
    switch (name) {
      case 'top':
      case 'text':
        report('top');
        break;
      case 'raw':
        report('raw');
        break;
      case 'tree':
        report('tree');
        break;
      case 'traces':
        report('traces');
        break;
      case 'tags':
        report('tags');
        break;
      case 'proto':
        report('proto');
        break;
      case 'comments':
        report('comments');
        break;
      case 'collapsed':
        report('collapsed');
        break;
      case 'list':
        setCommand('list', takeValue());
        break;
      case 'peek':
        setCommand('peek', takeValue());
        break;
      case 'compact_labels':
        a.compactLabels = bool();
        break;
      case 'relative_percentages':
        a.relativePercentages = bool();
        break;
      case 'trim':
      case 'call_tree':
        bool();
        break; // pprof's defaults for text reports; accepted for compatibility
      case 'output':
        a.output = takeValue();
        break;
      case 'json':
        a.json = bool();
        break;
      case 'sample_index':
        a.sampleIndex = takeValue();
        break;
      case 'nodecount':
        a.nodeCount = num();
        break;
      case 'nodefraction':
        a.nodeFraction = num();
        break;
      case 'edgefraction':
        a.edgeFraction = num();
        break;
      case 'cum':
        a.cum = bool();
        break;
      case 'flat':
        a.cum = !bool();
        break;
      case 'functions':
      case 'filefunctions':
      case 'files':
      case 'lines':
      case 'addresses':
        if (bool()) a.granularity = name;
        else if (a.granularity === name) a.granularity = undefined;
        break;
      case 'noinlines':
        a.noInlines = bool();
        break;
      case 'unit':
        a.unit = takeValue();
        break;
      case 'divide_by':
        a.divideBy = num();
        break;
      case 'source_path':
        a.sourcePath = takeValue();
        break;
      case 'trim_path':
        a.trimPath = takeValue();
        break;
      case 'symbolize':
        a.symbolize = takeValue();
        break;
      case 'focus':
        a.filters.focus = takeValue();
        break;
      case 'ignore':
        a.filters.ignore = takeValue();
        break;
      case 'hide':
        a.filters.hide = takeValue();
        break;
      case 'show':
        a.filters.show = takeValue();
        break;
      case 'show_from':
        a.filters.showFrom = takeValue();
        break;
      case 'tagfocus':
        a.filters.tagFocus = takeValue();
        break;
      case 'tagignore':
        a.filters.tagIgnore = takeValue();
        break;
      case 'tagshow':
        a.filters.tagShow = takeValue();
        break;
      case 'taghide':
        a.filters.tagHide = takeValue();
        break;
      case 'tagroot':
        a.tagRoot = takeValue();
        break;
      case 'tagleaf':
        a.tagLeaf = takeValue();
        break;
      case 'prune_from':
        a.pruneFrom = takeValue();
        break;
      case 'drop_negative':
        a.dropNegative = bool();
        break;
      case 'mean':
        a.mean = bool();
        break;
      // go tool pprof's -base/-diff_base are plain string flags: the last one given counts.
      case 'base':
        a.base = [takeValue()];
        break;
      case 'diff_base':
        a.diffBase = [takeValue()];
        break;
      case 'normalize':
        a.normalize = bool();
        break;
      case 'seconds':
        a.seconds = num();
        break;
      case 'timeout':
        a.timeout = num();
        break;
      case 'add_comment':
        a.comment = takeValue();
        break;
      case 'legacy_symbols':
        a.goSymbols = m[2] === undefined ? true : parseBool(name, m[2]);
        break;
      case 'inuse_space':
      case 'inuse_objects':
      case 'alloc_space':
      case 'alloc_objects':
        if (bool()) a.sampleIndex = name;
        break;
      case 'total_delay':
        if (bool()) a.sampleIndex = 'delay';
        break;
      case 'contentions':
        if (bool()) a.sampleIndex = 'contentions';
        break;
      case 'mean_delay':
        if (bool()) {
          a.sampleIndex = 'delay';
          a.mean = true;
        }
        break;
      case 'h':
      case 'help':
        a.help = true;
        return a;
      case 'http':
      case 'web':
      case 'weblist':
      case 'disasm':
      case 'dot':
      case 'svg':
      case 'png':
      case 'pdf':
      case 'gif':
      case 'ps':
      case 'eog':
      case 'evince':
      case 'gv':
      case 'callgrind':
      case 'kcachegrind':
      case 'topproto':
        throw new UsageError(
          `-${name} is a go tool pprof output pprof-lens does not make: use go tool pprof for it (the VS Code extension has the flame graph and the top table)`,
        );
      case 'tls_cert':
      case 'tls_key':
      case 'tls_ca':
      case 'buildid':
      case 'tools':
      case 'intel_syntax':
      case 'no_browser':
        throw new UsageError(
          `-${name} is not supported by pprof-lens (it never reads binaries or client certificates)`,
        );
      default:
        throw new UsageError(`flag provided but not defined: -${name}`);
    }
  }
  if (!a.command && rest.length > 0 && REPORT_WORDS.includes(rest[0]!)) {
    const c = rest.shift()!;
    setCommand(c === 'text' ? 'top' : (c as Command), c === 'list' || c === 'peek' ? rest.shift() : undefined);
  }
  if (!a.command)
    throw new UsageError('missing report: top, list REGEX, peek REGEX, tree, traces, tags, raw or -proto');
  if ((a.command === 'list' || a.command === 'peek') && a.pattern === undefined) {
    throw new UsageError(`${a.command} needs a regular expression`);
  }
  if (a.base.length > 0 && a.diffBase.length > 0)
    throw new UsageError('-base and -diff_base flags cannot both be specified');
  if (rest.length === 0) throw new UsageError('missing profile file');
  a.sources = rest;
  return a;
}

/** What Go's os package says for a system error: "open x: no such file or directory". */
export function goFileError(op: string, file: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const text: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ELOOP: 'too many levels of symbolic links',
    ENAMETOOLONG: 'file name too long',
    EMFILE: 'too many open files',
    EIO: 'input/output error',
  };
  return `${op} ${file}: ${(code && text[code]) ?? (e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e))}`;
}

/**
 * pprof's source lookup for list: the recorded path trimmed by pprof's rule (core/sourcePath:
 * with no -trim_path, the part after a search directory's base name; else the -trim_path
 * prefixes), then an absolute path is opened as it is and a relative one is searched for under
 * each search directory and its parents. Lists are ':'-separated, as pprof's (filepath.SplitList).
 */
export function fileSourceReader(
  searchPath: string,
  trimPath?: string,
  mappings: readonly { from: string; to: string }[] = [],
): SourceReader {
  const cache = new Map<string, string[] | { error: string }>();
  const dirs = searchPath.split(path.delimiter);
  const prefixes = trimPath ? trimPath.split(path.delimiter).filter((t) => t !== '') : [];
  const readLines = (p: string) => {
    const lines = readFileSync(p, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  };
  const open = (file: string): string[] | { error: string } => {
    const m = mappings.find((x) => file.startsWith(`${x.from}/`));
    if (m) {
      try {
        return readLines(path.join(m.to, file.slice(m.from.length + 1)));
      } catch {
        // not there either: pprof's lookup
      }
    }
    const f = trimSourcePath(file, prefixes, dirs);
    if (path.isAbsolute(f)) {
      try {
        return readLines(f);
      } catch (e) {
        return { error: goFileError('open', f, e) };
      }
    }
    for (let dir of dirs) {
      for (;;) {
        const candidate = path.join(dir, f);
        try {
          if (statSync(candidate).isFile()) return readLines(candidate);
        } catch {
          // keep looking
        }
        const parent = path.dirname(dir);
        if (parent === dir) break;
        dir = parent;
      }
    }
    return { error: `could not find file ${f} on path ${searchPath}` };
  };
  return (file) => {
    let r = cache.get(file);
    if (!r) cache.set(file, (r = open(file)));
    return r;
  };
}

function reportOptions(p: Profile, a: Args, extra: Partial<ReportOptions> = {}): ReportOptions {
  return {
    ...extra,
    compactLabels: a.compactLabels,
    sampleIndex: sampleIndexByName(p, a.sampleIndex),
    ...(a.granularity ? { granularity: a.granularity } : {}),
    noInlines: a.noInlines,
    sort: a.cum ? 'cum' : 'flat',
    ...(a.nodeCount !== undefined ? { nodeCount: a.nodeCount } : {}),
    ...(a.nodeFraction !== undefined ? { nodeFraction: a.nodeFraction } : {}),
    ...(a.edgeFraction !== undefined ? { edgeFraction: a.edgeFraction } : {}),
    ...(a.unit !== undefined ? { unit: a.unit } : {}),
    ...(a.divideBy !== undefined ? { divideBy: a.divideBy } : {}),
    ...(a.dropNegative ? { dropNegative: true } : {}),
    ...(a.mean ? { mean: true } : {}),
  };
}

/** pprof's reading of a source: an http(s) URL, or host:port/path, is fetched; anything else is a file. */
export function sourceUrl(
  source: string,
  seconds?: number,
  timeout?: number,
): { url: string; timeoutMs: number } | undefined {
  let s = source;
  if (!/^https?:\/\//i.test(s)) {
    if (!/^[A-Za-z0-9.-]*:\d+(\/|$)/.test(s)) return undefined;
    s = `http://${s}`;
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return undefined;
  }
  let duration = seconds ?? 0;
  if (duration > 0) u.searchParams.set('seconds', String(Math.trunc(duration)));
  else {
    const us = u.searchParams.get('seconds');
    if (us && /^[+-]?\d+$/.test(us)) duration = Number(us);
  }
  let t = timeout ?? 0;
  if (t <= 0) t = duration > 0 ? duration + duration / 2 : 60;
  return { url: u.toString(), timeoutMs: t * 1000 };
}

/** Executables and object files: the optional [binary] argument before the profiles. */
function isObjectFile(f: string): boolean {
  let b: Buffer;
  try {
    const fd = openSync(f, 'r');
    try {
      b = Buffer.alloc(4);
      readSync(fd, b, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  const m = b.readUInt32BE(0);
  return (
    m === 0x7f454c46 ||
    m === 0xfeedface ||
    m === 0xfeedfacf ||
    m === 0xcefaedfe ||
    m === 0xcffaedfe ||
    b.subarray(0, 2).toString('latin1') === 'MZ'
  );
}

/** Go's "error parsing regexp: …" text of a compile error, whatever engine produced it. */
export function regexpError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const at = msg.indexOf('error parsing regexp:');
  return at >= 0
    ? msg.slice(at)
    : `error parsing regexp: ${msg.replace(/^invalid regular expression "(?:[^"\\]|\\.)*": /, '')}`;
}

class RegexpOptionError extends Error {}

/** Compiles a user's pattern; an invalid one is reported as pprof does: "parsing focus regexp: …". */
function userRegexp(what: string, pattern: string): ReturnType<typeof compileGoRegexp> {
  try {
    return compileGoRegexp(pattern);
  } catch (e) {
    throw new RegexpOptionError(`${what}: ${regexpError(e)}`);
  }
}

export interface RunIO {
  /** Bytes of URL sources fetched beforehand (see main). */
  fetched?: ReadonlyMap<string, Uint8Array>;
  /** Why a URL source could not be fetched (see main). */
  fetchErrors?: ReadonlyMap<string, string>;
  /** Binary output (-proto); default: out(latin1 string). */
  outBytes?: (b: Uint8Array) => void;
  /**
   * Where sources recorded under `from` are now (like the extension's pprofLens.pathMappings): -list
   * reads them from `to` and prints the recorded path, as pprof does when the recorded path exists.
   * For tests, whose fixture sources live in a private folder rather than at the build path.
   */
  sourceMappings?: readonly { from: string; to: string }[];
}

/** Runs the CLI on local files (URL sources must be in io.fetched); returns the exit code. Exported for tests. */
export function run(argv: string[], out: (s: string) => void, err: (s: string) => void, io: RunIO = {}): number {
  let a: Args;
  try {
    a = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`pprof-lens: ${e.message}\n`);
      err(USAGE);
      return 2;
    }
    throw e;
  }
  if (a.help) {
    err(USAGE);
    return 0;
  }
  // -output: the report goes to a file; pprof says so on standard error.
  let text = '';
  let bytes: Uint8Array | undefined;
  const write = a.output ? (s: string) => (text += s) : out;
  try {
    const code = report(a, write, err, io, (b) =>
      a.output ? (bytes = b) : io.outBytes ? io.outBytes(b) : out(Buffer.from(b).toString('latin1')),
    );
    if (code === 0 && a.output) {
      err(`Generating report in ${a.output}\n`);
      try {
        writeFileSync(a.output, bytes ?? text);
      } catch (e) {
        err(`pprof-lens: ${goFileError('open', a.output, e)}\n`);
        return 1;
      }
    }
    return code;
  } catch (e) {
    // pprof's own messages, as it prints them.
    if (e instanceof FileError || e instanceof RegexpOptionError || e instanceof NoMatchError) {
      err(`${e.message}\n`);
      return 1;
    }
    if (isProfileError(e) || e instanceof RangeError || e instanceof SyntaxError) {
      err(`pprof-lens: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      err(`pprof-lens: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function report(
  a: Args,
  out: (s: string) => void,
  err: (s: string) => void,
  io: RunIO,
  outBytes: (b: Uint8Array) => void,
): number {
  if (a.symbolize !== undefined) for (const w of symbolizeWarnings(a.symbolize)) err(`${w}\n`);
  let sources = a.sources;
  if (sources.length > 1 && isObjectFile(sources[0]!)) {
    err(
      `pprof-lens: ${sources[0]} is a binary: pprof-lens reads function names from the profile and does not symbolize; ignoring it\n`,
    );
    sources = sources.slice(1);
  }
  const load = (f: string): Profile => {
    const failed = io.fetchErrors?.get(f);
    if (failed !== undefined) throw new FileError(failed);
    const data: Uint8Array | undefined = io.fetched?.get(f);
    if (data) return parse(f, () => parseProfile(data, { goSymbols: a.goSymbols }));
    if (sourceUrl(f) !== undefined)
      throw new UsageError(`${f}: URL sources are fetched by the command line entry point (main)`);
    let fd: number;
    let size: number;
    try {
      const st = statSync(f);
      if (st.isDirectory()) throw new FileError(`${f}: read ${f}: is a directory`);
      checkInputSize(st.size); // before reading: a file over the budget is never read
      fd = openSync(f, 'r');
      size = st.size;
    } catch (e) {
      if (e instanceof FileError) throw e;
      if (isProfileError(e)) throw new FileError(`${f}: ${e.message}`);
      throw new FileError(`${f}: ${goFileError('open', f, e)}`);
    }
    // Read piece by piece: a gzipped profile is inflated and decoded as it is read.
    try {
      const src = { size, read: (into: Uint8Array, pos: number) => readSync(fd, into, 0, into.length, pos) };
      return parse(f, () => parseProfileSource(src, { goSymbols: a.goSymbols }));
    } catch (e) {
      if (e instanceof FileError || isProfileError(e) || (e as NodeJS.ErrnoException).code === undefined) throw e;
      throw new FileError(`${f}: ${goFileError('read', f, e)}`);
    } finally {
      closeSync(fd);
    }
  };
  const parse = (f: string, run: () => Profile): Profile => {
    try {
      return run();
    } catch (e) {
      if (isProfileError(e)) e.message = `${f}: ${e.message}`;
      throw e;
    }
  };
  /** pprof fetches every source and merges what it could read; it fails only when none could be. */
  const loadAll = (list: string[], what: string): Profile | undefined => {
    if (list.length === 0) return undefined;
    const got: Profile[] = [];
    for (const f of list) {
      try {
        got.push(load(f));
      } catch (e) {
        if (!(e instanceof FileError) && !isProfileError(e)) throw e;
        err(`${e.message}\n`);
      }
    }
    if (got.length === 0) throw new FileError(`failed to fetch any ${what} profiles`);
    if (got.length !== list.length) err(`Fetched ${got.length} ${what} profiles out of ${list.length}\n`);
    if (got.length === 1) return got[0]!;
    for (const q of got.slice(1)) {
      const why = incompatibility(got[0]!, q);
      if (why) throw new FileError(`problem fetching ${what} profiles: ${why}`);
    }
    return mergeProfiles(got);
  };
  const bases = a.base.length > 0 ? a.base : a.diffBase;
  const baseProfile = loadAll(bases, 'base');
  // The driver (core/view): compare with the base, merge samples for the reports that print them
  // one by one (pprof's fetch merges every profile, even a single one), prune drop_frames.
  // (-tags sums per label value: merging changes nothing there but dropping all-zero samples,
  // which tagsReport skips itself.)
  let whole = comparedProfile(
    loadAll(sources, 'source')!,
    baseProfile && { profile: baseProfile, mode: a.base.length > 0 ? 'base' : 'diff_base', normalize: a.normalize },
    { mergeSamples: ['traces', 'proto', 'raw'].includes(a.command!) },
  );
  if (a.comment) whole = { ...whole, comments: [...whole.comments, a.comment] };
  // Like pprof, a profile fetched from a server is kept: $PPROF_TMPDIR, else $HOME/pprof.
  if ([...sources, ...bases].some((f) => io.fetched?.has(f))) saveFetched(driverNormalize(whole), err);

  // Label pseudo frames come before the filters, which may match them.
  if (a.tagRoot || a.tagLeaf) {
    const keys = (s?: string) => (s ?? '').split(',').filter((k) => k !== '');
    const r = withLabelFrames(whole, {
      tagRoot: keys(a.tagRoot),
      tagLeaf: keys(a.tagLeaf),
      tagUnit: a.unit ?? 'minimum',
    });
    if (a.tagRoot && !r.rootMatched) err('TagRoot expression matched no samples\n');
    if (a.tagLeaf && !r.leafMatched) err('TagLeaf expression matched no samples\n');
    whole = r.profile;
  }

  // Every pattern is checked before any work, with pprof's words for a bad one.
  for (const [k, flag] of FILTER_FLAGS) {
    const v = a.filters[k];
    if (!v) continue;
    if (k === 'tagFocus' || k === 'tagIgnore') {
      const value = v.includes('=') ? v.slice(v.indexOf('=') + 1) : v;
      if (parseTagRange(value)) err(`${flag}:Interpreted '${value}' as range, not regexp\n`);
      else for (const part of value.split(',')) userRegexp(`parsing ${flag} regexp`, part);
    } else userRegexp(`parsing ${flag} regexp`, v);
  }
  const prune = a.pruneFrom ? userRegexp('parsing prune_from regexp', a.pruneFrom) : undefined;
  const symbol = a.pattern !== undefined ? userRegexp(`parsing argument regexp ${a.pattern}`, a.pattern) : undefined;

  const view = makeView(whole, {
    filters: a.filters,
    ...(prune ? { pruneFrom: prune } : {}),
    relativePercentages: a.relativePercentages,
    mean: a.mean,
  });
  const warn: Record<keyof FilterOptions, string> = {
    focus: 'Focus',
    ignore: 'Ignore',
    hide: 'Hide',
    show: 'Show',
    showFrom: 'ShowFrom',
    tagFocus: 'TagFocus',
    tagIgnore: 'TagIgnore',
    tagShow: 'TagShow',
    tagHide: 'TagHide',
  };
  for (const k of view.unmatched) err(`${warn[k]} expression matched no samples\n`);
  let p = view.profile;
  const si = a.command === 'proto' || a.command === 'comments' ? 0 : sampleIndexByName(p, a.sampleIndex);
  // What 100 % is: decided by the view (core/view viewTotal).
  const total = viewTotal(view, si);
  const extra: Partial<ReportOptions> = { total, ...(view.filtered ? { activeFilters: view.active } : {}) };
  // pprof's graph reports clean up file names with its source search rule, using -trim_path and
  // -source_path as given (not the current directory): with -source_path=~/src/app a recorded
  // /build/app/main.go prints as main.go, in -list's ROUTINE header too.
  if (['top', 'peek', 'tree', 'list'].includes(a.command!)) p = trimFileNames(p, a);
  const json = (x: unknown) => out(`${JSON.stringify(x, null, 2)}\n`);
  switch (a.command!) {
    case 'raw':
      // What pprof -raw prints: the profile after its driver's merge and normalization.
      if (a.json) json(toJsonProfile(p));
      else out(formatRaw(p));
      return 0;
    case 'proto':
      outBytes(gzipSync(encodeProfile(p)));
      return 0;
    case 'comments':
      for (const c of p.comments) out(`${c}\n`);
      return 0;
    case 'flame':
    case 'collapsed': {
      const d = buildFlame(p, { sampleIndex: si });
      if (a.json && a.command === 'flame') json(flameJson({ ...d, reportTotal: total }, p.sampleTypes[si]!.unit));
      else out(formatCollapsed(d));
      return 0;
    }
    case 'top': {
      const r = topReport(p, reportOptions(p, a, extra));
      if (a.json) json({ labels: r.labels, total: r.total, unit: p.sampleTypes[si]!.unit, rows: r.rows });
      else out(formatTop(r));
      return 0;
    }
    case 'traces': {
      const r = tracesReport(p, {
        sampleIndex: si,
        ...(a.granularity ? { granularity: a.granularity } : {}),
        noInlines: a.noInlines,
        mean: a.mean,
        ...(a.unit !== undefined ? { unit: a.unit } : {}),
        ...(a.divideBy !== undefined ? { divideBy: a.divideBy } : {}),
        total,
      });
      if (a.json)
        json({
          header: r.header,
          traces: r.traces.map((t) => ({ labels: t.labels, value: t.value, frames: traceFrames(r, t) })),
        });
      else out(formatTraces(r));
      return 0;
    }
    case 'tags': {
      const r = tagsReport(p, { sampleIndex: si, ...(a.unit !== undefined ? { unit: a.unit } : {}) });
      if (a.json) json(r);
      else out(formatTags(r));
      return 0;
    }
    case 'peek':
    case 'tree': {
      const opts = reportOptions(p, a, extra);
      const r = a.command === 'peek' ? peekReport(p, opts, symbol!) : treeReport(p, opts);
      if (a.json) json({ labels: r.labels, total: r.total, entries: r.entries });
      else out(formatPeek(r));
      return 0;
    }
    case 'list': {
      const reader = fileSourceReader(a.sourcePath ?? process.cwd(), a.trimPath, io.sourceMappings);
      const r = listReport(p, reportOptions(p, a, extra), symbol!, reader);
      if (a.json) json({ total: r.total, blocks: r.blocks, noSource: r.noSource });
      else out(formatList(r));
      return 0;
    }
  }
}

class FileError extends Error {}

/** pprof's copy of a fetched profile: pprof.<binary>.<sample types>.NNN.pb.gz in its temp dir. */
function saveFetched(p: Profile, err: (s: string) => void): void {
  const dirs = [
    process.env['PPROF_TMPDIR'],
    process.env['HOME'] ? path.join(process.env['HOME'], 'pprof') : undefined,
    os.tmpdir(),
  ];
  let prefix = 'pprof.';
  const m0 = p.mappings[0];
  if (m0 && m0.file !== '') prefix += `${path.basename(m0.file)}.`;
  for (const t of p.sampleTypes) prefix += `${t.type}.`;
  const bytes = gzipSync(encodeProfile(p));
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      err(`Could not use temp dir ${dir}: ${goFileError('mkdir', dir, e)}\n`);
      continue;
    }
    for (let i = 1; i < 10000; i++) {
      const f = path.join(dir, `${prefix}${String(i).padStart(3, '0')}.pb.gz`);
      try {
        writeFileSync(f, bytes, { flag: 'wx' });
        err(`Saved profile in ${f}\n`);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        err(`Could not save profile: ${goFileError('open', f, e)}\n`);
        return;
      }
    }
    err(`Could not save profile: could not create file of the form ${prefix}001.pb.gz\n`);
    return;
  }
}

const splitList = (s: string | undefined) => (s ?? '').split(path.delimiter).filter((x) => x !== '');

/** The profile with every function's file name trimmed as pprof's report does (see report()). */
function trimFileNames(p: Profile, a: Args): Profile {
  const prefixes = splitList(a.trimPath);
  const dirs = splitList(a.sourcePath);
  let changed = false;
  const functions = p.functions.map((f) => {
    if (f.file === '') return f;
    const file = trimSourcePath(f.file, prefixes, dirs);
    if (file === f.file) return f;
    changed = true;
    return { ...f, file };
  });
  return changed ? { ...p, functions } : p;
}

function toJsonProfile(p: Profile) {
  const T = p.sampleTypes.length;
  return {
    ...p,
    samples: Array.from({ length: p.samples.count }, (_, i) => ({
      values: Array.from(p.samples.values.subarray(i * T, i * T + T)),
      locations: Array.from(sampleLocs(p.samples, i), (l) => p.locations[l]!.id),
      ...(p.samples.labels[i] ? { labels: p.samples.labels[i] } : {}),
    })),
  };
}

/** Go's time.Duration String for whole seconds: 30s, 1m30s, 2h0m0s. */
function goSeconds(n: number): string {
  const h = Math.floor(n / 3600);
  const m = Math.floor((n % 3600) / 60);
  const sec = n % 60;
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

/**
 * The command line entry point: fetches the http(s) sources first (core/capture's messages,
 * src/node/fetchProfile's timeouts and size cap), then runs the report.
 */
export async function main(
  argv: string[],
  out: (s: string) => void,
  err: (s: string) => void,
  outBytes?: (b: Uint8Array) => void,
): Promise<number> {
  let a: Args | undefined;
  try {
    a = parseArgs(argv);
  } catch {
    // run prints the usage error
  }
  const fetched = new Map<string, Uint8Array>();
  const fetchErrors = new Map<string, string>();
  if (a && !a.help) {
    const all = [...a.sources, ...a.base, ...a.diffBase];
    for (const src of all) {
      const u = sourceUrl(src, a.seconds, a.timeout);
      if (!u || fetched.has(src) || fetchErrors.has(src)) continue;
      const parsed = new URL(u.url);
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      parsed.username = '';
      parsed.password = '';
      err(`Fetching profile over HTTP from ${displayUrl(parsed.toString())}\n`);
      const secs = Number(parsed.searchParams.get('seconds') ?? 0);
      if (secs > 0) err(`Please wait... (${goSeconds(secs)})\n`);
      try {
        const type = /\/debug\/pprof\/([A-Za-z]+)/.exec(parsed.pathname)?.[1] ?? 'profile';
        const r = await fetchProfile({
          url: parsed.toString(),
          type,
          timeoutMs: u.timeoutMs,
          ...(user ? { user, password } : {}),
        });
        fetched.set(src, r.bytes);
      } catch (e) {
        if (!(e instanceof CaptureError)) throw e;
        // Reported like an unreadable file (run prints it): the other sources still count.
        // core/capture's messages name the address already.
        fetchErrors.set(
          src,
          e.kind === 'timeout'
            ? `${displayUrl(parsed.toString())}: no answer within ${Math.round(u.timeoutMs / 1000)}s; a longer -timeout=SECONDS may help (the default is 1.5 x -seconds, or 60)`
            : e.message,
        );
      }
    }
  }
  return run(argv, out, err, { fetched, fetchErrors, ...(outBytes ? { outBytes } : {}) });
}

if (require.main === module) {
  // A run's profile lives until the run ends, so the young generation's growth (V8 doubles its
  // semi-spaces up to 2 x 16 MB when objects survive, and never gives them back) buys a report
  // nothing but a third more peak memory on a large profile (bench:heap). The CLI stays at the
  // first size; more, smaller scavenges cost no measurable CPU there.
  setFlagsFromString('--semi-space-growth-factor=1');
  void main(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
    (b) => process.stdout.write(b),
  ).then((code) => {
    process.exitCode = code;
  });
}
