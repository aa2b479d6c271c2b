/**
 * The panel's header: title, comparison and filter chips (× removes one, through the host),
 * sample type, orientation, reset and the search box. Search is pure (search.ts); this module
 * keeps its result in the state and says how much it matched.
 */
import { el } from './dom';
import { draw, revealRoot, zoomTo } from './graph';
import { searchFor } from './goSearch';
import { fmt, type Mode, pct, persist, persistSoon, post, state } from './state';

export const titleEl = el('span', { className: 'title' });
export const chips = el('span', { className: 'chips' });
export const sampleSelect = el('select', { id: 'sample-type', title: 'Sample type' });
export const orientBtn = el('button', {
  id: 'orientation',
  title: 'Flip between icicle (root on top) and flame (root at the bottom)',
});
export const resetBtn = el('button', { id: 'reset', textContent: 'Reset zoom', title: 'Reset zoom (Esc)' });
export const searchInput = el('input', {
  id: 'search',
  type: 'search',
  placeholder: 'Search functions (Go regexp)',
  title: 'Highlight matching frames (/)',
});
export const searchInfo = el('span', { id: 'search-info', className: 'muted' });

const TABS: [Mode, string, string][] = [
  ['flame', 'Flame graph', 'The merged call tree as a flame graph (1)'],
  ['tree', 'Call tree', 'The merged call tree as an expandable table (2)'],
  ['sandwich', 'Callers / callees', "One function's callers above and callees below, over all its calls (3)"],
  [
    'labels',
    'Labels',
    'Label keys and values (pprof -tags); click a value to focus on it, group the graph by a key (4)',
  ],
];
export const tabs = el('div', { id: 'view-tabs', role: 'tablist', ariaLabel: 'View' });
const tabButtons = TABS.map(([mode, label, title]) => {
  // The flame graph's tab keeps the id it had before the other views came (tab-graph).
  const b = el('button', {
    id: mode === 'flame' ? 'tab-graph' : `tab-${mode}`,
    role: 'tab',
    className: 'tab',
    textContent: label,
    title,
  });
  b.dataset.mode = mode;
  tabs.append(b);
  return b;
});
export const invertBtn = el('button', {
  id: 'inverted',
  textContent: 'Inverted',
  title: 'Bottom-up: the functions that use the time at the root, their callers above them (I)',
});
export const undoBtn = el('button', {
  id: 'undo',
  textContent: 'Undo',
  title: 'Undo the last transform (Ctrl+Z)',
  disabled: true,
});
export const copyBtn = el('button', {
  id: 'copy-command',
  textContent: 'Copy pprof command',
  title: 'Copy the go tool pprof command line that shows this view',
});
export const orderBtn = el('button', {
  id: 'order',
  title: 'Siblings heaviest first (left-heavy) or by name (O)',
});

export const header = el(
  'header',
  {},
  titleEl,
  chips,
  el('span', { className: 'spacer' }),
  tabs,
  undoBtn,
  sampleSelect,
  invertBtn,
  orderBtn,
  orientBtn,
  resetBtn,
  copyBtn,
  searchInput,
  searchInfo,
);

export function renderToolbar(): void {
  const v = state.view!;
  titleEl.textContent = v.title;
  sampleSelect.replaceChildren(
    ...v.sampleTypes.map((t, i) =>
      el('option', { value: String(i), textContent: t.type, selected: i === v.sampleIndex }),
    ),
  );
  renderToggles();
  searchInput.value = state.search;
  chips.replaceChildren();
  if (v.compare) {
    const x = el('button', { className: 'chip-x', textContent: '×', title: 'Stop comparing' });
    x.addEventListener('click', () => post({ type: 'clearCompare' }));
    chips.append(el('span', { className: 'chip compare', textContent: v.compare }, x));
  }
  for (const f of v.filters) {
    const x = el('button', { className: 'chip-x', textContent: '×', title: `Remove ${f}` });
    x.addEventListener('click', () => post({ type: 'clearFilter', filter: f.slice(0, f.indexOf('=')) }));
    // The chip names pprof's flag, as "Copy pprof command" writes it; hide= says what it does.
    const what = f.startsWith('hide=') ? 'frames hidden, their cost merged into their callers (pprof -hide)' : '';
    chips.append(el('span', { className: 'chip filter', textContent: f, ...(what ? { title: what } : {}) }, x));
  }
  for (const name of v.collapsed ?? []) {
    const x = el('button', {
      className: 'chip-x',
      textContent: '×',
      title: `Stop collapsing the recursion of ${name}`,
    });
    x.addEventListener('click', () => post({ type: 'uncollapse', name }));
    chips.append(el('span', { className: 'chip collapse', textContent: `collapse recursion=${name}` }, x));
  }
}

/** The tabs, Inverted, order and orientation buttons as the state has them. */
export function renderToggles(): void {
  for (const b of tabButtons) {
    const on = b.dataset.mode === state.mode;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  invertBtn.setAttribute('aria-pressed', String(state.inverted));
  orderBtn.textContent = state.order === 'heavy' ? 'Heaviest first' : 'By name';
  orientBtn.textContent = state.orientation === 'icicle' ? 'Icicle' : 'Flame';
}

/** Empties the header (no view). */
export function clearToolbar(): void {
  titleEl.textContent = 'pprof: Flame Graph';
  sampleSelect.replaceChildren();
  chips.replaceChildren();
}

/** The tree state.highlight was computed for. */
let highlightOf: object | undefined;

/** Highlights the frames the search box matches (state.highlight) and says how much they hold. */
export function applySearch(): void {
  const v = state.view;
  if (!v) return;
  const q = state.search.trim();
  if (q === '') {
    state.highlight = undefined;
    searchInfo.textContent = '';
    return;
  }
  // Go regexps, matched in the worker (goSearch.ts): the answer comes back as a message and
  // applySearch runs again; meanwhile the previous highlight stays.
  const t0 = performance.now();
  const r = searchFor(v.key, q, v.flame);
  if (!r) {
    searchInfo.dataset.pending = '1';
    if (highlightOf !== v.flame) state.highlight = undefined; // another tree's marks
    return;
  }
  highlightOf = v.flame;
  delete searchInfo.dataset.pending;
  searchInfo.dataset.ms = (performance.now() - t0 + r.answer.ms).toFixed(1);
  state.highlight = r.highlight;
  const why = r.answer.literal !== undefined ? ' (searched as text: not a Go regexp)' : '';
  const partial = r.answer.complete ? '' : ' (stopped early: too slow)';
  searchInfo.textContent =
    (r.frames === 0 ? 'no match' : `${r.frames} frames · matched ${fmt(r.matched)} (${pct(r.matched)} of total)`) +
    why +
    partial;
  searchInfo.title = r.answer.literal ?? '';
}

export interface ToolbarHandlers {
  /** The user picked sample type i. */
  onSampleType(i: number): void;
  onMode(mode: Mode): void;
  onInverted(): void;
  onOrder(): void;
}

export function initToolbar(h: ToolbarHandlers): void {
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
  });
  sampleSelect.addEventListener('change', () => h.onSampleType(Number(sampleSelect.value)));
  orientBtn.addEventListener('click', () => {
    state.orientation = state.orientation === 'icicle' ? 'flame' : 'icicle';
    renderToggles();
    persist();
    draw();
    // The root's row moved to the other end (the bottom in a flame graph): bring it into view.
    revealRoot();
  });
  for (const b of tabButtons) b.addEventListener('click', () => h.onMode(b.dataset.mode as Mode));
  // A tab list: arrow keys move between the tabs (and show them).
  tabs.addEventListener('keydown', (ev) => {
    const k = tabButtons.indexOf(document.activeElement as HTMLButtonElement);
    if (k < 0 || (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight')) return;
    ev.preventDefault();
    const next = tabButtons[(k + (ev.key === 'ArrowLeft' ? -1 : 1) + tabButtons.length) % tabButtons.length]!;
    next.focus();
    h.onMode(next.dataset.mode as Mode);
  });
  invertBtn.addEventListener('click', () => h.onInverted());
  undoBtn.addEventListener('click', () => post({ type: 'undoTransform' }));
  copyBtn.addEventListener('click', () => post({ type: 'copyCommand' }));
  orderBtn.addEventListener('click', () => h.onOrder());
  resetBtn.addEventListener('click', () => zoomTo(0));
}
