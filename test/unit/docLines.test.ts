import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { profileLines } from '../../src/vscode/profile/docLines';
import { LoadedProfile } from '../../src/vscode/profile/loadedProfile';
import type { WorkerClient } from '../../src/vscode/profile/workerClient';
import { ProfileOps } from '../../src/worker/ops';

function loaded(rel: string): LoadedProfile {
  const { packed } = ProfileOps.load({
    bytes: new Uint8Array(readFileSync(path.resolve(__dirname, '../fixtures', rel))),
  });
  return new LoadedProfile(rel, rel, packed, undefined as unknown as WorkerClient);
}

describe('docLines.profileLines: what costsFor reads of the packed columns, once per (profile, files)', () => {
  const p = loaded('profiles/heap.pb.gz');
  const files = p.data.files.map((_f, i) => i).filter((i) => p.lines(i).length > 0);

  it('gives every packed line of a file with all sample types, ascending, and its functions', () => {
    for (const file of files) {
      const r = profileLines(p, [file]);
      const want = p
        .lines(file)
        .map((l) => ({
          line: l.line,
          flat: [...Array(p.T).keys()].map((t) => p.lineFlat(l.index, t)),
          cum: [...Array(p.T).keys()].map((t) => p.lineCum(l.index, t)),
        }))
        .sort((a, b) => a.line - b.line);
      assert.deepEqual(r.lines, want, p.data.files[file]);
      assert.deepEqual(r.functions, p.functionsOf(file));
    }
  });

  it('sums the lines of two profile files mapped to one local file', () => {
    const [a, b] = [files[0]!, files[1]!];
    const r = profileLines(p, [a, b]);
    const one = profileLines(p, [a]);
    const two = profileLines(p, [b]);
    const lines = new Set([...one.lines, ...two.lines].map((l) => l.line));
    assert.equal(r.lines.length, lines.size);
    for (const l of r.lines)
      for (let t = 0; t < p.T; t++) {
        const sum = (x: typeof one, k: 'flat' | 'cum') => x.lines.find((y) => y.line === l.line)?.[k][t] ?? 0;
        assert.equal(l.flat[t], sum(one, 'flat') + sum(two, 'flat'));
        assert.equal(l.cum[t], sum(one, 'cum') + sum(two, 'cum'));
      }
    assert.deepEqual(r.functions, [...one.functions, ...two.functions]);
  });

  it('reads the columns once: the same answer object per (profile, files), a new one for a new profile', () => {
    const f = files[0]!;
    assert.equal(profileLines(p, [f]), profileLines(p, [f]));
    const q = loaded('profiles/heap.pb.gz');
    assert.notEqual(profileLines(q, [f]), profileLines(p, [f]));
    assert.deepEqual(profileLines(q, [f]), profileLines(p, [f]));
  });
});
