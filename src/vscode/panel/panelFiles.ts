/**
 * The flame graph panel's side of the source map: opening a frame's file from the page. Loaded
 * from its own bundle, dist/panelFiles.js (esbuild.mjs), when the panel first needs it, so that
 * dist/extension.js (loaded on every Go file) stays within its budget.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Session } from '../profile/session';

/** Opens a profile file name (as the profile has it) at a line, through the session's path mapping. */
export async function openSource(session: Session, file: string, line: number): Promise<void> {
  const p = session.profile;
  const map = session.sourceMap;
  const fi = p?.fileIndex(file);
  const local = fi !== undefined ? map?.resolutions[fi]?.localPath : undefined;
  if (!local) {
    void vscode.window.showWarningMessage(
      `pprof: ${path.basename(file)} is not in this workspace (${file}). Map it with the pprofLens.pathMappings setting.`,
    );
    return;
  }
  await vscode.commands.executeCommand('pprofLens.openLocation', local, line, true);
}
