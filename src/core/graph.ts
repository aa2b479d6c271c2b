/**
 * The call graph pprof's text reports are built from: nodes keyed like pprof's NodeInfo at a
 * granularity (functions, filefunctions, files, lines, addresses), flat and cum per node with
 * cum counted once per sample however often a node recurs in the stack, and caller -> callee
 * edges with weights and inline marks. The same node trimming as `go tool pprof` (node
 * fraction, node count, edge fraction) so that top and peek print the same rows.
 *
 * Work is proportional to the number of stack entries, with typed arrays and per-sample stamps
 * instead of per-sample sets.
 */
import type { Profile } from './model';

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

export interface GraphOptions {
  sampleIndex: number;
  granularity?: Granularity;
  /** Attribute inlined frames to the function they were inlined into (pprof's -noinlines). */
  noInlines?: boolean;
  /** Keep the object file and start line in node keys (pprof does for list and raw reports). */
  objNames?: boolean;
  dropNegative?: boolean;
}

/** pprof's NodeInfo. */
export interface NodeInfo {
  readonly name: string;
  readonly origName: string;
  readonly address: number;
  readonly file: string;
  readonly startLine: number;
  readonly line: number;
  readonly objfile: string;
}

export interface Edge {
  readonly src: number;
  readonly dest: number;
  weight: number;
  residual: boolean;
  /** True when every contribution to the edge was a call inlined into its caller. */
  inline: boolean;
}

export interface GraphNode {
  readonly id: number;
  readonly info: NodeInfo;
  readonly printableName: string;
  flat: number;
  cum: number;
  readonly in: Map<number, Edge>;
  readonly out: Map<number, Edge>;
}

export interface Graph {
  /** Nodes with a nonzero flat or cum, in no particular order until sorted. */
  nodes: GraphNode[];
}

/** pprof's NodeInfo.PrintableName. */
export function printableName(i: NodeInfo): string {
  const parts: string[] = [];
  if (i.address !== 0) parts.push(i.address.toString(16).padStart(16, '0'));
  if (i.name !== '') parts.push(i.name);
  if (i.line !== 0) parts.push(`${i.file}:${i.line}`);
  else if (i.file !== '') parts.push(i.file);
  else if (i.name !== '') {
    // the name says it all
  } else if (i.objfile !== '') parts.push(`[${baseName(i.objfile)}]`);
  else parts.push('<unknown>');
  return parts.join(' ');
}

export function baseName(p: string): string {
  const s = p.replace(/\/+$/, '');
  if (s === '') return p === '' ? '.' : '/';
  return s.slice(s.lastIndexOf('/') + 1);
}

/** Go's filepath.Clean for slash paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? (rooted ? '/' : '.') : s;
}

/** Go's fmt.Sprint of a NodeInfo: the last tie-break of pprof's sort orders. */
function infoString(i: NodeInfo): string {
  return `{${i.name} ${i.origName} ${i.address} ${i.file} ${i.startLine} ${i.line} ${i.objfile}}`;
}

/**
 * The nodes of every location at a granularity: locNodes[loc] lists node ids for its lines,
 * innermost first (as Location.lines), after pprof's Aggregate step.
 */
export interface NodeTable {
  readonly infos: NodeInfo[];
  readonly locNodes: Int32Array[];
}

export function buildNodeTable(p: Profile, o: GraphOptions): NodeTable {
  const g = o.granularity ?? 'functions';
  const keepFunction = g !== 'files';
  const keepFile = g !== 'functions';
  const keepLine = g === 'lines' || g === 'addresses';
  const keepAddress = g === 'addresses' && !!o.noInlines;
  const inlines = !o.noInlines;
  // Granularity "addresses" with inlines on leaves the profile as it is.
  const asIs = g === 'addresses' && inlines;

  const byKey = new Map<string, number>();
  const infos: NodeInfo[] = [];
  const nodeOf = (info: NodeInfo): number => {
    const key = `${info.name}\u0000${info.origName}\u0000${info.address}\u0000${info.file}\u0000${info.startLine}\u0000${info.line}\u0000${info.objfile}`;
    let id = byKey.get(key);
    if (id === undefined) {
      id = infos.length;
      infos.push(info);
      byKey.set(key, id);
    }
    return id;
  };
  const cleaned = new Map<string, string>();
  const clean = (f: string): string => {
    let c = cleaned.get(f);
    if (c === undefined) cleaned.set(f, (c = cleanPath(f)));
    return c;
  };

  const locNodes: Int32Array[] = new Array(p.locations.length);
  for (let li = 0; li < p.locations.length; li++) {
    const l = p.locations[li]!;
    const objfile = l.mapping >= 0 ? p.mappings[l.mapping]!.file : '';
    const address = asIs || keepAddress ? l.address : 0;
    let lines = l.lines;
    if (!inlines && lines.length > 1) lines = lines.slice(lines.length - 1);
    if (lines.length === 0) {
      locNodes[li] = Int32Array.of(nodeOf({ name: '', origName: '', address, file: '', startLine: 0, line: 0, objfile }));
      continue;
    }
    const ids = new Int32Array(lines.length);
    for (let k = 0; k < lines.length; k++) {
      const ln = lines[k]!;
      if (ln.func < 0) {
        ids[k] = nodeOf({ name: '', origName: '', address, file: '', startLine: 0, line: 0, objfile });
        continue;
      }
      const f = p.functions[ln.func]!;
      const name = asIs || keepFunction ? f.name : '';
      const file = (asIs || keepFile) && f.file !== '' ? clean(f.file) : '';
      const withObj = !!o.objNames || name === '';
      ids[k] = nodeOf({
        name,
        origName: '',
        address,
        file,
        // Files granularity merges all of a file's functions, whatever their start lines.
        startLine: withObj && g !== 'files' ? f.startLine : 0,
        line: asIs || keepLine ? ln.line : 0,
        objfile: withObj ? objfile : '',
      });
    }
    locNodes[li] = ids;
  }
  return { infos, locNodes };
}

/**
 * Builds the graph from the samples (pprof's newGraph). kept, when given, limits the nodes:
 * frames of other nodes are skipped, and an edge over skipped frames is marked residual.
 */
export function buildGraph(p: Profile, table: NodeTable, o: GraphOptions, kept?: Uint8Array): Graph {
  const { infos, locNodes } = table;
  const N = infos.length;
  const flat = new Float64Array(N);
  const cum = new Float64Array(N);
  const stamp = new Int32Array(N).fill(-1);
  const edges = new Map<number, Edge & { stamp: number }>();
  const { values, stackStart, stackLocs, count } = p.samples;
  const T = p.sampleTypes.length;
  const si = o.sampleIndex;

  for (let s = 0; s < count; s++) {
    const w = values[s * T + si]!;
    if (w === 0) continue;
    let parent = -1;
    let residual = false;
    const a = stackStart[s]!;
    for (let k = stackStart[s + 1]! - 1; k >= a; k--) {
      const ln = locNodes[stackLocs[k]!]!;
      const last = ln.length - 1;
      for (let ni = last; ni >= 0; ni--) {
        const n = ln[ni]!;
        if (kept && !kept[n]) {
          residual = true;
          continue;
        }
        if (stamp[n] !== s) {
          stamp[n] = s;
          cum[n] = cum[n]! + w;
        }
        if (parent >= 0 && n !== parent) {
          const key = parent * N + n;
          let e = edges.get(key);
          if (!e) {
            e = { src: parent, dest: n, weight: 0, residual: false, inline: ni !== last, stamp: -1 };
            edges.set(key, e);
          }
          if (e.stamp !== s) {
            e.stamp = s;
            e.weight += w;
            if (residual) e.residual = true;
            if (ni === last) e.inline = false;
          }
        }
        parent = n;
        residual = false;
      }
    }
    if (parent >= 0 && !residual) flat[parent] = flat[parent]! + w;
  }

  const nodeById = new Map<number, GraphNode>();
  const nodes: GraphNode[] = [];
  for (let n = 0; n < N; n++) {
    if (cum[n] === 0 && flat[n] === 0) continue;
    if (kept && !kept[n]) continue;
    if (o.dropNegative && (flat[n]! < 0 || cum[n]! < 0)) continue;
    const info = infos[n]!;
    const node: GraphNode = {
      id: n, info, printableName: printableName(info), flat: flat[n]!, cum: cum[n]!, in: new Map(), out: new Map(),
    };
    nodeById.set(n, node);
    nodes.push(node);
  }
  for (const e of edges.values()) {
    const src = nodeById.get(e.src);
    const dest = nodeById.get(e.dest);
    if (!src || !dest) continue;
    const edge: Edge = { src: e.src, dest: e.dest, weight: e.weight, residual: e.residual, inline: e.inline };
    src.out.set(e.dest, edge);
    dest.in.set(e.src, edge);
  }
  return { nodes };
}

export type SortOrder = 'flat' | 'cum';

/** pprof's FlatNameOrder / CumNameOrder. */
export function sortNodes(nodes: GraphNode[], order: SortOrder): void {
  const cache = new Map<GraphNode, string>();
  const full = (n: GraphNode) => {
    let s = cache.get(n);
    if (s === undefined) cache.set(n, (s = infoString(n.info)));
    return s;
  };
  const byName = (l: GraphNode, r: GraphNode) =>
    l.printableName < r.printableName ? -1 : l.printableName > r.printableName ? 1 : 0;
  const last = (l: GraphNode, r: GraphNode) => (full(l) < full(r) ? -1 : full(l) > full(r) ? 1 : 0);
  if (order === 'flat') {
    nodes.sort((l, r) =>
      Math.abs(r.flat) - Math.abs(l.flat) || byName(l, r) || Math.abs(r.cum) - Math.abs(l.cum) || last(l, r),
    );
  } else {
    nodes.sort((l, r) =>
      Math.abs(r.cum) - Math.abs(l.cum) || byName(l, r) || Math.abs(r.flat) - Math.abs(l.flat) || last(l, r),
    );
  }
}

/** pprof's edge order: by |weight|, then source name, then destination name. */
export function sortEdges(edges: Iterable<Edge>, nodes: (id: number) => GraphNode): Edge[] {
  return [...edges].sort((a, b) => {
    if (a.weight !== b.weight) return Math.abs(b.weight) - Math.abs(a.weight);
    const s1 = nodes(a.src).printableName;
    const s2 = nodes(b.src).printableName;
    if (s1 !== s2) return s1 < s2 ? -1 : 1;
    const d1 = nodes(a.dest).printableName;
    const d2 = nodes(b.dest).printableName;
    return d1 < d2 ? -1 : d1 > d2 ? 1 : 0;
  });
}

export interface TrimOptions {
  nodeFraction: number;
  edgeFraction: number;
  /** 0: no limit. */
  nodeCount: number;
  sort: SortOrder;
}

export interface TrimmedGraph {
  graph: Graph;
  table: NodeTable;
  /** Nodes dropped by the node fraction. */
  droppedNodes: number;
  /** Node count after the node fraction, before the node count limit. */
  origCount: number;
  droppedEdges: number;
}

/** pprof's newTrimmedGraph for text reports (no call tree, no visual mode). */
export function trimmedGraph(p: Profile, o: GraphOptions, t: TrimOptions): TrimmedGraph {
  const table = buildNodeTable(p, o);
  let g = buildGraph(p, table, o);
  let totalFlat = 0;
  for (const n of g.nodes) totalFlat += n.flat;
  const nodeCutoff = Math.abs(Math.trunc(totalFlat * t.nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalFlat * t.edgeFraction));
  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    const kept = new Uint8Array(table.infos.length);
    let nKept = 0;
    for (const n of g.nodes) {
      if (Math.abs(n.cum) >= nodeCutoff) {
        kept[n.id] = 1;
        nKept++;
      }
    }
    if (nKept !== g.nodes.length) {
      droppedNodes = g.nodes.length - nKept;
      g = buildGraph(p, table, o, kept);
    }
  }
  const origCount = g.nodes.length;
  sortNodes(g.nodes, t.sort);
  if (t.nodeCount > 0) {
    trimEdges(g, edgeCutoff);
    if (t.nodeCount < g.nodes.length) {
      const kept = new Uint8Array(table.infos.length);
      for (const n of g.nodes.slice(0, t.nodeCount)) kept[n.id] = 1;
      g = buildGraph(p, table, o, kept);
      sortNodes(g.nodes, t.sort);
    }
  }
  const droppedEdges = trimEdges(g, edgeCutoff);
  return { graph: g, table, droppedNodes, origCount, droppedEdges };
}

/** Drops edges lighter than the cutoff (pprof's TrimLowFrequencyEdges). */
function trimEdges(g: Graph, cutoff: number): number {
  let dropped = 0;
  const byId = new Map(g.nodes.map(n => [n.id, n]));
  for (const n of g.nodes) {
    for (const [src, e] of n.in) {
      if (Math.abs(e.weight) < cutoff) {
        n.in.delete(src);
        byId.get(src)?.out.delete(n.id);
        dropped++;
      }
    }
  }
  return dropped;
}

/** "(inline)", "(partial-inline)" or "" from a node's incoming edges, as pprof's top prints. */
export function inlineLabel(n: GraphNode): string {
  let inline = false;
  let noinline = false;
  for (const e of n.in.values()) {
    if (e.inline) inline = true;
    else noinline = true;
  }
  if (!inline) return '';
  return noinline ? '(partial-inline)' : '(inline)';
}
