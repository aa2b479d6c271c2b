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
import type { CompareMode, FilterOptions, Ops, PerOpScale } from '../../worker/protocol';

/** A base to compare with and filters to apply while loading (see src/worker/protocol's load). */
export interface LoadOptions {
  /** name: shown instead of the file's name; perOp: per-operation profiles (benchmark A/B). */
  base?: { uri: vscode.Uri; mode: CompareMode; normalize?: boolean; name?: string; perOp?: PerOpScale };
  filters?: FilterOptions;
  /** The progress notification's title (default "pprof: loading <name>"). */
  title?: string;
}

/**
 * A new view of a loaded profile (see ProfileService.review): base undefined keeps the
 * comparison, null drops it; filters as they will be (all of them).
 */
export interface ReviewOptions {
  base?: { uri: vscode.Uri; mode: CompareMode; normalize?: boolean; name?: string } | null;
  filters: FilterOptions;
  /** The progress notification's title. */
  title: string;
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

/**
 * Runs work with a progress notification that shows only when it takes more than
 * PROGRESS_DELAY_MS, reports work's current stage and whose Cancel calls cancel.
 */
async function withDelayedProgress<T>(
  title: string,
  work: (setStage: (m: string) => void) => Promise<T>,
  cancel: () => void,
): Promise<T> {
  let stage = '';
  let done = false;
  const timer = setTimeout(() => {
    if (done) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(cancel);
        let shown = '';
        while (!done) {
          if (stage !== shown) progress.report({ message: (shown = stage) });
          await new Promise((r) => setTimeout(r, 100));
        }
      },
    );
  }, PROGRESS_DELAY_MS);
  try {
    return await work((m) => (stage = m));
  } finally {
    done = true;
    clearTimeout(timer);
  }
}

/** The views of each worker's profile the host still holds (most recent last), for ProfileService.review. */
const keptViews = new WeakMap<WorkerClient, LoadedProfile[]>();
const KEPT_VIEWS = 4;

function remember(p: LoadedProfile): LoadedProfile {
  const list = keptViews.get(p.worker) ?? [];
  const out = [...list.filter((x) => x !== p), p].slice(-KEPT_VIEWS);
  keptViews.set(p.worker, out);
  return p;
}

/** The same filters (unset and empty are the same). */
function sameFilters(a: FilterOptions, b: FilterOptions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof FilterOptions)[]);
  for (const k of keys) if ((a[k] || '') !== (b[k] || '')) return false;
  return true;
}

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
    let cancelled = false;
    const work = async (setStage: (m: string) => void) => {
      setStage('Reading the file…');
      const bytes = await readProfileFile(uri);
      if (cancelled) throw new CancelledError();
      // Transfer when the buffer is ours alone (a worker thread); a child process copies it anyway.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      let base;
      if (opts.base) {
        setStage('Reading the base profile…');
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
          progress: setStage,
        },
      );
      return (loadedProfile = remember(new LoadedProfile(name, uri.toString(), data, client)));
    };
    try {
      return await withDelayedProgress(opts.title ?? `pprof: loading ${name}`, work, () => {
        cancelled = true;
        client.terminate('Loading the profile was cancelled.');
      });
    } catch (e) {
      client.terminate();
      if (cancelled || (e instanceof WorkerRequestError && e.kind === 'cancelled')) throw new CancelledError();
      throw e;
    }
  }

  /**
   * A new view of a loaded profile (a base, filters) from the worker that holds it, which has the
   * decoded profile already: only a new base is read and decoded. A view the host and the worker
   * both still hold (clearing a filter, going back to the profile without its base) is switched to
   * (useView), not derived again. The progress notification (after 300 ms) has Cancel: the worker
   * finishes its step, then goes back to p's view, and this rejects with CancelledError at once.
   * On failure the worker keeps p's view. The result shares p's worker.
   */
  async review(p: LoadedProfile, opts: ReviewOptions): Promise<LoadedProfile> {
    const client = p.worker;
    const cur = p.data.view;
    if (opts.base !== undefined && opts.base !== null) return this.reviewWithBase(p, opts, opts.base);
    const baseId = opts.base === null ? 0 : (cur?.baseId ?? 0);
    const held = (keptViews.get(client) ?? []).find(
      (x) =>
        x.data.view?.id !== undefined &&
        (x.data.view.baseId ?? 0) === baseId &&
        sameFilters(x.data.view.filters, opts.filters),
    );
    if (held === p) return p;
    if (held && (await client.request('useView', { id: held.data.view!.id! }))) return remember(held);
    return this.requestView(p, opts.title, { ...(opts.base === null ? { base: null } : {}), filters: opts.filters });
  }

  private async reviewWithBase(
    p: LoadedProfile,
    opts: ReviewOptions,
    b: NonNullable<ReviewOptions['base']>,
  ): Promise<LoadedProfile> {
    const baseName = b.name ?? displayName(b.uri);
    let bytes;
    try {
      bytes = await readProfileFile(b.uri);
    } catch (e) {
      throw new WorkerRequestError('unreadable', readErrorReason(e), baseName);
    }
    return this.requestView(p, opts.title, {
      base: { bytes, name: baseName, mode: b.mode, normalize: !!b.normalize },
      filters: opts.filters,
    });
  }

  /** The worker's view op with a progress notification whose Cancel brings p's view back. */
  private async requestView(p: LoadedProfile, title: string, args: Ops['view']['args']): Promise<LoadedProfile> {
    let cancelled = false;
    let reject: (e: Error) => void = () => {};
    const aborted = new Promise<never>((_, r) => (reject = r));
    const work = (setStage: (m: string) => void) =>
      Promise.race([p.worker.request('view', args, { progress: setStage }), aborted]).then((data) =>
        remember(new LoadedProfile(p.name, p.source, data, p.worker)),
      );
    return withDelayedProgress(title, work, () => {
      if (cancelled) return;
      cancelled = true;
      reject(new CancelledError());
      // The worker finishes the view it computes (it cannot be interrupted), then goes back.
      const id = p.data.view?.id;
      if (id !== undefined) void p.worker.request('useView', { id }).catch(() => {});
    });
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
  if (e instanceof WorkerRequestError && e.base !== undefined)
    return baseErrorMessage(e.base, e.message, outcome, /\bthe open profile\b/.test(e.message) ? name : undefined);
  if (e instanceof WorkerRequestError) return `Cannot open ${name}: ${e.message}`;
  if (e instanceof vscode.FileSystemError || (e instanceof Error && 'code' in e))
    return `Cannot read ${name}: ${(e as Error).message}`;
  return `Cannot open ${name}: ${e instanceof Error ? e.message : String(e)}`;
}
