/**
 * Restricted Mode in a real VS Code: Workspace Trust on, a folder never trusted, whose workspace
 * settings point go.alternateTools.go at a script and whose PATH has a `go` that both leave a
 * marker file when run. Viewing works (overlays equal to go tool pprof -list, CodeLens, the flame
 * graph); the benchmark CodeLens and capture say they are off and run nothing (no marker, no
 * capture folder); `go env` is not run either. Saves docs/screenshots/restricted-mode.png.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { launch, type VSCode } from '../harness/vscode';
import { clickCodeLens, decorationRows, listRows, ROOT, tempWorkspace, waitActivated } from './workspace';

const BENCH = `package main

import "testing"

func BenchmarkHash(b *testing.B) {
	for i := 0; i < b.N; i++ {
		hash(1000)
	}
}
`;

describe('Restricted Mode (an untrusted folder)', function () {
  this.timeout(300_000);
  let vs: VSCode;
  let ws: string;
  let marker: string;

  before(async () => {
    ws = tempWorkspace('restricted', { 'go/work_test.go': BENCH });
    marker = path.join(ws, '..', `${path.basename(ws)}-ran`);
    const evil = path.join(ws, 'tools', 'go');
    const script = `#!/bin/sh\necho "$0 $*" >> '${marker}'\nexit 1\n`;
    mkdirSync(path.dirname(evil), { recursive: true });
    writeFileSync(evil, script);
    chmodSync(evil, 0o755);
    // A go on the extension host's PATH that records being run (go env, go test).
    const bin = path.join(ws, '..', `${path.basename(ws)}-bin`);
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'go'), script);
    chmodSync(path.join(bin, 'go'), 0o755);
    mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    writeFileSync(
      path.join(ws, '.vscode/settings.json'),
      JSON.stringify(
        {
          'go.alternateTools': { go: evil },
          'pprofLens.capture.directory': '/tmp/elsewhere',
          'pprofLens.bench.flags': ['-exec', evil],
        },
        null,
        2,
      ),
    );
    // VSCODE_CLI: the server then does not replace PATH with a login shell's, so the shim is found.
    vs = await launch({
      workspace: ws,
      workspaceTrust: true,
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, VSCODE_CLI: '1' },
    });
  });
  after(async () => {
    await vs?.close();
    if (ws) {
      rmSync(ws, { recursive: true, force: true });
      rmSync(`${ws}-bin`, { recursive: true, force: true });
      rmSync(marker, { force: true });
    }
  });

  it('opens in Restricted Mode', async () => {
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => /Restricted Mode/.test(s)), {
      message: 'no Restricted Mode status item',
    });
  });

  it('shows the overlays of a profile (the lines and values of go tool pprof -list) without running go env', async () => {
    // A Go file first: pprof-lens activates (onLanguage:go), so its profile editor takes the .pb.gz.
    await vs.openFile('go/work.go');
    await waitActivated(vs);
    await vs.openFile('profiles/cpu.pb.gz');
    await vs.openFile('go/work.go');
    assert.deepEqual(decorationRows(await vs.editorDecorations()), listRows('cpu.cpu.list.txt', 'work.go'));
    const lenses = await vs.codeLenses();
    assert.ok(
      lenses.some((l) => /^cpu: flat .* · cum /.test(l.text)),
      lenses.map((l) => l.text).join('\n'),
    );
    assert.equal(existsSync(marker), false, 'a go binary was run in an untrusted folder');
    mkdirSync(path.join(ROOT, 'docs/screenshots'), { recursive: true });
    await vs.screenshot(path.join(ROOT, 'docs/screenshots/restricted-mode.png'));
  });

  it('opens the flame graph', async () => {
    await vs.runCommand('pprof: Show Flame Graph and Top Table');
    const frames = await vs.webviewFrames({ minCount: 1 });
    assert.ok(frames.length >= 1);
  });

  it('the benchmark CodeLens says it is off and runs nothing', async () => {
    await vs.clearNotifications();
    await vs.openFile('go/work_test.go');
    await clickCodeLens(vs, 'profile CPU');
    const n = await vs.waitFor(async () => (await vs.notifications()).find((x) => /Restricted Mode/.test(x.message)), {
      message: 'no Restricted Mode message',
    });
    assert.match(n.message, /Profiling a benchmark \(it runs go test\) is off in Restricted Mode/);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(existsSync(marker), false, 'the benchmark ran a program in an untrusted folder');
    assert.equal(existsSync(path.join(ws, '.pprof')), false);
  });

  it('capture says it is off and writes nothing', async () => {
    await vs.clearNotifications();
    await vs.runCommand('pprof: Capture Profile From Running Server…');
    const n = await vs.waitFor(async () => (await vs.notifications()).find((x) => /Restricted Mode/.test(x.message)), {
      message: 'no Restricted Mode message',
    });
    assert.match(n.message, /Capturing a profile .* is off in Restricted Mode/);
    assert.equal(existsSync(path.join(ws, '.pprof')), false);
    assert.equal(existsSync('/tmp/elsewhere'), false);
    assert.equal(existsSync(marker), false);
  });

  it('once the folder is trusted, go env runs: the sources are mapped again with GOROOT and GOMODCACHE', async () => {
    await vs.runCommand('Workspaces: Manage Workspace Trust');
    const trust = vs.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trust.waitFor({ state: 'visible', timeout: 20_000 });
    await trust.click();
    await vs.waitFor(async () => !(await vs.statusBarItems()).some((s) => /Restricted Mode/.test(s)) || undefined, {
      message: 'still in Restricted Mode',
    });
    // onDidGrantWorkspaceTrust: the profile's sources are mapped again, now with `go env`.
    await vs.waitFor(async () => existsSync(marker) || undefined, {
      message: 'go env did not run after trust was granted',
    });
  });
});
