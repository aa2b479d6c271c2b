/**
 * The "Hot Functions" tree view: the profile's functions grouped by package, by cum (or flat),
 * runtime internals hidden unless toggled; clicking a function opens its source.
 */
import { plainText } from '../../shared/text';
import * as vscode from 'vscode';
import { uiPercent } from '../../core/heat';
import { groupHotFunctions, type HotPackage } from '../../core/hotFunctions';
import { isUnder, normalizeSlashes } from '../../core/paths';
import { shortLabel } from '../../shared/units';
import { SECTION } from '../config';
import type { LoadedProfile } from '../profile/loadedProfile';
import type { Session } from '../profile/session';
import { workspaceFolders } from '../profile/sourceMap';

export interface HotFunction {
  name: string;
  flat: number;
  cum: number;
  inline?: boolean;
  /** " (inline)" / " (partial-inline)" / "". */
  inlineLabel: string;
  /** Local file and 1-based line when the source was found. */
  location?: { path: string; line: number };
  profileFile: string;
}

/** Every function with a cost for the current sample type; a function split over files is summed. */
export function allHotFunctions(s: Session): HotFunction[] {
  const p: LoadedProfile | undefined = s.profile;
  if (!p) return [];
  const t = s.sampleIndex;
  const byName = new Map<string, HotFunction>();
  for (const f of p.allFunctions()) {
    const flat = p.funcFlat(f.index, t);
    const cum = p.funcCum(f.index, t);
    if (flat === 0 && cum === 0) continue;
    let h = byName.get(f.name);
    if (!h) {
      const local = s.sourceMap?.resolutions[f.file]?.localPath;
      h = {
        name: f.name,
        flat: 0,
        cum: 0,
        inlineLabel: f.inlineLabel,
        profileFile: p.data.files[f.file]!,
        ...(local ? { location: { path: local, line: f.startLine } } : {}),
      };
      byName.set(f.name, h);
    }
    h.flat += flat;
    h.cum = Math.max(h.cum, cum);
  }
  return [...byName.values()];
}

/** Functions by the configured order (cum by default), runtime hidden unless shown. */
export function hotFunctions(s: Session, limit: number): HotFunction[] {
  const { packages } = groupHotFunctions(allHotFunctions(s), {
    sortBy: s.config.hotFunctionsSortBy,
    showRuntime: s.config.hotFunctionsShowRuntime,
    limit,
  });
  const all = packages.flatMap((p) => p.functions);
  const key = (h: HotFunction) => Math.abs(s.config.hotFunctionsSortBy === 'flat' ? h.flat : h.cum);
  return all.sort((a, b) => key(b) - key(a));
}

/** The hottest function by cum whose source is in the workspace (not GOROOT, not the module cache). */
export function hottestUserFunction(s: Session): HotFunction | undefined {
  const all = hotFunctionsByCum(s);
  return all.find(isInWorkspace) ?? all.find((h) => h.location);
}

/** The profile's functions, hottest (by |cum|, then |flat|) first. */
export function hotFunctionsByCum(s: Session): HotFunction[] {
  return allHotFunctions(s).sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum) || Math.abs(b.flat) - Math.abs(a.flat));
}

/** Is the function's local file in one of the workspace's folders (the user's code)? */
export function isInWorkspace(h: HotFunction): boolean {
  const roots = workspaceFolders().map((f) => f.path);
  return h.location !== undefined && roots.some((r) => isUnder(normalizeSlashes(h.location!.path), r));
}

export function describeCost(s: Session, flat: number, cum: number): string {
  const p = s.profile!;
  const t = s.sampleIndex;
  const unit = p.data.sampleTypes[t]!.unit;
  const total = p.total(t);
  const signed = s.view?.compare !== undefined;
  const v = (x: number) => `${signed && x > 0 ? '+' : ''}${shortLabel(x, unit)}`;
  return `flat ${v(flat)} (${uiPercent(flat, total, signed)}) · cum ${v(cum)} (${uiPercent(cum, total, signed)})`;
}

type Node =
  { kind: 'pkg'; pkg: HotPackage<HotFunction> } | { kind: 'fn'; fn: HotFunction } | { kind: 'hidden'; n: number };

export class HotFunctionsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.sub = session.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(element?: Node): Node[] {
    const s = this.session;
    if (element?.kind === 'pkg') return element.pkg.functions.map((fn) => ({ kind: 'fn', fn }));
    if (element) return [];
    const { packages, hidden } = groupHotFunctions(allHotFunctions(s), {
      sortBy: s.config.hotFunctionsSortBy,
      showRuntime: s.config.hotFunctionsShowRuntime,
      limit: s.config.hotFunctionsCount,
    });
    const out: Node[] = packages.map((pkg) => ({ kind: 'pkg', pkg }));
    if (hidden > 0) out.push({ kind: 'hidden', n: hidden });
    return out;
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const s = this.session;
    const by = s.config.hotFunctionsSortBy;
    if (n.kind === 'hidden') {
      const item = new vscode.TreeItem(`${n.n} runtime functions hidden`, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('eye-closed');
      item.command = { title: 'Show runtime functions', command: 'pprofLens.toggleHotFunctionsRuntime' };
      return item;
    }
    if (n.kind === 'pkg') {
      const item = new vscode.TreeItem(plainText(n.pkg.pkg), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `pkg:${n.pkg.pkg}`;
      const p = s.profile!;
      const unit = p.data.sampleTypes[s.sampleIndex]!.unit;
      const v = by === 'flat' ? n.pkg.flat : n.pkg.cum;
      item.description = `${by} ${shortLabel(v, unit)} (${uiPercent(v, p.total(s.sampleIndex), s.view?.compare !== undefined)})`;
      item.iconPath = new vscode.ThemeIcon('package');
      return item;
    }
    const h = n.fn;
    const item = new vscode.TreeItem(
      plainText(`${h.name.slice(h.name.lastIndexOf('/') + 1)}${h.inlineLabel}`),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `fn:${h.name}`;
    item.description = describeCost(s, h.flat, h.cum);
    const tip = new vscode.MarkdownString();
    tip.appendText(
      `${plainText(h.name)}${h.inlineLabel}\n${item.description}\n${plainText(h.location ? h.location.path : `source not found: ${h.profileFile}`)}`,
    );
    item.tooltip = tip;
    item.iconPath = new vscode.ThemeIcon(h.location ? 'symbol-function' : 'question');
    if (h.location) {
      item.command = {
        title: 'Open',
        command: 'pprofLens.openLocation',
        arguments: [h.location.path, h.location.line],
      };
    }
    return item;
  }

  /** pprofLens.toggleHotFunctionsRuntime / toggleHotFunctionsSort: flip the setting (user scope). */
  static register(): vscode.Disposable[] {
    const flip = async (key: string, next: (cur: unknown) => unknown) => {
      const c = vscode.workspace.getConfiguration(SECTION);
      await c.update(key, next(c.get(key)), vscode.ConfigurationTarget.Global);
    };
    return [
      vscode.commands.registerCommand('pprofLens.toggleHotFunctionsRuntime', () =>
        flip('hotFunctions.showRuntime', (v) => v !== true),
      ),
      vscode.commands.registerCommand('pprofLens.toggleHotFunctionsSort', () =>
        flip('hotFunctions.sortBy', (v) => (v === 'flat' ? 'cum' : 'flat')),
      ),
    ];
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
