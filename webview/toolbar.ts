/**
 * The panel's header: title, comparison and filter chips (× removes one, through the host),
 * sample type, orientation, reset and the search box. Search is pure (search.ts); this module
 * keeps its result in the state and says how much it matched.
 */
import { el } from './dom';
import { draw, zoomTo } from './graph';
import { searchFlame, searchPattern } from './search';
import { fmt, pct, persist, persistSoon, post, state } from './state';

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
  placeholder: 'Search functions (regexp)',
  title: 'Highlight matching frames (/)',
});
export const searchInfo = el('span', { id: 'search-info', className: 'muted' });

export const header = el(
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
);

export function renderToolbar(): void {
  const v = state.view!;
  titleEl.textContent = v.title;
  sampleSelect.replaceChildren(
    ...v.sampleTypes.map((t, i) =>
      el('option', { value: String(i), textContent: t.type, selected: i === v.sampleIndex }),
    ),
  );
  orientBtn.textContent = state.orientation === 'icicle' ? 'Icicle' : 'Flame';
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
    chips.append(el('span', { className: 'chip filter', textContent: f }, x));
  }
}

/** Empties the header (no view). */
export function clearToolbar(): void {
  titleEl.textContent = 'pprof: Flame Graph';
  sampleSelect.replaceChildren();
  chips.replaceChildren();
}

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
  const t0 = performance.now();
  const r = searchFlame(v.flame, searchPattern(q));
  searchInfo.dataset.ms = (performance.now() - t0).toFixed(1);
  state.highlight = r.highlight;
  searchInfo.textContent =
    r.frames === 0 ? 'no match' : `${r.frames} frames · matched ${fmt(r.matched)} (${pct(r.matched)} of total)`;
}

export interface ToolbarHandlers {
  /** The user picked sample type i. */
  onSampleType(i: number): void;
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
    orientBtn.textContent = state.orientation === 'icicle' ? 'Icicle' : 'Flame';
    persist();
    draw();
  });
  resetBtn.addEventListener('click', () => zoomTo(0));
}
