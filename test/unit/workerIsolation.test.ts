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
