/**
 * The flame panel's search on the trees the page really holds (src/worker/ops.ts on the real
 * fixtures), asked as the page asks (webview/goSearch.ts: a names table of at most
 * SEARCH_NAMES_MAX goes along): the first-paint tree (its names table cut to its frames, in
 * another order than the view's), the whole tree, the inverted tree, a tree after a sample-type
 * switch and a sandwich's trees. The highlighted frames are exactly those whose names match, and
 * the matched total is `go tool pprof -focus=<re> -top`'s (trial4: `md5` on the first-paint tree
 * lit net/http's ServeHTTP frames, the name indices of the view's table read in the cut one).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateGoHeapProfile } from '../../bench/generate';
import { compileGoRegexp } from '../../src/core/regexp';
import type { FlameData } from '../../src/shared/flame';
import { SEARCH_NAMES_MAX } from '../../src/shared/protocol';
import { ProfileOps } from '../../src/worker/ops';
import { searchByNames, shownMatched } from '../../webview/search';
import { same } from './helpers/pprofText';
import { hasGo, repoRoot } from './helpers/shared';

const profilePath = (f: string) => path.join(repoRoot(), `test/fixtures/profiles/${f}.pb.gz`);

/** pprof's -focus total: "Showing nodes accounting for X, …" with no node dropped. */
function pprofFocus(file: string, re: string, sampleType: string): string {
  const out = execFileSync(
    'go',
    [
      'tool',
      'pprof',
      `-sample_index=${sampleType}`,
      `-focus=${re}`,
      '-nodefraction=0',
      '-nodecount=100000',
      '-top',
      file,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const m = /Showing nodes accounting for (\S+), /.exec(out);
  if (m) return m[1]!;
  assert.match(out, /Showing nodes accounting for 0, 0% of|no samples|^\s*flat\s/m);
  return '0';
}

/** The page's search of its tree d: the names go along when the table is small (goSearch.ts). */
function pageSearch(ops: ProfileOps, d: FlameData, query: string, a: { reverse?: boolean; sampleIndex?: number } = {}) {
  const hit = ops.search({ query, ...a, ...(d.names.length <= SEARCH_NAMES_MAX ? { names: d.names } : {}) });
  const r = searchByNames(d, hit.nameHit);
  // What the panel shows (webview/goSearch.ts): the whole view's sum when the tree is cut or inverted.
  return { ...r, shown: shownMatched(d, a.reverse === true, r.matched, hit.matched) };
}

/** Every highlighted frame's name matches and every frame whose name matches is highlighted. */
function assertHighlight(d: FlameData, highlight: Uint8Array, re: string, what: string) {
  const rx = compileGoRegexp(re, 'search');
  for (let i = 1; i < d.nodeName.length; i++) {
    const name = d.names[d.nodeName[i]!]!;
    assert.equal(highlight[i] === 1, rx.test(name), `${what}: node ${i} ${name}`);
  }
}

const CASES: { fixture: string; queries: string[] }[] = [
  { fixture: 'cpu', queries: ['work\\.Fib', 'countWords', 'Phase', 'isSpace|mix'] },
  { fixture: 'heap', queries: ['MakeBuffers', 'main\\.', 'syscall', 'runtime\\.(malg|newproc)'] },
];

describe('flame search on the real trees: highlighted frames match, matched total = pprof -focus', function () {
  this.timeout(120_000);
  for (const { fixture, queries } of CASES) {
    it(`${fixture}: first-paint, whole and inverted trees, before and after a sample-type switch`, function () {
      if (!hasGo) this.skip();
      const file = profilePath(fixture);
      const ops = ProfileOps.load({ bytes: new Uint8Array(readFileSync(file)) }).ops;
      const types = ops.profile.sampleTypes;
      // The order the panel asks: first paint of the default type, the whole tree, then another type.
      const order = [types.length - 1, 0];
      let cutTables = 0;
      for (const si of order) {
        const st = types[si]!;
        const trees: [string, FlameData, { reverse?: boolean }][] = [
          ['first paint', ops.flame({ sampleIndex: si, firstPaint: true }).flame, {}],
          ['whole', ops.flame({ sampleIndex: si }).flame, {}],
          ['inverted', ops.flame({ sampleIndex: si, reverse: true }).flame, { reverse: true }],
        ];
        const wholeNames = trees[1]![1].names;
        if (trees[0]![1].names.some((n, i) => wholeNames[i] !== n)) cutTables++;
        for (const q of queries) {
          const want = pprofFocus(file, q, st.type);
          for (const [what, d, a] of trees) {
            const r = pageSearch(ops, d, q, { ...a, sampleIndex: si });
            const label = `${fixture} ${st.type} ${what} /${q}/`;
            assertHighlight(d, r.highlight, q, label);
            assert.equal(same(r.matched, want, st.unit), want, `${label}: matched`);
            assert.equal(same(r.shown, want, st.unit), want, `${label}: matched shown`);
            // The worker's own table (a large tree's) gives the same answer for the trees that use it.
            if (what !== 'first paint') {
              const own = searchByNames(d, ops.search({ query: q, ...a }).nameHit);
              assert.deepEqual(own.highlight, r.highlight, `${label}: the view's table`);
            }
          }
        }
      }
      // The case of the bug: the first-paint table is not the view's (else this test shows nothing).
      assert.ok(cutTables > 0);
    });
  }

  it('a generated heap profile whose first-paint and inverted trees are cut: the shown total is still pprof -focus', function () {
    if (!hasGo) this.skip();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-flamesearch-'));
    try {
      const file = path.join(dir, 'heap.pb.gz');
      writeFileSync(file, generateGoHeapProfile({ samples: 40_000 }));
      const ops = ProfileOps.load({ bytes: new Uint8Array(readFileSync(file)) }).ops;
      const si = 1;
      const st = ops.profile.sampleTypes[si]!;
      const first = ops.flame({ sampleIndex: si, firstPaint: true }).flame;
      assert.ok(first.limits, 'the first-paint tree is cut');
      let short = 0;
      for (const q of ['ReadSlice', 'Scan', 'bufio']) {
        const want = pprofFocus(file, q, st.type);
        for (const [what, d, a] of [
          ['first paint', first, {}],
          ['whole', ops.flame({ sampleIndex: si }).flame, {}],
          ['inverted', ops.flame({ sampleIndex: si, reverse: true }).flame, { reverse: true }],
        ] as const) {
          const r = pageSearch(ops, d, q, { ...a, sampleIndex: si });
          assertHighlight(d, r.highlight, q, `${what} /${q}/`);
          assert.equal(same(r.shown, want, st.unit), want, `${what} /${q}/: matched shown`);
          if (same(r.matched, want, st.unit) !== want) short++;
        }
      }
      assert.ok(short > 0, "some cut tree's own sum falls short (else this shows nothing)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a sandwich's trees: the highlighted frames are those whose names match", () => {
    const ops = ProfileOps.load({ bytes: new Uint8Array(readFileSync(profilePath('cpu'))) }).ops;
    const s = ops.sandwich({ sampleIndex: 1, func: 'example.com/fixtures/internal/work.Fib' });
    for (const [what, d] of [
      ['callers', s.callers],
      ['callees', s.callees],
    ] as const) {
      for (const q of ['work\\.Fib', 'main\\.', 'runtime']) {
        const r = pageSearch(ops, d, q);
        assertHighlight(d, r.highlight, q, `sandwich ${what} /${q}/`);
      }
    }
  });
});
