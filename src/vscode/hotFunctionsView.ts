/** The "Hot Functions" tree view: the profile's functions by flat (then cum), clicking opens the source. */
import { plainText } from '../shared/text';
import * as vscode from 'vscode';
import { percentage, shortLabel } from '../shared/units';
import type { LoadedProfile } from './loadedProfile';
import type { Session } from './session';

export interface HotFunction {
  name: string;
  flat: number;
  cum: number;
  /** Local file and 1-based line when the source was found. */
  location?: { path: string; line: number };
  profileFile: string;
}

/** Functions by flat, then cum, for the current sample type; a function split over files is summed. */
export function hotFunctions(s: Session, limit: number): HotFunction[] {
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
      h = { name: f.name, flat: 0, cum: 0, profileFile: p.data.files[f.file]!, ...(local ? { location: { path: local, line: f.startLine } } : {}) };
      byName.set(f.name, h);
    }
    h.flat += flat;
    h.cum = Math.max(h.cum, cum);
  }
  return [...byName.values()]
    .sort((a, b) => Math.abs(b.flat) - Math.abs(a.flat) || Math.abs(b.cum) - Math.abs(a.cum) || (a.name < b.name ? -1 : 1))
    .slice(0, limit);
}

export function describeCost(s: Session, flat: number, cum: number): string {
  const p = s.profile!;
  const t = s.sampleIndex;
  const unit = p.data.sampleTypes[t]!.unit;
  const total = p.total(t);
  return `flat ${shortLabel(flat, unit)} (${percentage(flat, total).trim()}) · cum ${shortLabel(cum, unit)} (${percentage(cum, total).trim()})`;
}

export class HotFunctionsView implements vscode.TreeDataProvider<HotFunction>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<HotFunction | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.sub = session.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(element?: HotFunction): HotFunction[] {
    if (element) return [];
    return hotFunctions(this.session, this.session.config.hotFunctionsCount);
  }

  getTreeItem(h: HotFunction): vscode.TreeItem {
    const item = new vscode.TreeItem(plainText(h.name), vscode.TreeItemCollapsibleState.None);
    item.description = describeCost(this.session, h.flat, h.cum);
    const tip = new vscode.MarkdownString();
    tip.appendText(`${plainText(h.name)}\n${item.description}\n${plainText(h.location ? h.location.path : `source not found: ${h.profileFile}`)}`);
    item.tooltip = tip;
    item.iconPath = new vscode.ThemeIcon(h.location ? 'symbol-function' : 'question');
    if (h.location) {
      item.command = { title: 'Open', command: 'pprofLens.openLocation', arguments: [h.location.path, h.location.line] };
    }
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
