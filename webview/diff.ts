/**
 * Diff shading for a comparison (-base / -diff_base): the merged tree holds, per node, the signed
 * change (total = after − before) and the summed |values| (weight = after + before, the new
 * profile's samples counting positive and the base's negative), so before and after come back
 * exactly: after = (weight + total) / 2, before = (weight − total) / 2. The graph is then laid out
 * with the NEW profile's widths (what the program does now), coloured by the sign and size of each
 * frame's change (flame/colors diffColor), and the tooltip gives before, after and the delta.
 */
import type { FlameData } from '../src/shared/flame';

export interface DiffColumns {
  readonly before: Float64Array;
  readonly after: Float64Array;
}

const columns = new WeakMap<FlameData, DiffColumns>();

/** The diff columns of a tree made by diffLayout, if it is one. */
export function diffOf(d: FlameData): DiffColumns | undefined {
  return columns.get(d);
}

/** The same tree laid out by `after` (the new profile): weight and start recomputed in preorder. */
export function diffLayout(d: FlameData): FlameData {
  const N = d.nodeName.length;
  const before = new Float64Array(N);
  const after = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const w = d.weight[i]!;
    const t = d.total[i]!;
    after[i] = Math.max(0, (w + t) / 2);
    before[i] = Math.max(0, (w - t) / 2);
  }
  const start = new Float64Array(N);
  // Children follow their parent; each child starts where its previous sibling ended.
  const next = new Float64Array(N); // next free offset inside node i
  const stack: number[] = [];
  for (let i = 0; i < N; i++) {
    while (stack.length > 0 && i >= stack[stack.length - 1]! + d.subtree[stack[stack.length - 1]!]!) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1]! : -1;
    start[i] = parent < 0 ? 0 : next[parent]!;
    if (parent >= 0) next[parent] = next[parent]! + after[i]!;
    next[i] = start[i]!;
    stack.push(i);
  }
  const out: FlameData = { ...d, weight: after, start };
  columns.set(out, { before, after });
  return out;
}

/** Tooltip lines for node i of a diff tree: before → after, and the change (signed, and relative to before). */
export function diffLines(d: FlameData, i: number, fmt: (v: number) => string): string[] {
  const c = columns.get(d);
  if (!c) return [];
  const b = c.before[i]!;
  const a = c.after[i]!;
  const delta = a - b;
  const rel = b > 0 ? ` (${delta >= 0 ? '+' : ''}${((delta / b) * 100).toFixed(1)}%)` : a > 0 ? ' (new)' : '';
  const plain = (v: number) => fmt(v).replace(/^\+/, '');
  return [`before ${plain(b)} → after ${plain(a)}`, `delta ${delta > 0 ? '+' : ''}${plain(delta)}${rel}`];
}
