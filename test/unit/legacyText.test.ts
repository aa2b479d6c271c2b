/**
 * Go's legacy debug=1 text profiles read with their symbol comments (pprof-lens's default)
 * against `go tool pprof` GIVEN THE BINARY, which symbolizes every address of the text
 * (test/fixtures/legacy, scripts/gen-legacy-fixtures.sh). pprof-lens reads the names from the
 * text's "#" lines instead; for every function the text names, top (-functions, -cum, -lines)
 * must print pprof's flat, flat%, cum and cum%, list and traces must print pprof's reports, and
 * raw pprof's samples. Frames the text does not name (runtime.gopark, hidden by runtime/pprof) are the only
 * rows allowed to differ; runtime.goexit, which the text hides too, is inferred and compared.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliOut } from './helpers/cli';
import { parseProfile } from '../../src/core/decode';
import { sampleLocs } from '../../src/core/model';
import { parseFrameComment } from '../../src/core/legacy/gosymbols';
import { legacyFixtureSources, type FixtureSources } from './helpers/sources';

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'legacy');
const golden = path.join(fixtures, 'golden');
/** The sources, in a private copy (the texts say /tmp/pprof-lens-legacy/...: -trim_path, -source_path). */
let sources: FixtureSources | undefined;
const TEXTS = ['heap', 'allocs', 'block', 'mutex', 'goroutine', 'threadcreate'];

function argv(command: string): string[] {
  const out: string[] = [];
  const rx = /'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = rx.exec(command))) out.push(m[1] ?? m[2]!);
  return out.slice(3);
}

/** The CLI run in the sources' copy, told where they are now (-list). */
function cli(args: string[]): string {
  const cwd = process.cwd();
  process.chdir(sources!.dir);
  try {
    return cliOut(args, sources!.io);
  } finally {
    process.chdir(cwd);
  }
}

/** The functions a text names in its "#" lines. */
function namedInText(file: string): Set<string> {
  const names = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const c = parseFrameComment(line.trim());
    if (c?.frame) names.add(c.frame.name);
  }
  return names;
}

interface Row {
  flat: string;
  flatPct: string;
  sumPct: string;
  cum: string;
  cumPct: string;
  name: string;
}

function parseTop(text: string): { header: string[]; rows: Row[] } {
  const header: string[] = [];
  const rows: Row[] = [];
  let inRows = false;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('File: ')) continue;
    if (!inRows) {
      if (/^\s+flat\s+flat%/.test(line)) inRows = true;
      else header.push(line);
      continue;
    }
    const f = line.trim().split(/\s+/);
    rows.push({ flat: f[0]!, flatPct: f[1]!, sumPct: f[2]!, cum: f[3]!, cumPct: f[4]!, name: f.slice(5).join(' ') });
  }
  return { header, rows };
}

/** "Samples:" of a -raw report: each sample's values and labels, without its location ids. */
function rawSamples(text: string): string[] {
  const lines = text.split('\n');
  const from = lines.indexOf('Samples:');
  const to = lines.findIndex((l, i) => i > from && /^(Locations|Mappings)/.test(l));
  return lines.slice(from + 2, to).map((l) => l.replace(/:(\s+\d+)+\s*$/, ':'));
}

describe('legacy debug=1 texts: the names in the text give the numbers go tool pprof prints with the binary', () => {
  before(() => (sources = legacyFixtureSources()));
  after(() => sources?.remove());

  for (const name of TEXTS) {
    describe(name, () => {
      const text = path.join(fixtures, 'profiles', `${name}.txt`);
      const named = namedInText(text);
      // Go 1.19's pprof refuses threadcreate's "N @" records (threads with no stack); its
      // oracle read the text without them, so only the absolute numbers can agree.
      const emptyStacks = name === 'threadcreate';
      const commands = readFileSync(path.join(golden, name, 'commands.tsv'), 'utf8')
        .split('\n')
        .filter(Boolean);
      for (const line of commands) {
        const [out, rc, command] = line.split('\t') as [string, string, string];
        assert.equal(rc, '0', `${name}/${out}: go tool pprof failed`);
        const args = argv(command)
          .filter((a) => a !== 'bin/textprof')
          .map((a) => (a.startsWith('profiles/') || a.startsWith('oracle/') ? text : a));
        const want = readFileSync(path.join(golden, name, out), 'utf8');
        it(`${out}: ${args.filter((a) => a.startsWith('-')).join(' ')}`, () => {
          const got = cli(args);
          if (out === 'raw.txt') {
            const w = rawSamples(want);
            const g = rawSamples(got);
            // (-raw drops samples with an empty stack, as pprof does.)
            assert.deepEqual(g, w);
            return;
          }
          if (out.endsWith('traces.txt')) {
            // Frames the text hides (runtime.gopark ...; runtime.? here) become one placeholder.
            const norm = (t: string): string =>
              t
                .split('\n')
                .filter((l) => !l.startsWith('File: '))
                .map((l) => {
                  const m = /^(\s+\S*\s+)(\S+)$/.exec(l);
                  return m && !named.has(m[2]!) && m[2] !== 'runtime.goexit' && !l.includes('bytes:')
                    ? `${m[1]}<hidden>`
                    : l;
                })
                .join('\n');
            assert.equal(norm(got), norm(want));
            return;
          }
          if (out.endsWith('list.txt')) {
            const strip = (s: string): string =>
              emptyStacks ? s.replace(/^Total: .*$|\S+% of Total$/gm, '').replace(/ +$/gm, '') : s;
            assert.equal(strip(got), strip(want));
            return;
          }
          const w = parseTop(want);
          const g = parseTop(got);
          const fn = (r: Row): string => r.name.split(' ')[0]!;
          const lines = out.endsWith('top_lines.txt');
          // runtime.goexit is inferred without its file:line, so -lines cannot name it like pprof.
          const compared = (r: Row): boolean => named.has(fn(r)) || (!lines && fn(r) === 'runtime.goexit');
          const hidden = w.rows.filter((r) => !compared(r) && fn(r) !== 'runtime.goexit');
          if (hidden.length === 0 && !emptyStacks) {
            // Nothing the text hides carries a value: the whole report is pprof's, but for the
            // binary's name on the "File:" line (and goexit's file:line in -lines).
            const noGoexit = (t: typeof g): typeof g => ({
              header: t.header,
              rows: t.rows.filter((r) => !lines || fn(r) !== 'runtime.goexit'),
            });
            assert.deepEqual(noGoexit(g), noGoexit(w));
            return;
          }
          if (!emptyStacks)
            assert.equal(
              g.header.find((h) => /total$/.test(h))?.replace(/^.* of /, ''),
              w.header.find((h) => /total$/.test(h))?.replace(/^.* of /, ''),
              'total',
            );
          const mine = new Map(g.rows.filter(compared).map((r) => [r.name, r]));
          const theirs = w.rows.filter(compared);
          assert.ok(theirs.length > 0);
          for (const r of theirs) {
            const m = mine.get(r.name);
            assert.ok(m, `${r.name} is missing:\n${got}`);
            if (emptyStacks) assert.deepEqual([m.flat, m.cum], [r.flat, r.cum], r.name);
            else assert.deepEqual([m.flat, m.flatPct, m.cum, m.cumPct], [r.flat, r.flatPct, r.cum, r.cumPct], r.name);
            mine.delete(r.name);
          }
          assert.deepEqual([...mine.keys()], [], 'rows pprof does not have');
        });
      }
    });
  }

  it("every stack's root is runtime.goexit, which the text does not name", () => {
    const got = cli(['-raw', path.join(fixtures, 'profiles', 'heap.txt')]);
    assert.ok(!readFileSync(path.join(fixtures, 'profiles', 'heap.txt'), 'utf8').includes('runtime.goexit'));
    assert.match(got, / runtime\.goexit :0 /);
    const top = cli(['-top', '-nodecount=1000', path.join(fixtures, 'profiles', 'heap.txt')]);
    assert.doesNotMatch(top, /<unknown>/);
    assert.match(top, / main\.newBuffers$/m);
  });

  it('hidden frames by position: runtime.? at the leaf end, runtime.goexit at the root, a listed "#\t0x…" stays unnamed', () => {
    const text =
      'goroutine profile: total 2\n' +
      '1 @ 0x1001 0x2001 0x3001 0x4001\n#\t0x2000\tmain.f+0x1\t/src/f.go:1\n#\t0x3000\n\n' +
      // A stack whose frames are all runtime: printed in full, nothing hidden but goexit.
      '1 @ 0x5001 0x4001\n#\t0x5000\truntime.bgsweep+0x1\t/go/src/runtime/mgcsweep.go:1\n\n';
    const p = parseProfile(new TextEncoder().encode(text));
    const names = (s: number): string[] => {
      const out: string[] = [];
      for (const loc of sampleLocs(p.samples, s)) {
        const ls = p.locations[loc]!.lines;
        out.push(ls.length === 0 ? '' : p.functions[ls[0]!.func]!.name);
      }
      return out;
    };
    assert.deepEqual(names(0), ['runtime.?', 'main.f', '', 'runtime.goexit']);
    assert.deepEqual(names(1), ['runtime.bgsweep', 'runtime.goexit']);
    const off = parseProfile(new TextEncoder().encode(text), { goSymbols: false });
    assert.ok(
      off.locations.every((l) => l.lines.length === 0),
      '-legacy_symbols=false names nothing',
    );
  });

  it('-legacy_symbols=false is go tool pprof without the binary: one <unknown> node', () => {
    const top = cli(['-legacy_symbols=false', '-top', path.join(fixtures, 'profiles', 'heap.txt')]);
    assert.match(top, /^\s+\S+\s+100%\s+100%\s+\S+\s+100%\s+<unknown>$/m);
  });
});
