/**
 * Walks of a FlameData tree shared by the sandwich tests: a node's function name, its children,
 * and pprof's flat and cum per function (each sample counted once, at its outermost frame).
 */
import type { FlameData } from '../../../src/shared/flame';

export const nameOf = (d: FlameData, i: number) => d.names[d.nodeName[i]!]!;
export function kids(d: FlameData, i: number): number[] {
  const out: number[] = [];
  for (let c = i + 1; c < i + d.subtree[i]!; c += d.subtree[c]!) out.push(c);
  return out;
}
/** Per function: flat = sum of self; cum = sum of total of its outermost nodes (each sample once). */
export function perFunction(d: FlameData): Map<string, { flat: number; cum: number }> {
  const m = new Map<string, { flat: number; cum: number }>();
  const walk = (i: number, above: Set<string>) => {
    const n = nameOf(d, i);
    const e = m.get(n) ?? { flat: 0, cum: 0 };
    m.set(n, e);
    e.flat += d.self[i]!;
    if (!above.has(n)) e.cum += d.total[i]!;
    const next = new Set(above).add(n);
    for (const c of kids(d, i)) walk(c, next);
  };
  for (const c of kids(d, 0)) walk(c, new Set());
  return m;
}
