/**
 * The Hot Functions list: functions grouped by Go package, sorted by cum or flat, the runtime's
 * internals hidden unless asked for. Pure; the tree view and the picker place the result.
 */
export interface HotItem {
  readonly name: string;
  readonly flat: number;
  readonly cum: number;
  /** Only ever seen inlined into a caller (pprof prints "(inline)"). */
  readonly inline?: boolean;
}

export interface HotPackage<T extends HotItem> {
  readonly pkg: string;
  /** Sum of the functions' flat; cum is the largest function cum (cum does not add up). */
  readonly flat: number;
  readonly cum: number;
  readonly functions: T[];
}

/** The import path of a Go function's package: "example.com/x/pkg.(*T).M" -> "example.com/x/pkg", "main.f.func1" -> "main". */
export function goPackage(name: string): string {
  const slash = name.lastIndexOf('/', name.indexOf('(') >= 0 ? name.indexOf('(') : undefined);
  const dot = name.indexOf('.', slash + 1);
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The runtime's own packages (runtime, runtime/internal/*, internal/runtime/*). */
export function isRuntimePackage(pkg: string): boolean {
  return pkg === 'runtime' || pkg.startsWith('runtime/internal/') || pkg.startsWith('internal/runtime/');
}

export interface HotOptions {
  readonly sortBy: 'cum' | 'flat';
  readonly showRuntime: boolean;
  /** At most this many functions over all packages (the heaviest). */
  readonly limit: number;
}

export function groupHotFunctions<T extends HotItem>(
  items: readonly T[],
  o: HotOptions,
): { packages: HotPackage<T>[]; hidden: number } {
  const key = (x: { flat: number; cum: number }) => Math.abs(o.sortBy === 'cum' ? x.cum : x.flat);
  const other = (x: { flat: number; cum: number }) => Math.abs(o.sortBy === 'cum' ? x.flat : x.cum);
  const order = (a: { flat: number; cum: number; name?: string; pkg?: string }, b: typeof a) =>
    key(b) - key(a) || other(b) - other(a) || ((a.name ?? a.pkg ?? '') < (b.name ?? b.pkg ?? '') ? -1 : 1);
  let hidden = 0;
  const kept = items.filter((x) => {
    if (x.flat === 0 && x.cum === 0) return false;
    if (!o.showRuntime && isRuntimePackage(goPackage(x.name))) {
      hidden++;
      return false;
    }
    return true;
  });
  const top = [...kept].sort(order).slice(0, o.limit);
  const byPkg = new Map<string, T[]>();
  for (const x of top) {
    const p = goPackage(x.name);
    let l = byPkg.get(p);
    if (!l) byPkg.set(p, (l = []));
    l.push(x);
  }
  const packages = [...byPkg.entries()].map(([pkg, fs]) => ({
    pkg,
    flat: fs.reduce((a, f) => a + f.flat, 0),
    cum: fs.reduce((a, f) => (Math.abs(f.cum) > Math.abs(a) ? f.cum : a), 0),
    functions: fs,
  }));
  packages.sort(order);
  return { packages, hidden };
}
