/**
 * Installed, not developed: `npm run package` writes the .vsix, code-server installs it with
 * `--install-extension <vsix> --extensions-dir <empty dir>` (no extensionDevelopmentPath, so the
 * window is a normal one, not an Extension Development Host), and in that real VS Code the
 * extension activates, paints the overlays of the fixture's CPU profile (the values of
 * `go tool pprof -list`) and opens the flame graph with the profile's functions.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { launch, type VSCode } from '../harness/vscode';
import { decorationRows, listRows, ROOT, tempWorkspace, waitActivated } from './workspace';

describe('the packaged .vsix, installed into a fresh code-server', function () {
  this.timeout(300_000);
  let vs: VSCode;
  let ws: string;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-installed-'));
    const vsix = path.join(dir, 'pprof-lens.vsix');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs'), '--out', vsix], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    ws = tempWorkspace('installed');
    vs = await launch({ workspace: ws, vsix });
  });
  after(async () => {
    await vs?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is installed from the .vsix (not a development folder) and activates on a Go file', async () => {
    const extDir = path.join(vs.tempDir, 'extensions');
    const installed = readdirSync(extDir).filter((d) => d.startsWith('pprof-lens.pprof-lens-'));
    assert.equal(installed.length, 1, readdirSync(extDir).join(', '));
    assert.doesNotMatch(await vs.page.title(), /Extension Development Host/);
    await vs.openFile('go/work.go');
    assert.equal(await waitActivated(vs), 'onLanguage:go');
  });

  it('paints the overlays of the CPU profile on the lines and with the values of go tool pprof -list', async () => {
    await vs.openFile('profiles/cpu.pb.gz');
    await vs.openFile('go/work.go');
    assert.deepEqual(decorationRows(await vs.editorDecorations()), listRows('cpu.cpu.list.txt', 'work.go'));
    assert.ok((await vs.statusBarItems()).some((s) => /cpu\.pb\.gz · cpu · 1\.40s/.test(s)));
  });

  it('opens the flame graph', async () => {
    await vs.runCommand('pprof: Show Flame Graph and Top Table');
    const text = await vs.waitFor(
      async () => {
        for (const f of await vs.webviewFrames({ minCount: 1 })) {
          // textContent: a table name is split into spans (package path, own name) that innerText breaks apart.
          const t = await f.evaluate(() => document.body.textContent ?? '').catch(() => '');
          if (/main\.sortWork/.test(t)) return t;
        }
        return undefined;
      },
      { message: 'the flame graph panel does not list main.sortWork' },
    );
    assert.match(text, /main\.allocate/);
  });
});
