/**
 * Pointer and keyboard on the flame graph: hover tooltips, click to zoom, Ctrl/Cmd-click,
 * double-click or Enter to open the source, arrow keys to walk the tree (the selection stays in
 * the zoomed subtree), Esc to reset, '/' to search.
 */
import { type FlameData, pathTo } from '../src/shared/flame';
import type { TopTable } from '../src/shared/protocol';
import { diffLines } from './diff';
import { el } from './dom';
import { hitTest } from './flame/layout';
import { nameOf } from './flame/render';
import { canvas, canvasWrap, graphTop, revealNode, ROW, select, zoomTo } from './graph';
import { fileLines } from './sources';
import { fmt, hooks, pct, post, state } from './state';

// Hidden until the pointer is over a frame: never an empty box.
export const tooltip = el('div', { id: 'tooltip', role: 'tooltip', hidden: true });

function boxAt(ev: MouseEvent): number {
  if (!state.boxes) return -1;
  const r = canvas.getBoundingClientRect();
  const k = hitTest(state.boxes, ev.clientX - r.left, ev.clientY - r.top + graphTop(), ROW);
  return k < 0 ? -1 : state.boxes.node[k]!;
}

export function hideTooltip(): void {
  tooltip.hidden = true;
}

function showTooltip(i: number, ev: MouseEvent): void {
  const d = state.view?.flame;
  if (!d || i < 0) {
    tooltip.hidden = true;
    return;
  }
  showFrameTooltip(
    d,
    i,
    ev,
    'Click: zoom · Double-click or Enter: open source · Right-click: actions',
    state.view?.inverted === true,
  );
}

let flatTable: { top: TopTable; flat: Map<string, number> } | undefined;
/** pprof's flat of a function (-top's row by name, in the view's top table); undefined when it has none. */
export function functionFlat(name: string): number | undefined {
  const top = state.view?.top;
  if (!top) return undefined;
  if (flatTable?.top !== top) {
    const flat = new Map<string, number>();
    for (let r = 0; r < top.name.length; r++) flat.set(top.name[r]!, (flat.get(top.name[r]!) ?? 0) + top.flat[r]!);
    flatTable = { top, flat };
  }
  return flatTable.flat.get(name);
}

/**
 * The tooltip of node i of tree d at the pointer. bottomUp: d is a bottom-up tree (the inverted
 * graph, the sandwich's callers), where a node's self is not pprof's flat (it counts the samples
 * the node's path ends at, the outermost caller): the function's flat is shown instead.
 */
export function showFrameTooltip(d: FlameData, i: number, ev: MouseEvent, hint: string, bottomUp = false): void {
  const file = d.nodeFile[i]! >= 0 ? fileLines(d.files[d.nodeFile[i]!]!, d.nodeLine[i]!) : [];
  const flat = (bottomUp ? functionFlat(nameOf(d, i)) : undefined) ?? d.self[i]!;
  tooltip.replaceChildren(
    el('div', { className: 'tt-name', textContent: nameOf(d, i) + (d.inlined[i] ? ' (inline)' : '') }),
    el('div', {
      textContent: `cum ${fmt(d.total[i]!)} (${pct(d.total[i]!)}) · flat ${fmt(flat)} (${pct(flat)})`,
    }),
    ...diffLines(d, i, fmt).map((t) => el('div', { textContent: t })),
    ...file.map((t) => el('div', { className: 'muted', textContent: t })),
    el('div', { className: 'muted', textContent: hint }),
  );
  tooltip.hidden = false;
  const x = Math.min(ev.clientX + 12, window.innerWidth - tooltip.offsetWidth - 8);
  tooltip.style.left = `${Math.max(0, x)}px`;
  tooltip.style.top = `${ev.clientY + 14}px`;
}

/** Asks the host to open node i's file at its line. */
export function openSource(i: number): void {
  const d = state.view?.flame;
  if (!d || i <= 0 || d.nodeFile[i]! < 0) return;
  post({ type: 'openSource', file: d.files[d.nodeFile[i]!]!, line: d.nodeLine[i]!, name: nameOf(d, i) });
}

function onKey(ev: KeyboardEvent): void {
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
    case 's':
    case 'S':
      if (cur > 0) hooks.showSandwich(nameOf(d, cur));
      return;
    case 'ContextMenu':
    case 'F10':
      if (ev.key === 'F10' && !ev.shiftKey) return;
      ev.preventDefault();
      frameMenuAt(cur);
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
  revealNode(next);
}

/** Opens node i's actions menu under its box (from the keyboard). */
function frameMenuAt(i: number): void {
  const d = state.view?.flame;
  if (!d || i <= 0) return;
  const r = canvas.getBoundingClientRect();
  let x = r.left + 8;
  let y = r.top + ROW;
  const b = state.boxes;
  if (b)
    for (let k = 0; k < b.count; k++)
      if (b.node[k] === i) {
        x = r.left + b.x[k]! + 8;
        y = r.top + b.y[k]! - graphTop() + ROW;
      }
  hooks.frameMenu(nameOf(d, i), x, y, canvas, () => openSource(i));
}

/** Wires the canvas; `searchInput` gets the focus on '/'. */
export function initInteraction(searchInput: HTMLInputElement): void {
  canvas.addEventListener('mousemove', (ev) => showTooltip(boxAt(ev), ev));
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  // A scroll moves other frames under a pointer at rest: the tooltip goes until the pointer moves.
  canvasWrap.addEventListener('scroll', hideTooltip, { passive: true });
  // A double-click acts on the frame under its first click (the one aimed at): that click zoomed,
  // and the frame under the pointer at the second may be another one.
  let firstClick = -1;
  canvas.addEventListener('click', (ev) => {
    if (ev.detail >= 2) return; // the second click of a double-click: the dblclick handles it
    const i = boxAt(ev);
    firstClick = i;
    if (i < 0) return;
    if (ev.ctrlKey || ev.metaKey) openSource(i);
    else zoomTo(i);
    canvas.focus();
  });
  canvas.addEventListener('dblclick', (ev) => openSource(firstClick >= 0 ? firstClick : boxAt(ev)));
  canvas.addEventListener('contextmenu', (ev) => {
    const i = boxAt(ev);
    const d = state.view?.flame;
    if (i <= 0 || !d) return;
    ev.preventDefault();
    select(i);
    hooks.frameMenu(nameOf(d, i), ev.clientX, ev.clientY, canvas, () => openSource(i));
  });
  canvas.addEventListener('keydown', onKey);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === '/' && document.activeElement !== searchInput) {
      ev.preventDefault();
      searchInput.focus();
    }
  });
}
