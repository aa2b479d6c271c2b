/** Wires the session, the decode worker, the editor overlays, views and commands. Nothing else. */
import * as vscode from 'vscode';
import type * as BenchCompare from './vscode/bench/compareRevisions';
import { BenchCommands } from './vscode/benchLens';
import { CaptureCommands, captureDirectory } from './vscode/capture';
import { ProfileCodeLensProvider } from './vscode/codeLens';
import { Commands } from './vscode/commands';
import { SECTION } from './vscode/config';
import { CompareCommands } from './vscode/compare';
import { ProfileSummaryEditor, VIEW_TYPE } from './vscode/customEditor';
import { DecorationController } from './vscode/decorations';
import { FilterCommands } from './vscode/filters';
import { FlamePanel, workspaceModules } from './vscode/flamePanel';
import { ProfileHoverProvider } from './vscode/hover';
import { HotFunctionsView } from './vscode/hotFunctionsView';
import { LmTools } from './vscode/insight/lmTools';
import { ProfileService } from './vscode/profileService';
import { SessionRestore } from './vscode/restore';
import { Session } from './vscode/session';
import { StatusBar } from './vscode/statusBar';

export function activate(context: vscode.ExtensionContext): void {
  const session = new Session();
  const service = new ProfileService(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath);
  const commands = new Commands(session, service);
  const decorations = new DecorationController(session, context.extensionUri);
  const codeLens = new ProfileCodeLensProvider(session, () => decorations.compact());
  const selector: vscode.DocumentSelector = [{ scheme: 'file' }];
  const flame = new FlamePanel(session, context.extensionUri, workspaceModules);
  let benchCompare: BenchCompare.BenchCompareCommands | undefined;
  session.flameGraph = (focus) => void flame.show(focus);
  session.captureDirectory = () => {
    try {
      return captureDirectory(context);
    } catch {
      return undefined; // a capture directory the settings do not allow: the pickers list without it
    }
  };
  context.subscriptions.push(
    flame,
    flame.register(),
    vscode.commands.registerCommand('pprofLens.showFlameGraph', (focus?: unknown) =>
      flame.show(typeof focus === 'string' ? focus : undefined),
    ),
    session,
    ...commands.register(),
    ...new CompareCommands(session).register(),
    ...new FilterCommands(session).register(),
    ...new CaptureCommands(context, commands).register(),
    ...new BenchCommands(context, commands).register(),
    // Language Model Tools for agents in chat, where VS Code has the API (1.95+).
    ...new LmTools(session, service).register(),
    // Benchmark A/B: its runner and statistics load from their own bundle on first use (esbuild.mjs).
    vscode.commands.registerCommand('pprofLens.compareBenchmark', (a?: unknown) => {
      const { BenchCompareCommands } = require('./vscode/bench/compareRevisions') as typeof BenchCompare;
      return (benchCompare ??= new BenchCompareCommands(context, commands)).compare(a);
    }),
    decorations,
    codeLens,
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    vscode.languages.registerHoverProvider(selector, new ProfileHoverProvider(session)),
    new StatusBar(session),
    vscode.window.registerTreeDataProvider('pprofLens.hotFunctions', new HotFunctionsView(session)),
    ...HotFunctionsView.register(),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, new ProfileSummaryEditor(session, commands), {
      supportsMultipleEditorsPerDocument: false,
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) session.reloadConfig();
    }),
    // Trust granted: map the sources again, now with `go env`'s GOROOT and GOMODCACHE.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void session.remap()),
    session.onDidChange(
      () => void vscode.commands.executeCommand('setContext', 'pprofLens.hasProfile', session.profile !== undefined),
    ),
  );
  const restore = new SessionRestore(context.workspaceState, session, commands);
  session.restored = restore.done;
  context.subscriptions.push(restore);
}

export function deactivate(): void {}
