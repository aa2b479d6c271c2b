/**
 * Where captures and benchmark profiles go (pprofLens.capture.directory), apart from the capture
 * commands so that the extension bundle holds only this: the commands load on first use from
 * dist/lazyFeatures.js (esbuild.mjs).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CAPTURE_GITIGNORE, resolveCaptureDirectory } from '../../core/capture';

/**
 * The folder captures go to: pprofLens.capture.directory, relative to the first workspace folder.
 * A workspace's own setting cannot lead outside it (core/capture resolveCaptureDirectory); an
 * absolute folder elsewhere must come from the user's settings. Throws an Error saying why not.
 */
export function captureDirectory(context: vscode.ExtensionContext): vscode.Uri {
  const cfg = vscode.workspace.getConfiguration('pprofLens');
  const setting = cfg.get<string>('capture.directory') ?? '.pprof';
  const i = cfg.inspect<string>('capture.directory');
  const fromUser = i?.workspaceValue === undefined && i?.workspaceFolderValue === undefined;
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!ws && !path.isAbsolute(setting.trim())) return vscode.Uri.joinPath(context.globalStorageUri, 'captures');
  const r = resolveCaptureDirectory(setting, fromUser, ws?.fsPath, path);
  if ('error' in r) throw new Error(`cannot save there: ${r.error}.`);
  return vscode.Uri.file(r.dir);
}

/**
 * Creates the capture folder (see captureDirectory); a folder it creates gets a .gitignore that
 * keeps its profiles out of git, as Python's venv does for .venv (delete it to commit them).
 */
export async function createCaptureDirectory(dir: vscode.Uri): Promise<vscode.Uri> {
  let existed = true;
  try {
    await vscode.workspace.fs.stat(dir);
  } catch {
    existed = false;
  }
  await vscode.workspace.fs.createDirectory(dir);
  if (!existed) {
    try {
      await vscode.workspace.fs.writeFile(
        vscode.Uri.joinPath(dir, '.gitignore'),
        new TextEncoder().encode(CAPTURE_GITIGNORE),
      );
    } catch {
      // the folder stays usable without it
    }
  }
  return dir;
}
