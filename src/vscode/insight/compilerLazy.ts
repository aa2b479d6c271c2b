/**
 * Loads the compiler insight (insight/compilerInsight, bundled into dist/insight.js by esbuild.mjs)
 * on first need: the first profile shown, or the first "Explain Hot Lines". Keeps
 * dist/extension.js small; the view, command and hover hook are registered here at activation.
 */
import * as vscode from 'vscode';
import type { Session } from '../profile/session';

type Module = typeof import('./compilerInsight');
type Insight = InstanceType<Module['CompilerInsight']>;

export function activateInsight(session: Session): vscode.Disposable[] {
  let insight: Insight | undefined;
  const subs: vscode.Disposable[] = [];
  const load = (): Insight => {
    if (insight) return insight;
    const m = require('./compilerInsight') as Module;
    insight = new m.CompilerInsight(session);
    subs.push(
      insight,
      ...insight.register(),
      vscode.window.registerTreeDataProvider(
        'pprofLens.allocationHotSpots',
        new m.AllocationHotSpotsView(insight, session),
      ),
    );
    return insight;
  };
  session.lineInsight = (doc, line) => insight?.hoverSection(doc, line);
  subs.push(
    vscode.commands.registerCommand('pprofLens.explainHotLines', () => load().run(true)),
    session.onDidChange((k) => {
      if (k === 'profile' && session.profile && !insight) load().notifyProfile();
    }),
  );
  return [{ dispose: () => subs.forEach((s) => s.dispose()) }];
}
