/**
 * The host side of the decode worker, without vscode (unit-tested with a real worker thread): one
 * Worker per loaded profile, typed requests, progress callbacks, and cancel = terminate.
 */
import { Worker } from 'node:worker_threads';
import type { OpName, Ops, WorkerError, WorkerRequest, WorkerResponse } from './workerProtocol';

/** A failed request: the worker's {kind, message}, or kind "cancelled" / "worker-exit". */
export class WorkerRequestError extends Error {
  constructor(
    readonly kind: string,
    message: string,
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
}

export class WorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed: WorkerRequestError | undefined;

  constructor(o: WorkerClientOptions) {
    this.worker = new Worker(o.script, {
      ...(o.execArgv ? { execArgv: o.execArgv } : {}),
      ...(o.maxOldGenerationSizeMb ? { resourceLimits: { maxOldGenerationSizeMb: o.maxOldGenerationSizeMb } } : {}),
    });
    this.worker.on('message', (m: WorkerResponse) => this.onMessage(m));
    this.worker.on('error', e => this.fail(new WorkerRequestError('internal', `The profile worker failed: ${e.message}`)));
    this.worker.on('exit', code => {
      if (code !== 0 && !this.closed) {
        this.fail(new WorkerRequestError('worker-exit', `The profile worker stopped (exit code ${code}); the profile may be too large for its memory limit.`));
      }
    });
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
    else p.reject(new WorkerRequestError(m.error.kind, m.error.message));
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
        this.terminate(`${OP_LABEL[op]} took longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} and was stopped: the profile is too large for it. Filter it (pprof: Set Filters) or capture a shorter profile, then open it again.`, 'timeout');
      }, timeoutMs);
      const done = <T>(f: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        f(v);
      };
      this.pending.set(id, { resolve: done(resolve as (v: unknown) => void), reject: done(reject), ...(opts.progress ? { progress: opts.progress } : {}) });
      this.worker.postMessage({ id, op, args } as WorkerRequest, opts.transfer ?? []);
    });
  }

  /** Stops the worker; pending requests fail with kind "cancelled" (or the kind given). */
  terminate(reason = 'Cancelled.', kind = 'cancelled'): void {
    this.fail(new WorkerRequestError(kind, reason));
    void this.worker.terminate();
  }
}

/** How long each operation may take before the worker is stopped. */
export const REQUEST_TIMEOUT_MS: Record<OpName, number> = {
  load: 180_000,
  view: 180_000,
  flame: 60_000,
  top: 30_000,
  peek: 30_000,
  lineCallers: 30_000,
};

const OP_LABEL: Record<OpName, string> = {
  load: 'Loading the profile',
  view: 'Comparing or filtering the profile',
  flame: 'Building the flame graph',
  top: 'The top table',
  peek: 'Finding callers and callees',
  lineCallers: 'Finding the callers of a line',
};

export type { WorkerError };
