import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { cleanPath } from '../../src/core/graph';
import { callerOrder, lineCallers, type LineCaller, type LineQuery } from '../../src/core/lineCallers';
import { sampleLocs, type Profile } from '../../src/core/model';

const fixtures = path.resolve(__dirname, '../fixtures');

function load(rel: string): Profile {
  return parseProfile(new Uint8Array(readFileSync(path.join(fixtures, rel))));
}

/**
 * The walk the worker did before it used core's frame table and traversal: every sample's frames
 * one by one, the caller of the line counted once per sample. The new function must agree with it.
 */
function perSample(p: Profile, q: LineQuery): LineCaller[] {
  const frames: { name: string; file: string; line: number }[][] = p.locations.map((l) =>
    l.lines.map((ln) => ({
      name: ln.func >= 0 ? p.functions[ln.func]!.name : '',
      file: ln.func >= 0 && p.functions[ln.func]!.file !== '' ? cleanPath(p.functions[ln.func]!.file) : '',
      line: ln.func >= 0 ? ln.line : 0,
    })),
  );
  const T = p.sampleTypes.length;
  const { values, count } = p.samples;
  const w = new Map<string, { e: Omit<LineCaller, 'weight'>; weight: number; stamp: number }>();
  for (let s = 0; s < count; s++) {
    const v = values[s * T + q.sampleIndex]!;
    if (v === 0) continue;
    let found = false;
    let self = '';
    for (const loc of sampleLocs(p.samples, s)) {
      for (const f of frames[loc]!) {
        const key = `${f.name}\u0000${f.file}\u0000${f.line}`;
        if (found) {
          // The line calling itself (recursion) is no caller: pprof's graph has no self edges.
          if (key === self) continue;
          let x = w.get(key);
          if (!x)
            w.set(key, (x = { e: { name: f.name || '<unknown>', file: f.file, line: f.line }, weight: 0, stamp: -1 }));
          if (x.stamp !== s) {
            x.stamp = s;
            x.weight += v;
          }
          found = false;
        }
        if (f.line === q.line && f.file === q.file && f.file !== '') {
          found = true;
          self = key;
        }
      }
    }
  }
  return [...w.values()]
    .map((x) => ({ ...x.e, weight: x.weight }))
    .sort(callerOrder)
    .slice(0, q.limit);
}

/** Every (file, line) a frame of p names. */
function sourceLines(p: Profile): { file: string; line: number }[] {
  const seen = new Map<string, { file: string; line: number }>();
  for (const l of p.locations)
    for (const ln of l.lines) {
      const f = ln.func >= 0 ? p.functions[ln.func]! : undefined;
      if (!f || f.file === '') continue;
      const file = cleanPath(f.file);
      seen.set(`${file}:${ln.line}`, { file, line: ln.line });
    }
  return [...seen.values()];
}

describe('core/lineCallers: the hover\'s "called from" list over core\'s frame table and traversal', () => {
  for (const rel of [
    'profiles/cpu.pb.gz',
    'profiles/heap.pb.gz',
    'escape/profiles/heap.pb.gz',
    'profiles/goroutine.pb.gz',
  ]) {
    it(`${rel}: equals the per-sample walk on every line and sample type`, () => {
      const p = load(rel);
      const lines = sourceLines(p);
      assert.ok(lines.length > 10);
      let nonEmpty = 0;
      for (let t = 0; t < p.sampleTypes.length; t++)
        for (const { file, line } of lines) {
          const q = { sampleIndex: t, file, line, limit: 8 };
          const got = lineCallers(p, q);
          assert.deepEqual(got, perSample(p, q), `${file}:${line} type ${t}`);
          if (got.length > 0) nonEmpty++;
        }
      assert.ok(nonEmpty > 10, `${nonEmpty} lines with callers`);
    });
  }

  it('counts a recursive line once per stack; its callers are the other lines of Fib, never the line itself', () => {
    const p = load('profiles/cpu.pb.gz');
    const fib = p.functions.find((f) => f.name.endsWith('work.Fib'))!;
    assert.ok(fib, 'the cpu fixture has work.Fib');
    const file = cleanPath(fib.file);
    // The line of Fib's recursive call: the frame under a Fib frame in the deepest stacks.
    const fibLines = sourceLines(p).filter((l) => l.file === file);
    const withSelf = fibLines
      .map((l) => ({ l, callers: lineCallers(p, { sampleIndex: 1, ...l, limit: 10 }) }))
      .filter((x) => x.callers.some((c) => c.name === fib.name));
    assert.ok(withSelf.length > 0, 'some Fib line is called from Fib itself');
    for (const x of withSelf) for (const c of x.callers) assert.ok(c.weight > 0, `${c.name} ${c.weight}`);
    for (const x of withSelf)
      assert.ok(
        !x.callers.some((c) => c.name === fib.name && c.line === x.l.line),
        `Fib line ${x.l.line} calls itself`,
      );
    // Fib's recursive call line is called from Fib: without the self edge, from its other lines only.
    const selfCalling = fibLines.filter((l) => {
      const st = p.samples;
      for (let s = 0; s < st.count; s++) {
        const fr = [...sampleLocs(st, s)].flatMap((loc) => p.locations[loc]!.lines);
        for (let i = 0; i + 1 < fr.length; i++)
          if (fr[i]!.line === l.line && fr[i + 1]!.line === l.line && fr[i]!.func === fr[i + 1]!.func) return true;
      }
      return false;
    });
    assert.ok(selfCalling.length > 0, 'the fixture has a line that calls itself');
  });

  it("reports an inlined frame's caller as the function it was inlined into, at the call line", () => {
    const p = load('profiles/cpu.pb.gz');
    // A location with two or more lines: lines[0] inlined into lines[1].
    const loc = p.locations.find((l) => l.lines.length > 1 && l.lines.every((ln) => ln.func >= 0))!;
    assert.ok(loc, 'the cpu fixture has an inlined frame');
    const inner = loc.lines[0]!;
    const outer = loc.lines[1]!;
    const callers = lineCallers(p, {
      sampleIndex: 1,
      file: cleanPath(p.functions[inner.func]!.file),
      line: inner.line,
      limit: 20,
    });
    assert.ok(
      callers.some((c) => c.name === p.functions[outer.func]!.name && c.line === outer.line),
      JSON.stringify(callers),
    );
  });

  it('returns nothing for a line no frame names', () => {
    const p = load('profiles/cpu.pb.gz');
    assert.deepEqual(lineCallers(p, { sampleIndex: 0, file: '/nowhere.go', line: 1, limit: 5 }), []);
  });
});
