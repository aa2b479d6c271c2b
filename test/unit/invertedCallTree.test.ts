/**
 * The call tree's flat column with Inverted on (webview/callTreeModel over the panel's inverted
 * tree from src/worker/ops.ts), against `go tool pprof -top` on the real fixtures: a root of the
 * bottom-up tree is the function the stacks end in, so its flat is every sample ending in it,
 * pprof's flat of that function (trial4: crypto/md5.block showed flat 0, pprof 760ms); the callers
 * below it show 0. Top-down, the column stays the node's own samples.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProfileOps } from '../../src/worker/ops';
import { CallTreeModel } from '../../webview/callTreeModel';
import { parseTop, same } from './helpers/pprofText';
import { hasGo, repoRoot } from './helpers/shared';

describe('inverted call tree: a root shows pprof -top flat, its callers 0', function () {
  this.timeout(120_000);
  for (const fixture of ['cpu', 'heap', 'goroutine']) {
    it(`${fixture}: every sample type`, function () {
      if (!hasGo) this.skip();
      const file = path.join(repoRoot(), `test/fixtures/profiles/${fixture}.pb.gz`);
      const ops = ProfileOps.load({ bytes: new Uint8Array(readFileSync(file)) }).ops;
      ops.profile.sampleTypes.forEach((st, si) => {
        const out = execFileSync(
          'go',
          ['tool', 'pprof', `-sample_index=${si}`, '-nodefraction=0', '-nodecount=100000', '-top', file],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        );
        const flat = new Map(parseTop(out).map((r) => [r.name, r.flat]));
        const d = ops.flame({ sampleIndex: si, reverse: true }).flame;
        const m = new CallTreeModel(d, 'heavy', true);
        let roots = 0;
        for (const i of m.rows) {
          const name = d.names[d.nodeName[i]!]!;
          const want = flat.get(name);
          assert.ok(want !== undefined && want !== '0', `${fixture} ${st.type} ${name}: a root with no pprof flat`);
          assert.equal(same(m.flat(i), want, st.unit), want, `${fixture} ${st.type} ${name}: flat`);
          roots++;
          // Its callers, all the way down, show 0.
          for (let c = i + 1; c < i + d.subtree[i]!; c++) assert.equal(m.flat(c), 0);
        }
        assert.ok(roots > 0);
        // Top-down, flat is the node's own samples.
        const down = ops.flame({ sampleIndex: si }).flame;
        const dm = new CallTreeModel(down);
        for (let i = 1; i < down.nodeName.length; i++) assert.equal(dm.flat(i), down.self[i]);
      });
    });
  }
});
