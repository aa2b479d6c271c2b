/**
 * The flame graph panel: toolbar (sample type, orientation, reset, search), breadcrumbs, the
 * Canvas2D flame graph with tooltips and keyboard navigation, and the virtualised top table. It
 * talks to the extension host only through src/shared/protocol.ts. Every name from the profile
 * is put in the page with textContent or drawn on the canvas: never parsed as HTML.
 *
 * The page shares the workbench's main thread (a same-site iframe), so nothing here may stall:
 * the tree arrives as typed columns, drawing is coalesced to one per animation frame and costs
 * what is visible (layout culls sub-pixel frames), search tests each distinct name once, and the
 * table renders only the rows in view. State (orientation, zoom, selection, search, sort, table
 * and page scroll) is kept with setState, so the panel comes back as it was after being hidden
 * or after a window reload.
 */
import { type FlameData, isPackedFlame, pathTo, unpackFlame } from '../src/shared/flame';
import type { FromWebview, ToWebview, ViewModel } from '../src/shared/protocol';
import { percentage, scaledLabel } from '../src/shared/units';
import { searchFlame, searchPattern } from './search';
import { type SortKey, VirtualTable } from './table';
import { frameColor, type Kind, type Theme } from './flame/colors';
import { hitTest, layout, type Boxes, type Orientation } from './flame/layout';
import { nameOf, render } from './flame/render';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
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
type View = Omit<ViewModel, 'flame'> & { readonly flame: FlameData };

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
const ROW = 18;

const state = {
  view: undefined as View | undefined,
  orientation: (saved.orientation ?? 'icicle') as Orientation,
  zoom: 0,
  zoomPath: Array.isArray(saved.zoomPath) ? saved.zoomPath.filter((x) => typeof x === 'string') : [],
  selectedPath: Array.isArray(saved.selectedPath) ? saved.selectedPath.filter((x) => typeof x === 'string') : undefined,
  selected: -1,
  tableRow: typeof saved.tableRow === 'number' ? saved.tableRow : 0,
  scrollY: typeof saved.scrollY === 'number' ? saved.scrollY : 0,
  restored: false,
  search: saved.search ?? '',
  highlight: undefined as Uint8Array | undefined,
  sort: (saved.sort === 'cum' || saved.sort === 'name' ? saved.sort : 'flat') as SortKey,
  sortDesc: saved.sortDesc ?? true,
  boxes: undefined as Boxes | undefined,
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...kids: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const k of kids) e.append(typeof k === 'string' ? document.createTextNode(k) : k);
  return e;
}

// ---- page skeleton --------------------------------------------------------------------------
const titleEl = el('span', { className: 'title' });
const chips = el('span', { className: 'chips' });
const sampleSelect = el('select', { id: 'sample-type', title: 'Sample type' });
const orientBtn = el('button', {
  id: 'orientation',
  title: 'Flip between icicle (root on top) and flame (root at the bottom)',
});
const resetBtn = el('button', { id: 'reset', textContent: 'Reset zoom', title: 'Reset zoom (Esc)' });
const searchInput = el('input', {
  id: 'search',
  type: 'search',
  placeholder: 'Search functions (regexp)',
  title: 'Highlight matching frames (/)',
});
const searchInfo = el('span', { id: 'search-info', className: 'muted' });
const crumbs = el('nav', { id: 'breadcrumbs', ariaLabel: 'Zoom path' });
const canvas = el('canvas', {
  id: 'flame',
  tabIndex: 0,
  ariaLabel: 'Flame graph. Arrow keys move, Enter opens the source, Esc resets the zoom.',
});
const canvasWrap = el('div', { id: 'flame-wrap' }, canvas);
// Hidden until the pointer is over a frame: never an empty box.
const tooltip = el('div', { id: 'tooltip', role: 'tooltip', hidden: true });
const table = new VirtualTable();
const empty = el('div', { id: 'empty', className: 'muted', textContent: 'No samples of this type.', hidden: true });
/** Loading, placeholder and "too large" messages. */
const notice = el('div', { id: 'notice', role: 'status', hidden: true });
const LEGEND: [Kind, string][] = [
  ['user', 'your module'],
  ['std', 'standard library'],
  ['runtime', 'runtime'],
  ['dep', 'dependencies'],
];
const legend = el('div', { id: 'legend', className: 'muted' });
function renderLegend(): void {
  legend.replaceChildren(
    ...LEGEND.map(([k, label]) => {
      const sw = el('span', { className: 'swatch' });
      sw.style.background = frameColor(k, '', theme());
      return el('span', { className: 'legend-item' }, sw, label);
    }),
  );
}
document.body.append(
  el(
    'header',
    {},
    titleEl,
    chips,
    el('span', { className: 'spacer' }),
    sampleSelect,
    orientBtn,
    resetBtn,
    searchInput,
    searchInfo,
  ),
  el('div', { className: 'bar' }, crumbs, legend),
  notice,
  canvasWrap,
  empty,
  el('h2', { textContent: 'Top functions' }),
  table.scroller,
  tooltip,
);

function theme(): Theme {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast') || c.contains('vscode-high-contrast-light')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}

function persist(): void {
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
function persistSoon(): void {
  clearTimeout(persistTimer);
  persistTimer = setTimeout(persist, 200);
}

function showNotice(text: string, kind: 'info' | 'loading' | 'warning' = 'info'): void {
  notice.textContent = text;
  notice.className = kind;
  notice.hidden = text === '';
}

// ---- formatting -----------------------------------------------------------------------------
function unit(): string {
  const v = state.view!;
  return v.sampleTypes[v.sampleIndex]?.unit ?? '';
}
function fmt(v: number): string {
  const s = scaledLabel(v, unit(), 'minimum');
  return state.view?.compare && v > 0 ? `+${s}` : s;
}
function pct(v: number): string {
  return percentage(v, state.view!.flame.reportTotal).trim();
}

// ---- flame graph ----------------------------------------------------------------------------
let drawPending = 0;
/** Draws on the next animation frame; several requests in one frame (resizes, theme changes) draw once. */
function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = requestAnimationFrame(() => {
    drawPending = 0;
    drawNow();
  });
}

/** Draws now (user actions: the work is proportional to what is visible). */
function draw(): void {
  if (drawPending) {
    cancelAnimationFrame(drawPending);
    drawPending = 0;
  }
  drawNow();
}

function drawNow(): void {
  const v = state.view;
  if (!v) return;
  const d = v.flame;
  const width = Math.max(100, canvasWrap.clientWidth);
  state.boxes = layout(d, { zoom: state.zoom, width, rowHeight: ROW, orientation: state.orientation });
  const height = Math.max(ROW, state.boxes.height);
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const fontFamily = getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family') || 'monospace';
  render(ctx, d, state.boxes, {
    rowHeight: ROW,
    theme: theme(),
    modules: v.modules,
    diff: v.compare !== undefined,
    ...(state.highlight ? { highlight: state.highlight } : {}),
    selected: state.selected,
    font: `12px ${fontFamily}`,
  });
  canvas.dataset.frames = String(state.boxes.count);
  canvas.dataset.zoom = nameOf(d, state.zoom);
  canvas.dataset.selected = state.selected >= 0 ? nameOf(d, state.selected) : '';
  canvas.dataset.sampleIndex = String(v.sampleIndex);
  canvas.dataset.nodes = String(d.nodeName.length);
  // Wall-clock time of this paint, for the benchmark (comparable across frames, unlike performance.now()).
  canvas.dataset.paintedAt = String(Date.now());
  empty.hidden = d.weight[0]! > 0;
  renderCrumbs();
  renderLegend();
}

function renderCrumbs(): void {
  const d = state.view!.flame;
  crumbs.replaceChildren();
  pathTo(d, state.zoom).forEach((i, k, all) => {
    const b = el('button', { className: 'crumb', textContent: nameOf(d, i), title: `Zoom to ${nameOf(d, i)}` });
    b.addEventListener('click', () => zoomTo(i));
    crumbs.append(b);
    if (k < all.length - 1) crumbs.append(el('span', { className: 'sep', textContent: '›' }));
  });
}

function namePath(d: FlameData, i: number): string[] {
  return pathTo(d, i)
    .slice(1)
    .map((j) => nameOf(d, j));
}

function zoomTo(i: number): void {
  const d = state.view!.flame;
  state.zoom = i;
  state.selected = i;
  state.zoomPath = namePath(d, i);
  state.selectedPath = undefined;
  persist();
  draw();
}

function select(i: number): void {
  const d = state.view!.flame;
  state.selected = i;
  state.selectedPath = i === state.zoom ? undefined : namePath(d, i);
  persistSoon();
  draw();
}

/** The node reached by following names from the root, as far as they match. */
function nodeByPath(d: FlameData, names: readonly string[]): number {
  let node = 0;
  for (const name of names) {
    let found = -1;
    for (let c = node + 1; c < node + d.subtree[node]!; c += d.subtree[c]!) {
      if (nameOf(d, c) === name) {
        found = c;
        break;
      }
    }
    if (found < 0) break;
    node = found;
  }
  return node;
}

function boxAt(ev: MouseEvent): number {
  if (!state.boxes) return -1;
  const r = canvas.getBoundingClientRect();
  const k = hitTest(state.boxes, ev.clientX - r.left, ev.clientY - r.top, ROW);
  return k < 0 ? -1 : state.boxes.node[k]!;
}

function showTooltip(i: number, ev: MouseEvent): void {
  const d = state.view!.flame;
  if (i < 0) {
    tooltip.hidden = true;
    return;
  }
  const file = d.nodeFile[i]! >= 0 ? `${d.files[d.nodeFile[i]!]}:${d.nodeLine[i]}` : '';
  tooltip.replaceChildren(
    el('div', { className: 'tt-name', textContent: nameOf(d, i) + (d.inlined[i] ? ' (inline)' : '') }),
    el('div', {
      textContent: `cum ${fmt(d.total[i]!)} (${pct(d.total[i]!)}) · flat ${fmt(d.self[i]!)} (${pct(d.self[i]!)})`,
    }),
    ...(file ? [el('div', { className: 'muted', textContent: file })] : []),
    el('div', { className: 'muted', textContent: 'Click: zoom · Double-click or Enter: open source' }),
  );
  tooltip.hidden = false;
  const x = Math.min(ev.clientX + 12, window.innerWidth - tooltip.offsetWidth - 8);
  tooltip.style.left = `${Math.max(0, x)}px`;
  tooltip.style.top = `${ev.clientY + 14}px`;
}

function openSource(i: number): void {
  const d = state.view!.flame;
  if (i <= 0 || d.nodeFile[i]! < 0) return;
  vscode.postMessage({ type: 'openSource', file: d.files[d.nodeFile[i]!]!, line: d.nodeLine[i]!, name: nameOf(d, i) });
}

canvas.addEventListener('mousemove', (ev) => showTooltip(boxAt(ev), ev));
canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
canvas.addEventListener('click', (ev) => {
  const i = boxAt(ev);
  if (i < 0) return;
  if (ev.ctrlKey || ev.metaKey) openSource(i);
  else zoomTo(i);
  canvas.focus();
});
canvas.addEventListener('dblclick', (ev) => openSource(boxAt(ev)));
canvas.addEventListener('keydown', (ev) => {
  const v = state.view;
  if (!v) return;
  const d = v.flame;
  const cur = state.selected >= 0 ? state.selected : state.zoom;
  let next = -1;
  switch (ev.key) {
    case 'Enter':
      openSource(cur);
      return;
    case 'Escape':
      zoomTo(0);
      return;
    case state.orientation === 'icicle' ? 'ArrowUp' : 'ArrowDown': {
      const p = pathTo(d, cur);
      next = p.length > 1 ? p[p.length - 2]! : cur;
      break;
    }
    case state.orientation === 'icicle' ? 'ArrowDown' : 'ArrowUp':
      next = d.subtree[cur]! > 1 ? cur + 1 : cur;
      break;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const p = pathTo(d, cur);
      if (p.length < 2) return;
      const parent = p[p.length - 2]!;
      const sibs: number[] = [];
      for (let c = parent + 1; c < parent + d.subtree[parent]!; c += d.subtree[c]!) sibs.push(c);
      const k = sibs.indexOf(cur) + (ev.key === 'ArrowLeft' ? -1 : 1);
      next = sibs[Math.max(0, Math.min(sibs.length - 1, k))]!;
      break;
    }
    default:
      return;
  }
  ev.preventDefault();
  // Keep the selection inside the zoomed subtree.
  if (next < state.zoom || next >= state.zoom + d.subtree[state.zoom]!) zoomTo(next);
  else select(next);
});
document.addEventListener('keydown', (ev) => {
  if (ev.key === '/' && document.activeElement !== searchInput) {
    ev.preventDefault();
    searchInput.focus();
  }
});

// ---- search ---------------------------------------------------------------------------------
function applySearch(): void {
  const v = state.view;
  if (!v) return;
  const q = state.search.trim();
  if (q === '') {
    state.highlight = undefined;
    searchInfo.textContent = '';
    return;
  }
  const t0 = performance.now();
  const r = searchFlame(v.flame, searchPattern(q));
  searchInfo.dataset.ms = (performance.now() - t0).toFixed(1);
  state.highlight = r.highlight;
  searchInfo.textContent =
    r.frames === 0 ? 'no match' : `${r.frames} frames · matched ${fmt(r.matched)} (${pct(r.matched)} of total)`;
}
let filterTimer: ReturnType<typeof setTimeout> | undefined;
let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchInput.addEventListener('input', () => {
  state.search = searchInput.value;
  persistSoon();
  // Typing fast searches once it pauses (one pass over the tree per search, not per key).
  clearTimeout(searchTimer);
  searchTimer = setTimeout(
    () => {
      applySearch();
      draw();
    },
    (state.view?.flame.nodeName.length ?? 0) > 50_000 ? 120 : 0,
  );
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => vscode.postMessage({ type: 'setFilter', query: state.search }), 300);
});

// ---- toolbar --------------------------------------------------------------------------------
function renderToolbar(): void {
  const v = state.view!;
  titleEl.textContent = v.title;
  sampleSelect.replaceChildren(
    ...v.sampleTypes.map((t, i) =>
      el('option', { value: String(i), textContent: t.type, selected: i === v.sampleIndex }),
    ),
  );
  orientBtn.textContent = state.orientation === 'icicle' ? 'Icicle' : 'Flame';
  chips.replaceChildren();
  if (v.compare) {
    const x = el('button', { className: 'chip-x', textContent: '×', title: 'Stop comparing' });
    x.addEventListener('click', () => vscode.postMessage({ type: 'clearCompare' }));
    chips.append(el('span', { className: 'chip compare', textContent: v.compare }, x));
  }
  for (const f of v.filters) {
    const x = el('button', { className: 'chip-x', textContent: '×', title: `Remove ${f}` });
    x.addEventListener('click', () => vscode.postMessage({ type: 'clearFilter', filter: f.slice(0, f.indexOf('=')) }));
    chips.append(el('span', { className: 'chip filter', textContent: f }, x));
  }
}
sampleSelect.addEventListener('change', () => {
  const i = Number(sampleSelect.value);
  const key = state.view?.key;
  const held = key ? views.get(`${key.slice(0, key.lastIndexOf('/'))}/${i}`) : undefined;
  // A view held here paints at once; the host then only confirms it (the editor switches too).
  if (held) {
    const t0 = performance.now();
    showView(held);
    canvas.dataset.setViewMs = (performance.now() - t0).toFixed(1);
  } else showNotice(`Loading ${state.view?.sampleTypes[i]?.type ?? 'the sample type'}…`, 'loading');
  vscode.postMessage({ type: 'setSampleType', index: i });
});
orientBtn.addEventListener('click', () => {
  state.orientation = state.orientation === 'icicle' ? 'flame' : 'icicle';
  orientBtn.textContent = state.orientation === 'icicle' ? 'Icicle' : 'Flame';
  persist();
  draw();
});
resetBtn.addEventListener('click', () => zoomTo(0));

// ---- top table ------------------------------------------------------------------------------
function renderTable(firstRow?: number): void {
  const v = state.view!;
  table.set(
    v.top,
    {
      fmt,
      total: v.flame.reportTotal,
      sort: state.sort,
      sortDesc: state.sortDesc,
      onSort: (key, desc) => {
        state.sort = key;
        state.sortDesc = desc;
        persist();
        renderTable();
      },
      onOpen: (r) => {
        const t = v.top;
        if (t.file[r]) vscode.postMessage({ type: 'openSource', file: t.file[r]!, line: t.line[r]!, name: t.name[r]! });
      },
      onScroll: (first) => {
        state.tableRow = first;
        persistSoon();
      },
    },
    firstRow,
  );
}

// ---- messages -------------------------------------------------------------------------------
/** The last views the host sent, by key: a sample-type switch back paints from here at once. */
const WEBVIEW_VIEWS = 6;
const views = new Map<string, View>();

function setView(model: ViewModel): void {
  const view: View = { ...model, flame: isPackedFlame(model.flame) ? unpackFlame(model.flame) : model.flame };
  if (typeof model.key === 'string') {
    views.delete(model.key);
    views.set(model.key, view);
    while (views.size > WEBVIEW_VIEWS) views.delete(views.keys().next().value!);
  }
  showView(view);
}

function showView(view: View): void {
  state.view = view;
  table.scroller.hidden = false;
  state.zoom = nodeByPath(view.flame, state.zoomPath);
  state.selected = state.selectedPath ? nodeByPath(view.flame, state.selectedPath) : state.zoom;
  if (state.selected < state.zoom || state.selected >= state.zoom + view.flame.subtree[state.zoom]!)
    state.selected = state.zoom;
  searchInput.value = state.search;
  showNotice(view.flame.limits?.message ?? '', 'warning');
  renderToolbar();
  applySearch();
  drawNow();
  const first = state.restored ? undefined : state.tableRow;
  renderTable(first);
  if (!state.restored) {
    state.restored = true;
    window.scrollTo(0, state.scrollY);
  }
}

window.addEventListener('scroll', () => {
  state.scrollY = window.scrollY;
  persistSoon();
});

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as ToWebview;
  switch (m?.type) {
    case 'init':
    case 'update': {
      const t0 = performance.now();
      setView(m.view);
      // For the benchmark: host post → here, and the synchronous work of taking the view.
      if (typeof m.sentAt === 'number')
        canvas.dataset.transportMs = String(Date.now() - m.sentAt - Math.round(performance.now() - t0));
      canvas.dataset.setViewMs = (performance.now() - t0).toFixed(1);
      break;
    }
    case 'show': {
      const v = views.get(m.key);
      if (v && state.view !== v) {
        const t0 = performance.now();
        showView(v);
        if (typeof m.sentAt === 'number')
          canvas.dataset.transportMs = String(Date.now() - m.sentAt - Math.round(performance.now() - t0));
        canvas.dataset.setViewMs = (performance.now() - t0).toFixed(1);
      } else if (!v) vscode.postMessage({ type: 'ready' }); // evicted: ask for everything again
      break;
    }
    case 'loading':
      if (state.view && state.view.sampleIndex !== m.sampleIndex)
        showNotice(`Loading ${state.view.sampleTypes[m.sampleIndex]?.type ?? 'the sample type'}…`, 'loading');
      else if (!state.view) showNotice('Building the flame graph…', 'loading');
      break;
    case 'empty':
      state.view = undefined;
      state.boxes = undefined;
      showNotice(m.message, 'info');
      titleEl.textContent = 'pprof: Flame Graph';
      sampleSelect.replaceChildren();
      chips.replaceChildren();
      crumbs.replaceChildren();
      canvas.width = 0;
      canvas.height = 0;
      canvas.style.height = '0px';
      canvas.dataset.frames = '0';
      table.scroller.hidden = true;
      break;
    case 'highlight':
      state.search = m.query;
      searchInput.value = m.query;
      persist();
      applySearch();
      draw();
      break;
    case 'focusFunction': {
      const d = state.view?.flame;
      if (!d) return;
      for (let i = 1; i < d.nodeName.length; i++) {
        if (nameOf(d, i) === m.name) {
          zoomTo(i);
          canvas.focus();
          break;
        }
      }
      break;
    }
  }
});
new ResizeObserver(() => scheduleDraw()).observe(canvasWrap);
new MutationObserver(() => scheduleDraw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
vscode.postMessage({ type: 'ready' });
