/** Heat levels, -list style labels, CodeLens and hover text, markdown escaping and the staleness check. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  checkStale,
  codeLensTitle,
  escapeMarkdown,
  goDeclName,
  heatLevel,
  hoverMarkdown,
  labelColumn,
  lineLabels,
  listValue,
  padToColumn,
  visualWidth,
  closureLiteralLine,
  heatValue,
  heatLegend,
  uiPercent,
  compareLensTitle,
  signedLineLabels,
  compactLabel,
  columnsHeader,
} from '../../src/core/heat';
import { numberedClosureLine } from '../../src/core/lineView';

describe('heat: levels', () => {
  it('maps the share of the total to 0..5', () => {
    const total = 10_000;
    assert.deepEqual(
      [0, 1, 24, 25, 99, 100, 499, 500, 1999, 2000, 10_000, -2500].map((v) => heatLevel(v, total)),
      [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5],
    );
    assert.equal(heatLevel(5, 0), 1);
    assert.equal(heatLevel(Number.NaN, 10), 0);
  });
});

describe('heat: labels like go tool pprof -list', () => {
  const ns = 'nanoseconds';
  it('prints flat and cum in right-aligned columns, "." for zero', () => {
    const l = lineLabels(
      [
        { flat: 150e6, cum: 1.76e9 },
        { flat: 0, cum: 10e6 },
        { flat: 1.5e9, cum: 1.5e9 },
      ],
      ns,
      3e9,
      { show: 'both', percentages: false },
    );
    assert.deepEqual(l, ['150ms 1.76s', '    .  10ms', '1.50s 1.50s']);
  });
  it('shows only flat or only cum, with percentages when asked', () => {
    const c = [
      { flat: 150e6, cum: 1.76e9 },
      { flat: 0, cum: 10e6 },
    ];
    assert.deepEqual(lineLabels(c, ns, 2e9, { show: 'flat', percentages: false }), ['150ms', '    .']);
    assert.deepEqual(lineLabels(c, ns, 2e9, { show: 'cum', percentages: true }), ['1.76s 88.00%', ' 10ms   0.5%']);
    assert.deepEqual(lineLabels(c, ns, 2e9, { show: 'both', percentages: true }), [
      '150ms 7.50% 1.76s 88.00%',
      '    .        10ms   0.5%',
    ]);
  });
  it('formats bytes and counts as pprof does', () => {
    assert.equal(listValue(1536 * 1024, 'bytes'), '1.50MB');
    assert.equal(listValue(512, 'bytes'), '512B');
    assert.equal(listValue(42, 'count'), '42');
    assert.equal(listValue(0, 'bytes'), '.');
  });
  it('titles CodeLenses with flat, cum and their percentages', () => {
    assert.equal(
      codeLensTitle('cpu', 'nanoseconds', 150e6, 1.76e9, 8.58e9),
      'cpu: flat 150ms (1.75%) · cum 1.76s (20.51%)',
    );
    assert.equal(
      codeLensTitle('alloc_space', 'bytes', 0, 2 * 1024 ** 2, 4 * 1024 ** 2),
      'alloc_space: flat 0 (0%) · cum 2MB (50.00%)',
    );
  });
});

describe('heat: alignment', () => {
  it('measures tabs to the next tab stop', () => {
    assert.equal(visualWidth('\tx := 1', 4), 10);
    assert.equal(visualWidth('ab\tc', 4), 5);
  });
  it('puts labels at one column past the longest line, with a minimum gap for long lines', () => {
    const lines = ['func f() {', '\tfor i := 0; i < n; i++ {', `\t${'x'.repeat(200)}`];
    const col = labelColumn(lines, 4, 100);
    assert.equal(col, 4 + 24 + 4);
    assert.equal(padToColumn(lines[0]!, 4, col).length, col - 10);
    assert.equal(padToColumn(lines[2]!, 4, col), '\u00a0\u00a0');
    assert.ok(!padToColumn('x', 4, col).includes(' '), 'non-breaking spaces only');
  });
});

describe('heat: markdown', () => {
  it('escapes every markdown metacharacter of profile text', () => {
    const nasty = 'main.(*T[int]).Do_it`<img src=x>|[a](b)**!#~&';
    const e = escapeMarkdown(nasty);
    // No unescaped metacharacter is left.
    assert.ok(!/(^|[^\\])[`*_[\]()<>|!#~&]/.test(e.replace(/\\\\/g, '')), e);
    assert.equal(e.replace(/\\(.)/g, '$1'), nasty);
    assert.equal(escapeMarkdown('a\nb\u0000c'), 'a b c');
  });
  it('builds a hover with every sample type, the top callers and the path', () => {
    const md = hoverMarkdown({
      line: 42,
      profilePath: '/tmp/gopher/src/example.com/lens/hot.go',
      resolvedBy: 'go.mod module path',
      functions: ['main.(*T).hot_loop'],
      profileName: 'heap.pb.gz',
      current: 1,
      sampleTypes: [
        { type: 'alloc_objects', unit: 'count', total: 1000, flat: 10, cum: 20 },
        { type: 'alloc_space', unit: 'bytes', total: 4 * 1024 ** 2, flat: 1024 ** 2, cum: 2 * 1024 ** 2 },
      ],
      callers: [{ name: 'main.main', where: 'main.go:12', weight: 2 * 1024 ** 2 }],
    });
    const lines = md.split('\n');
    assert.equal(lines[0], '**pprof** heap\\.pb\\.gz: line 42 in **main\\.\\(\\*T\\)\\.hot\\_loop**');
    assert.ok(lines.includes('| alloc\\_objects | 10 | 1\\.00% | 20 | 2\\.00% |'), md);
    assert.ok(lines.includes('| **alloc\\_space** | 1MB | 25\\.00% | 2MB | 50\\.00% |'), md);
    assert.ok(lines.includes('- 2MB (50\\.00%) main\\.main main\\.go\\:12'), md);
    assert.equal(
      lines[lines.length - 1],
      'Profile path: /tmp/gopher/src/example\\.com/lens/hot\\.go (via go\\.mod module path)',
    );
  });
});

describe('heat: staleness', () => {
  const src = [
    'package main', // 1
    '', // 2
    'func hot(n int) int {', // 3
    '\ts := 0', // 4
    '\tfor i := 0; i < n; i++ {', // 5
    '\t\ts += i', // 6
    '\t}', // 7
    '\treturn s', // 8
    '}', // 9
    '',
  ];
  const fn = [{ name: 'main.hot', startLine: 3, firstLine: 5 }];
  it('accepts a file that matches (a closing brace may hold samples)', () => {
    assert.deepEqual(checkStale(src, [5, 6, 9], fn, true), { stale: false });
  });
  it('flags a sampled line past the end, blank or a comment', () => {
    assert.match(checkStale(src, [12], fn, true).reason!, /line 12 has samples, but the file now has 9 lines/);
    assert.match(checkStale(src, [2], [], true).reason!, /blank/);
    assert.match(checkStale(['// x', 'y'], [1], [], true).reason!, /comment/);
    assert.equal(checkStale(['// x', 'y'], [1], [], false).stale, false);
  });
  it('flags a function whose declaration moved', () => {
    const shifted = ['package main', '', '// added', ...src.slice(2)];
    const r = checkStale(shifted, [6, 7], fn, true);
    assert.equal(r.stale, true);
    assert.match(r.reason!, /main\.hot started at line 3 when profiled, but that line is now: \/\/ added/);
  });
  it('never flags a function without start_line whose first sampled line holds a closure (the editor fixture, Go 1.19)', () => {
    const text = readFileSync(path.resolve(__dirname, '../integration/editor/fixture/myapp/main.go'), 'utf8').split(
      '\n',
    );
    const line = (s: string) => text.findIndex((t) => t.includes(s)) + 1;
    const fns = [
      { name: 'main.run', at: line('pprof.Do(ctx, pprof.Labels("stage", "hash"), func(ctx context.Context) {') },
      { name: 'main.rank', at: line('sort.Slice(make([]int, n), func(i, j int) bool {') },
      { name: 'main.fanOut', at: line('g.Go(func() error {') },
    ].map((f) => ({ name: f.name, startLine: f.at, firstLine: f.at }));
    assert.ok(fns.every((f) => f.startLine > 0));
    // t.Run and errgroup forms too.
    const more = [
      '\tt.Run("case", func(t *testing.T) {',
      '\tg.Go(func() error {',
      '\tsort.Slice(xs, func(i, j int) bool {',
    ];
    assert.deepEqual(
      checkStale(
        text,
        fns.map((f) => f.startLine),
        fns,
        true,
      ),
      { stale: false },
    );
    assert.deepEqual(
      checkStale(
        ['package x', ...more, '})'],
        [2, 3, 4],
        [2, 3, 4].map((l) => ({ name: 'x.TestF', startLine: l, firstLine: l })),
        true,
      ),
      { stale: false },
    );
  });
  it('knows closures, methods, generics and inits', () => {
    assert.equal(goDeclName('example.com/lens/internal/hot.(*Table).Put'), 'Put');
    assert.equal(goDeclName('main.Map[go.shape.int]'), 'Map');
    assert.equal(goDeclName('main.work.func1'), '');
    assert.equal(goDeclName('main.work.func1.2'), '');
    assert.equal(goDeclName('main.init.0'), 'init');
    assert.equal(goDeclName('main.main.gowrap1'), undefined);
    assert.equal(
      checkStale(['x := func() {', 'y()', '}'], [2], [{ name: 'main.f.func1', startLine: 1, firstLine: 2 }], true)
        .stale,
      false,
    );
  });
});

describe('heat: what matters', () => {
  it('auto heat follows cum for lines that call and flat for leaf lines', () => {
    assert.equal(heatValue(0, 8_000_000, 'auto'), 8_000_000);
    assert.equal(heatValue(70, 70, 'auto'), 70);
    assert.equal(heatValue(10, 500, 'flat'), 10);
    assert.equal(heatValue(10, 500, 'cum'), 500);
    // Compare mode (-base): a line whose flat shrank by 20ms while its cum grew by 10ms shows cum.
    assert.equal(heatValue(-20e6, 10e6, 'auto'), 10e6);
    // The editor fixture's heap line 118 (grow: bytes.Repeat) has only cum: 8MB of 9.07MB.
    assert.equal(heatLevel(heatValue(0, 8.01 * 2 ** 20, 'auto'), 9.07 * 2 ** 20), 5);
    assert.equal(heatLevel(heatValue(0, 8.01 * 2 ** 20, 'flat'), 9.07 * 2 ** 20), 0);
  });
  it('says what the colour means', () => {
    assert.match(heatLegend('auto', 'inuse_space', false), /share of the inuse_space total by cum/);
    assert.match(heatLegend('flat', 'cpu', true), /red grew, green shrank/);
  });
  it('prints UI percentages without exponents, signed in compare mode', () => {
    assert.equal(uiPercent(97, 1_000_000), '<0.01%');
    assert.equal(uiPercent(0, 10), '0%');
    assert.equal(uiPercent(1234, 10000), '12.34%');
    assert.equal(uiPercent(-264.75, 8468.75, true), '-3.13%');
    assert.equal(uiPercent(8194.75, 8468.75, true), '+96.76%');
    assert.equal(uiPercent(10, 10), '100%');
  });
  it('titles compare lenses with the mode, the base and signed values; zero is 0, not "."', () => {
    assert.equal(
      compareLensTitle('base', 'heap1.pb.gz', 'inuse_space', 'bytes', 0, -264.75 * 1024, 8468.75 * 1024),
      'Δ inuse_space (-base heap1.pb.gz): flat 0 (0%) · cum -264.75kB (-3.13%)',
    );
    assert.match(
      compareLensTitle('diff_base', 'b', 'cpu', 'nanoseconds', 1e7, 2e7, 1e9),
      /^Δ cpu \(-diff_base b\): flat \+10ms \(\+1\.00%\) · cum \+20ms \(\+2\.00%\)$/,
    );
    assert.deepEqual(
      signedLineLabels(
        [
          { flat: 0, cum: -1024 },
          { flat: 2048, cum: 4096 },
        ],
        'bytes',
        8192,
        { show: 'both', percentages: true },
      ),
      ['   .         -1kB -12.50%', '+2kB +25.00% +4kB +50.00%'],
    );
  });
  it('compacts a line to the value that colours it', () => {
    assert.equal(compactLabel({ flat: 0, cum: 1.76e9 }, 'nanoseconds', 'auto', 'both', false), '1.76s');
    assert.equal(compactLabel({ flat: 70e6, cum: 70e6 }, 'nanoseconds', 'flat', 'both', false), '70ms');
    assert.equal(compactLabel({ flat: 0, cum: 8 * 2 ** 20 }, 'bytes', 'auto', 'both', true), '+8MB');
    assert.equal(columnsHeader('both', false, 'auto'), 'flat · cum');
    assert.equal(columnsHeader('both', true, 'auto'), 'cum');
  });
});

describe('heat: closure lenses', () => {
  it("puts a closure's lens on its func literal's line (the editor fixture, no start_line)", () => {
    const text = readFileSync(path.resolve(__dirname, '../integration/editor/fixture/myapp/main.go'), 'utf8').split(
      '\n',
    );
    const at = (s: string) => text.findIndex((t) => t.includes(s)) + 1;
    const line = (l: number) => text[l - 1] ?? '';
    assert.equal(closureLiteralLine(line, at('sink += spin(300000)')), at('g.Go(func() error {'));
    assert.equal(
      closureLiteralLine(line, at('return (i*7919)%n < (j*7919)%n')),
      at('sort.Slice(make([]int, n), func(i, j int) bool {'),
    );
    // The first sampled line of run.func1 is inside the closure, after a nested for block.
    assert.equal(
      closureLiteralLine(line, at('sink += dep.Checksum(buf)')),
      at('pprof.Do(ctx, pprof.Labels("stage", "hash"), func(ctx context.Context) {'),
    );
    // No literal above within the function: stays.
    assert.equal(closureLiteralLine(line, at('return x')), at('return x'));
  });
});

describe('heat: a closure by its number (pkg.F.funcN: the N-th func literal of F)', () => {
  const src = [
    'package main', // 1
    '', // 2
    'func (s *Server) Run(xs []int) {', // 3
    '\tlog("func( in a string") // func( in a comment', // 4
    '\tdo(func() {', // 5
    '\t\twork()', // 6
    '\t})', // 7
    '\tgo func() { a() }(); go func() { b() }()', // 8
    '}', // 9
    '', // 10
    'func other() {', // 11
    '\tdo(func() {})', // 12
    '}', // 13
  ];
  const text = (l: number) => src[l - 1] ?? '';
  it("counts F's literals in source order from its declaration, whatever sampled line it starts from", () => {
    assert.equal(numberedClosureLine(text, 'example.com/x.(*Server).Run.func1', 7), 5);
    assert.equal(numberedClosureLine(text, 'example.com/x.(*Server).Run.func2', 8), 8);
    assert.equal(numberedClosureLine(text, 'example.com/x.(*Server).Run.func3', 8), 8);
    assert.equal(numberedClosureLine(text, 'main.other.func1', 12), 12);
  });
  it('undefined past the end of F, for nested closures and without a declaration', () => {
    assert.equal(numberedClosureLine(text, 'example.com/x.(*Server).Run.func4', 8), undefined);
    assert.equal(numberedClosureLine(text, 'main.Run.func1.1', 6), undefined);
    assert.equal(numberedClosureLine(text, 'main.missing.func1', 6), undefined);
  });
});
