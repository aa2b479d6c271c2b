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
  const newOf = new Int32Array(oldFiles.length).fill(-1);
  const resolutions: Resolution[] = [];
  for (let i = 0; i < newFiles.length; i++) {
    const o = oldIndex.get(newFiles[i]!);
    const r = o === undefined ? undefined : old.resolutions[o];
    if (o === undefined || !r) return undefined;
    newOf[o] = i;
    resolutions.push(r);
  }
  const byLocal = new Map<string, { file: number; resolution: Resolution }[]>();
  for (const [key, list] of old.byLocal) {
    const kept = list.flatMap((e) => (newOf[e.file]! >= 0 ? [{ file: newOf[e.file]!, resolution: e.resolution }] : []));
    if (kept.length > 0)
      byLocal.set(
        key,
        kept.sort((a, b) => a.file - b.file),
      );
  }
  return {
    byLocal,
    resolutions,
    unresolved: notFoundFiles(resolutions),
    byNameOnly: resolutions.filter((r) => r.method === 'basename'),
    user: summarizeUserCode(resolutions, roots),
    badMappings: old.badMappings,
  };
}
