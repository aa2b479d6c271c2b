/**
 * The flame graph panel's entry: it lays out the page (toolbar.ts, graph.ts, sandwich.ts,
 * topTable.ts), switches between the views, holds the last views the host sent and handles the
 * host's messages (src/shared/protocol.ts, one exhaustive switch). The page shares the
 * workbench's main thread (a same-site iframe), so nothing here may stall: the tree arrives as
 * typed columns, drawing is coalesced to one per animation frame and costs what is visible,
 * search tests each distinct name once, and the tables render only the rows in view. Every name
 * from the profile is put in the page with textContent or drawn on the canvas: never parsed as
 * HTML.
 */
import { isPackedFlame, unpackFlame } from '../src/shared/flame';
import type { ToWebview, TransformOp, ViewModel } from '../src/shared/protocol';
import { renderCallTree, revealInTree, treeSection } from './callTree';
import { el } from './dom';
import { nameOf } from './flame/render';
import {
  canvas,
  clearGraph,
  draw,
  drawNow,
  flameSection,
  focusFunction,
  nodeByPath,
  notice,
  revealNode,
  scheduleDraw,
  showNotice,
} from './graph';
import { initInteraction, tooltip } from './interaction';
import { closeMenu, menu, type MenuItem, openMenu } from './menu';
import {
  drawSandwich,
  receiveSandwich,
  requestSandwich,
  sandwichFailed,
  sandwichSection,
  showSandwich,
} from './sandwich';
import { hooks, type Mode, persist, persistSoon, post, state, type View } from './state';
import {
  applySearch,
  clearToolbar,
  header,
  initToolbar,
  renderToggles,
  renderToolbar,
  searchInfo,
  searchInput,
  undoBtn,
} from './toolbar';
import { renderTopTable, topTable } from './topTable';
import { cursorFrames, followBtn, followCursor, setCursor, setFollow } from './cursor';
import { diffLayout } from './diff';
import { dropPending, takeAnswer } from './goSearch';
import { initLabels, labelsPanel, onLabels, onViewShown } from './labels';
import { plainText } from '../src/shared/text';
import { setSourcePaths } from './sources';

/** Wall-clock times of the page's start-up (the benchmark's breakdown of command → first paint). */
const boot: Record<string, number> = { page: Math.round(performance.timeOrigin), script: Date.now() };
{
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (nav) {
    boot.response = Math.round(performance.timeOrigin + nav.responseStart);
    boot.responseEnd = Math.round(performance.timeOrigin + nav.responseEnd);
  }
}

const topHeading = el('h2', { textContent: 'Top functions' });
document.body.append(
  header,
  notice,
  flameSection,
  treeSection,
  sandwichSection,
  labelsPanel,
  topHeading,
  topTable.scroller,
  tooltip,
  menu,
);
header.insertBefore(followBtn, searchInput);
initLabels();

/** The last views the host sent, by key: a sample-type switch back paints from here at once. */
const WEBVIEW_VIEWS = 6;
const views = new Map<string, View>();

/**
 * Takes a view from the host. The whole tree that follows the first one of the view on screen
 * (same key) is unpacked now and drawn in the next task, so that the window gets a frame in
 * between (two shorter stalls rather than one long one); a view shown meanwhile wins.
 */
/**
 * Runs fn in a task after the window's next frame (or after 100 ms when no frame comes: a hidden
 * page). The webview shares the workbench's main thread: the workbench decoding a big message,
 * our unpacking and our drawing, run back to back, were one frozen stretch of the window.
 */
function afterFrame(fn: () => void): void {
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    setTimeout(fn, 0);
  };
  requestAnimationFrame(go);
  setTimeout(go, 100);
}

/**
 * Takes a view from the host. later: the whole tree after the first one under the same key; it
 * is unpacked after the next frame, drawn after the one after and its table rendered after the
 * next, so the window paints between the workbench's decoding of the message, the unpacking, the
 * drawing and the table.
 */
function setView(model: ViewModel, later = false): void {
  if (!later) {
    showView(keepView(model));
    return;
  }
  const shown = state.view;
  afterFrame(() => {
    const view = keepView(model);
    afterFrame(() => {
      if (state.view === shown) timed(() => showView(view, true), undefined);
    });
  });
}

/** Unpacks a view from the host and keeps it under its key. */
function keepView(model: ViewModel): View {
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
  return view;
}

/** The loaded profile a view key names (its first part: the host numbers each loaded profile). */
const profileOf = (key: string | undefined) => key?.split(/[:~/]/)[0];

/** Set by the Inverted toggle: the next view shown scrolls the graph's area to its root's row. */
let rootOnNextView = false;

/** tableLater: the top table is rendered after the next frame (the whole tree after the first). */
function showView(view: View, tableLater = false): void {
  // A newly loaded profile: its sandwich opens on its own function, not the previous profile's.
  if (state.view && profileOf(state.view.key) !== profileOf(view.key)) state.sandwich = undefined;
  state.view = view;
  state.collapsed = [...(view.collapsed ?? [])];
  persistSoon();
  topTable.scroller.hidden = false;
  state.zoom = nodeByPath(view.flame, state.zoomPath);
  state.selected = state.selectedPath ? nodeByPath(view.flame, state.selectedPath) : state.zoom;
  if (state.selected < state.zoom || state.selected >= state.zoom + view.flame.subtree[state.zoom]!)
    state.selected = state.zoom;
  // The first-paint tree's cut is not the view's: its notice comes with the whole tree, if any.
  showNotice(view.partial ? '' : (view.flame.limits?.message ?? ''), 'warning');
  renderToolbar();
  applySearch();
  applyMode();
  if (rootOnNextView) {
    // (once: on another tab the graph keeps its offset, as a later view's would)
    rootOnNextView = false;
    if (state.mode === 'flame' && state.boxes) revealNode(0);
  }
  const first = state.restored ? undefined : state.tableRow;
  if (!tableLater) renderTopTable(first);
  else
    afterFrame(() => {
      if (state.view === view) renderTopTable(first);
    });
  if (!state.restored) {
    state.restored = true;
    window.scrollTo(0, state.scrollY);
  }
  onViewShown();
}

/** Shows the section of the current mode and draws it. */
function applyMode(): void {
  const from = document.body.dataset.mode;
  flameSection.hidden = state.mode !== 'flame';
  treeSection.hidden = state.mode !== 'tree';
  sandwichSection.hidden = state.mode !== 'sandwich';
  labelsPanel.hidden = state.mode !== 'labels';
  // The labels report has its own table: the top table goes with the other views.
  topHeading.hidden = topTable.scroller.hidden = state.mode === 'labels' || !state.view;
  if (state.mode === 'labels') onViewShown();
  document.body.dataset.mode = state.mode;
  // The flame tree's limits ("showing the heaviest N frames") are not the sandwich's or the labels'.
  notice.classList.toggle(
    'off-view',
    notice.className.includes('warning') && (state.mode === 'sandwich' || state.mode === 'labels'),
  );
  renderToggles();
  if (state.mode === 'flame') drawNow();
  if (state.mode === 'tree') {
    // From the flame graph: the selected frame's row, opened to.
    if (from === 'flame' && state.selected > 0) revealInTree(state.selected);
    else renderCallTree();
  }
  if (state.mode === 'sandwich') {
    if (!state.sandwich) state.sandwich = defaultSandwich();
    requestSandwich();
    drawSandwich();
  }
  // Another view starts at the page's top: scrolled down a tall flame graph, the view switched to
  // sat above the window (trial4: the call tree's box at y = -295, an empty band until a scroll;
  // the page's height changes as the new view and the table render, so no position is kept).
  if (from !== undefined && from !== state.mode && window.scrollY > 0) window.scrollTo(0, 0);
}

/** The function a sandwich opens on when none was chosen: the selected frame's, else the heaviest. */
function defaultSandwich(): string | undefined {
  const v = state.view;
  if (!v) return undefined;
  if (state.selected > 0) return nameOf(v.flame, state.selected);
  let best = -1;
  for (let r = 0; r < v.top.name.length; r++)
    if (best < 0 || Math.abs(v.top.flat[r]!) > Math.abs(v.top.flat[best]!)) best = r;
  return best >= 0 ? v.top.name[best] : undefined;
}

function setMode(mode: Mode): void {
  if (state.mode === mode) return;
  state.mode = mode;
  persist();
  applyMode();
}
hooks.modeChanged = applyMode;
hooks.showSandwich = showSandwich;

/** A function's actions (the context menu of a frame or a row). */
hooks.frameMenu = (name, x, y, from, open) => {
  const t = (op: TransformOp) => () => post({ type: 'transform', op, name });
  const items: MenuItem[] = [
    { label: 'Show callers and callees', hint: 'S', run: () => showSandwich(name) },
    { label: 'Focus on this function', hint: '-focus', run: t('focus') },
    { label: 'Ignore (drop its samples)', hint: '-ignore', run: t('ignore') },
    // pprof's -hide: the frame goes and its cost merges into its callers (one operation, one item).
    { label: 'Hide frame (merge into callers)', hint: '-hide', run: t('hide') },
    { label: 'Show from here down', hint: '-show_from', run: t('showFrom') },
    { label: 'Collapse recursion', run: t('collapseRecursion') },
  ];
  if (state.mode !== 'flame')
    items.push({
      label: 'Find in the flame graph',
      run: () => {
        setMode('flame');
        focusFunction(name);
      },
    });
  if (open) items.push({ label: 'Open source', hint: 'Enter', run: open });
  openMenu(name, items, x, y, from);
};

function toggleInverted(): void {
  state.inverted = !state.inverted;
  // The other tree has other paths: start from its root.
  state.zoomPath = [];
  state.selectedPath = undefined;
  persist();
  renderToggles();
  const key = state.view?.key;
  const held = key ? views.get(key.replace(/\/(up|down)\//, state.inverted ? '/up/' : '/down/')) : undefined;
  // The other tree opens at its root's row, not at the scroll offset of this one.
  rootOnNextView = true;
  if (held) showView(held);
  else showNotice(state.inverted ? 'Building the inverted (bottom-up) tree…' : 'Building the call tree…', 'loading');
  post({ type: 'setInverted', inverted: state.inverted });
}

function toggleOrder(): void {
  state.order = state.order === 'heavy' ? 'name' : 'heavy';
  persist();
  renderToggles();
  const t0 = performance.now();
  if (state.mode === 'flame') draw();
  else if (state.mode === 'tree') renderCallTree();
  else if (state.mode === 'sandwich') drawSandwich();
  document.body.dataset.toggleMs = (performance.now() - t0).toFixed(1);
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
  boot.message ??= Date.now();
  switch (m.type) {
    case 'init':
    case 'update':
      if (m.type === 'init' && m.marks && !canvas.dataset.boot) {
        canvas.dataset.boot = JSON.stringify({ ...m.marks, ...boot, sent: m.sentAt, received: Date.now() });
      }
      timed(() => setView(m.view, m.type === 'update' && state.view?.key === m.view.key), m.sentAt);
      // The first view painted (the heaviest frames first; the whole tree follows as an update).
      if (!canvas.dataset.firstPaintedAt && canvas.dataset.paintedAt)
        canvas.dataset.firstPaintedAt = canvas.dataset.paintedAt;
      return;
    case 'show': {
      const v = views.get(m.key);
      if (v && state.view !== v) timed(() => showView(v), m.sentAt);
      else if (!v)
        post({
          type: 'ready',
          inverted: state.inverted,
          ...(state.collapsed.length ? { collapsed: state.collapsed } : {}),
        }); // evicted: ask for everything again
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
      setMode('flame');
      focusFunction(m.name);
      post({ type: 'shown', request: m.type, name: m.name });
      return;
    case 'showSandwich':
      showSandwich(m.name);
      post({ type: 'shown', request: m.type, name: m.name });
      return;
    case 'sandwich':
      receiveSandwich(m.sandwich);
      return;
    case 'sandwichFailed':
      sandwichFailed(m.name, m.message);
      return;
    case 'undoState':
      undoBtn.disabled = !m.canUndo;
      return;
    case 'sourcePaths':
      setSourcePaths(m.paths);
      topTable.refresh(); // the rows' titles (the flame graph's tooltips read the paths when shown)
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
      const t1 = performance.now();
      topTable.refresh();
      topTable.revealMarked();
      canvas.dataset.cursorTableMs = (performance.now() - t1).toFixed(1);
      canvas.dataset.cursorMs = (performance.now() - t0).toFixed(1);
      canvas.dataset.cursorFrames = String(cursorFrames());
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
  onMode: setMode,
  onInverted: toggleInverted,
  onOrder: toggleOrder,
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

// Shortcuts anywhere but in the search box: 1-4 views, I inverted, O order.
document.addEventListener('keydown', (ev) => {
  const t = ev.target as HTMLElement;
  if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement) return;
  if (!menu.hidden) return;
  if ((ev.key === 'z' || ev.key === 'Z') && (ev.ctrlKey || ev.metaKey) && !ev.shiftKey) {
    if (!undoBtn.disabled) post({ type: 'undoTransform' });
    ev.preventDefault();
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const modes: Record<string, Mode> = { '1': 'flame', '2': 'tree', '3': 'sandwich', '4': 'labels' };
  if (modes[ev.key]) setMode(modes[ev.key]!);
  else if (ev.key === 'i' || ev.key === 'I') toggleInverted();
  else if (ev.key === 'o' || ev.key === 'O') toggleOrder();
  else return;
  ev.preventDefault();
});

window.addEventListener('load', () => (boot.load = Date.now()));
window.addEventListener('scroll', () => {
  closeMenu();
  state.scrollY = window.scrollY;
  persistSoon();
});
window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as ToWebview | undefined;
  // (for the benchmark: when each kind of message was first queued for the page, and when taken)
  if (m && typeof m.type === 'string') {
    boot[`queued:${m.type}`] ??= Math.round(performance.timeOrigin + ev.timeStamp);
    boot[`taken:${m.type}`] ??= Date.now();
  }
  if (m && typeof m === 'object' && typeof m.type === 'string') onMessage(m);
});
// Redraw when the width changes (not when drawing changed the height), and the graph when the
// window's height does (its area's height follows the window's).
let lastWidth = 0;
let lastHeight = window.innerHeight;
window.addEventListener('resize', () => {
  if (window.innerHeight === lastHeight) return;
  lastHeight = window.innerHeight;
  scheduleDraw();
});
new ResizeObserver(() => {
  if (document.body.clientWidth === lastWidth) return;
  lastWidth = document.body.clientWidth;
  scheduleDraw();
  drawSandwich();
}).observe(document.body);
new MutationObserver(() => {
  scheduleDraw();
  drawSandwich();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
post({ type: 'ready', inverted: state.inverted, ...(state.collapsed.length ? { collapsed: state.collapsed } : {}) });
