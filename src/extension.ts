/** Wires the session, the decode worker, the editor overlays, views and commands. Nothing else. */
import * as vscode from 'vscode';
import { BenchCommands } from './vscode/bench/benchLens';
import { captureDirectory } from './vscode/capture/captureDirectory';
import { ProfileCodeLensProvider } from './vscode/editor/codeLens';
import { Commands } from './vscode/commands';
import { SECTION } from './vscode/config';
import { CompareCommands } from './vscode/profile/compare';
import { ProfileSummaryEditor, VIEW_TYPE } from './vscode/panel/customEditor';
import { DecorationController } from './vscode/editor/decorations';
import { FilterCommands } from './vscode/profile/filters';
import { FlamePanel, workspaceModules } from './vscode/panel/flamePanel';
import { ProfileHoverProvider } from './vscode/editor/hover';
import { HotFunctionsView } from './vscode/editor/hotFunctionsView';
import { registerLmTools } from './vscode/insight/lmRegister';
import type * as LazyFeatures from './vscode/lazyFeatures';
import { activateInsight } from './vscode/insight/compilerLazy';
import { registerInsight } from './vscode/insight/register';
import { registerSandwichCommand } from './vscode/panel/sandwichCommand';
import { ProfileService } from './vscode/profile/profileService';
import { SessionRestore } from './vscode/profile/restore';
import { Session } from './vscode/profile/session';
import { StatusBar } from './vscode/editor/statusBar';

export function activate(context: vscode.ExtensionContext): void {
  const session = new Session();
  const service = new ProfileService(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath);
  const commands = new Commands(session, service);
  const decorations = new DecorationController(session, context.extensionUri);
  const codeLens = new ProfileCodeLensProvider(
    session,
    (doc) => decorations.compact(doc),
    decorations.onDidChangeCompact,
  );
  const selector: vscode.DocumentSelector = [{ scheme: 'file' }];
  const flame = new FlamePanel(session, context.extensionUri, workspaceModules);
  // The benchmark A/B and the language model tools load from their own bundle on first use (esbuild.mjs).
  const lazy = () => require('./vscode/lazyFeatures') as typeof LazyFeatures;
  let benchCompare: LazyFeatures.BenchCompareCommands | undefined;
  let lmTools: LazyFeatures.LmTools | undefined;
  let capture: LazyFeatures.CaptureCommands | undefined;
  const captures = () => (capture ??= new (lazy().CaptureCommands)(context, commands));
  session.flameGraph = (focus) => void flame.show(focus);
  // npm run bench:editor's probe: an environment variable only (no setting a workspace could set).
  const perfLog = process.env.PPROF_LENS_PERF_LOG;
  if (perfLog) context.subscriptions.push(lazy().startPerfProbe(session, perfLog));
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
    registerSandwichCommand(session, (func) => flame.showSandwich(func)),
    session,
    ...commands.register(),
    ...new CompareCommands(session, service).register(),
    ...new FilterCommands(session, service).register(),
    // Capturing from a server loads with its command (dist/lazyFeatures.js).
    vscode.commands.registerCommand('pprofLens.capture', (a?: unknown) => captures().run(a, false)),
    vscode.commands.registerCommand('pprofLens.captureAndCompare', (a?: unknown) => captures().run(a, true)),
    vscode.commands.registerCommand('pprofLens.forgetCapturePassword', () => captures().forgetPassword()),
    ...new BenchCommands(context, commands).register(),
    // Language Model Tools for agents in chat, where VS Code has the API (1.95+).
    ...registerLmTools((name, input) => (lmTools ??= new (lazy().LmTools)(session, service)).invoke(name, input)),
    vscode.commands.registerCommand('pprofLens.compareBenchmark', (a?: unknown) =>
      (benchCompare ??= new (lazy().BenchCompareCommands)(context, commands)).compare(a),
    ),
    decorations,
    codeLens,
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    vscode.languages.registerHoverProvider(selector, new ProfileHoverProvider(session)),
    new StatusBar(session),
    vscode.window.registerTreeDataProvider('pprofLens.hotFunctions', new HotFunctionsView(session)),
    ...HotFunctionsView.register(),
    ...activateInsight(session),
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
  context.subscriptions.push(...registerInsight(session, commands));
  const restore = new SessionRestore(context.workspaceState, session, commands);
  session.restored = restore.done;
  context.subscriptions.push(restore);
}

export function deactivate(): void {}
