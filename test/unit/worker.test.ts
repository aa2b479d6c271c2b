/**
 * The decode worker through a real worker_threads Worker (src/worker/main.ts bundled by esbuild):
 * load transfers packed annotations whose sums match -list, queries answer, bad input comes
 * back as {kind, message}, and terminate cancels a load in flight.
 */
import { buildWorkerScript } from './helpers/workerScript';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WorkerClient, WorkerRequestError } from '../../src/vscode/profile/workerClient';
import { ProfileOps } from '../../src/worker/ops';
import { listFiles, listRows } from './helpers/golden';
import { sharedPath } from './helpers/shared';

// The worker bundled as esbuild.mjs bundles it for the extension (dist/worker.js).
let script = '';
before(() => {
  script = buildWorkerScript('pprof-lens-worker-');
});
const sampleCpu = () => readFileSync(sharedPath('pprof-testdata/internal/report/testdata/sample.cpu'));
const SAMPLE_GO =
  '/usr/local/google/home/sanjay/go/src/github.com/google/pprof/internal/report/testdata/sample/sample.go';

/** A worker thread: these tests check transfers (the extension's child process copies; workerIsolation.test.ts). */
function client() {
  return new WorkerClient({ script, isolation: 'thread' });
}

describe('worker: decode and annotate off the main thread', function () {
  this.timeout(60_000);
  let c: WorkerClient;
  afterEach(() => c?.terminate());

  it('loads a real CPU profile and transfers column-wise annotations', async () => {
    c = client();
    const bytes = new Uint8Array(sampleCpu());
    const progress: string[] = [];
    const a = await c.request(
      'load',
      { bytes },
      { transfer: [bytes.buffer as ArrayBuffer], progress: (m) => progress.push(m) },
    );
    assert.equal(bytes.byteLength, 0, 'the input buffer was transferred, not copied');
    assert.deepEqual(
      a.sampleTypes.map((t) => t.type),
      ['samples', 'cpu'],
    );
    assert.equal(a.defaultIndex, 1);
    assert.ok(a.lineFlat instanceof Float64Array && a.lineNo instanceof Uint32Array);
    assert.deepEqual(progress, ['Decoding the profile…', 'Computing per-line costs…']);
    // -list main.busyLoop: 150ms flat, 1.76s cum over the function; Total 1.76s (go1.19 oracle).
    assert.equal(a.totals[1], 1.76e9);
    const f = a.files.indexOf(SAMPLE_GO);
    assert.ok(f >= 0, a.files.join('\n'));
    const T = a.sampleTypes.length;
    const fn = [...Array(a.fileFuncStart[f + 1]! - a.fileFuncStart[f]!).keys()].map((i) => a.fileFuncStart[f]! + i);
    const busy = fn.find((i) => a.funcName[i] === 'main.busyLoop')!;
    assert.equal(a.funcFlat[busy * T + 1], 150e6);
    assert.equal(a.funcCum[busy * T + 1], 1.76e9);
    assert.equal(a.funcFlat[busy * T + 0], 15);
    // Line flats of the file add up to the function's flat (main.main has none).
    let flat = 0;
    for (let i = a.fileLineStart[f]!; i < a.fileLineStart[f + 1]!; i++) flat += a.lineFlat[i * T + 1]!;
    assert.equal(flat, 150e6);
    assert.equal(a.summary.sampleCount, 76);
  });

  it('answers top, peek and line callers', async () => {
    c = client();
    const bytes = new Uint8Array(sampleCpu());
    const a = await c.request('load', { bytes });
    const top = await c.request('top', { sampleIndex: 1, limit: 3 });
    assert.equal(top.rows[0]!.name, 'runtime.mapiternext');
    assert.equal(top.rows[0]!.flat, 1.28e9);
    const peek = await c.request('peek', { sampleIndex: 1, func: 'runtime.mapiternext' });
    assert.deepEqual(
      peek.callers.map((e) => e.name),
      ['main.busyLoop'],
    );
    assert.equal(peek.cum, 1.37e9);
    // The sandwich of the same function: its pivot holds -peek's cum; its callers tree, -peek's callers.
    const sw = await c.request('sandwich', { sampleIndex: 1, func: 'runtime.mapiternext' });
    assert.equal(sw.cum, 1.37e9);
    assert.equal(sw.callees.total[1], 1.37e9);
    assert.equal(sw.callers.names[sw.callers.nodeName[2]!], 'main.busyLoop');
    assert.equal(sw.callers.reportTotal, top.total);
    // The inverted tree: the root's heaviest child is the heaviest leaf function.
    const inv = await c.request('flame', { sampleIndex: 1, reverse: true });
    assert.equal(inv.flame.names[inv.flame.nodeName[1]!], 'runtime.mapiternext');
    assert.equal(inv.flame.total[1], 1.28e9); // its flat: the samples that end in it
    // The line in main.busyLoop calling mapiternext: its caller is main.main.
    const T = a.sampleTypes.length;
    const f = a.files.indexOf(SAMPLE_GO);
    let hottest = -1;
    for (let i = a.fileLineStart[f]!; i < a.fileLineStart[f + 1]!; i++) {
      if (hottest < 0 || (a.lineCum[i * T + 1]! > a.lineCum[hottest * T + 1]! && a.lineNo[i] !== a.lineNo[hottest])) {
        if (a.lineCum[i * T + 1]! < 1.76e9) hottest = i;
      }
    }
    const callers = await c.request('lineCallers', {
      sampleIndex: 1,
      file: SAMPLE_GO,
      line: a.lineNo[hottest]!,
      limit: 5,
    });
    assert.equal(callers.length, 1);
    assert.equal(callers[0]!.name, 'main.main');
    assert.equal(callers[0]!.file, SAMPLE_GO);
    assert.equal(callers[0]!.weight, a.lineCum[hottest * T + 1]);
  });

  it('returns bad input as {kind, message}, and stays usable', async () => {
    c = client();
    await assert.rejects(c.request('load', { bytes: new Uint8Array(0) }), (e: WorkerRequestError) => {
      assert.equal(e.kind, 'empty');
      assert.match(e.message, /empty/);
      return true;
    });
    await assert.rejects(
      c.request('load', { bytes: Uint8Array.of(0x1f, 0x8b, 8, 0, 0) }),
      (e: WorkerRequestError) => e.kind === 'gzip',
    );
    await assert.rejects(
      c.request('top', { sampleIndex: 0, limit: 1 }),
      (e: WorkerRequestError) => e.kind === 'no-profile',
    );
    await c.request('load', { bytes: new Uint8Array(sampleCpu()) });
    await assert.rejects(
      c.request('peek', { sampleIndex: 1, func: 'no.such' }),
      (e: WorkerRequestError) => e.kind === 'no-match',
    );
  });

  it('cancels by terminating the worker', async () => {
    c = client();
    const p = c.request('load', { bytes: new Uint8Array(sampleCpu()) });
    c.terminate('Cancelled by the user.');
    await assert.rejects(p, (e: WorkerRequestError) => e.kind === 'cancelled' && /user/.test(e.message));
    await assert.rejects(
      c.request('top', { sampleIndex: 0, limit: 1 }),
      (e: WorkerRequestError) => e.kind === 'cancelled',
    );
  });

  it('bounds every request in time: past it the worker is stopped and the request fails with a message', async () => {
    c = client();
    const t = Date.now();
    await assert.rejects(
      c.request('load', { bytes: new Uint8Array(sampleCpu()) }, { timeoutMs: 5 }),
      (e: WorkerRequestError) => {
        assert.equal(e.kind, 'timeout');
        assert.match(
          e.message,
          /^Loading the profile took longer than 5 ms and was stopped: the profile is too large for it\. Filter it/,
        );
        return true;
      },
    );
    assert.ok(Date.now() - t < 2000);
    await assert.rejects(
      c.request('top', { sampleIndex: 0, limit: 1 }),
      (e: WorkerRequestError) => e.kind === 'timeout',
    );
  });

  it('a request that answers in time clears its timer', async () => {
    c = client();
    await c.request('load', { bytes: new Uint8Array(sampleCpu()) }, { timeoutMs: 30_000 });
    const r = await c.request('top', { sampleIndex: 0, limit: 1 }, { timeoutMs: 30_000 });
    assert.equal(r.rows.length, 1);
  });
});

describe('worker: ProfileOps on the main thread', () => {
  it('returns no callers for a line without samples', () => {
    const { ops } = ProfileOps.load({ bytes: new Uint8Array(sampleCpu()) });
    const callers = ops.lineCallers({
      sampleIndex: 0,
      file: '/usr/lib/google-golang/src/runtime/hashmap.go',
      line: 99999,
      limit: 5,
    });
    assert.deepEqual(callers, []);
  });
});

describe('worker: overlay labels equal go tool pprof -list (real Go fixture built under /tmp/gopher)', () => {
  const fx = path.resolve(__dirname, '../integration/overlays/fixture');
  const ws = path.join(fx, 'go');
  const cases = [
    { profile: 'cpu.pb.gz', sampleType: 'cpu', golden: 'cpu.cpu.list.txt' },
    { profile: 'heap.pb.gz', sampleType: 'inuse_space', golden: 'heap.inuse_space.list.txt' },
    { profile: 'heap.pb.gz', sampleType: 'alloc_space', golden: 'heap.alloc_space.list.txt' },
  ];
  for (const c of cases) {
    it(`${c.profile} ${c.sampleType}: every -list line with a value, and only those`, async () => {
      const { PathResolver } = await import('../../src/core/paths');
      const { lineLabels } = await import('../../src/core/heat');
      const { packed: a } = ProfileOps.load({
        bytes: new Uint8Array(readFileSync(path.join(fx, 'profiles', c.profile))),
      });
      const t = a.sampleTypes.findIndex((x) => x.type === c.sampleType);
      const T = a.sampleTypes.length;
      const resolver = new PathResolver({
        roots: [ws],
        modules: [{ path: 'example.com/lens', root: ws }],
        exists: (f) => f.startsWith(ws) && existsSync(f),
      });
      const goldenPath = path.join(fx, 'golden', c.golden);
      const files = listFiles(goldenPath);
      assert.ok(files.length > 0);
      for (const file of files) {
        const r = resolver.resolve(file);
        assert.equal(r.method, 'module', file);
        assert.equal(r.localPath, path.join(ws, path.basename(file)));
        const f = a.files.indexOf(file);
        const lines: { line: number; flat: number; cum: number }[] = [];
        for (let i = a.fileLineStart[f]!; i < a.fileLineStart[f + 1]!; i++) {
          const flat = a.lineFlat[i * T + t]!;
          const cum = a.lineCum[i * T + t]!;
          if (flat !== 0 || cum !== 0) lines.push({ line: a.lineNo[i]!, flat, cum });
        }
        const labels = lineLabels(lines, a.sampleTypes[t]!.unit, a.totals[t]!, { show: 'both', percentages: false });
        const got = new Map(lines.map((l, i) => [l.line, labels[i]!.trim().split(/\s+/) as [string, string]]));
        // (listRows prints -list's "0" flat of a line with cum as the overlay's ".".)
        assert.deepEqual(got, listRows(goldenPath, path.basename(file)), `${file} (${c.sampleType})`);
      }
    });
  }
});
