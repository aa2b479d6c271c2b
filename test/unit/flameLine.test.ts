/**
 * A flame frame's line (core/flame flameTrie): the line of its function with the most weight through
 * that frame, summed over every stack, as `go tool pprof -list` sums it for the whole function; the
 * frame opens there and its tooltip names it. The trial's lensdemo profile (test/fixtures/trial,
 * a renamed checkout's benchmark) has Names → Walk at tree.go:47 (1.62s in many stacks) and
 * Names → sort.Slice at :50 (400ms, heavier than any one stack through :47).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { flameTrie, type FlameTrie } from '../../src/core/flame';
import type { Profile } from '../../src/core/model';
import { repoRoot } from './helpers/shared';

const load = (rel: string) => parseProfile(readFileSync(path.join(repoRoot(), rel)));

/** Per node path (frames root → node, "name file" joined) and sample type: weight per line, from the samples. */
function lineWeights(p: Profile, reverse: boolean): Map<string, Map<number, number>[]> {
  const T = p.sampleTypes.length;
  const out = new Map<string, Map<number, number>[]>();
  const { count, stack, locStart, stackLocs, values } = p.samples;
  for (let s = 0; s < count; s++) {
    const a = locStart[stack[s]!]!;
    const b = locStart[stack[s]! + 1]!;
    const frames: { key: string; line: number }[] = [];
    for (let k = b - 1; k >= a; k--) {
      const loc = p.locations[stackLocs[k]!]!;
      for (let j = loc.lines.length - 1; j >= 0; j--) {
        const f = p.functions[loc.lines[j]!.func]!;
        frames.push({ key: `${f.name} ${f.file}`, line: loc.lines[j]!.line });
      }
    }
    if (reverse) frames.reverse();
    let at = '';
    for (const fr of frames) {
      at += `\n${fr.key}`;
      let m = out.get(at);
      if (!m) out.set(at, (m = Array.from({ length: T }, () => new Map<number, number>())));
      for (let t = 0; t < T; t++) m[t]!.set(fr.line, (m[t]!.get(fr.line) ?? 0) + Math.abs(values[s * T + t]!));
    }
  }
  return out;
}

function nodePath(tr: FlameTrie, n: number): string {
  let s = '';
  for (let i = n; i > 0; i = tr.parent[i]!) s = `\n${tr.names[tr.nodeName[i]!]} ${tr.files[tr.nodeFile[i]!]}` + s;
  return s;
}

function check(rel: string, reverse: boolean): { exact: number } {
  const p = load(rel);
  const tr = flameTrie(p, { reverse });
  const want = lineWeights(p, reverse);
  let exact = 0;
  for (let n = 1; n < tr.nodes; n++) {
    const ws = want.get(nodePath(tr, n));
    assert.ok(ws, `${rel}: node ${n} is a path of the samples`);
    for (let t = 0; t < tr.T; t++) {
      const m: Map<number, number> = ws[t]!;
      const got = tr.line[n * tr.T + t]!;
      const max = Math.max(...m.values());
      if (max === 0) continue;
      assert.ok(m.has(got), `${rel} ${nodePath(tr, n)}: line ${got} is one of the frame's lines`);
      const total = [...m.values()].reduce((x, y) => x + y, 0);
      // Exact while a frame has two lines; a line with more than half the weight always wins.
      if (m.size <= 2 || max > total / 2) {
        assert.equal(m.get(got), max, `${rel} ${nodePath(tr, n).replace(/\n/g, ' → ')} type ${t}: ${got} of ${[...m]}`);
        exact++;
      }
    }
  }
  return { exact };
}

describe("flame frames' lines: the heaviest line of the frame, summed over its stacks", () => {
  it("lensdemo: Names opens at tree.go:47 (Walk, 1.62s), not :50 (sort.Slice's one 400ms stack)", () => {
    const p = load('test/fixtures/trial/cpu.pprof');
    const tr = flameTrie(p);
    const si = p.sampleTypes.findIndex((s) => s.type === 'cpu');
    const names = [...Array(tr.nodes).keys()].filter((n) => tr.names[tr.nodeName[n]!] === 'example.com/lensdemo.Names');
    assert.ok(names.length > 0);
    const heaviest = names.reduce((a, b) => (tr.total[b * tr.T + si]! > tr.total[a * tr.T + si]! ? b : a));
    assert.equal(tr.line[heaviest * tr.T + si], 47);
  });

  for (const rel of [
    'test/fixtures/trial/cpu.pprof',
    'test/fixtures/profiles/cpu.pb.gz',
    'test/fixtures/profiles/heap.pb.gz',
    'test/fixtures/profiles/labels.pb.gz',
  ])
    for (const reverse of [false, true])
      it(`${path.basename(rel)}${reverse ? ', bottom-up' : ''}: every frame's line against the samples`, () => {
        const { exact } = check(rel, reverse);
        assert.ok(exact > 10, `${exact} frames checked exactly`);
      });
});
