/**
 * The call tree table: the merged call tree (the flame graph's tree, top-down or inverted) as
 * expandable rows with flat, flat%, cum and cum%, the numbers pprof's -tree adds up to.
 * Virtualised like the top table: only the rows in view exist in the DOM, so 100,000 open rows
 * scroll without a stall. A tree grid for the keyboard: Up/Down move, Right opens (or steps into),
 * Left closes (or steps out), Space toggles, * opens every level below, Enter opens the source,
 * S shows the function's callers and callees, Shift+F10 its actions.
 */
import { CallTreeModel } from './callTreeModel';
import { el } from './dom';
import { nameOf } from './flame/render';
import { fitName, nameSpans } from './nameCell';
import { fmt, hooks, pct, persistSoon, post, state } from './state';

const ROW_H = 20;
const OVERSCAN = 10;
/** '*' opens at most this many rows (a 1M-node tree would not help anyone). */
const EXPAND_ALL_MAX = 100_000;

const scroller = el('div', { id: 'tree-scroll', tabIndex: -1 });
const table = el('table', { id: 'call-tree', role: 'treegrid', ariaLabel: 'Call tree' });
const head = el('thead');
const body = el('tbody');
table.append(head, body);
scroller.append(table);
export const treeSection = el('section', { id: 'tree-section', hidden: true, ariaLabel: 'Call tree' }, scroller);

let model: CallTreeModel | undefined;
let active = 0;
let rendered = '';

const HEAD_TITLES = {
  down: {
    flat: "The frame's own samples at this place in the tree (pprof -tree's flat)",
    cum: 'The samples through this frame at this place in the tree',
  },
  up: {
    flat: 'Inverted: a root (the function the stacks end in) shows every sample ending in it, pprof -top flat; its callers below show 0',
    cum: 'Inverted: the samples of the stacks that end in the root and pass through this caller',
  },
};
const headCells = ['flat', 'flat%', 'cum', 'cum%', 'function'].map((t) => el('th', { textContent: t, scope: 'col' }));
head.append(el('tr', {}, ...headCells));

/** The column tooltips of the tree's direction. */
function titleHead(inverted: boolean): void {
  const t = HEAD_TITLES[inverted ? 'up' : 'down'];
  headCells[0]!.title = headCells[1]!.title = t.flat;
  headCells[2]!.title = headCells[3]!.title = t.cum;
  table.dataset.inverted = String(inverted);
}

/** Whether the view with this key is the inverted (bottom-up) tree (FlamePanel.keyOf: …/up/<type>). */
const isInverted = (key: string): boolean => /\/up\/\d+$/.test(key);

/** Builds the rows for the current view (restoring what was open); cheap when nothing changed. */
export function renderCallTree(): void {
  const v = state.view;
  if (!v || treeSection.hidden) return;
  const inverted = isInverted(v.key);
  if (!model || model.d !== v.flame || model.order !== state.order || model.inverted !== inverted) {
    const t0 = performance.now();
    model = new CallTreeModel(v.flame, state.order, inverted);
    titleHead(inverted);
    model.openByPaths(state.expanded);
    active = Math.min(active, Math.max(0, model.length - 1));
    table.dataset.buildMs = (performance.now() - t0).toFixed(1);
  }
  rendered = '';
  renderRows();
}

function renderRows(): void {
  const m = model;
  const v = state.view;
  if (!m || !v) return;
  const n = m.length;
  const viewH = scroller.clientHeight || 400;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(n, Math.ceil((scroller.scrollTop + viewH) / ROW_H) + OVERSCAN);
  const key = `${first}:${last}:${n}`;
  if (key === rendered) return;
  rendered = key;
  const focused = body.contains(document.activeElement);
  const rows: HTMLTableRowElement[] = [];
  const spacer = (h: number) => {
    const tr = el('tr', { className: 'spacer' });
    tr.style.height = `${h}px`;
    tr.setAttribute('aria-hidden', 'true');
    return tr;
  };
  if (first > 0) rows.push(spacer(first * ROW_H));
  // Rows are reused only while a level opens or closes (toggle); any other render builds them
  // afresh (reused rows moved the scroll position on End: the browser kept one of them in place).
  if (rowCache.model !== m || !reuseRows) rowCache = { model: m, rows: new Map() };
  const cache = rowCache.rows;
  for (let k = first; k < last; k++) {
    const i = m.rows[k]!;
    // A node's row is built once per model: opening a level moves the rows below it, it does not
    // rebuild them (only their position, focus order and twisty change).
    let tr = cache.get(i);
    if (!tr) {
      tr = rowOf(m, i);
      cache.set(i, tr);
    }
    // A row put back in the table: its name fitted to the cell again (fitName).
    if (!tr.isConnected) fitName(tr.lastElementChild!);
    tr.dataset.k = String(k);
    const tab = k === active ? 0 : -1;
    if (tr.tabIndex !== tab) tr.tabIndex = tab;
    if (m.hasChildren(i)) {
      const open = m.isOpen(i);
      if (tr.getAttribute('aria-expanded') !== String(open)) {
        tr.setAttribute('aria-expanded', String(open));
        tr.querySelector('.twisty')!.textContent = open ? '▾' : '▸';
      }
    }
    rows.push(tr);
  }
  if (last < n) rows.push(spacer((n - last) * ROW_H));
  placeRows(rows);
  table.dataset.rows = String(n);
  if (focused && document.activeElement !== body.querySelector(`tr[data-k="${active}"]`)) focusActive();
}

/**
 * Puts `rows` in the table body in order, leaving in place the ones already there in that order.
 * Opening a level inserts rows after the focused one: it stays attached and keeps the focus (a
 * body rebuilt with replaceChildren lost it, and focusing it again forced a layout of the table
 * in the middle of the toggle: 10–30 ms a level).
 */
function placeRows(rows: readonly HTMLTableRowElement[]): void {
  const want = new Set<Element>(rows);
  // Any other render (the focused row goes, or none is focused, e.g. End or a scroll): one
  // replacement, as before; placed one by one there, End once left the table at the top.
  const a = document.activeElement;
  if (!(a instanceof HTMLTableRowElement) || a.parentElement !== body || !want.has(a)) {
    body.replaceChildren(...rows);
    return;
  }
  let cur = body.firstElementChild;
  for (const tr of rows) {
    while (cur && cur !== tr && !want.has(cur)) {
      const next = cur.nextElementSibling;
      cur.remove();
      cur = next;
    }
    if (cur === tr) cur = cur.nextElementSibling;
    else body.insertBefore(tr, cur);
  }
  while (cur) {
    const next = cur.nextElementSibling;
    cur.remove();
    cur = next;
  }
}

/** Whether renderRows may reuse the rows of the previous render (toggle sets it). */
let reuseRows = false;
/** The rows built for a model, by node (see renderRows). */
let rowCache: { model: CallTreeModel | undefined; rows: Map<number, HTMLTableRowElement> } = {
  model: undefined,
  rows: new Map(),
};

/** Node i's row: its numbers and name (its place, focus order and open state are set by renderRows). */
function rowOf(m: CallTreeModel, i: number): HTMLTableRowElement {
  const d = m.d;
  const level = m.level(i);
  const twisty = el('span', { className: 'twisty', textContent: m.hasChildren(i) ? '▸' : '' });
  const fn = nameOf(d, i);
  const suffix = d.inlined[i] ? ' (inline)' : '';
  const name = el('td', { className: 'name', title: fn + suffix }, twisty, nameSpans(fn, suffix));
  // Deep trees: the indent stops growing at a fifth of the table, the names keep the rest.
  name.style.paddingLeft = `min(${8 + level * 14}px, 20%)`;
  const tr = el(
    'tr',
    { tabIndex: -1 },
    el('td', { className: 'num', textContent: fmt(m.flat(i)) }),
    el('td', { className: 'num', textContent: pct(m.flat(i)) }),
    el('td', { className: 'num', textContent: fmt(d.total[i]!) }),
    el('td', { className: 'num', textContent: pct(d.total[i]!) }),
    name,
  );
  tr.setAttribute('aria-level', String(level + 1));
  if (m.hasChildren(i)) tr.setAttribute('aria-expanded', 'false');
  return tr;
}

/** The row element's place (k) and node (i), for the delegated mouse handlers. */
function rowAt(ev: Event): { k: number; i: number; tr: HTMLTableRowElement } | undefined {
  const tr = (ev.target as HTMLElement).closest('tr');
  const m = model;
  if (!tr || !m || tr.dataset.k === undefined) return undefined;
  const k = Number(tr.dataset.k);
  return { k, i: m.rows[k]!, tr };
}
body.addEventListener('click', (ev) => {
  const r = rowAt(ev);
  if (!r) return;
  active = r.k;
  if (ev.ctrlKey || ev.metaKey) return openSource(r.i);
  toggle(r.k);
});
body.addEventListener('contextmenu', (ev) => {
  const r = rowAt(ev);
  const d = model?.d;
  if (!r || !d) return;
  ev.preventDefault();
  active = r.k;
  hooks.frameMenu(nameOf(d, r.i), ev.clientX, ev.clientY, r.tr, () => openSource(r.i));
});

function focusActive(): void {
  // moveTo scrolls; focusing must not scroll again (nor force a second layout for it).
  body.querySelector<HTMLTableRowElement>(`tr[data-k="${active}"]`)?.focus({ preventScroll: true });
}

function openSource(i: number): void {
  const d = model?.d;
  if (!d || d.nodeFile[i]! < 0) return;
  post({ type: 'openSource', file: d.files[d.nodeFile[i]!]!, line: d.nodeLine[i]!, name: nameOf(d, i) });
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** Records what is open in the saved state, after a pause (it walks the whole tree). */
function saveOpen(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    if (!model) return;
    state.expanded = model.openPaths();
    persistSoon();
  }, 250);
}

/** Opens or closes row k, timing it for the benchmark. */
function toggle(k: number, open?: boolean): void {
  const m = model;
  if (!m) return;
  const i = m.rows[k]!;
  const t0 = performance.now();
  if (open ?? !m.isOpen(i)) m.expand(k);
  else m.collapse(k);
  rendered = '';
  reuseRows = true;
  renderRows();
  reuseRows = false;
  table.dataset.toggleMs = (performance.now() - t0).toFixed(2);
  saveOpen();
}

/** Opens every level below row k (at most EXPAND_ALL_MAX rows), timing it for the benchmark. */
function expandAll(k: number): void {
  const m = model;
  if (!m) return;
  const t0 = performance.now();
  m.expandAll(k, EXPAND_ALL_MAX);
  rendered = '';
  renderRows();
  table.dataset.expandAllMs = (performance.now() - t0).toFixed(1);
  saveOpen();
}

function moveTo(k: number): void {
  const m = model;
  if (!m || m.length === 0) return;
  active = Math.max(0, Math.min(m.length - 1, k));
  const top = active * ROW_H;
  const headH = head.getBoundingClientRect().height || ROW_H;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (top + ROW_H + headH > scroller.scrollTop + scroller.clientHeight)
    scroller.scrollTop = top + ROW_H + headH - scroller.clientHeight;
  rendered = '';
  renderRows();
  focusActive();
}

body.addEventListener('keydown', (ev) => {
  const m = model;
  if (!m) return;
  const tr = (ev.target as HTMLElement).closest('tr');
  const k = tr?.dataset.k !== undefined ? Number(tr.dataset.k) : active;
  const i = m.rows[k]!;
  const d = m.d;
  const page = Math.max(1, Math.floor((scroller.clientHeight || 400) / ROW_H) - 1);
  switch (ev.key) {
    case 'ArrowDown':
      moveTo(k + 1);
      break;
    case 'ArrowUp':
      moveTo(k - 1);
      break;
    case 'PageDown':
      moveTo(k + page);
      break;
    case 'PageUp':
      moveTo(k - page);
      break;
    case 'Home':
      moveTo(0);
      break;
    case 'End':
      moveTo(m.length - 1);
      break;
    case 'ArrowRight':
      if (m.hasChildren(i) && !m.isOpen(i)) toggle(k, true);
      else if (m.hasChildren(i)) moveTo(k + 1);
      break;
    case 'ArrowLeft':
      if (m.isOpen(i)) toggle(k, false);
      else {
        // To the parent row: the nearest row above one level up.
        let r = k - 1;
        while (r >= 0 && m.level(m.rows[r]!) >= m.level(i)) r--;
        if (r >= 0) moveTo(r);
      }
      break;
    case ' ':
      toggle(k);
      break;
    case '*':
      expandAll(k);
      break;
    case 'Enter':
      openSource(i);
      break;
    case 's':
    case 'S':
      hooks.showSandwich(nameOf(d, i));
      break;
    case 'ContextMenu':
    case 'F10': {
      if (ev.key === 'F10' && !ev.shiftKey) return;
      const r = tr?.getBoundingClientRect();
      hooks.frameMenu(nameOf(d, i), (r?.left ?? 0) + 24, r?.bottom ?? 0, tr ?? scroller, () => openSource(i));
      break;
    }
    default:
      return;
  }
  ev.preventDefault();
  ev.stopPropagation();
});
body.addEventListener('focusin', (ev) => {
  const tr = (ev.target as HTMLElement).closest('tr');
  if (tr?.dataset.k !== undefined) active = Number(tr.dataset.k);
});
scroller.addEventListener('scroll', () => renderRows());
new ResizeObserver(() => renderRows()).observe(scroller);

/** Shows node i of the view's tree (opening its ancestors) and focuses it. */
export function revealInTree(i: number): void {
  renderCallTree();
  const m = model;
  if (!m) return;
  const r = m.reveal(i);
  saveOpen();
  if (r >= 0) moveTo(r);
}
