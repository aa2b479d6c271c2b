/**
 * The worker's build-ahead order (src/worker/prewarm.ts): one tree per task; the panel's first
 * tree first, then every type's first-paint tree before any other whole tree (a first sample-type
 * switch paints from it), and a type the panel asks for jumps what is left.
 */
import * as assert from 'node:assert/strict';
import { PrewarmQueue } from '../../src/worker/prewarm';

const drain = (q: PrewarmQueue) => {
  const out: string[] = [];
  for (let t = q.next(); t; t = q.next()) out.push(`${t.sampleIndex}${t.firstPaint ? 'f' : 'w'}`);
  return out;
};

describe('PrewarmQueue', () => {
  it('builds the default type (first paint, whole), then every first-paint tree, then the whole ones', () => {
    assert.deepEqual(drain(new PrewarmQueue(3, 4)), ['3f', '3w', '0f', '1f', '2f', '0w', '1w', '2w']);
  });

  it("says whether a type's trees are still to build (the inverted tree is built ahead after the shown type's)", () => {
    const q = new PrewarmQueue(3, 4);
    assert.ok(q.has(3) && q.has(0));
    q.next();
    assert.ok(q.has(3));
    q.next();
    assert.ok(!q.has(3) && q.has(0));
  });

  it('a profile with one sample type builds its two trees', () => {
    assert.deepEqual(drain(new PrewarmQueue(0, 1)), ['0f', '0w']);
  });

  it('builds at most 8 sample types ahead', () => {
    const q = new PrewarmQueue(0, 12);
    assert.equal(q.size, 16);
    assert.ok(drain(q).every((t) => Number.parseInt(t, 10) < 8));
  });

  it('a requested type jumps the queue: its trees still to build come next, first paint before whole', () => {
    const q = new PrewarmQueue(3, 4);
    assert.deepEqual(
      [q.next(), q.next(), q.next()].map((t) => `${t!.sampleIndex}${t!.firstPaint ? 'f' : 'w'}`),
      ['3f', '3w', '0f'],
    );
    q.front(2);
    assert.deepEqual(drain(q), ['2f', '2w', '1f', '0w', '1w']);
  });

  it('asking for a type already built, or the default one, changes nothing', () => {
    const q = new PrewarmQueue(1, 3);
    q.next();
    q.next();
    q.front(1);
    q.front(7);
    assert.deepEqual(drain(q), ['0f', '2f', '0w', '2w']);
  });
});
