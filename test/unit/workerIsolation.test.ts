/**
 * The profile worker runs in a child process by default (src/vscode/profile/workerClient.ts): a crash
 * there (V8 out of heap, a kill) is a clear error for the pending requests and one onCrash call,
 * never the end of the extension host; terminating it on purpose is no crash. The real worker
 * bundle answers over IPC with its typed columns intact.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { WorkerClient, WorkerRequestError } from '../../src/vscode/profile/workerClient';
import { ProfileOps } from '../../src/worker/ops';

describe('worker isolation (child process by default)', function () {
  this.timeout(60_000);
  let dir = '';
  let script = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-isolation-'));
    script = path.join(dir, 'worker.js');
    buildSync({
      entryPoints: [path.resolve(__dirname, '../../src/worker/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: script,
      logLevel: 'silent',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the real worker in a child process: a load and a top table over IPC', async () => {
    const c = new WorkerClient({ script });
    try {
      const bytes = new Uint8Array(
        readFileSync(path.resolve(__dirname, '../integration/overlays/fixture/profiles/cpu.pb.gz')),
      );
      const a = await c.request('load', { bytes }, { transfer: [bytes.buffer as ArrayBuffer] });
      assert.ok(a.lineFlat instanceof Float64Array && a.lineNo.length > 0, 'typed columns survive IPC');
      const top = await c.request('top', { sampleIndex: a.defaultIndex, limit: 3 });
      assert.equal(top.total, a.totals[a.defaultIndex]);
    } finally {
      c.terminate();
    }
  });

  // worker/main.ts builds the shown type's inverted tree and its heaviest function's sandwich
  // ahead, a slice at a time, once the panel has its trees; requests meanwhile (for what is being
  // built, for another type) are answered between slices, each as a fresh build answers it.
  it('answers the Inverted toggle, a switch and the sandwich as built directly, while it builds them ahead', async () => {
    const bytes = readFileSync(path.resolve(__dirname, '../fixtures/profiles/heap.pb.gz'));
    const direct = ProfileOps.load({ bytes: new Uint8Array(bytes) }).ops;
    const c = new WorkerClient({ script });
    try {
      const a = await c.request('load', { bytes: new Uint8Array(bytes) });
      const si = a.defaultIndex;
      await c.request('flame', { sampleIndex: si, firstPaint: true });
      await c.request('flame', { sampleIndex: si });
      const func = direct.flame({ sampleIndex: si }).top.name[0]!;
      for (const wait of [0, 30, 400]) {
        await new Promise((r) => setTimeout(r, wait));
        const [inv, other, sw] = await Promise.all([
          c.request('flame', { sampleIndex: si, reverse: true }),
          c.request('flame', { sampleIndex: (si + 1) % a.sampleTypes.length, firstPaint: true }),
          c.request('sandwich', { sampleIndex: si, func }),
        ]);
        assert.deepEqual(inv, direct.flame({ sampleIndex: si, reverse: true }), `inverted after ${wait} ms`);
        assert.deepEqual(
          other,
          direct.flame({ sampleIndex: (si + 1) % a.sampleTypes.length, firstPaint: true }),
          `switch after ${wait} ms`,
        );
        assert.deepEqual(sw, direct.sandwich({ sampleIndex: si, func }), `sandwich after ${wait} ms`);
      }
    } finally {
      c.terminate();
    }
  });

  it('a killed worker (what the OOM killer does) fails the pending request and calls onCrash once', async () => {
    const hang = path.join(dir, 'hang.js');
    writeFileSync(hang, "process.on('message', () => { process.kill(process.pid, 'SIGKILL'); });\n");
    const crashes: string[] = [];
    const c = new WorkerClient({ script: hang, onCrash: (e) => crashes.push(e.message) });
    await assert.rejects(c.request('top', { sampleIndex: 0, limit: 1 }), (e: Error) => {
      assert.ok(e instanceof WorkerRequestError && e.kind === 'worker-exit');
      assert.equal(
        e.message,
        'The profile worker stopped (signal SIGKILL); the profile may be too large for its memory limit.',
      );
      return true;
    });
    assert.deepEqual(crashes, [
      'The profile worker stopped (signal SIGKILL); the profile may be too large for its memory limit.',
    ]);
  });

  it('terminating a worker on purpose (a profile closed, Cancel) is no crash', async () => {
    const crashes: string[] = [];
    const c = new WorkerClient({ script, onCrash: (e) => crashes.push(e.message) });
    const pending = c.request('top', { sampleIndex: 0, limit: 1 });
    c.terminate('The profile was closed.');
    await assert.rejects(pending, /The profile was closed\./);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(crashes, []);
  });
});
