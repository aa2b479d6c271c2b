/**
 * The flame graph panel's entry: it lays out the page (toolbar.ts, graph.ts, topTable.ts),
 * holds the last views the host sent and handles the host's messages (src/shared/protocol.ts,
 * one exhaustive switch). The page shares the workbench's main thread (a same-site iframe), so
 * nothing here may stall: the tree arrives as typed columns, drawing is coalesced to one per
 * animation frame and costs what is visible, search tests each distinct name once, and the
 * table renders only the rows in view. Every name from the profile is put in the page with
 * textContent or drawn on the canvas: never parsed as HTML.
 */
import { isPackedFlame, unpackFlame } from '../src/shared/flame';
import type { ToWebview, ViewModel } from '../src/shared/protocol';
import { el } from './dom';
import {
  canvas,
  canvasWrap,
  clearGraph,
  crumbs,
  drawNow,
  empty,
  focusFunction,
  legend,
  nodeByPath,
  notice,
  scheduleDraw,
  showNotice,
} from './graph';
import { initInteraction, tooltip } from './interaction';
import { persistSoon, post, state, type View } from './state';
import { applySearch, clearToolbar, header, initToolbar, renderToolbar, searchInput } from './toolbar';
import { renderTopTable, topTable } from './topTable';

document.body.append(
  header,
  el('div', { className: 'bar' }, crumbs, legend),
  notice,
  canvasWrap,
  empty,
  el('h2', { textContent: 'Top functions' }),
  topTable.scroller,
  tooltip,
);

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
  topTable.scroller.hidden = false;
  state.zoom = nodeByPath(view.flame, state.zoomPath);
  state.selected = state.selectedPath ? nodeByPath(view.flame, state.selectedPath) : state.zoom;
  if (state.selected < state.zoom || state.selected >= state.zoom + view.flame.subtree[state.zoom]!)
    state.selected = state.zoom;
  showNotice(view.flame.limits?.message ?? '', 'warning');
  renderToolbar();
  applySearch();
  drawNow();
  const first = state.restored ? undefined : state.tableRow;
  renderTopTable(first);
  if (!state.restored) {
    state.restored = true;
    window.scrollTo(0, state.scrollY);
  }
}

/** Shows a view and records, for the benchmark, the transport time and the synchronous work. */
function timed(show: () => void, sentAt: number | undefined): void {
  const t0 = performance.now();
  show();
  if (typeof sentAt === 'number')
    canvas.dataset.transportMs = String(Date.now() - sentAt - Math.round(performance.now() - t0));
  canvas.dataset.setViewMs = (performance.now() - t0).toFixed(1);
}

function onMessage(m: ToWebview): void {
  switch (m.type) {
    case 'init':
    case 'update':
      timed(() => setView(m.view), m.sentAt);
      return;
    case 'show': {
      const v = views.get(m.key);
      if (v && state.view !== v) timed(() => showView(v), m.sentAt);
      else if (!v) post({ type: 'ready' }); // evicted: ask for everything again
      return;
    }
    case 'loading':
      if (state.view && state.view.sampleIndex !== m.sampleIndex)
        showNotice(`Loading ${state.view.sampleTypes[m.sampleIndex]?.type ?? 'the sample type'}…`, 'loading');
      else if (!state.view) showNotice('Building the flame graph…', 'loading');
      return;
    case 'empty':
      clearGraph();
      clearToolbar();
      showNotice(m.message, 'info');
      topTable.scroller.hidden = true;
      return;
    case 'focusFunction':
      focusFunction(m.name);
      return;
    default: {
      const never: never = m;
      return never;
    }
  }
}

initToolbar({
  onSampleType: (i) => {
    const key = state.view?.key;
    const held = key ? views.get(`${key.slice(0, key.lastIndexOf('/'))}/${i}`) : undefined;
    // A view held here paints at once; the host then only confirms it (the editor switches too).
    if (held) {
      const t0 = performance.now();
      showView(held);
      canvas.dataset.setViewMs = (performance.now() - t0).toFixed(1);
    } else showNotice(`Loading ${state.view?.sampleTypes[i]?.type ?? 'the sample type'}…`, 'loading');
    post({ type: 'setSampleType', index: i });
  },
});
initInteraction(searchInput);

window.addEventListener('scroll', () => {
  state.scrollY = window.scrollY;
  persistSoon();
});
window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as ToWebview | undefined;
  if (m && typeof m === 'object' && typeof m.type === 'string') onMessage(m);
});
new ResizeObserver(() => scheduleDraw()).observe(canvasWrap);
new MutationObserver(() => scheduleDraw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
post({ type: 'ready' });
