/**
 * The flame graph's tree (core/flame.ts) in forms other tools read:
 *
 * - folded stacks ("collapsed"): one line per distinct stack with a self value, frames root first
 *   joined by ";", then a space and the value. Brendan Gregg's flamegraph.pl, inferno and
 *   speedscope read it. Inlined frames carry inferno's/FlameGraph's "_[i]" suffix.
 * - a flat JSON node list (parent indices, so any depth is safe to serialize and rebuild).
 *
 * Names come from the profile: a ";" (the separator) becomes ":" and control characters a space,
 * so one frame can never split a line or a stack.
 */
import type { FlameData } from '../shared/flame';

function foldedName(s: string): string {
  return s.replace(/;/g, ':').replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** Values as integers where they are (counts, nanoseconds, bytes); fractions kept otherwise. */
function value(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

export function formatCollapsed(d: FlameData): string {
  const out: string[] = [];
  const path: string[] = [];
  const n = d.nodeName.length;
  for (let i = 0; i < n; i++) {
    const depth = d.depth[i]!;
    if (depth === 0) continue; // the root
    path.length = depth - 1;
    const name = d.nodeName[i]! >= 0 ? d.names[d.nodeName[i]!]! : '';
    path.push(foldedName(name) + (d.inlined[i] ? '_[i]' : ''));
    const self = d.self[i]!;
    if (self !== 0) out.push(`${path.join(';')} ${value(self)}\n`);
  }
  return out.join('');
}

export interface FlameJsonNode {
  name: string;
  file: string;
  line: number;
  /** Index of the parent in `nodes`; -1 for the root. */
  parent: number;
  depth: number;
  inlined: boolean;
  total: number;
  self: number;
}

export interface FlameJson {
  /** The denominator of percentages (pprof's report total). */
  reportTotal: number;
  unit: string;
  /** Preorder: a parent comes before its children, heavier children first. */
  nodes: FlameJsonNode[];
}

export function flameJson(d: FlameData, unit: string): FlameJson {
  const nodes: FlameJsonNode[] = [];
  const stack: number[] = [];
  for (let i = 0; i < d.nodeName.length; i++) {
    const depth = d.depth[i]!;
    stack.length = depth;
    nodes.push({
      name: d.nodeName[i]! >= 0 ? d.names[d.nodeName[i]!]! : depth === 0 ? 'root' : '',
      file: d.nodeFile[i]! >= 0 ? d.files[d.nodeFile[i]!]! : '',
      line: d.nodeLine[i]!,
      parent: depth === 0 ? -1 : stack[depth - 1]!,
      depth,
      inlined: d.inlined[i] === 1,
      total: d.total[i]!,
      self: d.self[i]!,
    });
    stack.push(i);
  }
  return { reportTotal: d.reportTotal, unit, nodes };
}
