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
 * resolveAll() then does what a person would for the files still missing, given the whole list:
 *
 *   7. inferred   the directory pairs the found files imply (profile "/build/x/prog/server/h.go" found
 *                 as "~/src/myapp/server/h.go" implies "/build/x/prog" -> "~/src/myapp"), applied to
 *                 the others; the pair most files agree on wins; pprof's search-path rule (the base
 *                 name of a workspace folder found inside the recorded path, trimSourcePath) is one
 *                 more source of such pairs
 *   8. basename   a base name that is unique among the workspace's files: a last resort, low confidence
 *
 * Every candidate is checked with the injected exists(), so a rule never maps to a missing file, and
 * must lie under a workspace folder, GOROOT, GOMODCACHE or a mapping's target: a profile naming
 * /etc/passwd or "module/../../x" gets an unresolved entry, never a file outside those roots.
 * Pure: no fs import; paths are slash-separated strings (Windows profile paths are normalized).
 */
import { trimSourcePath } from './sourcePath';

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
  /**
   * The workspace folders (absolute): where resolved files may lie, with GOROOT, GOMODCACHE and the
   * mappings' targets; and the search path of pprof's base-name rule.
   */
  readonly roots?: readonly string[];
  readonly exists: (path: string) => boolean;
  /** The real path of an existing file (symlinks resolved), to keep links out of the roots; default: as is. */
  readonly realpath?: (path: string) => string;
}

export type ResolveMethod =
  'mapping' | 'module' | 'suffix' | 'gomodcache' | 'goroot' | 'identity' | 'inferred' | 'basename';

export interface Resolution {
  /** The file name as the profile has it. */
  readonly profilePath: string;
  /** The local file, or undefined when no rule found one. */
  readonly localPath?: string;
  readonly method?: ResolveMethod;
  /** For unresolved files: what was tried, for the user to read. */
  readonly reason?: string;
  /** 'low' for a match by base name only (shown as such in the unresolved list). */
  readonly confidence?: 'high' | 'low';
  /** For 'inferred': the directory pair applied. */
  readonly via?: PathMapping;
}

/** Human-readable names of the methods, for hovers and the unresolved list. */
export const METHOD_LABEL: Record<ResolveMethod, string> = {
  mapping: 'path mapping setting',
  module: 'go.mod module path',
  suffix: 'path suffix match',
  gomodcache: 'GOMODCACHE',
  goroot: 'GOROOT',
  identity: 'same path',
  inferred: 'directory of the other files found',
  basename: 'unique file name only (low confidence)',
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

/** "." and ".." elements resolved lexically; undefined when ".." climbs above the start. */
export function resolveDots(p: string): string | undefined {
  const abs = p.startsWith('/');
  const drive = /^[A-Za-z]:\//.exec(p)?.[0] ?? '';
  const out: string[] = [];
  for (const el of p.slice(drive.length).split('/')) {
    if (el === '' || el === '.') continue;
    if (el === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(el);
  }
  return drive + (abs || drive ? (drive ? '' : '/') : '') + out.join('/');
}

/** Is p (normalized, dots resolved) root itself or under it? */
export function isUnder(p: string, root: string): boolean {
  const r = root.endsWith('/') ? root.slice(0, -1) : root;
  if (r === '') return p.startsWith('/');
  return p === r || p.startsWith(`${r}/`);
}

/** Files the go command writes itself: go test's generated main, cgo's glue. */
const GENERATED_BY_GO = /(^|\/)(_testmain\.go|_cgo_[^/]*\.go|<autogenerated>)$/;

/** Is this a file the go command writes itself (`<autogenerated>`, go test's `_testmain.go`, cgo's glue)? */
export function isGeneratedByGo(profilePath: string): boolean {
  return GENERATED_BY_GO.test(normalizeSlashes(profilePath));
}

/**
 * The source files not found locally, as the user is told of them (the summary page, Show
 * Unresolved, the status bar, the notice's counts): without the files the go command writes
 * itself, which no one can have.
 */
export function notFoundFiles(rs: readonly Resolution[]): Resolution[] {
  return rs.filter((r) => !r.localPath && !isGeneratedByGo(r.profilePath));
}

/**
 * Does a profile path look like the standard library's or a dependency's (a module cache path, a
 * GOROOT-like ".../go.../src/<std>/", or a -trimpath "runtime/proc.go") rather than the user's code?
 */
export function looksLikeDependency(profilePath: string): boolean {
  const p = normalizeSlashes(profilePath);
  // Files the go command writes itself (go test's generated main, cgo's glue) are never in a workspace.
  if (GENERATED_BY_GO.test(p)) return true;
  if (p.includes('@') && (splitModCachePath(p) || /(^|\/)[^/@]+@v\d[^/]*\//.test(p))) return true;
  if (/(^|\/)go[^/]*\/(?:[^/]+\/){0,3}src\/[^./]+\//i.test(p)) return true;
  return !p.startsWith('/') && !/^[A-Za-z]:\//.test(p) && !/^[^/]*\./.test(p);
}

export class PathResolver {
  private readonly mappings: PathMapping[];
  private readonly modules: GoModule[];
  private readonly byBase = new Map<string, string[]>();
  private readonly cache = new Map<string, Resolution>();
  private readonly roots: string[];
  private readonly allowed: string[];

  constructor(private readonly input: ResolverInput) {
    this.mappings = (input.mappings ?? [])
      .filter((m) => m.from !== '' && m.to !== '')
      .map((m) => ({ from: normalizeSlashes(m.from), to: normalizeSlashes(m.to) }))
      // The longest prefix wins.
      .sort((a, b) => b.from.length - a.from.length);
    this.modules = (input.modules ?? [])
      .filter((m) => m.path !== '')
      .map((m) => ({ path: m.path, root: normalizeSlashes(m.root) }))
      // Nested modules: the longest module path wins.
      .sort((a, b) => b.path.length - a.path.length);
    for (const f of input.workspaceFiles ?? []) {
      const n = normalizeSlashes(f);
      const base = n.slice(n.lastIndexOf('/') + 1);
      let list = this.byBase.get(base);
      if (!list) this.byBase.set(base, (list = []));
      list.push(n);
    }
    this.roots = (input.roots ?? []).map(normalizeSlashes).filter((r) => r !== '');
    this.allowed = [
      ...this.roots,
      ...this.mappings.map((m) => m.to),
      ...(input.goroot ? [normalizeSlashes(input.goroot)] : []),
      ...(input.gomodcache ? [normalizeSlashes(input.gomodcache)] : []),
    ]
      .map((r) => resolveDots(r))
      .filter((r): r is string => r !== undefined && r !== '');
  }

  /** Is a candidate file under one of the allowed roots (after "..", and symlinks when realpath is given)? */
  private inside(cand: string): boolean {
    const d = resolveDots(cand);
    if (d === undefined || !this.allowed.some((r) => isUnder(d, r))) return false;
    if (!this.input.realpath) return true;
    try {
      const real = resolveDots(normalizeSlashes(this.input.realpath(d)));
      return real !== undefined && this.realRoots().some((r) => isUnder(real, r));
    } catch {
      return false;
    }
  }

  private realRootsCache?: string[];

  /** The allowed roots with symlinks resolved (and GOROOT/src, a link to /usr/share on Debian). */
  private realRoots(): string[] {
    if (this.realRootsCache) return this.realRootsCache;
    const out: string[] = [];
    const add = (r: string) => {
      try {
        const x = resolveDots(normalizeSlashes(this.input.realpath!(r)));
        if (x) out.push(x);
      } catch {
        // A root that does not exist holds nothing.
      }
    };
    for (const r of this.allowed) add(r);
    if (this.input.goroot) add(join(normalizeSlashes(this.input.goroot), 'src'));
    return (this.realRootsCache = out);
  }

  /**
   * Resolves every file of a profile: resolve() for each, then directory pairs inferred from the
   * files found (and pprof's search-path rule) for the others, then unique base names.
   */
  resolveAll(profilePaths: readonly string[]): Resolution[] {
    const out = profilePaths.map((p) => this.resolve(p));
    const votes = new Map<string, { m: PathMapping; n: number }>();
    const vote = (m: PathMapping | undefined, n = 1) => {
      if (!m || m.from === '' || m.to === '') return;
      const k = `${m.from}\u0000${m.to}`;
      const v = votes.get(k);
      if (v) v.n += n;
      else votes.set(k, { m, n });
    };
    for (const r of out) {
      if (r.localPath && (r.method === 'suffix' || r.method === 'module' || r.method === 'mapping')) {
        if (this.roots.some((root) => isUnder(r.localPath!, root)))
          vote(impliedMapping(normalizeSlashes(r.profilePath), r.localPath));
      }
    }
    // pprof's rule: a workspace folder's base name inside the recorded path.
    for (const r of out) {
      if (r.localPath) continue;
      const p = normalizeSlashes(r.profilePath);
      for (const root of this.roots) {
        const rest = trimSourcePath(p, [], [root]);
        if (rest === p || rest === '') continue;
        const cand = join(root, rest);
        if (this.fileOk(cand)) vote({ from: p.slice(0, p.length - rest.length - 1), to: root });
      }
    }
    // Base names, as a last resort; they vote too (several agreeing make a directory pair). A name
    // unique in the workspace, or, for a name several folders hold (main.go in the module and in
    // tools/gen), the folder holding the most of the profile directory's files, ties broken by the
    // folder with go.mod (a plain build of package main records its build directory, never the
    // module path).
    const byName = new Map<number, string>();
    const byDir = new Map<string, number[]>();
    out.forEach((r, i) => {
      if (r.localPath || looksLikeDependency(r.profilePath)) return;
      const p = normalizeSlashes(r.profilePath);
      const dir = p.slice(0, Math.max(0, p.lastIndexOf('/')));
      let list = byDir.get(dir);
      if (!list) byDir.set(dir, (list = []));
      list.push(i);
    });
    const moduleRoots = new Set(this.modules.map((m) => m.root));
    for (const idx of byDir.values()) {
      const held = new Map<string, number>();
      for (const i of idx) {
        for (const c of this.byBase.get(baseName(normalizeSlashes(out[i]!.profilePath))) ?? []) {
          if (!this.fileOk(c)) continue;
          const d = c.slice(0, c.lastIndexOf('/'));
          held.set(d, (held.get(d) ?? 0) + 1);
        }
      }
      const ranked = [...held].sort((a, b) => b[1] - a[1] || +moduleRoots.has(b[0]) - +moduleRoots.has(a[0]));
      const [first, second] = ranked;
      const dirOk =
        first && !(second && second[1] === first[1] && moduleRoots.has(second[0]) === moduleRoots.has(first[0]));
      for (const i of idx) {
        const p = normalizeSlashes(out[i]!.profilePath);
        const list = this.byBase.get(baseName(p)) ?? [];
        const inDir = dirOk ? list.find((c) => c === join(first[0], baseName(p)) && this.fileOk(c)) : undefined;
        const cand = inDir ?? (list.length === 1 && this.fileOk(list[0]!) ? list[0]! : undefined);
        if (cand === undefined) continue;
        byName.set(i, cand);
        vote(impliedMapping(p, cand));
      }
    }
    const pairs = [...votes.values()].sort((a, b) => b.n - a.n || b.m.from.length - a.m.from.length);
    return out.map((r, i) => {
      if (r.localPath) return r;
      const p = normalizeSlashes(r.profilePath);
      for (const { m, n } of pairs) {
        if (!isUnder(p, m.from)) continue;
        const cand = join(m.to, p.slice(m.from.length).replace(/^\//, ''));
        if (!this.fileOk(cand)) continue;
        // One base-name match alone is no evidence for its own directory pair.
        if (byName.get(i) === cand && n < 2) break;
        return {
          profilePath: r.profilePath,
          localPath: cand,
          method: 'inferred',
          confidence: 'high',
          via: m,
        } satisfies Resolution;
      }
      const b = byName.get(i);
      if (b)
        return { profilePath: r.profilePath, localPath: b, method: 'basename', confidence: 'low' } satisfies Resolution;
      return r;
    });
  }

  private fileOk(cand: string): boolean {
    try {
      return this.input.exists(cand) && this.inside(cand);
    } catch {
      return false;
    }
  }

  resolve(profilePath: string): Resolution {
    let r = this.cache.get(profilePath);
    if (!r) this.cache.set(profilePath, (r = this.compute(profilePath)));
    return r;
  }

  private ok(profilePath: string, localPath: string, method: ResolveMethod): Resolution {
    return { profilePath, localPath: resolveDots(localPath) ?? localPath, method };
  }

  private compute(profilePath: string): Resolution {
    const p = normalizeSlashes(profilePath);
    let outside: string | undefined;
    const exists = (f: string) => {
      try {
        if (!this.input.exists(f)) return false;
      } catch {
        return false;
      }
      if (this.inside(f)) return true;
      outside ??= f;
      return false;
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

    // 4. The module cache (another machine's may be anywhere: try each start of "<module>@<version>/").
    if (this.input.gomodcache) {
      const cache = normalizeSlashes(this.input.gomodcache);
      if (mc) {
        const cand = join(cache, `${mc.modVer}/${mc.rest}`);
        if (exists(cand)) return this.ok(profilePath, cand, 'gomodcache');
      }
      const parts = p.split('/');
      const at = parts.findIndex((e) => /^[^@]+@v\d/.test(e));
      for (let k = at - 1; at > 0 && k >= Math.max(0, at - 6); k--) {
        const cand = join(cache, parts.slice(k).join('/'));
        if (exists(cand)) return this.ok(profilePath, cand, 'gomodcache');
      }
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
    if (this.modules.length > 0) tried.push(`go.mod modules (${this.modules.map((m) => m.path).join(', ')})`);
    tried.push('workspace path suffixes');
    if (this.input.gomodcache) tried.push('GOMODCACHE');
    if (this.input.goroot) tried.push('GOROOT');
    if (outside !== undefined) {
      return {
        profilePath,
        reason: `${outside} is outside the workspace, GOROOT, GOMODCACHE and the path mappings: not opened`,
      };
    }
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

/**
 * The directory pair a found file implies: the profile path and the local path minus their longest
 * common trailing elements (at least the base name). undefined when nothing is left of either.
 */
export function impliedMapping(profilePath: string, localPath: string): PathMapping | undefined {
  const a = profilePath.split('/');
  const b = localPath.split('/');
  let n = 0;
  while (n < a.length - 1 && n < b.length - 1 && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  if (n === 0) return undefined;
  const from = a.slice(0, a.length - n).join('/');
  const to = b.slice(0, b.length - n).join('/');
  return from === '' || to === '' ? undefined : { from, to };
}

/** The buttons of a resolution notice: Map (when a mapping was computed), then the lists. */
export function noticeActions(n: ResolutionNotice): string[] {
  return [...(n.offer ? ['Map'] : []), 'Show Unresolved', 'Path Mappings…'];
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
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

export interface WorkspaceFolderInfo {
  readonly name: string;
  /** Absolute, slash-separated. */
  readonly path: string;
}

export interface ExpandContext {
  readonly folders: readonly WorkspaceFolderInfo[];
  readonly home?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Expands what VS Code users write in path settings: `${workspaceFolder}` (the first folder),
 * `${workspaceFolder:name}`, `${workspaceFolderBasename}`, `${userHome}`, a leading `~`, and
 * `${env:NAME}`. undefined when a variable cannot be expanded (no such folder, no workspace).
 */
export function expandPathVariables(value: string, ctx: ExpandContext): string | undefined {
  let failed = false;
  let s = value.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    let r: string | undefined;
    if (name === 'workspaceFolder' || name === 'workspaceRoot') r = ctx.folders[0]?.path;
    else if (name === 'workspaceFolderBasename') r = ctx.folders[0]?.name;
    else if (name.startsWith('workspaceFolder:')) {
      const want = name.slice('workspaceFolder:'.length);
      r = ctx.folders.find((f) => f.name === want)?.path;
    } else if (name === 'userHome') r = ctx.home;
    else if (name.startsWith('env:')) r = ctx.env?.[name.slice(4)] ?? '';
    if (r === undefined) failed = true;
    return r ?? whole;
  });
  if (failed) return undefined;
  if (s === '~' || s.startsWith('~/') || s.startsWith('~\\')) {
    if (!ctx.home) return undefined;
    s = ctx.home + s.slice(1);
  }
  return s;
}

/** A local directory as a setting value: "${workspaceFolder}/sub" (first folder) or "${workspaceFolder:name}/sub". */
export function mappingTargetSetting(dir: string, folders: readonly WorkspaceFolderInfo[]): string {
  const d = normalizeSlashes(dir);
  let best: { f: WorkspaceFolderInfo; i: number } | undefined;
  folders.forEach((f, i) => {
    const root = normalizeSlashes(f.path);
    if (isUnder(d, root) && (!best || root.length > normalizeSlashes(best.f.path).length)) best = { f, i };
  });
  if (!best) return d;
  const b = best as { f: WorkspaceFolderInfo; i: number };
  const rest = d.slice(normalizeSlashes(b.f.path).length);
  return `${b.i === 0 ? '${workspaceFolder}' : `\${workspaceFolder:${b.f.name}}`}${rest}`;
}

/**
 * A local file as a reader looks for it: relative to the innermost workspace folder holding it,
 * after the folder's name when there are several (as VS Code's asRelativePath: "shop/cart/cart.go");
 * the path itself outside every folder.
 */
export function workspaceRelative(local: string, folders: readonly WorkspaceFolderInfo[]): string {
  // A Windows drive letter in either case (a setting's "C:/…", VS Code's "c:/…").
  const drive = (s: string) => normalizeSlashes(s).replace(/^[A-Z]:/, (d) => d.toLowerCase());
  const p = drive(local);
  let best: { name: string; root: string } | undefined;
  for (const f of folders) {
    const root = drive(f.path);
    if (isUnder(p, root) && p !== root && (!best || root.length > best.root.length)) best = { name: f.name, root };
  }
  if (!best) return normalizeSlashes(local);
  const rest = p.slice(best.root.length).replace(/^\//, '');
  return folders.length > 1 ? `${best.name}/${rest}` : rest;
}

/**
 * [profile path, local path] of the files a profile's resolutions found where the profile does not
 * say, the local path workspaceRelative (the flame graph panel's SourcePaths, src/shared/protocol).
 */
export function sourcePaths(rs: readonly Resolution[], folders: readonly WorkspaceFolderInfo[]): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const r of rs) {
    if (!r.localPath || seen.has(r.profilePath)) continue;
    seen.add(r.profilePath);
    const local = workspaceRelative(r.localPath, folders);
    if (local !== r.profilePath) out.push([r.profilePath, local]);
  }
  return out;
}

export interface UserCodeSummary {
  /** Profile files that look like the user's code (not the standard library, not a module cache). */
  readonly user: number;
  /** Of those, found by a path rule (mapping, module, suffix, inferred directory, same path). */
  readonly found: number;
  /** Of those, found by a unique base name only. */
  readonly byNameOnly: number;
  /** The directory pair that would map the rest, when one can be computed. */
  readonly suggestion?: PathMapping;
}

/**
 * How much of the user's own code a profile's resolution found, and the mapping to offer when it
 * is not all: the directory pair that most of the user's files found by base name imply, checked
 * to map at least one more file than the path rules did.
 */
export function summarizeUserCode(rs: readonly Resolution[], roots: readonly string[]): UserCodeSummary {
  let user = 0;
  let found = 0;
  let byNameOnly = 0;
  const votes = new Map<string, { m: PathMapping; n: number }>();
  const rootsN = roots.map(normalizeSlashes);
  for (const r of rs) {
    const yours = r.localPath
      ? rootsN.some((root) => isUnder(r.localPath!, root)) && r.method !== 'goroot' && r.method !== 'gomodcache'
      : !looksLikeDependency(r.profilePath);
    if (!yours) continue;
    user++;
    if (r.method === 'basename') {
      byNameOnly++;
      const m = impliedMapping(normalizeSlashes(r.profilePath), r.localPath!);
      if (m) {
        const k = `${m.from}\u0000${m.to}`;
        const v = votes.get(k);
        if (v) v.n++;
        else votes.set(k, { m, n: 1 });
      }
    } else if (r.localPath) found++;
  }
  const best = [...votes.values()].sort((a, b) => b.n - a.n || b.m.from.length - a.m.from.length)[0];
  return { user, found, byNameOnly, ...(best ? { suggestion: best.m } : {}) };
}

export interface ResolutionNotice {
  readonly text: string;
  /** 'warning' when none or only part of the user's code was found. */
  readonly severity: 'info' | 'warning';
  /** The directory pair to offer as a mapping ("Map /build/x/prog → myapp?"). */
  readonly offer?: PathMapping;
}

/**
 * What to tell the user after a profile's files were mapped, or undefined when all was found:
 * that none (or only part) of *their* code was found, which files were matched by name only, and
 * the computed mapping to offer. `shortDir` names a local directory for the message (e.g. relative
 * to the workspace).
 */
export function resolutionNotice(
  name: string,
  rs: readonly Resolution[],
  user: UserCodeSummary,
  shortDir: (dir: string) => string,
): ResolutionNotice | undefined {
  // The files the go command writes itself (<autogenerated>, _testmain.go) are no one's to find.
  const total = rs.filter((r) => !isGeneratedByGo(r.profilePath)).length;
  const found = total - notFoundFiles(rs).length;
  const offer = user.suggestion;
  const ask = offer ? ` Map ${offer.from} → ${shortDir(offer.to)}?` : '';
  if (total === 0) {
    return {
      severity: 'warning',
      text: `pprof: ${name} names no source files (an unsymbolized profile, or a legacy text profile with addresses only): there is nothing to show in the editor; the flame graph and Hot Functions list what it has.`,
    };
  }
  if (user.user === 0) {
    return {
      severity: 'info',
      text: `pprof: ${name} has no frames in your code: its ${total} source files are the Go runtime, the standard library or dependencies (${found} found locally). Hot Functions and the flame graph show where the cost is.`,
    };
  }
  if (user.user > 0 && user.found === 0) {
    const named = rs.filter((r) => r.method === 'basename').map((r) => baseName(r.localPath!));
    const byName =
      named.length > 0
        ? ` ${named.slice(0, 3).join(', ')}${named.length > 3 ? ` and ${named.length - 3} more` : ''} matched by file name only (low confidence).`
        : '';
    return {
      severity: 'warning',
      // The counts say whose files were found: none of the user's by path, some of the others.
      text: `pprof: none of your code in ${name} was found by its path: 0 of your ${user.user} source file${user.user === 1 ? '' : 's'} (${found - user.byNameOnly} of the ${total - user.user} other files, the Go runtime, standard library and dependencies, were found).${byName}${ask}`,
      ...(offer ? { offer } : {}),
    };
  }
  if (user.found + user.byNameOnly < user.user || user.byNameOnly > 0) {
    const missing = user.user - user.found;
    return {
      severity: 'warning',
      text: `pprof: ${missing} of your ${user.user} source files in ${name} ${missing === 1 ? 'was' : 'were'} not found by path${user.byNameOnly > 0 ? ` (${user.byNameOnly} matched by file name only)` : ''}.${ask}`,
      ...(offer ? { offer } : {}),
    };
  }
  if (found < total) {
    return {
      severity: 'info',
      text: `pprof: ${name} loaded. ${found} of ${total} source files found locally (all of yours); ${total - found} not found.`,
    };
  }
  return undefined;
}
