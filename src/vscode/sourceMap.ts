/**
 * Builds the PathResolver's inputs from the workspace (go.mod modules, .go files, GOROOT and
 * GOMODCACHE from the settings or `go env`) and maps every file of a profile to a local file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { normalizeSlashes, parseGoModModule, PathResolver, type GoModule, type Resolution } from '../core/paths';
import type { LensConfig } from './config';
import type { LoadedProfile } from './loadedProfile';

export interface SourceMap {
  /** Local path (normalized) -> profile file indices that map to it. */
  readonly byLocal: Map<string, { file: number; resolution: Resolution }[]>;
  /** Profile file index -> resolution. */
  readonly resolutions: Resolution[];
  readonly unresolved: Resolution[];
}

/** The key a local file is known by. */
export function localKey(uri: vscode.Uri): string {
  const p = normalizeSlashes(uri.fsPath);
  return process.platform === 'win32' ? p.toLowerCase() : p;
}

let goEnvCache: Promise<{ GOROOT?: string; GOMODCACHE?: string }> | undefined;

function goEnv(): Promise<{ GOROOT?: string; GOMODCACHE?: string }> {
  goEnvCache ??= new Promise(resolve => {
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
  const resolver = new PathResolver({
    mappings: cfg.pathMappings,
    modules,
    workspaceFiles: goFiles.map(u => normalizeSlashes(u.fsPath)),
    ...(goroot ? { goroot } : {}),
    ...(gomodcache ? { gomodcache } : {}),
    exists: f => existsSync(f),
  });
  const byLocal = new Map<string, { file: number; resolution: Resolution }[]>();
  const resolutions: Resolution[] = [];
  const unresolved: Resolution[] = [];
  p.data.files.forEach((f, file) => {
    const r = resolver.resolve(f);
    resolutions.push(r);
    if (!r.localPath) {
      unresolved.push(r);
      return;
    }
    const key = localKey(vscode.Uri.file(r.localPath));
    let list = byLocal.get(key);
    if (!list) byLocal.set(key, (list = []));
    list.push({ file, resolution: r });
  });
  return { byLocal, resolutions, unresolved };
}
