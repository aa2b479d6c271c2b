/**
 * What the decode worker does, as plain functions over one decoded profile (no worker_threads, no
 * vscode), so that unit tests call them directly: decode + annotate + pack for transfer, top,
 * callers/callees of a function (pprof -peek), and the callers of one source line.
 */
import { annotateColumns, type AnnotationColumns } from '../core/annotate';
import {
  collapseTrie,
  filterTrie,
  flameOf,
  flameTop,
  flameTrie,
  PANEL_MAX_NODES,
  type FlameTrie,
  type TrieFilterSets,
} from '../core/flame';
import { parseProfile } from '../core/decode';
import { BaseProfileError, isProfileError } from '../core/errors';
import { activeFilters, hasFilters, type FilterOptions } from '../core/filter';
import { lineCallers, lineFunctions } from '../core/lineCallers';
import { filesWithValues, nothingInWorkspace } from '../core/lineView';
import { lineCauses, type LineCause } from '../core/allocCauses';
import { defaultSampleIndex, totalOf, type Profile } from '../core/model';
import { readFileSync } from 'node:fs';
import {
  formatList,
  formatPeek,
  formatTop,
  listReport,
  NoMatchError,
  peekReport,
  topReport,
  type ReportOptions,
} from '../core/report';
import {
  comparedProfile,
  FILTER_KEYS,
  makeView,
  viewTotal,
  viewTotals,
  type ProfileView,
  type ViewBase,
} from '../core/view';
import { compileGoRegexp, GoRegexpError } from '../core/regexp';
import {
  buildSandwich,
  heaviestByFlat,
  invertedFromTrie,
  invertedSteps,
  SANDWICH_MIN_SHARE,
  sandwichFromTrie,
  sandwichSteps,
  type Sandwich,
} from '../core/sandwich';
import { Sliced } from '../core/steps';
import { collapseRecursion, exactNames } from '../core/transforms';
import { warmTransforms } from '../core/warmUp';
import { labelsReport, type LabelsReport } from '../core/labels';
import { searchNames, type NameSearch } from '../core/nameSearch';
import { compactTables, FIRST_PAINT } from '../shared/flame';
import type {
  BaseSpec,
  CallEdge,
  Ops,
  PackedAnnotations,
  PeekResult,
  PerOpScale,
  ReportArgs,
  ReportResult,
  TopEntry,
  TopTable,
  ViewInfo,
  WorkerError,
} from './protocol';

/** The annotation columns (core/annotate) with the profile's summary: what the worker transfers. */
export function pack(
  p: Profile,
  a: AnnotationColumns,
  bytes: number,
  decodeMs: number,
  annotateMs: number,
): PackedAnnotations {
  const m0 = p.mappings[0];
  return {
    ...a,
    sampleTypes: a.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
    defaultIndex: defaultSampleIndex(p),
    summary: {
      sampleCount: p.samples.count,
      locationCount: p.locations.length,
      functionCount: p.functions.length,
      mainBinary: m0?.file ?? '',
      buildId: m0?.buildId ?? '',
      comments: [...p.comments],
      timeNanos: p.timeNanos,
      durationNanos: p.durationNanos,
      ...(p.periodType ? { periodType: { type: p.periodType.type, unit: p.periodType.unit } } : {}),
      period: p.period,
      bytes,
      decodeMs,
      annotateMs,
    },
  };
}

/** The buffers of a PackedAnnotations, for postMessage's transfer list. */
export function transferList(a: PackedAnnotations): ArrayBuffer[] {
  return [
    a.totals,
    a.fileLineStart,
    a.lineNo,
    a.lineFlat,
    a.lineCum,
    a.fileFuncStart,
    a.funcStartLine,
    a.funcFirstLine,
    a.funcLastLine,
    a.funcFlat,
    a.funcCum,
    a.funcInline,
  ].map((x) => x.buffer as ArrayBuffer);
}

export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof BaseProfileError) return { kind: e.kind, message: e.message, base: e.base };
  if (isProfileError(e)) return { kind: e.kind, message: e.message };
  if (e instanceof NoMatchError) return { kind: 'no-match', message: e.message };
  if (e instanceof GoRegexpError) return { kind: 'bad-filter', message: `Bad filter: ${e.message}` };
  if (e instanceof RangeError) return { kind: 'internal', message: e.message };
  const msg = e instanceof Error ? e.message : String(e);
  return { kind: 'internal', message: `Internal error while reading the profile: ${msg}` };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a loaded profile's views are derived from: the decoded profile and a base. */
export interface ViewState {
  /** The decoded profile, as read. */
  readonly original: Profile;
  readonly bytes: number;
  readonly base?: ViewBase & { readonly name: string; readonly perOp?: PerOpScale };
  /** Which base: 0 none, else one number per base decoded (ViewCache.newBase). */
  readonly baseId?: number;
  /** original compared with the base and pruned (core/view comparedProfile), kept across filter changes. */
  readonly whole: Profile;
  /** The views of this loaded profile the worker keeps; shared by every view derived from it. */
  readonly views?: ViewCache;
}

/**
 * The views of one loaded profile that the worker keeps, so that going back is a switch, not a
 * derivation: the current one, the one before it (Cancel goes back to it) and the current base's
 * unfiltered view (clearing a filter). They all share the decoded profile (ViewState.original);
 * only what a filter or a base derived from it is theirs.
 */
export class ViewCache {
  private nextId = 0;
  private nextBase = 0;
  private readonly byId = new Map<number, ProfileOps>();

  newId(): number {
    return this.nextId++;
  }
  newBase(): number {
    return ++this.nextBase;
  }
  get(id: number): ProfileOps | undefined {
    return this.byId.get(id);
  }
  /** The kept view of that base and those filters (viewKey). */
  find(key: string): ProfileOps | undefined {
    for (const o of this.byId.values()) if (o.key === key) return o;
    return undefined;
  }
  /** How many views are kept (tests). */
  get size(): number {
    return this.byId.size;
  }
  /** next is now the current view, prev the one it replaced: the others but next's unfiltered view go. */
  keep(next: ProfileOps, prev?: ProfileOps): void {
    const plain = viewKey(next.baseId, {});
    for (const [id, o] of this.byId) if (o !== next && o !== prev && o.key !== plain) this.byId.delete(id);
    this.byId.set(next.id, next);
    if (prev && prev !== next) this.byId.set(prev.id, prev);
  }
}

/** A view's identity: its base (ViewState.baseId) and its filters, in pprof's order. */
export function viewKey(baseId: number, filters: FilterOptions): string {
  return `${baseId}\u0000${FILTER_KEYS.map((k) => filters[k] ?? '').join('\u0000')}`;
}

function decode(bytes: Uint8Array, maxInputBytes: number | undefined): Profile {
  return parseProfile(bytes, maxInputBytes !== undefined ? { maxInputBytes } : {});
}

function decodeBase(b: BaseSpec, maxInputBytes: number | undefined): NonNullable<ViewState['base']> {
  let profile: Profile;
  try {
    profile = decode(b.bytes, maxInputBytes);
  } catch (e) {
    if (isProfileError(e)) throw new BaseProfileError(e.kind, e.message, b.name);
    throw e;
  }
  const perOp = validPerOp(b.perOp);
  return {
    profile,
    name: b.name,
    mode: b.mode === 'diff_base' ? 'diff_base' : 'base',
    normalize: !!b.normalize,
    ...(perOp ? { perOp } : {}),
  };
}

function validPerOp(s: PerOpScale | undefined): PerOpScale | undefined {
  if (!s) return undefined;
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0;
  return ok(s.current) && ok(s.base) ? { current: s.current, base: s.base, note: String(s.note ?? '') } : undefined;
}

/** Only the filter options that are set (non-empty strings). */
function cleanFilters(f: FilterOptions | undefined): FilterOptions {
  const out: FilterOptions = {};
  if (!f) return out;
  for (const [k, v] of Object.entries(f) as [keyof FilterOptions, unknown][])
    if (typeof v === 'string' && v !== '') out[k] = v;
  return out;
}

/** One loaded profile and the queries on it. */
export class ProfileOps {
  private readonly lineCallerCache = new Map<string, CallEdge[]>();
  /** What the panel's table needs of the annotation columns (copies: the columns' buffers are transferred). */
  private annotations?: Pick<
    AnnotationColumns,
    'sampleTypes' | 'files' | 'fileFuncStart' | 'funcName' | 'funcStartLine' | 'funcCum'
  >;
  /** For workspaceNote: each function's flat, the view's totals and which files have values (core/lineView). */
  private flatFacts?: { funcFlat: Float64Array; totals: Float64Array; has: Uint8Array };
  /** The merged trie per direction, -tagroot pivot and collapsed recursion: the plain ones and at most one other. */
  private readonly tries = new Map<string, { profile: Profile; trie: FlameTrie }>();
  /** The merged trie of this view's profile before its filters, when a previous view built it. */
  private unfiltered?: FlameTrie;
  /** filteredFlame's latest filtered trie (its firstPaint and whole trees share it), by its filters. */
  private preview?: { key: string; trie: FlameTrie };
  private readonly sandwichCache = new Map<string, Ops['sandwich']['result']>();
  /** exactFlags' tables: the view's function names, its other names, each trie's name index. */
  private nameTables?: {
    functions: Set<string>;
    other: Set<string>;
    trie: WeakMap<FlameTrie['names'], Map<string, number>>;
  };
  /** invertedFor's latest tree (its first-paint and whole layouts share it). */
  private inverted?: { key: string; down: FlameTrie; trie: FlameTrie };
  /**
   * What is being built ahead of the panel a slice at a time (beginPrewarm, prewarmStep): an
   * inverted tree or a sandwich, with its key. A request for the same thing finishes it.
   */
  private ahead?:
    | {
        kind: 'inverted';
        key: string;
        down: FlameTrie;
        sampleIndex: number;
        build: Sliced<FlameTrie | undefined>;
        /** Its first-paint tree is laid out (the whole one is next). */
        laidFirst?: boolean;
      }
    | { kind: 'sandwich'; key: string; args: Ops['sandwich']['args']; build: Sliced<Sandwich | undefined> };
  /** functionLines per sample type (a map of every function: built once). */
  private readonly lineMaps = new Map<number, Map<string, { file: string; line: number; w: number }>>();
  private readonly flameCache = new Map<string, Ops['flame']['result']>();
  /** The profile the queries answer on: compared, pruned and filtered. */
  readonly profile: Profile;
  /** This view's number among its loaded profile's views (ViewInfo.id, Ops['useView']). */
  readonly id: number;
  /** Its base and filters (viewKey): which kept view a request for the same view finds. */
  readonly key: string;

  constructor(
    /** The driver's view (core/view): the profile and what 100 % is. */
    readonly view: ProfileView,
    readonly state?: ViewState,
  ) {
    this.profile = view.profile;
    this.id = state?.views?.newId() ?? 0;
    this.key = viewKey(this.baseId, view.options.filters ?? {});
  }

  /** Which base this view compares with (ViewState.baseId; 0: none). */
  get baseId(): number {
    return this.state?.baseId ?? 0;
  }

  static load(
    args: Ops['load']['args'],
    progress: (m: string) => void = () => {},
  ): { ops: ProfileOps; packed: PackedAnnotations } {
    progress('Decoding the profile…');
    const t0 = performance.now();
    const original = decode(args.bytes, args.maxInputBytes);
    const base = args.base ? decodeBase(args.base, args.maxInputBytes) : undefined;
    const t1 = performance.now();
    const views = new ViewCache();
    return ProfileOps.derive(
      original,
      args.bytes.length,
      base,
      undefined,
      cleanFilters(args.filters),
      progress,
      t1 - t0,
      { views, baseId: base ? views.newBase() : 0 },
    );
  }

  /**
   * A new view of the same loaded profile (see Ops['view']): only a new base is decoded; the
   * decoded profile, the compared one (for the same base) and the totals are this view's, and the
   * filtered view's tree comes from the unfiltered view's trie when it can (see trieFor). The worker
   * makes it current (main.ts; ViewCache.keep).
   */
  review(
    args: Ops['view']['args'],
    progress: (m: string) => void = () => {},
  ): { ops: ProfileOps; packed: PackedAnnotations } {
    const st: ViewState = this.state ?? { original: this.profile, bytes: 0, whole: this.profile };
    const views = st.views;
    const t0 = performance.now();
    let base = st.base;
    let baseId = this.baseId;
    let whole: Profile | undefined = st.whole;
    if (args.base === null) {
      base = undefined;
      baseId = 0;
      whole = undefined;
    } else if (args.base) {
      progress('Decoding the base profile…');
      base = decodeBase(args.base, args.maxInputBytes);
      baseId = views?.newBase() ?? 0;
      whole = undefined;
    }
    // Without a base again: the kept plain view's profile is the one compared with none.
    const plain = views?.find(viewKey(baseId, {}));
    if (!whole && plain) whole = plain.view.whole;
    const filters = args.filters === undefined ? (this.view.options.filters ?? {}) : cleanFilters(args.filters);
    const t1 = performance.now();
    const same = whole !== undefined && whole === this.view.whole;
    const r = ProfileOps.derive(st.original, st.bytes, base, whole, filters, progress, t1 - t0, {
      ...(views ? { views } : {}),
      baseId,
      // The totals are those of the profile before the filters: the same for every view of it.
      ...(same ? { totals: this.view.totals } : plain ? { totals: plain.view.totals } : {}),
    });
    // The same profile before the filters: its trie gives the filtered one (see trieFor).
    const plainTrie = plain?.tries.get('/')?.trie;
    if (plainTrie && plain!.view.whole === r.ops.view.whole) r.ops.unfiltered = plainTrie;
    else if (same) r.ops.unfiltered = this.view.filtered ? this.unfiltered : this.tries.get('/')?.trie;
    return r;
  }

  /**
   * The driver (core/view) over a decoded profile: compared with the base and pruned (unless
   * whole is that already), filtered; then annotated with the view's totals and packed.
   */
  static derive(
    original: Profile,
    bytes: number,
    base: ViewState['base'],
    whole: Profile | undefined,
    filters: FilterOptions,
    progress: (m: string) => void,
    decodeMs: number,
    more: { views?: ViewCache; baseId?: number; totals?: readonly (number | undefined)[] } = {},
  ): { ops: ProfileOps; packed: PackedAnnotations } {
    const t0 = performance.now();
    if (!whole) {
      if (base) progress(`Comparing with ${base.name}…`);
      whole = comparedProfile(original, base);
    }
    if (hasFilters(filters)) progress('Filtering…');
    const view = makeView(whole, { filters });
    if (more.totals) view.totals.push(...more.totals);
    const totals = viewTotals(view);
    const ops = new ProfileOps(view, {
      original,
      bytes,
      ...(base ? { base } : {}),
      whole,
      ...(more.views ? { views: more.views, baseId: more.baseId ?? 0 } : {}),
    });
    progress('Computing per-line costs…');
    const a = annotateColumns(view.profile, totals);
    const t1 = performance.now();
    const info: ViewInfo = {
      ...(base
        ? {
            compare: {
              name: base.name,
              mode: base.mode,
              normalize: base.normalize,
              ...(base.perOp
                ? { perOp: base.perOp }
                : {
                    sides: {
                      current: original.sampleTypes.map((_, i) => totalOf(original, i)),
                      base: base.profile.sampleTypes.map((_, i) => totalOf(base.profile, i)),
                    },
                  }),
            },
          }
        : {}),
      filters,
      active: view.active,
      unmatched: view.unmatched,
      unfilteredTotals: totals,
      ...(more.views ? { id: ops.id, baseId: ops.baseId } : {}),
    };
    const packed = { ...pack(view.profile, a, bytes, decodeMs, t1 - t0), view: info };
    // The panel's table finds each function's line here; copied, as a's buffers are transferred.
    ops.annotations = {
      sampleTypes: a.sampleTypes,
      files: a.files,
      fileFuncStart: a.fileFuncStart.slice(),
      funcName: a.funcName,
      funcStartLine: a.funcStartLine.slice(),
      funcCum: a.funcCum.slice(),
    };
    ops.flatFacts = { funcFlat: a.funcFlat.slice(), totals: a.totals.slice(), has: filesWithValues(a) };
    return { ops, packed };
  }

  /** What 100 % is for one sample type (core/view viewTotal). */
  private totalFor(sampleIndex: number): { total: number } {
    return { total: viewTotal(this.view, sampleIndex) };
  }

  /**
   * The flame graph's tree and the whole top table for one sample type. The merged trie is built
   * once per view for every sample type (core/flame flameTrie) and each sample type's result is
   * kept, so a sample-type switch costs a layout pass the first time and a copy afterwards.
   */
  flame(args: Ops['flame']['args']): Ops['flame']['result'] {
    if (args.firstPaint) {
      const { firstPaint: _, ...whole } = args;
      const r = this.flame({ ...whole, maxNodes: FIRST_PAINT.maxNodes, topLimit: FIRST_PAINT.topLimit });
      return { flame: compactTables(r.flame), top: r.top };
    }
    const maxNodes = args.maxNodes ?? PANEL_MAX_NODES;
    const tagRoot = args.tagRoot ?? [];
    const collapse = args.collapse ?? [];
    const key = `${args.sampleIndex}/${maxNodes}/${args.topLimit ?? ''}/${tagRoot.join('\u0000')}${args.reverse ? '/reverse' : ''}/${collapse.join('\u0000')}`;
    const hit = this.flameCache.get(key);
    if (hit) {
      // Most recently used last: the prewarmed trees of other types must not push out the one on screen.
      this.flameCache.delete(key);
      this.flameCache.set(key, hit);
      return hit;
    }
    let out: Ops['flame']['result'];
    const inv = args.reverse ? this.invertedFor(tagRoot, collapse, args.sampleIndex) : undefined;
    if (inv) {
      // The inverted tree from the top-down trie; the table is the top-down one (the same rows).
      out = this.layout(inv.profile, inv.trie, args.sampleIndex, maxNodes, args.topLimit, 0, inv.down);
    } else {
      // A collapse of the top-down tree: the shown sample type's column only (a quarter of the
      // copying of a heap profile's four), unless the collapse of every type is kept already.
      const one =
        collapse.length > 0 && !args.reverse && !this.tries.has(this.trieKey(tagRoot, false, collapse))
          ? this.collapsedColumn(tagRoot, collapse, args.sampleIndex)
          : undefined;
      if (one) out = this.layout(one.profile, one.trie, args.sampleIndex, maxNodes, args.topLimit, 0);
      else {
        const { profile, trie } = this.trieFor(tagRoot, args.reverse === true, collapse);
        out = this.layout(profile, trie, args.sampleIndex, maxNodes, args.topLimit);
      }
    }
    // Room for the whole and first-paint trees of every prewarmed sample type (see worker/main.ts),
    // the inverted tree and a few views besides: a first switch is then a copy.
    const room = 2 * Math.min(this.profile.sampleTypes.length, 8) + 4;
    while (this.flameCache.size >= room) this.flameCache.delete(this.flameCache.keys().next().value!);
    this.flameCache.set(key, out);
    return out;
  }

  /**
   * The panel's tree and table of this (unfiltered) view with other -focus/-ignore filters, from
   * the merged trie (see Ops['filteredFlame']); null when the trie cannot answer. The numbers are
   * those of the filtered view's own flame op (panelViewsOps.test.ts), but for the table's lines:
   * each function's hottest line is this view's (the filtered view's follows with it).
   */
  filteredFlame(args: Ops['filteredFlame']['args']): Ops['filteredFlame']['result'] {
    const plain = this.tries.get('/');
    if (this.view.filtered || !plain) return null;
    const filters = cleanFilters(args.filters);
    let trie = plain.trie;
    // The filtered trie holds the shown sample type only (its column 0).
    let column = args.sampleIndex;
    if (hasFilters(filters)) {
      const fkey = `${args.sampleIndex}/${JSON.stringify(filters)}`;
      if (this.preview?.key === fkey) trie = this.preview.trie;
      else {
        const sets = this.trieFilterSets(plain.trie, filters);
        if (!sets) return null;
        trie = filterTrie(plain.trie, sets, [args.sampleIndex]);
        this.preview = { key: fkey, trie };
      }
      column = 0;
    }
    const active = activeFilters(filters);
    if (args.firstPaint) {
      const r = this.layout(plain.profile, trie, args.sampleIndex, FIRST_PAINT.maxNodes, FIRST_PAINT.topLimit, column);
      return { flame: compactTables(r.flame), top: r.top, active };
    }
    return { ...this.layout(plain.profile, trie, args.sampleIndex, PANEL_MAX_NODES, undefined, column), active };
  }

  /** The flame op's tree (core/flame flameOf) and top table of one trie. */
  private layout(
    profile: Profile,
    trie: FlameTrie,
    sampleIndex: number,
    maxNodes: number,
    topLimit?: number,
    /** The trie's column of this sample type (a filtered trie may hold that one only). */
    column = sampleIndex,
    /** The table's trie, when not this one (an inverted tree's: the top-down trie, all columns). */
    tableTrie?: FlameTrie,
  ): Ops['flame']['result'] {
    const flame = flameOf(trie, { sampleIndex: column, maxNodes });
    // (not the tree's own total: for -base it would be -diff_base's, see treeSource)
    const total = viewTotal(this.view, sampleIndex);
    // The table from the trie (milliseconds); from the samples when the trie was cut by its limits.
    const fromTrie = tableTrie ? flameTop(tableTrie, sampleIndex, topLimit) : flameTop(trie, column, topLimit);
    const r = fromTrie
      ? undefined
      : topReport(profile, {
          sampleIndex: sampleIndex,
          nodeFraction: 0,
          granularity: 'functions',
          compactLabels: true,
          total,
        });
    // Each function's hottest line: where a click in the table opens.
    const lineOf = this.functionLines(sampleIndex);
    const rows = fromTrie ? fromTrie.name.length : r!.rows.length;
    const n = topLimit !== undefined ? Math.min(topLimit, rows) : rows;
    const name: string[] = [];
    const file: string[] = [];
    const line = new Int32Array(n);
    const flat = new Float64Array(n);
    const cum = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = fromTrie
        ? {
            function: fromTrie.name[i]!,
            name: fromTrie.name[i]!,
            file: '',
            flat: fromTrie.flat[i]!,
            cum: fromTrie.cum[i]!,
          }
        : r!.rows[i]!;
      const at = lineOf.get(x.function);
      name.push(x.function || x.name);
      file.push(at?.file ?? x.file);
      line[i] = at?.line ?? 0;
      flat[i] = x.flat;
      cum[i] = x.cum;
    }
    const top: TopTable = { name, file, line, flat, cum };
    return { flame: { ...flame, reportTotal: total }, top };
  }

  /**
   * The inverted tree of one sample type from the top-down trie (core/sandwich invertedFromTrie:
   * no bottom-up trie built from the samples; frames narrower than the sandwich's half a pixel at
   * 5,000 px left out), with that trie; undefined when the trie cannot give it (cut by its limits).
   */
  private invertedFor(
    tagRoot: readonly string[],
    collapse: readonly string[],
    sampleIndex: number,
  ): { profile: Profile; trie: FlameTrie; down: FlameTrie } | undefined {
    const { profile, trie: down } = this.trieFor(tagRoot, false, collapse);
    const key = `${sampleIndex}`;
    if (this.inverted?.down === down && this.inverted.key === key) return { profile, trie: this.inverted.trie, down };
    // Being built ahead: finished from where it stopped.
    const ahead = this.ahead?.kind === 'inverted' && this.ahead.down === down && this.ahead.key === key;
    const trie = ahead
      ? this.finishAhead<FlameTrie | undefined>()
      : invertedFromTrie(down, sampleIndex, SANDWICH_MIN_SHARE);
    if (!trie) return undefined;
    this.inverted = { key, down, trie };
    return { profile, trie, down };
  }

  /** Whether the inverted tree of this pivot comes from the bottom-up trie (the top-down one was cut). */
  private invertedCut(a: { tagRoot?: readonly string[]; collapse?: readonly string[] }): boolean {
    const t = this.trieFor(a.tagRoot ?? [], false, a.collapse ?? []).trie;
    return t.samplesCutDepth > 0 || t.samplesCutNodes > 0 || t.samplesCutWork > 0;
  }

  private trieKey(tagRoot: readonly string[], reverse: boolean, collapse: readonly string[]): string {
    return `${reverse ? 'r' : ''}/${tagRoot.join('\u0000')}${collapse.length ? `\u0002${collapse.join('\u0000')}` : ''}`;
  }

  /**
   * The top-down trie of the pivot and the collapse's flags on its names, when the collapse can
   * come from that trie (not cut by its limits; every name a function's, see exactFlags).
   */
  private collapseFlags(
    tagRoot: readonly string[],
    collapse: readonly string[],
  ): { down: { profile: Profile; trie: FlameTrie }; flags: Uint8Array } | undefined {
    const down = this.trieFor(tagRoot);
    const t = down.trie;
    if (t.samplesCutDepth > 0 || t.samplesCutNodes > 0 || t.samplesCutWork > 0) return undefined;
    const flags = this.exactFlags(t, collapse);
    return flags ? { down, flags } : undefined;
  }

  /** flame's collapsed trie of one sample type (its column 0), the latest one kept. */
  private collapsedOne?: { key: string; profile: Profile; trie: FlameTrie };

  private collapsedColumn(
    tagRoot: readonly string[],
    collapse: readonly string[],
    sampleIndex: number,
  ): { profile: Profile; trie: FlameTrie } | undefined {
    const key = `${this.trieKey(tagRoot, false, collapse)}\u0003${sampleIndex}`;
    if (this.collapsedOne?.key === key) return this.collapsedOne;
    const f = this.collapseFlags(tagRoot, collapse);
    if (!f) return undefined;
    this.collapsedOne = { key, profile: f.down.profile, trie: collapseTrie(f.down.trie, f.flags, [sampleIndex]) };
    return this.collapsedOne;
  }

  /** The merged trie of the view, or of its -tagroot pivot (label values as root frames). */
  private trieFor(
    tagRoot: readonly string[],
    reverse = false,
    collapse: readonly string[] = [],
  ): { profile: Profile; trie: FlameTrie } {
    const base = `${reverse ? 'r' : ''}/${tagRoot.join('\u0000')}`;
    const k = this.trieKey(tagRoot, reverse, collapse);
    let t = this.tries.get(k);
    if (!t && collapse.length > 0 && !reverse) {
      const flags = this.collapseFlags(tagRoot, collapse);
      // From the top-down trie of the same pivot (core/flame collapseTrie: one pass over its nodes,
      // the same tree as the collapsed profile's); its profile's reports are the collapsed one's.
      if (flags) t = { profile: flags.down.profile, trie: collapseTrie(flags.down.trie, flags.flags) };
    }
    if (!t) {
      let profile = this.treeSource();
      if (tagRoot.length > 0) {
        // The label frames come before the filters (core/view makeView, as pprof's driver): a
        // sample whose frames -hide removes all stays under its label frame, with its flat there.
        const source = this.treeWhole();
        const pivot = makeView(source, { ...this.view.options, tagRoot }).profile;
        // A sample without the label gets the frame pprof prints as <unknown>.
        const n0 = source.functions.length;
        const functions = pivot.functions.map((f, i) => (i >= n0 && f.name === '' ? { ...f, name: '<unknown>' } : f));
        profile = { ...pivot, functions };
      }
      if (collapse.length > 0) profile = collapseRecursion(profile, collapse);
      const sets =
        k === '/' && this.unfiltered && this.view.filtered
          ? this.trieFilterSets(this.unfiltered, this.view.options.filters ?? {})
          : undefined;
      t = {
        profile,
        trie: sets ? filterTrie(this.unfiltered!, sets) : flameTrie(profile, { reverse }),
      };
    }
    if (!this.tries.has(k)) {
      // Keep the plain tries (both directions) and the latest pivot or collapse (with its pivot).
      for (const old of [...this.tries.keys()])
        if (!old.endsWith('/') && old !== k && old !== base) this.tries.delete(old);
      this.tries.set(k, t);
    }
    return t;
  }

  /**
   * -focus, -ignore, -hide and -show_from as flags on the unfiltered trie's names (core/flame
   * filterTrie), when those are the view's only filters and they match function names only (not a
   * file, a mapping or a frame without a function, which the samples' filters see differently);
   * else undefined.
   */
  private trieFilterSets(tr: FlameTrie, f: FilterOptions): TrieFilterSets | undefined {
    const o = this.view.options;
    if (o.pruneFrom || this.state?.base?.mode === 'base') return undefined;
    if (tr.reverse || tr.samplesCutDepth > 0 || tr.samplesCutNodes > 0 || tr.samplesCutWork > 0) return undefined;
    const kinds = ['focus', 'ignore', 'hide', 'showFrom'] as const;
    for (const [k, v] of Object.entries(f)) if (v && !(kinds as readonly string[]).includes(k)) return undefined;
    const p = this.view.whole;
    const flags = (src: string | undefined): Uint8Array | undefined | null => {
      if (!src) return undefined;
      // The panel's transforms name functions exactly (core/transforms exactName): a few lookups
      // then, not a regexp run over every name of the profile (400k on the 700k-sample bench).
      const exact = exactNames(src);
      if (exact) return this.exactFlags(tr, exact);
      const rx = compileGoRegexp(src);
      if (p.mappings.some((m) => m.file !== '' && rx.test(m.file))) return null;
      const names = new Set<string>();
      for (const fn of p.functions) {
        const byName = fn.name !== '' && rx.test(fn.name);
        if (!byName && ((fn.file !== '' && rx.test(fn.file)) || (fn.name === '' && rx.test(fn.systemName))))
          return null;
        if (byName) names.add(fn.name);
      }
      const out = new Uint8Array(tr.names.length);
      for (let i = 0; i < tr.names.length; i++) {
        const m = rx.test(tr.names[i]!);
        if (m !== names.has(tr.names[i]!)) return null;
        out[i] = m ? 1 : 0;
      }
      return out;
    };
    const sets: TrieFilterSets = {};
    for (const k of kinds) {
      const s = flags(f[k]);
      if (s === null) return undefined;
      if (s) sets[k] = s;
    }
    return sets;
  }

  /**
   * trieFilterSets' flags for exact names: each name's trie index, by lookups in tables built once
   * per view. Null (the samples must tell) when a name is also a file, a mapping's file or a
   * nameless function's system name, or names a frame that is no function (an address).
   */
  private exactFlags(tr: FlameTrie, exact: readonly string[]): Uint8Array | null {
    const t = (this.nameTables ??= (() => {
      const p = this.view.whole;
      const functions = new Set<string>();
      const other = new Set<string>();
      for (const m of p.mappings) if (m.file !== '') other.add(m.file);
      for (const fn of p.functions) {
        if (fn.name !== '') functions.add(fn.name);
        else other.add(fn.systemName);
        if (fn.file !== '') other.add(fn.file);
      }
      return { functions, other, trie: new WeakMap<FlameTrie['names'], Map<string, number>>() };
    })());
    let index = t.trie.get(tr.names);
    if (!index) {
      index = new Map(tr.names.map((n, i) => [n, i]));
      t.trie.set(tr.names, index);
    }
    const out = new Uint8Array(tr.names.length);
    for (const name of exact) {
      if (t.other.has(name)) return null;
      const i = index.get(name);
      if (i === undefined) continue;
      if (!t.functions.has(name)) return null;
      out[i] = 1;
    }
    return out;
  }

  /**
   * The profile the flame tree is built from. With -base, pprof's merge folds a base sample into
   * the new sample of the same stack (their difference), so before and after could no longer be
   * told apart; the tree keeps the base samples apart instead, as -diff_base does (the same signed
   * totals, and weight = after + before: the panel's diff shading reads both from it).
   */
  private treeSource(): Profile {
    const st = this.state;
    if (!st?.base || st.base.mode !== 'base') return this.profile;
    return makeView(this.treeWhole(), this.view.options).profile;
  }

  /** treeSource before the view's filters. */
  private treeWhole(): Profile {
    const st = this.state;
    if (!st?.base || st.base.mode !== 'base') return this.view.whole;
    return comparedProfile(st.original, { ...st.base, mode: 'diff_base' });
  }

  /** The Labels tab: pprof's -tags with shares, numeric keys as histograms, tagfocus per value. */
  labels(args: Ops['labels']['args']): LabelsReport {
    return labelsReport(this.profile, args);
  }

  /** The panel's search: which function names of the (pivoted) tree a Go regexp matches. */
  search(args: Ops['search']['args']): Ops['search']['result'] {
    const r = args.names ? searchNames(args.names, args.query) : this.searchTrie(args);
    if (args.sampleIndex === undefined) return r;
    const matched = this.matchedTotal(args, args.sampleIndex, args.names ? undefined : r);
    return matched === undefined ? r : { ...r, matched };
  }

  /**
   * The samples through a frame the query matches, each once, over the view's top-down trie:
   * pprof -focus's total (the direction does not change it). Undefined when that trie was cut.
   */
  private matchedTotal(args: Ops['search']['args'], si: number, own?: NameSearch): number | undefined {
    const tr = this.trieFor(args.tagRoot ?? [], false, args.collapse ?? []).trie;
    if (tr.samplesCutDepth > 0 || tr.samplesCutNodes > 0 || tr.samplesCutWork > 0 || si >= tr.T) return undefined;
    const hit = own && own.nameHit.length === tr.names.length ? own : searchNames(tr.names, args.query);
    if (hit.tested < tr.names.length) return undefined;
    const under = new Uint8Array(tr.nodes);
    let matched = 0;
    for (let i = 1; i < tr.nodes; i++) {
      if (under[tr.parent[i]!]) under[i] = 1;
      else if (hit.nameHit[tr.nodeName[i]!] === 1) {
        under[i] = 1;
        matched += tr.total[i * tr.T + si]!;
      }
    }
    return matched;
  }

  private searchTrie(args: Ops['search']['args']): NameSearch {
    return searchNames(
      // The inverted tree names the top-down trie's names (invertedFor) unless that was cut.
      this.trieFor(args.tagRoot ?? [], args.reverse === true && !this.invertedCut(args), args.collapse ?? []).trie
        .names,
      args.query,
    );
  }

  /** The sandwich of one function (core/sandwich), percentages relative to the view's total. */
  sandwich(args: Ops['sandwich']['args']): Ops['sandwich']['result'] {
    const { key, o } = this.sandwichPlan(args);
    const hit = this.sandwichCache.get(key);
    if (hit) return hit;
    // From the view's merged trie (kept for the flame graph); from the samples when it was cut.
    const ahead = this.ahead?.kind === 'sandwich' && this.ahead.key === key;
    const s =
      (ahead ? this.finishAhead<Sandwich | undefined>() : sandwichFromTrie(this.trieFor([]).trie, args.func, o)) ??
      buildSandwich(this.profile, { ...o, func: args.func });
    const out = {
      func: s.func,
      flat: s.flat,
      cum: s.cum,
      recursive: s.recursive,
      // Names and files cut to what the trees name: the trie's tables hold every function of the
      // profile (400k names on the 700k-sample bench, cloned twice on their way to the page).
      callers: compactTables(s.callers),
      callees: compactTables(s.callees),
    };
    if (this.sandwichCache.size >= 4) this.sandwichCache.delete(this.sandwichCache.keys().next().value!);
    this.sandwichCache.set(key, out);
    return out;
  }

  /**
   * A sandwich request's cache key and build options (sandwich and its build ahead share them):
   * drawn unzoomed across the panel, frames narrower than half a pixel at 5,000 px are left out.
   */
  private sandwichPlan(args: Ops['sandwich']['args']) {
    const maxNodes = args.maxNodes ?? PANEL_MAX_NODES;
    return {
      key: `${args.sampleIndex}/${maxNodes}/${args.func}`,
      o: {
        sampleIndex: args.sampleIndex,
        maxNodes,
        minShare: SANDWICH_MIN_SHARE,
        reportTotal: viewTotal(this.view, args.sampleIndex),
      },
    };
  }

  /** Builds a sample type's whole or first-paint flame tree ahead of the panel (the worker calls it when idle). */
  prewarmFlame(sampleIndex: number, firstPaint = false): void {
    try {
      this.flame({ sampleIndex, ...(firstPaint ? { firstPaint } : {}) });
    } catch {
      // the panel's own request reports the error
    }
  }

  /**
   * Builds the inverted tree of a sample type ahead of the panel at once (beginPrewarm and
   * prewarmStep build it a slice at a time): the Inverted toggle is then a copy.
   */
  prewarmInverted(sampleIndex: number): void {
    this.beginPrewarm('inverted', sampleIndex);
    this.prewarmStep(Infinity);
    try {
      this.flame({ sampleIndex, reverse: true }); // kept already, or from the bottom-up trie (the top-down one was cut)
    } catch {
      // the panel's own request reports the error
    }
  }

  /**
   * Begins building ahead of the panel, a slice at a time (prewarmStep): a sample type's inverted
   * tree, or the sandwich of its heaviest function by flat (the top table's first row, the
   * hottest CodeLens). A request for the same tree or sandwich meanwhile finishes the build from
   * where it stopped; another request runs between two slices. Nothing is begun when the result
   * is kept already or cannot come from the trie (cut by its limits).
   */
  beginPrewarm(what: 'inverted' | 'sandwich', sampleIndex: number): void {
    this.ahead = undefined;
    try {
      const down = this.trieFor([]).trie;
      // A trie cut by its limits (a huge profile): both come from the samples, in one long task
      // that is not built ahead.
      if (this.invertedCut({})) return;
      if (what === 'inverted') {
        const key = `${sampleIndex}`;
        if (this.inverted?.down === down && this.inverted.key === key) return;
        this.ahead = {
          kind: 'inverted',
          key,
          down,
          sampleIndex,
          build: new Sliced((until) => invertedSteps(down, sampleIndex, SANDWICH_MIN_SHARE, until)),
        };
        return;
      }
      const func = heaviestByFlat(down, sampleIndex);
      if (func === undefined) return;
      const args = { sampleIndex, func };
      const { key, o } = this.sandwichPlan(args);
      if (this.sandwichCache.has(key)) return;
      this.ahead = { kind: 'sandwich', key, args, build: new Sliced((until) => sandwichSteps(down, func, o, until)) };
    } catch {
      // the panel's own request reports the error
    }
  }

  /**
   * Works on what beginPrewarm began for about ms; once its build is done, lays it out as the
   * panel will ask for it (the inverted flame tree and table, the sandwich's message). True when
   * nothing is left to do.
   */
  prewarmStep(ms: number): boolean {
    const a = this.ahead;
    if (!a) return true;
    try {
      if (!a.build.run(ms)) return false;
      if (a.kind === 'inverted') {
        // Laid out as the panel asks for it: the first-paint tree, then (the next step) the whole.
        if (!a.laidFirst) {
          this.flame({ sampleIndex: a.sampleIndex, reverse: true, firstPaint: true });
          this.ahead = { ...a, laidFirst: true };
          return false;
        }
        this.flame({ sampleIndex: a.sampleIndex, reverse: true });
      } else this.sandwich(a.args);
    } catch {
      // the panel's own request reports the error
    }
    this.ahead = undefined;
    return true;
  }

  /** The result of the build ahead, finished now (a request wants it). */
  private finishAhead<R>(): R {
    const a = this.ahead!;
    this.ahead = undefined;
    return a.build.finish() as R;
  }

  /**
   * Builds the sandwich of a sample type's heaviest function by flat ahead of the panel at once
   * (beginPrewarm and prewarmStep build it a slice at a time): the function the top table lists
   * first. Its sandwich is then a copy, and the level walks every sandwich runs are compiled and
   * their per-trie tables built.
   */
  prewarmSandwich(sampleIndex: number): void {
    this.beginPrewarm('sandwich', sampleIndex);
    this.prewarmStep(Infinity);
  }

  /**
   * Compiles the code of the panel's focus and collapse on a made-up trie (core/warmUp) ahead of
   * the panel's first one (the worker calls it when idle, after the sandwich): that first one is
   * then compiled code, not interpreted until V8 has compiled it.
   */
  prewarmTransforms(): void {
    try {
      warmTransforms();
    } catch {
      // only a warm-up: the panel's own request runs the same code
    }
  }

  top(args: Ops['top']['args']): Ops['top']['result'] {
    const r = topReport(this.profile, {
      sampleIndex: args.sampleIndex,
      nodeCount: args.limit,
      compactLabels: true,
      ...this.totalFor(args.sampleIndex),
    });
    const rows: TopEntry[] = r.rows.map((x) => ({
      name: x.function || x.name,
      file: x.file,
      flat: x.flat,
      cum: x.cum,
    }));
    return { total: r.total, rows };
  }

  /** Each function's file and start line, where its cum for the sample type is largest. */
  private functionLines(sampleIndex: number): Map<string, { file: string; line: number; w: number }> {
    const hit = this.lineMaps.get(sampleIndex);
    if (hit) return hit;
    const a = (this.annotations ??= annotateColumns(this.profile, viewTotals(this.view)));
    const T = a.sampleTypes.length;
    const lineOf = new Map<string, { file: string; line: number; w: number }>();
    for (let f = 0; f < a.files.length; f++) {
      for (let i = a.fileFuncStart[f]!; i < a.fileFuncStart[f + 1]!; i++) {
        const name = a.funcName[i]!;
        const w = Math.abs(a.funcCum[i * T + sampleIndex]!);
        const cur = lineOf.get(name);
        if (!cur || w > cur.w) lineOf.set(name, { file: a.files[f]!, line: a.funcStartLine[i]!, w });
      }
    }
    this.lineMaps.set(sampleIndex, lineOf);
    return lineOf;
  }

  /**
   * go tool pprof's -top, -list and -peek text on this view, through the same core functions and
   * options as the CLI (src/cli.ts): the view's total, its active filters in the legend.
   */
  report(args: ReportArgs): ReportResult {
    const si = args.sampleIndex;
    const o: ReportOptions = {
      sampleIndex: si,
      compactLabels: false,
      sort: args.cum ? 'cum' : 'flat',
      ...(args.nodeCount !== undefined && args.nodeCount > 0 ? { nodeCount: Math.floor(args.nodeCount) } : {}),
      total: viewTotal(this.view, si),
      ...(this.view.filtered ? { activeFilters: this.view.active } : {}),
    };
    if (args.kind === 'top') {
      const r = topReport(this.profile, o);
      const at = this.functionLines(si);
      const locations = r.rows.flatMap((x) => {
        const name = x.function || x.name;
        const l = at.get(name);
        return l ? [{ name, file: l.file, line: l.line }] : [];
      });
      return { text: formatTop(r), locations };
    }
    const rx = compileGoRegexp(args.pattern ?? '');
    if (args.kind === 'peek') {
      const r = peekReport(this.profile, o, rx);
      return { text: formatPeek(r), locations: [] };
    }
    const sources = args.sources ?? {};
    const r = listReport(this.profile, o, rx, (file) => {
      const local = sources[file];
      if (local === undefined) return { error: `open ${file}: no such file in the workspace` };
      try {
        // As the CLI reads a source (src/cli.ts fileSourceReader): lines without the last newline or \r.
        const lines = readFileSync(local, 'utf8').split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      } catch (e) {
        return { error: `open ${file}: ${(e as Error).message}` };
      }
    });
    const locations = r.blocks.map((b) => ({
      name: b.function,
      file: b.file,
      line: b.lines.find((l) => l.flat !== 0 || l.cum !== 0)?.line ?? b.lines[0]?.line ?? 0,
    }));
    return { text: formatList(r), locations };
  }

  peek(args: Ops['peek']['args']): PeekResult {
    const r = peekReport(
      this.profile,
      { sampleIndex: args.sampleIndex, compactLabels: true, ...this.totalFor(args.sampleIndex) },
      new RegExp(`^${escapeRegExp(args.func)}$`),
    );
    const e = r.entries[0]!;
    const edge = (x: { name: string; weight: number }): CallEdge => ({
      name: x.name,
      file: '',
      line: 0,
      weight: x.weight,
    });
    return { name: e.name, flat: e.flat, cum: e.cum, callers: e.callers.map(edge), callees: e.callees.map(edge) };
  }

  /**
   * Callers of the code at file:line (core/lineCallers: the next frame outwards in each stack
   * through the line, inlined or not), memoised per query.
   */
  lineCallers(args: Ops['lineCallers']['args']): CallEdge[] {
    const key = `${args.sampleIndex}\u0000${args.file}\u0000${args.line}\u0000${args.limit}`;
    const hit = this.lineCallerCache.get(key);
    if (hit) return hit;
    const out = lineCallers(this.profile, args);
    this.lineCallerCache.set(key, out);
    return out;
  }
  /** The functions with a value on file:line (core/lineCallers lineFunctions): the hover names them. */
  lineFunctions(args: Ops['lineFunctions']['args']): string[] {
    return lineFunctions(this.profile, args);
  }
  /** core/lineView nothingInWorkspace of the annotations shown (the status bar's note, a one-time notice). */
  workspaceNote(args: Ops['workspaceNote']['args']): string | undefined {
    if (!this.flatFacts) {
      const c = annotateColumns(this.profile, viewTotals(this.view));
      this.annotations ??= c;
      this.flatFacts = { funcFlat: c.funcFlat, totals: c.totals, has: filesWithValues(c) };
    }
    const a = this.annotations!;
    const facts = this.flatFacts;
    const files = new Set(args.files);
    const c = { sampleTypes: a.sampleTypes, files: a.files, funcName: a.funcName, funcFlat: facts.funcFlat };
    return nothingInWorkspace(c, facts.has, args.sampleIndex, facts.totals[args.sampleIndex] ?? 0, (f) => files.has(f));
  }
  /** What each line of the user's files causes (core/allocCauses), for the Allocation Hot Spots view. */
  lineCauses(args: Ops['lineCauses']['args']): LineCause[] {
    const files = new Set(args.files);
    return lineCauses(this.profile, args.sampleIndex, (f) => files.has(f));
  }
}
