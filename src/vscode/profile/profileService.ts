/**
 * Loads a profile file through the decode worker, with a progress notification (shown when the
 * work takes more than a moment) whose Cancel terminates the worker. The host only reads bytes
 * (asynchronously) and receives the packed annotations.
 */
import * as vscode from 'vscode';
import { checkInputSize } from '../../core/budget';
import { baseErrorMessage } from '../../core/errors';
import { readConfig } from '../config';
import { LoadedProfile } from './loadedProfile';
import { WorkerClient, WorkerRequestError } from './workerClient';
import type { CompareMode, FilterOptions, PerOpScale } from '../../worker/protocol';

/** A base to compare with and filters to apply while loading (see src/worker/protocol's load). */
export interface LoadOptions {
  /** name: shown instead of the file's name; perOp: per-operation profiles (benchmark A/B). */
  base?: { uri: vscode.Uri; mode: CompareMode; normalize?: boolean; name?: string; perOp?: PerOpScale };
  filters?: FilterOptions;
  /** The progress notification's title (default "pprof: loading <name>"). */
  title?: string;
}

export class CancelledError extends Error {
  constructor() {
    super('Loading the profile was cancelled.');
    this.name = 'CancelledError';
  }
}

/** Does the file or folder exist (any error from stat counts as no)? */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a profile file after checking its size (stat first: a file over the budget is never read
 * into the extension host). A directory or an unreadable file is a FileSystemError.
 */
export async function readProfileFile(uri: vscode.Uri): Promise<Uint8Array> {
  const st = await vscode.workspace.fs.stat(uri);
  if (st.type & vscode.FileType.Directory) throw new Error(`${displayName(uri)} is a folder, not a profile file.`);
  checkInputSize(st.size);
  return vscode.workspace.fs.readFile(uri);
}

/** Why a file could not be read, for a message that names the file itself. */
function readErrorReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return e instanceof vscode.FileSystemError || (e instanceof Error && 'code' in e)
    ? `it cannot be read (${msg})`
    : msg;
}

/** Base name of a URI path, e.g. "cpu.pb.gz". */
export function displayName(uri: vscode.Uri): string {
  const p = uri.path;
  return p.slice(p.lastIndexOf('/') + 1) || p;
}

const PROGRESS_DELAY_MS = 300;

export class ProfileService {
  constructor(private readonly workerScript: string) {}

  async load(uri: vscode.Uri, opts: LoadOptions = {}): Promise<LoadedProfile> {
    const name = displayName(uri);
    // A child process (WorkerClient's default): a V8 fatal error in it never ends the extension host.
    const maxMb = readConfig().workerMaxMemoryMb;
    let loadedProfile: LoadedProfile | undefined;
    const client = new WorkerClient({
      script: this.workerScript,
      ...(maxMb > 0 ? { maxOldGenerationSizeMb: maxMb } : {}),
      // After the load (a crash during it is the load's error): say so, offer to open it again.
      onCrash: (e) => {
        if (loadedProfile) void offerReload(name, uri, e.message);
      },
    });
    let stage = 'Reading the file…';
    let done = false;
    let cancelled = false;
    const work = (async () => {
      const bytes = await readProfileFile(uri);
      if (cancelled) throw new CancelledError();
      // Transfer when the buffer is ours alone (a worker thread); a child process copies it anyway.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      let base;
      if (opts.base) {
        stage = 'Reading the base profile…';
        const baseName = opts.base.name ?? displayName(opts.base.uri);
        let bb;
        try {
          bb = await readProfileFile(opts.base.uri);
        } catch (e) {
          throw new WorkerRequestError('unreadable', readErrorReason(e), baseName);
        }
        if (cancelled) throw new CancelledError();
        base = {
          bytes: bb,
          name: baseName,
          mode: opts.base.mode,
          normalize: !!opts.base.normalize,
          ...(opts.base.perOp ? { perOp: opts.base.perOp } : {}),
        };
      }
      const filters = opts.filters && Object.values(opts.filters).some((v) => v) ? { filters: opts.filters } : {};
      const data = await client.request(
        'load',
        { bytes, ...(base ? { base } : {}), ...filters },
        {
          ...(own ? { transfer: [bytes.buffer as ArrayBuffer] } : {}),
          progress: (m) => (stage = m),
        },
      );
      return (loadedProfile = new LoadedProfile(name, uri.toString(), data, client));
    })();
    const timer = setTimeout(() => {
      if (done) return;
      void vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: opts.title ?? `pprof: loading ${name}`,
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => {
            cancelled = true;
            client.terminate('Loading the profile was cancelled.');
          });
          let shown = '';
          while (!done) {
            if (stage !== shown) progress.report({ message: (shown = stage) });
            await new Promise((r) => setTimeout(r, 100));
          }
        },
      );
    }, PROGRESS_DELAY_MS);
    try {
      return await work;
    } catch (e) {
      client.terminate();
      if (cancelled || (e instanceof WorkerRequestError && e.kind === 'cancelled')) throw new CancelledError();
      throw e;
    } finally {
      done = true;
      clearTimeout(timer);
    }
  }
}

/** A loaded profile's worker stopped: the overlays stay (the host holds them); the rest needs it again. */
async function offerReload(name: string, uri: vscode.Uri, why: string): Promise<void> {
  const reload = 'Reload Profile';
  const pick = await vscode.window.showErrorMessage(
    `pprof: ${why} The overlays of ${name} stay; reload it for the flame graph, callers and compare.`,
    reload,
  );
  if (pick === reload) await vscode.commands.executeCommand('pprofLens.openProfile', uri);
}

/**
 * The message to show for a failed load: ProfileError messages as they are, others explained. A bad
 * base blames the base; `outcome` then says what became of the profile itself ("x stays open
 * without a base"; default: it was not opened).
 */
export function loadErrorMessage(name: string, e: unknown, outcome = `${name} was not opened`): string {
  if (e instanceof WorkerRequestError && e.base !== undefined) return baseErrorMessage(e.base, e.message, outcome);
  if (e instanceof WorkerRequestError) return `Cannot open ${name}: ${e.message}`;
  if (e instanceof vscode.FileSystemError || (e instanceof Error && 'code' in e))
    return `Cannot read ${name}: ${(e as Error).message}`;
  return `Cannot open ${name}: ${e instanceof Error ? e.message : String(e)}`;
}
