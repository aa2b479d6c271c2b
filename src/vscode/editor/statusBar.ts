/** The status bar item: profile name, sample type and total; click to switch the sample type. */
import { iconSafe, plainText } from '../../shared/text';
import * as vscode from 'vscode';
import { goroutineCompareTotal, heatLegend } from '../../core/heat';
import { isUnder } from '../../core/paths';
import { shortLabel } from '../../shared/units';
import type { Session } from '../profile/session';
import { workspaceFolders } from '../profile/sourceMap';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pprofLens.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[];
  /** "Δ vs base.pb.gz" (click clears the comparison). */
  private readonly compareItem = vscode.window.createStatusBarItem(
    'pprofLens.compare',
    vscode.StatusBarAlignment.Left,
    49,
  );
  /** One "focus=… ×" item per active filter (click clears that filter). */
  private filterItems: vscode.StatusBarItem[] = [];

  private readonly notes = new WeakMap<object, (string | undefined)[]>();

  constructor(private readonly session: Session) {
    this.item.name = 'pprof profile';
    this.item.command = 'pprofLens.switchSampleType';
    this.subs = [
      session.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    ];
    this.update();
  }

  update(): void {
    const s = this.session;
    const p = s.profile;
    this.updateView();
    if (!p) {
      this.item.hide();
      return;
    }
    const t = s.sampleIndex;
    const st = p.data.sampleTypes[t]!;
    const ed = vscode.window.activeTextEditor;
    const costs = ed ? s.costsFor(ed.document) : undefined;
    const stale = costs?.stale.stale && !costs.forced;
    const off = s.overlaysVisible ? '' : ' (hidden)';
    const edited = costs?.edited && !stale;
    // Goroutines compared: each side's count and the change, not pprof's -base sum alone.
    const sides = s.view?.compare?.sides;
    const goroutines = sides
      ? goroutineCompareTotal(st.type, st.unit, sides.base[t] ?? 0, sides.current[t] ?? 0)
      : undefined;
    const totalText = goroutines ?? shortLabel(p.total(t), st.unit);
    this.item.text = `$(flame) ${iconSafe(p.name)} · ${iconSafe(st.type)} · ${iconSafe(totalText)}${off}${stale ? ' $(warning)' : ''}${edited ? ' $(edit)' : ''}`;
    const unresolved = s.sourceMap?.unresolved.length ?? 0;
    const md = new vscode.MarkdownString();
    md.appendText(
      `pprof: ${plainText(p.name)}\nSample type: ${plainText(st.type)} (${plainText(st.unit)}), total ${plainText(shortLabel(p.total(t), st.unit))}\n`,
    );
    if (unresolved > 0)
      md.appendText(`${unresolved} profile source files not found locally (pprof: Show Unresolved Source Files)\n`);
    const none = this.nothingHere(t);
    if (none) md.appendText(`${none}\n`);
    if (stale) md.appendText(`This file changed after the profile was taken: ${costs!.stale.reason}\n`);
    if (edited) {
      const n = costs!.droppedLines;
      md.appendText(
        `This file was edited since the profile: values follow their lines${n > 0 ? `; ${n} edited sampled line${n === 1 ? '' : 's'} no longer shown` : ''}.\n`,
      );
    }
    const cmpTotal = s.view?.compare
      ? ` (${s.view.compare.mode === 'diff_base' ? '-diff_base: the base’s total' : '-base: sum of the differences'}, as pprof prints it)`
      : '';
    if (cmpTotal)
      md.appendText(
        goroutines
          ? `Goroutines: ${goroutines} (base → this profile); total ${shortLabel(p.total(t), st.unit)}${cmpTotal}\n`
          : `Total${cmpTotal}\n`,
      );
    md.appendText(`${heatLegend(s.config.heatMetric, plainText(st.type), s.view?.compare !== undefined)}\n`);
    md.appendText('Click to switch the sample type.');
    this.item.tooltip = md;
    this.item.show();
  }

  private nothingHere(t: number): string | undefined {
    // Per profile data (a view has its own) and sample type, the worker's note that none of its
    // values is in the workspace's files (core/lineView nothingInWorkspace): asked once, shown in
    // the tooltip and, when it comes, once as a notice (the editor shows nothing then).
    const p = this.session.profile!;
    const map = this.session.sourceMap;
    let notes = this.notes.get(p.data);
    if (!notes) this.notes.set(p.data, (notes = []));
    if (!map || t in notes) return notes[t];
    notes[t] = undefined;
    const files = map.resolutions.flatMap((r, i) =>
      r.localPath && workspaceFolders().some((f) => isUnder(r.localPath!, f.path)) ? [i] : [],
    );
    p.worker.request('workspaceNote', { sampleIndex: t, files }).then(
      (note) => {
        if (!note) return;
        notes[t] = note;
        this.update();
        void vscode.window.showInformationMessage(plainText(note));
      },
      () => undefined,
    );
    return undefined;
  }

  private updateView(): void {
    const view = this.session.profile ? this.session.view : undefined;
    const cmp = view?.compare;
    if (cmp) {
      this.compareItem.name = 'pprof comparison';
      this.compareItem.text = `$(diff) Δ ${cmp.mode === 'diff_base' ? '-diff_base' : '-base'} ${iconSafe(cmp.name)}${cmp.normalize ? ' (normalized)' : ''}${cmp.perOp ? ' per op' : ''} $(close)`;
      const md = new vscode.MarkdownString();
      md.appendText(
        `Values are differences against ${plainText(cmp.name)} (${cmp.mode === 'diff_base' ? '-diff_base: percentages of the base' : '-base: base subtracted'}${cmp.normalize ? ', normalized' : ''}).\n${cmp.perOp ? `${plainText(cmp.perOp.note)}\n` : ''}Click to stop comparing.`,
      );
      this.compareItem.tooltip = md;
      this.compareItem.command = { title: 'Stop comparing', command: 'pprofLens.clearCompare' };
      this.compareItem.show();
    } else this.compareItem.hide();
    for (const it of this.filterItems) it.dispose();
    this.filterItems = [];
    const filters = view?.filters ?? {};
    const unmatched = new Set(view?.unmatched ?? []);
    let prio = 48;
    for (const [key, value] of Object.entries(filters) as [keyof typeof filters, string | undefined][]) {
      if (!value) continue;
      const it = vscode.window.createStatusBarItem(`pprofLens.filter.${key}`, vscode.StatusBarAlignment.Left, prio--);
      const shown = value.length > 30 ? `${value.slice(0, 29)}…` : value;
      it.name = `pprof filter ${key}`;
      it.text = `$(filter) ${key}=${iconSafe(shown)}${unmatched.has(key) ? ' $(warning)' : ''} $(close)`;
      const md = new vscode.MarkdownString();
      md.appendText(
        `pprof filter ${key}=${plainText(value)}${unmatched.has(key) ? '\nIt matches nothing in this profile.' : ''}\nClick to remove this filter.`,
      );
      it.tooltip = md;
      it.command = { title: `Remove ${key}`, command: 'pprofLens.clearFilters', arguments: [key] };
      it.show();
      this.filterItems.push(it);
    }
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.item.dispose();
    this.compareItem.dispose();
    for (const it of this.filterItems) it.dispose();
  }
}
