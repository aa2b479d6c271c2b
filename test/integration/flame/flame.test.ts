/**
 * The flame graph panel inside a real VS Code (code-server, test/integration/harness): it opens on
 * a profile and paints the tree; after "Developer: Reload Window" VS Code restores the panel
 * through pprof-lens's WebviewPanelSerializer (activation event onWebviewPanel:pprofLens.flameGraph)
 * with the webview's own state (zoom); while no profile is loaded it shows a placeholder, never an
 * error, and when the profile is opened again the panel shows it at the zoom it had.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { launch, type VSCode } from '../harness/vscode';

const fixture = path.join(__dirname, '..', 'overlays', 'fixture');

async function panel(vs: VSCode): Promise<Frame> {
  return vs.waitFor(
    async () => {
      try {
        for (const f of await vs.webviewFrames({ minCount: 1, timeoutMs: 5000 })) if (await f.$('#flame')) return f;
      } catch {
        // frames come and go while the panel (re)loads
      }
      return undefined;
    },
    { message: 'the flame graph panel', timeoutMs: 90_000 },
  );
}

/**
 * Opens a profile in pprof-lens's editor. Under load the workbench can open it before the
 * development extension is registered, as text: then reopen it with the profile editor.
 */
async function openProfile(vs: VSCode, rel: string): Promise<void> {
  const name = path.basename(rel);
  const loaded = async () => (await vs.statusBarItems()).find((s) => s.includes(name));
  await vs.openFile(rel);
  try {
    await vs.waitFor(loaded, { message: 'profile loaded', timeoutMs: 20_000 });
  } catch {
    await vs.runCommand('View: Reopen Editor With...');
    await vs.pickQuickPickItem(/pprof Profile Summary/);
    await vs.waitFor(loaded, { message: 'profile loaded (reopened)', timeoutMs: 60_000 });
  }
}

describe('flame graph panel in a real VS Code', function () {
  this.timeout(300_000);
  let vs: VSCode;

  before(async () => {
    vs = await launch({ workspace: fixture });
  });
  after(async () => vs?.close());

  it('paints the tree, and comes back after a window reload (placeholder, then the profile at its zoom)', async () => {
    await openProfile(vs, 'profiles/cpu.pb.gz');
    await vs.runCommand('pprof: Show Flame Graph and Top Table');
    let f = await panel(vs);
    await f.waitForFunction(() => Number(document.querySelector('#flame')?.getAttribute('data-frames')) > 3);
    assert.ok(Number(await f.getAttribute('#top-table', 'data-rows')) > 5);
    // The keyboard walks the frames (Down: heaviest child), a click zooms.
    await f.locator('#flame').focus();
    await f.locator('#flame').press('ArrowDown');
    await f.locator('#flame').press('ArrowDown');
    const selected = await f.getAttribute('#flame', 'data-selected');
    assert.equal(selected, 'main.main');
    const box = (await f.locator('#flame').boundingBox())!;
    await f.locator('#flame').click({ position: { x: Math.min(200, box.width / 2), y: 18 * 2 + 9 } });
    assert.equal(await f.getAttribute('#flame', 'data-zoom'), 'main.main');
    await vs.page.waitForTimeout(500); // the state is saved after a short pause

    await vs.runCommand('Developer: Reload Window');
    await vs.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    f = await panel(vs);
    await f.waitForFunction(
      () =>
        // (not "Building the flame graph…": the restored profile on its way)
        /No profile is loaded/.test(document.querySelector('#notice')?.textContent ?? '') ||
        Number(document.querySelector('#flame')?.getAttribute('data-frames')) > 3,
      undefined,
      { timeout: 60_000 },
    );
    const frames = Number(await f.getAttribute('#flame', 'data-frames'));
    if (!(frames > 3)) {
      // The session was not restored (or not yet): a placeholder in the user's words, no error.
      assert.match((await f.locator('#notice').textContent())!, /No profile is loaded/);
      assert.equal((await vs.notifications()).filter((n) => n.severity === 'error').length, 0);
      await vs.screenshot(path.join(__dirname, '..', '..', '..', 'test-results', 'flame-after-reload.png'));
      await openProfile(vs, 'profiles/cpu.pb.gz');
    }
    // The profile is back: the panel draws it at the zoom it had before the reload.
    await f.waitForFunction(
      () => Number(document.querySelector('#flame')?.getAttribute('data-frames')) > 3,
      undefined,
      { timeout: 60_000 },
    );
    assert.equal(await f.getAttribute('#flame', 'data-zoom'), 'main.main');
    assert.deepEqual(await f.locator('#breadcrumbs .crumb').allTextContents(), ['all', 'runtime.main', 'main.main']);
  });

  it('callers and callees, Inverted and a transform go through the host and the worker (Focus on, its chip, Undo)', async () => {
    const f = await panel(vs);
    await f.waitForFunction(() => Number(document.querySelector('#flame')?.getAttribute('data-frames')) > 3);
    // The sandwich of main.main from the keyboard: the host asks the worker and sends both trees.
    await f.locator('#flame').focus();
    await f.locator('#flame').press('s');
    await f.waitForFunction(
      () => document.querySelector('#sandwich')?.getAttribute('data-func') === 'main.main',
      undefined,
      {
        timeout: 60_000,
      },
    );
    assert.ok(Number(await f.getAttribute('#sandwich-callers', 'data-frames')) >= 2);
    assert.ok(Number(await f.getAttribute('#sandwich-callees', 'data-frames')) > 3);
    // Inverted: the worker's bottom-up tree.
    await f.locator('#tab-graph').click();
    await f.locator('#inverted').click();
    await f.waitForFunction(
      () => document.querySelector('#flame')?.getAttribute('data-inverted') === 'true',
      undefined,
      {
        timeout: 60_000,
      },
    );
    await f.locator('#inverted').click();
    await f.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-inverted') === 'false');
    // Focus on main.main from its menu: pprofLens.setFilters, the chip, then Undo.
    await f.locator('#flame').focus();
    await f.locator('#flame').press('ArrowDown'); // runtime.main
    await f.locator('#flame').press('ArrowDown'); // main.main
    assert.equal(await f.getAttribute('#flame', 'data-selected'), 'main.main');
    await f.locator('#flame').press('Shift+F10');
    await f.locator('#frame-menu .menu-item', { hasText: 'Focus on this function' }).click();
    await f.waitForFunction(
      () => document.querySelector('.chip.filter')?.textContent === 'focus=^main\\.main$×',
      undefined,
      {
        timeout: 60_000,
      },
    );
    // The panel's tree comes first (from the loaded profile's trie); the filtered view for the
    // editor follows: the status bar then shows the same filter.
    const until = Date.now() + 60_000;
    while (!(await vs.statusBarItems()).some((s) => s.includes('focus')) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 200));
    assert.ok(
      (await vs.statusBarItems()).some((s) => s.includes('focus')),
      'the status bar shows the same filter',
    );
    // Copy pprof command (dist/panelFiles.js, loaded on first use): the view's filter is in it.
    await f.locator('#copy-command').click();
    const copied = await vs.waitFor(
      async () => (await vs.notificationsSeen()).find((m) => m.startsWith('pprof: copied go tool pprof')),
      { message: 'the copied command', timeoutMs: 60_000 },
    );
    assert.match(copied, /-focus=\^main\\\.main\$/, copied);
    assert.match(copied, /cpu\.pb\.gz/, copied);
    await f.locator('#undo').click();
    await f.waitForFunction(() => document.querySelector('.chip.filter') === null, undefined, { timeout: 60_000 });
    assert.equal((await vs.notifications()).filter((n) => n.severity === 'error').length, 0);
  });
});
