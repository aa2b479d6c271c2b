/**
 * Per-line overlays like `go tool pprof -list`: flat and cum after the line end (aligned at one
 * column per file), a heat background by level, a gutter mark and an overview ruler mark. One
 * decoration type per heat level, created once; colours are theme colours (package.json
 * contributes.colors), so users and themes can change them.
 */
import * as vscode from 'vscode';
import {
  compactLabel,
  HEAT_LEVELS,
  heatLevel,
  heatValue,
  labelColumn,
  lineLabels,
  padToColumn,
  signedLineLabels,
  signedValue,
} from '../core/heat';
import type { Session } from './session';

export class DecorationController implements vscode.Disposable {
  /** types[level-1] for levels 1..HEAT_LEVELS, per gutter/ruler setting. */
  private types: vscode.TextEditorDecorationType[] = [];
  private typesKey = '';
  private readonly disposables: vscode.Disposable[] = [];
  private pending?: NodeJS.Timeout;
  /** Compare mode: [growth, shrink], created once per ruler setting. */
  private diffTypes: vscode.TextEditorDecorationType[] = [];
  private diffKey = '';

  constructor(
    private readonly session: Session,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      session.onDidChange(() => this.updateAll()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateAll()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateAll()),
      // Editors side by side (a split, the flame graph beside): the compact form.
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.updateAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) return;
        clearTimeout(this.pending);
        this.pending = setTimeout(() => this.updateAll(), 250);
      }),
    );
  }

  private ensureTypes(): vscode.TextEditorDecorationType[] {
    const cfg = this.session.config;
    const key = `${cfg.gutterIcons}:${cfg.overviewRuler}`;
    if (key === this.typesKey && this.types.length > 0) return this.types;
    for (const t of this.types) t.dispose();
    this.typesKey = key;
    this.types = [];
    for (let level = 1; level <= HEAT_LEVELS; level++) {
      this.types.push(
        vscode.window.createTextEditorDecorationType({
          isWholeLine: true,
          backgroundColor: new vscode.ThemeColor(`pprofLens.heat${level}Background`),
          ...(cfg.gutterIcons
            ? {
                gutterIconPath: vscode.Uri.joinPath(this.extensionUri, 'media', `heat-${level}.svg`),
                gutterIconSize: 'contain',
              }
            : {}),
          ...(cfg.overviewRuler
            ? {
                overviewRulerColor: new vscode.ThemeColor(`pprofLens.heat${level}OverviewRuler`),
                overviewRulerLane: vscode.OverviewRulerLane.Right,
              }
            : {}),
          after: {
            color: new vscode.ThemeColor('pprofLens.annotationForeground'),
            fontStyle: 'normal',
            fontWeight: 'normal',
          },
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
    return this.types;
  }

  /** Compare mode: growth levels 1..5 then shrink levels 1..5, by the size of the change. */
  private ensureDiffTypes(): vscode.TextEditorDecorationType[] {
    const cfg = this.session.config;
    const key = `${cfg.overviewRuler}`;
    if (key === this.diffKey && this.diffTypes.length > 0) return this.diffTypes;
    for (const t of this.diffTypes) t.dispose();
    this.diffKey = key;
    this.diffTypes = [];
    for (const kind of ['growth', 'shrink'] as const) {
      for (let level = 1; level <= HEAT_LEVELS; level++) {
        this.diffTypes.push(
          vscode.window.createTextEditorDecorationType({
            isWholeLine: true,
            backgroundColor: new vscode.ThemeColor(`pprofLens.${kind}${level}Background`),
            ...(cfg.overviewRuler
              ? {
                  overviewRulerColor: new vscode.ThemeColor(`pprofLens.${kind}OverviewRuler`),
                  overviewRulerLane: vscode.OverviewRulerLane.Right,
                }
              : {}),
            after: {
              color: new vscode.ThemeColor(`pprofLens.${kind}Foreground`),
              fontStyle: 'normal',
              fontWeight: 'normal',
            },
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }),
        );
      }
    }
    return this.diffTypes;
  }

  /** Whether labels take the compact form in this editor (pprofLens.labelLayout; 'auto': editors side by side). */
  compact(): boolean {
    const l = this.session.config.labelLayout;
    if (l !== 'auto') return l === 'compact';
    return vscode.window.tabGroups.all.length > 1;
  }

  updateAll(): void {
    const types = this.ensureTypes();
    if (this.session.view?.compare) this.ensureDiffTypes();
    for (const ed of vscode.window.visibleTextEditors) this.update(ed, types);
  }

  private update(editor: vscode.TextEditor, types: vscode.TextEditorDecorationType[]): void {
    const perLevel: vscode.DecorationOptions[][] = types.map(() => []);
    const s = this.session;
    const diff = s.view?.compare !== undefined;
    const perSign: vscode.DecorationOptions[][] = Array.from({ length: 2 * HEAT_LEVELS }, () => []);
    const costs = s.overlaysVisible ? s.costsFor(editor.document) : undefined;
    if (costs && (!costs.stale.stale || costs.forced)) {
      const t = s.sampleIndex;
      const p = costs.profile;
      const total = p.total(t);
      const unit = p.data.sampleTypes[t]!.unit;
      const cfg = s.config;
      const min = (cfg.minLinePercent / 100) * Math.abs(total);
      const doc = editor.document;
      const shown = costs.lines.filter(
        (l) =>
          (l.flat[t] !== 0 || l.cum[t] !== 0) &&
          l.line <= doc.lineCount &&
          Math.max(Math.abs(l.flat[t]!), Math.abs(l.cum[t]!)) >= min,
      );
      const labelOpts = { show: cfg.show, percentages: cfg.showPercentages };
      const costsShown = shown.map((l) => ({ flat: l.flat[t]!, cum: l.cum[t]! }));
      const compact = this.compact();
      const labels = compact
        ? costsShown.map((c) => compactLabel(c, unit, cfg.heatMetric, cfg.show, diff))
        : diff
          ? signedLineLabels(costsShown, unit, total, labelOpts)
          : lineLabels(costsShown, unit, total, labelOpts);
      const tabSize = typeof editor.options.tabSize === 'number' ? editor.options.tabSize : 4;
      const texts = shown.map((l) => doc.lineAt(l.line - 1).text);
      const column = compact ? 0 : labelColumn(texts, tabSize);
      shown.forEach((l, i) => {
        const metric = heatValue(l.flat[t]!, l.cum[t]!, cfg.heatMetric);
        const level = Math.max(1, heatLevel(metric, total));
        const line = doc.lineAt(l.line - 1);
        // Compare mode: growth and shrink in their own colours, stronger for larger changes.
        const bucket = diff
          ? perSign[((metric || l.flat[t]! || l.cum[t]!) < 0 ? HEAT_LEVELS : 0) + level - 1]!
          : perLevel[level - 1]!;
        bucket.push({
          range: new vscode.Range(line.range.end, line.range.end),
          renderOptions: { after: { contentText: padToColumn(texts[i]!, tabSize, column) + labels[i]! } },
        });
      });
    }
    types.forEach((type, i) => editor.setDecorations(type, perLevel[i]!));
    this.diffTypes.forEach((type, i) => editor.setDecorations(type, perSign[i]!));
  }

  dispose(): void {
    clearTimeout(this.pending);
    for (const t of this.types) t.dispose();
    for (const t of this.diffTypes) t.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export { signedValue };
