/**
 * The sandwich of one function: its callers drawn upward (bottom-up, the function on the bottom
 * row) above its callees drawn downward (the function on the top row), both from the host's
 * core/sandwich through the worker. A click on a frame pivots to that function (as pprof's web
 * UI does); double-click, Ctrl/Cmd-click or Enter opens the source; arrow keys walk the frames
 * of either tree; the context menu offers the frame's actions.
 */
import { type FlameData, isPackedFlame, pathTo, unpackFlame } from '../src/shared/flame';
import type { SandwichModel } from '../src/shared/protocol';
import { editorFont, el, theme } from './dom';
import { hitTest, layout, type Boxes, type Orientation } from './flame/layout';
import { ordered, withoutRoot } from './flame/order';
import { TreeViewport } from './flame/viewport';
import { nameOf, render } from './flame/render';
import { ROW } from './graph';
import { hideTooltip, showFrameTooltip } from './interaction';
import { fmt, hooks, pct, persist, post, state } from './state';

interface Pane {
  readonly canvas: HTMLCanvasElement;
  /** Its scroll area: a tall tree is drawn through a canvas the area's size (flame/viewport.ts). */
  readonly viewport: TreeViewport;
  readonly orientation: Orientation;
  tree?: FlameData;
  boxes?: Boxes;
  selected: number;
  /** Scroll to the tree's bottom at the next draw (a new callers tree: the function's row). */
  toBottom?: boolean;
}

const heading = el('h2', { id: 'sandwich-title' });
const summary = el('div', { id: 'sandwich-summary', className: 'muted' });
const status = el('div', { id: 'sandwich-status', role: 'status', className: 'muted' });
const mkPane = (id: string, orientation: Orientation, label: string): Pane => {
  const canvas = el('canvas', { id, tabIndex: 0, ariaLabel: label });
  const p: Pane = {
    canvas,
    viewport: new TreeViewport(canvas, { className: 'sandwich-wrap' }, () => {
      // Other frames are under a pointer at rest: the tooltip goes until the pointer moves.
      hideTooltip();
      scheduleSandwichDraw();
    }),
    orientation,
    selected: 0,
  };
  return p;
};
const callers = mkPane(
  'sandwich-callers',
  'flame',
  'Callers of the function, drawn upward. Arrow keys move, Enter opens the source, S pivots, the context-menu key shows actions.',
);
const callees = mkPane(
  'sandwich-callees',
  'icicle',
  'Callees of the function, drawn downward. Arrow keys move, Enter opens the source, S pivots, the context-menu key shows actions.',
);
const callersLabel = el('div', {
  className: 'sandwich-label muted',
  textContent: 'Callers ↑ (who calls it; the function on the bottom row)',
});
const calleesLabel = el('div', {
  className: 'sandwich-label muted',
  textContent: 'Callees ↓ (what it calls; the function on the top row)',
});
export const sandwichSection = el(
  'section',
  { id: 'sandwich', hidden: true, ariaLabel: 'Callers and callees' },
  heading,
  summary,
  status,
  callersLabel,
  callers.viewport.area,
  // Between the two trees, where the function's own row is: the callees start here.
  calleesLabel,
  callees.viewport.area,
);

let drawPending = 0;
/** Redraws on the next animation frame (a scroll of either pane's area). */
function scheduleSandwichDraw(): void {
  if (drawPending) return;
  drawPending = requestAnimationFrame(() => {
    drawPending = 0;
    drawSandwich();
  });
}

/** The last sandwich received (for the view it names). */
let current: { model: SandwichModel; callers: FlameData; callees: FlameData } | undefined;
/** When the request went out (for the benchmark: request → drawn). */
let requestedAt = 0;

const unpack = (d: SandwichModel['callers']) => withoutRoot(isPackedFlame(d) ? unpackFlame(d) : d);

/** Shows the sandwich of `name`: asks the host unless it is on screen already for this view. */
export function showSandwich(name: string): void {
  state.mode = 'sandwich';
  state.sandwich = name;
  persist();
  hooks.modeChanged(); // shows the section, then requestSandwich()
}

/** The request in flight (function and view key): asked once. */
let pending: string | undefined;

/** Asks the host for the sandwich of state.sandwich (again after the view changed). */
export function requestSandwich(): void {
  const name = state.sandwich;
  if (!name || !state.view) return;
  if (current && current.model.func === name && current.model.key === state.view.key) {
    pending = undefined;
    status.textContent = '';
    return drawSandwich();
  }
  if (pending === `${state.view.key}\n${name}`) return;
  pending = `${state.view.key}\n${name}`;
  heading.textContent = name;
  status.textContent = `Finding the callers and callees of ${name}…`;
  requestedAt = performance.now();
  post({ type: 'requestSandwich', name, sampleIndex: state.view.sampleIndex });
}

export function receiveSandwich(m: SandwichModel): void {
  if (pending === `${m.key}\n${m.func}`) pending = undefined;
  if (m.func !== state.sandwich) return; // the user moved on
  current = { model: m, callers: unpack(m.callers), callees: unpack(m.callees) };
  callers.selected = 0;
  callees.selected = 0;
  status.textContent = '';
  // The callers are drawn upward: the function's own row, at their bottom, meets the callees.
  callers.toBottom = true;
  drawSandwich();
  if (requestedAt > 0) {
    sandwichSection.dataset.readyMs = (performance.now() - requestedAt).toFixed(1);
    requestedAt = 0;
  }
}

export function sandwichFailed(name: string, message: string): void {
  pending = undefined;
  if (name !== state.sandwich) return;
  status.textContent = message;
}

function drawPane(p: Pane, width: number): void {
  const d = p.tree;
  const ctx = p.canvas.getContext('2d');
  if (!d || !ctx) return;
  p.boxes = layout(d, { zoom: 0, width, rowHeight: ROW, orientation: p.orientation });
  p.viewport.fit(width, Math.max(ROW, p.boxes.height));
  if (p.toBottom) {
    p.toBottom = false;
    p.viewport.toBottom();
  }
  render(ctx, d, p.boxes, {
    rowHeight: ROW,
    theme: theme(),
    modules: state.view?.modules ?? [],
    diff: state.view?.compare !== undefined,
    selected: p.selected,
    font: `12px ${editorFont()}`,
    top: p.viewport.drawTop(),
  });
  p.canvas.dataset.frames = String(p.boxes.count);
  p.canvas.dataset.selected = nameOf(d, p.selected);
}

/** Draws the sandwich on screen (nothing when hidden or not received yet). */
export function drawSandwich(): void {
  if (sandwichSection.hidden) return;
  const c = current;
  const v = state.view;
  if (!c || !v || c.model.func !== state.sandwich || c.model.key !== v.key) {
    callers.tree = callees.tree = undefined;
    return;
  }
  const t0 = performance.now();
  const m = c.model;
  heading.textContent = m.func;
  summary.textContent =
    c.callees.nodeName.length === 0 || m.cum === 0
      ? 'No samples pass through this function in this view.'
      : `cum ${fmt(m.cum)} (${pct(m.cum)}) · flat ${fmt(m.flat)} (${pct(m.flat)}) · each sample counted once, split at the outermost call` +
        (m.recursive ? ' · its calls to itself are merged into one frame' : '');
  callers.tree = ordered(c.callers, state.order);
  callees.tree = ordered(c.callees, state.order);
  const width = Math.max(100, callers.viewport.area.clientWidth);
  drawPane(callers, width);
  drawPane(callees, width);
  sandwichSection.dataset.func = m.func;
  sandwichSection.dataset.paintMs = (performance.now() - t0).toFixed(1);
}

function boxAt(p: Pane, ev: MouseEvent): number {
  if (!p.boxes) return -1;
  const r = p.canvas.getBoundingClientRect();
  const k = hitTest(p.boxes, ev.clientX - r.left, ev.clientY - r.top + p.viewport.top, ROW);
  return k < 0 ? -1 : p.boxes.node[k]!;
}

function openNode(p: Pane, i: number): void {
  const d = p.tree;
  if (!d || i < 0 || d.nodeFile[i]! < 0) return;
  post({ type: 'openSource', file: d.files[d.nodeFile[i]!]!, line: d.nodeLine[i]!, name: nameOf(d, i) });
}

/** The box of node i in client pixels (for a menu opened from the keyboard). */
function boxRect(p: Pane, i: number): { x: number; y: number } {
  const r = p.canvas.getBoundingClientRect();
  const b = p.boxes;
  if (b)
    for (let k = 0; k < b.count; k++)
      if (b.node[k] === i) return { x: r.left + b.x[k]! + 8, y: r.top + b.y[k]! - p.viewport.top + ROW };
  return { x: r.left + 8, y: r.top + ROW };
}

function wire(p: Pane): void {
  const c = p.canvas;
  c.addEventListener('mousemove', (ev) => {
    const i = boxAt(p, ev);
    if (p.tree && i >= 0)
      showFrameTooltip(
        p.tree,
        i,
        ev,
        'Click: callers and callees of this function · Double-click: open source',
        p === callers,
      );
    else hideTooltip();
  });
  c.addEventListener('mouseleave', hideTooltip);
  c.addEventListener('click', (ev) => {
    const i = boxAt(p, ev);
    if (i < 0 || !p.tree) return;
    if (ev.ctrlKey || ev.metaKey) return openNode(p, i);
    p.selected = i;
    if (i > 0) showSandwich(nameOf(p.tree, i));
    else drawSandwich();
  });
  c.addEventListener('dblclick', (ev) => openNode(p, boxAt(p, ev)));
  c.addEventListener('contextmenu', (ev) => {
    const i = boxAt(p, ev);
    if (i < 0 || !p.tree) return;
    ev.preventDefault();
    p.selected = i;
    drawSandwich();
    hooks.frameMenu(nameOf(p.tree, i), ev.clientX, ev.clientY, c, () => openNode(p, i));
  });
  c.addEventListener('keydown', (ev) => {
    const d = p.tree;
    if (!d) return;
    const cur = p.selected;
    const up = p.orientation === 'icicle' ? 'ArrowUp' : 'ArrowDown';
    const down = p.orientation === 'icicle' ? 'ArrowDown' : 'ArrowUp';
    let next = cur;
    if (ev.key === 'Enter') return openNode(p, cur);
    if ((ev.key === 's' || ev.key === 'S') && cur > 0) return showSandwich(nameOf(d, cur));
    if (ev.key === 'ContextMenu' || (ev.key === 'F10' && ev.shiftKey)) {
      ev.preventDefault();
      const at = boxRect(p, cur);
      hooks.frameMenu(nameOf(d, cur), at.x, at.y, c, () => openNode(p, cur));
      return;
    }
    if (ev.key === up) {
      const path = pathTo(d, cur);
      next = path.length > 1 ? path[path.length - 2]! : cur;
    } else if (ev.key === down) next = d.subtree[cur]! > 1 ? cur + 1 : cur;
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
      const path = pathTo(d, cur);
      if (path.length < 2) return;
      const parent = path[path.length - 2]!;
      const sibs: number[] = [];
      for (let k = parent + 1; k < parent + d.subtree[parent]!; k += d.subtree[k]!) sibs.push(k);
      sibs.sort((a, b) => d.start[a]! - d.start[b]!); // as drawn (heaviest first or by name)
      const k = sibs.indexOf(cur) + (ev.key === 'ArrowLeft' ? -1 : 1);
      next = sibs[Math.max(0, Math.min(sibs.length - 1, k))]!;
    } else return;
    ev.preventDefault();
    p.selected = next;
    drawSandwich();
    const b = p.boxes;
    if (b) for (let k = 0; k < b.count; k++) if (b.node[k] === next) p.viewport.reveal(b.y[k]!, ROW);
  });
}
wire(callers);
wire(callees);
