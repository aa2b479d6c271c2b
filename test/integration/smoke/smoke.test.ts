/**
 * Proves the code-server harness end to end: a throwaway extension (smoke/ext, plain JS) is loaded
 * into a real VS Code served by code-server on 127.0.0.1 and driven through chromium; its after-line
 * decoration, CodeLens, hover and status bar item are read back from the editor's DOM.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launch, REPO_ROOT, type VSCode } from '../harness/vscode';

const EXT = path.join(__dirname, 'ext');
const GO = `package main

func main() {
\tprintln(work(3))
}

func work(n int) int {
\ts := 0
\tfor i := 0; i < n; i++ {
\t\ts += i
\t}
\treturn s
}
`;

// 400 lines: far more than the editor shows at once.
const LONG = `package main\n\nfunc long() {\n${Array.from({ length: 395 }, (_, i) => `\t_ = ${i}\n`).join('')}}\n`;

function makeWorkspace(): string {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-smoke-ws-'));
  mkdirSync(path.join(ws, 'cmd/app'), { recursive: true });
  writeFileSync(path.join(ws, 'go.mod'), 'module example.com/smoke\n\ngo 1.21\n');
  writeFileSync(path.join(ws, 'main.go'), GO);
  writeFileSync(path.join(ws, 'cmd/app/main.go'), 'package main\n\nfunc main() {}\n');
  writeFileSync(path.join(ws, 'long.go'), LONG);
  writeFileSync(path.join(ws, 'data.bin'), Buffer.from([0x1f, 0x8b, 0, 0, 0xff, 0, 1, 2, 3]));
  return ws;
}

for (const extensionMode of ['dev', 'install'] as const) {
  describe(`harness smoke (code-server, extension loaded as ${extensionMode})`, function () {
    this.timeout(240_000);
    let vs: VSCode | undefined;
    let ws = '';

    before(async function () {
      ws = makeWorkspace();
      const t0 = Date.now();
      vs = await launch({ workspace: ws, extensionDevelopmentPath: EXT, extensionMode });
      console.log(`      launch: ${Date.now() - t0} ms (${vs.url})`);
    });

    after(async () => {
      await vs?.close();
      if (ws) rmSync(ws, { recursive: true, force: true });
    });

    it('opens the Go file and runs the command from the palette', async () => {
      await vs!.openFile('main.go');
      const ed = await vs!.activeEditor();
      assert.equal(ed?.title, 'main.go');
      assert.equal(ed?.path, path.join(ws, 'main.go'));
      assert.equal(ed?.lineCount, GO.split('\n').length);
      await vs!.runCommand('Smoke: Decorate Line 3');
      await vs!.waitForText('.notifications-toasts', 'smoke: decorated line 3');
      const n = await vs!.notifications();
      assert.ok(
        n.some((x) => x.message === 'smoke: decorated line 3' && x.severity === 'info'),
        JSON.stringify(n),
      );
    });

    it('reads the after-line decoration on line 3', async () => {
      const ds = await vs!.editorDecorations();
      assert.deepEqual(
        ds.map((d) => [d.line, d.text]),
        [[3, '⟨smoke 42⟩']],
      );
    });

    it('reads the CodeLens above line 1', async () => {
      const lenses = await vs!.codeLenses();
      assert.deepEqual(
        lenses.map((l) => [l.line, l.text]),
        [[1, 'smoke lens']],
      );
    });

    it('shows the hover', async () => {
      assert.equal(await vs!.hover(4), 'smoke hover (line 4)');
      assert.equal(await vs!.hover(12, 3), 'smoke hover (line 12)');
    });

    it('reads the status bar', async () => {
      assert.ok((await vs!.statusBarItems()).includes('smoke status'));
    });

    it('opens a file in a sub-folder and leaves the first one alone', async () => {
      await vs!.openFile('cmd/app/main.go');
      const ed = await vs!.activeEditor();
      assert.equal(ed?.path, path.join(ws, 'cmd/app/main.go'));
      assert.equal(ed?.lineCount, 4);
      assert.deepEqual(await vs!.editorDecorations({ emptyTimeoutMs: 500 }), []);
      assert.deepEqual(
        (await vs!.codeLenses()).map((l) => l.line),
        [1],
      );
      await vs!.openFile('main.go');
      assert.deepEqual(
        (await vs!.editorDecorations()).map((d) => d.line),
        [3],
      );
      // A binary file opens too (no text editor, so activeEditor() is undefined).
      await vs!.openFile('data.bin');
      assert.equal(await vs!.activeEditor(), undefined);
      await vs!.openFile('main.go');
    });

    it('fails fast with a clear message on a command that does not exist', async () => {
      await assert.rejects(
        vs!.runCommand('Smoke: No Such Command', { timeoutMs: 4000 }),
        /runCommand\("Smoke: No Such Command"\) failed: .*(no quick pick item|timed out)/s,
      );
    });

    it('reads decorations and lenses far below the visible lines by scrolling', async () => {
      await vs!.openFile('long.go');
      const lines = LONG.split('\n').length;
      assert.equal((await vs!.activeEditor())?.lineCount, lines);
      await vs!.runCommand('Smoke: Decorate Line 3');
      const ds = await vs!.editorDecorations();
      assert.deepEqual(
        ds.map((d) => [d.line, d.text]),
        [
          [3, '⟨smoke 42⟩'],
          [lines, '⟨smoke last⟩'],
        ],
      );
      assert.deepEqual(
        (await vs!.editorDecorations({ visibleOnly: true })).map((d) => d.line),
        [3],
      );
      const lenses = await vs!.codeLenses();
      assert.deepEqual(
        lenses.map((l) => [l.line, l.text, l.clickable]),
        [
          [1, 'smoke lens', false],
          [lines - 1, 'smoke far lens', true],
          [lines - 1, 'smoke second lens', true],
        ],
      );
      assert.equal(await vs!.hover(lines - 5), `smoke hover (line ${lines - 5})`);
      await vs!.revealLine(200);
      const visible = await vs!.editorDecorations({ visibleOnly: true, emptyTimeoutMs: 0 });
      assert.deepEqual(visible, []);
    });

    it('reaches into a webview (iframe.webview → #active-frame) and talks to the extension', async () => {
      await vs!.runCommand('Smoke: Open Webview');
      const [frame] = await vs!.webviewFrames();
      assert.ok(frame);
      assert.equal((await frame.locator('#title').textContent())?.trim(), 'smoke webview');
      await frame.locator('#ping').click();
      await frame.locator('#reply', { hasText: 'pong from the extension host' }).waitFor({ timeout: 10_000 });
      await vs!.runCommand('View: Close All Editor Groups');
      await vs!.openFile('main.go');
    });

    it('runs the extension in Node: fs, zlib, worker_threads, child_process', async () => {
      await vs!.runCommand('Smoke: Node Check');
      await vs!.waitForText('.notifications-toasts', 'smoke node: fs zlib worker_threads child_process');
    });

    it('takes a screenshot', async () => {
      await vs!.runCommand('Smoke: Decorate Line 3');
      await vs!.hover(3);
      const file = path.join(REPO_ROOT, 'test-results', extensionMode === 'dev' ? 'smoke.png' : 'smoke-install.png');
      await vs!.screenshot(file);
      assert.ok(existsSync(file));
    });
  });
}
