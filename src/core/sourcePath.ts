/**
 * pprof's rule for turning a recorded source path into one to look up locally (`-list`, `-weblist`):
 * with no trim prefix given, the base name of each search-path directory is looked for in the
 * recorded path ("/build/ci/heapdemo/cmd/main.go" with a checkout "~/src/heapdemo" as search path
 * gives "cmd/main.go", then searched from "~/src/heapdemo"); otherwise the first matching trim
 * prefix is removed; "/proc/self/cwd/" (Bazel) is always removed. Pure: slash-separated strings.
 */
export function trimSourcePath(
  recorded: string,
  trimPrefixes: readonly string[],
  searchDirs: readonly string[],
): string {
  const p = recorded.replace(/\\/g, '/');
  if (trimPrefixes.length === 0) {
    for (const dir of searchDirs) {
      const base = baseName(dir.replace(/\\/g, '/'));
      if (!base) continue;
      const want = `/${base}/`;
      const at = p.indexOf(want);
      if (at !== -1) return p.slice(at + want.length);
    }
  }
  for (const t of [...trimPrefixes, '/proc/self/cwd/./', '/proc/self/cwd/']) {
    if (!t) continue;
    const prefix = t.replace(/\\/g, '/').endsWith('/') ? t.replace(/\\/g, '/') : `${t.replace(/\\/g, '/')}/`;
    if (p.startsWith(prefix)) return p.slice(prefix.length);
  }
  return p;
}

/** The last element of a slash-separated path, ignoring trailing slashes ("" for "/" and ""). */
function baseName(dir: string): string {
  const trimmed = dir.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
