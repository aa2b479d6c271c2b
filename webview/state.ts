/**
 * The panel's state, in one object every module reads: the view on screen, zoom and selection,
 * search, sort, scroll; the part worth keeping goes to VS Code with setState (persist), so the
 * panel comes back as it was after being hidden or after a window reload. Also the one channel
 * to the host (post), typed by src/shared/protocol.ts.
 */
import type { FlameData } from '../src/shared/flame';
import type { FromWebview, ViewModel } from '../src/shared/protocol';
import { percentage, scaledLabel } from '../src/shared/units';
import type { Boxes, Orientation } from './flame/layout';
import type { SortKey } from './table';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What setState keeps. */
export interface SavedState {
  orientation: Orientation;
  zoomPath: string[];
  /** The selected frame as names from the root (empty: the zoom root). */
  selectedPath?: string[];
  search: string;
  sort: SortKey;
  sortDesc: boolean;
  /** First row shown in the top table, and the page's scroll offset. */
  tableRow?: number;
  scrollY?: number;
}

/** The view with its tree unpacked. */
export type View = Omit<ViewModel, 'flame'> & { readonly flame: FlameData };

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
const strings = (x: unknown): string[] | undefined =>
  Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : undefined;

/** Sends a message to the extension host. */
export function post(m: FromWebview): void {
  vscode.postMessage(m);
}

export const state = {
  view: undefined as View | undefined,
  orientation: (saved.orientation === 'flame' ? 'flame' : 'icicle') as Orientation,
  zoom: 0,
  zoomPath: strings(saved.zoomPath) ?? [],
  selectedPath: strings(saved.selectedPath),
  selected: -1,
  tableRow: typeof saved.tableRow === 'number' ? saved.tableRow : 0,
  scrollY: typeof saved.scrollY === 'number' ? saved.scrollY : 0,
  restored: false,
  search: typeof saved.search === 'string' ? saved.search : '',
  highlight: undefined as Uint8Array | undefined,
  sort: (saved.sort === 'cum' || saved.sort === 'name' ? saved.sort : 'flat') as SortKey,
  sortDesc: saved.sortDesc ?? true,
  boxes: undefined as Boxes | undefined,
};

export function persist(): void {
  clearTimeout(persistTimer);
  const s: SavedState = {
    orientation: state.orientation,
    zoomPath: state.zoomPath,
    search: state.search,
    sort: state.sort,
    sortDesc: state.sortDesc,
    tableRow: state.tableRow,
    scrollY: state.scrollY,
    ...(state.selectedPath ? { selectedPath: state.selectedPath } : {}),
  };
  vscode.setState(s);
}
let persistTimer: ReturnType<typeof setTimeout> | undefined;
/** Persists after a short pause (scrolling, typing). */
export function persistSoon(): void {
  clearTimeout(persistTimer);
  persistTimer = setTimeout(persist, 200);
}

// ---- formatting -----------------------------------------------------------------------------
function unit(): string {
  const v = state.view!;
  return v.sampleTypes[v.sampleIndex]?.unit ?? '';
}
/** A value in the view's unit, signed (+) when comparing. */
export function fmt(v: number): string {
  const s = scaledLabel(v, unit(), 'minimum');
  return state.view?.compare && v > 0 ? `+${s}` : s;
}
/** A value's share of the report total. */
export function pct(v: number): string {
  return percentage(v, state.view!.flame.reportTotal).trim();
}
