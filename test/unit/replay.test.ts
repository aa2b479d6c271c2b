/**
 * The CLI against Go 1.19's `go tool pprof` on the synthetic profiles of google/pprof's driver
 * tests (../shared/pprof-testdata/synthesized, replayed by MANIFEST section 2b): text and tree
 * reports with focus, ignore, hide, show, show_from, taghide, noinlines, granularities,
 * relative percentages and node counts, compared line by line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../src/cli';
import { assertSameLines } from './helpers/golden';
import { sharedPath } from './helpers/shared';

const dir = sharedPath('pprof-testdata/synthesized/go1.19-replay/driver');
const rows = readFileSync(path.join(dir, 'replay.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));

/** Report kinds the CLI has; dot, callgrind, tags, traces, comments and disasm are not text reports here. */
const SUPPORTED = /^(text|tree|peek=)/;

describe('go tool pprof 1.19 replay of the driver tests (synthesized profiles)', () => {
  for (const [flags, , golden, status, command] of rows) {
    if (status !== 'MATCH' || !SUPPORTED.test(flags!) || flags!.includes('topproto')) continue;
    it(`${golden}: ${flags}`, () => {
      const words = command!.split(' ').slice(3);
      const args: string[] = [];
      for (let i = 0; i < words.length; i++) {
        if (words[i] === '-output') {
          i++;
          continue;
        }
        args.push(words[i]!.replace(/^'(.*)'$/, '$1'));
      }
      args[args.length - 1] = sharedPath(`pprof-testdata/synthesized/${path.basename(args[args.length - 1]!)}`);
      let out = '';
      let err = '';
      const code = run(
        args,
        (s) => (out += s),
        (s) => (err += s),
      );
      assert.equal(code, 0, err);
      assertSameLines(out, readFileSync(path.join(dir, golden!), 'utf8'));
    });
  }
});
