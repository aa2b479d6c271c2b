/**
 * Where the profile's files are on this machine (the host's 'sourcePaths', from the source map the
 * editor's overlays use), for the tooltips: a frame's file as the workspace has it
 * ("cart/cart.go:42"), the profile's own path under it when that differs. Text only: the paths
 * go in with textContent and title, through plainText (no line breaks, no bidi controls).
 */
import type { SourcePaths } from '../src/shared/protocol';
import { plainText } from '../src/shared/text';

let local: ReadonlyMap<string, string> = new Map();

/** Takes the host's paths (replacing the last ones); malformed entries are left out. */
export function setSourcePaths(paths: SourcePaths): void {
  local = new Map(
    (Array.isArray(paths) ? paths : []).filter(
      (p): p is readonly [string, string] =>
        Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string' && p[1] !== '',
    ),
  );
}

/**
 * The tooltip's lines for a file (as the profile names it) at a line: where the file is on this
 * machine, then "in the profile: …" when the profile says otherwise; the profile's path alone
 * when the file was not found (or is where the profile says).
 */
export function fileLines(file: string, line: number, paths: ReadonlyMap<string, string> = local): string[] {
  const here = paths.get(file);
  if (here === undefined || here === file) return [`${plainText(file)}:${line}`];
  return [`${plainText(here)}:${line}`, `in the profile: ${plainText(file)}`];
}
