/**
 * Restricted Mode. Viewing a profile never runs anything, so it works in a folder that is not
 * trusted. What runs a program (benchmark profiling: go test through go.alternateTools/go.goroot
 * or PATH; `go env` for GOROOT/GOMODCACHE) or writes into the workspace (captures) waits for trust:
 * the command says so and offers to manage trust; nothing from the workspace's settings is used.
 */
import * as vscode from 'vscode';

/** True when the workspace is trusted; otherwise tells the user why `what` is off and returns false. */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `pprof: ${what} is off in Restricted Mode: this folder is not trusted. Viewing profiles works; trust the folder to use it.`,
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
