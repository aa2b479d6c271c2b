/**
 * Builds the PathResolver's inputs from the workspace (go.mod modules, .go files, GOROOT and
 * GOMODCACHE from the settings or `go env`) and maps every file of a profile to a local file.
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import {
  expandPathVariables,
  normalizeSlashes,
  parseGoModModule,
  PathResolver,
  type GoModule,
  type PathMapping,
  type Resolution,
  type UserCodeSummary,
  type WorkspaceFolderInfo,
} from '../../core/paths';
import type { LensConfig } from '../config';
import type { LoadedProfile } from './loadedProfile';
import { sourceMapOf } from './viewSources';

export interface SourceMap {
  /** Local path (normalized) -> profile file indices that map to it. */
  readonly byLocal: Map<string, { file: number; resolution: Resolution }[]>;
  /** Profile file index -> resolution. */
  readonly resolutions: Resolution[];
  /** Not found locally (without the files the go command writes itself). */
  readonly unresolved: Resolution[];
  /** Found by a unique base name only (low confidence). */
  readonly byNameOnly: Resolution[];
  /** How much of the user's own code was found, and a mapping to offer. */
  readonly user: UserCodeSummary;
  /** pathMappings entries whose variables could not be expanded. */
  readonly badMappings: PathMapping[];
}

/** The workspace folders, slash-separated. */
export function workspaceFolders(): WorkspaceFolderInfo[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, path: normalizeSlashes(f.uri.fsPath) }));
}

/** pathMappings with ${workspaceFolder}, ${workspaceFolder:name}, ~ and ${env:X} expanded; the ones that cannot be, apart. */
export function expandMappings(
  ms: readonly PathMapping[],
  folders: readonly WorkspaceFolderInfo[],
): { ok: PathMapping[]; bad: PathMapping[] } {
  const ctx = { folders, home: homedir(), env: process.env };
  const ok: PathMapping[] = [];
  const bad: PathMapping[] = [];
  for (const m of ms) {
    const from = expandPathVariables(m.from, ctx);
    const to = expandPathVariables(m.to, ctx);
    if (from === undefined || to === undefined || from === '' || to === '') bad.push(m);
    else ok.push({ from, to });
  }
  return { ok, bad };
}

/** The key a local file is known by. */
export function localKey(uri: vscode.Uri): string {
  const p = normalizeSlashes(uri.fsPath);
  return process.platform === 'win32' ? p.toLowerCase() : p;
}

let goEnvCache: Promise<{ GOROOT?: string; GOMODCACHE?: string }> | undefined;

function goEnv(): Promise<{ GOROOT?: string; GOMODCACHE?: string }> {
  goEnvCache ??= new Promise((resolve) => {
    execFile('go', ['env', '-json', 'GOROOT', 'GOMODCACHE'], { timeout: 5000 }, (err, stdout) => {
      if (err) return resolve({});
      try {
        resolve(JSON.parse(stdout) as { GOROOT?: string; GOMODCACHE?: string });
      } catch {
        resolve({});
      }
    });
  });
  return goEnvCache;
}

const EXCLUDE = '{**/node_modules/**,**/.git/**}';

export async function buildSourceMap(p: LoadedProfile, cfg: LensConfig): Promise<SourceMap> {
  const [goMods, goFiles, env] = await Promise.all([
    vscode.workspace.findFiles('**/go.mod', EXCLUDE, 500),
    vscode.workspace.findFiles('**/*.{go,s,c,h}', EXCLUDE, 50_000),
    // `go env` runs a program: not in Restricted Mode (GOROOT then comes from the environment).
    (cfg.goroot && cfg.gomodcache) || !vscode.workspace.isTrusted ? Promise.resolve({}) : goEnv(),
  ]);
  const modules: GoModule[] = [];
  for (const m of goMods) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(m));
      const path = parseGoModModule(text);
      if (path) modules.push({ path, root: normalizeSlashes(vscode.Uri.joinPath(m, '..').fsPath) });
    } catch {
      // An unreadable go.mod only means fewer modules to map by.
    }
  }
  const goroot = cfg.goroot || (env as { GOROOT?: string }).GOROOT || process.env['GOROOT'] || '';
  const gomodcache = cfg.gomodcache || (env as { GOMODCACHE?: string }).GOMODCACHE || '';
  const folders = workspaceFolders();
  const mappings = expandMappings(cfg.pathMappings, folders);
  const resolver = new PathResolver({
    mappings: mappings.ok,
    roots: folders.map((f) => f.path),
    realpath: (f) => realpathSync(f),
    modules,
    workspaceFiles: goFiles.map((u) => normalizeSlashes(u.fsPath)),
    ...(goroot ? { goroot } : {}),
    ...(gomodcache ? { gomodcache } : {}),
    exists: (f) => existsSync(f) && !f.endsWith('/'),
  });
  return sourceMapOf(
    resolver.resolveAll(p.data.files),
    (f) => localKey(vscode.Uri.file(f)),
    folders.map((f) => f.path),
    mappings.bad,
  );
}
