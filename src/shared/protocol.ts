/**
 * The one protocol between the extension host and its webviews: the flame graph panel
 * (ToWebview / FromWebview) and the profile summary editor (FromSummary). The panel posts
 * `ready` once its script runs; the host answers with `init`, then `update` whenever the profile,
 * the sample type, the comparison or the filters change (from the panel or from the editor).
 * Messages from a webview are untrusted: the host accepts them only through parseFromWebview
 * and parseFromSummary. Imports nothing: the host, the worker, the webview and the tests all
 * share it.
 */

/**
 * The flame graph's data as it crosses from the worker to the extension host and on to the
 * webview: a merged call tree in preorder, index-based, in columns. Node 0 is the root ("all").
 * The children of a node follow it directly, heaviest first, and its subtree is the index range
 * [i, i + subtree[i]). The columns are typed arrays when built by core/flame (their buffers are
 * transferred from the worker and sent to the webview as binary, not JSON); plain arrays work too.
 *
 * Widths come from `weight` (the sum of |value| of the samples through a node), so that a
 * comparison, whose values are signed, still lays out; `total` and `self` keep the sign.
 */
export interface FlameData {
  /** Function names; nodeName indexes it (-1 for the root). */
  readonly names: readonly string[];
  /** Source files; nodeFile indexes it (-1 when unknown). */
  readonly files: readonly string[];
  readonly nodeName: ArrayLike<number>;
  readonly nodeFile: ArrayLike<number>;
  /** The source line to open for the node: where most of its value was sampled or called. */
  readonly nodeLine: ArrayLike<number>;
  readonly depth: ArrayLike<number>;
  /** 1 when the frame was inlined into its caller. */
  readonly inlined: ArrayLike<number>;
  /** Offset of the node's left edge from the root's, in weight units. */
  readonly start: ArrayLike<number>;
  readonly weight: ArrayLike<number>;
  /** Signed cum and flat values. */
  readonly total: ArrayLike<number>;
  readonly self: ArrayLike<number>;
  readonly subtree: ArrayLike<number>;
  readonly maxDepth: number;
  /** The denominator of percentages (pprof's report total). */
  readonly reportTotal: number;
  /** Set when the tree was cut to stay within its limits (core/flame): what was left out and why. */
  readonly limits?: FlameLimits;
}

export interface FlameLimits {
  /** Frames all samples expand to (locations × inline frames), before any cut. */
  readonly frames: number;
  /** Nodes of the merged tree as built (at most its build limit). */
  readonly treeNodes: number;
  /** Nodes in this FlameData. */
  readonly shown: number;
  /** Samples whose stack was cut at the per-sample frame limit. */
  readonly samplesCutDepth: number;
  /** Samples that stopped early because the tree was full. */
  readonly samplesCutNodes: number;
  /** The deepest sample's frame count. */
  readonly maxSampleFrames: number;
  /** What to tell the user, e.g. "Profile too large for the flame graph: N frames; showing the top M nodes (…)". */
  readonly message: string;
}

/**
 * FlameData as the host sends it to the webview: only the columns that cannot be derived, each in
 * the narrowest integer type (a 120k-node tree is ~2.5 MB instead of ~6.5 MB): name and file
 * indexes + 1 (0 = none), line, subtree size, weight, inlined flag; `total` only when values are
 * signed (a comparison). The webview derives depth, start, total and self (src/shared/flame.ts
 * unpackFlame); VS Code passes typed arrays to the webview as binary.
 */
export interface PackedFlame {
  readonly packed: 1;
  readonly names: readonly string[];
  readonly files: readonly string[];
  readonly name: Uint16Array | Uint32Array;
  readonly file: Uint16Array | Uint32Array;
  readonly line: Uint16Array | Uint32Array;
  readonly subtree: Uint32Array;
  readonly weight: Float64Array;
  readonly inlined: Uint8Array;
  readonly total?: Float64Array;
  readonly maxDepth: number;
  readonly reportTotal: number;
  readonly limits?: FlameLimits;
}

export interface SampleTypeInfo {
  readonly type: string;
  readonly unit: string;
}

/**
 * The top table (pprof's -top by function, every function, heaviest flat first), in columns:
 * row i is name[i], file[i]:line[i] (where a click opens), flat[i], cum[i].
 */
export interface TopTable {
  readonly name: readonly string[];
  readonly file: readonly string[];
  readonly line: ArrayLike<number>;
  readonly flat: ArrayLike<number>;
  readonly cum: ArrayLike<number>;
}

export interface ViewModel {
  /**
   * Names this view (profile, comparison, filters: `<view>/<sampleIndex>`): the webview keeps
   * the last few views it was sent and the host then only names them ('show').
   */
  readonly key: string;
  /** The profile's file name. */
  readonly title: string;
  readonly sampleTypes: readonly SampleTypeInfo[];
  readonly sampleIndex: number;
  /** "Δ vs before.pb.gz (-base)" when comparing; values are then signed. */
  readonly compare?: string;
  /** Active filters, "focus=main" etc. */
  readonly filters: readonly string[];
  /** The workspace's Go module path(s), to colour "your code". */
  readonly modules: readonly string[];
  /** Packed by the host (PackedFlame); plain FlameData is accepted too (tests, scripts). */
  readonly flame: FlameData | PackedFlame;
  readonly top: TopTable;
  /** The label key(s) the tree is pivoted on (pprof's -tagroot): one subtree per value. */
  readonly pivot?: readonly string[];
  /** The tree is bottom-up (pprof's reverse): the root's children are the leaf functions, above them their callers. */
  readonly inverted?: boolean;
  /** Functions whose direct recursion the tree shows as one frame (the panel's transform). */
  readonly collapsed?: readonly string[];
  /**
   * The first-paint tree (its heaviest FIRST_PAINT frames): the whole one follows under the same
   * key. Its cut is no limit of the view's, so no "showing the heaviest N frames" notice is shown.
   */
  readonly partial?: true;
}

/** A transform from a frame's menu: pprof's filters on the function's exact name, or collapse its recursion. */
export type TransformOp = 'focus' | 'ignore' | 'hide' | 'showFrom' | 'collapseRecursion';
export const TRANSFORM_OPS: readonly TransformOp[] = ['focus', 'ignore', 'hide', 'showFrom', 'collapseRecursion'];

/** The sandwich of one function (core/sandwich), for the view named by `key`. */
export interface SandwichModel {
  readonly key: string;
  readonly func: string;
  /** pprof's flat and cum of the function. */
  readonly flat: number;
  readonly cum: number;
  /** The function calls itself: those calls are merged into its one frame in the callees tree. */
  readonly recursive?: boolean;
  /** Bottom-up: the root, the function, its callers… */
  readonly callers: FlameData | PackedFlame;
  /** Top-down: the root, the function, its callees… */
  readonly callees: FlameData | PackedFlame;
}

/** One value of a label key in the Labels tab (core/labels). */
export interface LabelValueRow {
  /** As pprof -tags prints it: the string, or the number scaled ("16kB"). */
  readonly label: string;
  /** Sum of the sample type over the samples carrying this value (signed when comparing). */
  readonly value: number;
  /** |value| / |key total|, 0..1 (pprof's percentage in -tags). */
  readonly share: number;
  /** Numeric labels: the raw number in the key's unit. */
  readonly num?: number;
  /** pprof's -tagfocus expression selecting exactly this value, e.g. `handler=^/api/users$`, `bytes=16384B`. */
  readonly tagFocus: string;
}

export interface LabelKeyRow {
  readonly key: string;
  readonly numeric: boolean;
  /** Numeric keys: their unit ("bytes", "nanoseconds", or the key itself when unknown). */
  readonly unit: string;
  readonly total: number;
  /** String keys: heaviest first (pprof's order). Numeric keys: by magnitude, smallest first (a histogram). */
  readonly values: readonly LabelValueRow[];
}

/** pprof's -tags report for one sample type, as the Labels tab shows it. */
export interface LabelsReport {
  readonly sampleUnit: string;
  readonly keys: readonly LabelKeyRow[];
}

/**
 * The editor's cursor as the panel highlights it: the profile's name of the file, the line, and
 * the function around the line (null when the cursor is outside every profiled file/function).
 */
export interface CursorInfo {
  readonly file: string | null;
  readonly line: number;
  readonly func: string | null;
}

/**
 * The host's wall-clock times (Date.now()) of the steps before a panel's first view, for the
 * benchmark's breakdown of command → first paint: show = the command ran, html = the webview's
 * HTML was set, ready = its script said ready, flame = the worker's tree arrived.
 */
export interface PanelMarks {
  readonly show?: number;
  readonly html?: number;
  readonly ready?: number;
  readonly flame?: number;
}

export type ToWebview =
  /** sentAt: the host's Date.now() when posting (the panel records the transport time for the benchmark). */
  | { readonly type: 'init'; readonly view: ViewModel; readonly sentAt?: number; readonly marks?: PanelMarks }
  | { readonly type: 'update'; readonly view: ViewModel; readonly sentAt?: number; readonly marks?: PanelMarks }
  /** Show a view the webview was sent before (its key), without sending it again. */
  | { readonly type: 'show'; readonly key: string; readonly sentAt?: number }
  /** The host is building the tree for this sample type (the panel says so instead of freezing). */
  | { readonly type: 'loading'; readonly sampleIndex: number }
  /** Nothing to show (no profile loaded, e.g. after a reload, or the tree failed): a placeholder with this text. */
  | { readonly type: 'empty'; readonly message: string }
  /** Zoom to (and select) the first frame of this function, e.g. from a CodeLens. */
  | { readonly type: 'focusFunction'; readonly name: string }
  /** The labels report of the view `key` (answer to requestLabels). */
  | { readonly type: 'labels'; readonly key: string; readonly report: LabelsReport }
  /** Which names (FlameData.names of the view `key`) the search `id` matched, as Go regexps (core/nameSearch). */
  | {
      readonly type: 'searchResult';
      readonly id: number;
      readonly key: string;
      readonly nameHit: Uint8Array;
      /** The text was not a Go regexp and was searched as plain text: Go's message. */
      readonly literal?: string;
      /** False when the time budget stopped the pass before every name was tested. */
      readonly complete: boolean;
      readonly ms: number;
      /** The matched total over the whole view (pprof -focus's), when the worker could sum it. */
      readonly matched?: number;
    }
  /** The search could not run (e.g. the worker failed): the message. */
  | { readonly type: 'searchError'; readonly id: number; readonly message: string }
  /** The editor's cursor moved (editor → graph). */
  | { readonly type: 'cursor'; readonly cursor: CursorInfo }
  /** Show the sandwich (callers and callees) of this function, e.g. from a CodeLens or the editor's cursor. */
  | { readonly type: 'showSandwich'; readonly name: string }
  /** The answer to requestSandwich. */
  | { readonly type: 'sandwich'; readonly sandwich: SandwichModel }
  /** requestSandwich failed: say why. */
  | { readonly type: 'sandwichFailed'; readonly name: string; readonly message: string }
  /** Whether the panel's last transform can be undone ('undoTransform'), after each view. */
  | { readonly type: 'undoState'; readonly canUndo: boolean }
  /**
   * Where the profile's files are on this machine, as the editor's overlays found them (the host's
   * source map): after the page's first view, and again whenever the files are mapped anew; each
   * replaces the last. The tooltips show a file's place in the workspace, the profile's path under it.
   */
  | { readonly type: 'sourcePaths'; readonly paths: SourcePaths };

/**
 * [file as the profile names it (FlameData.files, TopTable.file), where it is on this machine] for
 * every file found where the profile does not say: relative to its workspace folder (after the
 * folder's name in a multi-root workspace: "shop/cart/cart.go"), else absolute (GOROOT, the module
 * cache). A file not listed was not found, or is where the profile says.
 */
export type SourcePaths = readonly (readonly [profilePath: string, localPath: string])[];

export type FromWebview =
  /**
   * The page runs; from its saved state: `inverted`, the tree it shows is bottom-up; `collapsed`,
   * the functions whose recursion it collapsed.
   */
  | { readonly type: 'ready'; readonly inverted?: boolean; readonly collapsed?: readonly string[] }
  /**
   * The page took a 'focusFunction' or 'showSandwich' request (the host asks again, after the
   * page's next 'ready', until it is taken: a page being created or re-created misses messages).
   */
  | { readonly type: 'shown'; readonly request: 'focusFunction' | 'showSandwich'; readonly name: string }
  /** Show the bottom-up (true) or top-down tree. */
  | { readonly type: 'setInverted'; readonly inverted: boolean }
  /**
   * Build the sandwich of this function (answered with 'sandwich' or 'sandwichFailed'), for the
   * sample type of the view the page shows (a view it held paints before the host has switched).
   */
  | { readonly type: 'requestSandwich'; readonly name: string; readonly sampleIndex?: number }
  /** Apply a transform to the function `name` (recorded for undo). */
  | { readonly type: 'transform'; readonly op: TransformOp; readonly name: string }
  /** Undo the last transform. */
  | { readonly type: 'undoTransform' }
  /** Stop collapsing the recursion of `name`. */
  | { readonly type: 'uncollapse'; readonly name: string }
  /** Copy the go tool pprof command line that shows this view. */
  | { readonly type: 'copyCommand' }
  | { readonly type: 'setSampleType'; readonly index: number }
  | { readonly type: 'openSource'; readonly file: string; readonly line: number; readonly name: string }
  | { readonly type: 'clearFilter'; readonly filter: string | null }
  | { readonly type: 'clearCompare' }
  /** The Labels tab wants the labels report of the view on screen. */
  | { readonly type: 'requestLabels' }
  /** A label value was clicked: set pprof's tagfocus to this expression (the same filters as "Set Filters…"). */
  | { readonly type: 'setTagFocus'; readonly value: string }
  /** Pivot the tree on these label keys (-tagroot); empty: no pivot. */
  | { readonly type: 'setPivot'; readonly keys: readonly string[] }
  /**
   * Search the names of the view on screen with a Go regexp; answered by searchResult with the same
   * id. names: the tree's own names table when it is small (at most SEARCH_NAMES_MAX): a first-paint
   * tree's table is cut to its frames, in another order than the view's, so nameHit must index it.
   */
  | { readonly type: 'search'; readonly id: number; readonly query: string; readonly names?: readonly string[] };

/** Largest names table the page sends with a search (a first-paint tree names at most 4,000 frames). */
export const SEARCH_NAMES_MAX = 20_000;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown, max = Number.MAX_SAFE_INTEGER): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
const isStr = (x: unknown, max = 4096): x is string => typeof x === 'string' && x.length <= max;

/** Validates a message from the webview; undefined for anything malformed. */
export function parseFromWebview(x: unknown): FromWebview | undefined {
  if (!isObj(x) || typeof x.type !== 'string') return undefined;
  switch (x.type) {
    case 'ready': {
      const collapsed =
        Array.isArray(x.collapsed) && x.collapsed.length <= 64 && x.collapsed.every((n) => isStr(n) && n !== '')
          ? (x.collapsed as string[])
          : undefined;
      return {
        type: 'ready',
        ...(typeof x.inverted === 'boolean' ? { inverted: x.inverted } : {}),
        ...(collapsed?.length ? { collapsed } : {}),
      };
    }
    case 'clearCompare':
      return { type: x.type };
    case 'setInverted':
      return typeof x.inverted === 'boolean' ? { type: 'setInverted', inverted: x.inverted } : undefined;
    case 'shown':
      return (x.request === 'focusFunction' || x.request === 'showSandwich') && isStr(x.name)
        ? { type: 'shown', request: x.request, name: x.name }
        : undefined;
    case 'requestSandwich':
      return isStr(x.name) && x.name !== ''
        ? {
            type: 'requestSandwich',
            name: x.name,
            ...(isInt(x.sampleIndex, 1000) ? { sampleIndex: x.sampleIndex } : {}),
          }
        : undefined;
    case 'transform':
      return TRANSFORM_OPS.includes(x.op as TransformOp) && isStr(x.name) && x.name !== ''
        ? { type: 'transform', op: x.op as TransformOp, name: x.name }
        : undefined;
    case 'uncollapse':
      return isStr(x.name) && x.name !== '' ? { type: 'uncollapse', name: x.name } : undefined;
    case 'undoTransform':
    case 'copyCommand':
      return { type: x.type };
    case 'setSampleType':
      return isInt(x.index, 1000) ? { type: 'setSampleType', index: x.index } : undefined;
    case 'openSource':
      return isStr(x.file) && isInt(x.line, 10_000_000) && isStr(x.name)
        ? { type: 'openSource', file: x.file, line: x.line, name: x.name }
        : undefined;
    case 'clearFilter':
      return x.filter === null || isStr(x.filter, 64) ? { type: 'clearFilter', filter: x.filter } : undefined;
    case 'requestLabels':
      return { type: x.type };
    case 'setTagFocus':
      return isStr(x.value) && x.value !== '' ? { type: 'setTagFocus', value: x.value } : undefined;
    case 'setPivot':
      return Array.isArray(x.keys) && x.keys.length <= 8 && x.keys.every((k) => isStr(k, 256) && k !== '')
        ? { type: 'setPivot', keys: x.keys as string[] }
        : undefined;
    case 'search':
      if (!isInt(x.id) || !isStr(x.query, 1000)) return undefined;
      if (x.names === undefined) return { type: 'search', id: x.id, query: x.query };
      return Array.isArray(x.names) &&
        x.names.length <= SEARCH_NAMES_MAX &&
        x.names.every((n) => typeof n === 'string' && n.length <= 100_000)
        ? { type: 'search', id: x.id, query: x.query, names: x.names as string[] }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The profile summary editor (a read-only custom editor) posts only its buttons' actions: show
 * the overlays, switch the sample type, list the source files not found. The host renders the
 * page (it sends no messages: the page is rendered again when the sample type changes).
 */
export type FromSummary =
  { readonly type: 'showOverlays' } | { readonly type: 'switchSampleType' } | { readonly type: 'showUnresolved' };

/** The summary page's buttons (element id → the message its click posts). */
export const SUMMARY_BUTTONS: Readonly<Record<string, FromSummary['type']>> = {
  show: 'showOverlays',
  switch: 'switchSampleType',
  unresolved: 'showUnresolved',
};

/** Validates a message from the summary editor; undefined for anything malformed. */
export function parseFromSummary(x: unknown): FromSummary | undefined {
  if (!isObj(x) || typeof x.type !== 'string') return undefined;
  switch (x.type) {
    case 'showOverlays':
    case 'switchSampleType':
    case 'showUnresolved':
      return { type: x.type };
    default:
      return undefined;
  }
}
