/** core/bench: finding benchmarks in Go source, the go test argv, and which go binary runs it. */
import assert from 'node:assert/strict';
import {
  benchArgs,
  benchProfileFileName,
  blankCommentsAndStrings,
  defaultRevisions,
  findBenchmarks,
  isBenchmarkName,
  resolveGoBinary,
  searchPath,
} from '../../src/core/bench';

const SRC = `package demo

import (
	"testing"
	tst "testing"
)

// func BenchmarkInComment(b *testing.B) {}
/*
func BenchmarkInBlock(b *testing.B) {}
*/
var s = \`
func BenchmarkInRaw(b *testing.B) {}
\`
var q = "func BenchmarkInString(b *testing.B) {}"

func BenchmarkParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
	}
}

func Benchmark(b *testing.B) {}
func Benchmarkfoo(b *testing.B) {}
func Benchmark_x(b *testing.B) {}
func BenchmarkAlias(bb *tst.B) {}
func BenchmarkWrongParam(t *testing.T) {}
func (r recv) BenchmarkMethod(b *testing.B) {}
func helper(b *testing.B) {}
func BenchmarkÜber(b *testing.B) {}
`;

describe('bench: finding benchmarks', () => {
  it('finds top-level benchmark declarations with lines and columns, skipping comments and strings', () => {
    const got = findBenchmarks(SRC);
    assert.deepEqual(
      got.map((b) => [b.name, b.line]),
      [
        ['BenchmarkParse', 17],
        ['Benchmark', 22],
        ['Benchmark_x', 24],
        ['BenchmarkAlias', 25],
        ['BenchmarkÜber', 29],
      ],
    );
    assert.equal(got[0]!.column, 0);
    assert.equal(got[0]!.nameColumn, 5);
  });
  it("follows Go's name rule", () => {
    assert.ok(isBenchmarkName('Benchmark'));
    assert.ok(isBenchmarkName('BenchmarkX'));
    assert.ok(isBenchmarkName('Benchmark_x'));
    assert.ok(isBenchmarkName('Benchmark1'));
    assert.ok(!isBenchmarkName('Benchmarkx'));
    assert.ok(!isBenchmarkName('Bench'));
  });
  it('blanking keeps line structure', () => {
    const s = 'a // c\n"s\\"t" `r\nr` \'x\'\n';
    const b = blankCommentsAndStrings(s);
    assert.equal(b.length, s.length);
    assert.deepEqual(b.split('\n').length, s.split('\n').length);
    assert.equal(b.trim().split(/\s+/).join(' '), 'a');
  });
  it('handles CRLF files and an unterminated string', () => {
    assert.deepEqual(
      findBenchmarks('package x\r\n\r\nfunc BenchmarkA(b *testing.B) {\r\n}\r\n').map((b) => b.line),
      [3],
    );
    assert.deepEqual(
      findBenchmarks('var s = "open\nfunc BenchmarkB(b *testing.B) {}\n').map((b) => b.name),
      ['BenchmarkB'],
    );
  });
});

describe('bench: go test argv', () => {
  it('cpu, mem, block and mutex', () => {
    assert.deepEqual(benchArgs('BenchmarkParse', 'cpu', '/tmp/p/cpu.pprof'), [
      'test',
      '-run=^$',
      '-bench=^BenchmarkParse$',
      '-benchmem',
      '-cpuprofile=/tmp/p/cpu.pprof',
      '.',
    ]);
    assert.ok(benchArgs('BenchmarkParse', 'mem', 'm').includes('-memprofile=m'));
    assert.ok(benchArgs('BenchmarkParse', 'block', 'b').includes('-blockprofile=b'));
    assert.ok(benchArgs('BenchmarkParse', 'mutex', 'x').includes('-mutexprofile=x'));
  });
  it('benchtime, count, test binary and extra flags', () => {
    assert.deepEqual(
      benchArgs('BenchmarkA', 'cpu', 'f', {
        benchtime: '100x',
        count: 3,
        testBinary: '/tmp/o/a.test',
        extraFlags: ['-tags=x'],
      }),
      [
        'test',
        '-run=^$',
        '-bench=^BenchmarkA$',
        '-benchtime=100x',
        '-count=3',
        '-benchmem',
        '-o',
        '/tmp/o/a.test',
        '-tags=x',
        '-cpuprofile=f',
        '.',
      ],
    );
    assert.throws(() => benchArgs('BenchmarkA', 'cpu', 'f', { benchtime: '1s; rm -rf /' }), /invalid benchtime/);
    assert.throws(() => benchArgs('Bench.*', 'cpu', 'f'), /not a benchmark name/);
  });
  it('profile file names', () => {
    assert.equal(
      benchProfileFileName('BenchmarkA', 'mem', '2026-11-22T19-10-05'),
      'BenchmarkA-mem-2026-11-22T19-10-05.pprof',
    );
  });
});

describe('bench: which go', () => {
  const files = new Set(['/opt/go/bin/go', '/usr/bin/go', '/home/u/sdk/go1.22/bin/go', '/usr/local/bin/go1.22']);
  const isFile = (p: string) => files.has(p);
  it('go.alternateTools.go first (path or name on PATH)', () => {
    assert.deepEqual(
      resolveGoBinary({
        alternateTools: { go: '/home/u/sdk/go1.22/bin/go' },
        goroot: '/opt/go',
        pathEnv: '/usr/bin',
        isFile,
        platform: 'linux',
      }),
      {
        path: '/home/u/sdk/go1.22/bin/go',
        source: 'go.alternateTools',
      },
    );
    assert.deepEqual(
      resolveGoBinary({
        alternateTools: { go: 'go1.22' },
        pathEnv: '/usr/bin:/usr/local/bin',
        isFile,
        platform: 'linux',
      }),
      {
        path: '/usr/local/bin/go1.22',
        source: 'go.alternateTools',
      },
    );
  });
  it('then go.goroot/bin/go, then PATH', () => {
    assert.deepEqual(resolveGoBinary({ goroot: '/opt/go', pathEnv: '/usr/bin', isFile, platform: 'linux' }), {
      path: '/opt/go/bin/go',
      source: 'go.goroot',
    });
    assert.deepEqual(
      resolveGoBinary({
        alternateTools: { go: '/missing/go' },
        goroot: '/missing',
        pathEnv: ':/nope:/usr/bin',
        isFile,
        platform: 'linux',
      }),
      { path: '/usr/bin/go', source: 'PATH' },
    );
  });
  it('undefined when there is no go', () => {
    assert.equal(resolveGoBinary({ pathEnv: '/nope', isFile, platform: 'linux' }), undefined);
    assert.equal(resolveGoBinary({ pathEnv: '', isFile, platform: 'linux' }), undefined);
  });
  it('windows PATH with .exe', () => {
    assert.equal(
      searchPath('go', 'C:\\Go\\bin;C:\\x', 'win32', (p) => p === 'C:\\Go\\bin\\go.exe'),
      'C:\\Go\\bin\\go.exe',
    );
  });
});

describe('bench: the revisions "Compare with…" offers first', () => {
  it('offers HEAD for uncommitted changes and HEAD~1 only when HEAD has a parent', () => {
    assert.deepEqual(
      defaultRevisions(true, true).map((r) => r.ref),
      ['HEAD', 'HEAD~1'],
    );
    assert.deepEqual(
      defaultRevisions(false, true).map((r) => r.ref),
      ['HEAD~1'],
    );
    // A repository with one commit: no HEAD~1 (git would fail with "unknown revision").
    assert.deepEqual(
      defaultRevisions(true, false).map((r) => r.ref),
      ['HEAD'],
    );
    assert.deepEqual(defaultRevisions(false, false), []);
    assert.match(defaultRevisions(true, false)[0]!.description, /uncommitted/);
  });
});
