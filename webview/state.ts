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
import type { SiblingOrder } from './flame/order';
import type { SortKey } from './table';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What the panel shows: the flame graph, the call tree table, or one function's callers and callees. */
export type Mode = 'flame' | 'tree' | 'sandwich' | 'labels';

/** What setState keeps. */
export interface SavedState {
  mode?: Mode;
  /** Bottom-up tree (the host builds it). */
  inverted?: boolean;
  order?: SiblingOrder;
  /** The function the sandwich is about. */
  sandwich?: string;
  /** Call tree: the expanded rows, as name paths from the root. */
  expanded?: string[][];
  /** Functions whose recursion the tree collapses (the host applies it; sent back on ready). */
  collapsed?: string[];
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
  /** Editor → graph highlighting (the "Follow editor" toggle). */
  followEditor?: boolean;
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
  mode: (saved.mode === 'tree' || saved.mode === 'sandwich' || saved.mode === 'labels' ? saved.mode : 'flame') as Mode,
  inverted: saved.inverted === true,
  order: (saved.order === 'name' ? 'name' : 'heavy') as SiblingOrder,
  sandwich: typeof saved.sandwich === 'string' ? saved.sandwich : undefined,
  expanded: Array.isArray(saved.expanded) ? saved.expanded.map(strings).filter((x): x is string[] => !!x) : [],
  collapsed: strings(saved.collapsed) ?? [],
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
  followEditor: saved.followEditor !== false,
};

/**
 * Calls between modules that would otherwise import each other (app.ts sets them): the mode
 * changed (show and hide the sections), and the actions menu of a function.
 */
export const hooks = {
  modeChanged: (): void => {},
  showSandwich: (_name: string): void => {},
  frameMenu: (_name: string, _x: number, _y: number, _from: HTMLElement, _open?: () => void): void => {},
};

export function persist(): void {
  clearTimeout(persistTimer);
  const s: SavedState = {
    mode: state.mode,
    inverted: state.inverted,
    order: state.order,
    ...(state.sandwich !== undefined ? { sandwich: state.sandwich } : {}),
    expanded: state.expanded,
    collapsed: state.collapsed,
    orientation: state.orientation,
    zoomPath: state.zoomPath,
    search: state.search,
    sort: state.sort,
    sortDesc: state.sortDesc,
    tableRow: state.tableRow,
    scrollY: state.scrollY,
    followEditor: state.followEditor,
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
