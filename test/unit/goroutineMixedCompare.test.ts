/**
 * Goroutine snapshots of different formats compared frame by frame (top table, flame graph,
 * overlays): a debug=2 dump hides the runtime's frames that the proto and the debug=1 text have,
 * so a mixed pair is compared without them (src/core/goroutineSides.ts). Reference: go tool pprof
 * -top -hide '^runtime\.[^A-Z]' -base on the proto pair taken at the same moments
 * (test/fixtures/goroutines, scripts/gen-insight-fixtures.sh).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliOut as cli } from './helpers/cli';

const fix = path.resolve(__dirname, '..', 'fixtures', 'goroutines');
const file = (n: string): string => path.join(fix, 'profiles', n);
const golden = (n: string): string => readFileSync(path.join(fix, 'golden', n), 'utf8');

interface Row {
  flat: string;
  flatPct: string;
  cum: string;
  cumPct: string;
  name: string;
}

/** The rows of a -top report, field by field (sum% left out: it depends on the rows before). */
function rows(top: string): Row[] {
  const out: Row[] = [];
  for (const l of top.split('\n')) {
    const m = /^\s+(-?\d+)\s+(\S+)\s+\S+\s+(-?\d+)\s+(\S+)\s+(.+)$/.exec(l);
    if (m) out.push({ flat: m[1]!, flatPct: m[2]!, cum: m[3]!, cumPct: m[4]!, name: m[5]! });
  }
  return out;
}

const showing = (top: string): string | undefined => /^Showing nodes accounting for .*$/m.exec(top)?.[0];

/**
 * Each snapshot was written by main itself through runtime/pprof, and each format is written by
 * different code (writeGoroutineStacks, writeRuntimeProfile …): that goroutine's runtime/pprof
 * frames differ between formats taken at the same moment, by construction, and are left out.
 */
const ownWriter = (r: Row): boolean => r.name.startsWith('runtime/pprof.');

describe('goroutine snapshots of different formats compared frame by frame', () => {
  for (const lines of [true, false]) {
    const ref = golden(lines ? 'base_hide_runtime.top_lines.txt' : 'base_hide_runtime.top.txt');
    for (const [before, after] of [
      ['before.txt', 'after.dump.txt'],
      ['before.pb.gz', 'after.dump.txt'],
      ['before.dump.txt', 'after.pb.gz'],
      ['before.dump.txt', 'after.txt'],
    ] as const) {
      it(`${before} -> ${after}${lines ? ' (-lines)' : ''}: as pprof -base on the proto pair without the runtime frames a dump hides`, () => {
        const top = cli(['-top', ...(lines ? ['-lines'] : []), '-nodecount=1000', '-base', file(before), file(after)]);
        assert.equal(showing(top), showing(ref), top);
        const got = rows(top);
        assert.deepEqual(
          got.filter((r) => !ownWriter(r)),
          rows(ref).filter((r) => !ownWriter(r)),
          top,
        );
        // No runtime frame a dump hides, so no runtime.goexit / runtime.gopark difference that is none.
        assert.ok(!got.some((r) => /^runtime\.[a-z]/.test(r.name)), top);
        // Never more flat than cum for a function (the trial's main.leak.func1: flat +50, cum +30).
        if (!lines) for (const r of got) assert.ok(Math.abs(Number(r.flat)) <= Math.abs(Number(r.cum)), r.name);
        // The go statement ("created by") is no frame: the creator of the pumps is on no stack.
        assert.ok(!got.some((r) => r.name.startsWith('main.(*hub).Subscribe')), top);
      });
    }
  }

  it('two snapshots of the same format keep their runtime frames (pprof -base exactly)', () => {
    const top = cli(['-top', '-lines', '-nodecount=1000', '-base', file('before.pb.gz'), file('after.pb.gz')]);
    assert.deepEqual(rows(top), rows(golden('base.top_lines.txt')));
  });
});
