/**
 * The first five minutes, in a real VS Code on a copy of the demo workspace:
 *   - the "Get started with pprof-lens" walkthrough opens from the Welcome page's command and
 *     lists its six steps;
 *   - Open Profile with no argument lists the workspace's profiles newest first, then "Browse…";
 *   - a session (heap.pb.gz compared with heap-before.pb.gz, a focus filter, alloc_space) comes
 *     back after workbench.action.reloadWindow, overlays included; with pprofLens.restoreSession
 *     off it does not.
 * Screenshots: docs/screenshots/walkthrough.png; with PPROF_LENS_UPDATE_MEDIA=1 also the
 * walkthrough's images in media/walkthrough/ (small JPEGs of the editor area).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { launch, type VSCode } from '../harness/vscode';
import { ROOT, waitActivated } from './workspace';

const UPDATE_MEDIA = process.env.PPROF_LENS_UPDATE_MEDIA === '1';
const MEDIA = path.join(ROOT, 'media/walkthrough');

function demoCopy(): string {
  // Named demo/ as in the repository: the profiles' paths (a CI checkout's .../demo/catalog.go)
  // map to it by their shared suffix.
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'pprof-lens-firstrun-')), 'demo');
  cpSync(path.join(ROOT, 'demo'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.pprof`) });
  // Newest first: heap.pb.gz, then cpu.pb.gz, then heap-before.pb.gz.
  const now = Date.now() / 1000;
  utimesSync(path.join(dir, 'profiles/heap-before.pb.gz'), now - 7200, now - 7200);
  utimesSync(path.join(dir, 'profiles/cpu.pb.gz'), now - 3600, now - 3600);
  utimesSync(path.join(dir, 'profiles/heap.pb.gz'), now - 60, now - 60);
  return dir;
}

async function mediaShot(vs: VSCode, name: string): Promise<void> {
  if (!UPDATE_MEDIA) return;
  mkdirSync(MEDIA, { recursive: true });
  await vs.page.waitForTimeout(500);
  // The window without the side bar (hidden in before()): editor, quick pick, status bar.
  await vs.page.screenshot({ path: path.join(MEDIA, `${name}.jpg`), type: 'jpeg', quality: 70 });
}

async function reload(vs: VSCode): Promise<void> {
  const navigated = vs.page.waitForEvent('framenavigated', { timeout: 60_000 });
  await vs.runCommand('Developer: Reload Window');
  await navigated;
  await vs.page.waitForSelector('#workbench\\.parts\\.statusbar', { timeout: 60_000 });
  await vs.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 }).catch(() => undefined);
}

describe('first run: walkthrough, profile picker, session restore', function () {
  this.timeout(400_000);
  let vs: VSCode;
  let ws: string;

  before(async () => {
    ws = demoCopy();
    vs = await launch({
      workspace: ws,
      viewport: UPDATE_MEDIA ? { width: 960, height: 600 } : { width: 1400, height: 900 },
    });
  });
  after(async () => {
    await vs?.close();
    if (ws) rmSync(path.dirname(ws), { recursive: true, force: true });
  });

  it('the "Get started with pprof-lens" walkthrough opens and lists its steps', async () => {
    await vs.runCommand('Welcome: Open Walkthrough...');
    await vs.pickQuickPickItem(/Get started with pprof-lens/, { filter: 'pprof' });
    await vs.waitForText('.gettingStartedContainer', 'Get started with pprof-lens');
    for (const step of [
      'Open a profile',
      'Read a line',
      'Switch the sample type',
      'Compare before and after',
      'Capture from a running server',
      'Profile a benchmark',
    ]) {
      await vs.waitForText('.gettingStartedContainer', step);
    }
    // The first step's image is the extension's own.
    const loaded = await vs.waitFor(
      () =>
        vs.page
          .evaluate(() =>
            [...document.querySelectorAll('.gettingStartedContainer img')].map((i) => ({
              alt: i.getAttribute('alt') ?? '',
              w: (i as HTMLImageElement).naturalWidth,
            })),
          )
          .then((imgs) => imgs.find((i) => /Open Profile picker/.test(i.alt) && i.w > 0)),
      { message: 'the first step does not show its image (media/walkthrough/open-profile.jpg)' },
    );
    assert.ok(loaded.w >= 400, `image width ${loaded.w}`);
    mkdirSync(path.join(ROOT, 'docs/screenshots'), { recursive: true });
    await vs.screenshot(path.join(ROOT, 'docs/screenshots/walkthrough.png'));
    await vs.page.keyboard.press('Control+w');
  });

  it("Open Profile without an argument lists the workspace's profiles newest first, then Browse…", async () => {
    if (UPDATE_MEDIA) await vs.runCommand('View: Toggle Primary Side Bar Visibility');
    await vs.openFile('catalog.go');
    await waitActivated(vs);
    await vs.runCommand('pprof: Open Profile');
    const items = await vs.waitFor(async () => {
      const l = await vs.quickPickItems();
      return l.length >= 4 ? l : undefined;
    });
    assert.deepEqual(
      items.filter((l) => l !== ''),
      ['heap.pb.gz', 'cpu.pb.gz', 'heap-before.pb.gz', 'Browse…'],
    );
    await mediaShot(vs, 'open-profile');
    await vs.pickQuickPickItem('heap.pb.gz');
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => /heap\.pb\.gz · inuse_space/.test(s)), {
      message: 'heap.pb.gz did not load',
    });
    await vs.openFile('catalog.go');
    const ds = await vs.editorDecorations();
    assert.ok(
      ds.some((d) => /MB/.test(d.text)),
      JSON.stringify(ds),
    );
    if (UPDATE_MEDIA) {
      const line = ds.find((d) => /MB/.test(d.text))!.line;
      await vs.hover(line);
      await mediaShot(vs, 'read-line');
      await vs.page.keyboard.press('Escape');
    }
  });

  it('compare, filter and sample type come back after a window reload', async () => {
    await vs.runCommand('pprof: Compare With Base Profile…');
    await vs.pickQuickPickItem('heap-before.pb.gz');
    await vs.pickQuickPickItem('Subtract base (-base)');
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => /Δ (vs|-base) heap-before\.pb\.gz/.test(s)), {
      message: 'not comparing',
    });
    await vs.openFile('catalog.go');
    if (UPDATE_MEDIA) {
      await vs.page.waitForTimeout(1500);
      await vs.clearNotifications();
    }
    await mediaShot(vs, 'compare');
    await vs.runCommand('pprof: Switch Sample Type');
    await mediaShot(vs, 'sample-type');
    await vs.pickQuickPickItem('alloc_space');
    await vs.runCommand('pprof: Set Filters (focus, ignore, hide, show, tags)…');
    await vs.pickQuickPickItem(/focus$/, { filter: 'focus' });
    await vs.submitQuickInput('main\\.');
    const before = await vs.waitFor(
      async () => {
        const s = await vs.statusBarItems();
        return s.some((x) => /heap\.pb\.gz · alloc_space/.test(x)) && s.some((x) => /focus=main\\\./.test(x))
          ? s
          : undefined;
      },
      { message: 'the session is not set up' },
    );
    // What a line shows (its text after the line); the decoration types' class names are VS Code's
    // own counters, numbered again in the reloaded window in the order the types are first used.
    const shown = (ds: { line: number; kind: string; text: string }[]) =>
      ds.map((d) => ({ line: d.line, kind: d.kind, text: d.text }));
    const decorationsBefore = shown(await vs.editorDecorations());
    assert.ok(decorationsBefore.length > 0);
    await new Promise((r) => setTimeout(r, 600)); // the state is saved 250 ms after the last change

    await reload(vs);
    await vs.openFile('catalog.go');
    const after = await vs.waitFor(
      async () => {
        const s = await vs.statusBarItems();
        return s.some((x) => /heap\.pb\.gz · alloc_space/.test(x)) &&
          s.some((x) => /Δ (vs|-base) heap-before\.pb\.gz/.test(x)) &&
          s.some((x) => /focus=main\\\./.test(x))
          ? s
          : undefined;
      },
      { timeoutMs: 60_000, message: 'the session did not come back after the reload' },
    );
    assert.deepEqual(
      after.filter((s) => /pb\.gz|focus=/.test(s)),
      before.filter((s) => /pb\.gz|focus=/.test(s)),
    );
    // The overlays come back too (once the restored profile's sources are mapped again).
    let last: unknown;
    await vs
      .waitFor(
        async () => {
          last = shown(await vs.editorDecorations());
          return JSON.stringify(last) === JSON.stringify(decorationsBefore) || undefined;
        },
        { timeoutMs: 60_000, message: 'the overlays after the reload differ' },
      )
      .catch(() => assert.deepEqual(last, decorationsBefore));
  });

  it('with pprofLens.restoreSession off, a reload starts with no profile', async () => {
    // A user setting, written where VS Code reads it; it applies on change.
    const { readFileSync, writeFileSync } = await import('node:fs');
    const settingsFile = path.join(vs.userDataDir, 'User/settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...settings, 'pprofLens.restoreSession': false }, null, 2));
    await new Promise((r) => setTimeout(r, 1500));
    await reload(vs);
    await vs.openFile('catalog.go');
    await waitActivated(vs);
    await new Promise((r) => setTimeout(r, 3000));
    assert.ok(!(await vs.statusBarItems()).some((s) => /\.pb\.gz/.test(s)), (await vs.statusBarItems()).join(' | '));
  });

  it('media: capture and benchmark steps', async function () {
    if (!UPDATE_MEDIA) this.skip();
    await vs.openFile('catalog_test.go');
    await vs.codeLenses();
    await vs.revealLine(1);
    await vs.page.keyboard.press('Control+Home');
    await mediaShot(vs, 'benchmark');
    await vs.runCommand('pprof: Capture Profile From Running Server…');
    await mediaShot(vs, 'capture');
    await vs.page.keyboard.press('Escape');
  });
});
