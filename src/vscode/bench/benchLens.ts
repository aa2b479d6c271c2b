/**
 * Benchmark profiling: a CodeLens "profile CPU | memory | block | mutex" above every
 * `func BenchmarkXxx(b *testing.B)` in *_test.go files, and the command pprofLens.profileBenchmark.
 * It runs `go test -run=^$ -bench=^BenchmarkXxx$ -<kind>profile=<file> .` in the test file's
 * package directory as a VS Code task (output in the terminal), waits for it to end, and opens the
 * profile. The go binary comes from the Go extension's settings (go.alternateTools, go.goroot) or
 * PATH; without one the user gets a message saying how to install or configure it.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  BENCH_PROFILE_KINDS,
  benchArgs,
  benchProfileFileName,
  findBenchmarks,
  isBenchProfileKind,
  MISSING_GO_MESSAGE,
  resolveGoBinary,
  type BenchProfileKind,
  type GoBinary,
} from '../../core/bench';
import { timestamp } from '../../core/capture';
import { captureDirectory, createCaptureDirectory } from '../capture/captureDirectory';
import type { Commands } from '../commands';
import { requireTrust } from '../trust';

export const BENCH_TASK_TYPE = 'pprofLens.bench';

export interface ProfileBenchmarkArgs {
  uri: string | vscode.Uri;
  name: string;
  kind: BenchProfileKind;
  /** Open the profile when done (default true). */
  open?: boolean;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The go binary as the Go extension would pick it. */
export function findGo(scope?: vscode.Uri): GoBinary | undefined {
  const go = vscode.workspace.getConfiguration('go', scope);
  const ws = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  return resolveGoBinary({
    alternateTools: go.get('alternateTools'),
    goroot: go.get<string>('goroot') ?? '',
    pathEnv: process.env.PATH ?? '',
    isFile,
    ...(ws ? { workspaceFolder: ws.uri.fsPath } : {}),
  });
}

export class BenchCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!doc.fileName.endsWith('_test.go')) return [];
    if (vscode.workspace.getConfiguration('pprofLens').get<boolean>('bench.codeLens') === false) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const b of findBenchmarks(doc.getText())) {
      const range = new vscode.Range(b.line - 1, b.column, b.line - 1, b.column);
      BENCH_PROFILE_KINDS.forEach((k, i) => {
        lenses.push(
          new vscode.CodeLens(range, {
            title: i === 0 ? `$(flame) profile ${k.label}` : k.label,
            command: 'pprofLens.profileBenchmark',
            arguments: [{ uri: doc.uri.toString(), name: b.name, kind: k.kind } satisfies ProfileBenchmarkArgs],
            tooltip: `go test -run=^$ -bench=^${b.name}$ ${k.flag}=… in ${path.basename(path.dirname(doc.fileName))}, then open the profile`,
          }),
        );
      });
      lenses.push(
        new vscode.CodeLens(range, {
          title: 'Compare with…',
          command: 'pprofLens.compareBenchmark',
          arguments: [{ uri: doc.uri.toString(), name: b.name }],
          tooltip: `Run ${b.name} -count=N here and in another git revision, compare them as benchstat does, and show the CPU profiles' difference per operation`,
        }),
      );
    }
    return lenses;
  }
}

export class BenchCommands {
  private running = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly commands: Commands,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.languages.registerCodeLensProvider(
        { language: 'go', scheme: 'file', pattern: '**/*_test.go' },
        new BenchCodeLensProvider(),
      ),
      vscode.commands.registerCommand('pprofLens.profileBenchmark', (a?: unknown) => this.profileBenchmark(a)),
    ];
  }

  /** Picks a benchmark of the active editor and a profile kind. */
  private async pick(): Promise<ProfileBenchmarkArgs | undefined> {
    const ed = vscode.window.activeTextEditor;
    if (!ed || !ed.document.fileName.endsWith('_test.go')) {
      void vscode.window.showInformationMessage('pprof: open a Go test file (*_test.go) with a benchmark first.');
      return undefined;
    }
    const benches = findBenchmarks(ed.document.getText());
    if (benches.length === 0) {
      void vscode.window.showInformationMessage('pprof: this file has no func BenchmarkXxx(b *testing.B).');
      return undefined;
    }
    const cursor = ed.selection.active.line + 1;
    const around = [...benches].reverse().find((b) => b.line <= cursor) ?? benches[0]!;
    const items = benches.map((b) => ({ label: b.name, description: `line ${b.line}`, b }));
    items.sort((x, y) => Number(y.b === around) - Number(x.b === around));
    const b = await vscode.window.showQuickPick(items, { title: 'pprof: benchmark to profile' });
    if (!b) return undefined;
    const k = await vscode.window.showQuickPick(
      BENCH_PROFILE_KINDS.map((x) => ({ label: `profile ${x.label}`, description: x.flag, profileKind: x.kind })),
      { title: `pprof: profile ${b.b.name}` },
    );
    return k ? { uri: ed.document.uri, name: b.b.name, kind: k.profileKind } : undefined;
  }

  /** Runs the benchmark with the profile flag in a task and opens the profile. Returns its URI. */
  async profileBenchmark(arg?: unknown): Promise<vscode.Uri | undefined> {
    if (!requireTrust('Profiling a benchmark (it runs go test)')) return undefined;
    let a: ProfileBenchmarkArgs | undefined;
    if (typeof arg === 'object' && arg !== null && 'name' in arg && 'uri' in arg) a = arg as ProfileBenchmarkArgs;
    else a = await this.pick();
    if (!a) return undefined;
    if (!isBenchProfileKind(a.kind)) {
      void vscode.window.showErrorMessage(`pprof: unknown profile kind ${String(a.kind)} (cpu, mem, block or mutex).`);
      return undefined;
    }
    const file = typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : a.uri;
    if (file.scheme !== 'file') {
      void vscode.window.showErrorMessage('pprof: benchmarks can be profiled only in files on disk.');
      return undefined;
    }
    const go = findGo(file);
    if (!go) {
      const choice = await vscode.window.showErrorMessage(MISSING_GO_MESSAGE, 'Download Go', 'Open Settings');
      if (choice === 'Download Go') void vscode.env.openExternal(vscode.Uri.parse('https://go.dev/dl/'));
      else if (choice === 'Open Settings')
        void vscode.commands.executeCommand('workbench.action.openSettings', 'go.alternateTools');
      return undefined;
    }
    const pkgDir = path.dirname(file.fsPath);
    const key = `${pkgDir}\u0000${a.name}\u0000${a.kind}`;
    if (this.running.has(key)) {
      void vscode.window.showInformationMessage(`pprof: ${a.name} is already being profiled.`);
      return undefined;
    }
    const cfg = vscode.workspace.getConfiguration('pprofLens');
    let outDir: vscode.Uri;
    try {
      outDir = captureDirectory(this.context);
    } catch (e) {
      void vscode.window.showErrorMessage(`pprof: ${(e as Error).message}`);
      return undefined;
    }
    await createCaptureDirectory(outDir);
    const out = vscode.Uri.joinPath(outDir, benchProfileFileName(a.name, a.kind, timestamp(new Date())));
    // The test binary goes to a private directory (mode 0700, unpredictable name), removed after use.
    const tmp = await mkdtemp(path.join(tmpdir(), 'pprof-lens-bench-'));
    const testBinary = path.join(tmp, `${path.basename(pkgDir).replace(/[^\w.-]/g, '_')}.test`);
    let args: string[];
    try {
      const flags = cfg.get<unknown>('bench.flags');
      args = benchArgs(a.name, a.kind, out.fsPath, {
        benchtime: (cfg.get<string>('bench.benchtime') ?? '').trim(),
        testBinary,
        extraFlags: Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string' && f !== '') : [],
      });
    } catch (e) {
      void vscode.window.showErrorMessage(`pprof: ${(e as Error).message}`);
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      return undefined;
    }
    const folder = vscode.workspace.getWorkspaceFolder(file);
    const task = new vscode.Task(
      { type: BENCH_TASK_TYPE, benchmark: a.name, kind: a.kind },
      folder ?? vscode.TaskScope.Workspace,
      `profile ${a.kind} ${a.name}`,
      'pprof',
      new vscode.ProcessExecution(go.path, args, { cwd: pkgDir }),
      [],
    );
    task.presentationOptions = {
      reveal: vscode.TaskRevealKind.Always,
      panel: vscode.TaskPanelKind.Dedicated,
      clear: true,
      echo: true,
    };
    this.running.add(key);
    try {
      const code = await new Promise<number | undefined>((resolve, reject) => {
        let execution: vscode.TaskExecution | undefined;
        const subs: vscode.Disposable[] = [];
        const done = (c: number | undefined) => {
          for (const s of subs) s.dispose();
          resolve(c);
        };
        subs.push(
          vscode.tasks.onDidEndTaskProcess((e) => {
            if (e.execution === execution || (execution === undefined && e.execution.task.name === task.name))
              done(e.exitCode);
          }),
          // A task that ends without a process (failed to start) only fires onDidEndTask.
          vscode.tasks.onDidEndTask((e) => {
            if (e.execution === execution) setTimeout(() => done(undefined), 500);
          }),
        );
        vscode.tasks.executeTask(task).then(
          (x) => (execution = x),
          (err) => {
            for (const s of subs) s.dispose();
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
      if (code !== 0) {
        void vscode.window.showErrorMessage(
          code === undefined
            ? `pprof: go test for ${a.name} did not run (${go.path}); see the terminal.`
            : `pprof: go test for ${a.name} failed (exit code ${code}); see the terminal "profile ${a.kind} ${a.name}".`,
        );
        return undefined;
      }
      if (!isFile(out.fsPath)) {
        void vscode.window.showErrorMessage(
          `pprof: go test finished but wrote no profile at ${out.fsPath}; see the terminal.`,
        );
        return undefined;
      }
      if (a.open !== false) await this.commands.openWith(out);
      return out;
    } catch (e) {
      void vscode.window.showErrorMessage(`pprof: cannot run go test: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    } finally {
      this.running.delete(key);
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
