/**
 * The CLI against `go tool pprof` (Go 1.19) beyond the per-profile reports of fixtures.test.ts:
 * -tagroot/-tagleaf, -prune_from, -drop_negative, -mean, several profiles merged, -proto read back,
 * bool flags with a value, -symbolize, bad inputs, and pprof's source search for -list from a
 * checkout whose recorded paths do not exist (scripts/gen-parity-goldens.sh,
 * test/fixtures/golden-parity). Each command runs in the directory pprof ran in; stdout is
 * compared line by line, and so is stderr (pprof's warnings and errors), except pprof's attempts to
 * read binaries, which pprof-lens never makes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, type RunIO } from '../../src/cli';
import { compileGoRegexp } from '../../src/core/regexp';
import { assertSameLines as sameLines } from './helpers/golden';
import { mainFixtureSources, type FixtureSources } from './helpers/sources';

const fixtures = path.resolve(__dirname, '..', 'fixtures');
const goldenRoot = path.join(fixtures, 'golden-parity');

function argv(command: string): string[] {
  const out: string[] = [];
  const rx = /'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = rx.exec(command))) out.push(m[1] ?? m[2]!);
  return out.slice(3); // drop "go tool pprof"
}

/** Runs the CLI in dir (relative paths resolve there, the default -list search path is dir). */
function cli(
  dir: string,
  args: string[],
  io: RunIO = {},
): { code: number; out: string; err: string; bytes?: Uint8Array } {
  const cwd = process.cwd();
  let out = '';
  let err = '';
  let bytes: Uint8Array | undefined;
  process.chdir(dir);
  try {
    const code = run(
      args,
      (s) => (out += s),
      (s) => (err += s),
      { ...io, outBytes: (b) => (bytes = b) },
    );
    return { code, out, err, ...(bytes ? { bytes } : {}) };
  } finally {
    process.chdir(cwd);
  }
}

/** pprof's lines about reading binaries: pprof-lens reads names from the profile and never tries. */
const BINARY_LINES = /^(Local symbolization failed|Some binary filenames not available|Try setting PPROF_BINARY_PATH)/;

function lines(s: string): string[] {
  return s.split('\n');
}

/** Until core/regexp compiles with RE2 (re2js), a syntax error is not in Go's words. */
const goRegexpErrors = (() => {
  try {
    compileGoRegexp('(');
    return false;
  } catch (e) {
    return (e as Error).message.includes('error parsing regexp: missing closing )');
  }
})();

const haveGo = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;

describe('test/fixtures/golden-parity: pprof flags, merging, -proto and source search against go tool pprof', () => {
  let tmp: string;
  // -list of the fixture profiles (built under /tmp/gopher) reads the sources from a private copy.
  let sources: FixtureSources;
  before(() => {
    sources = mainFixtureSources();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-parity-'));
  });
  after(() => {
    sources.remove();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('no golden depends on the checkout it was recorded in', () => {
    // A golden holding the recording checkout's path passes there and fails in every other clone.
    const repo = path.resolve(fixtures, '../..');
    for (const name of readdirSync(goldenRoot)) {
      for (const f of readdirSync(path.join(goldenRoot, name))) {
        const text = readFileSync(path.join(goldenRoot, name, f), 'utf8');
        assert.ok(!/\/work\/wt\//.test(text) && !text.includes(repo), `${name}/${f} holds a checkout path`);
      }
    }
  });

  it('the source-search profile records paths that do not exist here', () => {
    assert.ok(!existsSync('/tmp/pprof-lens-parity/build/a/parityapp/main.go'));
  });

  for (const name of readdirSync(goldenRoot)) {
    const dir = path.join(goldenRoot, name);
    describe(name, () => {
      for (const line of readFileSync(path.join(dir, 'commands.tsv'), 'utf8').split('\n').filter(Boolean)) {
        const [out, rc, cwd, command] = line.split('\t') as [string, string, string, string];
        const args = argv(command);
        // The fixture profiles' sources (not the parity app's, whose search is what those goldens test).
        const fixtureProfile = args.some((a) =>
          path.resolve(fixtures, cwd, a).startsWith(path.join(fixtures, 'profiles') + path.sep),
        );
        const want = readFileSync(path.join(dir, out), 'utf8');
        const stderrFile = path.join(dir, `${out}.stderr`);
        const wantErr = existsSync(stderrFile) ? readFileSync(stderrFile, 'utf8') : '';
        const regexpError = /regexp:/.test(wantErr);
        const title = `${out}: ${args.filter((a) => a.startsWith('-')).join(' ')}`;
        if (regexpError && !goRegexpErrors) {
          it.skip(`${title} (pending: core/regexp does not compile with RE2 yet, so the error is not in Go's words)`);
          continue;
        }
        if (args.includes('-proto')) {
          it(`${title}, read back by -top`, () => {
            const r = cli(path.join(fixtures, cwd), args);
            assert.equal(r.code, 0, r.err);
            assert.ok(r.bytes && r.bytes[0] === 0x1f && r.bytes[1] === 0x8b, 'gzipped');
            const file = path.join(tmp, `${name}-${out}.pb.gz`);
            writeFileSync(file, r.bytes);
            const back = cli(fixtures, ['-symbolize=none', '-top', '-nodecount=1000', file]);
            assert.equal(back.code, 0, back.err);
            sameLines(back.out, want, 'pprof-lens -top');
            if (haveGo) {
              // go tool pprof itself reads what pprof-lens wrote, with the same table.
              const g = spawnSync('go', ['tool', 'pprof', '-symbolize=none', '-top', '-nodecount=1000', file], {
                encoding: 'utf8',
                env: { ...process.env, TZ: 'UTC' },
              });
              assert.equal(g.status, 0, g.stderr);
              sameLines(g.stdout, want, 'go tool pprof -top');
            }
          });
          continue;
        }
        it(title, () => {
          const r = cli(path.join(fixtures, cwd), args, fixtureProfile ? sources.io : {});
          const ourErr = lines(r.err).map((l) => l.replace(/^pprof-lens: /, ''));
          if (rc !== '0') {
            assert.notEqual(
              r.code,
              0,
              `go tool pprof failed (${wantErr.trim().split('\n')[0]}); pprof-lens printed:\n${r.out}`,
            );
            // pprof's message lines, up to its usage text, are ours too.
            const w = lines(wantErr);
            const upto = w.indexOf('usage:');
            const msg = (upto >= 0 ? w.slice(0, upto) : w).filter((l) => l !== '');
            if (/incompatible/.test(wantErr)) {
              assert.match(ourErr[0]!, /^problem fetching source profiles: incompatible /);
              return;
            }
            assert.deepEqual(ourErr.slice(0, msg.length), msg);
            return;
          }
          assert.equal(r.code, 0, r.err);
          sameLines(r.out, want, 'stdout');
          const wErr = lines(wantErr)
            .filter((l) => !BINARY_LINES.test(l))
            .join('\n');
          assert.equal(ourErr.join('\n'), wErr, 'stderr');
        });
      }
    });
  }
});
