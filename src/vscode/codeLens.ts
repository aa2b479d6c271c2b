/**
 * CodeLens above hot functions (cum at least pprofLens.codeLens.threshold % of the total): flat and
 * cum with percentages for the current sample type; clicking shows callers and callees. A file that
 * changed since profiling gets one lens saying so instead.
 */
import { iconSafe, plainText } from '../shared/text';
import * as vscode from 'vscode';
import { closureLiteralLine, codeLensTitle, columnsHeader, compareLensTitle } from '../core/heat';
import type { Session } from './session';

export class ProfileCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly session: Session,
    /** Whether line labels are in the compact form now (DecorationController.compact). */
    private readonly compact: () => boolean = () => false,
  ) {
    this.sub = vscode.Disposable.from(
      session.onDidChange(() => this.emitter.fire()),
      // The header names the compact form's one column when editors stand side by side.
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.emitter.fire()),
    );
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const s = this.session;
    if (!s.overlaysVisible) return [];
    const costs = s.costsFor(doc);
    if (!costs) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (costs.stale.stale && !costs.forced) {
      return [
        new vscode.CodeLens(top, {
          title: `$(warning) pprof: this file changed after ${iconSafe(costs.profile.name)} was taken, overlays hidden: ${iconSafe(costs.stale.reason ?? '')}`,
          command: 'pprofLens.showStaleOverlays',
          arguments: [doc.uri],
          tooltip: 'The profile’s line numbers no longer match this file. Click to show the overlays anyway.',
        }),
      ];
    }
    if (!s.config.codeLensEnabled) return [];
    const t = s.sampleIndex;
    const p = costs.profile;
    const st = p.data.sampleTypes[t]!;
    const total = p.total(t);
    const min = (s.config.codeLensThreshold / 100) * Math.abs(total);
    const lenses: vscode.CodeLens[] = [];
    // Compare mode: signed differences against the base, the mode named (-base / -diff_base).
    const cmp = p.data.view?.compare;
    // What the values after the lines are, said once per function ("flat · cum").
    const header = `${columnsHeader(s.config.show, this.compact(), s.config.heatMetric)} after the lines${costs.edited ? ' · edited since the profile' : ''}`;
    for (const f of costs.functions) {
      const cum = p.funcCum(f.index, t);
      const flat = p.funcFlat(f.index, t);
      if (cum === 0 || Math.abs(cum) < min || f.startLine < 1 || f.startLine > doc.lineCount) continue;
      const text = (l: number) => (l >= 1 && l <= doc.lineCount ? doc.lineAt(l - 1).text : '');
      // Without start_line (Go before 1.20) startLine is the first sampled line: find the declaration,
      // or the func literal's line for a closure.
      const closure = /\.func\d+(\.\d+)*$/.test(f.name);
      const at =
        f.startLine !== f.firstLine
          ? f.startLine
          : closure
            ? closureLiteralLine(text, f.startLine)
            : declarationLine(text, f.name, f.startLine);
      const range = new vscode.Range(at - 1, 0, at - 1, 0);
      lenses.push(
        new vscode.CodeLens(range, {
          title: iconSafe(
            `${cmp ? compareLensTitle(cmp.mode, cmp.name, st.type, st.unit, flat, cum, total) : codeLensTitle(st.type, st.unit, flat, cum, total)} · ${header}`,
          ),
          command: 'pprofLens.showCallers',
          arguments: [f.name],
          tooltip: `Callers and callees of ${plainText(f.name)}`,
        }),
      );
      if (s.flameGraph) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: 'flame graph',
            command: 'pprofLens.showFlameGraph',
            arguments: [f.name],
          }),
        );
        lenses.push(
          new vscode.CodeLens(range, {
            title: 'callers and callees',
            command: 'pprofLens.showCallersCallees',
            arguments: [f.name],
            tooltip: `The panel's callers (above) and callees (below) of ${plainText(f.name)}, over all its calls`,
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}

/**
 * The line of a function's `func` declaration at or above `from` (profiles without start_line,
 * from Go before 1.20, only give the first sampled line); `from` when it is not found nearby or
 * the function is a closure.
 */
export function declarationLine(lineText: (line: number) => string, name: string, from: number): number {
  const short = name.slice(name.lastIndexOf('.') + 1);
  if (!/^[A-Za-z_]\w*$/.test(short) || /^func\d+$/.test(short)) return from;
  const rx = new RegExp(`^func\\s*(\\([^)]*\\)\\s*)?${short}\\b`);
  for (let l = from; l >= Math.max(1, from - 300); l--) if (rx.test(lineText(l))) return l;
  return from;
}
