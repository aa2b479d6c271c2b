/**
 * The callers of one source line (the editor hover's "called from" list): in each stack that
 * passes through file:line, the frame that called it (the next frame outwards, inlined or not,
 * that is not the line itself: a recursive call is no caller, as in pprof -peek), counted once per stack.
 *
 * It reads the profile through core's one frame table (graph's buildNodeTable at line
 * granularity, the nodes pprof -lines makes) and core's one traversal (stacks: each distinct
 * stack once, with its samples' summed values), as annotate, flame and graph do.
 */
import { buildNodeTable, type NodeTable } from './graph';
import type { Profile } from './model';
import { stacksOf } from './stacks';

export interface LineCaller {
  /** The calling function's name ("<unknown>" for a frame without one). */
  readonly name: string;
  /** Its file and line at the call ("" / 0 when unknown). */
  readonly file: string;
  readonly line: number;
  /** The summed sample values of the stacks through the line that this frame called it in. */
  readonly weight: number;
}

export interface LineQuery {
  readonly sampleIndex: number;
  /** The profile's file name, cleaned as the annotations have it (graph's cleanPath). */
  readonly file: string;
  readonly line: number;
  /** At most this many callers, the heaviest (by absolute weight) first. */
  readonly limit: number;
}

/** Per profile: its line-granularity node table and, per node, the caller it names. */
interface CallerTable {
  readonly nodes: NodeTable;
  /** Per node, its caller key id (name, file, line): nodes that differ only in object file share one. */
  readonly edgeOf: Int32Array;
  readonly edges: { name: string; file: string; line: number }[];
}

const tables = new WeakMap<Profile, CallerTable>();

function callerTable(p: Profile): CallerTable {
  const hit = tables.get(p);
  if (hit) return hit;
  const nodes = buildNodeTable(p, { sampleIndex: 0, granularity: 'lines' });
  const byKey = new Map<string, number>();
  const edges: CallerTable['edges'] = [];
  const edgeOf = new Int32Array(nodes.infos.length);
  nodes.infos.forEach((n, i) => {
    const key = `${n.name}\u0000${n.file}\u0000${n.line}`;
    let e = byKey.get(key);
    if (e === undefined) {
      byKey.set(key, (e = edges.length));
      edges.push({ name: n.name || '<unknown>', file: n.file, line: n.line });
    }
    edgeOf[i] = e;
  });
  const t = { nodes, edgeOf, edges };
  tables.set(p, t);
  return t;
}

/** 1 for each frame node at file:line; undefined when there is none. */
function lineTargets(
  infos: readonly { readonly file: string; readonly line: number }[],
  q: { readonly file: string; readonly line: number },
): Uint8Array | undefined {
  const target = new Uint8Array(infos.length);
  let any = false;
  infos.forEach((n, i) => {
    if (n.line === q.line && n.file === q.file && n.file !== '') target[i] = 1;
    any ||= target[i] === 1;
  });
  return any ? target : undefined;
}

/** The callers of q.file:q.line in p, heaviest first (ties by name, file, line). */
export function lineCallers(p: Profile, q: LineQuery): LineCaller[] {
  const { nodes, edgeOf, edges } = callerTable(p);
  const { locStart, frameNode, infos } = nodes;
  const target = lineTargets(infos, q);
  if (!target) return [];
  const T = p.sampleTypes.length;
  const { locStart: stackStart, stackLocs } = p.samples;
  const st = stacksOf(p);
  const weight = new Float64Array(edges.length);
  const seen = new Uint8Array(edges.length);
  const stamp = new Int32Array(edges.length).fill(-1);
  for (let u = 0; u < st.count; u++) {
    if (st.nonzero[u * T + q.sampleIndex] !== 1) continue;
    const v = st.sums[u * T + q.sampleIndex]!;
    const s = st.table[u]!;
    const end = stackStart[s + 1]!;
    let found = false;
    // The caller key of the target frame last seen: a frame of that same line calling it (a
    // recursive function) is no caller, as pprof's graph drops self edges (-peek, -lines).
    let self = -1;
    for (let k = stackStart[s]!; k < end; k++) {
      const loc = stackLocs[k]!;
      // A location without lines has no frames (the node table gives it one for its address).
      if (p.locations[loc]!.lines.length === 0) continue;
      const fEnd = locStart[loc + 1]!;
      for (let f = locStart[loc]!; f < fEnd; f++) {
        const node = frameNode[f]!;
        if (found) {
          const e = edgeOf[node]!;
          if (e === self) continue;
          if (stamp[e] !== u) {
            stamp[e] = u;
            weight[e] = weight[e]! + v;
            seen[e] = 1;
          }
          found = false;
        }
        if (target[node] === 1) {
          found = true;
          self = edgeOf[node]!;
        }
      }
    }
  }
  const out: LineCaller[] = [];
  for (let e = 0; e < edges.length; e++) if (seen[e] === 1) out.push({ ...edges[e]!, weight: weight[e]! });
  return out.sort(callerOrder).slice(0, q.limit);
}

/** The callers' order: heaviest (by magnitude) first, then by name, file and line. */
export function callerOrder(a: LineCaller, b: LineCaller): number {
  return (
    Math.abs(b.weight) - Math.abs(a.weight) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line
  );
}

/**
 * The functions with a value on file:line: those whose frame at the line is in a stack with a
 * nonzero value of some sample type, i.e. whose `go tool pprof -list` shows a number (not ".") on
 * it. A closure's line lies within its enclosing function's lines but is not among its values.
 * Sorted by name.
 */
export function lineFunctions(p: Profile, q: { readonly file: string; readonly line: number }): string[] {
  const { nodes } = callerTable(p);
  const { locStart, frameNode, infos } = nodes;
  const target = lineTargets(infos, q);
  if (!target) return [];
  const T = p.sampleTypes.length;
  const { locStart: stackStart, stackLocs } = p.samples;
  const st = stacksOf(p);
  const names = new Set<string>();
  for (let u = 0; u < st.count; u++) {
    let nonzero = false;
    for (let t = 0; t < T && !nonzero; t++) nonzero = st.nonzero[u * T + t] === 1;
    if (!nonzero) continue;
    const s = st.table[u]!;
    const end = stackStart[s + 1]!;
    for (let k = stackStart[s]!; k < end; k++) {
      const loc = stackLocs[k]!;
      if (p.locations[loc]!.lines.length === 0) continue;
      for (let f = locStart[loc]!; f < locStart[loc + 1]!; f++) {
        const node = frameNode[f]!;
        if (target[node] === 1) names.add(infos[node]!.name);
      }
    }
  }
  return [...names].sort();
}
