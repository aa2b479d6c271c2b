/**
 * Runs `go build -gcflags=-m=2` on some packages and parses what the compiler says (core/gcdiag).
 * Node only (no vscode import), so unit tests run it with the real toolchain. Bounded: a time
 * limit, a cap on the output read, an AbortSignal that kills go; no binary is written (-o to the
 * null device) and go's work files go to a private temporary directory (mkdtemp, GOTMPDIR)
 * removed afterwards. The caller decides whether running is allowed
 * (workspace trust).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import * as path from 'node:path';
import { gcBuildArgs, parseGcText, type GcDiagnostics } from '../../core/gcdiag';

export interface GcRunOptions {
  /** The go binary (go.alternateTools / go.goroot / PATH). */
  go: string;
  /** Where go runs: the module root of the packages. */
  cwd: string;
  /** Package directories relative to cwd. */
  packages: readonly string[];
  buildFlags?: readonly string[];
  buildTags?: string;
  env?: NodeJS.ProcessEnv;
  /** Default 120 s. */
  timeoutMs?: number;
  /** Default 32 MB of compiler output; more is not read (and go is stopped). */
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

export interface GcRunResult {
  diagnostics: GcDiagnostics;
  exitCode: number | null;
  /** Lines of go's output that are not diagnostics (build errors), at most 20. */
  errors: string[];
  truncated: boolean;
  argv: string[];
  ms: number;
}

export class GcRunError extends Error {}

export async function runGcDiagnostics(o: GcRunOptions): Promise<GcRunResult> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'pprof-lens-gc-'));
  const started = Date.now();
  try {
    const argv = gcBuildArgs({
      packages: o.packages,
      ...(o.buildFlags ? { buildFlags: o.buildFlags } : {}),
      ...(o.buildTags !== undefined ? { buildTags: o.buildTags } : {}),
      devNull: devNull,
    });
    const max = o.maxOutputBytes ?? 32 << 20;
    const { out, code, truncated } = await new Promise<{ out: string; code: number | null; truncated: boolean }>(
      (resolve, reject) => {
        if (o.signal?.aborted) return reject(new GcRunError('cancelled'));
        const child = spawn(o.go, argv, {
          cwd: o.cwd,
          // go's work files go to our private folder, removed afterwards.
          env: { ...(o.env ?? process.env), GOTMPDIR: tmp },
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
        const chunks: Buffer[] = [];
        let size = 0;
        let cut = false;
        let why: string | undefined;
        const stop = (reason?: string) => {
          if (reason && !why) why = reason;
          child.kill('SIGKILL');
        };
        const take = (b: Buffer) => {
          if (cut) return;
          if (size + b.length > max) {
            chunks.push(b.subarray(0, max - size));
            size = max;
            cut = true;
            stop();
            return;
          }
          chunks.push(b);
          size += b.length;
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        const timer = setTimeout(
          () => stop(`go build took longer than ${Math.round((o.timeoutMs ?? 120_000) / 1000)} s`),
          o.timeoutMs ?? 120_000,
        );
        const onAbort = () => stop('cancelled');
        o.signal?.addEventListener('abort', onAbort);
        child.on('error', (e: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          o.signal?.removeEventListener('abort', onAbort);
          reject(
            new GcRunError(
              e.code === 'ENOENT' ? `cannot run ${o.go}: no such program` : `cannot run ${o.go}: ${e.message}`,
            ),
          );
        });
        child.on('close', (c) => {
          clearTimeout(timer);
          o.signal?.removeEventListener('abort', onAbort);
          if (why) return reject(new GcRunError(why));
          resolve({ out: Buffer.concat(chunks).toString('utf8'), code: c, truncated: cut });
        });
      },
    );
    const diagnostics = parseGcText(out, o.cwd);
    const errors = out
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '' && !l.startsWith('#') && !/^.+?\.go:\d+:\d+: /.test(l))
      .slice(0, 20);
    // Compile errors are also file:line: lines; a failed build with nothing parsed says what go said.
    if (code !== 0 && diagnostics.escapes.length === 0 && diagnostics.inlining.length === 0) {
      const said = out.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
      throw new GcRunError(`go build failed: ${said.slice(0, 3).join(' · ') || `exit code ${String(code)}`}`);
    }
    return { diagnostics, exitCode: code, errors, truncated, argv: [o.go, ...argv], ms: Date.now() - started };
  } finally {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}
