/**
 * The flame graph on screen: its canvas, breadcrumbs, legend and notices, drawing (coalesced to
 * one per animation frame, costing what is visible), and the navigation state it draws (zoom and
 * selection, kept as name paths so they survive a new tree). Pointer and keyboard handling is in
 * interaction.ts.
 */
import { type FlameData, pathTo } from '../src/shared/flame';
import { drawCursor } from './cursor';
import { editorFont, el, theme } from './dom';
import { diffColor, frameColor, type Kind } from './flame/colors';
import { layout } from './flame/layout';
import { ordered } from './flame/order';
import { TreeViewport } from './flame/viewport';
import { nameOf, render } from './flame/render';
import { persist, persistSoon, state } from './state';

export const ROW = 18;

export const crumbs = el('nav', { id: 'breadcrumbs', ariaLabel: 'Zoom path' });
export const canvas = el('canvas', {
  id: 'flame',
  tabIndex: 0,
  ariaLabel: 'Flame graph. Arrow keys move, Enter opens the source, Esc resets the zoom.',
});
/** The graph's scroll area: the canvas draws the rows in view (flame/viewport.ts). */
const viewport = new TreeViewport(canvas, { id: 'flame-wrap' }, () => scheduleDraw());
export const canvasWrap = viewport.area;
export const empty = el('div', {
  id: 'empty',
  className: 'muted',
  textContent: 'No samples of this type.',
  hidden: true,
});
/** Loading, placeholder and "too large" messages. */
export const notice = el('div', { id: 'notice', role: 'status', hidden: true });
export const legend = el('div', { id: 'legend', className: 'muted' });
/** The flame graph with its breadcrumbs and legend: hidden while another view is shown. */
export const flameSection = el(
  'section',
  { id: 'flame-section', ariaLabel: 'Flame graph' },
  el('div', { className: 'bar' }, crumbs, legend),
  canvasWrap,
  empty,
);

const LEGEND: [Kind, string][] = [
  ['user', 'your module'],
  ['std', 'standard library'],
  ['runtime', 'runtime'],
  ['dep', 'dependencies'],
];
function renderLegend(): void {
  if (state.view?.compare !== undefined) {
    // Comparing: colour is the change (diff.ts), widths the new profile.
    const item = (v: number, label: string) => {
      const sw = el('span', { className: 'swatch' });
      sw.style.background = diffColor(v, 1, theme());
      return el('span', { className: 'legend-item' }, sw, label);
    };
    legend.replaceChildren(
      item(1, 'grew'),
      item(0.3, 'grew a little'),
      item(-0.3, 'shrank a little'),
      item(-1, 'shrank'),
      el('span', { className: 'legend-item', textContent: 'widths: the new profile' }),
    );
    return;
  }
  legend.replaceChildren(
    ...LEGEND.map(([k, label]) => {
      const sw = el('span', { className: 'swatch' });
      sw.style.background = frameColor(k, '', theme());
      return el('span', { className: 'legend-item' }, sw, label);
    }),
  );
}

export function showNotice(text: string, kind: 'info' | 'loading' | 'warning' = 'info'): void {
  notice.textContent = text;
  notice.className = kind;
  notice.hidden = text === '';
}

let drawPending = 0;
/** Draws on the next animation frame; several requests in one frame (resizes, theme changes) draw once. */
export function scheduleDraw(): void {
  if (drawPending) return;
  drawPending = requestAnimationFrame(() => {
    drawPending = 0;
    drawNow();
  });
}

/** Draws now (user actions: the work is proportional to what is visible). */
export function draw(): void {
  if (drawPending) {
    cancelAnimationFrame(drawPending);
    drawPending = 0;
  }
  drawNow();
}

/** The last layout, reused while the tree, zoom, width and orientation stay (a scroll only repaints). */
let laidOut: { d: FlameData; zoom: number; width: number; orientation: string } | undefined;

export function drawNow(): void {
  const v = state.view;
  if (!v || flameSection.hidden) return;
  const t0 = performance.now();
  const d = ordered(v.flame, state.order);
  const width = Math.max(100, canvasWrap.clientWidth);
  if (
    !state.boxes ||
    laidOut?.d !== d ||
    laidOut.zoom !== state.zoom ||
    laidOut.width !== width ||
    laidOut.orientation !== state.orientation
  ) {
    state.boxes = layout(d, { zoom: state.zoom, width, rowHeight: ROW, orientation: state.orientation });
    laidOut = { d, zoom: state.zoom, width, orientation: state.orientation };
  }
  viewport.fit(width, Math.max(ROW, state.boxes.height));
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  render(ctx, d, state.boxes, {
    rowHeight: ROW,
    theme: theme(),
    modules: v.modules,
    diff: v.compare !== undefined,
    ...(state.highlight ? { highlight: state.highlight } : {}),
    selected: state.selected,
    font: `12px ${editorFont()}`,
    top: viewport.drawTop(),
  });
  drawCursor(ctx, d, state.boxes, ROW);
  canvas.dataset.frames = String(state.boxes.count);
  canvas.dataset.zoom = nameOf(d, state.zoom);
  canvas.dataset.selected = state.selected >= 0 ? nameOf(d, state.selected) : '';
  canvas.dataset.sampleIndex = String(v.sampleIndex);
  canvas.dataset.nodes = String(d.nodeName.length);
  canvas.dataset.inverted = String(v.inverted === true);
  canvas.dataset.order = state.order;
  // Wall-clock time of this paint, for the benchmark (comparable across frames, unlike performance.now()).
  canvas.dataset.paintedAt = String(Date.now());
  empty.hidden = d.weight[0]! > 0;
  renderLegend();
  renderCrumbs();
  canvas.dataset.drawMs = (performance.now() - t0).toFixed(1);
  canvas.dataset.top = String(graphTop());
}

/** The tree's y at the canvas's top edge (CSS px): how far the graph's area is scrolled. */
export function graphTop(): number {
  return viewport.top;
}

/** Scrolls the graph's own area (a tall graph scrolls in it) so that node i's box is in view. */
export function revealNode(i: number): void {
  const b = state.boxes;
  if (!b) return;
  for (let k = 0; k < b.count; k++) {
    if (b.node[k] !== i) continue;
    viewport.reveal(b.y[k]!, ROW);
    return;
  }
}

/** Brings the root's row (the top of an icicle, the bottom of a flame graph) into the graph's area and the window. */
export function revealRoot(): void {
  revealNode(0);
  const b = state.boxes;
  if (!b) return;
  const r = canvas.getBoundingClientRect();
  const top = r.top - graphTop() + (state.orientation === 'flame' ? b.height - ROW : 0);
  // (the toolbar is sticky: a row under it is hidden too)
  const under = document.querySelector('header')?.getBoundingClientRect().bottom ?? 0;
  if (top + ROW > window.innerHeight) window.scrollBy(0, top + ROW - window.innerHeight + 8);
  else if (top < under) window.scrollBy(0, top - under - 8);
}

/** The path the crumbs show: rebuilt when it changes, not at every draw (a scroll of the graph keeps a focused crumb). */
let crumbsOf: { d: FlameData; zoom: number } | undefined;

/** Empties the graph (no view). */
export function clearGraph(): void {
  state.view = undefined;
  state.boxes = undefined;
  crumbs.replaceChildren();
  crumbsOf = undefined;
  viewport.clear();
  canvas.dataset.frames = '0';
}

function renderCrumbs(): void {
  const d = state.view!.flame;
  if (crumbsOf?.d === d && crumbsOf.zoom === state.zoom) return;
  crumbsOf = { d, zoom: state.zoom };
  // A crumb pressed with the keyboard (Enter, Space) zooms to its frame, which is the last crumb of
  // the new path: the focus goes to it rather than falling back to the page.
  const hadFocus = focusedCrumb() !== null;
  crumbs.replaceChildren();
  pathTo(d, state.zoom).forEach((i, k, all) => {
    const b = el('button', { className: 'crumb', textContent: nameOf(d, i), title: `Zoom to ${nameOf(d, i)}` });
    b.addEventListener('click', () => zoomTo(i));
    crumbs.append(b);
    if (k < all.length - 1) crumbs.append(el('span', { className: 'sep', textContent: '›' }));
  });
  if (hadFocus) (crumbs.lastElementChild as HTMLElement | null)?.focus({ preventScroll: true });
  revealCrumb();
}

/** The width of the fade at the crumbs' left edge when they are scrolled (panel.css .cut-left). */
const FADE = 26;
/**
 * Scrolls the crumbs' one line so that crumb c (by default the last, the frame zoomed to) is whole in
 * view, with room for its focus outline; the crumbs before it are what scrolls away. A crumb is no
 * wider than the box (panel.css), but if one were, its start shows.
 */
function revealCrumb(c: Element | null = crumbs.lastElementChild): void {
  if (!(c instanceof HTMLElement) || crumbs.clientWidth === 0) return;
  const OUTLINE = 2;
  const r = c.getBoundingClientRect();
  const left = r.left - crumbs.getBoundingClientRect().left - crumbs.clientLeft + crumbs.scrollLeft;
  const right = left + r.width;
  let x = Math.max(crumbs.scrollLeft, Math.ceil(right + OUTLINE - crumbs.clientWidth));
  x = Math.min(x, Math.floor(left - OUTLINE));
  // Scrolled, the line fades in at its left (.cut-left, panel.css): the crumb keeps clear of the fade.
  if (x > 0) x = Math.min(x, Math.floor(left - FADE));
  crumbs.scrollLeft = Math.max(0, x);
  crumbs.classList.toggle('cut-left', crumbs.scrollLeft > 0);
}
const focusedCrumb = () => (crumbs.contains(document.activeElement) ? document.activeElement : null);
// A crumb reached with the keyboard comes whole into view; a new width (the panel resized, shown
// again, the legend drawn beside the crumbs) keeps the focused crumb or the last one in view.
crumbs.addEventListener('focusin', (e) => revealCrumb(e.target as Element));
crumbs.addEventListener('scroll', () => crumbs.classList.toggle('cut-left', crumbs.scrollLeft > 0));
new ResizeObserver(() => revealCrumb(focusedCrumb() ?? crumbs.lastElementChild)).observe(crumbs);

function namePath(d: FlameData, i: number): string[] {
  return pathTo(d, i)
    .slice(1)
    .map((j) => nameOf(d, j));
}

export function zoomTo(i: number): void {
  const d = state.view!.flame;
  state.zoom = i;
  state.selected = i;
  state.zoomPath = namePath(d, i);
  state.selectedPath = undefined;
  persist();
  draw();
}

export function select(i: number): void {
  const d = state.view!.flame;
  state.selected = i;
  state.selectedPath = i === state.zoom ? undefined : namePath(d, i);
  persistSoon();
  draw();
}

/** The node reached by following names from the root, as far as they match. */
export function nodeByPath(d: FlameData, names: readonly string[]): number {
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

/** Zooms to (and selects) the first frame of a function; false when the tree has none. */
export function focusFunction(name: string): boolean {
  const d = state.view?.flame;
  if (!d) return false;
  for (let i = 1; i < d.nodeName.length; i++) {
    if (nameOf(d, i) === name) {
      zoomTo(i);
      canvas.focus();
      return true;
    }
  }
  return false;
}
