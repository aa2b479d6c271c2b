/**
 * The messages between the extension host and the decode worker (main.ts). Requests carry an id;
 * the worker answers each with exactly one result or error, and may send progress before that.
 * Large arrays travel as typed arrays whose buffers are transferred, not copied.
 * Imports nothing but types, so both sides (and tests) can use it.
 */
import type { AnnotationColumns } from '../core/annotate';
import type { LineCause } from '../core/allocCauses';
import type { CompareMode } from '../core/diff';
import type { FilterOptions } from '../core/filter';
import type { GoroutineComparison, GoroutineSnapshot } from '../core/goroutines';

export type { CompareMode, FilterOptions };

export interface SampleTypeInfo {
  readonly type: string;
  readonly unit: string;
}

export interface ProfileSummary {
  readonly sampleCount: number;
  readonly locationCount: number;
  readonly functionCount: number;
  /** The main binary (first mapping), "" when unknown. */
  readonly mainBinary: string;
  readonly buildId: string;
  readonly comments: readonly string[];
  readonly timeNanos: number;
  readonly durationNanos: number;
  readonly periodType?: SampleTypeInfo;
  readonly period: number;
  readonly bytes: number;
  /** Milliseconds spent decoding and annotating in the worker. */
  readonly decodeMs: number;
  readonly annotateMs: number;
}

/**
 * The load/view result: core/annotate's columns (annotateColumns, transferred as they are: no
 * re-packing) with the profile's default sample type, summary and view.
 */
export interface PackedAnnotations extends AnnotationColumns {
  readonly sampleTypes: readonly SampleTypeInfo[];
  readonly defaultIndex: number;
  readonly summary: ProfileSummary;
  /** How the annotated profile was derived from the loaded one: comparison and filters. */
  readonly view?: ViewInfo;
}

/** A base profile to compare the loaded one with (pprof -base / -diff_base, -normalize). */
export interface BaseSpec {
  readonly bytes: Uint8Array;
  /** Display name, e.g. "heap-2026-11-22T19-10-05.pb.gz". */
  readonly name: string;
  readonly mode: CompareMode;
  readonly normalize?: boolean;
  /**
   * Per-operation profiles (benchmark A/B): the profile's values are divided by current and the
   * base's by base (the benchmark's operations on each side) before comparing; note says so.
   */
  readonly perOp?: PerOpScale;
}

export interface PerOpScale {
  readonly current: number;
  readonly base: number;
  /** What the UI says about the normalisation, e.g. "per operation: ÷ 12,000 ops (working tree), ÷ 11,000 (HEAD)". */
  readonly note: string;
}

export interface ViewInfo {
  readonly compare?: {
    readonly name: string;
    readonly mode: CompareMode;
    readonly normalize: boolean;
    readonly perOp?: PerOpScale;
    /** Each side's own total per sample type (sum of its values) before comparing; absent per operation. */
    readonly sides?: { readonly current: readonly number[]; readonly base: readonly number[] };
  };
  readonly filters: FilterOptions;
  /** "focus=main", … as pprof's "Active filters:" legend. */
  readonly active: readonly string[];
  /** The filters that matched nothing (pprof warns "no matches for focus"). */
  readonly unmatched: readonly (keyof FilterOptions)[];
  /** Per sample type, the totals before filtering (what percentages are relative to, as in pprof). */
  readonly unfilteredTotals: readonly number[];
  /** This view's number in its worker (Ops['useView']), and its base's (0: none): set by the worker. */
  readonly id?: number;
  readonly baseId?: number;
}

export interface TopEntry {
  readonly name: string;
  readonly file: string;
  readonly flat: number;
  readonly cum: number;
}

export interface CallEdge {
  /** The other function's name. */
  readonly name: string;
  /** Its file and line at the call ("" / 0 when unknown). */
  readonly file: string;
  readonly line: number;
  readonly weight: number;
}

export interface PeekResult {
  readonly name: string;
  readonly flat: number;
  readonly cum: number;
  readonly callers: readonly CallEdge[];
  readonly callees: readonly CallEdge[];
}

export interface ReportArgs {
  readonly kind: 'top' | 'list' | 'peek';
  readonly sampleIndex: number;
  /** Go regular expression of list and peek. */
  readonly pattern?: string;
  /** top's -nodecount (default: every node, as pprof's -top). */
  readonly nodeCount?: number;
  /** top's -cum. */
  readonly cum?: boolean;
  readonly sources?: Readonly<Record<string, string>>;
}

export interface ReportResult {
  /** The report as go tool pprof prints it. */
  readonly text: string;
  /** The functions it names, with file and first line (list: each ROUTINE's; top: each row's). */
  readonly locations: readonly { readonly name: string; readonly file: string; readonly line: number }[];
}

/** What each operation takes and returns. */
export type { FlameData } from '../shared/flame';
export type { TopTable } from '../shared/protocol';
import type { FlameData } from '../shared/flame';
import type { TopTable } from '../shared/protocol';
import type { LabelsReport } from '../core/labels';
import type { NameSearch } from '../core/nameSearch';

export interface Ops {
  /** Decodes bytes; with base, compares (-base/-diff_base); with filters, filters after the totals are taken. */
  load: {
    args: { bytes: Uint8Array; maxInputBytes?: number; base?: BaseSpec; filters?: FilterOptions };
    result: PackedAnnotations;
  };
  /**
   * Re-derives the loaded profile's view: base undefined keeps the current comparison, null drops
   * it; filters undefined keeps the current filters. Later queries answer on the new view.
   */
  view: {
    args: { base?: BaseSpec | null; filters?: FilterOptions; maxInputBytes?: number };
    result: PackedAnnotations;
  };
  /**
   * Makes a view the worker still keeps (ViewInfo.id: the one before the current, and the current
   * base's unfiltered one) current again, as it was: undo and Cancel without deriving it again.
   * False when it is no longer kept (then ask for it with view).
   */
  useView: { args: { id: number }; result: boolean };
  top: { args: { sampleIndex: number; limit: number }; result: { total: number; rows: TopEntry[] } };
  /**
   * One of go tool pprof's text reports on the current view, printed by the core's report functions
   * exactly as the CLI prints it (top, list REGEX, peek REGEX), for the language model tools.
   * sources: profile file -> local file, for list's source lines.
   */
  report: { args: ReportArgs; result: ReportResult };
  /** Callers and callees of one function (pprof -peek at function granularity). */
  peek: { args: { sampleIndex: number; func: string }; result: PeekResult };
  /** The callers of the frames at one source line, heaviest first. */
  lineCallers: { args: { sampleIndex: number; file: string; line: number; limit: number }; result: CallEdge[] };
  /** The functions with a value on file:line in some sample type (core/lineCallers lineFunctions), by name. */
  lineFunctions: { args: { file: string; line: number }; result: string[] };
  /** The note that sample type t has no value in the workspace's files (`files`: their indices), else undefined (core/lineView nothingInWorkspace). */
  workspaceNote: { args: { sampleIndex: number; files: number[] }; result: string | undefined };
  /** What each line of the given (user's) profile files causes: allocated here or by what it calls (core/allocCauses). */
  lineCauses: { args: { sampleIndex: number; files: string[] }; result: LineCause[] };
  /**
   * The flame graph's tree (at most maxNodes nodes, the heaviest; default core/flame's
   * PANEL_MAX_NODES) and the top table (every function unless topLimit) for one sample type.
   * Columns are typed arrays: they cross the thread boundary and the webview channel as binary.
   */
  flame: {
    /**
     * tagRoot: pprof's -tagroot keys: one subtree per label value (core/pprofOps addLabelNodes);
     * reverse: the bottom-up (inverted) tree, callers above their callees; collapse: functions whose
     * direct recursion shows as one frame (core/transforms collapseRecursion); firstPaint: the
     * panel's first tree (shared/flame FIRST_PAINT: its heaviest frames, the top table's first rows,
     * names and files cut to those frames), ahead of the whole one.
     */
    args: {
      sampleIndex: number;
      firstPaint?: boolean;
      topLimit?: number;
      maxNodes?: number;
      tagRoot?: readonly string[];
      reverse?: boolean;
      collapse?: readonly string[];
    };
    result: { flame: FlameData; top: TopTable };
  };
  /**
   * The panel's tree and table of the loaded (unfiltered) view with other filters, from its merged
   * trie (core/flame filterTrie) without deriving the filtered view: the panel redraws a focus,
   * ignore, hide or show-from transform at once while the host derives the view for the editor.
   * Null when the trie cannot answer (other filters than -focus/-ignore/-hide/-show_from on function
   * names, a filtered or -base view, a trie cut by its limits, no default tree built yet): the panel
   * then waits for the view.
   */
  filteredFlame: {
    args: { sampleIndex: number; filters: FilterOptions; firstPaint?: boolean };
    /** active: the filters' legend ("focus=…", as ViewInfo's). */
    result: { flame: FlameData; top: TopTable; active: string[] } | null;
  };
  /** The Labels tab: pprof's -tags for one sample type (core/labels). */
  labels: { args: { sampleIndex: number }; result: LabelsReport };
  /**
   * The panel's search: which names of the flame tree (of that pivot) a Go regexp matches
   * (core/nameSearch). names: the page's tree's own table (a first-paint tree's, cut to its frames):
   * nameHit then indexes it instead of the trie's.
   */
  search: {
    args: {
      query: string;
      tagRoot?: readonly string[];
      reverse?: boolean;
      collapse?: readonly string[];
      names?: readonly string[];
      /** With it, the answer's matched: the matched total of that sample type over the whole view. */
      sampleIndex?: number;
    };
    /**
     * matched: the samples through a matching frame (each once), summed over the view's merged trie
     * (pprof -focus's total); the panel's trees may be cut (first paint, 120k nodes, the inverted
     * tree's light leaves), their own sum then falls short. Absent when the trie was cut itself.
     */
    result: NameSearch & { matched?: number };
  };
  /** The sandwich of one function (core/sandwich): its callers' and its callees' trees. */
  sandwich: {
    args: { sampleIndex: number; func: string; maxNodes?: number };
    result: SandwichResult;
  };
  /**
   * The Goroutines view: a goroutine profile (proto, debug=1 or a debug=2 dump) grouped by stack
   * and state, compared with an earlier one when given (core/goroutines). Stateless: needs no
   * loaded profile.
   */
  goroutines: {
    args: { bytes: Uint8Array; base?: Uint8Array };
    result: { snapshot: GoroutineSnapshot; comparison?: GoroutineComparison };
  };
}

export interface SandwichResult {
  readonly func: string;
  readonly flat: number;
  readonly cum: number;
  /** The function calls itself: those calls are merged into its one frame in the callees tree. */
  readonly recursive?: boolean;
  /** Bottom-up from the function (root, the function, its callers…). */
  readonly callers: FlameData;
  /** Top-down from the function (root, the function, its callees…). */
  readonly callees: FlameData;
}

export type OpName = keyof Ops;

export type WorkerRequest = { [K in OpName]: { id: number; op: K; args: Ops[K]['args'] } }[OpName];

export interface WorkerError {
  /** A ProfileErrorKind, "no-profile", "no-match", "bad-filter" or "internal". */
  readonly kind: string;
  readonly message: string;
  /** Set when the base profile of a comparison, not the profile itself, could not be read: its name. */
  readonly base?: string;
}

export type WorkerResponse =
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; error: WorkerError }
  | { id: number; type: 'progress'; message: string };
