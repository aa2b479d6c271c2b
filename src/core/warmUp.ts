/**
 * The panel's first focus or collapse after a profile is loaded runs code that nothing has run
 * yet: V8 interprets each pass over the trie's nodes until it has compiled it on the stack (OSR),
 * a cost that hardly depends on the trie's size (~50-150 ms of CPU on a 400k-node trie beyond the
 * compiled passes). warmTransforms pays it ahead, when the worker is idle, on a small made-up trie
 * with real tries' types (the same typed arrays, one and several sample types).
 */
import { collapseTrie, filterTrie, flameOf, flameTop, type FlameTrie } from './flame';

/** A made-up top-down trie of n nodes and T sample types, whose frames call themselves now and then. */
export function madeUpTrie(n: number, T: number): FlameTrie {
  const names = Array.from({ length: 64 }, (_, i) => `f${i}`);
  const parent = new Int32Array(n);
  const nodeName = new Int32Array(n);
  const nodeFile = new Int32Array(n);
  const inlined = new Uint8Array(n);
  const total = new Float64Array(n * T);
  const weight = new Float64Array(n * T);
  const self = new Float64Array(n * T);
  const line = new Int32Array(n * T);
  parent[0] = -1;
  nodeName[0] = -1;
  nodeFile[0] = -1;
  let seed = 12345;
  const rnd = (k: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % k;
  for (let i = 1; i < n; i++) {
    // Paths a few dozen frames deep (a parent among the earlier nodes, often the latest one).
    const p = i < 8 ? 0 : rnd(3) === 0 ? i - 1 : rnd(i);
    parent[i] = p;
    nodeName[i] = rnd(16) === 0 && p > 0 ? nodeName[p]! : rnd(names.length);
    nodeFile[i] = nodeName[i]! % 8;
    inlined[i] = rnd(5) === 0 ? 1 : 0;
    for (let t = 0; t < T; t++) {
      self[i * T + t] = rnd(3) === 0 ? 0 : 1 + rnd(1000);
      line[i * T + t] = 1 + rnd(200);
    }
  }
  for (let k = 0; k < n * T; k++) {
    total[k] = self[k]!;
    weight[k] = self[k]!;
  }
  for (let i = n - 1; i > 0; i--)
    for (let t = 0; t < T; t++) {
      total[parent[i]! * T + t]! += total[i * T + t]!;
      weight[parent[i]! * T + t]! += weight[i * T + t]!;
    }
  return {
    T,
    reverse: false,
    nodes: n,
    parent,
    nodeName,
    nodeFile,
    inlined,
    total,
    weight,
    self,
    line,
    names,
    files: Array.from({ length: 8 }, (_, i) => `f${i}.go`),
    reportTotals: Array.from({ length: T }, (_, t) => total[t]!),
    frames: n,
    samplesCutDepth: 0,
    samplesCutNodes: 0,
    samplesCutWork: 0,
    maxSampleFrames: 64,
    maxFramesPerSample: 4096,
    maxTreeNodes: 2_000_000,
  };
}

let warm = false;

/**
 * Compiles the passes of the panel's focus and collapse (core/flame filterTrie, collapseTrie and
 * the first-paint flameOf and flameTop of their tries) on a made-up trie, once per thread: the
 * worker calls it when idle (the inverted tree and a sandwich are prewarmed on the real trie).
 */
export function warmTransforms(): void {
  if (warm) return;
  warm = true;
  const tr = madeUpTrie(4000, 4);
  const flags = new Uint8Array(tr.names.length);
  for (let r = 0; r < 6; r++) {
    flags.fill(0);
    flags[r % 8] = 1;
    const si = r % tr.T;
    const o = { sampleIndex: 0, maxNodes: 800 };
    const focused = filterTrie(tr, { focus: flags }, [si]);
    flameOf(focused, o);
    flameTop(focused, 0, 50);
    const collapsed = collapseTrie(tr, flags, [si]);
    flameOf(collapsed, o);
    flameTop(collapsed, 0, 50);
  }
}
