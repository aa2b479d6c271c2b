/**
 * Hand-made hostile legacy inputs (test/fixtures/hostile/legacy-*.gz, written by
 * scripts/gen-hostile-legacy.mjs): lines that made the legacy parsers' regular expressions
 * quadratic (a 64 KiB Java symbol line took 3 s to over 40 s, twenty Go debug=1 comment lines
 * 40 s, blank runs and ten Java symbol lines over 100 s) and a memory map whose lookups were a
 * scan per location. Each must decode and give its top report, or a clear message, within
 * 2 s of CPU time (npm run bench:legacy has wall times and peak memory).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../src/cli';
import { parseProfile } from '../../src/core/decode';

const dir = path.resolve(__dirname, '..', 'fixtures', 'hostile');
const files = readdirSync(dir).filter((f) => f.startsWith('legacy-'));
const BUDGET_MS = 2000;

describe('hostile legacy inputs: linear time', () => {
  it('the corpus is there', () => assert.ok(files.length >= 7, files.join(' ')));

  for (const f of files) {
    it(`${f}: decode and top within ${BUDGET_MS} ms of CPU`, function () {
      this.timeout(20_000);
      // CPU time, not wall time: the budget must hold on a machine other jobs share.
      const c0 = process.cpuUsage();
      let out = '';
      let err = '';
      const code = run(
        ['-top', '-nodecount=20', path.join(dir, f)],
        (s) => (out += s),
        (s) => (err += s),
      );
      if (code === 0) assert.match(out, /^(File: .*\n)?Type: /);
      else assert.match(err, /: (legacy profile: line \d+|Not a pprof profile)/);
      assert.doesNotMatch(err, /\bE[A-Z]{3,}\b|RangeError|TypeError|at .*\.ts:/);
      const outcome = code === 0 ? out.split('\n')[1] : err.trim();
      const c = process.cpuUsage(c0);
      const ms = (c.user + c.system) / 1000;
      assert.ok(ms < BUDGET_MS, `${f}: ${ms.toFixed(0)} ms (${outcome})`);
    });
  }

  it('the scans read what the regular expressions read', () => {
    // A Java symbol section line, a Go frame comment with spaces in the path, a threadz header.
    const java = '--- heapz 1 ---\nformat = java\nresolution = bytes\n3 300 @ 0x10\n0x10 com.x.Y.run (Y.java:42)\n';
    const p = parseProfile(new TextEncoder().encode(java));
    assert.deepEqual(
      p.functions.map((f) => [f.name, f.file]),
      [['com.x.Y.run', 'Y.java']],
    );
    assert.equal(p.locations[0]!.lines[0]!.line, 42);
    const go =
      'heap profile: 1: 64 [1: 64] @ heap/2\n1: 64 [1: 64] @ 0x1001 0x2001\n' +
      '#\t0x1000\tmain.f+0x10\t\t/home/Jane Doe/src/app/a.go:7\n#\t0x2000\tmain.main+0x2\t/home/Jane Doe/src/app/main.go:3\n';
    const q = parseProfile(new TextEncoder().encode(go));
    assert.deepEqual(
      q.locations.map((l) =>
        l.lines.map((ln) => `${q.functions[ln.func]!.name} ${q.functions[ln.func]!.file}:${ln.line}`),
      ),
      [['main.f /home/Jane Doe/src/app/a.go:7'], ['main.main /home/Jane Doe/src/app/main.go:3']],
    );
  });
});
