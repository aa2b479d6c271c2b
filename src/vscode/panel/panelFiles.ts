/**
 * The flame graph panel's side of the source map: where the profile's files are on this machine,
 * for the page's tooltips (a frame's file as the workspace has it, the profile's path under it),
 * and opening a frame's file from the page; and the page's "Copy pprof command". Loaded from its own bundle, dist/panelFiles.js
 * (esbuild.mjs), when the panel first needs it, so that dist/extension.js (loaded on every Go
 * file) stays within its budget.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sourcePaths } from '../../core/paths';
import { pprofCommand } from '../../core/transforms';
import type { ToWebview } from '../../shared/protocol';
import type { Session } from '../profile/session';
import { workspaceFolders } from '../profile/sourceMap';

/** The page's 'sourcePaths' for the session's source map; undefined until the files are mapped. */
export function sourcePathsMessage(session: Session): ToWebview | undefined {
  const map = session.sourceMap;
  return map && { type: 'sourcePaths', paths: sourcePaths(map.resolutions, workspaceFolders()) };
}

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

/** The go tool pprof command line of the panel's view, to the clipboard, and said in a message. */
export async function copyPprofCommand(
  session: Session,
  view: { pivot: readonly string[]; inverted: boolean; collapsed: readonly string[] },
): Promise<void> {
  const p = session.profile;
  if (!p) return;
  const local = (uri: string) => {
    const u = vscode.Uri.parse(uri);
    return u.scheme === 'file' ? u.fsPath : uri;
  };
  const base = session.base;
  const cmd = pprofCommand({
    profile: local(p.source),
    sampleType: p.data.sampleTypes[session.sampleIndex]?.type ?? '',
    ...(base ? { base: { path: local(base.uri), mode: base.mode, normalize: base.normalize } } : {}),
    filters: session.filters,
    tagRoot: view.pivot,
  });
  await vscode.env.clipboard.writeText(cmd);
  const extra = [
    view.inverted ? 'Inverted is pprof web UI’s bottom-up flame graph (its “Invert” option)' : '',
    view.collapsed.length
      ? 'collapsed recursion has no pprof flag (its reports count a function once per sample anyway)'
      : '',
  ].filter((x) => x !== '');
  void vscode.window.showInformationMessage(`pprof: copied ${cmd}${extra.length ? ` (${extra.join('; ')})` : ''}`);
}
