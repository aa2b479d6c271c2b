/**
 * The benchmark CodeLens inside a real VS Code (code-server driven by playwright, through
 * test/integration/harness/vscode.ts): open the fixture's work_test.go, find "profile CPU" above
 * BenchmarkChecksum, run it (go test with -cpuprofile in a task, output in the terminal), and
 * check that the profile opens with overlays on the loop line of work.go; then a memory profile
 * of BenchmarkBuild puts alloc_space on the allocation line.
 *
 * Written against the harness API the overlays test uses; skipped until that harness exists, and
 * when no go binary is installed. What runs underneath is covered without VS Code by
 * test/e2e/bench.test.ts (same argv, same fixture, same load path).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const fixture = path.join(__dirname, 'fixture');
const harnessPath = path.join(root, 'test/integration/harness/vscode.ts');
const workGo = readFileSync(path.join(fixture, 'work.go'), 'utf8').split('\n');
const testGo = readFileSync(path.join(fixture, 'work_test.go'), 'utf8').split('\n');
const lineOf = (lines: string[], marker: string) => lines.findIndex((l) => l.includes(marker)) + 1;

interface Decoration {
  line: number;
  text: string;
}
interface Harness {
  runCommand(title: string): Promise<void>;
  openFile(rel: string): Promise<void>;
  editorDecorations(): Promise<Decoration[]>;
  codeLenses(): Promise<{ line: number; text: string }[]>;
  clickCodeLens?(line: number, text: string): Promise<void>;
  statusBarItems(): Promise<string[]>;
  notifications?(): Promise<string[]>;
  screenshot(file: string): Promise<void>;
  pickQuickPickItem?(label: string): Promise<void>;
  close(): Promise<void>;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('benchmark CodeLens in a real VS Code', function () {
  this.timeout(300_000);
  let vs: Harness;

  before(async function () {
    if (!existsSync(harnessPath)) this.skip();
    if (spawnSync('go', ['version']).status !== 0) {
      process.stdout.write('      SKIPPED: no go binary on PATH.\n');
      this.skip();
    }
    const h = (await import(harnessPath)) as { launch(o: { workspace: string }): Promise<Harness> };
    vs = await h.launch({ workspace: fixture });
  });
  after(async () => vs?.close());

  async function run(bench: string, label: string, kindLabel: string): Promise<void> {
    const line = lineOf(testGo, `func ${bench}(`);
    const lenses = await until('the benchmark lenses', async () => {
      const l = (await vs.codeLenses()).filter((x) => x.line === line);
      return l.length >= 5 ? l : undefined;
    });
    assert.deepEqual(
      lenses.map((l) => l.text.replace(/^\$\(flame\)\s*|^\W+\s*/, '')),
      ['profile CPU', 'memory', 'block', 'mutex', 'Compare with…'],
    );
    if (vs.clickCodeLens) await vs.clickCodeLens(line, label);
    else {
      await vs.runCommand('pprof: Profile Benchmark…');
      await vs.pickQuickPickItem?.(bench);
      await vs.pickQuickPickItem?.(`profile ${kindLabel}`);
    }
  }

  it('"profile CPU" above BenchmarkChecksum runs go test -cpuprofile and shows the profile on the loop line', async () => {
    await vs.openFile('work_test.go');
    await run('BenchmarkChecksum', 'profile CPU', 'CPU');
    const status = await until('the profile in the status bar', async () =>
      (await vs.statusBarItems()).find((s) => /BenchmarkChecksum-cpu-.*\.pprof · cpu/.test(s)),
    );
    assert.ok(status);
    await vs.openFile('work.go');
    const decos = await vs.editorDecorations();
    const hot = decos.find((d) => d.line === lineOf(workGo, 'CPU-LINE'));
    assert.ok(hot && /\d/.test(hot.text), `no overlay on the CPU line: ${JSON.stringify(decos)}`);
    await vs.screenshot(path.join(root, 'docs/screenshots/bench-codelens.png'));
  });

  it('"memory" above BenchmarkBuild shows allocations on the allocation line', async () => {
    await vs.openFile('work_test.go');
    await run('BenchmarkBuild', 'memory', 'memory');
    await until('the memory profile', async () =>
      (await vs.statusBarItems()).find((s) => /BenchmarkBuild-mem-/.test(s)),
    );
    await vs.runCommand('pprof: Switch Sample Type');
    await vs.pickQuickPickItem?.('alloc_space');
    await vs.openFile('work.go');
    const decos = await vs.editorDecorations();
    assert.ok(
      decos.some((d) => d.line === lineOf(workGo, 'ALLOC-LINE') && /B/.test(d.text)),
      JSON.stringify(decos),
    );
  });
});
