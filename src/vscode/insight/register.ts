/**
 * Registers the Go insight views and commands at activation with nothing heavy behind them: the
 * Goroutines view and the PGO export (and the decoder they use) load from dist/insightCore.js on
 * first use: when a goroutine profile is shown, a view is expanded, or a command runs.
 */
import * as vscode from 'vscode';
import type { Commands } from '../commands';
import type { Session } from '../profile/session';
import type { GoroutinesView } from './goroutinesView';
import { insightCore } from './lazy';
import type { ExportArgs, PgoExport } from './pgoExport';

export const GOROUTINES_VIEW_ID = 'pprofLens.goroutines';
export const PGO_VIEW_ID = 'pprofLens.pgoCallSites';
const GOROUTINE_TYPES = new Set(['goroutine', 'goroutineleak']);

export function registerInsight(session: Session, commands: Commands): vscode.Disposable[] {
  let impl: { g: GoroutinesView; p: PgoExport } | undefined;
  const gChanged = new vscode.EventEmitter<undefined>();
  const pChanged = new vscode.EventEmitter<undefined>();
  const gProvider: vscode.TreeDataProvider<unknown> = {
    onDidChangeTreeData: gChanged.event,
    getChildren: (n) => load().g.getChildren(n as never),
    getTreeItem: (n) => load().g.getTreeItem(n as never),
  };
  const pProvider: vscode.TreeDataProvider<unknown> = {
    onDidChangeTreeData: pChanged.event,
    getChildren: (n) => load().p.getChildren(n as never),
    getTreeItem: (n) => load().p.getTreeItem(n as never),
  };
  const gView = vscode.window.createTreeView(GOROUTINES_VIEW_ID, {
    treeDataProvider: gProvider,
    showCollapseAll: true,
  });
  const load = (): { g: GoroutinesView; p: PgoExport } => {
    if (!impl) {
      const m = insightCore();
      const g = new m.GoroutinesView(session, commands, gView);
      const p = new m.PgoExport(session, commands);
      g.onDidChangeTreeData(() => gChanged.fire(undefined));
      p.onDidChangeTreeData(() => pChanged.fire(undefined));
      impl = { g, p };
    }
    return impl;
  };
  return [
    gView,
    gChanged,
    pChanged,
    vscode.window.registerTreeDataProvider(PGO_VIEW_ID, pProvider),
    // The view follows the session once loaded; before that, a goroutine profile loads it.
    session.onDidChange((k) => {
      if (k === 'profile' && !impl && GOROUTINE_TYPES.has(session.profile?.data.sampleTypes[0]?.type ?? '')) load();
    }),
    vscode.commands.registerCommand('pprofLens.goroutines.compareSnapshots', () => load().g.compareSnapshots()),
    vscode.commands.registerCommand('pprofLens.goroutines.refresh', () => load().g.refresh()),
    vscode.commands.registerCommand('pprofLens.insight.openFrame', (file: unknown, line: unknown) =>
      typeof file === 'string' && typeof line === 'number' ? load().g.openFrame(file, line) : undefined,
    ),
    vscode.commands.registerCommand('pprofLens.exportPgo', (a?: unknown, list?: unknown) =>
      load().p.run(
        Array.isArray(list) && list.length > 0 && list.every((u) => u instanceof vscode.Uri)
          ? { profiles: list as vscode.Uri[] }
          : a instanceof vscode.Uri
            ? { profiles: [a] }
            : typeof a === 'object' && a !== null
              ? (a as ExportArgs)
              : {},
      ),
    ),
    // For tests and scripts: what the views show, as plain data.
    vscode.commands.registerCommand('pprofLens.goroutines.state', async () => {
      await load().g.refresh();
      return load().g.state;
    }),
    vscode.commands.registerCommand('pprofLens.pgo.state', () => impl?.p.last),
    { dispose: () => (impl?.g.dispose(), impl?.p.dispose()) },
  ];
}
