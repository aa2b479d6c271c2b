/**
 * Profiling Go benchmarks, the pure part: finding `func BenchmarkXxx(b *testing.B)` in a test
 * file's text, the `go test` argument vector that profiles one benchmark, and which go binary to
 * run (the Go extension's settings, then PATH). No vscode, no processes.
 */
import * as path from 'node:path';

export interface Benchmark {
  readonly name: string;
  /** 1-based line of the `func` keyword. */
  readonly line: number;
  /** 0-based column of `func` and of the name, for a CodeLens range. */
  readonly column: number;
  readonly nameColumn: number;
}

/**
 * The text with comments, string literals and rune literals blanked out (newlines kept, so line
 * and column numbers are unchanged). Unterminated literals run to the end of their line (or file,
 * for raw strings and block comments), as an editor's highlighting would.
 */
export function blankCommentsAndStrings(src: string): string {
  const out = src.split('');
  const n = src.length;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < n; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let i = 0;
  while (i < n) {
    const c = src[i]!;
    const d = src[i + 1];
    if (c === '/' && d === '/') {
      let j = src.indexOf('\n', i);
      if (j < 0) j = n;
      blank(i, j);
      i = j;
    } else if (c === '/' && d === '*') {
      let j = src.indexOf('*/', i + 2);
      j = j < 0 ? n : j + 2;
      blank(i, j);
      i = j;
    } else if (c === '`') {
      let j = src.indexOf('`', i + 1);
      j = j < 0 ? n : j + 1;
      blank(i, j);
      i = j;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      j = j < n && src[j] === c ? j + 1 : j;
      blank(i, j);
      i = j;
    } else i++;
  }
  return out.join('');
}

/** Go's rule (testing's isTest): "Benchmark", or "Benchmark" followed by a non-lower-case letter. */
export function isBenchmarkName(name: string): boolean {
  if (!name.startsWith('Benchmark')) return false;
  if (name.length === 9) return true;
  const r = name[9]!;
  return !(r.toLowerCase() === r && r.toUpperCase() !== r);
}

const BENCH_DECL =
  /^([ \t]*)func[ \t]+(Benchmark[\p{L}\p{N}_]*)[ \t]*\([ \t]*[\p{L}_][\p{L}\p{N}_]*[ \t]+\*[ \t]*([\p{L}_][\p{L}\p{N}_]*)\.B[ \t]*\)/u;

/** The benchmark functions declared at the top level of a Go test file, in source order. */
export function findBenchmarks(src: string): Benchmark[] {
  const lines = blankCommentsAndStrings(src).split('\n');
  const out: Benchmark[] = [];
  lines.forEach((text, i) => {
    const m = BENCH_DECL.exec(text);
    if (!m) return;
    const name = m[2]!;
    if (!isBenchmarkName(name)) return;
    const column = m[1]!.length;
    out.push({ name, line: i + 1, column, nameColumn: text.indexOf(name, column + 4) });
  });
  return out;
}

export type BenchProfileKind = 'cpu' | 'mem' | 'block' | 'mutex';

export const BENCH_PROFILE_KINDS: readonly { kind: BenchProfileKind; label: string; flag: string }[] = [
  { kind: 'cpu', label: 'CPU', flag: '-cpuprofile' },
  { kind: 'mem', label: 'memory', flag: '-memprofile' },
  { kind: 'block', label: 'block', flag: '-blockprofile' },
  { kind: 'mutex', label: 'mutex', flag: '-mutexprofile' },
];

export function isBenchProfileKind(s: unknown): s is BenchProfileKind {
  return BENCH_PROFILE_KINDS.some((k) => k.kind === s);
}

export interface BenchArgsOptions {
  /** -benchtime, e.g. "1s", "100x"; omitted when empty. */
  benchtime?: string;
  /** -count. */
  count?: number;
  /** Where go test writes the test binary it keeps when profiling (-o), so the package dir stays clean. */
  testBinary?: string;
  /** Extra flags from the user's settings, appended before the profile flag. */
  extraFlags?: readonly string[];
}

/** A valid -benchtime: a Go duration ("1s", "500ms", "1m30s") or a count ("100x"). */
export function isValidBenchtime(s: string): boolean {
  return /^(\d+x|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/.test(s);
}

/**
 * The arguments after the go binary: go test -run=^$ -bench=^Name$ [-benchtime] [-count]
 * -benchmem [-o bin] -<kind>profile=<file> . (run in the package directory).
 */
export function benchArgs(
  name: string,
  kind: BenchProfileKind,
  profileFile: string,
  o: BenchArgsOptions = {},
): string[] {
  if (!/^[\p{L}\p{N}_]+$/u.test(name) || !isBenchmarkName(name)) throw new Error(`not a benchmark name: ${name}`);
  const flag = BENCH_PROFILE_KINDS.find((k) => k.kind === kind)!.flag;
  const args = ['test', '-run=^$', `-bench=^${name}$`];
  if (o.benchtime) {
    if (!isValidBenchtime(o.benchtime))
      throw new Error(`invalid benchtime "${o.benchtime}": use a duration like 2s or a count like 100x`);
    args.push(`-benchtime=${o.benchtime}`);
  }
  if (o.count !== undefined && o.count > 1) args.push(`-count=${Math.floor(o.count)}`);
  args.push('-benchmem');
  if (o.testBinary) args.push('-o', o.testBinary);
  if (o.extraFlags) args.push(...o.extraFlags);
  args.push(`${flag}=${profileFile}`, '.');
  return args;
}

/** "BenchmarkParse-cpu-2026-11-22T19-10-05.pprof" without the timestamp logic (given). */
export function benchProfileFileName(name: string, kind: BenchProfileKind, stamp: string): string {
  return `${name.replace(/[^\p{L}\p{N}_]/gu, '_')}-${kind}-${stamp}.pprof`;
}

export interface GoBinaryInput {
  /** The Go extension's go.alternateTools (its "go" entry is used). */
  alternateTools?: unknown;
  /** The Go extension's go.goroot. */
  goroot?: string;
  /** process.env.PATH. */
  pathEnv?: string;
  platform?: NodeJS.Platform;
  /** Is there an executable file at this path? */
  isFile: (p: string) => boolean;
  /** ${workspaceFolder} for settings that use it. */
  workspaceFolder?: string;
}

export interface GoBinary {
  path: string;
  /** Where it came from, for messages. */
  source: 'go.alternateTools' | 'go.goroot' | 'PATH';
}

function expand(p: string, ws: string | undefined): string {
  let s = p.trim();
  if (ws) s = s.replace(/\$\{workspaceFolder\}/g, ws);
  if (s.startsWith('~/') && process.env.HOME) s = path.join(process.env.HOME, s.slice(2));
  return s;
}

/** Looks a bare command name up on PATH. */
export function searchPath(
  cmd: string,
  pathEnv: string | undefined,
  platform: NodeJS.Platform,
  isFile: (p: string) => boolean,
): string | undefined {
  const sep = platform === 'win32' ? ';' : ':';
  const exts = platform === 'win32' && !/\.[a-z]+$/i.test(cmd) ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of (pathEnv ?? '').split(sep)) {
    if (!dir) continue;
    for (const e of exts) {
      const p = (platform === 'win32' ? path.win32 : path.posix).join(dir, cmd + e);
      if (isFile(p)) return p;
    }
  }
  return undefined;
}

/**
 * The go binary: go.alternateTools.go (a path, or a name looked up on PATH), else
 * go.goroot/bin/go, else go on PATH. Undefined when none exists.
 */
export function resolveGoBinary(i: GoBinaryInput): GoBinary | undefined {
  const platform = i.platform ?? process.platform;
  const exe = platform === 'win32' ? '.exe' : '';
  const alt =
    typeof i.alternateTools === 'object' && i.alternateTools !== null
      ? (i.alternateTools as Record<string, unknown>)['go']
      : undefined;
  if (typeof alt === 'string' && alt.trim() !== '') {
    const a = expand(alt, i.workspaceFolder);
    if (/[\\/]/.test(a)) {
      if (i.isFile(a)) return { path: a, source: 'go.alternateTools' };
      if (exe && i.isFile(a + exe)) return { path: a + exe, source: 'go.alternateTools' };
    } else {
      const p = searchPath(a, i.pathEnv, platform, i.isFile);
      if (p) return { path: p, source: 'go.alternateTools' };
    }
  }
  if (i.goroot && i.goroot.trim() !== '') {
    const p = (platform === 'win32' ? path.win32 : path.posix).join(
      expand(i.goroot, i.workspaceFolder),
      'bin',
      `go${exe}`,
    );
    if (i.isFile(p)) return { path: p, source: 'go.goroot' };
  }
  const p = searchPath('go', i.pathEnv, platform, i.isFile);
  return p ? { path: p, source: 'PATH' } : undefined;
}

export const MISSING_GO_MESSAGE =
  'pprof: cannot find the go command. Install Go from https://go.dev/dl/ and make sure `go` is on your PATH, ' +
  'or set "go.alternateTools": {"go": "/path/to/go"} or "go.goroot" in your settings.';

export interface ABArgsOptions {
  /** -count: runs per revision (benchstat wants at least 6 for a confidence interval). */
  count: number;
  benchtime?: string;
  testBinary?: string;
  extraFlags?: readonly string[];
  cpuProfile: string;
  memProfile: string;
}

/**
 * The arguments of one side of a benchmark A/B: go test -run=^$ -bench=^Name$ -count=N
 * [-benchtime] -benchmem [-o bin] [flags] -cpuprofile=… -memprofile=… .
 */
export function benchABArgs(name: string, o: ABArgsOptions): string[] {
  if (!/^[\p{L}\p{N}_]+$/u.test(name) || !isBenchmarkName(name)) throw new Error(`not a benchmark name: ${name}`);
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 100)
    throw new Error(`invalid count ${o.count}: use a whole number from 1 to 100`);
  const args = ['test', '-run=^$', `-bench=^${name}$`, `-count=${o.count}`];
  if (o.benchtime) {
    if (!isValidBenchtime(o.benchtime))
      throw new Error(`invalid benchtime "${o.benchtime}": use a duration like 2s or a count like 100x`);
    args.push(`-benchtime=${o.benchtime}`);
  }
  args.push('-benchmem');
  if (o.testBinary) args.push('-o', o.testBinary);
  if (o.extraFlags) args.push(...o.extraFlags);
  args.push(`-cpuprofile=${o.cpuProfile}`, `-memprofile=${o.memProfile}`, '.');
  return args;
}

export interface RevisionChoice {
  readonly ref: string;
  readonly description: string;
}

/**
 * The revisions "Compare with…" offers first: HEAD when the working tree has uncommitted changes
 * (it measures them), HEAD~1 only when HEAD has a parent (a repository with one commit has none).
 * Empty: a clean tree in a one-commit repository, where only a branch or tag can be compared.
 */
export function defaultRevisions(dirty: boolean, hasParent: boolean): RevisionChoice[] {
  const out: RevisionChoice[] = [];
  if (dirty) out.push({ ref: 'HEAD', description: 'the last commit: measures your uncommitted changes' });
  if (hasParent)
    out.push({ ref: 'HEAD~1', description: dirty ? 'the commit before the last' : 'the commit before HEAD' });
  return out;
}
