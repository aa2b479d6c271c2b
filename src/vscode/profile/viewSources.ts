/**
 * The source map of a new view of the same loaded profile (a filter, a base: the same file names,
 * numbered anew), from the map of the view it replaces: no workspace search, no go.mod read, so
 * the overlays of the new view show in the same task as its columns arrive. No vscode import
 * (unit-tested).
 */
import { notFoundFiles, summarizeUserCode, type Resolution } from '../../core/paths';
import type { SourceMap } from './sourceMap';

/**
 * The map for a view whose files are newFiles, from the map of a view whose files were oldFiles;
 * undefined when the new view names a file the old one did not (a base's own files): then the
 * files must be mapped again. roots: the workspace folders (the user-code summary).
 */
export function reindexSourceMap(
  old: SourceMap,
  oldFiles: readonly string[],
  newFiles: readonly string[],
  roots: readonly string[],
): SourceMap | undefined {
  const oldIndex = new Map<string, number>();
  oldFiles.forEach((f, i) => oldIndex.set(f, i));
  const resolutions: Resolution[] = [];
  for (const f of newFiles) {
    const o = oldIndex.get(f);
    const r = o === undefined ? undefined : old.resolutions[o];
    if (!r) return undefined;
    resolutions.push(r);
  }
  // Each local file keeps the key the old map gave it (the editor's document key).
  const keys = new Map<string, string>();
  for (const [key, list] of old.byLocal) for (const e of list) keys.set(e.resolution.localPath!, key);
  return sourceMapOf(resolutions, (local) => keys.get(local) ?? local, roots, old.badMappings);
}

/**
 * The source map of a profile's files from their resolutions (resolutions[i]: file i's); keyOf
 * gives a local file's key in byLocal (the document key); roots: the workspace folders.
 */
export function sourceMapOf(
  resolutions: Resolution[],
  keyOf: (localPath: string) => string,
  roots: readonly string[],
  badMappings: SourceMap['badMappings'],
): SourceMap {
  const byLocal = new Map<string, { file: number; resolution: Resolution }[]>();
  resolutions.forEach((r, file) => {
    if (!r.localPath) return;
    const key = keyOf(r.localPath);
    let list = byLocal.get(key);
    if (!list) byLocal.set(key, (list = []));
    list.push({ file, resolution: r });
  });
  return {
    byLocal,
    resolutions,
    unresolved: notFoundFiles(resolutions),
    byNameOnly: resolutions.filter((r) => r.method === 'basename'),
    user: summarizeUserCode(resolutions, roots),
    badMappings,
  };
}
