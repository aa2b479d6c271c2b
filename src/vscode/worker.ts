/**
 * The decode worker (bundled to dist/worker.js): holds one profile off the extension host's main
 * thread. Requests and answers follow workerProtocol.ts; every failure is answered as {kind, message}.
 */
import { parentPort } from 'node:worker_threads';
import { ProfileOps, toWorkerError, transferList } from './workerOps';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

let ops: ProfileOps | undefined;
let prewarm: ReturnType<typeof setTimeout> | undefined;

/**
 * Once a view is loaded and the worker is idle, the default sample type's flame tree is built
 * ahead of the panel, so that opening the flame graph is a copy, not a build.
 */
function schedulePrewarm(sampleIndex: number): void {
  clearTimeout(prewarm);
  prewarm = setTimeout(() => ops?.prewarmFlame(sampleIndex), 150);
}

function post(msg: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

function handle(req: WorkerRequest): void {
  try {
    if (req.op === 'load') {
      const r = ProfileOps.load(req.args, message => post({ id: req.id, type: 'progress', message }));
      ops = r.ops;
      const si = r.packed.defaultIndex;
      post({ id: req.id, type: 'result', result: r.packed }, transferList(r.packed));
      schedulePrewarm(si);
      return;
    }
    if (!ops) {
      post({ id: req.id, type: 'error', error: { kind: 'no-profile', message: 'No profile is loaded.' } });
      return;
    }
    switch (req.op) {
      case 'view': {
        const r = ops.view(req.args, message => post({ id: req.id, type: 'progress', message }));
        ops = r.ops;
        const si = r.packed.defaultIndex;
        post({ id: req.id, type: 'result', result: r.packed }, transferList(r.packed));
        schedulePrewarm(si);
        return;
      }
      case 'top':
        post({ id: req.id, type: 'result', result: ops.top(req.args) });
        return;
      case 'peek':
        post({ id: req.id, type: 'result', result: ops.peek(req.args) });
        return;
      case 'lineCallers':
        post({ id: req.id, type: 'result', result: ops.lineCallers(req.args) });
        return;
      case 'flame':
        // Typed columns are copied as binary (the worker keeps its cached tree for the next switch).
        post({ id: req.id, type: 'result', result: ops.flame(req.args) });
        return;
      default: {
        const never: never = req;
        post({ id: (never as { id: number }).id, type: 'error', error: { kind: 'internal', message: 'unknown request' } });
      }
    }
  } catch (e) {
    post({ id: req.id, type: 'error', error: toWorkerError(e) });
  }
}

parentPort?.on('message', (req: WorkerRequest) => handle(req));
