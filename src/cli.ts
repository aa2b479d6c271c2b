/**
 * pprof-lens headless front end: the editor's core, on the command line.
 *
 *   pprof-lens top  [flags] <profile>      like go tool pprof -top
 *   pprof-lens list <regex> [flags] <profile>
 *   pprof-lens peek <regex> [flags] <profile>
 *   pprof-lens raw  <profile>
 *
 * pprof's own spellings work too (-top, -list=re, -peek re, -raw), and every report has --json.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from './core/decode';
import { isProfileError } from './core/errors';
import type { Granularity } from './core/graph';
import { sampleIndexByName, type Profile } from './core/model';
import { formatRaw } from './core/raw';
import { compareProfiles } from './core/diff';
import { driverNormalize, removeUninteresting } from './core/compact';
import { filterProfile, hasFilters, type FilterOptions } from './core/filter';
import {
  formatList, formatPeek, formatTop, listReport, NoMatchError, peekReport, reportTotal, topReport, treeReport,
  type ReportOptions, type SourceReader,
} from './core/report';
import { compileGoRegexp } from './core/regexp';

type Command = 'top' | 'list' | 'peek' | 'tree' | 'raw';

interface Args {
  command?: Command;
  pattern?: string;
  file?: string;
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
  base?: string;
  diffBase?: string;
  compactLabels: boolean;
  relativePercentages: boolean;
  normalize: boolean;
  goSymbols: boolean;
}

const USAGE = `usage: pprof-lens <top|list REGEX|peek REGEX|raw> [flags] PROFILE

Reads a pprof profile (.pb.gz, .pprof, raw profile.proto or a legacy text profile) and prints
the report go tool pprof prints.

flags:
  -sample_index=NAME|N  sample type to report (default: the profile's default)
  -nodecount=N          top: show at most N nodes
  -nodefraction=F       top: hide nodes below F*total (default 0.005)
  -edgefraction=F       hide edges below F*total (default 0.001)
  -cum                  top: sort by cumulative value
  -functions|-filefunctions|-files|-lines|-addresses   granularity (default -functions)
  -noinlines            attribute inlined calls to their caller
  -unit=UNIT            output unit (default minimum)
  -divide_by=F          divide every value by F
  -source_path=DIRS     list: where to look for source files (default: the current directory)
  -trim_path=PREFIX     list: path prefix to remove from source file names
  -focus/-ignore/-hide/-show/-show_from=REGEXP   filter frames and samples by function or file name
  -tagfocus/-tagignore=[KEY=]REGEXP|RANGE        filter samples by label ("handler=api", "1mb:2gb")
  -tagshow/-taghide=REGEXP                       keep or drop label keys
  -base=PROFILE         subtract PROFILE (what grew or shrank since it)
  -diff_base=PROFILE    compare with PROFILE, percentages relative to it
  -normalize            with -base/-diff_base: scale the profile to the base's totals first
  -legacy_symbols=false ignore the function names in Go's debug=1 text profiles, as go tool pprof does
  --json                structured output
`;

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, sampleIndex: '', cum: false, noInlines: false, filters: {}, compactLabels: false, relativePercentages: false, normalize: false, goSymbols: true };
  const rest: string[] = [];
  const setCommand = (c: Command, pattern?: string) => {
    if (a.command) throw new UsageError(`only one report at a time (got ${a.command} and ${c})`);
    a.command = c;
    if (pattern !== undefined) a.pattern = pattern;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      rest.push(arg);
      continue;
    }
    const m = /^--?([a-z_]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown flag ${arg}`);
    const name = m[1]!;
    const takeValue = (): string => {
      if (m[2] !== undefined) return m[2];
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`flag -${name} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = takeValue();
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`flag -${name}: ${JSON.stringify(v)} is not a number`);
      return n;
    };
    switch (name) {
      case 'top': case 'text': setCommand('top'); break;
      case 'raw': setCommand('raw'); break;
      case 'tree': setCommand('tree'); break;
      case 'compact_labels': a.compactLabels = true; break;
      case 'relative_percentages': a.relativePercentages = true; break;
      case 'trim': case 'call_tree': break; // pprof's defaults for text reports; accepted for compatibility
      case 'output': throw new UsageError('-output is not supported: redirect standard output instead');
      case 'list': setCommand('list', takeValue()); break;
      case 'peek': setCommand('peek', takeValue()); break;
      case 'json': a.json = true; break;
      case 'sample_index': a.sampleIndex = takeValue(); break;
      case 'nodecount': a.nodeCount = num(); break;
      case 'nodefraction': a.nodeFraction = num(); break;
      case 'edgefraction': a.edgeFraction = num(); break;
      case 'cum': a.cum = true; break;
      case 'flat': a.cum = false; break;
      case 'functions': case 'filefunctions': case 'files': case 'lines': case 'addresses':
        a.granularity = name; break;
      case 'noinlines': a.noInlines = true; break;
      case 'unit': a.unit = takeValue(); break;
      case 'divide_by': a.divideBy = num(); break;
      case 'source_path': a.sourcePath = takeValue(); break;
      case 'trim_path': a.trimPath = takeValue(); break;
      case 'symbolize': takeValue(); break; // accepted for pprof compatibility; pprof-lens never symbolizes
      case 'focus': a.filters.focus = takeValue(); break;
      case 'ignore': a.filters.ignore = takeValue(); break;
      case 'hide': a.filters.hide = takeValue(); break;
      case 'show': a.filters.show = takeValue(); break;
      case 'show_from': a.filters.showFrom = takeValue(); break;
      case 'tagfocus': a.filters.tagFocus = takeValue(); break;
      case 'tagignore': a.filters.tagIgnore = takeValue(); break;
      case 'tagshow': a.filters.tagShow = takeValue(); break;
      case 'taghide': a.filters.tagHide = takeValue(); break;
      case 'base': a.base = takeValue(); break;
      case 'normalize': a.normalize = true; break;
      case 'legacy_symbols': a.goSymbols = !/^(false|0|no)$/i.test(takeValue()); break;
      case 'diff_base': a.diffBase = takeValue(); break;
      case 'inuse_space': case 'inuse_objects': case 'alloc_space': case 'alloc_objects':
        a.sampleIndex = name; break;
      case 'h': case 'help': throw new UsageError('');
      default: throw new UsageError(`unknown flag -${name}`);
    }
  }
  if (!a.command && rest.length > 0 && ['top', 'list', 'peek', 'tree', 'raw', 'text'].includes(rest[0]!)) {
    const c = rest.shift()!;
    setCommand(c === 'text' ? 'top' : (c as Command), c === 'list' || c === 'peek' ? rest.shift() : undefined);
  }
  if (!a.command) throw new UsageError('missing report: top, list REGEX, peek REGEX or raw');
  if ((a.command === 'list' || a.command === 'peek') && a.pattern === undefined) {
    throw new UsageError(`${a.command} needs a regular expression`);
  }
  if (rest.length !== 1) throw new UsageError(rest.length === 0 ? 'missing profile file' : `one profile at a time (got ${rest.join(', ')})`);
  a.file = rest[0]!;
  return a;
}

/** pprof's source lookup: absolute paths as they are, relative ones searched up from each dir. */
export function fileSourceReader(searchPath: string, trimPath?: string): SourceReader {
  const cache = new Map<string, string[] | { error: string }>();
  const open = (file: string): string[] | { error: string } => {
    let f = file;
    if (trimPath) {
      for (const t of trimPath.split(',')) {
        const prefix = t.replace(/\/+$/, '') + '/';
        if (t && f.startsWith(prefix)) {
          f = f.slice(prefix.length);
          break;
        }
      }
    }
    const readLines = (p: string) => {
      const text = readFileSync(p, 'utf8');
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return lines;
    };
    if (path.isAbsolute(f)) {
      try {
        return readLines(f);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        return { error: `open ${f}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}` };
      }
    }
    for (let dir of searchPath.split(path.delimiter)) {
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
  return file => {
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
  };
}

/** Runs the CLI; returns the exit code. Exported for tests. */
export function run(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let a: Args;
  try {
    a = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) err(`pprof-lens: ${e.message}\n`);
      err(USAGE);
      return 2;
    }
    throw e;
  }
  try {
    const load = (f: string) => {
      try {
        return parseProfile(readFileSync(f), { goSymbols: a.goSymbols });
      } catch (e) {
        if (isProfileError(e)) e.message = `${f}: ${e.message}`;
        throw e;
      }
    };
    // pprof's driver prunes the frames named by the profile's drop_frames before any report.
    const loaded = load(a.file!);
    let p = removeUninteresting(loaded);
    if (a.base || a.diffBase) {
      if (a.base && a.diffBase) throw new UsageError('-base and -diff_base flags cannot both be specified');
      p = compareProfiles(p, removeUninteresting(load((a.base ?? a.diffBase)!)), a.base ? 'base' : 'diff_base', a.normalize);
    }
    // Percentages stay relative to the whole profile, as in pprof: the total is taken before filtering.
    let extra: Partial<ReportOptions> = {};
    if (hasFilters(a.filters)) {
      const si = sampleIndexByName(p, a.sampleIndex);
      const total = reportTotal(p, si);
      const f = filterProfile(p, a.filters);
      for (const [k, v] of Object.entries(f.matched)) if (!v) err(`pprof-lens: no matches for ${k}\n`);
      for (const k of Object.keys(a.filters) as (keyof FilterOptions)[]) {
        if (a.filters[k] && f.matched[k] === undefined) err(`pprof-lens: no matches for ${k}\n`);
      }
      p = f.profile;
      // -relative_percentages: relative to what the filters kept.
      extra = a.relativePercentages ? { activeFilters: f.active } : { total, activeFilters: f.active };
    }
    const json = (x: unknown) => out(`${JSON.stringify(x, null, 2)}\n`);
    switch (a.command!) {
      case 'raw':
        // What pprof -raw prints: the profile after its driver's merge and normalization.
        if (a.json) json(toJsonProfile(p));
        // pprof merges equal samples before it prunes: samples that differ only in pruned
        // frames stay apart (unless -base or filters made a new profile).
        else out(formatRaw(driverNormalize(a.base || a.diffBase || hasFilters(a.filters) ? p : loaded)));
        return 0;
      case 'top': {
        const r = topReport(p, reportOptions(p, a, extra));
        if (a.json) json({ labels: r.labels, total: r.total, unit: p.sampleTypes[reportOptions(p, a, extra).sampleIndex]!.unit, rows: r.rows });
        else out(formatTop(r));
        return 0;
      }
      case 'peek':
      case 'tree': {
        const opts = reportOptions(p, a, extra);
        const r = a.command === 'peek' ? peekReport(p, opts, compileGoRegexp(a.pattern!)) : treeReport(p, opts);
        if (a.json) json({ labels: r.labels, total: r.total, entries: r.entries });
        else out(formatPeek(r));
        return 0;
      }
      case 'list': {
        const reader = fileSourceReader(a.sourcePath ?? process.cwd(), a.trimPath);
        const r = listReport(p, reportOptions(p, a, extra), compileGoRegexp(a.pattern!), reader);
        if (a.json) json({ total: r.total, blocks: r.blocks, noSource: r.noSource });
        else out(formatList(r));
        return 0;
      }
    }
  } catch (e) {
    if (isProfileError(e)) {
      err(`pprof-lens: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      err(`pprof-lens: ${e.message}\n`);
      return 2;
    }
    if (e instanceof NoMatchError || e instanceof RangeError || e instanceof SyntaxError) {
      err(`pprof-lens: ${e.message}\n`);
      return 1;
    }
    const ne = e as NodeJS.ErrnoException;
    if (ne.code === 'ENOENT' || ne.code === 'EISDIR' || ne.code === 'EACCES') {
      err(`pprof-lens: cannot read ${a.file}: ${ne.code === 'ENOENT' ? 'no such file' : ne.message}\n`);
      return 1;
    }
    throw e;
  }
}

function toJsonProfile(p: Profile) {
  const T = p.sampleTypes.length;
  return {
    ...p,
    samples: Array.from({ length: p.samples.count }, (_, i) => ({
      values: Array.from(p.samples.values.subarray(i * T, i * T + T)),
      locations: Array.from(p.samples.stackLocs.subarray(p.samples.stackStart[i], p.samples.stackStart[i + 1]), l => p.locations[l]!.id),
      ...(p.samples.labels[i] ? { labels: p.samples.labels[i] } : {}),
    })),
  };
}

if (require.main === module) {
  const code = run(process.argv.slice(2), s => process.stdout.write(s), s => process.stderr.write(s));
  process.exitCode = code;
}
