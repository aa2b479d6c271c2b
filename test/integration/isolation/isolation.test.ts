/**
 * Worker crash isolation and cancellable views in a real VS Code (code-server): every opened
 * profile is decoded in its own child process (src/vscode/profile/workerClient.ts). A compare is
 * derived in that worker (only the base is decoded); cancelled from its progress notification, it
 * leaves the previous view and its worker as they were; a killed
 * worker (what the kernel's OOM killer does) gives a notification with "Reload Profile", which
 * brings a new worker with the same values as `go tool pprof -list`; a real V8 out-of-memory (a
 * 10 MB profile under pprofLens.worker.maxMemoryMB = 8) ends as a clear message. The extension
 * host lives on throughout.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateProfile } from '../../../bench/generate';
import { listRows } from '../harness/golden';
import { launch, REPO_ROOT, type VSCode } from '../harness/vscode';

const fixture = path.join(REPO_ROOT, 'test', 'integration', 'overlays', 'fixture');
const workerScript = path.join(REPO_ROOT, 'dist', 'worker.js');

/** Pids of this checkout's profile workers started by the harness (Linux /proc). */
function workerPids(): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (!cmd.includes(workerScript)) continue;
      if (!readFileSync(`/proc/${e}/environ`, 'utf8').includes('PPROF_LENS_HARNESS_ID=')) continue;
      pids.push(Number(e));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

function rows(ds: { line: number; text: string }[]): Map<number, string[]> {
  return new Map(
    ds.map((d) => [
      d.line,
      d.text
        .replace(/\u00a0/g, ' ')
        .trim()
        .split(/\s+/),
    ]),
  );
}

describe('worker crash isolation and cancellable views in a real VS Code', function () {
  this.timeout(240_000);
  let vs: VSCode | undefined;
  let ws = '';
  const want = listRows(path.join(fixture, 'golden', 'cpu.cpu.list.txt'), 'work.go');
  /** The hottest line of work.go (870ms cum). */
  const hot = () => [...want.entries()].find(([, v]) => v[1] === '870ms')![0];

  before(async () => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-isolation-ws-'));
    cpSync(fixture, ws, { recursive: true });
    // ~10 MB uncompressed: decoding it needs more than 8 MB of V8 heap.
    writeFileSync(path.join(ws, 'big.pb.gz'), gzipSync(generateProfile(10 * 1024 * 1024, 10)));
    vs = await launch({ workspace: ws });
  });
  after(async () => {
    await vs?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('a compare cancelled from its progress notification leaves the previous view and its worker', async () => {
    await vs!.openFile('profiles/cpu.pb.gz', { timeoutMs: 15_000 }).catch(() => undefined);
    await vs!.waitFor(async () => (await vs!.statusBarItems()).find((s) => s.includes('cpu.pb.gz')), {
      timeoutMs: 60_000,
      message: 'cpu.pb.gz loaded',
    });
    await vs!.openFile('go/work.go');
    assert.deepEqual(rows(await vs!.editorDecorations()), want);
    const status = (await vs!.statusBarItems()).find((s) => s.includes('cpu.pb.gz'));
    const before = workerPids();
    assert.equal(before.length, 1, 'one worker for the one profile');

    // Compare with the 10 MB profile as base: decoding it takes seconds; Cancel gives the view back.
    await vs!.runCommand('pprof: Compare With Base Profile…');
    await vs!.pickQuickPickItem(/big\.pb\.gz/);
    await vs!.pickQuickPickItem(/Subtract base \(-base\)/);
    const cancel = vs!.page.locator('.notifications-toasts .monaco-button', { hasText: 'Cancel' }).first();
    await vs!.waitFor(async () => (await cancel.count()) > 0 && (await cancel.isVisible()), {
      timeoutMs: 20_000,
      message: 'no progress notification with Cancel',
    });
    assert.deepEqual(workerPids(), before, "the base is decoded in the profile's own worker");
    await cancel.click();
    // The previous view: its worker, its status, its values; no error message.
    assert.deepEqual(workerPids(), before);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(
      (await vs!.statusBarItems()).find((s) => s.includes('cpu.pb.gz')),
      status,
    );
    assert.deepEqual(rows(await vs!.editorDecorations()), want);
    assert.ok(!(await vs!.notifications()).some((n) => n.severity === 'error'));
    const hover = await vs!.hover(hot(), undefined, { timeoutMs: 20_000 });
    assert.match(hover, /Top callers/);
    assert.doesNotMatch(hover, /Δ vs base/);
  });

  it('a killed worker offers Reload Profile, which brings a new worker; the overlays stay meanwhile', async () => {
    await vs!.openFile('go/work.go');
    assert.deepEqual(rows(await vs!.editorDecorations()), want);

    const before = workerPids();
    assert.ok(before.length >= 1, 'a worker process runs the profile');
    for (const pid of before) process.kill(pid, 'SIGKILL');
    const note = await vs!.waitFor(
      async () => (await vs!.notifications()).find((n) => /profile worker stopped/.test(n.message)),
      { timeoutMs: 30_000, message: 'no crash notification' },
    );
    assert.equal(
      note.message,
      'pprof: The profile worker stopped (signal SIGKILL); the profile may be too large for its memory limit. The overlays of cpu.pb.gz stay; reload it for the flame graph, callers and compare.',
    );
    // The overlays stay: the host holds the values.
    assert.deepEqual(rows(await vs!.editorDecorations()), want);

    await vs!.page.locator('.notifications-toasts .monaco-button', { hasText: 'Reload Profile' }).first().click();
    const after = await vs!.waitFor(
      async () => {
        const p = workerPids().filter((x) => !before.includes(x));
        return p.length > 0 ? p : undefined;
      },
      { timeoutMs: 60_000, message: 'no new worker after Reload Profile' },
    );
    assert.ok(after.length >= 1);
    await vs!.openFile('go/work.go');
    assert.deepEqual(rows(await vs!.editorDecorations()), want);
    // The new worker answers: the hover's callers come from it.
    const hover = await vs!.hover(hot(), undefined, { timeoutMs: 20_000 }).catch(() => vs!.hover(hot()));
    assert.match(hover, /Top callers/);
    assert.match(hover, /main\.main/);
    assert.doesNotMatch(vs!.logs().extensionHost, /Extension host .*(terminated|crashed|exited)/i);
    await vs!.clearNotifications();
  });
});

describe('a worker out of memory in a real VS Code', function () {
  this.timeout(240_000);
  let vs: VSCode;
  let ws = '';

  before(async () => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-oom-ws-'));
    // ~10 MB uncompressed: decoding it needs more than 8 MB of V8 heap.
    writeFileSync(path.join(ws, 'big.pb.gz'), gzipSync(generateProfile(10 * 1024 * 1024, 10)));
    writeFileSync(path.join(ws, 'notes.txt'), 'profiles\n');
    vs = await launch({ workspace: ws, settings: { 'pprofLens.worker.maxMemoryMB': 8 } });
  });
  after(async () => {
    await vs?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('a worker out of V8 heap while loading: a clear message, the extension host lives on', async () => {
    await vs.openFile('big.pb.gz', { timeoutMs: 15_000 }).catch(() => undefined);
    const note = await vs.waitFor(
      async () => (await vs.notifications()).find((n) => /ran out of memory/.test(n.message)),
      { timeoutMs: 60_000, message: 'no out-of-memory message' },
    );
    assert.equal(
      note.message,
      'Cannot open big.pb.gz: The profile worker ran out of memory (8 MB, pprofLens.worker.maxMemoryMB) and stopped; the rest of VS Code is not affected. Filter the profile or capture a shorter one, then open it again.',
    );
    assert.equal(note.severity, 'error');
    // The extension host, alive, renders the reason in the summary editor.
    const page = await vs.waitFor(
      async () => {
        for (const f of await vs.webviewFrames({ timeoutMs: 20_000 })) {
          const t = await f
            .locator('body')
            .innerText()
            .catch(() => '');
          if (/ran out of memory/.test(t)) return t;
        }
        return undefined;
      },
      { timeoutMs: 30_000, message: 'no summary page with the reason' },
    );
    assert.match(page, /the rest of VS Code is not affected/);
    const log = vs.logs().extensionHost;
    assert.doesNotMatch(log, /Extension host .*(terminated|crashed|exited)|FATAL ERROR|Reached heap limit/i);
    await vs.clearNotifications();
  });
});
