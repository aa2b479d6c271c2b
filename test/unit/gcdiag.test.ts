/**
 * core/gcdiag on the Go compiler's real output for test/fixtures/escape (scripts/gen-escape-fixture.sh
 * recorded -m=2 text and -json=0 files, built under /tmp/pprof-lens-escape/src/example.com/escape),
 * and, when Go 1.19 is installed, the runner (insight/gcRunner) building the fixture again in a
 * fresh folder and finding the same records.
 */
import assert from 'node:assert/strict';
import { blankCommentsAndStrings } from '../../src/core/bench';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  allocationHotSpots,
  allocationRankIndex,
  appendGrowthNote,
  escapeMarkerText,
  escapeText,
  gcBuildArgs,
  GcIndex,
  inlineMarkerText,
  insightMarkdown,
  parseGcJson,
  parseGcText,
  type GcDiagnostics,
} from '../../src/core/gcdiag';
import { runGcDiagnostics } from '../../src/vscode/insight/gcRunner';
import { repoRoot } from './helpers/shared';

const FIX = path.join(repoRoot(), 'test/fixtures/escape');
const BUILT = '/tmp/pprof-lens-escape/src/example.com/escape';
const MAIN = `${BUILT}/main.go`;
const source = fs.readFileSync(path.join(FIX, 'go/main.go'), 'utf8').split('\n');
const srcLine = (_f: string, l: number) => source[l - 1];

function text(): GcDiagnostics {
  return parseGcText(fs.readFileSync(path.join(FIX, 'diag/m2.txt'), 'utf8'), BUILT);
}
function json(): GcDiagnostics {
  return parseGcJson([fs.readFileSync(path.join(FIX, 'diag/json/main/main.json'), 'utf8')], srcLine);
}
/** The line of the fixture whose text contains s (1-based). */
function lineOf(s: string): number {
  const i = source.findIndex((l) => l.includes(s));
  assert.ok(i >= 0, s);
  return i + 1;
}

function goVersion(): string | undefined {
  try {
    return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

describe('core/gcdiag: the compiler says why a line allocates', () => {
  it('-m=2 text: "moved to heap: r" on newRecord\'s line with the flow that makes it escape', () => {
    const idx = new GcIndex(text());
    const l = lineOf('r := record{id: id}');
    const es = idx.escapesAt(MAIN, l);
    assert.deepEqual(
      es.map((e) => [e.kind, e.message, e.column]),
      [['moved', 'moved to heap: r', 2]],
    );
    assert.deepEqual(
      es[0]!.flow.map((f) => [f.text, f.at.line, f.at.column]),
      [
        ['flow: ~r0 = &r:', l, 2],
        ['from &r (address-of)', l + 1, 9],
        ['from return &r (return)', l + 1, 2],
      ],
    );
  });

  it('-m=2 text: a value escaping (interface conversion, non-constant make) is "X escapes to heap"', () => {
    const idx = new GcIndex(text());
    const sprint = idx.escapesAt(MAIN, lineOf('return fmt.Sprint(id)'));
    assert.deepEqual(
      sprint.map((e) => [e.kind, e.message]),
      [['escapes', 'id escapes to heap']],
    );
    assert.equal(sprint[0]!.flow.at(-1)!.text, 'from fmt.Sprint(... argument...) (call parameter)');
    const mk = idx.escapesAt(MAIN, lineOf('return make([]int, n)'));
    assert.deepEqual(
      mk.map((e) => [e.message, e.flow.map((f) => f.text)]),
      [
        [
          'make([]int, n) escapes to heap',
          ['flow: {heap} = &{storage for make([]int, n)}:', 'from make([]int, n) (non-constant size)'],
        ],
      ],
    );
    // The append line allocates through runtime.growslice; what the compiler says there is about
    // the copy of newRecord inlined at the call, and says so.
    assert.deepEqual(idx.escapesAt(MAIN, lineOf('records = append(records, newRecord(i))')).map(escapeText), [
      'moved to heap: r (inlined newRecord)',
    ]);
    assert.deepEqual(idx.escapesAt(MAIN, lineOf('r := record{id: id}')).map(escapeText), ['moved to heap: r']);
    assert.deepEqual(idx.escapesAt(MAIN, lineOf('func allocate(')), []);
  });

  it("-m=2 text: inlining decisions in the compiler's words, per call site", () => {
    const d = text();
    const mix = d.inlining.find((i) => i.kind === 'cannot' && i.func === 'mix');
    assert.deepEqual(mix && [mix.line, mix.reason, mix.cost], [
      lineOf('func mix('),
      'function too complex: cost 89 exceeds budget 80',
      89,
    ]);
    const idx = new GcIndex(d);
    const l = lineOf('s ^= mix(i)');
    assert.deepEqual(idx.callsAt(MAIN, l, source[l - 1]!), [
      {
        callee: 'mix',
        column: 8,
        inlined: false,
        message: 'cannot inline mix: function too complex: cost 89 exceeds budget 80',
      },
    ]);
    const sq = lineOf('s += square(i)');
    assert.deepEqual(
      idx.callsAt(MAIN, sq, source[sq - 1]!).map((c) => [c.callee, c.inlined, c.message]),
      [['square', true, 'inlining call to square']],
    );
    assert.equal(
      inlineMarkerText(idx.callsAt(MAIN, l, source[l - 1]!)),
      'cannot inline mix: function too complex: cost 89 exceeds budget 80',
    );
  });

  it("the JSON form (gopls's GC details) gives the same escapes, flows and inlining reasons", () => {
    const t = text();
    const j = json();
    const key = (d: GcDiagnostics) =>
      d.escapes
        .filter((e) => e.kind !== 'leak')
        .map(
          (e) =>
            `${e.line}:${e.column} ${e.message} | ${e.flow.map((f) => (f.text.startsWith('from') ? `${f.text}@${f.at.line}:${f.at.column}` : f.text)).join(' ; ')}`,
        )
        .sort();
    assert.deepEqual(key(j), key(t));
    const cannot = (d: GcDiagnostics) =>
      d.inlining
        .filter((i) => i.kind === 'cannot' || i.kind === 'can')
        .map((i) => `${i.line}:${i.column} ${i.message}`)
        .sort();
    // The JSON form does not name a function literal (the text form's main.func1).
    const literal = lineOf('write(*heap, func(f *os.File)');
    assert.deepEqual(
      j.inlining.filter((i) => i.line === literal).map((i) => i.message),
      ['can inline this function with cost 73'],
    );
    const named = (xs: string[]) => xs.filter((x) => !x.startsWith(`${literal}:`));
    assert.deepEqual(named(cannot(j)), named(cannot(t)));
    assert.equal(j.escapes.filter((e) => e.kind === 'moved').length, 2); // r in newRecord and its inlined copy
  });

  it('append lines without an escape note say why they allocate (runtime.growslice)', () => {
    const b = (t: string) => blankCommentsAndStrings(t);
    for (const code of ['\t\ts = append(s, x)', 'out = append(out, v...)', 'return append (dst, b...)'])
      assert.match(appendGrowthNote(b(code)) ?? '', /runtime\.growslice allocates a larger backing array/, code);
    for (const code of ['x.append(y)', 'myappend(s, x)', '// s = append(s, x)', 'log.Print("append(")'])
      assert.equal(appendGrowthNote(b(code)), undefined, code);
    const md = insightMarkdown([], [], 8, appendGrowthNote('s = append(s, x)'));
    assert.match(md, /^\*\*Why it allocates:\*\* append grows the slice/);
    assert.ok(md.includes('make\\(\\[\\]T, 0, n\\)'), md);
  });

  it('hover Markdown and markers escape every compiler word', () => {
    const idx = new GcIndex(text());
    const es = idx.escapesAt(MAIN, lineOf('return make([]int, n)'));
    const md = insightMarkdown(es, []);
    assert.match(md, /^\*\*Why on the heap\*\*/);
    assert.ok(md.includes('make\\(\\[\\]int, n\\) escapes to heap'), md);
    assert.ok(!/[^\\][[\]()]/.test(md.split('\n').slice(1).join('\n').replace(/\\./g, '')), md);
    assert.equal(
      escapeMarkerText(es),
      'heap: make([]int, n) escapes to heap · from make([]int, n) (non-constant size)',
    );
    const hostile = insightMarkdown(
      [
        {
          file: MAIN,
          line: 1,
          column: 1,
          kind: 'moved',
          subject: 'x',
          message: 'moved to heap: [x](command:workbench.action.terminal.new) <img src=x>',
          flow: [],
        },
      ],
      [],
    );
    assert.ok(!hostile.includes('](command:'), hostile);
    assert.ok(hostile.includes('\\<img src\\=x\\>'), hostile);
  });

  it('allocation hot spots: by bytes, each with its reason (alloc_space unless a bytes type is shown)', () => {
    const idx = new GcIndex(text());
    const types = ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'].map((type) => ({ type, unit: '' }));
    assert.equal(allocationRankIndex(types, 0), 1);
    assert.equal(allocationRankIndex(types, 3), 3);
    assert.equal(allocationRankIndex([{ type: 'samples', unit: 'count' }], 0), -1);
    const spots = allocationHotSpots(
      [
        { file: MAIN, line: lineOf('r := record{id: id}'), bytes: 48_000 },
        { file: MAIN, line: lineOf('return make([]int, n)'), bytes: 1_136_000 },
        { file: MAIN, line: lineOf('func allocate('), bytes: 0 },
      ],
      idx,
    );
    assert.deepEqual(
      spots.map((s) => [s.bytes, s.escapes.map((e) => e.message)]),
      [
        [1_136_000, ['make([]int, n) escapes to heap']],
        [48_000, ['moved to heap: r']],
      ],
    );
  });

  it("go build argv: only the named packages, the workspace's tags and flags, no binary in the workspace", () => {
    assert.deepEqual(gcBuildArgs({ packages: ['.', 'internal/x'], devNull: '/dev/null' }), [
      'build',
      '-gcflags=-m=2',
      '-o',
      '/dev/null',
      '.',
      './internal/x',
    ]);
    assert.deepEqual(
      gcBuildArgs({
        packages: ['./cmd'],
        buildFlags: ['-race', '-gcflags', '-N -l', '-o=bin/x', '-mod=vendor'],
        buildTags: 'integration,linux',
        devNull: '/dev/null',
      }),
      ['build', '-race', '-mod=vendor', '-tags=integration,linux', '-gcflags=-m=2', '-o', '/dev/null', './cmd'],
    );
    // -tags in go.buildFlags wins over go.buildTags, as in vscode-go.
    assert.deepEqual(
      gcBuildArgs({ packages: ['.'], buildFlags: ['-tags=a'], buildTags: 'b', devNull: '/dev/null' }).slice(0, 3),
      ['build', '-tags=a', '-gcflags=-m=2'],
    );
  });

  const go = goVersion();
  (go?.startsWith('go1.19') ? it : it.skip)(
    'the real compiler, run again on the fixture in a fresh folder, says the same (insight/gcRunner)',
    async function () {
      this.timeout(120_000);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-gcdiag-'));
      try {
        fs.cpSync(path.join(FIX, 'go'), dir, { recursive: true });
        const r = await runGcDiagnostics({
          go: 'go',
          cwd: dir,
          packages: ['.'],
          env: { ...process.env, GOWORK: 'off', GOFLAGS: '' },
        });
        assert.equal(r.exitCode, 0);
        const norm = (d: GcDiagnostics, root: string) => JSON.stringify(d).split(root).join('<root>');
        assert.equal(norm(r.diagnostics, dir), norm(text(), BUILT));
        // A module with a library and a command: both built in one run, no binary written anywhere
        // in the workspace, paths printed relative to the module root ("lib/l.go").
        const mod = path.join(dir, 'mod');
        fs.mkdirSync(path.join(mod, 'lib'), { recursive: true });
        fs.mkdirSync(path.join(mod, 'cmd', 'tool'), { recursive: true });
        fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/mod\n\ngo 1.19\n');
        fs.writeFileSync(path.join(mod, 'lib/l.go'), 'package lib\n\nfunc F() *int {\n\tx := 1\n\treturn &x\n}\n');
        fs.writeFileSync(
          path.join(mod, 'cmd/tool/main.go'),
          'package main\n\nimport "example.com/mod/lib"\n\nfunc main() { println(*lib.F()) }\n',
        );
        const before = fs.readdirSync(mod, { recursive: true }).sort();
        const m = await runGcDiagnostics({
          go: 'go',
          cwd: mod,
          packages: ['lib', './cmd/tool'],
          env: { ...process.env, GOWORK: 'off', GOFLAGS: '' },
        });
        assert.deepEqual(fs.readdirSync(mod, { recursive: true }).sort(), before);
        assert.deepEqual(
          m.diagnostics.escapes.filter((e) => e.kind === 'moved').map((e) => [e.file, e.line, e.message]),
          [[`${mod}/lib/l.go`, 4, 'moved to heap: x']],
        );
        assert.ok(
          m.diagnostics.inlining.some(
            (i) => i.file === `${mod}/cmd/tool/main.go` && i.line === 5 && i.message === 'inlining call to lib.F',
          ),
          JSON.stringify(m.diagnostics.inlining),
        );
        // Cancelling stops go and says so.
        const ac = new AbortController();
        ac.abort();
        await assert.rejects(runGcDiagnostics({ go: 'go', cwd: dir, packages: ['.'], signal: ac.signal }), /cancelled/);
        await assert.rejects(
          runGcDiagnostics({ go: path.join(dir, 'no-such-go'), cwd: dir, packages: ['.'] }),
          /cannot run .*no such program/,
        );
        fs.writeFileSync(path.join(dir, 'broken.go'), 'package main\n\nfunc broken() { undefinedThing() }\n');
        await assert.rejects(
          runGcDiagnostics({
            go: 'go',
            cwd: dir,
            packages: ['.'],
            env: { ...process.env, GOWORK: 'off', GOFLAGS: '' },
          }),
          /go build failed: .*undefined: undefinedThing/,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
