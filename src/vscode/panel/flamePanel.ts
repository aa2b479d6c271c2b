/**
 * The flame graph panel on the host side: one webview panel per window, fed from the session's
 * profile through the worker (op "flame"), in sync with the editor both ways: a sample type
 * chosen in the panel switches the overlays, and a switch from the status bar, a new comparison
 * or new filters redraw the panel. Messages from the webview are validated (parseFromWebview).
 *
 * The tree comes from the worker in typed columns (cached there per sample type and view) and
 * goes to the webview as binary, never as JSON of objects. The panel survives a reload: VS Code
 * hands it back to the registered WebviewPanelSerializer with the webview's own state (zoom,
 * selection, search, sort, scroll); until a profile is loaded again it shows a placeholder.
 */
import * as vscode from 'vscode';
import { PageRequests } from './pageRequests';
import { FIRST_PAINT, packFlame } from '../../shared/flame';
import { addTransform } from '../../core/transforms';
import { parseFromWebview, type PanelMarks, type ToWebview, type TransformOp } from '../../shared/protocol';
import type { ViewModel } from '../../shared/protocol';
import { makeNonce, renderPanelHtml } from './panelHtml';
import { cursorInfo } from './cursorSync';
import type { Session } from '../profile/session';
import { localKey } from '../profile/sourceMap';
import type { FilterOptions, Ops } from '../../worker/protocol';
import type * as PanelFiles from './panelFiles';

/** dist/panelFiles.js (esbuild.mjs): required, not imported, on the panel's first need. */
const panelFiles = () => require('./panelFiles') as typeof PanelFiles;

const LEGEND_KEYS: Record<string, keyof FilterOptions> = {
  focus: 'focus',
  ignore: 'ignore',
  hide: 'hide',
  show: 'show',
  show_from: 'showFrom',
  tagfocus: 'tagFocus',
  tagignore: 'tagIgnore',
  tagshow: 'tagShow',
  taghide: 'tagHide',
};

export const FLAME_VIEW_TYPE = 'pprofLens.flameGraph';

type FlameResult = Promise<Ops['flame']['result']>;

/** The module paths of the workspace's go.mod files. */
export async function workspaceModules(): Promise<string[]> {
  const files = await vscode.workspace.findFiles('**/go.mod', '**/{node_modules,vendor,.git}/**', 50);
  const out = new Set<string>();
  for (const f of files) {
    try {
      const text = Buffer.from(await vscode.workspace.fs.readFile(f)).toString('utf8');
      const m = /^module\s+("?)([^\s"]+)\1/m.exec(text);
      if (m) out.add(m[2]!);
    } catch {
      // an unreadable go.mod only means less colouring
    }
  }
  return [...out];
}

export class FlamePanel implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private panel?: vscode.WebviewPanel;
  private ready = false;
  /** The last focus/sandwich request, posted again after each 'ready' until the page took it. */
  private requests = new PageRequests();
  /** The 'init' push to the current page: requests go after it (the page needs its view first). */
  private pageInit: Promise<void> = Promise.resolve();
  /** The webview shows the bottom-up tree (its choice, kept in its state). */
  private inverted = false;
  /** Functions whose direct recursion the tree collapses (the panel's transform). */
  private collapsed: readonly string[] = [];
  private readonly collapseIds = new Map<string, number>();
  /** What each of the panel's transforms replaced, latest last (Undo). */
  private undo: ({ readonly filters: FilterOptions } | { readonly collapsed: readonly string[] })[] = [];
  private seq = 0;
  private modulesCache?: Promise<string[]>;
  /** Flame results per loaded view (profile, comparison, filters) and sample type: a switch back is instant. */
  private readonly flameCache = new WeakMap<object, Map<string, FlameResult>>();
  /** The requests of flameCache whose result is here. */
  private readonly arrived = new WeakSet<FlameResult>();
  private readonly viewIds = new WeakMap<object, number>();
  private nextViewId = 1;
  /** Trees drawn ahead of a filtered view (previewFilters), each under its own key. */
  private previews = 0;
  /** Keys of the views the webview holds (it keeps the last WEBVIEW_VIEWS; we name at most the last 4). */
  private sentKeys: string[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The label keys the tree is pivoted on (-tagroot), chosen in the panel's Labels tab. */
  private pivot: readonly string[] = [];
  /** What each view key the webview holds was built from (for its searches). */
  private readonly keyViews = new Map<
    string,
    {
      p: NonNullable<Session['profile']>;
      si: number;
      pivot: readonly string[];
      reverse: boolean;
      collapse: readonly string[];
    }
  >();
  private cursorTimer?: ReturnType<typeof setTimeout>;
  /** When the steps to the panel's first view happened (sent with it, for the benchmark). */
  private marks: { -readonly [K in keyof PanelMarks]?: number } = {};

  constructor(
    private readonly session: Session,
    private readonly extensionUri: vscode.Uri,
    /** The Go module paths of the workspace, for "your code" colouring (read once, again when a go.mod changes). */
    private readonly modules: () => Promise<string[]>,
  ) {
    const forget = () => (this.modulesCache = undefined);
    const watcher = vscode.workspace.createFileSystemWatcher('**/go.mod');
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(forget),
      watcher.onDidChange(forget),
      watcher.onDidDelete(forget),
      vscode.workspace.onDidChangeWorkspaceFolders(forget),
      session.onDidChange((kind) => {
        if (!this.panel) return;
        if (kind === 'profile' || kind === 'sampleType') void this.push('update');
        else if (kind === 'sources') void this.sendSourcePaths();
      }),
      // Editor → graph: the cursor of a Go editor highlights its line's and function's frames.
      vscode.window.onDidChangeTextEditorSelection((e) => this.cursorMoved(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.cursorMoved(e)),
    );
  }

  /** Registers the panel's serializer, so VS Code restores it after a reload (activation event onWebviewPanel:pprofLens.flameGraph). */
  register(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(FLAME_VIEW_TYPE, this);
  }

  /** Called by VS Code after a reload with the panel it kept; its webview state comes back by itself. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    if (this.panel && this.panel !== panel) {
      panel.dispose();
      return;
    }
    this.adopt(panel);
  }

  /** The worker's flame result for a view, sample type and direction, requested once (also ahead of the webview's 'ready'). */
  private flameFor(
    p: NonNullable<Session['profile']>,
    si: number,
    reverse = this.inverted,
    /** The first tree to paint, ahead of the whole one (shared/flame FIRST_PAINT). */
    firstPaint = false,
  ): FlameResult {
    let perView = this.flameCache.get(p);
    if (!perView) this.flameCache.set(p, (perView = new Map()));
    const pivot = this.pivot;
    const key = `${this.flameKey(si, reverse)}/${firstPaint ? 'first' : ''}`;
    let pending = perView.get(key);
    if (!pending) {
      pending = p.worker.request('flame', {
        sampleIndex: si,
        ...(reverse ? { reverse } : {}),
        ...(pivot.length ? { tagRoot: pivot } : {}),
        ...(this.collapsed.length ? { collapse: this.collapsed } : {}),
        ...(firstPaint ? { firstPaint } : {}),
      });
      if (perView.size >= 6) perView.delete(perView.keys().next().value!);
      perView.set(key, pending);
      const mine = pending;
      mine.then(
        () => this.arrived.add(mine),
        () => perView.delete(key),
      );
    }
    return pending;
  }

  /** Posts where the editor's cursor is (debounced), when the panel shows a profile. */
  private cursorMoved(editor: vscode.TextEditor): void {
    if (!this.panel || !this.ready || editor.document.languageId !== 'go') return;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => {
      const p = this.session.profile;
      const map = this.session.sourceMap;
      if (!p || !map || !this.panel) return;
      const line = editor.selection.active.line + 1;
      const cursor = cursorInfo(p, map, localKey(editor.document.uri), line);
      void this.panel.webview.postMessage({ type: 'cursor', cursor } satisfies ToWebview);
    }, 30);
  }

  private workspaceModules(): Promise<string[]> {
    return (this.modulesCache ??= this.modules().catch(() => []));
  }

  /** Opens (or reveals) the panel on the sandwich (callers and callees) of a function. */
  async showSandwich(func: string): Promise<void> {
    this.requests.ask({ type: 'showSandwich', name: func });
    await this.show();
  }

  /** Opens (or reveals) the panel; with focus, zooms to that function. */
  async show(focus?: string): Promise<void> {
    if (!this.session.profile) {
      void vscode.window.showInformationMessage('Open a profile first (pprof: Open Profile).');
      return;
    }
    if (focus !== undefined) this.requests.ask({ type: 'focusFunction', name: focus });
    if (!this.panel) this.marks = { show: Date.now() };
    // Ask the worker now, while the webview loads: the first tree to paint, then the whole one.
    for (const first of [true, false])
      void this.flameFor(this.session.profile, this.session.sampleIndex, this.inverted, first).catch(() => undefined);
    void this.workspaceModules();
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, false);
      if (this.ready) {
        await this.pageInit;
        await this.sendFocus();
      }
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      FLAME_VIEW_TYPE,
      'pprof: Flame Graph',
      vscode.ViewColumn.Beside,
      this.options(),
    );
    this.adopt(panel);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
      retainContextWhenHidden: false,
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    const o = this.options();
    panel.webview.options = { enableScripts: o.enableScripts, localResourceRoots: o.localResourceRoots };
    const nonce = makeNonce();
    panel.webview.html = renderPanelHtml({
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css')).toString(),
      cspSource: panel.webview.cspSource,
      nonce,
    });
    this.marks.html = Date.now();
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      this.ready = false;
      this.requests = new PageRequests(); // closed: what it was asked is moot
    });
    panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw));
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseFromWebview(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready':
        // Also after the panel was hidden and shown again: the webview restarts and asks anew.
        this.ready = true;
        this.marks.ready = Date.now();
        this.sentKeys = []; // a new page holds no views
        this.inverted = m.inverted === true;
        // After a reload (or the panel shown again), its collapsed functions come back with it.
        if (m.collapsed) this.collapsed = m.collapsed;
        this.pageInit = this.push('init');
        await this.pageInit;
        await this.sendFocus();
        await this.sendSourcePaths();
        return;
      case 'shown':
        this.requests.taken({ type: m.request, name: m.name });
        return;
      case 'setInverted':
        if (this.inverted === m.inverted) return;
        this.inverted = m.inverted;
        await this.push('update');
        return;
      case 'requestSandwich':
        await this.sendSandwich(m.name, m.sampleIndex);
        return;
      case 'transform':
        await this.transform(m.op, m.name);
        return;
      case 'undoTransform':
        await this.undoTransform();
        return;
      case 'uncollapse':
        if (!this.collapsed.includes(m.name)) return;
        this.undo.push({ collapsed: this.collapsed });
        this.collapsed = this.collapsed.filter((n) => n !== m.name);
        await this.push('update');
        return;
      case 'copyCommand':
        await this.copyCommand();
        return;
      case 'setSampleType':
        this.session.setSampleIndex(m.index);
        return;
      case 'openSource':
        await panelFiles().openSource(this.session, m.file, m.line);
        return;
      case 'clearCompare':
        await vscode.commands.executeCommand('pprofLens.clearCompare');
        return;
      case 'requestLabels':
        await this.sendLabels();
        return;
      case 'setTagFocus':
        // The same filter state as "Set Filters…" (and the status bar's filter items).
        await vscode.commands.executeCommand('pprofLens.setFilters', { ...this.session.filters, tagFocus: m.value });
        return;
      case 'setPivot':
        this.pivot = m.keys;
        await this.push('update');
        return;
      case 'search':
        await this.search(m.id, m.query, m.names);
        return;
      case 'clearFilter': {
        const key = m.filter === null ? undefined : LEGEND_KEYS[m.filter];
        await vscode.commands.executeCommand('pprofLens.clearFilters', key);
        return;
      }
      default: {
        const never: never = m;
        return never;
      }
    }
  }

  /**
   * A transform from the panel: focus on / ignore / hide / show from a function are pprof's filters
   * set through pprofLens.setFilters (one filter state with "Set Filters…" and the status bar);
   * collapse recursion is the panel's own. Each can be undone.
   */
  private async transform(op: TransformOp, name: string): Promise<void> {
    if (op === 'collapseRecursion') {
      if (this.collapsed.includes(name)) return;
      this.undo.push({ collapsed: this.collapsed });
      this.collapsed = [...this.collapsed, name];
      await this.push('update');
      return;
    }
    const prev = this.session.filters;
    const next = addTransform(prev, op, name);
    if (next === prev) return;
    this.undo.push({ filters: prev });
    this.previewFilters(next);
    const ok = await vscode.commands.executeCommand<boolean>('pprofLens.setFilters', next);
    if (!ok) {
      this.undo.pop();
      if (this.session.profile) void this.push('update'); // the tree of the filters still in force
    }
  }

  /**
   * Draws the tree of filters about to be applied at once, from the loaded view's merged trie
   * (the worker's filteredFlame: -focus/-ignore on function names of an unfiltered view), while
   * pprofLens.setFilters derives the filtered view for the editor's overlays and status bar
   * (seconds on a large profile); that view's own tree replaces this one when it comes. Nothing is
   * drawn when the trie cannot answer (the panel then waits for the view, as before).
   */
  private previewFilters(filters: FilterOptions): void {
    const panel = this.panel;
    const p = this.session.profile;
    if (!panel || !p || !this.ready || this.inverted || this.pivot.length || this.collapsed.length) return;
    const si = this.session.sampleIndex;
    const seq = ++this.seq;
    const key = `preview${++this.previews}/down/${si}`;
    // The first tree (shared/flame FIRST_PAINT) and then the whole one, as push does.
    for (const firstPaint of [true, false]) {
      const r = p.worker.request('filteredFlame', { sampleIndex: si, filters, ...(firstPaint ? { firstPaint } : {}) });
      void Promise.all([r, this.workspaceModules()]).then(
        async ([x, modules]) => {
          if (!x || seq !== this.seq || this.panel !== panel || this.session.profile !== p) return;
          await this.post(panel, p, key, si, x, modules, 'update', false, x.active);
        },
        () => undefined,
      );
    }
  }

  private async undoTransform(): Promise<void> {
    const last = this.undo.pop();
    if (!last) return;
    if ('collapsed' in last) {
      this.collapsed = last.collapsed;
      await this.push('update');
      return;
    }
    this.previewFilters(last.filters);
    const ok = await vscode.commands.executeCommand<boolean>('pprofLens.setFilters', last.filters);
    if (!ok) {
      this.undo.push(last);
      if (this.session.profile) void this.push('update');
    }
  }

  /** The go tool pprof command line of the view on screen, to the clipboard (panelFiles). */
  private async copyCommand(): Promise<void> {
    await panelFiles().copyPprofCommand(this.session, {
      pivot: this.pivot,
      inverted: this.inverted,
      collapsed: this.collapsed,
    });
  }

  /** The flame cache's key of a sample type in the panel's current pivot, direction and collapse. */
  private flameKey(si: number, reverse = this.inverted): string {
    return [si, reverse ? 'up' : 'down', ...this.pivot, '', ...this.collapsed].join('\u0000');
  }

  private async sendFocus(): Promise<void> {
    // Kept until the page says 'shown': a page re-created meanwhile gets it after its 'ready'.
    const r = this.requests.pending;
    if (r && this.panel) await this.panel.webview.postMessage({ type: r.type, name: r.name } satisfies ToWebview);
  }

  /** Where the profile's files are on this machine, for the page's tooltips (once they are mapped). */
  private async sendSourcePaths(): Promise<void> {
    const m = this.panel && this.ready ? panelFiles().sourcePathsMessage(this.session) : undefined;
    if (m) await this.panel!.webview.postMessage(m);
  }

  /** Asks the worker for a function's sandwich and sends it (or why it failed) to the webview. */
  private async sendSandwich(func: string, sampleIndex?: number): Promise<void> {
    const panel = this.panel;
    const p = this.session.profile;
    if (!panel || !p) return;
    // The sample type of the page's view: a view the page held is shown (and its sandwich asked
    // for) before the host has switched to its type; answered for another type, the page waited
    // for an answer that never came.
    const si =
      sampleIndex !== undefined && sampleIndex < p.data.sampleTypes.length ? sampleIndex : this.session.sampleIndex;
    const key = this.keyOf(p, si);
    try {
      const s = await p.worker.request('sandwich', { sampleIndex: si, func });
      // (labelled with its view's key: the page draws it only while that view is on screen)
      if (this.panel !== panel || this.session.profile !== p) return;
      const msg: ToWebview = {
        type: 'sandwich',
        sandwich: {
          key,
          func: s.func,
          flat: s.flat,
          cum: s.cum,
          ...(s.recursive ? { recursive: true } : {}),
          callers: packFlame(s.callers),
          callees: packFlame(s.callees),
        },
      };
      await panel.webview.postMessage(msg);
    } catch (e) {
      if (this.panel !== panel) return;
      const message = `Could not find the callers and callees of ${func}: ${(e as Error).message}`;
      await panel.webview.postMessage({ type: 'sandwichFailed', name: func, message } satisfies ToWebview);
    }
  }

  private async push(type: 'init' | 'update'): Promise<void> {
    const panel = this.panel;
    const p = this.session.profile;
    if (!panel || !this.ready) return;
    const seq = ++this.seq;
    if (!p) {
      // After a reload the panel may come back before the profile (or without it).
      const msg: ToWebview = {
        type: 'empty',
        message: 'No profile is loaded. Open one with "pprof: Open Profile" and the flame graph shows it here.',
      };
      panel.title = 'pprof: Flame Graph';
      await panel.webview.postMessage(msg);
      return;
    }
    const si = this.session.sampleIndex;
    await panel.webview.postMessage({ type: 'undoState', canUndo: this.undo.length > 0 } satisfies ToWebview);
    try {
      const key = this.keyOf(p, si);
      if (this.sentKeys.includes(key)) {
        this.sentKeys = [...this.sentKeys.filter((k) => k !== key), key];
        await panel.webview.postMessage({ type: 'show', key, sentAt: Date.now() } satisfies ToWebview);
        return;
      }
      // First paint from the heaviest frames (FIRST_PAINT: a small message, a quick layout), then
      // the whole tree under the same key: the webview keeps zoom, selection and search by name path.
      // The whole tree goes second even when the worker built it ahead: its message is ~30 times larger.
      const first = this.flameFor(p, si, this.inverted, true);
      if (!this.arrived.has(first))
        await panel.webview.postMessage({ type: 'loading', sampleIndex: si } satisfies ToWebview);
      const full = this.flameFor(p, si);
      const [r0, modules] = await Promise.all([first, this.workspaceModules()]);
      if (seq !== this.seq || this.panel !== panel) return; // a newer push superseded this one
      this.marks.flame ??= Date.now();
      // The small tree and table were the whole ones.
      const whole = r0.flame.nodeName.length < FIRST_PAINT.maxNodes && r0.top.name.length < FIRST_PAINT.topLimit;
      await this.post(panel, p, key, si, r0, modules, type, whole);
      if (whole) return;
      const r = await full;
      if (seq !== this.seq || this.panel !== panel || r === r0) return;
      await this.post(panel, p, key, si, r, modules, 'update');
    } catch (e) {
      if (seq !== this.seq || this.panel !== panel) return;
      const message = `Could not build the flame graph: ${(e as Error).message}`;
      await panel.webview.postMessage({ type: 'empty', message } satisfies ToWebview);
      void vscode.window.showErrorMessage(`pprof: ${message}`);
    }
  }

  private async post(
    panel: vscode.WebviewPanel,
    p: NonNullable<Session['profile']>,
    key: string,
    si: number,
    r: Awaited<FlameResult>,
    modules: string[],
    type: 'init' | 'update',
    /** False for the first-paint tree: the webview does not keep it as this key's view. */
    complete = true,
    /** The filters' legend when not the session's view's (a preview of filters being applied). */
    active?: readonly string[],
  ): Promise<void> {
    {
      const viewInfo = this.session.view;
      const view: ViewModel = {
        key,
        title: p.name,
        sampleTypes: p.data.sampleTypes,
        sampleIndex: si,
        ...(viewInfo?.compare ? { compare: `Δ vs ${viewInfo.compare.name} (-${viewInfo.compare.mode})` } : {}),
        filters: active ?? viewInfo?.active ?? [],
        modules,
        flame: packFlame(r.flame),
        top: r.top,
        ...(this.inverted ? { inverted: true } : {}),
        ...(this.collapsed.length ? { collapsed: this.collapsed } : {}),
        ...(this.pivot.length ? { pivot: this.pivot } : {}),
        ...(complete ? {} : { partial: true as const }),
      };
      panel.title = `Flame Graph: ${p.name}`;
      const msg: ToWebview = { type, view, sentAt: Date.now(), ...(type === 'init' ? { marks: this.marks } : {}) };
      if (complete) this.sentKeys = [...this.sentKeys.filter((k) => k !== key), key].slice(-4);
      await panel.webview.postMessage(msg);
    }
  }

  private async sendLabels(): Promise<void> {
    const p = this.session.profile;
    const panel = this.panel;
    if (!p || !panel) return;
    const key = this.keyOf(p, this.session.sampleIndex);
    try {
      const report = await p.worker.request('labels', { sampleIndex: this.session.sampleIndex });
      await panel.webview.postMessage({ type: 'labels', key, report } satisfies ToWebview);
    } catch (e) {
      void vscode.window.showErrorMessage(`pprof: could not read the labels: ${(e as Error).message}`);
    }
  }

  /** The panel's search, in the worker with Go's regexp semantics (core/nameSearch), on the view shown. */
  private async search(id: number, query: string, names?: readonly string[]): Promise<void> {
    const panel = this.panel;
    const p = this.session.profile;
    if (!panel || !p) return;
    const key = this.keyOf(p, this.session.sampleIndex);
    const pivot = this.keyViews.get(key)?.pivot ?? this.pivot;
    const reverse = this.keyViews.get(key)?.reverse ?? this.inverted;
    const collapse = this.keyViews.get(key)?.collapse ?? this.collapsed;
    try {
      const r = await p.worker.request('search', {
        query,
        ...(pivot.length ? { tagRoot: pivot } : {}),
        ...(reverse ? { reverse } : {}),
        ...(collapse.length ? { collapse } : {}),
        ...(names ? { names } : {}),
        sampleIndex: this.keyViews.get(key)?.si ?? this.session.sampleIndex,
      });
      const msg: ToWebview = {
        type: 'searchResult',
        id,
        key,
        nameHit: r.nameHit,
        ...(r.literal !== undefined ? { literal: r.literal } : {}),
        complete: r.tested === r.nameHit.length,
        ms: r.ms,
        ...(r.matched !== undefined ? { matched: r.matched } : {}),
      };
      await panel.webview.postMessage(msg);
    } catch (e) {
      await panel.webview.postMessage({ type: 'searchError', id, message: (e as Error).message } satisfies ToWebview);
    }
  }

  /** The key naming a view in the webview: the loaded view, the sample type and the pivot. */
  private keyOf(p: NonNullable<Session['profile']>, si: number): string {
    let id = this.viewIds.get(p);
    if (id === undefined) this.viewIds.set(p, (id = this.nextViewId++));
    // Pivot and direction before the sample type: the webview finds a held view of another sample type by the prefix.
    const c = this.collapsed.join('\u0000');
    let cid = this.collapseIds.get(c);
    if (cid === undefined) this.collapseIds.set(c, (cid = this.collapseIds.size));
    const key = `${id}${this.pivot.length ? `:${this.pivot.join(',')}` : ''}${cid ? `~${cid}` : ''}/${this.inverted ? 'up' : 'down'}/${si}`;
    this.keyViews.set(key, { p, si, pivot: this.pivot, reverse: this.inverted, collapse: this.collapsed });
    if (this.keyViews.size > 16) this.keyViews.delete(this.keyViews.keys().next().value!);
    return key;
  }

  dispose(): void {
    clearTimeout(this.cursorTimer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
