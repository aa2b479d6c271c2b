/** annotate marks functions "(inline)" exactly where go tool pprof -top (all nodes) does. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { annotate } from '../../src/core/annotate';
import { parseProfile } from '../../src/core/decode';
import { removeUninteresting } from '../../src/core/compact';

const FIX = path.resolve(__dirname, '../fixtures');

describe('annotate: (inline) as go tool pprof -top prints it', () => {
  for (const name of ['cpu', 'labels', 'heap', 'goroutine', 'mutex', 'block']) {
    const golden = path.join(FIX, 'golden', name);
    if (!existsSync(golden)) continue;
    it(`${name}.pb.gz`, () => {
      const p = removeUninteresting(parseProfile(readFileSync(path.join(FIX, 'profiles', `${name}.pb.gz`))));
      const a = annotate(p);
      const mark = new Map<string, string>();
      for (const f of a.files) for (const fn of f.functions) mark.set(fn.name, fn.inline);
      let checked = 0;
      for (const si of readdirSync(golden)) {
        const top = path.join(golden, si, 'top.txt');
        if (!existsSync(top)) continue;
        for (const line of readFileSync(top, 'utf8').split('\n')) {
          const m =
            /^\s*-?[\d.]+\S*\s+[\d.]+%\s+[\d.]+%\s+-?[\d.]+\S*\s+[\d.]+%\s+(\S+)(?: \((inline|partial-inline)\))?$/.exec(
              line,
            );
          if (!m || !mark.has(m[1]!)) continue;
          assert.equal(mark.get(m[1]!), m[2] ?? '', `${name}/${si}: ${line}`);
          checked++;
        }
      }
      assert.ok(checked > 0);
    });
  }
});
