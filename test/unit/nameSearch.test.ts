/**
 * The flame panel's search runs Go's regexp syntax (RE2, core/regexp) in the worker: patterns mean
 * what they mean in pprof (`\pL`, `(?i)`, `\Q…\E`, `\z`), JavaScript-only syntax is not special,
 * text that is not a Go regexp is searched literally, and a pathological pattern stays linear.
 */
import assert from 'node:assert/strict';
import { MAX_QUERY, searchNames } from '../../src/core/nameSearch';

const NAMES = [
  'main.(*Server).Handle',
  'encoding/json.Marshal',
  'runtime.mallocgc',
  'main.héllo',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!',
];
const hits = (q: string) => [...searchNames(NAMES, q).nameHit].flatMap((h, i) => (h ? [NAMES[i]] : []));

describe('nameSearch: Go regexp semantics for the flame search', () => {
  it('matches as Go does', () => {
    assert.deepEqual(hits('^main\\.'), ['main.(*Server).Handle', 'main.héllo']);
    assert.deepEqual(hits('(?i)JSON'), ['encoding/json.Marshal']);
    assert.deepEqual(hits('\\Q(*Server)\\E'), ['main.(*Server).Handle']);
    assert.deepEqual(hits('h\\pLllo\\z'), ['main.héllo']);
    // JavaScript's lookahead is not Go syntax: searched as text (nothing has "(?=json)").
    const r = searchNames(NAMES, '(?=json)');
    assert.match(r.literal ?? '', /error parsing regexp/);
    assert.equal(
      r.nameHit.reduce((a, b) => a + b, 0),
      0,
    );
    // An unbalanced paren is searched literally, as typed.
    assert.deepEqual(hits('(*Server'), ['main.(*Server).Handle']);
  });

  it('stays linear on a pattern that backtracks exponentially in JavaScript', () => {
    const long = ['a'.repeat(5000) + '!'];
    const t0 = performance.now();
    const r = searchNames(long, '(a+)+$');
    assert.ok(performance.now() - t0 < 1000, `${performance.now() - t0} ms`);
    assert.equal(r.nameHit[0], 0);
    assert.equal(r.tested, 1);
  });

  it('is bounded: a long query is cut, a budget stops the pass and says how far it got', () => {
    assert.equal(searchNames(NAMES, 'x'.repeat(MAX_QUERY * 3)).tested, NAMES.length);
    const many = Array.from({ length: 50_000 }, (_, i) => `pkg${i}.f`);
    const r = searchNames(many, 'pkg\\d+\\.f', 0);
    assert.ok(r.tested < many.length && r.tested >= 255);
  });
});
