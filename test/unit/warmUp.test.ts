import * as assert from 'node:assert/strict';
import { collapseTrie, filterTrie } from '../../src/core/flame';
import { madeUpTrie, warmTransforms } from '../../src/core/warmUp';

describe('core/warmUp', () => {
  it('the made-up trie is a trie: parents first, totals summed up, frames that call themselves', () => {
    const tr = madeUpTrie(4000, 4);
    let self = 0;
    for (let n = 1; n < tr.nodes; n++) {
      assert.ok(tr.parent[n]! < n);
      self += tr.self[n * 4 + 1]!;
    }
    assert.equal(tr.total[1], self);
    const flags = new Uint8Array(tr.names.length).fill(1);
    assert.ok(collapseTrie(tr, flags, [1]).nodes < tr.nodes);
    assert.ok(filterTrie(tr, { focus: flags.fill(0).fill(1, 0, 1) }, [0]).total[0]! > 0);
  });
  it('warmTransforms runs (once per thread)', () => {
    warmTransforms();
    warmTransforms();
  });
});
