/**
 * CodeLens above hot functions (cum at least pprofLens.codeLens.threshold % of the total): flat and
 * cum with percentages for the current sample type; clicking shows callers and callees. A file that
 * changed since profiling gets one lens saying so instead.
 *
 * A compare mode change (a base applied or dropped) renews every lens of a document: VS Code
 * updates the text of an existing lens widget only when it is in view, so lenses off-screen would
 * show the previous mode until scrolled to. The first provide after the change answers none (VS Code
 * then removes the widgets) and asks again at once, so every widget is made anew with the new title.
 */
import * as vscode from 'vscode';
import { lenses, lensModeKey, overlaysHidden, staleLensTitle } from '../../core/lineView';
import { iconSafe, plainText } from '../../shared/text';
import type { Session } from '../profile/session';

export class ProfileCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly sub: vscode.Disposable;
  /** The compare mode of the lenses VS Code holds, per document (see the file comment). */
  private readonly shownMode = new Map<string, string>();

  constructor(
    private readonly session: Session,
    /** Whether a document's line labels are in the compact form now (DecorationController.compact). */
    private readonly compact: (doc: vscode.TextDocument) => boolean = () => false,
    /** Fires when a document's form changed (DecorationController.onDidChangeCompact). */
    compactChanged?: vscode.Event<void>,
  ) {
    this.sub = vscode.Disposable.from(
      // Another profile, view, sample type, visibility or setting: every lens is asked anew.
      session.onDidChange(() => this.changed()),
      // The header names the compact form's one column when the editor is narrow: the decorations
      // say when a document's form changed; without them, any change of the tabs may have.
      compactChanged
        ? compactChanged(() => this.changed())
        : vscode.window.tabGroups.onDidChangeTabGroups(() => this.changed()),
    );
  }

  private pending = false;

  /**
   * Fires the change event once per burst (a profile shown fires 'profile' then 'sources'): each
   * event restarts VS Code's wait before it asks for the lenses again (its debounce, at least
   * 250 ms, longer after slow answers), so a burst of them, or tab changes that alter nothing
   * (the summary or flame graph opening beside), kept the previous profile's titles up for seconds.
   */
  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.emitter.fire();
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const s = this.session;
    if (!s.overlaysVisible) return [];
    const costs = s.costsFor(doc);
    if (!costs) return [];
    const p = costs.profile;
    const key = doc.uri.toString();
    const mode = lensModeKey(p.data.view?.compare);
    const shown = this.shownMode.get(key);
    this.shownMode.set(key, mode);
    if (shown !== undefined && shown !== mode) {
      setTimeout(() => this.changed(), 0);
      return [];
    }
    if (overlaysHidden(costs.stale, costs.forced)) {
      return [
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: `$(warning) ${iconSafe(staleLensTitle(p.name, costs.stale))}`,
          command: 'pprofLens.showStaleOverlays',
          arguments: [doc.uri],
          tooltip: 'The profile’s line numbers no longer match this file. Click to show the overlays anyway.',
        }),
      ];
    }
    if (!s.config.codeLensEnabled) return [];
    const t = s.sampleIndex;
    const st = p.data.sampleTypes[t]!;
    const cmp = p.data.view?.compare;
    const found = lenses(
      costs.functions.map((f) => ({
        name: f.name,
        startLine: f.startLine,
        firstLine: f.firstLine,
        flat: p.funcFlat(f.index, t),
        cum: p.funcCum(f.index, t),
        edited: costs.editedFunctions.has(f.index),
      })),
      doc.lineCount,
      (l) => doc.lineAt(l - 1).text,
      {
        sampleType: st.type,
        unit: st.unit,
        total: p.total(t),
        threshold: s.config.codeLensThreshold,
        ...(cmp ? { compare: { mode: cmp.mode, name: cmp.name } } : {}),
        show: s.config.show,
        compact: this.compact(doc),
        heatMetric: s.config.heatMetric,
        flameGraph: s.flameGraph !== undefined,
      },
    );
    return found.map(
      (l) =>
        new vscode.CodeLens(
          new vscode.Range(l.line - 1, 0, l.line - 1, 0),
          l.kind === 'costs'
            ? {
                title: iconSafe(l.title),
                command: 'pprofLens.showCallers',
                arguments: [l.function],
                tooltip: `Callers and callees of ${plainText(l.function)}`,
              }
            : l.kind === 'sandwich'
              ? {
                  title: iconSafe(l.title),
                  command: 'pprofLens.showCallersCallees',
                  arguments: [l.function],
                  tooltip: `The panel's callers (above) and callees (below) of ${plainText(l.function)}, over all its calls`,
                }
              : { title: iconSafe(l.title), command: 'pprofLens.showFlameGraph', arguments: [l.function] },
        ),
    );
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
