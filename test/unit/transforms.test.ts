/**
 * The panel's transforms (core/transforms) and "Copy as go tool pprof command": for focus on,
 * ignore, hide (merge into callers), show from and a stack of them, the command the panel copies
 * is run through the real `go tool pprof` (with -top instead of the web UI), and its every row
 * equals the panel's top table for that view (the worker's ProfileOps with the same filters),
 * field by field. Collapse recursion changes the tree only: no node of the function calls itself,
 * and every function's numbers stay pprof's.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { buildFlame } from '../../src/core/flame';
import type { FilterOptions } from '../../src/core/filter';
import {
  addTransform,
  collapseRecursion,
  exactName,
  exactNames,
  type FilterTransform,
  pprofArgs,
  pprofCommand,
} from '../../src/core/transforms';
import { compileGoRegexp } from '../../src/core/regexp';
import { ProfileOps } from '../../src/worker/ops';
import { parseTop, pct, same } from './helpers/pprofText';
import { hasGo, repoRoot } from './helpers/shared';

const PROFILE = path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz');
const W = 'example.com/fixtures/internal/work.';

function panelTop(filters: FilterOptions) {
  const { ops } = ProfileOps.load({ bytes: new Uint8Array(readFileSync(PROFILE)), filters });
  const r = ops.flame({ sampleIndex: 1 });
  return { top: r.top, total: r.flame.reportTotal };
}

describe('core/transforms', () => {
  it('names a function exactly as a Go regexp and stacks transforms with |', () => {
    assert.equal(exactName('main.(*T).Run[...]'), '^main\\.\\(\\*T\\)\\.Run\\[\\.\\.\\.\\]$');
    let f: FilterOptions = {};
    f = addTransform(f, 'focus', `${W}Hash`);
    assert.deepEqual(f, { focus: `^example\\.com/fixtures/internal/work\\.Hash$` });
    f = addTransform(f, 'focus', 'main.countWords');
    assert.equal(f.focus, `^example\\.com/fixtures/internal/work\\.Hash$|^main\\.countWords$`);
    assert.equal(addTransform(f, 'focus', 'main.countWords'), f, 'the same transform twice changes nothing');
    f = addTransform(f, 'hide', `${W}mix`);
    assert.deepEqual(Object.keys(f).sort(), ['focus', 'hide']);
  });

  it('reads exactName alternatives back as names (the trie filters look them up), nothing else', () => {
    const names = [
      'main.(*T).Run[...]',
      'a|b',
      'x\\y',
      `${W}Hash`,
      'main.it$s^',
      'go.shape.struct { a/b }',
      'p.F[go.shape.int]',
    ];
    const rx = names.map(exactName).join('|');
    assert.deepEqual(exactNames(rx), names);
    // Each reading matches exactly what the Go regexp matches.
    const probe = [...names, 'main.(*T).Run', 'a', 'b', 'xy', `${W}Hashes`, 'main.T.Run[...]'];
    const re = compileGoRegexp(rx);
    for (const x of probe) assert.equal(names.includes(x), re.test(x), x);
    for (const other of ['main', '^main\\.', 'main$', '^a.b$', '^a$|b', '^a$|', '^(a)$', '^a$$', '', '^a\\d$'])
      assert.equal(exactNames(other), undefined, other);
  });

  it('quotes the command for a shell; names with quotes and $ stay one word', () => {
    const cmd = pprofCommand({
      profile: '/home/me/my profiles/cpu.pb.gz',
      sampleType: 'cpu',
      base: { path: '/tmp/base.pb.gz', mode: 'diff_base', normalize: true },
      filters: { focus: exactName("main.it's$"), tagFocus: 'handler=/api' },
      tagRoot: ['handler'],
    });
    assert.equal(
      cmd,
      `go tool pprof -http=: -sample_index=cpu -normalize -diff_base=/tmp/base.pb.gz '-focus=^main\\.it'\\''s\\$$' -tagfocus=handler=/api -tagroot=handler '/home/me/my profiles/cpu.pb.gz'`,
    );
  });

  const cases: [string, [FilterTransform, string][]][] = [
    ['focus on work.Hash', [['focus', `${W}Hash`]]],
    ['ignore main.countWords', [['ignore', 'main.countWords']]],
    ['hide (merge into callers) work.mix', [['hide', `${W}mix`]]],
    ['show from main.hashPhase', [['showFrom', 'main.hashPhase']]],
    [
      'focus on main.main, then hide work.Hash, then ignore work.Fib',
      [
        ['focus', 'main.main'],
        ['hide', `${W}Hash`],
        ['ignore', `${W}Fib`],
      ],
    ],
  ];
  for (const [what, steps] of cases) {
    (hasGo ? it : it.skip)(`${what}: the copied command's go tool pprof -top equals the panel's table`, function () {
      this.timeout(60_000);
      let filters: FilterOptions = {};
      for (const [op, name] of steps) filters = addTransform(filters, op, name);
      const args = pprofArgs({ profile: PROFILE, sampleType: 'cpu', filters, output: '-top' });
      const out = execFileSync('go', ['tool', 'pprof', '-symbolize=none', '-nodecount=100000', ...args], {
        env: { ...process.env, TZ: 'UTC' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const want = parseTop(out);
      assert.ok(want.length > 0, out);
      const { top, total } = panelTop(filters);
      const rows = top.name
        .map((name, i) => ({ name, flat: top.flat[i]!, cum: top.cum[i]! }))
        .filter((r) => r.flat !== 0 || r.cum !== 0);
      assert.deepEqual(rows.map((r) => r.name).sort(), want.map((r) => r.name).sort());
      for (const w of want) {
        const r = rows.find((x) => x.name === w.name)!;
        assert.equal(same(r.flat, w.flat, 'nanoseconds'), w.flat, `${w.name} flat`);
        assert.equal(pct(r.flat, total), w.flatPct, `${w.name} flat%`);
        assert.equal(same(r.cum, w.cum, 'nanoseconds'), w.cum, `${w.name} cum`);
        assert.equal(pct(r.cum, total), w.cumPct, `${w.name} cum%`);
      }
    });
  }

  it('collapse recursion: no work.Fib frame calls itself, every function keeps its numbers', () => {
    const p = parseProfile(readFileSync(PROFILE));
    const before = buildFlame(p, { sampleIndex: 1 });
    const after = buildFlame(collapseRecursion(p, [`${W}Fib`]), { sampleIndex: 1 });
    const name = (d: typeof before, i: number) => d.names[d.nodeName[i]!];
    const selfCalls = (d: typeof before) => {
      let n = 0;
      for (let i = 1; i < d.nodeName.length; i++)
        for (let c = i + 1; c < i + d.subtree[i]!; c += d.subtree[c]!)
          if (name(d, i) === `${W}Fib` && name(d, c) === `${W}Fib`) n++;
      return n;
    };
    assert.ok(selfCalls(before) > 5, 'the fixture recurses');
    assert.equal(selfCalls(after), 0);
    assert.ok(after.nodeName.length < before.nodeName.length);
    assert.equal(after.total[0], before.total[0]);
    const perFn = (d: typeof before) => {
      const m = new Map<string, number>();
      for (let i = 1; i < d.nodeName.length; i++) m.set(name(d, i)!, (m.get(name(d, i)!) ?? 0) + d.self[i]!);
      return m;
    };
    assert.deepEqual(perFn(after), perFn(before), 'flat per function');
    // The same samples and values; another function's recursion is untouched.
    assert.equal(collapseRecursion(p, []), p);
    assert.equal(selfCalls(buildFlame(collapseRecursion(p, ['main.main']), { sampleIndex: 1 })), selfCalls(before));
  });
});
