/**
 * The core and the CLI against Go 1.19's `go tool pprof` on google/pprof's own test profiles
 * (../shared/pprof-testdata/go1.19-oracle: every command with its output). Each golden is
 * compared line by line, header lines included.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { run } from '../../src/cli';
import { assertSameLines } from './helpers/golden';
import { sharedPath } from './helpers/shared';

const testdata = sharedPath('pprof-testdata');
const oracleRoot = path.join(testdata, 'go1.19-oracle');

interface Case {
  dir: string;
  output: string;
  rc: number;
  args: string[];
}

function oracleDirs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (!statSync(p).isDirectory()) continue;
    if (existsSync(path.join(p, 'commands.tsv'))) out.push(p);
    else out.push(...oracleDirs(p));
  }
  return out;
}

/** Reads an oracle output (.txt or .txt.gz). */
function readGolden(dir: string, name: string): string | undefined {
  const p = path.join(dir, name);
  if (existsSync(p)) return readFileSync(p, 'utf8');
  if (existsSync(`${p}.gz`)) return gunzipSync(readFileSync(`${p}.gz`)).toString('utf8');
  return undefined;
}

/**
 * Each command runs on the profile pprof read (legacy inputs through our legacy parsers). Legacy
 * inputs run a second time on pprof's own conversion to proto (converted.pb.gz), which must give
 * the same report, except where pprof's proto writer changed the profile: gobench.heap has a
 * sample whose every frame is dropped, counted in the total of the legacy read but not written.
 */
function casesOf(dir: string): Case[] {
  const rel = path.relative(oracleRoot, dir);
  const converted = path.join(dir, 'converted.pb.gz');
  const inputs = [path.join(testdata, rel)];
  if (existsSync(converted) && !rel.endsWith('gobench.heap')) inputs.push(converted);
  return inputs.flatMap((input) => commandsOf(dir, input));
}

function commandsOf(dir: string, input: string): Case[] {
  const cases: Case[] = [];
  for (const line of readFileSync(path.join(dir, 'commands.tsv'), 'utf8').split('\n')) {
    if (!line) continue;
    const [output, rc, , command] = line.split('\t') as [string, string, string, string];
    const args = command.split(' ').slice(3); // drop "go tool pprof"
    args[args.length - 1] = input;
    // The oracle's list outputs show pprof searched sources on the relative path
    // "google-pprof-testdata", where none of these profiles' sources exist.
    if (args.includes('-list')) args.unshift('-source_path=google-pprof-testdata');
    cases.push({ dir, output: output.replace(/\.gz$/, ''), rc: Number(rc), args });
  }
  return cases;
}

const SUPPORTED = /(^|\/)(top|top_cum|top_all|top_lines|list_user|traces|tags)\.txt$/;

describe('go tool pprof 1.19 oracle (google/pprof testdata)', () => {
  for (const dir of oracleDirs(oracleRoot)) {
    const rel = path.relative(oracleRoot, dir);
    describe(rel, () => {
      for (const c of casesOf(dir)) {
        if (!SUPPORTED.test(c.output) || c.rc !== 0) continue;
        it(`${c.output}: ${c.args.slice(0, -1).join(' ')}${c.args[c.args.length - 1]!.endsWith('converted.pb.gz') ? ' (converted.pb.gz)' : ''}`, () => {
          const want = readGolden(dir, c.output)!;
          let got = '';
          let err = '';
          const code = run(
            c.args,
            (s) => (got += s),
            (s) => (err += s),
          );
          assert.equal(code, 0, err);
          assertSameLines(got, want);
        });
      }
    });
  }
});
