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
/** schedulePrewarm's latest call: an older chain of prewarm steps stops at its next step. */
let generation = 0;
/** When the last request came (ms), and whether the panel has asked for a flame tree yet. */
let lastRequest = 0;
let flameAsked = false;
/** The sample type of the panel's latest top-down flame tree (undefined: none asked yet). */
let shownIndex: number | undefined;
/**
 * The inverted tree and the sandwich of the heaviest function are built ahead a slice at a time
 * (ProfileOps.beginPrewarm), as soon as the panel is open and the shown type's flame trees are
 * built: each slice runs for SLICE_MS, then lets waiting requests in. So the Inverted toggle and
 * that sandwich are copies from well under a second after the graph appears, and a request
 * meanwhile (a first sample-type switch) waits for one slice, not for a build of ~0.1-0.3 s of CPU.
 */
const SLICE_MS = 8;
/**
 * The compile of the focus and collapse code on a made-up trie (core/warmUp, ~50-100 ms of CPU in
 * one task) waits for this much quiet.
 */
const WARM_QUIET_MS = 5000;

/** Set while the builds ahead wait for a panel: the first flame request calls it. */
let resumeAhead: (() => void) | undefined;

/** The trees still to build ahead of the panel (PrewarmQueue: one tree per task). */
let queue: PrewarmQueue | undefined;

/**
 * Once a view is loaded and the worker is idle, the flame trees are built ahead of the panel in
 * PrewarmQueue's order, one tree per task with a pause between tasks so requests run in between;
 * once the panel is open and the shown type's trees are built, its inverted tree and the
 * sandwich of its heaviest function come next, a slice at a time (the panel's first paint, a
 * first switch, the Inverted toggle and that sandwich are then a copy, not a build, and the level
 * walks of every other sandwich are compiled); last, after a longer quiet, the compile of the
 * focus and collapse code.
 */
function schedulePrewarm(sampleIndex: number, types: number): void {
  clearTimeout(prewarm);
  resumeAhead = undefined;
  const gen = ++generation;
  const q = (queue = new PrewarmQueue(sampleIndex, types));
  const current = ops;
  const live = () => gen === generation && ops === current;
  const ahead: ('inverted' | 'sandwich')[] = ['inverted', 'sandwich'];
  let building = false;
  let warmed = false;
  const later = (f: () => void, ms: number) => {
    prewarm = setTimeout(() => {
      if (live()) f();
    }, ms);
  };
  const next = () => {
    // Nothing is built ahead while an answer is being written.
    if (sending > 0) return later(next, 4);
    if (building) {
      // One slice, then the event loop (requests waiting are answered), then the next.
      if (current?.prewarmStep(SLICE_MS)) building = false;
      setImmediate(() => {
        if (live()) next();
      });
      return;
    }
    // The type on screen (the panel's latest flame tree), else the default one: once its trees
    // are built, its inverted tree and its heaviest function's sandwich come before the others'.
    const shown = shownIndex ?? sampleIndex;
    if (ahead.length > 0 && flameAsked && !q.has(shown)) {
      current?.beginPrewarm(ahead.shift()!, shown);
      building = true;
      return next();
    }
    if (q.size > 0) {
      const t = q.next()!;
      current?.prewarmFlame(t.sampleIndex, t.firstPaint);
      later(next, 20);
      return;
    }
    // No panel yet: the panel's first flame request resumes (no timer meanwhile).
    if (ahead.length > 0) {
      resumeAhead = () => later(next, 0);
      return;
    }
    if (warmed) return;
    const quiet = Date.now() - lastRequest;
    if (quiet < WARM_QUIET_MS) return later(next, Math.max(50, WARM_QUIET_MS - quiet));
    warmed = true;
    current?.prewarmTransforms();
  };
  later(next, 150);
}

/**
 * Answers being written to the host (a child process's IPC writes a large answer, a tree of
 * megabytes, a pipe buffer at a time as the event loop comes round): builds ahead wait for them,
 * or a slice or a tree built between two writes would hold each part back (an Inverted answer
 * took 315-395 ms instead of 145-180 while the sandwich was built ahead in slices).
 */
let sending = 0;

function post(msg: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  if (parentPort) parentPort.postMessage(msg, transfer);
  else if (process.send) {
    sending++;
    process.send(msg, undefined, undefined, () => sending--);
  }
}

function handle(req: WorkerRequest): void {
  lastRequest = Date.now();
  if (req.op === 'flame') {
    flameAsked = true;
    if (!req.args.reverse) shownIndex = req.args.sampleIndex;
    // (after this request: it is answered first)
    const resume = resumeAhead;
    resumeAhead = undefined;
    resume?.();
    if (!req.args.reverse && !req.args.tagRoot?.length && !req.args.collapse?.length)
      queue?.front(req.args.sampleIndex);
  }
  try {
    if (req.op === 'load') {
      shownIndex = undefined;
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
