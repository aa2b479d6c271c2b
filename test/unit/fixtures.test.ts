/**
 * The CLI against `go tool pprof` (Go 1.19) on the real profiles in test/fixtures, made by the Go
 * programs in test/fixtures/go (scripts/gen-fixtures.sh): for every profile and sample type, top
 * (default, all nodes, -cum, -lines, -files, -noinlines), list, peek, traces and tags; filters on the CPU
 * profiles; -base and -diff_base on the leak snapshots. Each output is compared line by line.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../src/cli';
import { assertSameLines } from './helpers/golden';
import { mainFixtureSources, type FixtureSources } from './helpers/sources';

const fixtures = path.resolve(__dirname, '..', 'fixtures');
const goldenRoot = path.join(fixtures, 'golden');

/** Splits a commands.tsv command into argv, honouring the single quotes gen-fixtures.sh writes. */
function argv(command: string): string[] {
  const out: string[] = [];
  const rx = /'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = rx.exec(command))) out.push(m[1] ?? m[2]!);
  return out.slice(3); // drop "go tool pprof"
}

describe('test/fixtures: the CLI against go tool pprof on real Go profiles', () => {
  // -list reads the sources from a private copy (the profiles say /tmp/gopher/...; helpers/sources.ts).
  let sources: FixtureSources;
  before(() => (sources = mainFixtureSources()));
  after(() => sources.remove());

  for (const name of readdirSync(goldenRoot).filter((d) => statSync(path.join(goldenRoot, d)).isDirectory())) {
    const dir = path.join(goldenRoot, name);
    describe(name, () => {
      for (const line of readFileSync(path.join(dir, 'commands.tsv'), 'utf8').split('\n').filter(Boolean)) {
        const [out, rc, command] = line.split('\t') as [string, string, string];
        const args = argv(command).map((a) => (a.startsWith('profiles/') ? path.join(fixtures, a) : a));
        // Go 1.19's pprof ignores the symbol comments of debug=1 text profiles (pprof-lens reads
        // them by default): compare with them off; legacy.test.ts covers them.
        if (name.endsWith('_text')) args.unshift('-legacy_symbols=false');
        it(`${out}: ${args.filter((a) => a.startsWith('-')).join(' ')}`, () => {
          let got = '';
          let err = '';
          const code = run(
            args,
            (s) => (got += s),
            (s) => (err += s),
            sources.io,
          );
          if (rc !== '0') {
            assert.notEqual(
              code,
              0,
              `go tool pprof failed (${readFileSync(path.join(dir, `${out}.stderr`), 'utf8').trim()}); pprof-lens printed:\n${got}`,
            );
            return;
          }
          assert.equal(code, 0, err);
          assertSameLines(got, readFileSync(path.join(dir, out), 'utf8'));
        });
      }
    });
  }

  it('has goldens for every profile', () => {
    for (const f of readdirSync(path.join(fixtures, 'profiles'))) {
      const name = f.endsWith('.txt') ? `${f.slice(0, -4)}_text` : f.replace(/\.pb\.gz$/, '');
      assert.ok(existsSync(path.join(goldenRoot, name, 'commands.tsv')), name);
    }
  });
});
