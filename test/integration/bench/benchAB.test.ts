/**
 * Benchmark A/B in a real VS Code: a git repository of test/fixtures/benchab (base committed,
 * change/words.go uncommitted) opened in code-server; "Compare with…" above BenchmarkJoin, pick
 * HEAD; the benchstat table opens beside (allocs/op 126 → 1, -99.21%, p=0.002 n=6), the status
 * bar says the CPU profiles are compared per operation with HEAD subtracted, and words.go shows
 * signed overlays. Saves docs/screenshots/bench-ab.png. Skipped without go or git.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { launch, REPO_ROOT, type VSCode } from '../harness/vscode';

const fixture = path.join(REPO_ROOT, 'test/fixtures/benchab');

describe('benchmark A/B across revisions in a real VS Code', function () {
  this.timeout(300_000);
  let vs: VSCode;
  let ws: string;

  before(async function () {
    if (spawnSync('go', ['version']).status !== 0 || spawnSync('git', ['--version']).status !== 0) {
      process.stdout.write('      SKIPPED: go or git not on PATH.\n');
      this.skip();
    }
    ws = mkdtempSync(path.join(tmpdir(), 'pprof-lens-benchab-'));
    for (const f of readdirSync(path.join(fixture, 'base')))
      copyFileSync(path.join(fixture, 'base', f), path.join(ws, f));
    const git = (...a: string[]) => execFileSync('git', a, { cwd: ws });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    copyFileSync(path.join(fixture, 'change', 'words.go'), path.join(ws, 'words.go'));
    vs = await launch({
      workspace: ws,
      settings: { 'pprofLens.bench.compareCount': 6, 'pprofLens.bench.benchtime': '3000x' },
    });
  });
  after(async () => {
    await vs?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('"Compare with…" HEAD shows the benchstat table and the per-operation CPU difference', async () => {
    await vs.openFile('words_test.go');
    await vs.waitFor(async () => (await vs.codeLenses()).some((l) => l.text === 'Compare with…'), {
      message: 'the Compare with… lens',
    });
    await vs.page.locator('.codelens-decoration a', { hasText: 'Compare with…' }).first().click();
    await vs.pickQuickPickItem('HEAD');
    const status = await vs.waitFor(
      async () => (await vs.statusBarItems()).find((s) => /Δ -base HEAD per op/.test(s)),
      { timeoutMs: 240_000, message: 'the per-op comparison in the status bar' },
    );
    assert.ok(status);
    // The table: written next to the profiles in the capture directory, and open in an editor.
    const dir = path.join(ws, '.pprof');
    const run = readdirSync(dir).find((d) => d.startsWith('BenchmarkJoin-ab-'))!;
    const table = readFileSync(path.join(dir, run, 'benchstat.txt'), 'utf8');
    // The medians and the change are the benchmark's; the spread (± n%) is the run's: a loaded
    // machine's GC once made the working tree's B/op vary by 1%.
    assert.match(table, /^Join-\d+ +126\.000 ± \d+% +1\.000 ± \d+% +-99\.21% \(p=0\.002 n=6\)$/m);
    assert.match(table, /^Join-\d+ +32840\.0 ± \d+% +512\.0 ± \d+% +-98\.44% \(p=0\.002 n=6\)$/m);
    assert.match(readFileSync(path.join(dir, run, 'go-test-output.txt'), 'utf8'), /git worktree add --detach/);
    await vs.waitFor(async () => (await vs.page.locator('.tab', { hasText: 'benchstat.txt' }).count()) > 0, {
      message: 'the table in an editor tab',
    });
    // No temporary worktree is left.
    assert.equal(execFileSync('git', ['worktree', 'list'], { cwd: ws, encoding: 'utf8' }).trim().split('\n').length, 1);
    mkdirSync(path.join(REPO_ROOT, 'docs/screenshots'), { recursive: true });
    await vs.openFile('words.go');
    const decos = await vs.editorDecorations();
    assert.ok(decos.length > 0, 'signed per-op overlays on words.go');
    await vs.screenshot(path.join(REPO_ROOT, 'docs/screenshots/bench-ab.png'));
  });
});
