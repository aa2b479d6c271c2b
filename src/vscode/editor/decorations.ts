/**
 * Per-line overlays like `go tool pprof -list`: flat and cum after the line end (aligned at one
 * column per file; a line too long for the editor's room has its value before its code), a heat background by level, a gutter mark and an overview ruler mark. One
 * decoration type per heat level, created once; colours are theme colours (package.json
 * contributes.colors), so users and themes can change them.
 */
import * as vscode from 'vscode';
import { HEAT_LEVELS } from '../../core/heat';
import {
  editorColumns,
  groupWidths,
  overlays,
  overlaysHidden,
  overlaySlot,
  type GroupLayout,
} from '../../core/lineView';
import type { Session } from '../profile/session';

export class DecorationController implements vscode.Disposable {
  /** types[level-1] for levels 1..HEAT_LEVELS, per gutter/ruler setting. */
  private types: vscode.TextEditorDecorationType[] = [];
  private typesKey = '';
  private readonly disposables: vscode.Disposable[] = [];
  private readonly beforeType = vscode.window.createTextEditorDecorationType({});
  private pending?: NodeJS.Timeout;
  /** Compare mode: [growth, shrink], created once per ruler setting. */
  private diffTypes: vscode.TextEditorDecorationType[] = [];
  private diffKey = '';

  constructor(
    private readonly session: Session,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      session.onDidChange((kind) => {
        this.updateAll();
        // The first read of an editor's settings costs ~40 ms (bench:editor, host CPU profile): done
        // while the profile's sources are mapped, not in the draw that shows the overlays.
        if (kind === 'profile') setTimeout(() => vscode.window.visibleTextEditors.forEach((e) => this.columns(e)));
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateAll()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateAll()),
      // Editors side by side (a split, the flame graph beside): the compact form.
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.updateAll()),
      // No event says an editor group was resized: a scroll or a change of height asks again, twice a second at most.
      vscode.window.onDidChangeTextEditorVisibleRanges(() => {
        const now = Date.now();
        if (now - this.layoutAsked < 500) return;
        this.layoutAsked = now;
        this.refreshLayout();
      }),
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

  /** Per document: whether its labels took the compact form in its last update (the CodeLens header says so). */
  private readonly compactDocs = new Map<string, boolean>();
  /** Each editor group's width in pixels by ViewColumn - 1 (vscode.getEditorLayout), when known. */
  private groupPx: (number | undefined)[] = [];
  private layoutKey = '';
  private layoutAsked = 0;

  /** Whether labels are in the compact form in this document's editors (pprofLens.labelLayout; 'auto': by the editor's room). */
  compact(doc?: vscode.TextDocument): boolean {
    const l = this.session.config.labelLayout;
    if (l !== 'auto') return l === 'compact';
    const known = doc ? this.compactDocs.get(doc.uri.toString()) : undefined;
    return known ?? vscode.window.tabGroups.all.length > 1;
  }

  /** The columns of text this editor shows (core/lineView editorColumns). */
  private columns(editor: vscode.TextEditor): number {
    const ed = vscode.workspace.getConfiguration('editor', editor.document);
    const col = editor.viewColumn;
    return editorColumns({
      ...(col !== undefined && this.groupPx[col - 1] !== undefined ? { groupPx: this.groupPx[col - 1] } : {}),
      groupsAcross: vscode.window.tabGroups.all.length,
      fontSize: ed.get<number>('fontSize') ?? 14,
      minimap: ed.get<boolean>('minimap.enabled') ?? true,
      wordWrap: ed.get<string>('wordWrap') ?? 'off',
      wordWrapColumn: ed.get<number>('wordWrapColumn') ?? 80,
      rulers: (ed.get<unknown[]>('rulers') ?? []).map((r) =>
        typeof r === 'number'
          ? r
          : typeof (r as { column?: unknown })?.column === 'number'
            ? (r as { column: number }).column
            : 0,
      ),
    });
  }

  /** Asks VS Code for the editor groups' widths; redraws when they changed (a split, a resized panel beside). */
  private refreshLayout(): void {
    if (this.session.config.labelLayout !== 'auto') return;
    void Promise.resolve(
      vscode.commands.executeCommand<{ orientation: number; groups: GroupLayout[] }>('vscode.getEditorLayout'),
    ).then(
      (layout) => {
        if (!layout || !Array.isArray(layout.groups)) return;
        const widths = groupWidths(layout);
        const key = widths.join(',');
        if (key === this.layoutKey) return;
        this.layoutKey = key;
        this.groupPx = widths;
        this.draw();
      },
      () => undefined,
    );
  }

  updateAll(): void {
    this.draw();
    this.refreshLayout();
  }

  private draw(): void {
    const types = this.ensureTypes();
    if (this.session.view?.compare) this.ensureDiffTypes();
    const before = [...this.compactDocs];
    this.compactDocs.clear();
    for (const ed of vscode.window.visibleTextEditors) this.update(ed, types);
    // The CodeLens header names the form: it follows when a document's form changed.
    if (before.length !== this.compactDocs.size || before.some(([k, v]) => this.compactDocs.get(k) !== v))
      this.emitter.fire();
  }

  private readonly emitter = new vscode.EventEmitter<void>();
  /** A document's compact form changed (the CodeLens refreshes its header). */
  readonly onDidChangeCompact = this.emitter.event;

  private update(editor: vscode.TextEditor, types: vscode.TextEditorDecorationType[]): void {
    const s = this.session;
    const diff = s.view?.compare !== undefined;
    const perLevel: vscode.DecorationOptions[][] = types.map(() => []);
    const perSign: vscode.DecorationOptions[][] = Array.from({ length: 2 * HEAT_LEVELS }, () => []);
    const before: vscode.DecorationOptions[] = [];
    const costs = s.overlaysVisible ? s.costsFor(editor.document) : undefined;
    if (costs && !overlaysHidden(costs.stale, costs.forced)) {
      const t = s.sampleIndex;
      const p = costs.profile;
      const cfg = s.config;
      const doc = editor.document;
      const shown = overlays(
        costs.lines.map((l) => ({ line: l.line, flat: l.flat[t]!, cum: l.cum[t]! })),
        doc.lineCount,
        (l) => doc.lineAt(l - 1).text,
        p.data.sampleTypes[t]!.unit,
        p.total(t),
        {
          show: cfg.show,
          percentages: cfg.showPercentages,
          heatMetric: cfg.heatMetric,
          minLinePercent: cfg.minLinePercent,
          compact: cfg.labelLayout === 'auto' ? 'auto' : cfg.labelLayout === 'compact',
          columns: this.columns(editor),
          compare: diff,
          tabSize: typeof editor.options.tabSize === 'number' ? editor.options.tabSize : 4,
        },
      );
      if (shown.length > 0) {
        const key = doc.uri.toString();
        // Split editors of one document: compact when any of them is.
        this.compactDocs.set(key, (this.compactDocs.get(key) ?? false) || shown.every((o) => o.form === 'compact'));
      }
      for (const o of shown) {
        const pos = new vscode.Position(o.line - 1, o.character);
        const range = new vscode.Range(pos, pos);
        // Compare mode: growth and shrink in their own colours, stronger for larger changes.
        const list = (diff ? perSign : perLevel)[overlaySlot(o)]!;
        if (o.placement === 'after') list.push({ range, renderOptions: { after: { contentText: o.text } } });
        else {
          // A line too long for the editor's room: its value before its code, where no scroll is
          // needed to read it (VS Code's horizontal scroll does not reach text after a line's
          // end). Not in the whole-line type, which would put it before the indentation.
          list.push({ range });
          before.push({
            range,
            renderOptions: {
              before: {
                contentText: o.text,
                color: new vscode.ThemeColor(`pprofLens.${diff ? o.kind : 'annotation'}Foreground`),
              },
            },
          });
        }
      }
    }
    editor.setDecorations(this.beforeType, before);
    types.forEach((type, i) => editor.setDecorations(type, perLevel[i]!));
    this.diffTypes.forEach((type, i) => editor.setDecorations(type, perSign[i]!));
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.beforeType.dispose();
    for (const t of this.types) t.dispose();
    for (const t of this.diffTypes) t.dispose();
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
