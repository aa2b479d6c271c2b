/**
 * Why a hot line allocates / is not inlined. For the workspace packages that hold hot lines of the
 * current profile, runs `go build -gcflags=-m=2` (insight/gcRunner) with the Go extension's
 * go.buildFlags / go.buildTags and go binary (go.alternateTools / go.goroot / PATH), only in a
 * trusted workspace, with cancellable progress; results cached per package by the hash of its
 * files. Then: a hover section and a marker after allocation-hot lines (the compiler's escape
 * reason and flow) and CPU-hot call sites (not inlined, and why), and the "Allocation Hot Spots"
 * view. Everything the compiler prints is shown as text.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { blankCommentsAndStrings } from '../../core/bench';
import {
  allocationHotSpots,
  allocationRankIndex,
  allocSpotCause,
  APPEND_GROWTH_MARKER,
  appendGrowthNote,
  escapeMarkerText,
  escapeText,
  GcIndex,
  inlineMarkerText,
  insightMarkdown,
  isAllocationSampleType,
  type AllocSpot,
  type GcDiagnostics,
} from '../../core/gcdiag';
import { MISSING_GO_MESSAGE } from '../../core/bench';
import { isUnder, normalizeSlashes } from '../../core/paths';
import { escapeMarkdown, uiPercent } from '../../core/heat';
import { shortLabel } from '../../shared/units';
import { findGo } from '../bench/benchLens';
import type { LineCause } from '../../core/allocCauses';
import type { LoadedProfile } from '../profile/loadedProfile';
import type { Session } from '../profile/session';
import { requireTrust } from '../trust';
import { runGcDiagnostics, GcRunError } from './gcRunner';

export type InsightMode = 'auto' | 'onDemand' | 'off';

const MAX_PACKAGES = 24;
const MAX_HOT_LINES = 400;
/** CPU call sites at least this share of the total (in %) get a marker. */
const CPU_MARKER_PERCENT = 1;
const CACHE_ENTRIES = 256;

function mode(): InsightMode {
  const m = vscode.workspace.getConfiguration('pprofLens').get<string>('insight.compilerDiagnostics');
  return m === 'off' || m === 'onDemand' ? m : 'auto';
}

function norm(p: string): string {
  const s = normalizeSlashes(p);
  return process.platform === 'win32' ? s.toLowerCase() : s;
}

/** A hot line of the current profile in a local Go file. */
interface HotLine {
  /** Local path (as resolved). */
  file: string;
  line: number;
  /** The ranking value: flat bytes of the allocation type, or cum of the shown type. */
  value: number;
}

/** The directory holding go.mod above dir, not above the workspace folder. */
function moduleRoot(dir: string, stop: string): string | undefined {
  let d = dir;
  for (;;) {
    if (existsSync(path.join(d, 'go.mod'))) return d;
    const up = path.dirname(d);
    if (up === d || !isUnder(normalizeSlashes(up), normalizeSlashes(stop))) return undefined;
    d = up;
  }
}

/** What the build of one package depends on here: its non-test Go files, go.mod/go.sum, go binary, flags. */
function packageHash(dir: string, modRoot: string, settings: string): string | undefined {
  const h = createHash('sha256');
  h.update(settings);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'))
      .sort();
  } catch {
    return undefined;
  }
  for (const n of [
    ...names.map((x) => path.join(dir, x)),
    path.join(modRoot, 'go.mod'),
    path.join(modRoot, 'go.sum'),
  ]) {
    h.update(`\u0000${n}\u0000`);
    try {
      h.update(readFileSync(n));
    } catch {
      h.update('-');
    }
  }
  return h.digest('hex');
}

export class CompilerInsight implements vscode.Disposable {
  private readonly cache = new Map<string, GcDiagnostics>();
  /** Package directory (normalised) -> the cache key its diagnostics were found under. */
  private readonly current = new Map<string, string>();
  private index?: GcIndex;
  private running?: Promise<void>;
  private again = false;
  private readonly subs: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when diagnostics arrive or go. */
  readonly onDidChange = this.emitter.event;
  private readonly marker = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('editorCodeLens.foreground'),
      fontStyle: 'italic',
      margin: '0 0 0 2em',
    },
  });
  private timer?: ReturnType<typeof setTimeout>;
  /** What each editor shows now (a signature of its notes). */
  private applied = new WeakMap<vscode.TextEditor, string>();
  /** The last message of a failed run, shown in the view. */
  lastError?: string;

  constructor(private readonly session: Session) {
    this.subs.push(
      session.onDidChange((k) => {
        if (k === 'profile') {
          this.current.clear();
          this.index = undefined;
          this.emitter.fire();
        }
        if (k === 'profile' || k === 'sources' || k === 'sampleType') this.schedule();
        this.decorateAll();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && e.document.isDirty) this.decorateDoc(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.fileName.endsWith('.go') && this.current.has(norm(path.dirname(d.fileName)))) this.schedule();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('pprofLens.insight') ||
          e.affectsConfiguration('go.buildFlags') ||
          e.affectsConfiguration('go.buildTags') ||
          e.affectsConfiguration('go.alternateTools') ||
          e.affectsConfiguration('go.goroot')
        ) {
          if (mode() === 'off') this.clear();
          else this.schedule();
        }
      }),
      this.marker,
      this.emitter,
    );
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('pprofLens.insight.revealLine', (file: unknown, line: unknown) => {
        if (typeof file !== 'string' || typeof line !== 'number') return;
        const pos = new vscode.Position(Math.max(0, line - 1), 0);
        return vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(pos, pos) });
      }),
    ];
  }

  /** The profile was shown before this module was loaded: act as on its change event. */
  notifyProfile(): void {
    this.schedule();
  }

  private schedule(): void {
    if (mode() !== 'auto' || !vscode.workspace.isTrusted) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run(false);
    }, 400);
  }

  private clear(): void {
    this.current.clear();
    this.index = undefined;
    this.emitter.fire();
    this.decorateAll();
  }

  /** The hot lines of the current profile in local Go files inside a workspace folder. */
  hotLines(): { lines: HotLine[]; allocation: boolean; rank: number } {
    const s = this.session;
    const p = s.profile;
    const map = s.sourceMap;
    if (!p || !map) return { lines: [], allocation: false, rank: -1 };
    const types = p.data.sampleTypes;
    const cur = s.sampleIndex;
    const allocation = types[cur] !== undefined && isAllocationSampleType(types[cur].type);
    const rank = allocation ? allocationRankIndex(types, cur) : cur;
    const out: HotLine[] = [];
    if (rank < 0) return { lines: out, allocation, rank };
    for (const entries of map.byLocal.values()) {
      const local = entries[0]?.resolution.localPath;
      if (!local || !local.endsWith('.go') || !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(local))) continue;
      const byLine = new Map<number, number>();
      for (const e of entries)
        for (const l of p.lines(e.file)) {
          const v = allocation ? p.lineFlat(l.index, rank) : p.lineCum(l.index, rank);
          if (v > 0) byLine.set(l.line, (byLine.get(l.line) ?? 0) + v);
        }
      for (const [line, value] of byLine) out.push({ file: local, line, value });
    }
    out.sort((a, b) => b.value - a.value);
    return { lines: out, allocation, rank };
  }

  /** Runs the compiler on the packages of the hot lines that are not cached. */
  run(explicit: boolean): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.doRun(explicit).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.run(false);
      }
    });
    return this.running;
  }

  private async doRun(explicit: boolean): Promise<void> {
    if (explicit) {
      if (!requireTrust('Explaining hot lines (it runs go build -gcflags=-m=2)')) return;
    } else if (!vscode.workspace.isTrusted || mode() !== 'auto') return;
    const s = this.session;
    if (!s.profile) {
      if (explicit) void vscode.window.showInformationMessage('pprof: open a profile first.');
      return;
    }
    await s.whenSourcesReady();
    const { lines } = this.hotLines();
    const dirs: string[] = [];
    for (const l of lines.slice(0, MAX_HOT_LINES)) {
      const d = path.dirname(l.file);
      if (!dirs.includes(d)) dirs.push(d);
      if (dirs.length >= MAX_PACKAGES) break;
    }
    if (dirs.length === 0) {
      if (explicit)
        void vscode.window.showInformationMessage(
          'pprof: no hot line of this profile is in a Go file of the workspace; nothing to explain.',
        );
      return;
    }
    const go = findGo(vscode.Uri.file(dirs[0]!));
    if (!go) {
      if (explicit) void vscode.window.showErrorMessage(MISSING_GO_MESSAGE);
      this.lastError = MISSING_GO_MESSAGE;
      this.emitter.fire();
      return;
    }
    // Per module root: the packages to build (those not cached under their current hash).
    const todo = new Map<string, { dir: string; key: string }[]>();
    for (const dir of dirs) {
      const uri = vscode.Uri.file(dir);
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      const root = moduleRoot(dir, folder.uri.fsPath);
      if (!root) continue;
      const cfg = vscode.workspace.getConfiguration('go', uri);
      const flags = cfg.get<unknown>('buildFlags');
      const tags = cfg.get<unknown>('buildTags');
      const settings = JSON.stringify([go.path, flags, tags]);
      const key = packageHash(dir, root, settings);
      if (!key) continue;
      if (this.cache.has(key)) {
        this.current.set(norm(dir), key);
        continue;
      }
      const list = todo.get(root) ?? [];
      list.push({ dir, key });
      todo.set(root, list);
    }
    this.rebuildIndex();
    if (todo.size === 0) return;
    const count = [...todo.values()].reduce((n, l) => n + l.length, 0);
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `pprof: asking the Go compiler why ${count === 1 ? 'this package allocates' : `${count} packages allocate`} (go build -gcflags=-m=2)`,
        cancellable: true,
      },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          for (const [root, pkgs] of todo) {
            if (token.isCancellationRequested) return;
            progress.report({ message: path.basename(root) });
            const cfg = vscode.workspace.getConfiguration('go', vscode.Uri.file(root));
            const flags = cfg.get<unknown>('buildFlags');
            const tags = cfg.get<unknown>('buildTags');
            try {
              const r = await runGcDiagnostics({
                go: go.path,
                cwd: root,
                packages: pkgs.map((p) => {
                  const rel = path.relative(root, p.dir).split(path.sep).join('/');
                  return rel === '' ? '.' : `./${rel}`;
                }),
                ...(Array.isArray(flags)
                  ? { buildFlags: flags.filter((f): f is string => typeof f === 'string') }
                  : {}),
                ...(typeof tags === 'string' ? { buildTags: tags } : {}),
                signal: ac.signal,
              });
              for (const p of pkgs) {
                const d = norm(p.dir);
                const mine: GcDiagnostics = {
                  escapes: r.diagnostics.escapes.filter((e) => norm(path.dirname(e.file)) === d),
                  inlining: r.diagnostics.inlining.filter((i) => norm(path.dirname(i.file)) === d),
                };
                if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
                this.cache.set(p.key, mine);
                this.current.set(d, p.key);
              }
              this.lastError = undefined;
            } catch (e) {
              if (ac.signal.aborted) return;
              const msg = e instanceof GcRunError ? e.message : String(e);
              this.lastError = `${path.basename(root)}: ${msg}`;
              if (explicit) void vscode.window.showErrorMessage(`pprof: ${this.lastError}`);
            }
            this.rebuildIndex();
          }
        } finally {
          sub.dispose();
        }
      },
    );
  }

  private rebuildIndex(): void {
    const all: GcDiagnostics = { escapes: [], inlining: [] };
    for (const key of this.current.values()) {
      const d = this.cache.get(key);
      if (!d) continue;
      all.escapes.push(...d.escapes);
      all.inlining.push(...d.inlining);
    }
    this.index = new GcIndex(all, norm);
    this.emitter.fire();
    this.decorateAll();
  }

  /** True when the compiler's diagnostics of this document's package are known and match its text. */
  private usable(doc: vscode.TextDocument): boolean {
    return (
      this.index !== undefined &&
      doc.uri.scheme === 'file' &&
      doc.fileName.endsWith('.go') &&
      !doc.isDirty &&
      this.current.has(norm(path.dirname(doc.fileName)))
    );
  }

  /** The hover section of a line (the hook of hover.ts), or undefined. */
  hoverSection(doc: vscode.TextDocument, line: number): string | undefined {
    const info = this.lineInfo(doc, line);
    if (!info) return undefined;
    const md = insightMarkdown(info.escapes, info.calls, undefined, 'growth' in info ? info.growth : undefined);
    return md === '' ? undefined : md;
  }

  private lineInfo(doc: vscode.TextDocument, line: number) {
    if (!this.usable(doc) || !this.index) return undefined;
    const s = this.session;
    const p = s.profile;
    const costs = s.costsFor(doc);
    if (!p || !costs || costs.edited) return undefined;
    const l = costs.lines.find((x) => x.line === line);
    if (!l) return undefined;
    const types = p.data.sampleTypes;
    const cur = s.sampleIndex;
    const allocation = types[cur] !== undefined && isAllocationSampleType(types[cur].type);
    if (allocation) {
      const own = l.flat.some((v, i) => v > 0 && isAllocationSampleType(types[i]!.type));
      const escapes = this.index.escapesAt(doc.fileName, line);
      // `s = append(s, x)`: the bytes are growslice's (the line has cum only) and the compiler
      // notes nothing on the line: say why it allocates.
      const growth =
        !escapes.some((e) => e.kind !== 'leak') &&
        line <= doc.lineCount &&
        l.cum.some((v, i) => v > 0 && isAllocationSampleType(types[i]!.type))
          ? appendGrowthNote(blankCommentsAndStrings(doc.lineAt(line - 1).text))
          : undefined;
      if (!own && !growth) return undefined;
      return { allocation, escapes, calls: [], ...(growth ? { growth } : {}) };
    }
    if (!(l.cum[cur]! > 0) || line > doc.lineCount) return undefined;
    const code = blankCommentsAndStrings(doc.lineAt(line - 1).text);
    const share = p.total(cur) !== 0 ? (l.cum[cur]! / p.total(cur)) * 100 : 0;
    return { allocation, escapes: [], calls: this.index.callsAt(doc.fileName, line, code), share };
  }

  private decorateAll(): void {
    for (const ed of vscode.window.visibleTextEditors) this.decorateDoc(ed.document);
  }

  private decorateDoc(doc: vscode.TextDocument): void {
    const eds = vscode.window.visibleTextEditors.filter((e) => e.document === doc);
    if (eds.length === 0) return;
    const opts: vscode.DecorationOptions[] = [];
    if (this.session.overlaysVisible && this.usable(doc)) {
      const costs = this.session.costsFor(doc);
      if (costs && !costs.edited && (!costs.stale.stale || costs.forced))
        for (const l of costs.lines) {
          const info = this.lineInfo(doc, l.line);
          if (!info) continue;
          const text = info.allocation
            ? (escapeMarkerText(info.escapes) ?? ('growth' in info ? APPEND_GROWTH_MARKER : undefined))
            : (info.share ?? 0) >= CPU_MARKER_PERCENT
              ? inlineMarkerText(info.calls)
              : undefined;
          if (!text) continue;
          const end = doc.lineAt(l.line - 1).range.end;
          opts.push({ range: new vscode.Range(end, end), renderOptions: { after: { contentText: `⟵ ${text}` } } });
        }
    }
    // Setting the same decorations again would still disturb an open hover: only changes are applied.
    const sig = opts.map((o) => `${o.range.start.line}\u0000${o.renderOptions?.after?.contentText ?? ''}`).join('\n');
    for (const ed of eds) {
      if (this.applied.get(ed) === sig) continue;
      this.applied.set(ed, sig);
      ed.setDecorations(this.marker, opts);
    }
  }

  /** What the user's lines cause (the worker's lineCauses) for one profile, rank and set of files. */
  private causes?: { profile: LoadedProfile; key: string; rows?: LineCause[] };

  /**
   * Allocation hot spots of the current profile with the compiler's reason, by what each of the
   * user's lines causes: bytes allocated on the line, or by the runtime / standard library code
   * it calls (append's growslice, make, fmt), which -list shows only in its cum. Asked of the
   * worker once per profile, sample type and file mapping; the view refreshes when it answers.
   */
  hotSpots(): { spots: AllocSpot[]; unit: string; total: number; type: string } | undefined {
    const s = this.session;
    const p = s.profile;
    const map = s.sourceMap;
    if (!p || !map) return undefined;
    const types = p.data.sampleTypes;
    const cur = s.sampleIndex;
    if (!types[cur] || !isAllocationSampleType(types[cur].type)) return undefined;
    const rank = allocationRankIndex(types, cur);
    if (rank < 0) return undefined;
    // The user's code: profile files mapped to Go files inside a workspace folder.
    const local = new Map<string, string>();
    for (const entries of map.byLocal.values()) {
      const l = entries[0]?.resolution.localPath;
      if (!l || !l.endsWith('.go') || !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(l))) continue;
      for (const e of entries) local.set(p.data.files[e.file]!, l);
    }
    const files = [...local.keys()].sort();
    const key = `${rank}\u0000${files.join('\u0000')}`;
    const st = types[rank]!;
    const out = { unit: st.unit, total: p.total(rank), type: st.type };
    if (this.causes?.profile !== p || this.causes.key !== key) {
      const asked: { profile: LoadedProfile; key: string; rows?: LineCause[] } = { profile: p, key };
      this.causes = asked;
      if (files.length > 0)
        p.worker.request('lineCauses', { sampleIndex: rank, files }).then(
          (rows) => {
            if (this.causes !== asked) return;
            asked.rows = rows;
            this.emitter.fire();
          },
          () => {
            if (this.causes === asked) this.causes = undefined;
          },
        );
    }
    const rows = this.causes.rows ?? [];
    // Several profile files on one local file: their lines add up.
    const byLine = new Map<string, { file: string; line: number; bytes: number; via: number; callee?: string }>();
    for (const r of rows) {
      const file = local.get(r.file);
      if (!file) continue;
      const k = `${file}\u0000${r.line}`;
      const x = byLine.get(k);
      if (x) {
        x.bytes += r.here + r.via;
        x.via += r.via;
      } else
        byLine.set(k, {
          file,
          line: r.line,
          bytes: r.here + r.via,
          via: r.via,
          ...(r.callee ? { callee: r.callee } : {}),
        });
    }
    return {
      ...out,
      spots: allocationHotSpots(
        [...byLine.values()],
        this.index ?? new GcIndex({ escapes: [], inlining: [] }, norm),
        100,
      ),
    };
  }

  get hasDiagnostics(): boolean {
    return this.index !== undefined && this.current.size > 0;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}

type Node = { kind: 'spot'; spot: AllocSpot } | { kind: 'flow'; text: string } | { kind: 'note'; text: string };

/** The "Allocation Hot Spots" view: allocation-hot lines by bytes, each with why it is on the heap. */
export class AllocationHotSpotsView implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly insight: CompilerInsight,
    session: Session,
  ) {
    insight.onDidChange(() => this.emitter.fire(undefined));
    session.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(n?: Node): Node[] {
    if (n?.kind === 'spot')
      return n.spot.escapes.flatMap((e) =>
        e.flow.length > 0
          ? [
              { kind: 'flow' as const, text: escapeText(e) },
              ...e.flow.map((f) => ({ kind: 'flow' as const, text: `    ${f.text}` })),
            ]
          : [],
      );
    if (n) return [];
    const h = this.insight.hotSpots();
    if (!h) return [];
    const nodes: Node[] = h.spots.map((spot) => ({ kind: 'spot', spot }));
    if (!this.insight.hasDiagnostics)
      nodes.unshift({
        kind: 'note',
        text: this.insight.lastError ?? 'No compiler diagnostics yet: run "pprof: Explain Hot Lines (Go Compiler)".',
      });
    return nodes;
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if (n.kind !== 'spot') {
      const it = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
      if (n.kind === 'note') it.iconPath = new vscode.ThemeIcon('info');
      return it;
    }
    const h = this.insight.hotSpots();
    const s = n.spot;
    const reason = s.escapes.map(escapeText).join('; ');
    const unit = h?.unit ?? 'bytes';
    const cause = allocSpotCause(s, (v) => shortLabel(v, unit));
    const it = new vscode.TreeItem(
      `${path.basename(s.file)}:${s.line}  ${reason || ((s.via ?? 0) > 0 ? cause : 'no escape reported on this line')}`,
      s.escapes.some((e) => e.flow.length > 0)
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    if (h) it.description = `${shortLabel(s.bytes, h.unit)} (${uiPercent(s.bytes, h.total)}) ${h.type}, ${cause}`;
    const tip = new vscode.MarkdownString(
      `${escapeMarkdown(cause)}\n\n${insightMarkdown(s.escapes, []) || 'The compiler reports no escape here.'}`,
    );
    tip.isTrusted = false;
    tip.supportHtml = false;
    tip.supportThemeIcons = false;
    it.tooltip = tip;
    it.iconPath = new vscode.ThemeIcon(s.escapes.length > 0 ? 'arrow-up' : 'circle-outline');
    it.command = { command: 'pprofLens.insight.revealLine', title: 'Go to Line', arguments: [s.file, s.line] };
    return it;
  }
}
