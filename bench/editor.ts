/**
 * npm run bench:editor — the editor on a 700,000-sample Go heap profile (~32 MB uncompressed,
 * bench/generate.ts generateGoHeapProfile), measured INSIDE a real VS Code (code-server driven by
 * test/integration/harness), issue 11 item 6:
 *   - Open Profile → overlays visible: "pprof: Open Profile", the profile picked in its list (the
 *     clock starts at Enter on the row), until the first overlay value is in the DOM of the Go
 *     editor already open (a page-side check on every animation frame);
 *   - sample-type switch from the status bar's picker → overlays updated: the host's side (the
 *     session's change listeners: decorations of the visible editors, CodeLens, status bar, views)
 *     from the probe, and Enter → the new values in the DOM;
 *   - the extension host never blocked > 50 ms: the probe (src/vscode/perfProbe.ts, enabled by
 *     PPROF_LENS_PERF_LOG, which only this bench sets) writes every event-loop block over 20 ms;
 *   - the flame graph's first paint: npm run bench:flame measures it (run it too).
 * The workspace holds the profile and the Go files its user functions name (/build/ci/shop/… →
 * the workspace root, a folder name the build machine never had), each function's `func` on its
 * recorded start line, so overlays show and nothing looks stale.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { goDeclName } from '../src/core/heat';
import { parseProfile } from '../src/core/decode';
import { launch } from '../test/integration/harness/vscode';
import { BenchTable, benchProfile, recordFrameGaps } from './vscodeBench';

const TARGET = { overlays: 1500, switch: 50, block: 50 };
const { file, raw } = benchProfile();
const ws = mkdtempSync(path.join(tmpdir(), 'pprof-lens-bench-editor-'));
const name = 'heap-700k.pb.gz';
copyFileSync(file, path.join(ws, name));
writeFileSync(path.join(ws, 'go.mod'), 'module example.com/shop\n\ngo 1.19\n');

// The user's Go files, as the profile knows them: sampled lines hold code, start lines their func.
const BUILD = '/build/ci/shop/';
const profile = parseProfile(raw);
const files = new Map<string, { funcs: Map<number, string[]>; lines: Set<number> }>();
const fileOf = (f: string) => {
  let x = files.get(f);
  if (!x) files.set(f, (x = { funcs: new Map(), lines: new Set() }));
  return x;
};
for (const f of profile.functions) {
  if (!f.file.startsWith(BUILD)) continue;
  const decl = goDeclName(f.name);
  const at = fileOf(f.file).funcs;
  if (decl !== undefined && f.startLine > 0) at.set(f.startLine, [...(at.get(f.startLine) ?? []), decl]);
}
for (const loc of profile.locations)
  for (const l of loc.lines) {
    const f = profile.functions[l.func];
    if (f?.file.startsWith(BUILD)) fileOf(f.file).lines.add(l.line);
  }
// The heaviest user line (cum of the default sample type): the editor opens there, so that its
// overlay is one a user sees (lines under pprofLens.minLinePercent show none).
const T = profile.sampleTypes.length;
const { values, locStart, stack, stackLocs, count } = profile.samples;
const locWeight = new Float64Array(profile.locations.length);
for (let i = 0; i < count; i++) {
  const v = values[i * T + T - 1]!;
  for (let k = locStart[stack[i]!]!; k < locStart[stack[i]! + 1]!; k++) locWeight[stackLocs[k]!]! += v;
}
const lineWeight = new Map<string, number>();
profile.locations.forEach((loc, i) => {
  for (const l of loc.lines) {
    const f = profile.functions[l.func];
    if (f?.file.startsWith(BUILD)) {
      const k = `${f.file}:${l.line}`;
      lineWeight.set(k, (lineWeight.get(k) ?? 0) + locWeight[i]!);
    }
  }
});
const [hotKey] = [...lineWeight].reduce((a, b) => (b[1] > a[1] ? b : a));
const hottest = hotKey.slice(BUILD.length, hotKey.lastIndexOf(':'));
const firstLine = Number(hotKey.slice(hotKey.lastIndexOf(':') + 1));
for (const [f, x] of files) {
  const n = Math.max(...x.lines, ...x.funcs.keys()) + 5;
  const pkg = path.basename(path.dirname(f)).replace(/\W/g, '_');
  const text: string[] = [`package ${pkg}`];
  for (let ln = 2; ln <= n; ln++) {
    const decls = x.funcs.get(ln);
    text.push(decls ? decls.map((d) => `func ${d || 'f'}() {`).join(' } ; ') : '\tn++');
  }
  const rel = f.slice(BUILD.length);
  mkdirSync(path.join(ws, path.dirname(rel)), { recursive: true });
  writeFileSync(path.join(ws, rel), `${text.join('\n')}\n`);
}
console.log(
  `workspace: ${files.size} Go files of the profile's user code; opened: ${hottest} at its heaviest line, ${firstLine}`,
);

const perfLog = path.join(ws, '.perf.jsonl');
interface PerfLine {
  kind: string;
  at: number;
  ms?: number;
  change?: string;
  max?: number;
  decodeMs?: number;
  annotateMs?: number;
}
const perf = (): PerfLine[] =>
  existsSync(perfLog)
    ? readFileSync(perfLog, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as PerfLine)
    : [];
const blocks = (from: number, to: number) => perf().filter((p) => p.kind === 'lag' && p.at >= from && p.at <= to);

const table = new BenchTable();

async function main(): Promise<void> {
  const vs = await launch({
    workspace: ws,
    stepTimeoutMs: 180_000,
    env: {
      PPROF_LENS_PERF_LOG: perfLog,
      // BENCH_HOST_CPUPROFILE=<file>: the extension host's CPU profile of its first 35 s (the probe writes it then).
      ...(process.env.BENCH_HOST_CPUPROFILE
        ? { PPROF_LENS_PERF_CPUPROFILE: process.env.BENCH_HOST_CPUPROFILE, PPROF_LENS_PERF_CPUPROFILE_MS: '35000' }
        : {}),
    },
    settings: { 'workbench.editorLargeFileConfirmation': 1024 },
  });
  try {
    const page = vs.page;
    const maxGap = await recordFrameGaps(page);
    await vs.openFile(hottest);
    await vs.revealLine(firstLine);
    await vs.waitFor(async () => perf().length > 0, { timeoutMs: 120_000, message: 'the probe started' });
    // Counts the overlay values in the DOM of the active editor on every animation frame, with the
    // wall-clock time of the first frame that had one and the text they showed then.
    await page.evaluate(`(() => {
      window.__deco = { at: 0, text: '' };
      const read = () => {
        const out = [];
        for (const s of document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines span[class*="ced-"]')) {
          const c = getComputedStyle(s, '::after').content;
          if (c && c !== 'none' && c !== 'normal' && c !== '""') out.push(c);
        }
        return out.join('|');
      };
      window.__readDeco = read;
      const tick = () => {
        const t = read();
        if (t !== window.__deco.text) window.__deco = { at: Date.now(), text: t };
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    const deco = () => page.evaluate(() => (window as unknown as { __deco: { at: number; text: string } }).__deco);

    // Open Profile: the command, then the profile's row in its picker.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill('>pprof: Open Profile');
    await page
      .locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'pprof: Open Profile' })
      .first()
      .waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    const tCmd = Date.now();
    await page.keyboard.press('Enter');
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: name })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    table.row('Open Profile: command → its list of profiles shown', Date.now() - tCmd);
    await page.waitForTimeout(300);
    const rowOf = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name });
    if ((await rowOf.count()) === 0) throw new Error(`${name} is not the first row of the profile picker`);
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    const shown = await vs.waitFor(async () => ((await deco()).text !== '' ? deco() : undefined), {
      timeoutMs: 120_000,
      intervalMs: 20,
      message: 'overlays shown',
    });
    table.row('Open Profile: profile picked → first overlays in the editor', shown.at - t0, TARGET.overlays);
    const loadEvents = perf().filter((p) => p.kind === 'session' && p.at >= t0 && p.at <= shown.at);
    for (const e of loadEvents) {
      if (e.decodeMs !== undefined) {
        table.row('  worker: decoding the profile', e.decodeMs);
        table.row('  worker: the view and its per-line columns', e.annotateMs ?? NaN);
      }
      table.row(`  host: the session's "${e.change}" listeners, ${e.at - t0} ms after the pick`, e.ms ?? 0);
    }
    await page.waitForTimeout(2000); // the worker builds the flame trees ahead (idle work)
    const b1 = blocks(t0, Date.now());
    table.row(
      `  longest extension-host block, load and 2 s after (${b1.length} over 20 ms)`,
      Math.max(0, ...b1.map((b) => b.ms ?? 0)),
      TARGET.block,
    );
    table.row('  longest main-window stall meanwhile', await maxGap(t0, Date.now()));
    console.log(
      `extension-host blocks after the pick (ms after Enter: ms): ${b1.map((b) => `${b.at - t0}: ${b.ms}`).join(', ')}`,
    );
    console.log(
      `session changes (ms after Enter: change): ${loadEvents.map((e) => `${e.at - t0}: ${e.change}`).join(', ')}`,
    );
    console.log(`first overlays: ${shown.text.slice(0, 160)}`);

    // Sample-type switches from the status bar's picker.
    for (const type of ['alloc_space', 'inuse_objects', 'inuse_space']) {
      const before = (await deco()).text;
      await vs.runCommand('pprof: Switch Sample Type');
      await page
        .locator('.quick-input-widget .monaco-list-row', { hasText: type })
        .first()
        .waitFor({ state: 'visible' });
      await input.fill(type);
      await page
        .locator('.quick-input-widget .monaco-list-row.focused', { hasText: type })
        .first()
        .waitFor({ state: 'visible' });
      await page.waitForTimeout(200);
      const t = Date.now();
      await page.keyboard.press('Enter');
      const after = await vs.waitFor(async () => ((await deco()).text !== before ? deco() : undefined), {
        timeoutMs: 30_000,
        intervalMs: 10,
        message: `overlays of ${type}`,
      });
      await page.waitForTimeout(500);
      const host = perf().find((p) => p.kind === 'session' && p.change === 'sampleType' && p.at >= t);
      table.row(`switch to ${type}: host, the session's listeners (decorations set)`, host?.ms ?? NaN, TARGET.switch);
      table.row('  Enter in the picker → new values in the DOM', after.at - t);
      const b = blocks(t, Date.now());
      table.row('  longest extension-host block meanwhile', Math.max(0, ...b.map((x) => x.ms ?? 0)), TARGET.block);
    }
    if (process.env.BENCH_HOST_CPUPROFILE)
      await vs.waitFor(async () => existsSync(process.env.BENCH_HOST_CPUPROFILE!), {
        timeoutMs: 60_000,
        message: 'the extension host CPU profile',
      });
    const all = blocks(0, Date.now());
    const delay = perf().filter((p) => p.kind === 'delay');
    table.note(
      `extension host over the whole run: ${all.length} blocks over 20 ms, longest`,
      `${Math.max(0, ...all.map((b) => b.ms ?? 0))} ms`,
      `(event-loop delay histogram max ${Math.max(0, ...delay.map((d) => d.max ?? 0))} ms)`,
    );
  } finally {
    await vs.close();
    if (process.env.PPROF_LENS_KEEP !== '1') rmSync(ws, { recursive: true, force: true });
  }
  table.print();
  console.log('flame graph first paint: npm run bench:flame');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
