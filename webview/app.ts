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
  draw,
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
import { persist, persistSoon, post, state, type View } from './state';
import { applySearch, clearToolbar, header, initToolbar, renderToolbar, searchInfo, searchInput } from './toolbar';
import { renderTopTable, topTable } from './topTable';
import { followBtn, followCursor, setCursor, setFollow } from './cursor';
import { diffLayout } from './diff';
import { dropPending, takeAnswer } from './goSearch';
import { initLabels, labelsPanel, onLabels, onViewShown, tabs } from './labels';
import { plainText } from '../src/shared/text';

const bar = el('div', { className: 'bar' }, crumbs, legend);
const topHeading = el('h2', { textContent: 'Top functions' });
document.body.append(header, tabs, bar, notice, canvasWrap, empty, topHeading, topTable.scroller, labelsPanel, tooltip);
header.insertBefore(followBtn, searchInput);
initLabels([bar, canvasWrap, topHeading, topTable.scroller]);

/** The last views the host sent, by key: a sample-type switch back paints from here at once. */
const WEBVIEW_VIEWS = 6;
const views = new Map<string, View>();

function setView(model: ViewModel): void {
  let flame = isPackedFlame(model.flame) ? unpackFlame(model.flame) : model.flame;
  // Names are drawn and shown as plain text: no bidi controls, no line breaks (src/shared/text).
  flame = { ...flame, names: flame.names.map(plainText) };
  // Comparing: widths from the new profile, colours by the change (diff.ts).
  if (model.compare !== undefined) flame = diffLayout(flame);
  const top = { ...model.top, name: model.top.name.map(plainText) };
  const view: View = { ...model, flame, top };
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
  onViewShown();
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
    case 'labels':
      onLabels(m.key, m.report);
      return;
    case 'searchResult':
      if (takeAnswer(m)) {
        applySearch();
        draw();
      }
      return;
    case 'searchError':
      if (dropPending(m.id)) searchInfo.textContent = `search failed: ${m.message}`;
      return;
    case 'cursor': {
      if (!followCursor()) return;
      const t0 = performance.now();
      setCursor(m.cursor);
      draw();
      topTable.refresh();
      canvas.dataset.cursorMs = (performance.now() - t0).toFixed(1);
      canvas.dataset.cursor = `${m.cursor.func ?? ''}:${m.cursor.line}`;
      return;
    }
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
setFollow(state.followEditor);
followBtn.addEventListener('click', () => {
  state.followEditor = !followCursor();
  setFollow(state.followEditor);
  persist();
  draw();
  topTable.refresh();
});

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
