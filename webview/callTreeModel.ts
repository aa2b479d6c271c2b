/**
 * The call tree table's rows, pure: which nodes of the merged tree (FlameData, preorder) are
 * visible, in order, given what is expanded. Expanding a node inserts its children (heaviest
 * first, or by name) after it; collapsing removes its visible descendants. Both cost the rows
 * they add or remove plus one copy of the row list, so a level opens in well under a frame even
 * with 100,000 rows visible.
 */
import type { FlameData } from '../src/shared/flame';
import type { SiblingOrder } from './flame/order';

export class CallTreeModel {
  /** Visible node indices, in display order. */
  rows: Int32Array;
  private readonly open: Uint8Array;

  constructor(
    readonly d: FlameData,
    readonly order: SiblingOrder = 'heavy',
    /** The tree is bottom-up (Inverted): see flat(). */
    readonly inverted = false,
  ) {
    this.open = new Uint8Array(d.nodeName.length);
    this.open[0] = 1;
    this.rows = Int32Array.from(this.children(0));
  }

  /**
   * The flat column of node i. Top-down: the node's own samples (pprof -tree's flat). Inverted
   * (bottom-up), a root is the function the stacks end in: its flat is every sample ending in it,
   * its whole value (= pprof -top's flat of that function); the nodes below are its callers, which
   * did not run those samples themselves: 0 (as Firefox's inverted call tree).
   */
  flat(i: number): number {
    if (!this.inverted) return this.d.self[i]!;
    return this.d.depth[i] === 1 ? this.d.total[i]! : 0;
  }

  get length(): number {
    return this.rows.length;
  }

  isOpen(i: number): boolean {
    return this.open[i] === 1;
  }

  hasChildren(i: number): boolean {
    return this.d.subtree[i]! > 1;
  }

  /** Depth of row node i below the root's children (0 for them). */
  level(i: number): number {
    return this.d.depth[i]! - 1;
  }

  children(i: number): number[] {
    const d = this.d;
    const out: number[] = [];
    for (let c = i + 1; c < i + d.subtree[i]!; c += d.subtree[c]!) out.push(c);
    if (this.order === 'name' && out.length > 1) {
      const name = (k: number) => d.names[d.nodeName[k]!] ?? '';
      out.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a - b));
    }
    return out;
  }

  /** The row showing node i, or -1. */
  rowOf(i: number): number {
    return this.rows.indexOf(i);
  }

  /** Opens the node at row r; returns the number of rows added. */
  expand(r: number): number {
    const i = this.rows[r]!;
    if (this.open[i] || !this.hasChildren(i)) return 0;
    this.open[i] = 1;
    const add = this.visibleBelow(i);
    const rows = new Int32Array(this.rows.length + add.length);
    rows.set(this.rows.subarray(0, r + 1));
    rows.set(add, r + 1);
    rows.set(this.rows.subarray(r + 1), r + 1 + add.length);
    this.rows = rows;
    return add.length;
  }

  /**
   * Opens the node at row r and every node below it, in the order the rows show them, while the
   * table has fewer than `max` rows (the node that crosses it still opens whole); returns the
   * number of rows added. One walk of the rows it shows and one copy of the row list, however many
   * nodes it opens (opening them one by one copied the list per node: seconds for 100,000 rows).
   */
  expandAll(r: number, max: number): number {
    const d = this.d;
    const i = this.rows[r]!;
    const end = i + d.subtree[i]!;
    let k = r + 1;
    while (k < this.rows.length && this.rows[k]! > i && this.rows[k]! < end) k++;
    const before = k - r - 1;
    let budget = max - this.rows.length;
    // The rows below i, in display order, opening each node on the way while the budget lasts.
    let out = new Int32Array(Math.max(16, before));
    let n = 0;
    const stack: number[] = [i];
    while (stack.length > 0) {
      const j = stack.pop()!;
      if (j !== i) {
        if (n === out.length) {
          const o = new Int32Array(out.length * 2);
          o.set(out);
          out = o;
        }
        out[n++] = j;
      }
      if (!this.open[j] && budget > 0 && this.hasChildren(j)) {
        this.open[j] = 1;
        budget -= this.visibleCount(j);
      }
      if (!this.open[j]) continue;
      if (this.order === 'heavy') {
        // Children pushed last first: the heaviest (first in preorder) is shown first.
        const top = stack.length;
        for (let c = j + 1; c < j + d.subtree[j]!; c += d.subtree[c]!) stack.push(c);
        for (let a = top, b = stack.length - 1; a < b; a++, b--) {
          const t = stack[a]!;
          stack[a] = stack[b]!;
          stack[b] = t;
        }
      } else {
        const kids = this.children(j);
        for (let c = kids.length - 1; c >= 0; c--) stack.push(kids[c]!);
      }
    }
    const rows = new Int32Array(this.rows.length - before + n);
    rows.set(this.rows.subarray(0, r + 1));
    rows.set(out.subarray(0, n), r + 1);
    rows.set(this.rows.subarray(k), r + 1 + n);
    this.rows = rows;
    return n - before;
  }

  /** Closes the node at row r; returns the number of rows removed. */
  collapse(r: number): number {
    const i = this.rows[r]!;
    if (!this.open[i]) return 0;
    this.open[i] = 0;
    const end = i + this.d.subtree[i]!;
    let k = r + 1;
    while (k < this.rows.length && this.rows[k]! > i && this.rows[k]! < end) k++;
    const removed = k - r - 1;
    const rows = new Int32Array(this.rows.length - removed);
    rows.set(this.rows.subarray(0, r + 1));
    rows.set(this.rows.subarray(k), r + 1);
    this.rows = rows;
    return removed;
  }

  /** Opens every ancestor of node i (so that it is visible); returns its row. */
  reveal(i: number): number {
    const d = this.d;
    const path: number[] = [];
    for (let j = i - 1, depth = d.depth[i]!; j >= 0 && depth > 1; j--)
      if (d.depth[j] === depth - 1 && j + d.subtree[j]! > i) {
        path.push(j);
        depth--;
      }
    for (const a of path.reverse()) {
      const r = this.rowOf(a);
      if (r >= 0) this.expand(r);
    }
    return this.rowOf(i);
  }

  /** The open nodes below the root, each as the names from the root (for the saved state). */
  openPaths(): string[][] {
    const d = this.d;
    const out: string[][] = [];
    const stack: string[] = [];
    const ends: number[] = [];
    for (let i = 1; i < d.nodeName.length; i++) {
      while (ends.length && i >= ends[ends.length - 1]!) {
        ends.pop();
        stack.pop();
      }
      stack.push(d.names[d.nodeName[i]!] ?? '');
      ends.push(i + d.subtree[i]!);
      if (this.open[i]) out.push([...stack]);
    }
    return out;
  }

  /** Opens the nodes named by paths (as openPaths gave them), as far as they exist. */
  openByPaths(paths: readonly (readonly string[])[]): void {
    const d = this.d;
    for (const p of paths) {
      let node = 0;
      for (const name of p) {
        let found = -1;
        for (let c = node + 1; c < node + d.subtree[node]!; c += d.subtree[c]!)
          if (d.names[d.nodeName[c]!] === name) {
            found = c;
            break;
          }
        if (found < 0) {
          node = -1;
          break;
        }
        node = found;
      }
      if (node > 0) {
        const r = this.reveal(node);
        if (r >= 0) this.expand(r);
      }
    }
  }

  /** How many rows show below an open node i: its children, and theirs when open. */
  private visibleCount(i: number): number {
    const d = this.d;
    let n = 0;
    const stack = [i];
    while (stack.length > 0) {
      const j = stack.pop()!;
      for (let c = j + 1; c < j + d.subtree[j]!; c += d.subtree[c]!) {
        n++;
        if (this.open[c]) stack.push(c);
      }
    }
    return n;
  }

  /** The visible rows below an open node i: its children, and theirs when open. */
  private visibleBelow(i: number): ArrayLike<number> {
    const d = this.d;
    if (this.order === 'heavy') {
      // The common case, a node whose children are all closed: its children in preorder.
      let n = 0;
      let closed = true;
      for (let c = i + 1; c < i + d.subtree[i]!; c += d.subtree[c]!) {
        n++;
        if (this.open[c]) closed = false;
      }
      if (closed) {
        const out = new Int32Array(n);
        let k = 0;
        for (let c = i + 1; c < i + d.subtree[i]!; c += d.subtree[c]!) out[k++] = c;
        return out;
      }
    }
    const out: number[] = [];
    const walk = (n: number) => {
      for (const c of this.children(n)) {
        out.push(c);
        if (this.open[c]) walk(c);
      }
    };
    walk(i);
    return out;
  }
}
