/**
 * The host side of the decode worker, without vscode (unit-tested with the real worker): one
 * worker per loaded profile, typed requests, progress callbacks, and cancel = terminate.
 *
 * Isolation: a worker thread shares the extension host's process, and V8 ends the whole process
 * on a fatal error in any isolate — "Reached heap limit" when one allocation (a growing array's
 * backing store) cannot fit, or "invalid array length/table size" — before `resourceLimits` can
 * stop the thread (reproduced with a 256 MB limit: rc 134, host gone). So the worker runs as a
 * child process by default (`isolation: 'process'`; IPC with V8 serialization, typed arrays kept,
 * transfers become copies; it costs one Node start-up, ~0.1 s of CPU, per profile opened): its
 * crash is an exit code here and a clear error, never the host's end. `isolation: 'thread'` runs it
 * as a worker thread (tests, benchmarks).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { OpName, Ops, WorkerError, WorkerRequest, WorkerResponse } from '../../worker/protocol';

/** A failed request: the worker's {kind, message}, or kind "cancelled" / "worker-exit". */
export class WorkerRequestError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    /** Set when the base profile of a comparison, not the profile itself, could not be read: its name. */
    readonly base?: string,
  ) {
    super(message);
    this.name = 'WorkerRequestError';
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  progress?: (message: string) => void;
}

export interface WorkerClientOptions {
  /** Path of the worker script (dist/worker.js, or worker.ts with execArgv ['--import', 'tsx']). */
  script: string;
  execArgv?: string[];
  /** Heap limit for the worker, in MB. */
  maxOldGenerationSizeMb?: number;
  /** 'process' (default): a child process (see the file comment). 'thread': a worker thread. */
  isolation?: 'thread' | 'process';
  /** Called once when the worker stops on its own (a crash, out of memory), not when terminated here. */
  onCrash?: (e: WorkerRequestError) => void;
}

/** What V8 and Node print when a process runs out of heap. */
const OOM = /heap limit|heap out of memory|Allocation failed|invalid (array|table) (length|size)/i;

/** What both kinds of worker offer the client. */
interface Port {
  post(msg: WorkerRequest, transfer: ArrayBuffer[]): void;
  terminate(): void;
}

export class WorkerClient {
  private readonly port: Port;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed: WorkerRequestError | undefined;

  constructor(o: WorkerClientOptions) {
    const onError = (e: Error) =>
      this.fail(new WorkerRequestError('internal', `The profile worker failed: ${e.message}`));
    /** The end of the child's stderr: V8 says there why it aborted. */
    let stderrTail = '';
    const onExit = (code: number | null, signal?: NodeJS.Signals | null) => {
      if ((code !== 0 || signal) && !this.closed) {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        const limit = o.maxOldGenerationSizeMb ? ` (${o.maxOldGenerationSizeMb} MB, pprofLens.worker.maxMemoryMB)` : '';
        const e = new WorkerRequestError(
          'worker-exit',
          OOM.test(stderrTail)
            ? `The profile worker ran out of memory${limit} and stopped; the rest of VS Code is not affected. Filter the profile or capture a shorter one, then open it again.`
            : `The profile worker stopped (${how}); the profile may be too large for its memory limit.`,
        );
        this.fail(e);
        o.onCrash?.(e);
      }
    };
    if (o.isolation !== 'thread') {
      const child: ChildProcess = fork(o.script, [], {
        execArgv: [
          ...(o.execArgv ?? []),
          ...(o.maxOldGenerationSizeMb ? [`--max-old-space-size=${o.maxOldGenerationSizeMb}`] : []),
        ],
        serialization: 'advanced',
        // In VS Code desktop process.execPath is Electron: run it as Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (d: string) => (stderrTail = (stderrTail + d).slice(-4096)));
      child.on('message', (m) => this.onMessage(m as WorkerResponse));
      child.on('error', onError);
      child.on('close', onExit);
      this.port = {
        post: (msg) => {
          if (child.connected) child.send(msg);
        },
        terminate: () => void child.kill('SIGKILL'),
      };
    } else {
      const worker = new Worker(o.script, {
        ...(o.execArgv ? { execArgv: o.execArgv } : {}),
        ...(o.maxOldGenerationSizeMb ? { resourceLimits: { maxOldGenerationSizeMb: o.maxOldGenerationSizeMb } } : {}),
      });
      worker.on('message', (m: WorkerResponse) => this.onMessage(m));
      worker.on('error', onError);
      worker.on('exit', (code) => onExit(code));
      this.port = {
        post: (msg, transfer) => worker.postMessage(msg, transfer),
        terminate: () => void worker.terminate(),
      };
    }
  }

  private onMessage(m: WorkerResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      p.progress?.(m.message);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.result);
    else p.reject(new WorkerRequestError(m.error.kind, m.error.message, m.error.base));
  }

  private fail(e: WorkerRequestError): void {
    if (!this.closed) this.closed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /**
   * Sends a request. Every request is time-bounded (opts.timeoutMs, default per operation in
   * REQUEST_TIMEOUT_MS): the worker computes synchronously, so the only way to stop it is to
   * terminate it; the request then fails with kind "timeout" and the profile must be opened again.
   */
  request<K extends OpName>(
    op: K,
    args: Ops[K]['args'],
    opts: { transfer?: ArrayBuffer[]; progress?: (m: string) => void; timeoutMs?: number } = {},
  ): Promise<Ops[K]['result']> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS[op];
    return new Promise<Ops[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        this.terminate(
          `${OP_LABEL[op]} took longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} and was stopped: the profile is too large for it. Filter it (pprof: Set Filters) or capture a shorter profile, then open it again.`,
          'timeout',
        );
      }, timeoutMs);
      const done =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          f(v);
        };
      this.pending.set(id, {
        resolve: done(resolve as (v: unknown) => void),
        reject: done(reject),
        ...(opts.progress ? { progress: opts.progress } : {}),
      });
      this.port.post({ id, op, args } as WorkerRequest, opts.transfer ?? []);
    });
  }

  /** Stops the worker; pending requests fail with kind "cancelled" (or the kind given). */
  terminate(reason = 'Cancelled.', kind = 'cancelled'): void {
    this.fail(new WorkerRequestError(kind, reason));
    this.port.terminate();
  }
}

/** How long each operation may take before the worker is stopped. */
export const REQUEST_TIMEOUT_MS: Record<OpName, number> = {
  load: 180_000,
  view: 180_000,
  useView: 30_000,
  flame: 60_000,
  filteredFlame: 60_000,
  top: 30_000,
  peek: 30_000,
  lineCallers: 30_000,
  lineFunctions: 30_000,
  workspaceNote: 30_000,
  lineCauses: 30_000,
  report: 60_000,
  labels: 30_000,
  search: 60_000,
  sandwich: 60_000,
  goroutines: 60_000,
};

const OP_LABEL: Record<OpName, string> = {
  load: 'Loading the profile',
  view: 'Comparing or filtering the profile',
  useView: 'Going back to a view of the profile',
  flame: 'Building the flame graph',
  filteredFlame: 'Filtering the flame graph',
  top: 'The top table',
  peek: 'Finding callers and callees',
  lineCallers: 'Finding the callers of a line',
  lineFunctions: 'Line functions',
  workspaceNote: 'Workspace note',
  lineCauses: 'Finding what each line allocates',
  report: 'The report',
  labels: 'The labels report',
  search: 'Searching the flame graph',
  sandwich: 'Building the callers and callees of a function',
  goroutines: 'Grouping the goroutines',
};

export type { WorkerError };
