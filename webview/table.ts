/**
 * The top table, virtualised: every function of the profile (no row cap), sortable by flat, cum
 * or name; only the rows in view (plus a margin) exist in the DOM, so 100,000 rows scroll and
 * sort without a stall. Rows are focusable; arrow keys, Page Up/Down, Home and End move the
 * focus through all rows, Enter opens the source.
 */
import { fitName, nameSpans } from './nameCell';
import type { TopTable } from '../src/shared/protocol';
import { percentage } from '../src/shared/units';
import { el } from './dom';
import { fileLines } from './sources';

export type SortKey = 'flat' | 'cum' | 'name';

export interface TableOptions {
  fmt: (v: number) => string;
  total: number;
  sort: SortKey;
  sortDesc: boolean;
  onSort: (key: SortKey, desc: boolean) => void;
  onOpen: (row: number) => void;
  onScroll: (firstRow: number) => void;
  /** Values are signed changes (a comparison): headers say Δ; descending is by |Δ| (pprof -base), ascending by the signed Δ. */
  signed?: boolean;
  /** The row's actions menu (right click, context-menu key, Shift+F10) at client pixels. */
  onMenu?: (row: number, x: number, y: number, from: HTMLElement) => void;
  /** S on a row: the sandwich of its function. */
  onSandwich?: (row: number) => void;
  /** Rows to mark (the editor cursor's function). */
  marked?: (row: number) => boolean;
}

export const TABLE_ROW = 20;
const OVERSCAN = 10;

/** Row order for a sort: a permutation of 0..n-1 (stable: ties keep pprof's order). */
export function sortOrder(t: TopTable, key: SortKey, desc: boolean, signed = false): Uint32Array {
  const n = t.name.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (key === 'name') {
    const coll = new Intl.Collator(undefined, { sensitivity: 'variant' });
    order.sort((a, b) => (desc ? -1 : 1) * coll.compare(t.name[a]!, t.name[b]!) || a - b);
  } else {
    const col = t[key];
    // Descending: by size, as pprof -top (and -top -base: the largest change, growth or shrink, first;
    // ties keep pprof's order, by name). A comparison ascending: by the signed change, largest shrink first.
    if (signed && !desc) order.sort((a, b) => col[a]! - col[b]! || a - b);
    else order.sort((a, b) => (desc ? -1 : 1) * (Math.abs(col[a]!) - Math.abs(col[b]!)) || a - b);
  }
  return order;
}

export class VirtualTable {
  readonly scroller = el('div', { id: 'top-scroll', tabIndex: -1 });
  private readonly table = el('table', { id: 'top-table' });
  private readonly head = el('thead');
  private readonly body = el('tbody');
  private data?: TopTable;
  private opts?: TableOptions;
  private order: Uint32Array = new Uint32Array(0);
  private sum = new Float64Array(0);
  private active = 0;
  private rendered = '';

  constructor() {
    this.table.append(this.head, this.body);
    this.scroller.append(this.table);
    this.scroller.addEventListener('scroll', () => {
      this.renderRows();
      this.opts?.onScroll(Math.floor(this.scroller.scrollTop / TABLE_ROW));
    });
    new ResizeObserver(() => this.renderRows()).observe(this.scroller);
    this.body.addEventListener('keydown', (ev) => this.onKey(ev));
    this.body.addEventListener('focusin', (ev) => {
      const tr = (ev.target as HTMLElement).closest('tr');
      if (tr?.dataset.k !== undefined) this.active = Number(tr.dataset.k);
    });
  }

  get rowCount(): number {
    return this.order.length;
  }

  /** The data row shown at position k in the current order. */
  rowAt(k: number): number {
    return this.order[k]!;
  }

  set(data: TopTable, o: TableOptions, firstRow?: number): void {
    this.data = data;
    this.opts = o;
    this.order = sortOrder(data, o.sort, o.sortDesc, o.signed === true);
    // sum% accumulates flat down the table, as pprof's -top does.
    this.sum = new Float64Array(this.order.length);
    let s = 0;
    for (let k = 0; k < this.order.length; k++) this.sum[k] = s += data.flat[this.order[k]!]!;
    this.table.dataset.rows = String(this.order.length);
    this.renderHead();
    this.rendered = '';
    this.renderRows();
    if (firstRow !== undefined && firstRow > 0) {
      // Now that the rows (and spacers) give the table its height, the offset can be restored.
      this.scroller.scrollTop = firstRow * TABLE_ROW;
      this.renderRows();
    }
  }

  private renderHead(): void {
    const o = this.opts!;
    const head = el('tr');
    const d = o.signed ? 'Δ ' : '';
    const cols: [string, SortKey | null][] = [
      [`${d}flat`, 'flat'],
      ['flat%', null],
      ['sum%', null],
      [`${d}cum`, 'cum'],
      ['cum%', null],
      ['name', 'name'],
    ];
    for (const [label, k] of cols) {
      const th = el('th', { textContent: label + (k === o.sort ? (o.sortDesc ? ' ▾' : ' ▴') : '') });
      if (k) {
        th.className = 'sortable';
        th.tabIndex = 0;
        th.setAttribute('aria-sort', k === o.sort ? (o.sortDesc ? 'descending' : 'ascending') : 'none');
        const sort = () => o.onSort(k, o.sort === k ? !o.sortDesc : k !== 'name');
        th.addEventListener('click', sort);
        th.addEventListener('keydown', (ev) => (ev.key === 'Enter' || ev.key === ' ') && (ev.preventDefault(), sort()));
      }
      head.append(th);
    }
    this.head.replaceChildren(head);
  }

  /** Renders the rows in view again (their marks changed). */
  refresh(): void {
    this.rendered = '';
    this.renderRows();
  }

  /**
   * Scrolls the first marked row into view when none is in view (the editor cursor's function),
   * without moving the focus: the editor keeps it. One pass over the rows.
   */
  revealMarked(): void {
    const o = this.opts;
    if (!o?.marked || this.scroller.hidden) return;
    const viewH = this.scroller.clientHeight || 400;
    const first = Math.floor(this.scroller.scrollTop / TABLE_ROW);
    const last = Math.floor((this.scroller.scrollTop + viewH) / TABLE_ROW) - 2; // under the sticky header
    let target = -1;
    for (let k = 0; k < this.order.length; k++) {
      if (!o.marked(this.order[k]!)) continue;
      if (k >= first && k <= last) return;
      if (target < 0) target = k;
    }
    if (target < 0) return;
    this.scroller.scrollTop = Math.max(0, (target - 2) * TABLE_ROW);
    this.renderRows();
  }

  /** Renders the rows in view; cheap when nothing changed. */
  renderRows(): void {
    const d = this.data;
    const o = this.opts;
    if (!d || !o) return;
    const n = this.order.length;
    const viewH = this.scroller.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / TABLE_ROW) - OVERSCAN);
    const last = Math.min(n, Math.ceil((this.scroller.scrollTop + viewH) / TABLE_ROW) + OVERSCAN);
    const key = `${first}:${last}:${n}`;
    if (key === this.rendered) return;
    this.rendered = key;
    const focused = document.activeElement instanceof HTMLTableRowElement && this.body.contains(document.activeElement);
    const rows: HTMLTableRowElement[] = [];
    const spacer = (h: number) => {
      const tr = el('tr', { className: 'spacer' });
      tr.style.height = `${h}px`;
      tr.setAttribute('aria-hidden', 'true');
      return tr;
    };
    if (first > 0) rows.push(spacer(first * TABLE_ROW));
    for (let k = first; k < last; k++) {
      const r = this.order[k]!;
      const file = d.file[r] ? fileLines(d.file[r]!, d.line[r]!).join('\n') : '';
      const tr = el(
        'tr',
        { tabIndex: k === this.active ? 0 : -1, title: file || d.name[r]! },
        el('td', { className: 'num', textContent: o.fmt(d.flat[r]!) }),
        el('td', { className: 'num', textContent: percentage(d.flat[r]!, o.total).trim() }),
        el('td', { className: 'num', textContent: percentage(this.sum[k]!, o.total).trim() }),
        el('td', { className: 'num', textContent: o.fmt(d.cum[r]!) }),
        el('td', { className: 'num', textContent: percentage(d.cum[r]!, o.total).trim() }),
        fitName(
          el('td', { className: 'name', title: file ? `${d.name[r]!}\n${file}` : d.name[r]! }, nameSpans(d.name[r]!)),
        ),
      );
      tr.dataset.k = String(k);
      if (o.marked?.(r)) tr.classList.add('cursor');
      tr.setAttribute('aria-rowindex', String(k + 2));
      tr.addEventListener('click', () => {
        this.active = k;
        o.onOpen(r);
      });
      tr.addEventListener('contextmenu', (ev) => {
        if (!o.onMenu) return;
        ev.preventDefault();
        this.active = k;
        o.onMenu(r, ev.clientX, ev.clientY, tr);
      });
      rows.push(tr);
    }
    if (last < n) rows.push(spacer((n - last) * TABLE_ROW));
    this.body.replaceChildren(...rows);
    this.table.setAttribute('aria-rowcount', String(n + 1));
    if (focused) this.focusActive();
  }

  private focusActive(): void {
    const tr = this.body.querySelector<HTMLTableRowElement>(`tr[data-k="${this.active}"]`);
    tr?.focus({ preventScroll: false });
  }

  private onKey(ev: KeyboardEvent): void {
    const n = this.order.length;
    if (n === 0 || !this.opts) return;
    const page = Math.max(1, Math.floor((this.scroller.clientHeight || 400) / TABLE_ROW) - 1);
    const target = (ev.target as HTMLElement).closest('tr');
    const cur = target?.dataset.k !== undefined ? Number(target.dataset.k) : this.active;
    let next = cur;
    switch (ev.key) {
      case 'ArrowDown':
        next = cur + 1;
        break;
      case 'ArrowUp':
        next = cur - 1;
        break;
      case 'PageDown':
        next = cur + page;
        break;
      case 'PageUp':
        next = cur - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Enter':
        this.opts.onOpen(this.order[cur]!);
        return;
      case 's':
      case 'S':
        this.opts.onSandwich?.(this.order[cur]!);
        return;
      case 'ContextMenu':
      case 'F10': {
        if ((ev.key === 'F10' && !ev.shiftKey) || !this.opts.onMenu || !target) return;
        ev.preventDefault();
        const r = target.getBoundingClientRect();
        this.opts.onMenu(this.order[cur]!, r.left + 24, r.bottom, target);
        return;
      }
      default:
        return;
    }
    ev.preventDefault();
    this.active = Math.max(0, Math.min(n - 1, next));
    const top = this.active * TABLE_ROW;
    const headH = this.head.getBoundingClientRect().height || TABLE_ROW;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + TABLE_ROW + headH > this.scroller.scrollTop + this.scroller.clientHeight)
      this.scroller.scrollTop = top + TABLE_ROW + headH - this.scroller.clientHeight;
    this.rendered = '';
    this.renderRows();
    this.focusActive();
  }
}
