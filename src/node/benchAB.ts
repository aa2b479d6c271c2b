/**
 * Benchmark A/B across revisions, the process part (Node, no vscode, so tests run exactly this):
 * the benchmark runs `go test -count=N` with CPU and memory profiles in a temporary
 * `git worktree add --detach` of the base revision (a private mkdtemp folder, removed afterwards,
 * on failure and on cancel too) and then in the working tree; the outputs are compared with
 * core/benchstat. Cancel (an AbortSignal) kills the go processes (their whole process group: go
 * test runs the test binary as its child). Everything go and git print is kept in one log file.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchABArgs } from '../core/bench';
import { compareOutputs, formatComparison, parseBenchOutput, type ABResult } from '../core/benchstat';
import { parseProfile } from '../core/decode';
import { encodeProfile } from '../core/encode';
import { moveToRevision, parseUnifiedDiff } from '../core/lineMap';

export class ABCancelled extends Error {
  constructor() {
    super('The benchmark comparison was cancelled.');
    this.name = 'ABCancelled';
  }
}

/** A failure with a message for the user (which command, what it said). */
export class ABError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ABError';
  }
}

export interface ABOptions {
  /** The go binary. */
  go: string;
  /** git (default "git" on PATH). */
  git?: string;
  /** The package directory of the benchmark, in the working tree. */
  pkgDir: string;
  /** BenchmarkXxx. */
  benchmark: string;
  /** The base revision: a branch, tag, commit or HEAD~2. */
  ref: string;
  count: number;
  benchtime?: string;
  extraFlags?: readonly string[];
  /** Where the profiles, the raw output and the table are written (created). */
  outDir: string;
  signal?: AbortSignal;
  progress?: (message: string) => void;
  /** Environment for go (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ABFiles {
  /** Everything go test and git printed, in order, with the commands. */
  log: string;
  /** The benchstat table. */
  table: string;
  oldCpu: string;
  newCpu: string;
  oldMem: string;
  newMem: string;
  /** The base's CPU profile as go test wrote it (oldCpu has its lines moved onto the working tree). */
  oldCpuRecorded: string;
}

export interface ABOutcome {
  result: ABResult;
  text: string;
  files: ABFiles;
  /** The base revision as given and its commit. */
  ref: string;
  commit: string;
  /** b.N summed over the runs of the benchmark, per side: the per-operation scale of the profiles. */
  ops: { old: number; new: number };
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  log: WriteStream,
  signal: AbortSignal | undefined,
  env?: NodeJS.ProcessEnv,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ABCancelled());
    log.write(`$ cd ${cwd} && ${[cmd, ...args].join(' ')}\n`);
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32', // its own process group, so cancel reaches the test binary
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      log.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      log.write(d);
    });
    const kill = () => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', kill);
      reject(
        new ABError(e.code === 'ENOENT' ? `cannot run ${cmd}: it was not found` : `cannot run ${cmd}: ${e.message}`),
      );
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', kill);
      log.write(`[exit ${code ?? 'killed'}]\n\n`);
      if (signal?.aborted) reject(new ABCancelled());
      else resolve({ code, stdout, stderr });
    });
  });
}

function lastLines(s: string, n = 6): string {
  return s.trim().split('\n').slice(-n).join('\n');
}

/** Runs git in dir; resolves with its stdout, or undefined when it failed or is missing. */
function gitOut(git: string, dir: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const c = spawn(git, args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', () => resolve(undefined));
    c.on('close', (code) => resolve(code === 0 ? out : undefined));
  });
}

/**
 * "HEAD" when the working tree has uncommitted changes to tracked files, else "HEAD~1"; hasParent
 * says whether HEAD~1 exists (a repository with one commit has none: nothing to offer there).
 */
export async function defaultRef(
  pkgDir: string,
  git = 'git',
): Promise<{ ref: string; dirty: boolean; hasParent: boolean }> {
  const [status, parent] = await Promise.all([
    gitOut(git, pkgDir, ['status', '--porcelain', '--untracked-files=no']),
    gitOut(git, pkgDir, ['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}']),
  ]);
  const dirty = (status ?? '').trim() !== '';
  return { ref: dirty ? 'HEAD' : 'HEAD~1', dirty, hasParent: parent !== undefined };
}

/** Runs the comparison. Rejects with ABCancelled or ABError; the temporary worktree is gone either way. */
export async function runBenchAB(o: ABOptions): Promise<ABOutcome> {
  const git = o.git ?? 'git';
  const progress = o.progress ?? (() => {});
  await mkdir(o.outDir, { recursive: true });
  const files: ABFiles = {
    log: path.join(o.outDir, 'go-test-output.txt'),
    table: path.join(o.outDir, 'benchstat.txt'),
    oldCpu: path.join(o.outDir, 'base.cpu.pprof'),
    newCpu: path.join(o.outDir, 'working.cpu.pprof'),
    oldMem: path.join(o.outDir, 'base.mem.pprof'),
    newMem: path.join(o.outDir, 'working.mem.pprof'),
    oldCpuRecorded: path.join(o.outDir, 'base.cpu.recorded.pprof'),
  };
  const log = createWriteStream(files.log);
  const tmp = await mkdtemp(path.join(tmpdir(), 'pprof-lens-ab-'));
  const tree = path.join(tmp, 'tree');
  let root = '';
  let added = false;
  try {
    const top = await run(git, ['rev-parse', '--show-toplevel'], o.pkgDir, log, o.signal);
    if (top.code !== 0) throw new ABError(`${o.pkgDir} is not in a git repository: ${lastLines(top.stderr, 2)}`);
    root = top.stdout.trim();
    const rel = path.relative(root, o.pkgDir);
    const rev = await run(git, ['rev-parse', '--verify', '--quiet', `${o.ref}^{commit}`], root, log, o.signal);
    if (rev.code !== 0) throw new ABError(`git does not know the revision "${o.ref}"`);
    const commit = rev.stdout.trim();
    progress(`Checking out ${o.ref} (${commit.slice(0, 12)}) in a temporary worktree…`);
    const add = await run(git, ['worktree', 'add', '--detach', tree, commit], root, log, o.signal);
    if (add.code !== 0) throw new ABError(`git worktree add failed: ${lastLines(add.stderr, 3)}`);
    added = true;
    const side = async (label: string, bin: string, dir: string, cpu: string, mem: string): Promise<string> => {
      progress(`Running ${o.benchmark} ${o.count}× in ${label}…`);
      const args = benchABArgs(o.benchmark, {
        count: o.count,
        ...(o.benchtime ? { benchtime: o.benchtime } : {}),
        ...(o.extraFlags ? { extraFlags: o.extraFlags } : {}),
        testBinary: path.join(tmp, bin),
        cpuProfile: cpu,
        memProfile: mem,
      });
      const r = await run(o.go, args, dir, log, o.signal, o.env);
      if (r.code !== 0)
        throw new ABError(`go test failed in ${label} (exit code ${r.code}): ${lastLines(r.stdout + r.stderr)}`);
      return r.stdout;
    };
    const pkgInTree = path.join(tree, rel);
    const oldOut = await side(o.ref, 'base.test', pkgInTree, files.oldCpu, files.oldMem);
    const newOut = await side('the working tree', 'working.test', o.pkgDir, files.newCpu, files.newMem);
    // The base's profiles name the temporary checkout and its line numbers: moved onto the working
    // tree through git diff, so -base subtracts a line from the same line.
    progress(`Mapping ${o.ref}'s lines onto the working tree (git diff)…`);
    const diff = await run(git, ['diff', '-U0', '--no-color', '--no-ext-diff', commit, '--'], root, log, o.signal);
    if (diff.code === 0) {
      const diffs = parseUnifiedDiff(diff.stdout);
      const treeReal = await realpath(tree).catch(() => tree);
      for (const [f, keep] of [
        [files.oldCpu, files.oldCpuRecorded],
        [files.oldMem, undefined],
      ] as const) {
        const recorded = parseProfile(new Uint8Array(await readFile(f)));
        let moved = moveToRevision(recorded, tree, root, diffs);
        if (treeReal !== tree) moved = moveToRevision(moved, treeReal, root, diffs);
        if (moved === recorded) continue;
        if (keep) await copyFile(f, keep);
        await writeFile(f, gzipSync(encodeProfile(moved)));
      }
    }
    const oldParsed = parseBenchOutput(oldOut);
    const newParsed = parseBenchOutput(newOut);
    if (oldParsed.runs.length === 0) throw new ABError(`${o.benchmark} printed no results in ${o.ref}; see the output`);
    if (newParsed.runs.length === 0)
      throw new ABError(`${o.benchmark} printed no results in the working tree; see the output`);
    const result = compareOutputs(oldParsed, newParsed);
    const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    const ops = { old: sum(result.ops.old), new: sum(result.ops.new) };
    const text = formatComparison(result, o.ref, 'working tree');
    await writeFile(files.table, text);
    return { result, text, files, ref: o.ref, commit, ops };
  } finally {
    if (added) {
      await run(git, ['worktree', 'remove', '--force', tree], root, log, undefined).catch(() => undefined);
    }
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (root) await run(git, ['worktree', 'prune'], root, log, undefined).catch(() => undefined);
    await new Promise<void>((r) => log.end(r));
  }
}
