/**
 * Patterns mean what they mean in Go: the syntax JavaScript lacks works, errors read like pprof's
 * with the pattern echoed unchanged, and matching stays linear whatever the pattern.
 * Expected messages are Go 1.19's (`go tool pprof -top -focus='a(' cpu.pb.gz`, regexp.Compile).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../src/cli';
import { compileGoRegexp, GoRegexpError } from '../../src/core/regexp';
import { filterProfile } from '../../src/core/filter';
import { parseProfile } from '../../src/core/decode';

const cpu = path.resolve(__dirname, '..', 'fixtures', 'profiles', 'cpu.pb.gz');

describe('regexp: Go semantics through re2js', () => {
  const cases: [pattern: string, input: string, match: boolean][] = [
    ['\\pL+', 'héllo', true],
    ['^\\PN+$', 'abc', true],
    ['^\\PN+$', 'ab1', false],
    ['main\\z', 'main\n', false],
    ['main$', 'main', true],
    ['^[[:alpha:]]+$', 'Hash', true],
    ['^[[:alpha:]]+$', 'Hash2', false],
    ['\\Qa.b(\\E', 'xa.b(', true],
    ['\\Qa.b(\\E', 'axb(', false],
    ['(?U)^a+$', 'aaa', true],
    ['(?i)WORK\\.hash', 'example.com/work.Hash', true],
    ['\\/', 'a/b', true],
    ['^(?P<pkg>main)\\.', 'main.f', true],
  ];
  for (const [p, s, want] of cases) {
    it(`${p} ${want ? 'matches' : 'does not match'} ${JSON.stringify(s)}`, () => {
      assert.equal(compileGoRegexp(p).test(s), want);
    });
  }

  it('keeps the pattern exactly as given in source', () => {
    assert.equal(compileGoRegexp('a\\/b').source, 'a\\/b');
  });

  const errors: [pattern: string, what: string | undefined, message: string][] = [
    ['a(', 'focus', 'parsing focus regexp: error parsing regexp: missing closing ): `a(`'],
    ['*x', 'ignore', 'parsing ignore regexp: error parsing regexp: missing argument to repetition operator: `*`'],
    ['[z-a]', 'show_from', 'parsing show_from regexp: error parsing regexp: invalid character class range: `z-a`'],
    ['x{1001}', 'hide', 'parsing hide regexp: error parsing regexp: invalid repeat count: `{1001}`'],
    ['\\8', 'tagfocus', 'parsing tagfocus regexp: error parsing regexp: invalid escape sequence: `\\8`'],
    ['a(', undefined, 'parsing argument regexp a(: error parsing regexp: missing closing ): `a(`'],
    // JavaScript-only syntax is an error in Go.
    ['a(?=b)', 'focus', 'parsing focus regexp: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  ];
  for (const [p, what, message] of errors) {
    it(`rejects ${p} as Go does`, () => {
      assert.throws(
        () => compileGoRegexp(p, what),
        (e: unknown) => e instanceof GoRegexpError && e.message === message,
      );
    });
  }

  it('filters name the option in the message', () => {
    const p = parseProfile(readFileSync(cpu));
    assert.throws(() => filterProfile(p, { focus: 'a(' }), {
      message: 'parsing focus regexp: error parsing regexp: missing closing ): `a(`',
    });
    assert.throws(() => filterProfile(p, { tagIgnore: 'k=[' }), {
      message: 'parsing tagignore regexp: error parsing regexp: missing closing ]: `[`',
    });
  });

  it("the CLI prints pprof's message (its exact words) and fails", () => {
    const err: string[] = [];
    const code = run(
      ['top', '-focus=a(', cpu],
      () => {},
      (s) => err.push(s),
    );
    assert.notEqual(code, 0);
    assert.equal(err.join(''), 'parsing focus regexp: error parsing regexp: missing closing ): `a(`\n');
    err.length = 0;
    assert.notEqual(
      run(
        ['list', 'a(', cpu],
        () => {},
        (s) => err.push(s),
      ),
      0,
    );
    assert.equal(err.join(''), 'parsing argument regexp a(: error parsing regexp: missing closing ): `a(`\n');
  });

  it('matches in linear time: a catastrophic pattern on a long name takes milliseconds', () => {
    const rx = compileGoRegexp('^((a+)+)+$');
    const t = Date.now();
    assert.equal(rx.test(`${'a'.repeat(20000)}b`), false);
    assert.ok(Date.now() - t < 1000, `${Date.now() - t} ms`);
  });
});
