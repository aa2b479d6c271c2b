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
import { stacksOf } from './stacks';

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

export interface GraphOptions {
  sampleIndex: number;
  granularity?: Granularity;
  /** Attribute inlined frames to the function they were inlined into (pprof's -noinlines). */
  noInlines?: boolean;
  /** Keep the object file and start line in node keys (pprof does for list and raw reports). */
  objNames?: boolean;
  dropNegative?: boolean;
  /** pprof's -mean: node values are sums of the sample type divided by sums of sample type 0. */
  mean?: boolean;
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
  /** Node ids (NodeTable indices). */
  readonly src: number;
  readonly dest: number;
  readonly weight: number;
  readonly residual: boolean;
  /** True when every contribution to the edge was a call inlined into its caller. */
  readonly inline: boolean;
}

export interface GraphNode {
  /** Index into NodeTable.infos. */
  readonly id: number;
  readonly info: NodeInfo;
  readonly printableName: string;
  readonly flat: number;
  readonly cum: number;
  /**
   * With -mean, flat and cum are per-event values and these the undivided sums, which pprof
   * sorts and trims by; undefined otherwise (the same as flat and cum).
   */
  readonly rawFlat?: number;
  readonly rawCum?: number;
}

const rawFlat = (n: GraphNode) => n.rawFlat ?? n.flat;
const rawCum = (n: GraphNode) => n.rawCum ?? n.cum;

export interface Graph {
  /** Nodes with a nonzero flat or cum, in no particular order until sorted. */
  nodes: GraphNode[];
  /** Caller -> callee edges between these nodes; empty when built without edges. */
  readonly edges: EdgeLists;
  /** Edges left out for being lighter than the edge cutoff. */
  readonly droppedEdges: number;
}

/**
 * Edges in compressed adjacency form: the incoming edges of node id are
 * edge(inList[k]) for k in inStart[id] .. inStart[id+1], outgoing likewise.
 */
export interface EdgeLists {
  readonly count: number;
  edge(e: number): Edge;
  readonly inStart: Int32Array;
  readonly inList: Int32Array;
  readonly outStart: Int32Array;
  readonly outList: Int32Array;
}

export function edgesIn(g: Graph, id: number): Edge[] {
  const { inStart, inList } = g.edges;
  const out: Edge[] = [];
  for (let k = inStart[id]!; k < inStart[id + 1]!; k++) out.push(g.edges.edge(inList[k]!));
  return out;
}

export function edgesOut(g: Graph, id: number): Edge[] {
  const { outStart, outList } = g.edges;
  const out: Edge[] = [];
  for (let k = outStart[id]!; k < outStart[id + 1]!; k++) out.push(g.edges.edge(outList[k]!));
  return out;
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
  // Already clean (the usual case): no empty, "." or ".." element and no trailing slash.
  if (!/\/\/|(^|\/)\.\.?(\/|$)|.\/$/.test(p)) return p;
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
  /** The same, flattened: location l's nodes are frameNode[locStart[l] .. locStart[l+1]). */
  readonly locStart: Uint32Array;
  readonly frameNode: Int32Array;
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

  const byFunc = asIs || keepAddress || keepLine ? undefined : new Map<number, number>();
  const locNodes: Int32Array[] = new Array(p.locations.length);
  for (let li = 0; li < p.locations.length; li++) {
    const l = p.locations[li]!;
    const objfile = l.mapping >= 0 ? p.mappings[l.mapping]!.file : '';
    const address = asIs || keepAddress ? l.address : 0;
    let lines = l.lines;
    if (!inlines && lines.length > 1) lines = lines.slice(lines.length - 1);
    if (lines.length === 0) {
      locNodes[li] = Int32Array.of(
        nodeOf({ name: '', origName: '', address, file: '', startLine: 0, line: 0, objfile }),
      );
      continue;
    }
    const ids = new Int32Array(lines.length);
    for (let k = 0; k < lines.length; k++) {
      const ln = lines[k]!;
      if (ln.func < 0) {
        ids[k] = nodeOf({ name: '', origName: '', address, file: '', startLine: 0, line: 0, objfile });
        continue;
      }
      // Without lines and addresses a frame's node depends on its function and mapping only:
      // known after the first location of the pair (most locations share their function's).
      const memoKey = byFunc ? ln.func * (p.mappings.length + 1) + l.mapping + 1 : -1;
      if (byFunc) {
        const known = byFunc.get(memoKey);
        if (known !== undefined) {
          ids[k] = known;
          continue;
        }
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
      if (byFunc) byFunc.set(memoKey, ids[k]!);
    }
    locNodes[li] = ids;
  }
  const locStart = new Uint32Array(locNodes.length + 1);
  let nFrames = 0;
  for (let i = 0; i < locNodes.length; i++) {
    locStart[i] = nFrames;
    nFrames += locNodes[i]!.length;
  }
  locStart[locNodes.length] = nFrames;
  const frameNode = new Int32Array(nFrames);
  for (let i = 0; i < locNodes.length; i++) frameNode.set(locNodes[i]!, locStart[i]!);
  return { infos, locNodes, locStart, frameNode };
}

/**
 * Caller -> callee edges with per-sample deduplication, in an open-addressing hash table over
 * typed arrays: profiles with deep, varied stacks have millions of distinct edges, and one JS
 * object per edge would dominate the time and memory of a report.
 */
class EdgeTable {
  size = 0;
  private mask: number;
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array;
  stamp: Int32Array;
  /** bit 0: inline (every contribution inlined), bit 1: residual. */
  flags: Uint8Array;
  constructor(capacity = 1024) {
    let cap = 1024;
    while (cap < capacity * 2) cap *= 2;
    this.mask = cap - 1;
    this.src = new Int32Array(cap).fill(-1);
    this.dst = new Int32Array(cap);
    this.weight = new Float64Array(cap);
    this.stamp = new Int32Array(cap).fill(-1);
    this.flags = new Uint8Array(cap);
  }
  private slot(src: number, dst: number): number {
    let h = (Math.imul(src, 0x9e3779b1) ^ Math.imul(dst, 0x85ebca6b)) & this.mask;
    for (;;) {
      const s = this.src[h]!;
      if (s === -1 || (s === src && this.dst[h] === dst)) return h;
      h = (h + 1) & this.mask;
    }
  }
  add(src: number, dst: number, w: number, sample: number, residual: boolean, inline: boolean): void {
    let h = this.slot(src, dst);
    if (this.src[h] === -1) {
      if ((this.size + 1) * 2 > this.mask + 1) {
        this.grow();
        h = this.slot(src, dst);
      }
      this.src[h] = src;
      this.dst[h] = dst;
      this.flags[h] = inline ? 1 : 0;
      this.size++;
    }
    if (this.stamp[h] === sample) return;
    this.stamp[h] = sample;
    this.weight[h] = this.weight[h]! + w;
    if (residual) this.flags[h] = this.flags[h]! | 2;
    if (!inline) this.flags[h] = this.flags[h]! & ~1;
  }
  private grow(): void {
    const old = { src: this.src, dst: this.dst, weight: this.weight, stamp: this.stamp, flags: this.flags };
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.src = new Int32Array(cap).fill(-1);
    this.dst = new Int32Array(cap);
    this.weight = new Float64Array(cap);
    this.stamp = new Int32Array(cap).fill(-1);
    this.flags = new Uint8Array(cap);
    for (let i = 0; i < old.src.length; i++) {
      const s = old.src[i]!;
      if (s === -1) continue;
      const h = this.slot(s, old.dst[i]!);
      this.src[h] = s;
      this.dst[h] = old.dst[i]!;
      this.weight[h] = old.weight[i]!;
      this.stamp[h] = old.stamp[i]!;
      this.flags[h] = old.flags[i]!;
    }
  }
}

/**
 * Builds the graph from the samples (pprof's newGraph). kept, when given, limits the nodes:
 * frames of other nodes are skipped, and an edge over skipped frames is marked residual.
 * Edges are only collected when asked for: trimming needs node values alone.
 */
export function buildGraph(
  p: Profile,
  table: NodeTable,
  o: GraphOptions,
  kept?: Uint8Array,
  edgeCutoff?: number,
): Graph {
  const withEdges = edgeCutoff !== undefined;
  const { infos, locStart, frameNode } = table;
  const N = infos.length;
  const flat = new Float64Array(N);
  const cum = new Float64Array(N);
  const stamp = new Int32Array(N).fill(-1);
  const mean = !!o.mean;
  const flatDiv = mean ? new Float64Array(N) : undefined;
  const cumDiv = mean ? new Float64Array(N) : undefined;
  const edges = withEdges ? new EdgeTable() : undefined;
  const { locStart: stackStart, stackLocs } = p.samples;
  const T = p.sampleTypes.length;
  const si = o.sampleIndex;
  // Each distinct stack once, with its samples' summed values (core/stacks).
  const st = stacksOf(p);
  const { sums, nonzero, table: entry } = st;

  for (let s = 0; s < st.count; s++) {
    const w = sums[s * T + si]!;
    const dw = mean ? sums[s * T]! : 0;
    if (nonzero[s * T + si] === 0 && !(mean && nonzero[s * T] === 1)) continue;
    let parent = -1;
    let residual = false;
    const a = stackStart[entry[s]!]!;
    for (let k = stackStart[entry[s]! + 1]! - 1; k >= a; k--) {
      const loc = stackLocs[k]!;
      const f0 = locStart[loc]!;
      const last = locStart[loc + 1]! - 1;
      for (let fi = last; fi >= f0; fi--) {
        const n = frameNode[fi]!;
        if (kept && !kept[n]) {
          residual = true;
          continue;
        }
        if (stamp[n] !== s) {
          stamp[n] = s;
          cum[n] = cum[n]! + w;
          if (cumDiv) cumDiv[n] = cumDiv[n]! + dw;
        }
        if (edges && parent >= 0 && n !== parent) edges.add(parent, n, w, s, residual, fi !== last);
        parent = n;
        residual = false;
      }
    }
    if (parent >= 0 && !residual) {
      flat[parent] = flat[parent]! + w;
      if (flatDiv) flatDiv[parent] = flatDiv[parent]! + dw;
    }
  }

  const nodes: GraphNode[] = [];
  const present = new Uint8Array(N);
  for (let n = 0; n < N; n++) {
    if (cum[n] === 0 && flat[n] === 0) continue;
    if (kept && !kept[n]) continue;
    // pprof's isNegative: a negative flat, or no flat and a negative cum.
    if (o.dropNegative && (flat[n]! < 0 || (flat[n] === 0 && cum[n]! < 0))) continue;
    const info = infos[n]!;
    if (flatDiv && cumDiv) {
      // pprof's FlatValue / CumValue: integer division by the summed divisor.
      const f = flatDiv[n] !== 0 ? Math.trunc(flat[n]! / flatDiv[n]!) : flat[n]!;
      const c = cumDiv[n] !== 0 ? Math.trunc(cum[n]! / cumDiv[n]!) : cum[n]!;
      nodes.push({
        id: n,
        info,
        printableName: printableName(info),
        flat: f,
        cum: c,
        rawFlat: flat[n]!,
        rawCum: cum[n]!,
      });
    } else nodes.push({ id: n, info, printableName: printableName(info), flat: flat[n]!, cum: cum[n]! });
    present[n] = 1;
  }
  // pprof's TrimLowFrequencyEdges: edges lighter than the cutoff are dropped (and counted).
  const cutoff = edgeCutoff ?? 0;
  let droppedEdges = 0;
  const lists = edgeLists(N, edges, (h) => {
    if (present[edges!.src[h]!] !== 1 || present[edges!.dst[h]!] !== 1) return false;
    if (Math.abs(edges!.weight[h]!) < cutoff) {
      droppedEdges++;
      return false;
    }
    return true;
  });
  return { nodes, edges: lists, droppedEdges };
}

/** Builds the adjacency lists of the table's edges that pass keep (counting sort by node). */
function edgeLists(N: number, t: EdgeTable | undefined, keep: (slot: number) => boolean): EdgeLists {
  const slots: number[] = [];
  if (t) {
    for (let h = 0; h < t.src.length; h++) if (t.src[h] !== -1 && keep(h)) slots.push(h);
  }
  const E = slots.length;
  const inStart = new Int32Array(N + 1);
  const outStart = new Int32Array(N + 1);
  for (const h of slots) {
    const d = t!.dst[h]! + 1;
    const s = t!.src[h]! + 1;
    inStart[d] = inStart[d]! + 1;
    outStart[s] = outStart[s]! + 1;
  }
  for (let i = 0; i < N; i++) {
    inStart[i + 1] = inStart[i + 1]! + inStart[i]!;
    outStart[i + 1] = outStart[i + 1]! + outStart[i]!;
  }
  const inList = new Int32Array(E);
  const outList = new Int32Array(E);
  const inFill = inStart.slice(0, N);
  const outFill = outStart.slice(0, N);
  slots.forEach((h, e) => {
    const d = t!.dst[h]!;
    const s = t!.src[h]!;
    inList[inFill[d]!] = e;
    inFill[d] = inFill[d]! + 1;
    outList[outFill[s]!] = e;
    outFill[s] = outFill[s]! + 1;
  });
  return {
    count: E,
    edge: (e: number): Edge => {
      const h = slots[e]!;
      const f = t!.flags[h]!;
      return {
        src: t!.src[h]!,
        dest: t!.dst[h]!,
        weight: t!.weight[h]!,
        residual: (f & 2) !== 0,
        inline: (f & 1) !== 0,
      };
    },
    inStart,
    inList,
    outStart,
    outList,
  };
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
    nodes.sort(
      (l, r) =>
        Math.abs(rawFlat(r)) - Math.abs(rawFlat(l)) ||
        byName(l, r) ||
        Math.abs(rawCum(r)) - Math.abs(rawCum(l)) ||
        last(l, r),
    );
  } else {
    nodes.sort(
      (l, r) =>
        Math.abs(rawCum(r)) - Math.abs(rawCum(l)) ||
        byName(l, r) ||
        Math.abs(rawFlat(r)) - Math.abs(rawFlat(l)) ||
        last(l, r),
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
  for (const n of g.nodes) totalFlat += rawFlat(n);
  const nodeCutoff = Math.abs(Math.trunc(totalFlat * t.nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalFlat * t.edgeFraction));
  let droppedNodes = 0;
  let keptNodes: Uint8Array | undefined;
  if (nodeCutoff > 0) {
    const kept = new Uint8Array(table.infos.length);
    let nKept = 0;
    for (const n of g.nodes) {
      if (Math.abs(rawCum(n)) >= nodeCutoff) {
        kept[n.id] = 1;
        nKept++;
      }
    }
    if (nKept !== g.nodes.length) {
      droppedNodes = g.nodes.length - nKept;
      keptNodes = kept;
      // Without a node count limit this is the final graph: its edges are built in this walk.
      g = buildGraph(p, table, o, kept, t.nodeCount > 0 ? undefined : edgeCutoff);
      if (t.nodeCount <= 0) {
        sortNodes(g.nodes, t.sort);
        return { graph: g, table, droppedNodes, origCount: g.nodes.length, droppedEdges: g.droppedEdges };
      }
    }
  }
  const origCount = g.nodes.length;
  sortNodes(g.nodes, t.sort);
  // Edge trimming before the node count limit cannot change which nodes are kept: pprof selects
  // the top nodes by value, so edges are built once, for the final graph.
  if (t.nodeCount > 0 && t.nodeCount < g.nodes.length) {
    keptNodes = new Uint8Array(table.infos.length);
    for (const n of g.nodes.slice(0, t.nodeCount)) keptNodes[n.id] = 1;
  }
  g = buildGraph(p, table, o, keptNodes, edgeCutoff);
  sortNodes(g.nodes, t.sort);
  return { graph: g, table, droppedNodes, origCount, droppedEdges: g.droppedEdges };
}

/** "(inline)", "(partial-inline)" or "" from a node's incoming edges, as pprof's top prints. */
export function inlineLabel(g: Graph, id: number): string {
  let inline = false;
  let noinline = false;
  const { inStart, inList } = g.edges;
  for (let k = inStart[id]!; k < inStart[id + 1]!; k++) {
    if (g.edges.edge(inList[k]!).inline) inline = true;
    else noinline = true;
  }
  if (!inline) return '';
  return noinline ? '(partial-inline)' : '(inline)';
}
