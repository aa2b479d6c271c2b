/** Flame layout: value space to pixels, zoom, orientation, culling of sub-pixel frames, hit testing. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseProfile } from '../../src/core/decode';
import { buildFlame } from '../../src/core/flame';
import type { FlameData } from '../../src/shared/flame';
import { hitTest, layout } from '../../webview/flame/layout';
import { sharedPath } from './helpers/shared';

// all(10) -> a(10) -> [c(5), b(3)]; a self 2
const tiny: FlameData = {
  names: ['main.a', 'main.b', 'main.c'],
  files: ['/a.go'],
  nodeName: [-1, 0, 2, 1],
  nodeFile: [-1, 0, 0, 0],
  nodeLine: [0, 1, 2, 3],
  depth: [0, 1, 2, 2],
  inlined: [0, 0, 0, 0],
  start: [0, 0, 0, 5],
  weight: [10, 10, 5, 3],
  total: [10, 10, 5, 3],
  self: [0, 2, 5, 3],
  subtree: [4, 3, 1, 1],
  maxDepth: 2,
  reportTotal: 10,
};

describe('webview/flame layout', () => {
  it('maps value space to pixels (icicle)', () => {
    const b = layout(tiny, { zoom: 0, width: 1000, rowHeight: 20, orientation: 'icicle' });
    assert.equal(b.count, 4);
    assert.deepEqual([...b.node], [0, 1, 2, 3]);
    assert.deepEqual([...b.x], [0, 0, 0, 500]);
    assert.deepEqual([...b.w], [1000, 1000, 500, 300]);
    assert.deepEqual([...b.y], [0, 20, 40, 40]);
    assert.equal(b.height, 60);
  });

  it('flips rows in flame orientation', () => {
    const b = layout(tiny, { zoom: 0, width: 1000, rowHeight: 20, orientation: 'flame' });
    assert.deepEqual([...b.y], [40, 20, 0, 0]);
  });

  it('zoom fills the width with the subtree and keeps ancestors full width', () => {
    const b = layout(tiny, { zoom: 3, width: 600, rowHeight: 10, orientation: 'icicle' });
    assert.equal(b.ancestors, 2);
    assert.deepEqual([...b.node], [0, 1, 3]);
    assert.deepEqual([...b.w], [600, 600, 600]);
    assert.equal(b.x[2], 0);
    assert.equal(hitTest(b, 300, 25, 10), 2);
    assert.equal(hitTest(b, 300, 35, 10), -1);
  });

  it('culls frames narrower than the minimum width with their subtrees', () => {
    const b = layout(tiny, { zoom: 0, width: 10, rowHeight: 10, orientation: 'icicle', minWidth: 4 });
    assert.deepEqual([...b.node], [0, 1, 2]); // b is 3px wide
  });

  it('on a 400k-node real tree (large.cpu): culls at screen width, lays out all of it fast when wide', () => {
    const p = parseProfile(readFileSync(sharedPath('pprof-testdata/internal/proftest/testdata/large.cpu')));
    const d = buildFlame(p, { sampleIndex: 1 });
    const n = d.nodeName.length;
    // 20430 samples of 10ms: one sample is 0.05px at 1200px, so only the trunk is visible.
    const narrow = layout(d, { zoom: 0, width: 1200, rowHeight: 18, orientation: 'icicle' });
    assert.ok(narrow.count > 1 && narrow.count < 100, `${narrow.count} of ${n}`);
    for (const width of [1200, 1e6]) {
      const t0 = performance.now();
      const b = layout(d, { zoom: 0, width, rowHeight: 18, orientation: 'icicle' });
      const ms = performance.now() - t0;
      for (let k = 0; k < b.count; k++) {
        assert.ok(b.w[k]! >= 0.5 && b.x[k]! >= -1e-3 && b.x[k]! + b.w[k]! <= width * (1 + 1e-6));
      }
      if (width === 1e6) assert.equal(b.count, n);
      assert.ok(ms < 300, `${ms.toFixed(1)} ms for ${b.count} boxes`);
    }
  });
});
