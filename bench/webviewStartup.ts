/**
 * npm run bench:webview — where a new webview's first second goes in code-server, with NO pprof-lens
 * code: a minimal extension (written to a temp folder here) whose webview is an almost empty page.
 * Each command creates a new panel and embeds the host's clock at the command; the page records
 * when its document started (performance.timeOrigin), when its HTML (VS Code's fake.html, into
 * which the HTML is then written) started arriving, and when its script ran. Run in a row:
 *   1. the first webview of the window, 2. a second one (the first still open), 3. one with
 *   retainContextWhenHidden and no localResourceRoots, 4. one without scripts allowed in the page
 *   (timed from the outer frame), 5. a third plain one.
 * BENCH_PLAIN=1 then opens the same workbench in a Chromium with no automation attached (no CDP):
 * the probe opens three webviews there by itself and reports the page's marks through a file.
 * With BENCH_SW=1 it also prints the service worker's version states (CDP ServiceWorker domain)
 * relative to each command: every new webview registers VS Code's service worker under a URL
 * with its own id, so each one installs and activates a new worker version.
 * The point: bench/flame.ts's "the webview document starts → its HTML starts arriving" (~1 s) is
 * the same here, so no extension code or webview option is in it. Measured (load 5): the window's
 * first webview 38 ms, every later one 990–1,160 ms whatever its options: the new worker version
 * stays "activating" ~1 s (BENCH_SW=1) and the page's navigation to fake.html waits for it; the same
 * in a Chromium without automation (BENCH_PLAIN=1: 22 ms for the first, 986 and 994 ms after).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { launch } from '../test/integration/harness/vscode';
import { BenchTable } from './vscodeBench';

const root = mkdtempSync(path.join(tmpdir(), 'pprof-lens-bench-webview-'));
const ext = path.join(root, 'probe');
const ws = path.join(root, 'ws');

const variants: Record<string, { title: string; options: string; scripts: boolean }> = {
  plain: { title: 'Probe: Empty Webview', options: '{ enableScripts: true }', scripts: true },
  retained: {
    title: 'Probe: Empty Webview Retained',
    options: '{ enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] }',
    scripts: true,
  },
  noScripts: { title: 'Probe: Empty Webview Without Scripts', options: '{ enableScripts: false }', scripts: false },
};

function writeProbe(): void {
  mkdirSync(ext, { recursive: true });
  mkdirSync(ws, { recursive: true });
  writeFileSync(
    path.join(ext, 'package.json'),
    JSON.stringify({
      name: 'webview-probe',
      publisher: 'bench',
      version: '0.0.1',
      engines: { vscode: '^1.80.0' },
      main: './extension.js',
      activationEvents: ['onStartupFinished'],
      contributes: {
        commands: Object.entries(variants).map(([id, v]) => ({ command: `probe.${id}`, title: v.title })),
      },
    }),
  );
  // The page: its marks go into the body's data attributes, read by the bench.
  const script = `const n=performance.getEntriesByType('navigation')[0];const b=document.body.dataset;b.origin=Math.round(performance.timeOrigin);b.response=Math.round(performance.timeOrigin+(n?n.responseStart:0));b.script=Date.now();`;
  writeFileSync(
    path.join(ext, 'extension.js'),
    `const vscode = require('vscode');
let n = 0;
exports.activate = (ctx) => {
${Object.entries(variants)
  .map(
    ([id, v]) => `  ctx.subscriptions.push(vscode.commands.registerCommand('probe.${id}', () => {
    const at = Date.now();
    const p = vscode.window.createWebviewPanel('probe', 'probe ' + (++n), vscode.ViewColumn.Beside, ${v.options});
    p.webview.html = '<!DOCTYPE html><html><head><meta charset="UTF-8"></head><body id="probe" data-n="' + n + '" data-host="' + at + '">probe ' + n + ${JSON.stringify(v.scripts ? `<script>${script}</script>` : '')} + '</body></html>';
  }));`,
  )
  .join('\n')}
};
// Auto mode (BENCH_PLAIN): in a window opened after the file 'auto' exists, three plain webviews in
// a row, each timed by the page's own clock; the results go to results-<session>.json.
const fs = require('fs'), path = require('path');
if (fs.existsSync(path.join(__dirname, 'auto'))) {
  const out = [];
  const one = (i) => new Promise((resolve) => {
    const at = Date.now();
    const p = vscode.window.createWebviewPanel('probe', 'auto ' + i, vscode.ViewColumn.Beside, { enableScripts: true });
    p.webview.onDidReceiveMessage((m) => { out.push({ host: at, ...m }); resolve(); });
    p.webview.html = '<!DOCTYPE html><html><head><meta charset="UTF-8"></head><body>auto ' + i + ${JSON.stringify(`<script>${script}acquireVsCodeApi().postMessage({...document.body.dataset});</script>`)} + '</body></html>';
  });
  setTimeout(async () => {
    for (let i = 1; i <= 3; i++) { await one(i); await new Promise((r) => setTimeout(r, 1500)); }
    fs.writeFileSync(path.join(__dirname, 'results-' + vscode.env.sessionId + '.json'), JSON.stringify(out));
  }, 4000);
}
exports.deactivate = () => {};
`,
  );
}

const table = new BenchTable();

async function main(): Promise<void> {
  writeProbe();
  const vs = await launch({ workspace: ws, extensionDevelopmentPath: [ext], stepTimeoutMs: 120_000 });
  const sw: { t: number; what: string }[] = [];
  try {
    const page = vs.page;
    if (process.env.BENCH_SW) {
      const cdp = await page.context().newCDPSession(page);
      cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
        for (const v of e.versions)
          sw.push({
            t: Date.now(),
            what: `version ${v.versionId} ${v.status} ${v.runningStatus} ${v.scriptURL.replace(/^.*[?&]id=([^&]+).*$/, 'id=$1')}`,
          });
      });
      await cdp.send('ServiceWorker.enable');
    }
    await vs.waitFor(async () => (await page.locator('.statusbar').count()) > 0, { message: 'workbench' });
    await page.waitForTimeout(3000);
    const runs: [string, string][] = [
      ['plain', '1st webview of the window'],
      ['plain', '2nd webview (the 1st still open)'],
      ['retained', 'retainContextWhenHidden, localResourceRoots []'],
      ['noScripts', 'enableScripts false (timed from the outer frame)'],
      ['plain', 'another plain one'],
    ];
    for (let i = 0; i < runs.length; i++) {
      const [id, what] = runs[i]!;
      const n = i + 1;
      const from = sw.length;
      await vs.runCommand(variants[id]!.title);
      const f = await findProbe(vs.webviewFrames.bind(vs), n, variants[id]!.scripts);
      const d = f.marks;
      table.note(`${n}. ${what}`);
      table.row('  command in the host → page document starts', d.origin - d.host);
      table.row('  page document starts → its HTML (fake.html) starts arriving', d.response - d.origin);
      if (d.script) table.row('  → its script runs', d.script - d.response);
      table.row('  command in the host → page ready', (d.script || d.response) - d.host);
      for (const s of sw.slice(from)) table.note(`    sw: ${s.what}`, `${s.t - d.host} ms`, '(since the command)');
      await page.waitForTimeout(1500);
    }
    if (process.env.BENCH_PLAIN) await plainChromium(vs.url);
  } finally {
    await vs.close();
    if (process.env.PPROF_LENS_KEEP !== '1') rmSync(root, { recursive: true, force: true });
  }
  table.print();
}

/**
 * The same webviews in a Chromium that no automation is attached to (no CDP, no Playwright: DevTools
 * attached to a service worker could change its timing): the probe's auto mode times them.
 */
async function plainChromium(url: string): Promise<void> {
  writeFileSync(path.join(ext, 'auto'), '');
  const profile = mkdtempSync(path.join(root, 'chromium-'));
  const chromium = spawn(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      '--window-size=1400,900',
      url,
    ],
    { stdio: 'ignore' },
  );
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const f = readdirSync(ext).find((x) => x.startsWith('results-'));
      if (f) {
        const runs = JSON.parse(readFileSync(path.join(ext, f), 'utf8')) as Record<string, string | number>[];
        runs.forEach((m, i) => {
          const [host, origin, response, script] = ['host', 'origin', 'response', 'script'].map((k) => Number(m[k]));
          table.note(`plain Chromium (no automation attached), webview ${i + 1} of the window`);
          table.row('  command in the host → page document starts', origin! - host!);
          table.row('  page document starts → its HTML (fake.html) starts arriving', response! - origin!);
          table.row('  command in the host → page script runs', script! - host!);
        });
        return;
      }
      if (Date.now() > deadline) throw new Error('the plain Chromium window reported nothing in 120 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    chromium.kill('SIGKILL');
  }
}

/** The probe page number n among the webview frames, and its marks. */
async function findProbe(
  frames: (o?: { minCount?: number; timeoutMs?: number }) => Promise<Frame[]>,
  n: number,
  scripts: boolean,
): Promise<{ marks: Record<'host' | 'origin' | 'response' | 'script', number> }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const f of await frames({ minCount: 1 })) {
      const el = await f.$(`#probe[data-n="${n}"]`);
      if (!el) continue;
      if (scripts) {
        const script = await el.getAttribute('data-script');
        if (!script) continue;
        const get = async (k: string) => Number(await el.getAttribute(`data-${k}`));
        return {
          marks: {
            host: await get('host'),
            origin: await get('origin'),
            response: await get('response'),
            script: Number(script),
          },
        };
      }
      // No script may run in the page: read its timing from the outer frame (same origin).
      const m = await f.parentFrame()!.evaluate(() => {
        const inner = document.querySelector('#active-frame') as HTMLIFrameElement;
        const w = inner.contentWindow as Window & typeof globalThis;
        const nav = w.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return {
          origin: Math.round(w.performance.timeOrigin),
          response: Math.round(w.performance.timeOrigin + (nav?.responseStart ?? 0)),
        };
      });
      return { marks: { host: Number(await el.getAttribute('data-host')), ...m, script: 0 } };
    }
    if (Date.now() > deadline) throw new Error(`no probe page ${n}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
