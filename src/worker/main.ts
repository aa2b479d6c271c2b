/**
 * The decode worker (bundled to dist/worker.js): holds one profile off the extension host's main
 * thread. Requests and answers follow protocol.ts; every failure is answered as {kind, message}.
 * It runs as a child process (WorkerClient's default; messages over IPC with V8 serialization): a
 * V8 fatal error there ends only it. Tests may run it as a worker thread (`isolation: 'thread'`).
 */
import { parentPort } from 'node:worker_threads';
import { compareGoroutines, readGoroutineSnapshot } from '../core/goroutines';
import { defaultSampleIndex } from '../core/model';
import { ProfileOps, toWorkerError, transferList } from './ops';
import { PrewarmQueue } from './prewarm';
import type { WorkerRequest, WorkerResponse } from './protocol';

let ops: ProfileOps | undefined;
let prewarm: ReturnType<typeof setTimeout> | undefined;
/** When the last request came (ms), and whether the panel has asked for a flame tree yet. */
let lastRequest = 0;
let flameAsked = false;
/**
 * The inverted tree (one task that a request must wait for: ~0.3 s of CPU on 700k samples, 1.5 s
 * when it was built from the samples) waits for this much quiet after the last request. The panel
 * asks for its trees when its command runs, a second before its webview can paint them
 * (bench:webview): with 1.5 s, the inverted build began about when the graph appeared, and a
 * first sample-type switch waited for it.
 */
const INVERTED_QUIET_MS = 5000;

/** The trees still to build ahead of the panel (PrewarmQueue: one tree per task). */
let queue: PrewarmQueue | undefined;

/**
 * Once a view is loaded and the worker is idle, the flame trees are built ahead of the panel in
 * PrewarmQueue's order, one tree per task with a pause between tasks so requests run in between,
 * then the default type's inverted tree and the sandwich of its heaviest function: the panel's
 * first paint, a first switch, the Inverted toggle and that sandwich are then a copy, not a build
 * (and the level walks of every other sandwich are compiled). The last two are long tasks, so each
 * is built only once the panel is open and the worker has been left alone for INVERTED_QUIET_MS:
 * they never delay the first paint or a request the user is waiting for.
 */
function schedulePrewarm(sampleIndex: number, types: number): void {
  clearTimeout(prewarm);
  const q = (queue = new PrewarmQueue(sampleIndex, types));
  const current = ops;
  // After the trees, long tasks that wait for quiet: the inverted tree, the sandwich, then the
  // compile of the focus and collapse code (core/warmUp).
  const last = ['inverted', 'sandwich', 'transforms'];
  const next = (first: boolean) => {
    if (ops !== current) return;
    const quietTask = q.size === 0 ? last[0] : undefined;
    if (q.size === 0 && !quietTask) return;
    prewarm = setTimeout(
      () => {
        if (ops !== current) return;
        if (quietTask) {
          const quiet = Date.now() - lastRequest;
          if (!flameAsked || quiet < INVERTED_QUIET_MS) {
            next(false); // not yet: look again later
            return;
          }
          last.shift();
          // The default sample type's inverted tree (the Inverted toggle's first time), then the
          // sandwich of its heaviest function (the top table's first row, the hottest CodeLens).
          if (quietTask === 'inverted') current?.prewarmInverted(sampleIndex);
          else if (quietTask === 'sandwich') current?.prewarmSandwich(sampleIndex);
          else current?.prewarmTransforms();
          next(false);
          return;
        }
        const t = q.next()!;
        current?.prewarmFlame(t.sampleIndex, t.firstPaint);
        next(false);
      },
      first ? 150 : quietTask ? INVERTED_QUIET_MS : 20,
    );
  };
  next(true);
}

function post(msg: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  if (parentPort) parentPort.postMessage(msg, transfer);
  else process.send?.(msg);
}

function handle(req: WorkerRequest): void {
  lastRequest = Date.now();
  if (req.op === 'flame') {
    flameAsked = true;
    if (!req.args.reverse && !req.args.tagRoot?.length && !req.args.collapse?.length)
      queue?.front(req.args.sampleIndex);
  }
  try {
    if (req.op === 'load') {
      const r = ProfileOps.load(req.args, (message) => post({ id: req.id, type: 'progress', message }));
      ops = r.ops;
      ops.state?.views?.keep(ops);
      const si = r.packed.defaultIndex;
      post({ id: req.id, type: 'result', result: r.packed }, transferList(r.packed));
      schedulePrewarm(si, r.packed.sampleTypes.length);
      return;
    }
    if (req.op === 'goroutines') {
      const snapshot = readGoroutineSnapshot(req.args.bytes);
      const comparison = req.args.base ? compareGoroutines(readGoroutineSnapshot(req.args.base), snapshot) : undefined;
      post({ id: req.id, type: 'result', result: { snapshot, ...(comparison ? { comparison } : {}) } });
      return;
    }
    if (!ops) {
      post({ id: req.id, type: 'error', error: { kind: 'no-profile', message: 'No profile is loaded.' } });
      return;
    }
    switch (req.op) {
      case 'view': {
        const r = ops.review(req.args, (message) => post({ id: req.id, type: 'progress', message }));
        r.ops.state?.views?.keep(r.ops, ops);
        ops = r.ops;
        const si = r.packed.defaultIndex;
        post({ id: req.id, type: 'result', result: r.packed }, transferList(r.packed));
        schedulePrewarm(si, r.packed.sampleTypes.length);
        return;
      }
      case 'useView': {
        const kept = ops.state?.views?.get(req.args.id);
        if (kept && kept !== ops) {
          kept.state?.views?.keep(kept, ops);
          ops = kept;
          schedulePrewarm(defaultSampleIndex(kept.profile), kept.profile.sampleTypes.length);
        }
        post({ id: req.id, type: 'result', result: kept !== undefined });
        return;
      }
      case 'top':
        post({ id: req.id, type: 'result', result: ops.top(req.args) });
        return;
      case 'peek':
        post({ id: req.id, type: 'result', result: ops.peek(req.args) });
        return;
      case 'report':
        post({ id: req.id, type: 'result', result: ops.report(req.args) });
        return;
      case 'lineCallers':
        post({ id: req.id, type: 'result', result: ops.lineCallers(req.args) });
        return;
      case 'lineFunctions':
        post({ id: req.id, type: 'result', result: ops.lineFunctions(req.args) });
        return;
      case 'workspaceNote':
        post({ id: req.id, type: 'result', result: ops.workspaceNote(req.args) });
        return;
      case 'lineCauses':
        post({ id: req.id, type: 'result', result: ops.lineCauses(req.args) });
        return;
      case 'labels':
        post({ id: req.id, type: 'result', result: ops.labels(req.args) });
        return;
      case 'search': {
        const r = ops.search(req.args);
        post({ id: req.id, type: 'result', result: r }, [r.nameHit.buffer as ArrayBuffer]);
        return;
      }
      case 'flame':
        // Typed columns are copied as binary (the worker keeps its cached tree for the next switch).
        post({ id: req.id, type: 'result', result: ops.flame(req.args) });
        return;
      case 'filteredFlame':
        post({ id: req.id, type: 'result', result: ops.filteredFlame(req.args) });
        return;
      case 'sandwich':
        post({ id: req.id, type: 'result', result: ops.sandwich(req.args) });
        return;
      default: {
        const never: never = req;
        post({
          id: (never as { id: number }).id,
          type: 'error',
          error: { kind: 'internal', message: 'unknown request' },
        });
      }
    }
  } catch (e) {
    post({ id: req.id, type: 'error', error: toWorkerError(e) });
  }
}

if (parentPort) parentPort.on('message', (req: WorkerRequest) => handle(req));
else if (process.send) {
  process.on('message', (req: WorkerRequest) => handle(req));
  process.on('disconnect', () => process.exit(0)); // the host is gone
}
