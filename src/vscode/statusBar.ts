/** The status bar item: profile name, sample type and total; click to switch the sample type. */
import * as vscode from 'vscode';
import { shortLabel } from '../shared/units';
import type { Session } from './session';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pprofLens.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[];

  constructor(private readonly session: Session) {
    this.item.name = 'pprof profile';
    this.item.command = 'pprofLens.switchSampleType';
    this.subs = [session.onDidChange(() => this.update()), vscode.window.onDidChangeActiveTextEditor(() => this.update())];
    this.update();
  }

  update(): void {
    const s = this.session;
    const p = s.profile;
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
    this.item.text = `$(flame) ${p.name} · ${st.type} · ${shortLabel(p.total(t), st.unit)}${off}${stale ? ' $(warning)' : ''}`;
    const unresolved = s.sourceMap?.unresolved.length ?? 0;
    const md = new vscode.MarkdownString();
    md.appendText(`pprof: ${p.name}\nSample type: ${st.type} (${st.unit}), total ${shortLabel(p.total(t), st.unit)}\n`);
    if (unresolved > 0) md.appendText(`${unresolved} profile source files not found locally (pprof: Show Unresolved Source Files)\n`);
    if (stale) md.appendText(`This file changed after the profile was taken: ${costs!.stale.reason}\n`);
    md.appendText('Click to switch the sample type.');
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.item.dispose();
  }
}
