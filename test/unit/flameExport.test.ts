/**
 * The CLI's flame outputs against go tool pprof: the folded stacks of `pprof-lens -collapsed` are
 * pprof's own `-traces` (its goldens in test/fixtures/golden), stacks joined root first with
 * inlined frames marked "_[i]" where pprof writes "(inline)", values summed per distinct stack.
 * `flame --json` holds the same tree as flat nodes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliOut as cli } from './helpers/cli';
import { formatCollapsed } from '../../src/core/flameExport';
import type { FlameData } from '../../src/shared/flame';

const fx = path.resolve(__dirname, '..', 'fixtures');

const SCALE: Record<string, number> = {
  '': 1,
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  hrs: 3600e9,
  mins: 60e9,
  B: 1,
  kB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
};

/** pprof -traces → stack (root first, ";"-joined, "_[i]" for inlined) → summed value. */
function tracesToFolded(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const blocks = text.split(/^-----------\+-+$/m).slice(1);
  for (const b of blocks) {
    let v = 0;
    const frames: string[] = [];
    for (const line of b.split('\n')) {
      if (line.trim() === '') continue;
      if (line.startsWith('             ')) frames.push(line.trim());
      else {
        const m = /^\s*(-?[0-9.]+)([a-zA-Zµ]*)\s{3}(\S.*)$/.exec(line);
        if (!m) continue; // a label line
        v = Number(m[1]) * SCALE[m[2]!]!;
        frames.push(m[3]!.trim());
      }
    }
    const key = frames
      .reverse()
      .map((f) => f.replace(/ \(inline\)$/, '_[i]'))
      .join(';');
    out.set(key, (out.get(key) ?? 0) + v);
  }
  return out;
}

describe('CLI flame outputs: folded stacks and the JSON tree', () => {
  const cases: [profile: string, golden: string, sampleIndex: string][] = [
    ['cpu.pb.gz', 'cpu/cpu', 'cpu'],
    ['cpu.pb.gz', 'cpu/samples', 'samples'],
    ['heap.pb.gz', 'heap/inuse_space', 'inuse_space'],
    ['heap.pb.gz', 'heap/alloc_objects', 'alloc_objects'],
    ['allocs.pb.gz', 'allocs/alloc_space', 'alloc_space'],
    ['goroutine.pb.gz', 'goroutine/goroutine', 'goroutine'],
    ['block.pb.gz', 'block/delay', 'delay'],
  ];
  for (const [prof, golden, si] of cases) {
    it(`-collapsed ${prof} -sample_index=${si} holds pprof -traces' stacks and values`, () => {
      const want = tracesToFolded(readFileSync(path.join(fx, 'golden', golden, 'traces.txt'), 'utf8'));
      const got = new Map<string, number>();
      for (const line of cli(['-collapsed', `-sample_index=${si}`, path.join(fx, 'profiles', prof)]).split('\n')) {
        if (line === '') continue;
        const sp = line.lastIndexOf(' ');
        got.set(line.slice(0, sp), Number(line.slice(sp + 1)));
      }
      for (const [k, v] of want) if (v === 0) want.delete(k);
      assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
      for (const [k, v] of want) {
        // pprof prints 3 significant digits; ours are exact.
        assert.ok(Math.abs(got.get(k)! - v) <= Math.abs(v) * 0.006 + 1, `${k}: ${got.get(k)} vs pprof ${v}`);
      }
    });
  }

  it("flame --json: flat nodes whose parents sum up, the root total equal to pprof's", () => {
    const j = JSON.parse(cli(['flame', '--json', path.join(fx, 'profiles', 'cpu.pb.gz')])) as {
      reportTotal: number;
      unit: string;
      nodes: { name: string; parent: number; total: number; self: number; inlined: boolean }[];
    };
    assert.equal(j.unit, 'nanoseconds');
    assert.equal(j.reportTotal, 1.5e9); // "Total samples = 1.50s" in cpu/cpu/traces.txt
    assert.equal(j.nodes[0]!.parent, -1);
    assert.equal(j.nodes[0]!.total, 1.5e9);
    const childSum = new Map<number, number>();
    j.nodes.forEach((n, i) => {
      if (i > 0) assert.ok(n.parent >= 0 && n.parent < i);
      if (n.parent >= 0) childSum.set(n.parent, (childSum.get(n.parent) ?? 0) + n.total);
    });
    j.nodes.forEach((n, i) => assert.equal(n.self + (childSum.get(i) ?? 0), n.total, n.name));
    assert.ok(j.nodes.some((n) => n.inlined && n.name === 'main.isSpace'));
  });

  it('a frame name cannot split a line or a stack', () => {
    const d: FlameData = {
      names: ['a;b', 'c\nd e'],
      files: [],
      nodeName: [-1, 0, 1],
      nodeFile: [-1, -1, -1],
      nodeLine: [0, 0, 0],
      depth: [0, 1, 2],
      inlined: [0, 0, 1],
      start: [0, 0, 0],
      weight: [3, 3, 3],
      total: [3, 3, 3],
      self: [0, 1, 2],
      subtree: [3, 2, 1],
      maxDepth: 2,
      reportTotal: 3,
    };
    assert.equal(formatCollapsed(d), 'a:b 1\na:b;c d e_[i] 2\n');
  });
});
