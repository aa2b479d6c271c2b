/**
 * The loaded profile, the current sample type and whether overlays show; what every view reads
 * and listens to. One per window.
 */
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { checkStale, type Staleness } from '../../core/heat';
import { keepTrackerFor, LineTracker } from '../../core/lineTracker';
import { functionEdited } from '../../core/lineView';
import type { Resolution } from '../../core/paths';
import { readConfig, type LensConfig } from '../config';
import { profileLines, type DocLine } from './docLines';
import type { FunctionView, LoadedProfile } from './loadedProfile';
import { buildSourceMap, localKey, workspaceFolders, type SourceMap } from './sourceMap';
import { reindexSourceMap } from './viewSources';
import type { FilterOptions, ViewInfo } from '../../worker/protocol';

export type ChangeKind = 'profile' | 'sampleType' | 'overlays' | 'sources' | 'config';

export type { DocLine } from './docLines';

/** What a profile says about one local file. */
export interface DocCosts {
  profile: LoadedProfile;
  /** The profile's file names mapped to this file, with how. */
  resolutions: Resolution[];
  lines: DocLine[];
  functions: FunctionView[];
  stale: Staleness;
  /** True when the user asked to show overlays on this stale file anyway. */
  forced: boolean;
  /** The document was edited since the overlays were attached: lines follow the edits. */
  edited: boolean;
  /** Sampled lines whose text was edited (their values are no longer shown). */
  droppedLines: number;
  /** The functions (FunctionView.index) whose own lines were edited since the profile. */
  editedFunctions: ReadonlySet<number>;
}

/** Was the file last written before the profile was taken (its time_nanos)? */
function unchangedSince(uri: vscode.Uri, timeNanos: number): boolean {
  if (!(timeNanos > 0)) return false;
  try {
    return statSync(uri.fsPath).mtimeMs < timeNanos / 1e6;
  } catch {
    return false;
  }
}

/** The profile's lines of one document, followed through its edits (see core/lineTracker). */
interface Tracked {
  tracker: LineTracker;
  version: number;
  stale?: Staleness;
  /** When the first edit it followed was made (Date.now()). */
  firstEdit?: number;
}

export class Session implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ChangeKind>();
  readonly onDidChange = this.emitter.event;
  private current?: LoadedProfile;
  private index = 0;
  private visible = true;
  private sources?: SourceMap;
  /** The source map of each view shown since the files were last mapped (see replaceView). */
  private mapsOf = new WeakMap<LoadedProfile, SourceMap>();
  private sourcesReady: Promise<void> = Promise.resolve();
  private readonly tracked = new Map<string, Tracked>();
  private readonly docSub: vscode.Disposable;
  private readonly forcedStale = new Set<string>();
  /** Per profile and document, what costsFor last answered and what it was computed from. */
  private readonly lastCosts = new WeakMap<
    LoadedProfile,
    Map<string, { costs: DocCosts; entries: readonly unknown[]; tracked: Tracked; version: number }>
  >();
  config: LensConfig = readConfig();
  /** The pprof filters to apply to every profile loaded (focus, ignore, …); set by filters.ts. */
  filters: FilterOptions = {};
  /** Set when a flame graph panel is wired (extension.ts). */
  flameGraph?: (focus?: string) => void;
  /** A hover section for a hot line from another feature (the compiler's escape/inlining notes), set in extension.ts. */
  lineInsight?: (doc: vscode.TextDocument, line: number) => string | undefined;
  /** Where captures go (extension.ts), for the profile pickers. */
  captureDirectory?: () => vscode.Uri | undefined;
  /** Resolves when the session of the last window (restore.ts) is back, or there was none. */
  restored: Promise<void> = Promise.resolve();
  /** The base the shown profile is compared with (set where a base is applied), for session restore. */
  base?: { uri: string; mode: 'base' | 'diff_base'; normalize: boolean };

  constructor() {
    // Registered before the views' listeners, so that they read lines that already follow the edit.
    this.docSub = vscode.workspace.onDidChangeTextDocument((e) => {
      const t = this.tracked.get(localKey(e.document.uri));
      if (!t || e.contentChanges.length === 0) return;
      t.tracker.apply(
        e.contentChanges.map((c) => ({
          startLine: c.range.start.line,
          startCharacter: c.range.start.character,
          endLine: c.range.end.line,
          endCharacter: c.range.end.character,
          text: c.text,
        })),
      );
      t.version = e.document.version;
      if (t.firstEdit === undefined && t.tracker.edited) t.firstEdit = Date.now();
    });
  }

  /** The benchmark's probe (perfProbe.ts, env PPROF_LENS_PERF_LOG): how long each change's listeners ran. */
  onFired?: (kind: ChangeKind, ms: number) => void;

  private fire(kind: ChangeKind): void {
    const t0 = performance.now();
    this.emitter.fire(kind);
    this.onFired?.(kind, performance.now() - t0);
  }

  get profile(): LoadedProfile | undefined {
    return this.current;
  }
  get sampleIndex(): number {
    return this.index;
  }
  get overlaysVisible(): boolean {
    return this.visible && this.current !== undefined;
  }
  get sourceMap(): SourceMap | undefined {
    return this.sources;
  }
  /** Resolves when the current profile's files are mapped to local files. */
  whenSourcesReady(): Promise<void> {
    return this.sourcesReady;
  }

  setProfile(p: LoadedProfile): Promise<void> {
    const old = this.current;
    this.current = p;
    if (!p.data.view?.compare) this.base = undefined;
    this.index = p.data.defaultIndex;
    this.visible = true;
    this.sources = undefined;
    this.carryTrackers(p);
    this.forcedStale.clear();
    if (old && old !== p) old.dispose();
    this.fire('profile');
    return (this.sourcesReady = this.remap());
  }

  /** How the shown profile is derived: the base it is compared with, the active filters. */
  get view(): ViewInfo | undefined {
    return this.current?.data.view;
  }

  /**
   * Shows a new view (another comparison or filters) of the current profile; sample type and
   * visibility stay. The previous LoadedProfile is disposed unless it shares the new one's worker.
   */
  replaceView(p: LoadedProfile): Promise<void> {
    const old = this.current;
    if (!old) return this.setProfile(p);
    const t = this.index;
    this.current = p;
    if (old.worker !== p.worker) old.dispose();
    if (!p.data.view?.compare) this.base = undefined;
    this.index = t < p.T ? t : p.data.defaultIndex;
    // A view of the same loaded profile names the same files (but a base's): their map is carried
    // over; a view shown before (undo) has its own still.
    const carried =
      this.mapsOf.get(p) ??
      (this.sources && old.source === p.source
        ? reindexSourceMap(
            this.sources,
            old.data.files,
            p.data.files,
            workspaceFolders().map((f) => f.path),
          )
        : undefined);
    this.sources = carried;
    if (carried) this.mapsOf.set(p, carried);
    this.carryTrackers(p);
    this.fire('profile');
    if (!carried) return (this.sourcesReady = this.remap());
    this.fire('sources');
    return (this.sourcesReady = Promise.resolve());
  }

  /**
   * Keeps the documents' trackers whose edits were made after profile p was taken (core/lineTracker
   * keepTrackerFor): a comparison, a filter, a remap or a second snapshot of the same build then
   * shows its values on the lines they moved to. The others start afresh, judged for staleness again.
   */
  private carryTrackers(p: LoadedProfile): void {
    const taken = p.data.summary.timeNanos / 1e6;
    for (const [k, t] of this.tracked) {
      if (keepTrackerFor(taken, t.firstEdit)) t.stale = undefined;
      else this.tracked.delete(k);
    }
  }

  /** Maps the profile's files to local files again (after a settings or workspace change). */
  async remap(): Promise<void> {
    const p = this.current;
    if (!p) return;
    // Settings or folders may have changed: the maps kept for other views are out of date.
    this.mapsOf = new WeakMap();
    const map = await buildSourceMap(p, this.config);
    if (this.current !== p) return;
    this.sources = map;
    this.mapsOf.set(p, map);
    this.carryTrackers(p);
    this.fire('sources');
  }

  clear(): void {
    const old = this.current;
    this.current = undefined;
    this.base = undefined;
    this.sources = undefined;
    this.tracked.clear();
    old?.dispose();
    this.fire('profile');
  }

  setSampleIndex(i: number): void {
    if (!this.current || i < 0 || i >= this.current.T || i === this.index) return;
    this.index = i;
    this.fire('sampleType');
  }

  setOverlaysVisible(v: boolean): void {
    if (this.visible === v) return;
    this.visible = v;
    this.fire('overlays');
  }

  reloadConfig(): void {
    const old = this.config;
    this.config = readConfig();
    if (
      JSON.stringify(old.pathMappings) !== JSON.stringify(this.config.pathMappings) ||
      old.goroot !== this.config.goroot ||
      old.gomodcache !== this.config.gomodcache
    ) {
      void this.remap();
    }
    this.fire('config');
  }

  forceShowStale(uri: vscode.Uri): void {
    this.forcedStale.add(localKey(uri));
    this.fire('overlays');
  }

  /** The profile's costs for a document, or undefined when it has none. */
  costsFor(doc: vscode.TextDocument): DocCosts | undefined {
    const p = this.current;
    if (!p || !this.sources || doc.uri.scheme !== 'file') return undefined;
    const key = localKey(doc.uri);
    const entries = this.sources.byLocal.get(key);
    if (!entries || entries.length === 0) return undefined;
    const forced = this.forcedStale.has(key);
    let byDoc = this.lastCosts.get(p);
    if (!byDoc) this.lastCosts.set(p, (byDoc = new Map()));
    const last = byDoc.get(key);
    const t = this.track(key, doc);
    // Nothing it depends on changed since the last call (the usual redraw, hover or status-bar update).
    if (
      last &&
      last.entries === entries &&
      last.tracked === t &&
      last.version === t.version &&
      t.stale !== undefined &&
      last.costs.stale === t.stale &&
      last.costs.forced === forced
    )
      return last.costs;
    const { lines: all, functions } = profileLines(
      p,
      entries.map((e) => e.file),
    );
    if (!t.stale && !doc.isDirty && unchangedSince(doc.uri, p.data.summary.timeNanos)) {
      // Saved before the profile was taken: it cannot contradict it.
      t.stale = { stale: false };
    }
    if (!t.stale) {
      // Whether the profile matches the file is judged once, on the text the overlays were attached to.
      const text = t.tracker.text().split('\n');
      t.stale = checkStale(
        text,
        all.map((l) => l.line),
        functions,
        doc.languageId === 'go' || doc.fileName.endsWith('.go'),
      );
    }
    const tr = t.tracker;
    const lines: DocLine[] = [];
    for (const l of all) {
      const at = tr.map(l.line);
      if (at !== undefined) lines.push(at === l.line ? l : { ...l, line: at, profileLine: l.line });
    }
    const editedFunctions = new Set<number>();
    const fns = tr.edited
      ? functions.flatMap((f) => {
          if (functionEdited(tr, f)) editedFunctions.add(f.index);
          const first = tr.map(f.firstLine) ?? lines.find((l) => l.line >= f.firstLine)?.line;
          const start = tr.map(f.startLine) ?? first;
          if (start === undefined || first === undefined) return [];
          return [
            {
              ...f,
              startLine: start,
              firstLine: first,
              lastLine: tr.map(f.lastLine) ?? Math.max(first, f.lastLine + (first - f.firstLine)),
            },
          ];
        })
      : functions;
    const costs: DocCosts = {
      profile: p,
      resolutions: entries.map((e) => e.resolution),
      lines,
      functions: fns,
      stale: t.stale,
      forced,
      edited: tr.edited,
      droppedLines: all.length - lines.length,
      editedFunctions,
    };
    byDoc.set(key, { costs, entries, tracked: t, version: t.version });
    return costs;
  }

  /** The tracker of a document: made on first sight, and again when the text is not what it followed (reverted, reloaded). */
  private track(key: string, doc: vscode.TextDocument): Tracked {
    let t = this.tracked.get(key);
    if (t && t.version !== doc.version && t.tracker.text() !== doc.getText().replace(/\r\n?/g, '\n')) t = undefined;
    if (!t) {
      t = { tracker: new LineTracker(doc.getText()), version: doc.version };
      this.tracked.set(key, t);
    }
    t.version = doc.version;
    return t;
  }

  dispose(): void {
    this.docSub.dispose();
    this.current?.dispose();
    this.emitter.dispose();
  }
}
