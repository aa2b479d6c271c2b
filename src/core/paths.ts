/**
 * Source path resolution: the file names in a profile are those of the machine that built the
 * binary (/Users/x/go/src/github.com/..., /go/pkg/mod/..., /home/runner/work/..., or relative
 * module paths under -trimpath). This maps each to a file on this machine, trying in order:
 *
 *   1. mapping    the user's prefix rewrites ({from, to}, like pprof's -trim_path/-source_path)
 *   2. module     a go.mod module of the workspace: ".../<module path>/<rest>" -> "<module root>/<rest>",
 *                 including "/pkg/mod/<module>@<version>/<rest>" and "$GOPATH/src/<module>/<rest>"
 *   3. suffix     the longest path suffix (at least a directory and the base name) shared with
 *                 exactly one workspace file
 *   4. gomodcache ".../pkg/mod/<module>@<version>/<rest>" (or "<module>@<version>/<rest>") -> "$GOMODCACHE/..."
 *   5. goroot     ".../src/<std package>/<file>" or "<std package>/<file>" -> "$GOROOT/src/..."
 *   6. identity   the path exists as it is
 *
 * Every candidate is checked with the injected exists(), so a rule never maps to a missing file.
 * Pure: no fs import; paths are slash-separated strings (Windows profile paths are normalized).
 */

export interface PathMapping {
  /** A path prefix as it appears in the profile, e.g. "/home/runner/work/app/app". */
  readonly from: string;
  /** Where that prefix lives on this machine, e.g. "/Users/me/src/app". */
  readonly to: string;
}

export interface GoModule {
  /** The module path of go.mod's module directive, e.g. "example.com/lens". */
  readonly path: string;
  /** The directory holding that go.mod, absolute, slash-separated. */
  readonly root: string;
}

export interface ResolverInput {
  readonly mappings?: readonly PathMapping[];
  readonly modules?: readonly GoModule[];
  /** Absolute paths of the workspace's candidate source files (for suffix matching). */
  readonly workspaceFiles?: readonly string[];
  readonly goroot?: string;
  readonly gomodcache?: string;
  readonly exists: (path: string) => boolean;
}

export type ResolveMethod = 'mapping' | 'module' | 'suffix' | 'gomodcache' | 'goroot' | 'identity';

export interface Resolution {
  /** The file name as the profile has it. */
  readonly profilePath: string;
  /** The local file, or undefined when no rule found one. */
  readonly localPath?: string;
  readonly method?: ResolveMethod;
  /** For unresolved files: what was tried, for the user to read. */
  readonly reason?: string;
}

/** Human-readable names of the methods, for hovers and the unresolved list. */
export const METHOD_LABEL: Record<ResolveMethod, string> = {
  mapping: 'path mapping setting',
  module: 'go.mod module path',
  suffix: 'path suffix match',
  gomodcache: 'GOMODCACHE',
  goroot: 'GOROOT',
  identity: 'same path',
};

/** Backslashes to slashes, a Windows drive letter kept, duplicate and trailing slashes dropped. */
export function normalizeSlashes(p: string): string {
  let s = p.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

function join(dir: string, rest: string): string {
  if (rest === '') return dir;
  return dir.endsWith('/') ? dir + rest : `${dir}/${rest}`;
}

/** Go's module cache escapes upper case letters as "!" + lower case ("!burnt!sushi"). */
export function unescapeModulePath(p: string): string {
  return p.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** "<mod>@<version>/<rest>" found after "pkg/mod/" (or at the start): [module path, version, rest]. */
function splitModCachePath(p: string): { prefix: string; modVer: string; module: string; rest: string } | undefined {
  const marker = p.lastIndexOf('/pkg/mod/');
  const start = marker >= 0 ? marker + '/pkg/mod/'.length : 0;
  const tail = p.slice(start);
  const at = tail.indexOf('@');
  if (at <= 0) return undefined;
  const slash = tail.indexOf('/', at);
  if (slash < 0) return undefined;
  // Under -trimpath (no pkg/mod marker) the path must look like a module path: a dot in the first element.
  if (marker < 0 && !/^[^/]*\.[^/]*\//.test(tail)) return undefined;
  return {
    prefix: p.slice(0, start),
    modVer: tail.slice(0, slash),
    module: unescapeModulePath(tail.slice(0, at)),
    rest: tail.slice(slash + 1),
  };
}

export class PathResolver {
  private readonly mappings: PathMapping[];
  private readonly modules: GoModule[];
  private readonly byBase = new Map<string, string[]>();
  private readonly cache = new Map<string, Resolution>();

  constructor(private readonly input: ResolverInput) {
    this.mappings = (input.mappings ?? [])
      .filter(m => m.from !== '' && m.to !== '')
      .map(m => ({ from: normalizeSlashes(m.from), to: normalizeSlashes(m.to) }))
      // The longest prefix wins.
      .sort((a, b) => b.from.length - a.from.length);
    this.modules = (input.modules ?? [])
      .filter(m => m.path !== '')
      .map(m => ({ path: m.path, root: normalizeSlashes(m.root) }))
      // Nested modules: the longest module path wins.
      .sort((a, b) => b.path.length - a.path.length);
    for (const f of input.workspaceFiles ?? []) {
      const n = normalizeSlashes(f);
      const base = n.slice(n.lastIndexOf('/') + 1);
      let list = this.byBase.get(base);
      if (!list) this.byBase.set(base, (list = []));
      list.push(n);
    }
  }

  resolve(profilePath: string): Resolution {
    let r = this.cache.get(profilePath);
    if (!r) this.cache.set(profilePath, (r = this.compute(profilePath)));
    return r;
  }

  private ok(profilePath: string, localPath: string, method: ResolveMethod): Resolution {
    return { profilePath, localPath, method };
  }

  private compute(profilePath: string): Resolution {
    const p = normalizeSlashes(profilePath);
    const exists = (f: string) => {
      try {
        return this.input.exists(f);
      } catch {
        return false;
      }
    };
    if (p === '' || p === '.' || p.startsWith('<')) {
      return { profilePath, reason: 'the profile has no source file name for it' };
    }

    // 1. The user's mappings.
    for (const m of this.mappings) {
      if (p === m.from || p.startsWith(m.from.endsWith('/') ? m.from : `${m.from}/`)) {
        const rest = p.slice(m.from.length).replace(/^\//, '');
        const cand = join(m.to, rest);
        if (exists(cand)) return this.ok(profilePath, cand, 'mapping');
      }
    }

    // 2. Workspace modules.
    const mc = splitModCachePath(p);
    for (const m of this.modules) {
      if (mc && mc.module === m.path) {
        const cand = join(m.root, mc.rest);
        if (exists(cand)) return this.ok(profilePath, cand, 'module');
      }
      const rest = afterModulePath(p, m.path);
      if (rest !== undefined) {
        const cand = join(m.root, rest);
        if (exists(cand)) return this.ok(profilePath, cand, 'module');
      }
    }

    // 3. Longest unambiguous suffix among the workspace's files.
    const suffix = this.suffixMatch(p);
    if (suffix && exists(suffix)) return this.ok(profilePath, suffix, 'suffix');

    // 4. The module cache.
    if (mc && this.input.gomodcache) {
      const cand = join(normalizeSlashes(this.input.gomodcache), `${mc.modVer}/${mc.rest}`);
      if (exists(cand)) return this.ok(profilePath, cand, 'gomodcache');
    }

    // 5. GOROOT: the standard library has no dot in its first path element.
    if (this.input.goroot) {
      const goroot = normalizeSlashes(this.input.goroot);
      for (const rest of gorootCandidates(p)) {
        const cand = join(goroot, `src/${rest}`);
        if (exists(cand)) return this.ok(profilePath, cand, 'goroot');
      }
    }

    // 6. As it is.
    if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) {
      if (exists(p)) return this.ok(profilePath, p, 'identity');
    }

    const tried = ['path mappings'];
    if (this.modules.length > 0) tried.push(`go.mod modules (${this.modules.map(m => m.path).join(', ')})`);
    tried.push('workspace path suffixes');
    if (this.input.gomodcache) tried.push('GOMODCACHE');
    if (this.input.goroot) tried.push('GOROOT');
    return { profilePath, reason: `not found via ${tried.join(', ')}` };
  }

  /** The one workspace file sharing the most trailing path elements (at least two) with p. */
  private suffixMatch(p: string): string | undefined {
    const parts = p.split('/');
    const base = parts[parts.length - 1]!;
    const candidates = this.byBase.get(base);
    if (!candidates) return undefined;
    let best: string | undefined;
    let bestLen = 1;
    let tie = false;
    for (const c of candidates) {
      const cp = c.split('/');
      let n = 0;
      while (n < cp.length && n < parts.length && cp[cp.length - 1 - n] === parts[parts.length - 1 - n]) n++;
      if (n > bestLen) {
        best = c;
        bestLen = n;
        tie = false;
      } else if (n === bestLen && best !== undefined) tie = true;
    }
    return tie ? undefined : best;
  }
}

/** The rest of p after "<modulePath>/" at a path element boundary (the last occurrence). */
function afterModulePath(p: string, modulePath: string): string | undefined {
  const needle = `${modulePath}/`;
  let i = p.lastIndexOf(needle);
  while (i >= 0) {
    if (i === 0 || p[i - 1] === '/') return p.slice(i + needle.length);
    i = p.lastIndexOf(needle, i - 1);
  }
  return undefined;
}

/** Candidate paths relative to $GOROOT/src for a standard library file. */
function gorootCandidates(p: string): string[] {
  const out: string[] = [];
  // ".../src/runtime/proc.go": every "/src/" followed by a dotless element, innermost first.
  let i = p.lastIndexOf('/src/');
  while (i >= 0) {
    const rest = p.slice(i + 5);
    if (rest.includes('/') && !rest.split('/')[0]!.includes('.')) out.push(rest);
    i = i === 0 ? -1 : p.lastIndexOf('/src/', i - 1);
  }
  // -trimpath: "runtime/proc.go".
  if (!p.startsWith('/') && !/^[A-Za-z]:\//.test(p) && !/^[^/]*\./.test(p) && p.includes('/')) out.push(p);
  return out;
}

/** The module path of a go.mod file's text ("module example.com/x"), or undefined. */
export function parseGoModModule(text: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const m = /^module\s+("([^"]+)"|`([^`]+)`|(\S+))\s*$/.exec(line);
    if (m) return m[2] ?? m[3] ?? m[4];
  }
  return undefined;
}
