/**
 * "Compare with…" on the benchmark CodeLens (command pprofLens.compareBenchmark): picks a git
 * revision (HEAD when the working tree has uncommitted changes, else HEAD~1, or a branch, tag or
 * any revision typed), runs the benchmark -count=N there (a temporary git worktree) and in the
 * working tree with CPU and memory profiles (src/node/benchAB.ts), shows benchstat's table, and
 * opens the working tree's CPU profile with the base's subtracted, both per operation. Progress
 * with Cancel (kills go test), the raw output kept next to the profiles. Trusted workspaces only.
 * Loaded on first use from its own bundle, dist/lazyFeatures.js (esbuild.mjs); extension.ts registers the command.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultRevisions, isBenchmarkName, MISSING_GO_MESSAGE } from '../../core/bench';
import { timestamp } from '../../core/capture';
import { ABCancelled, ABError, defaultRef, runBenchAB, type ABOutcome } from '../../node/benchAB';
import { findGo } from './benchLens';
import { captureDirectory, createCaptureDirectory } from '../capture/captureDirectory';
import type { Commands } from '../commands';
import { requireTrust } from '../trust';

export interface CompareBenchmarkArgs {
  uri: string | vscode.Uri;
  name: string;
  /** The base revision; asked when absent. */
  ref?: string;
  /** Open the table and the overlays when done (default true). */
  open?: boolean;
}

/** Branches and tags, most recently committed first. */
function gitRefs(cwd: string): Promise<string[]> {
  return new Promise((resolve) => {
    const c = spawn(
      'git',
      ['for-each-ref', '--sort=-committerdate', '--count=40', '--format=%(refname:short)', 'refs/heads', 'refs/tags'],
      { cwd, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', () => resolve([]));
    c.on('close', () => resolve(out.split('\n').filter((l) => l.trim() !== '')));
  });
}

function abCount(cfg: vscode.WorkspaceConfiguration): number {
  const n = cfg.get<number>('bench.compareCount');
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 100 ? n : 10;
}

export class BenchCompareCommands {
  private running = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly commands: Commands,
  ) {}

  private async askRef(pkgDir: string): Promise<string | undefined> {
    const def = await defaultRef(pkgDir);
    const refs = await gitRefs(pkgDir);
    type Item = vscode.QuickPickItem & { ref?: string };
    const first = defaultRevisions(def.dirty, def.hasParent);
    const items: Item[] = [
      ...first.map((r) => ({ label: r.ref, description: r.description, ref: r.ref })),
      ...refs.map((r) => ({ label: r, ref: r })),
      { label: 'Other revision…', description: 'a commit, tag or expression such as main~3' },
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: 'pprof: compare the benchmark with which revision?',
      placeHolder:
        first.length > 0
          ? 'The working tree is compared with the revision you pick'
          : 'HEAD has no parent commit and the working tree has no changes: pick a branch or tag to compare with',
    });
    if (!pick) return undefined;
    if (pick.ref) return pick.ref;
    const typed = await vscode.window.showInputBox({
      title: 'pprof: revision to compare with',
      prompt: 'A branch, tag, commit or expression git understands (HEAD~2, v1.4.0, 1a2b3c4)',
      validateInput: (v) => (/^[^\s-][^\s]*$/.test(v.trim()) ? undefined : 'A revision without spaces, not an option'),
    });
    return typed?.trim() || undefined;
  }

  /** Runs the A/B. Returns the outcome (undefined when cancelled or failed, after telling the user). */
  async compare(arg?: unknown): Promise<ABOutcome | undefined> {
    if (!requireTrust('Comparing a benchmark across revisions (it runs git and go test)')) return undefined;
    if (typeof arg !== 'object' || arg === null || !('uri' in arg) || !('name' in arg)) {
      void vscode.window.showInformationMessage(
        'pprof: use "Compare with…" in the CodeLens above a func BenchmarkXxx in a _test.go file.',
      );
      return undefined;
    }
    const a = arg as CompareBenchmarkArgs;
    const file = typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : a.uri;
    if (file.scheme !== 'file' || typeof a.name !== 'string' || !isBenchmarkName(a.name)) {
      void vscode.window.showErrorMessage('pprof: benchmarks can be compared only in Go test files on disk.');
      return undefined;
    }
    const go = findGo(file);
    if (!go) {
      void vscode.window.showErrorMessage(MISSING_GO_MESSAGE);
      return undefined;
    }
    if (this.running) {
      void vscode.window.showInformationMessage('pprof: a benchmark comparison is already running.');
      return undefined;
    }
    const pkgDir = path.dirname(file.fsPath);
    const ref = a.ref ?? (await this.askRef(pkgDir));
    if (!ref) return undefined;
    const cfg = vscode.workspace.getConfiguration('pprofLens');
    let outDir: vscode.Uri;
    try {
      outDir = await createCaptureDirectory(captureDirectory(this.context));
    } catch (e) {
      void vscode.window.showErrorMessage(`pprof: ${(e as Error).message}`);
      return undefined;
    }
    const dir = vscode.Uri.joinPath(outDir, `${a.name}-ab-${timestamp(new Date())}`);
    const flags = cfg.get<unknown>('bench.flags');
    const count = abCount(cfg);
    this.running = true;
    let outcome: ABOutcome;
    try {
      outcome = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `pprof: ${a.name} vs ${ref}`,
          cancellable: true,
        },
        async (progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return runBenchAB({
            go: go.path,
            pkgDir,
            benchmark: a.name,
            ref,
            count,
            benchtime: (cfg.get<string>('bench.benchtime') ?? '').trim(),
            extraFlags: Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string' && f !== '') : [],
            outDir: dir.fsPath,
            signal: ac.signal,
            progress: (message) => progress.report({ message }),
          });
        },
      );
    } catch (e) {
      const log = vscode.Uri.joinPath(dir, 'go-test-output.txt');
      if (e instanceof ABCancelled) {
        void vscode.window.showInformationMessage(`pprof: the comparison of ${a.name} was cancelled.`);
        return undefined;
      }
      const msg = e instanceof ABError ? e.message : e instanceof Error ? e.message : String(e);
      void vscode.window.showErrorMessage(`pprof: ${msg}`, 'Open Output').then((c) => {
        if (c === 'Open Output') void vscode.window.showTextDocument(log, { preview: true });
      });
      return undefined;
    } finally {
      this.running = false;
    }
    const done = outcome;
    if (a.open === false) return done;
    const perOp = {
      current: done.ops.new,
      base: done.ops.old,
      note:
        `Per operation: the working tree's CPU profile ÷ ${done.ops.new.toLocaleString('en-US')} ops and ` +
        `${ref}'s ÷ ${done.ops.old.toLocaleString('en-US')} ops (the b.N go test printed, summed over -count=${count}; ` +
        `its calibration runs are profiled but not counted), then ${ref}'s subtracted (-base). ` +
        `${ref}'s lines are moved onto the working tree's through git diff (a changed line to the first line of its new hunk).`,
    };
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(done.files.table));
    await vscode.window.showTextDocument(doc, {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    void vscode.window
      .showInformationMessage(
        `pprof: ${a.name}, ${ref} → working tree: table beside; CPU overlays per operation (${ref} subtracted).`,
        'Open Raw Output',
        'Memory Profile',
      )
      .then((c) => {
        if (c === 'Open Raw Output') void vscode.window.showTextDocument(vscode.Uri.file(done.files.log));
        else if (c === 'Memory Profile')
          void this.commands.openWith(vscode.Uri.file(done.files.newMem), {
            base: {
              uri: vscode.Uri.file(done.files.oldMem),
              mode: 'base',
              name: ref,
              perOp: { ...perOp, note: perOp.note.replace('CPU profile', 'memory profile') },
            },
          });
      });
    await this.commands.openWith(vscode.Uri.file(done.files.newCpu), {
      base: { uri: vscode.Uri.file(done.files.oldCpu), mode: 'base', name: ref, perOp },
    });
    return done;
  }
}
