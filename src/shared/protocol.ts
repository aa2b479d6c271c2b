/**
 * The one protocol between the extension host and the flame graph webview. The webview posts
 * `ready` once its script runs; the host answers with `init`, then `update` whenever the profile,
 * the sample type, the comparison or the filters change (from the panel or from the editor).
 * Messages from the webview are untrusted: the host accepts them only through parseFromWebview.
 * Imports nothing: the host, the worker, the webview and the tests all share it.
 */

/**
 * The flame graph's data as it crosses from the extension host to the webview: a merged call
 * tree in preorder, index-based and JSON-safe (plain arrays: the webview message channel
 * serializes to JSON). Node 0 is the root ("all"). The children of a node follow it directly,
 * heaviest first, and its subtree is the index range [i, i + subtree[i]).
 *
 * Widths come from `weight` (the sum of |value| of the samples through a node), so that a
 * comparison, whose values are signed, still lays out; `total` and `self` keep the sign.
 */
export interface FlameData {
  /** Function names; nodeName indexes it (-1 for the root). */
  readonly names: string[];
  /** Source files; nodeFile indexes it (-1 when unknown). */
  readonly files: string[];
  readonly nodeName: number[];
  readonly nodeFile: number[];
  /** The source line to open for the node: where most of its value was sampled or called. */
  readonly nodeLine: number[];
  readonly depth: number[];
  /** 1 when the frame was inlined into its caller. */
  readonly inlined: number[];
  /** Offset of the node's left edge from the root's, in weight units. */
  readonly start: number[];
  readonly weight: number[];
  /** Signed cum and flat values. */
  readonly total: number[];
  readonly self: number[];
  readonly subtree: number[];
  readonly maxDepth: number;
  /** The denominator of percentages (pprof's report total). */
  readonly reportTotal: number;
}

export interface SampleTypeInfo {
  readonly type: string;
  readonly unit: string;
}

export interface TopRow {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly flat: number;
  readonly cum: number;
}

export interface ViewModel {
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
  readonly flame: FlameData;
  readonly top: readonly TopRow[];
}

export type ToWebview =
  | { readonly type: 'init'; readonly view: ViewModel }
  | { readonly type: 'update'; readonly view: ViewModel }
  /** Zoom to (and select) the first frame of this function, e.g. from a CodeLens. */
  | { readonly type: 'focusFunction'; readonly name: string }
  /** Put `query` in the search box and highlight the frames it matches ("" clears). */
  | { readonly type: 'highlight'; readonly query: string };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'setSampleType'; readonly index: number }
  | { readonly type: 'openSource'; readonly file: string; readonly line: number; readonly name: string }
  | { readonly type: 'clearFilter'; readonly filter: string | null }
  | { readonly type: 'clearCompare' }
  /** The search box changed (debounced); the host may mirror it elsewhere. */
  | { readonly type: 'setFilter'; readonly query: string };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown, max = Number.MAX_SAFE_INTEGER): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
const isStr = (x: unknown, max = 4096): x is string => typeof x === 'string' && x.length <= max;

/** Validates a message from the webview; undefined for anything malformed. */
export function parseFromWebview(x: unknown): FromWebview | undefined {
  if (!isObj(x) || typeof x.type !== 'string') return undefined;
  switch (x.type) {
    case 'ready':
    case 'clearCompare':
      return { type: x.type };
    case 'setSampleType':
      return isInt(x.index, 1000) ? { type: 'setSampleType', index: x.index } : undefined;
    case 'openSource':
      return isStr(x.file) && isInt(x.line, 10_000_000) && isStr(x.name)
        ? { type: 'openSource', file: x.file, line: x.line, name: x.name }
        : undefined;
    case 'clearFilter':
      return x.filter === null || isStr(x.filter, 64) ? { type: 'clearFilter', filter: x.filter } : undefined;
    case 'setFilter':
      return isStr(x.query) ? { type: 'setFilter', query: x.query } : undefined;
    default:
      return undefined;
  }
}
