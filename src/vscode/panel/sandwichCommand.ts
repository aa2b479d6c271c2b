/**
 * pprof: Show Callers and Callees: the panel's sandwich of a function, named by the CodeLens
 * (its argument) or found at the editor's cursor (the innermost profiled function around it).
 */
import * as vscode from 'vscode';
import { functionAtLine } from '../../core/sandwich';
import type { Session } from '../profile/session';

export function registerSandwichCommand(session: Session, show: (func: string) => Promise<void>): vscode.Disposable {
  return vscode.commands.registerCommand('pprofLens.showCallersCallees', async (func?: unknown) => {
    if (typeof func === 'string' && func !== '') return show(func);
    const editor = vscode.window.activeTextEditor;
    const costs = editor ? session.costsFor(editor.document) : undefined;
    if (!editor || !costs) {
      void vscode.window.showInformationMessage(
        'pprof: put the cursor in a Go function of the profile (its source file open) to see its callers and callees.',
      );
      return;
    }
    const name = functionAtLine(costs.functions, editor.selection.active.line + 1);
    if (!name) {
      void vscode.window.showInformationMessage(
        `pprof: no function of ${costs.profile.name} has samples at line ${editor.selection.active.line + 1}.`,
      );
      return;
    }
    return show(name);
  });
}
