/**
 * The sandwich (core/sandwich) of a function inlined into its caller in one Location that recurs
 * down the stack (test/fixtures/showfrom: main.grow inlined into main.build, which grow calls back),
 * against go tool pprof. The callees tree is what `-focus=^f$ -show_from=^f$` keeps, and pprof's
 * show_from (profile/filter.go ShowFrom, filterShowFromLocation) cuts every matching Location's
 * Lines outer to its outermost matching one, in every sample and at every occurrence: so build is
 * gone from every depth below the outermost grow, not only above it. With the sandwich's one frame
 * for the function's direct calls to itself, grow's callees are grow → build → leaf. For main.grow
 * and main.build, on every sample type, from the samples (buildSandwich) and from the merged trie
 * (sandwichFromTrie): the callees tree is pprof's -traces merged into a tree (counts exactly) with
 * f's direct calls to itself merged into one frame, each function's flat and cum -top's; the callers
 * tree is -traces' stacks from their outermost f to the root, and its direct callers -peek's edges.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { flameTrie } from '../../src/core/flame';
import { buildSandwich, type Sandwich, sandwichFromTrie } from '../../src/core/sandwich';
import type { FlameData } from '../../src/shared/flame';
import { parsePeek, parseTop, same } from './helpers/pprofText';
import { repoRoot } from './helpers/shared';
import { kids, nameOf, perFunction } from './helpers/flameTree';

const FIX = path.join(repoRoot(), 'test/fixtures/showfrom');
const golden = (file: string) => readFileSync(path.join(FIX, 'golden', file), 'utf8');

interface Frame {
  name: string;
  inline: boolean;
}

/** pprof -traces: each sample's value and frames, root first. */
function traces(text: string): { value: number; frames: Frame[] }[] {
  const out: { value: number; frames: Frame[] }[] = [];
  for (const block of text.split(/^-+\+-+$/m).slice(1)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '' && !/^\s+bytes:/.test(l));
    if (lines.length === 0) continue;
    const first = /^\s*(-?\d+)\s+(.*)$/.exec(lines[0]!);
    assert.ok(first, lines[0]);
    const frames = [first[2]!, ...lines.slice(1).map((l) => l.trim())]
      .reverse()
      .map((f) => ({ name: f.replace(/ \(inline\)$/, ''), inline: f.endsWith(' (inline)') }));
    out.push({ value: Number(first[1]), frames });
  }
  return out;
}

interface Row {
  total: number;
  self: number;
  inlined?: boolean;
}

/** Stacks (first frame first) merged into a tree: every node by its path of names, its total and self. */
function merged(stacks: { value: number; frames: Frame[] }[], inline: boolean): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const { value, frames } of stacks) {
    let key = '';
    frames.forEach((f, i) => {
      key += `${i > 0 ? ' -> ' : ''}${f.name}`;
      const r = out.get(key) ?? { total: 0, self: 0, ...(inline ? { inlined: f.inline } : {}) };
      r.total += value;
      if (i === frames.length - 1) r.self += value;
      out.set(key, r);
    });
  }
  return out;
}

/** Our tree the same way (nodes no sample passes through left out, as pprof has none). */
function flameTree(d: FlameData, inline: boolean): Map<string, Row> {
  const out = new Map<string, Row>();
  const stack: string[] = [];
  for (let i = 1; i < d.nodeName.length; i++) {
    stack.length = d.depth[i]! - 1;
    stack.push(d.names[d.nodeName[i]!]!);
    if (d.total[i] === 0 && d.self[i] === 0) continue;
    out.set(stack.join(' -> '), {
      total: d.total[i]!,
      self: d.self[i]!,
      ...(inline ? { inlined: d.inlined[i] === 1 } : {}),
    });
  }
  return out;
}

const sorted = (m: Map<string, Row>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('core/sandwich of a function inlined into a Location that recurs down the stack, against go tool pprof', () => {
  const p = parseProfile(readFileSync(path.join(FIX, 'profiles/heap.pb.gz')));
  const tr = flameTrie(p);

  it('the sandwich of grow: build is gone from every depth of its callees (build cum 40, inuse_objects)', () => {
    const si = p.sampleTypes.findIndex((t) => t.type === 'inuse_objects');
    for (const s of [
      buildSandwich(p, { sampleIndex: si, func: 'main.grow' }),
      sandwichFromTrie(tr, 'main.grow', { sampleIndex: si })!,
    ]) {
      assert.deepEqual(sorted(flameTree(s.callees, true)), [
        ['main.grow', { total: 58, self: 18, inlined: false }],
        ['main.grow -> main.build', { total: 40, self: 0, inlined: false }],
        ['main.grow -> main.build -> main.leaf', { total: 40, self: 40, inlined: false }],
      ]);
      assert.equal(s.recursive, true);
    }
  });

  for (const si of ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'])
    for (const fn of ['grow', 'build']) {
      const func = `main.${fn}`;
      for (const how of ['samples', 'trie'] as const)
        it(`${si}, ${func} (from the ${how})`, () => {
          const t = p.sampleTypes.findIndex((x) => x.type === si);
          const unit = p.sampleTypes[t]!.unit;
          const s: Sandwich =
            how === 'samples'
              ? buildSandwich(p, { sampleIndex: t, func })
              : sandwichFromTrie(tr, func, { sampleIndex: t })!;
          assert.ok(s);
          const top = parseTop(golden(`${si}/sandwich_${fn}_top.txt`));
          const [peek] = parsePeek(golden(`${si}/sandwich_${fn}_peek.txt`));
          assert.equal(peek!.name, func);
          assert.equal(same(s.flat, peek!.flat, unit), peek!.flat, 'flat');
          assert.equal(same(s.cum, peek!.cum, unit), peek!.cum, 'cum');

          // The callees tree: -top's functions with their flat and cum.
          const ours = perFunction(s.callees);
          assert.deepEqual([...ours.keys()].sort(), top.map((r) => r.name).sort(), 'functions below');
          for (const r of top) {
            const o = ours.get(r.name)!;
            assert.equal(same(o.flat, r.flat, unit), r.flat, `${r.name} flat`);
            assert.equal(same(o.cum, r.cum, unit), r.cum, `${r.name} cum`);
          }
          // Its direct callers: -peek's edges into the function, those of its outermost calls.
          const callers = kids(s.callers, 1);
          assert.equal(
            callers.reduce((a, i) => a + s.callers.total[i]!, 0),
            s.cum,
          );
          for (const i of callers) {
            const e = peek!.callers.find((x) => x.name === nameOf(s.callers, i));
            assert.ok(e, nameOf(s.callers, i));
            assert.equal(same(s.callers.total[i]!, e.weight, unit), e.weight, `caller ${e.name}`);
          }

          // Counts exactly: both trees node by node (-traces prints bytes scaled per sample).
          if (!si.endsWith('_objects')) return;
          // Callees: -focus/-show_from's stacks, f's direct calls to itself merged into one frame.
          const down = traces(golden(`${si}/sandwich_${fn}_traces.txt`)).map(({ value, frames }) => ({
            value,
            frames: frames.filter((f, i) => !(i > 0 && f.name === func && frames[i - 1]!.name === func)),
          }));
          assert.deepEqual(sorted(flameTree(s.callees, true)), sorted(merged(down, true)), 'callees');
          // Callers: every stack through f, from its outermost f to the root.
          const up = traces(golden(`${si}/traces.txt`))
            .filter(({ frames }) => frames.some((f) => f.name === func))
            .map(({ value, frames }) => ({
              value,
              frames: frames.slice(0, frames.findIndex((f) => f.name === func) + 1).reverse(),
            }));
          assert.deepEqual(sorted(flameTree(s.callers, false)), sorted(merged(up, false)), 'callers');
        });
    }
});
