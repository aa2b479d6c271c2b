/**
 * Editor findings of the user trial, on its own profiles (test/fixtures/trial: the lensdemo module's
 * tree.go, a CPU profile, the CPU profile of a build whose tree.go was one line shorter as the
 * base, and a heap profile; Go 1.19.8, so no Function.start_line). Numbers as go tool pprof prints them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { lineCallers, lineFunctions } from '../../src/core/lineCallers';
import { filesWithValues, lenses, nothingInWorkspace, type LensFunction } from '../../src/core/lineView';
import { ProfileOps } from '../../src/worker/ops';

const FIX = path.resolve(__dirname, '..', 'fixtures', 'trial');
const load = (f: string) => parseProfile(readFileSync(path.join(FIX, f)));
const tree = readFileSync(path.join(FIX, 'tree.go'), 'utf8').split('\n');
const text = (l: number) => tree[l - 1] ?? '';
// tree.go: SumKeys' closure on 38, Names' Walk closure (func1) on 47-49, its sort.Slice closure (func2) on 50-52.
assert.match(tree[37]!, /Walk\(root, func\(n \*Node\) \{/);
assert.match(tree[46]!, /Walk\(root, func\(n \*Node\) \{/);
assert.match(tree[48]!, /^\t\}\)$/);
assert.match(tree[49]!, /sort\.Slice\(out, func\(i, j int\) bool \{/);

/** The functions of tree.go with their values for sample type t, as the CodeLens provider takes them. */
function treeFunctions(mode: 'base' | 'diff_base' | undefined, t: number): { fns: LensFunction[]; total: number } {
  const base = mode ? { profile: load('cpu-base.pprof'), name: 'cpu-base.pprof', mode, normalize: false } : undefined;
  const { packed: c } = ProfileOps.derive(load('cpu.pprof'), 0, base, undefined, {}, () => {}, 0);
  const T = c.sampleTypes.length;
  const k = c.files.findIndex((f) => f.endsWith('/tree.go'));
  const fns: LensFunction[] = [];
  for (let i = c.fileFuncStart[k]!; i < c.fileFuncStart[k + 1]!; i++)
    fns.push({
      name: c.funcName[i]!,
      startLine: c.funcStartLine[i]!,
      firstLine: c.funcFirstLine[i]!,
      flat: c.funcFlat[i * T + t]!,
      cum: c.funcCum[i * T + t]!,
    });
  return { fns, total: c.totals[t]! };
}

const lensOpts = {
  sampleType: 'cpu',
  unit: 'nanoseconds',
  threshold: 1,
  show: 'both' as const,
  compact: false,
  heatMetric: 'auto' as const,
  flameGraph: true,
};

describe('trial: CodeLenses of closures in a -diff_base comparison', () => {
  it("Names.func2's lens stands on its own literal (sort.Slice), func1's on Walk's, both in sight", () => {
    const { fns, total } = treeFunctions('diff_base', 1);
    // go tool pprof -diff_base cpu-base.pprof cpu.pprof -list Names.func2: the base's lines of
    // func2 start at 49, the line that closes func1's literal (the base's tree.go was one line shorter).
    assert.equal(fns.find((f) => f.name.endsWith('Names.func2'))!.firstLine, 49);
    const ls = lenses(fns, tree.length, text, { ...lensOpts, total, compare: { mode: 'diff_base', name: 'b' } });
    const costs = new Map(ls.filter((l) => l.kind === 'costs').map((l) => [l.function.split('/').pop(), l]));
    assert.equal(costs.get('lensdemo.Names.func1')!.line, 47);
    assert.equal(costs.get('lensdemo.Names.func2')!.line, 50);
    // -diff_base: cum -70ms, 2.02% of the base's 3.47s (pprof -list's header).
    assert.match(costs.get('lensdemo.Names.func2')!.title, /cum -70ms \(-2\.02%\)/);
    // func2's links follow it to its line; line 47 holds func1's lenses only.
    assert.ok(ls.every((l) => !l.function.endsWith('.func2') || l.line === 50));
    assert.ok(ls.filter((l) => l.line === 47).every((l) => l.function.endsWith('Names.func1')));
  });

  it('-base: func2 (-70ms of 7.66s, 0.91%) is under the 1% threshold; its literal line all the same at 0%', () => {
    const { fns, total } = treeFunctions('base', 1);
    const o = { ...lensOpts, total, compare: { mode: 'base' as const, name: 'b' } };
    assert.ok(!lenses(fns, tree.length, text, o).some((l) => l.function.endsWith('Names.func2')));
    const all = lenses(fns, tree.length, text, { ...o, threshold: 0 });
    assert.equal(all.find((l) => l.function.endsWith('Names.func2'))!.line, 50);
  });

  it('without a base the closures stand on their literals as before', () => {
    const { fns, total } = treeFunctions(undefined, 1);
    const ls = lenses(fns, tree.length, text, { ...lensOpts, total, threshold: 0 });
    const line = (n: string) => ls.find((l) => l.function.endsWith(n))!.line;
    assert.equal(line('Names.func1'), 47);
    assert.equal(line('Names.func2'), 50);
  });
});

describe('trial: the hover of a line (callers, functions)', () => {
  const file = '/work/wt/trial/src/tree.go';
  const CPU = 1;

  it('recursive Build (tree.go:22): its callers as pprof -lines -peek lists them, not itself', () => {
    // go tool pprof -lines -peek 'tree.go:22' cpu.pprof:
    //   0.37s 100% | example.com/lensdemo.BenchmarkAll /work/wt/trial/src/lensdemo_test.go:12
    const got = lineCallers(load('cpu.pprof'), { sampleIndex: CPU, file, line: 22, limit: 5 });
    assert.deepEqual(got, [
      {
        name: 'example.com/lensdemo.BenchmarkAll',
        file: '/work/wt/trial/src/lensdemo_test.go',
        line: 12,
        weight: 370e6,
      },
    ]);
  });

  it('names the functions whose pprof -list has a value on the line, not every range it lies in', () => {
    const p = load('cpu.pprof');
    const fns = (line: number) => lineFunctions(p, { file, line }).map((n) => n.split('/').pop());
    // go tool pprof -list lensdemo.Names cpu.pprof: Names 1.62s on 47 and 400ms on 50; Names.func1
    // 10ms on 47 and 1.52s on 48; Names.func2 170ms on 51. Line 48 is "." in Names' listing.
    assert.deepEqual(fns(47), ['lensdemo.Names', 'lensdemo.Names.func1']);
    assert.deepEqual(fns(48), ['lensdemo.Names.func1']);
    assert.deepEqual(fns(50), ['lensdemo.Names']);
    assert.deepEqual(fns(51), ['lensdemo.Names.func2']);
    assert.deepEqual(fns(49), []);
  });
});

describe('trial: a heap profile whose in-use memory is all in the runtime', () => {
  // go tool pprof -sample_index=inuse_space -top mem.pprof: 1024.25kB total, runtime.malg
  // 512.20kB and runtime.main 512.05kB flat, nothing in lensdemo. -sample_index=alloc_space: 1263.89MB,
  // example.com/lensdemo.NewParser 932.34MB flat.
  const { packed: c } = ProfileOps.derive(load('mem.pprof'), 0, undefined, undefined, {}, () => {}, 0);
  const has = filesWithValues(c);
  const ours = (f: number) => c.files[f]!.startsWith('/work/wt/trial/src/');
  const index = (type: string) => c.sampleTypes.findIndex((s) => s.type === type);

  it('inuse_space: says there is none in the workspace and where it all is', () => {
    const t = index('inuse_space');
    assert.equal(
      nothingInWorkspace(c, has, t, c.totals[t]!, ours),
      "inuse_space: no in-use memory in this workspace's files (all 1024.25kB in runtime.malg 512.20kB, runtime.main 512.05kB)",
    );
    assert.match(
      nothingInWorkspace(c, has, index('inuse_objects'), c.totals[index('inuse_objects')]!, ours)!,
      /^inuse_objects: no in-use objects in this workspace's files \(all /,
    );
  });

  it("the worker's op (the status bar asks it with the workspace's file indices) says the same", () => {
    const { ops, packed } = ProfileOps.derive(load('mem.pprof'), 0, undefined, undefined, {}, () => {}, 0);
    const files = packed.files.flatMap((f, i) => (f.startsWith('/work/wt/trial/src/') ? [i] : []));
    assert.ok(files.length > 0);
    assert.match(
      ops.workspaceNote({ sampleIndex: index('inuse_space'), files })!,
      /^inuse_space: no in-use memory .*\(all 1024\.25kB in runtime\.malg 512\.20kB, runtime\.main 512\.05kB\)$/,
    );
    assert.equal(ops.workspaceNote({ sampleIndex: index('alloc_space'), files }), undefined);
  });

  it('nothing to say when the workspace has values (alloc_space) or no file of the profile is in it', () => {
    const t = index('alloc_space');
    assert.equal(nothingInWorkspace(c, has, t, c.totals[t]!, ours), undefined);
    const u = index('inuse_space');
    assert.equal(
      nothingInWorkspace(c, has, u, c.totals[u]!, () => false),
      undefined,
    );
  });
});
