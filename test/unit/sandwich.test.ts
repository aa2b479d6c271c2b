/**
 * The sandwich (core/sandwich) against `go tool pprof` on the real fixture profiles
 * (test/fixtures/golden-panel, scripts/gen-panel-goldens.sh), field by field: the function's flat
 * and cum as -peek prints them; its direct callers and callees with -peek's edge weights and
 * calls% (all of them for a non-recursive function; a recursive one's outer callers, since the
 * sandwich splits each sample once, at the outermost call); and every function of the callees
 * tree with the flat and cum of `-top -focus=^f$ -show_from=^f$`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import type { Profile } from '../../src/core/model';
import { buildFlame, flameTrie } from '../../src/core/flame';
import {
  buildSandwich,
  functionAtLine,
  heaviestByFlat,
  invertedFromTrie,
  invertedSteps,
  type Sandwich,
  sandwichFromTrie,
  sandwichSteps,
} from '../../src/core/sandwich';
import { runSteps, Sliced } from '../../src/core/steps';
import type { FlameData } from '../../src/shared/flame';
import { panelCommands, panelGolden, parsePeek, parseTop, pct, same } from './helpers/pprofText';
import { repoRoot } from './helpers/shared';
import { kids, nameOf, perFunction } from './helpers/flameTree';

describe('core/sandwich against go tool pprof -peek and -focus/-show_from', () => {
  for (const profile of ['cpu', 'heap', 'labels', 'goroutine']) {
    const cmds = panelCommands(profile);
    const p: Profile = parseProfile(
      readFileSync(path.join(repoRoot(), 'test/fixtures', cmds.get('tree.txt')!.at(-1)!)),
    );
    for (const [file, args] of cmds) {
      if (!file.startsWith('peek_')) continue;
      const si = p.sampleTypes.findIndex(
        (t) => `-sample_index=${t.type}` === args.find((a) => a.startsWith('-sample_index')),
      );
      const unit = p.sampleTypes[si]!.unit;
      const rx = args[args.indexOf('-peek') + 1]!;
      const func = rx.slice(1, -1).replace(/\\\./g, '.');
      // Both ways: from the samples, and from the merged trie the worker keeps (the fast path).
      for (const how of ['samples', 'trie'] as const)
        it(`${profile} ${func} (from the ${how})`, () => {
          const [peek] = parsePeek(panelGolden(profile, file));
          assert.ok(peek, `${file} has an entry`);
          assert.equal(peek.name, func);
          const total = Array.from(p.samples.values).reduce(
            (s, _v, i) => (i % p.sampleTypes.length === si ? s + Math.abs(_v) : s),
            0,
          );
          const s: Sandwich =
            how === 'samples'
              ? buildSandwich(p, { sampleIndex: si, func })
              : sandwichFromTrie(flameTrie(p), func, { sampleIndex: si })!;
          // The function: flat and cum, and both trees' pivot holds its cum.
          assert.equal(same(s.flat, peek.flat, unit), peek.flat, 'flat');
          assert.equal(same(s.cum, peek.cum, unit), peek.cum, 'cum');
          assert.equal(pct(s.cum, total), peek.cumPct, 'cum%');
          for (const d of [s.callers, s.callees]) {
            assert.deepEqual(
              kids(d, 0).map((i) => nameOf(d, i)),
              [func],
            );
            assert.equal(d.total[1], s.cum);
          }
          const recursive =
            peek.callers.some((e) => e.name === func) || perFunction(s.callees).get(func)!.flat !== s.callees.self[1];
          // Direct callers: -peek's edges into the function (a recursive one's self edge aside).
          const callers = kids(s.callers, 1).map((i) => ({ name: nameOf(s.callers, i), w: s.callers.total[i]! }));
          const wantCallers = peek.callers.filter((e) => e.name !== func);
          assert.deepEqual(callers.map((c) => c.name).sort(), wantCallers.map((e) => e.name).sort(), 'caller names');
          for (const e of wantCallers) {
            const c = callers.find((x) => x.name === e.name)!;
            assert.equal(same(c.w, e.weight, unit), e.weight, `caller ${e.name}`);
            assert.equal(pct(c.w, s.cum), e.pct, `caller ${e.name} calls%`);
          }
          // Direct callees with their weights and inline marks (recursive: the outermost call's callees).
          const callees = kids(s.callees, 1).map((i) => ({
            name: nameOf(s.callees, i),
            w: s.callees.total[i]!,
            inline: s.callees.inlined[i] === 1,
          }));
          if (!recursive) {
            assert.deepEqual(callees.map((c) => c.name).sort(), peek.callees.map((e) => e.name).sort(), 'callee names');
            for (const e of peek.callees) {
              const c = callees.find((x) => x.name === e.name)!;
              assert.equal(same(c.w, e.weight, unit), e.weight, `callee ${e.name}`);
              assert.equal(pct(c.w, s.cum), e.pct, `callee ${e.name} calls%`);
              assert.equal(c.inline, e.inline, `callee ${e.name} inline`);
            }
          }
          // The callees tree holds what -focus=^f$ -show_from=^f$ keeps, function by function.
          const top = parseTop(panelGolden(profile, file.replace('peek_', 'from_')));
          const ours = perFunction(s.callees);
          assert.deepEqual([...ours.keys()].sort(), top.map((r) => r.name).sort(), 'functions below');
          for (const r of top) {
            const o = ours.get(r.name)!;
            assert.equal(same(o.flat, r.flat, unit), r.flat, `${r.name} flat`);
            assert.equal(same(o.cum, r.cum, unit), r.cum, `${r.name} cum`);
            assert.equal(pct(o.cum, total), r.cumPct, `${r.name} cum%`);
          }
        });
    }
  }

  /** Every path of a tree (names joined), with its total and self. */
  const paths = (d: FlameData) => {
    const m = new Map<string, [number, number]>();
    const walk = (i: number, at: string) => {
      const k = `${at}/${nameOf(d, i)}`;
      m.set(k, [d.total[i]!, d.self[i]!]);
      for (const c of kids(d, i)) walk(c, k);
    };
    for (const c of kids(d, 0)) walk(c, '');
    return m;
  };

  it("a recursive function's own calls to itself are one frame: the pivot once, its flat and cum as -peek's", () => {
    const p = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));
    const fib = 'example.com/fixtures/internal/work.Fib';
    const [peek] = parsePeek(panelGolden('cpu', 'peek_1.txt'));
    assert.equal(peek!.name, fib);
    const flame = buildFlame(p, { sampleIndex: 1 });
    const fibUnderFib = Array.from(flame.nodeName, (_, i) => i).filter(
      (i) => i > 0 && nameOf(flame, i) === fib && kids(flame, i).some((c) => nameOf(flame, c) === fib),
    );
    assert.ok(fibUnderFib.length > 5, 'the fixture recurses');
    const fromSamples = buildSandwich(p, { sampleIndex: 1, func: fib });
    const fromTrie = sandwichFromTrie(flameTrie(p), fib, { sampleIndex: 1 })!;
    for (const s of [fromSamples, fromTrie]) {
      assert.equal(s.recursive, true);
      const d = s.callees;
      // The pivot is the only Fib frame: no Fib under Fib, its self is Fib's flat, its total the cum.
      const fibs = Array.from(d.nodeName, (_, i) => i).filter((i) => i > 0 && nameOf(d, i) === fib);
      assert.deepEqual(fibs, [1]);
      assert.equal(same(d.self[1]!, peek!.flat, 'nanoseconds'), peek!.flat);
      assert.equal(same(d.total[1]!, peek!.cum, 'nanoseconds'), peek!.cum);
      // Fib's callees as -peek lists them (recursion aside), summed over every depth.
      const callees = kids(d, 1).map((i) => nameOf(d, i));
      assert.deepEqual(
        callees.sort(),
        peek!.callees
          .filter((e) => e.name !== fib)
          .map((e) => e.name)
          .sort(),
      );
    }
    // Both ways give the same trees, path by path.
    assert.deepEqual(paths(fromTrie.callees), paths(fromSamples.callees));
    assert.deepEqual(paths(fromTrie.callers), paths(fromSamples.callers));
    // A function that does not recurse says so.
    assert.equal(sandwichFromTrie(flameTrie(p), 'main.countWords', { sampleIndex: 1 })!.recursive, false);
  });

  it('minShare prunes the frames too narrow to draw, keeping every wider one with its numbers', () => {
    const p = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));
    const tr = flameTrie(p);
    const all = sandwichFromTrie(tr, 'runtime.main', { sampleIndex: 1 })!;
    for (const share of [0.05, 0.1]) {
      const cut = sandwichFromTrie(tr, 'runtime.main', { sampleIndex: 1, minShare: share })!;
      assert.ok(cut.callees.nodeName.length < all.callees.nodeName.length, `pruned at ${share}`);
      for (const side of ['callers', 'callees'] as const) {
        const want = [...paths(all[side])].filter(([, v]) => Math.abs(v[0]) >= share * all[side].weight[0]!);
        const got = paths(cut[side]);
        assert.deepEqual([...got.keys()].sort(), want.map(([k]) => k).sort(), `${side} at ${share}`);
        for (const [k, v] of want) assert.deepEqual(got.get(k), v, k);
      }
    }
  });

  it("the idle prewarm's function is the first row of pprof's -top, on every sample type", () => {
    for (const [fixture, types] of [
      ['cpu', ['samples', 'cpu']],
      ['heap', ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']],
    ] as const) {
      const p = parseProfile(readFileSync(path.join(repoRoot(), `test/fixtures/profiles/${fixture}.pb.gz`)));
      const tr = flameTrie(p);
      types.forEach((t, si) => {
        const top = parseTop(
          readFileSync(path.join(repoRoot(), 'test/fixtures/golden', fixture, t, 'top.txt'), 'utf8'),
        );
        assert.equal(heaviestByFlat(tr, si), top[0]!.name, `${fixture} ${t}`);
      });
    }
  });

  // The worker builds the heaviest function's sandwich and the inverted tree ahead of the panel a
  // slice at a time (worker/ops beginPrewarm): stopped at every step it may stop at, and resumed,
  // each build gives what the build in one go gives. The showfrom fixture has the callees' cuts
  // inside locations (LevelBuilder.cut).
  for (const [fixture, file] of [
    ['heap', 'test/fixtures/profiles/heap.pb.gz'],
    ['cpu', 'test/fixtures/profiles/cpu.pb.gz'],
    ['showfrom', 'test/fixtures/showfrom/profiles/heap.pb.gz'],
  ] as const)
    it(`${fixture}: built a slice at a time, the sandwich and the inverted tree are those built in one go`, () => {
      const p = parseProfile(readFileSync(path.join(repoRoot(), file)));
      const tr = flameTrie(p);
      for (let si = 0; si < p.sampleTypes.length; si++) {
        const func = fixture === 'showfrom' ? 'main.grow' : heaviestByFlat(tr, si)!;
        const o = { sampleIndex: si, minShare: 1e-4, maxNodes: 5000 };
        let stops = 0;
        const always = () => {
          stops++;
          return true;
        };
        assert.deepEqual(runSteps(sandwichSteps(tr, func, o, always)), sandwichFromTrie(tr, func, o), `${func} ${si}`);
        assert.ok(stops >= 3, `sandwich of ${func}: ${stops} stops`);
        stops = 0;
        assert.deepEqual(runSteps(invertedSteps(tr, si, 1e-4, always)), invertedFromTrie(tr, si, 1e-4));
        assert.ok(stops > 1, `inverted: ${stops} stops`);
        // And with a clock: slices of no time each stop at their first chance, yet end.
        const sliced = new Sliced((until) => invertedSteps(tr, si, 0, until));
        let slices = 1;
        while (!sliced.run(0)) slices++;
        assert.ok(slices > 1 && sliced.done, `${slices} slices`);
        assert.deepEqual(sliced.finish(), invertedFromTrie(tr, si, 0));
      }
    });

  it('a function no sample passes through gives two empty trees', () => {
    const p = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));
    const s = buildSandwich(p, { sampleIndex: 1, func: 'no.such' });
    assert.equal(s.cum, 0);
    assert.equal(s.samples, 0);
    assert.equal(s.callers.nodeName.length, 1);
    assert.equal(s.callees.nodeName.length, 1);
  });

  it("the cursor's function is the innermost one around the line (a closure inside its function)", () => {
    const fns = [
      { name: 'main.run', startLine: 10, firstLine: 12, lastLine: 40 },
      { name: 'main.run.func1', startLine: 20, firstLine: 21, lastLine: 25 },
      // Go before 1.20 has no start_line: from the first sampled line.
      { name: 'main.old', startLine: 0, firstLine: 50, lastLine: 60 },
    ];
    assert.equal(functionAtLine(fns, 10), 'main.run');
    assert.equal(functionAtLine(fns, 22), 'main.run.func1');
    assert.equal(functionAtLine(fns, 26), 'main.run');
    assert.equal(functionAtLine(fns, 55), 'main.old');
    assert.equal(functionAtLine(fns, 45), undefined);
    assert.equal(functionAtLine(fns, 9), undefined);
  });
});
