/**
 * What a line says (src/core/lineView.ts): the overlays of a document (which lines, their text,
 * alignment and colour), the CodeLenses (line, title, functions on one line named apart, compare
 * mode), the hover's notes and legend, the stale lens. The values come from real profiles and are
 * checked against `go tool pprof -list` where pprof prints them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  callerWhere,
  hoverText,
  lenses,
  lensLine,
  lensModeKey,
  overlays,
  overlaysHidden,
  overlaySlot,
  shortFunctionName,
  staleLensTitle,
  topCallers,
  type LensOptions,
  type OverlayOptions,
} from '../../src/core/lineView';
import { ProfileOps } from '../../src/worker/ops';
import { listRows } from './helpers/golden';

const NS = 'nanoseconds';
const plain: OverlayOptions = {
  show: 'both',
  percentages: false,
  heatMetric: 'auto',
  minLinePercent: 0,
  compact: false,
  compare: false,
  tabSize: 4,
};
const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');

describe('lineView: overlays', () => {
  const fx = path.resolve(__dirname, '../integration/overlays/fixture');
  const workGo = readFileSync(path.join(fx, 'go', 'work.go'), 'utf8').split('\n');

  it('work.go of a real CPU profile: the lines and values go tool pprof -list prints, at one column', () => {
    const { packed: a } = ProfileOps.load({
      bytes: new Uint8Array(readFileSync(path.join(fx, 'profiles', 'cpu.pb.gz'))),
    });
    const T = a.sampleTypes.length;
    const t = a.sampleTypes.findIndex((x) => x.type === 'cpu');
    const f = a.files.findIndex((x) => x.endsWith('/work.go'));
    const lines = [];
    for (let i = a.fileLineStart[f]!; i < a.fileLineStart[f + 1]!; i++)
      lines.push({ line: a.lineNo[i]!, flat: a.lineFlat[i * T + t]!, cum: a.lineCum[i * T + t]! });
    const o = overlays(lines, workGo.length, (l) => workGo[l - 1]!, a.sampleTypes[t]!.unit, a.totals[t]!, plain);
    const want = listRows(path.join(fx, 'golden', 'cpu.cpu.list.txt'), 'work.go');
    assert.ok(want.size > 3);
    assert.deepEqual(new Map(o.map((x) => [x.line, nbsp(x.text).trim().split(/\s+/)])), want);
    // One column for the whole file: every label's text starts at the same visual column.
    const starts = new Set(
      o.map((x) => workGo[x.line - 1]!.replace(/\t/g, '    ').trimEnd().length + x.text.search(/[^\u00a0]/)),
    );
    assert.equal(starts.size, 1, [...starts].join(','));
    assert.ok(o.every((x) => x.character === workGo[x.line - 1]!.length && x.kind === 'heat'));
    // The hottest line (by cum) has the top level.
    const hottest = [...lines].sort((x, y) => y.cum - x.cum)[0]!;
    assert.equal(o.find((x) => x.line === hottest.line)?.level, 5);
  });

  it('drops lines with no value, past the end of the document and under the minimum share', () => {
    const text = (l: number) => `line ${l}`;
    const o = overlays(
      [
        { line: 1, flat: 0, cum: 0 },
        { line: 2, flat: 10e6, cum: 500e6 },
        { line: 3, flat: 0, cum: 4e6 },
        { line: 9, flat: 1e9, cum: 1e9 },
      ],
      5,
      text,
      NS,
      1e9,
      { ...plain, minLinePercent: 1 },
    );
    assert.deepEqual(
      o.map((x) => [x.line, nbsp(x.text).trim()]),
      [[2, '10ms 500ms']],
    );
  });

  it('the compact form: one value after the line; a line too long for the room has it before its code', () => {
    const long = `\tx := compute(${'a, '.repeat(40)}b)`;
    const texts = ['\ty := hot()', long, '\treturn'];
    const o = overlays(
      [
        { line: 1, flat: 0, cum: 2e9 },
        { line: 2, flat: 30e6, cum: 30e6 },
        { line: 3, flat: 5e6, cum: 0 },
      ],
      3,
      (l) => texts[l - 1]!,
      NS,
      4e9,
      { ...plain, compact: true },
    );
    assert.deepEqual(
      o.map((x) => [x.line, x.character, nbsp(x.text)]),
      [
        [1, texts[0]!.length, '  2s'],
        // Past the 80 columns of a narrow editor: after the tab, before the code (in sight).
        [2, 1, '30ms  '],
        // cum 0 with flat: the line's own value (heat 'auto' picks the larger).
        [3, texts[2]!.length, '  5ms'],
      ],
    );
  });

  it('compare mode: signed values, growth and shrink by the size of the change', () => {
    const texts = ['a', 'b', 'c'];
    const o = overlays(
      [
        { line: 1, flat: 0, cum: 3e6 },
        { line: 2, flat: -1e6, cum: -300e6 },
        { line: 3, flat: 0, cum: -5e6 },
      ],
      3,
      (l) => texts[l - 1]!,
      NS,
      1e9,
      { ...plain, compare: true, percentages: true },
    );
    assert.deepEqual(
      o.map((x) => [x.kind, x.level, nbsp(x.text).trim().split(/\s+/)]),
      [
        ['growth', 2, ['.', '+3ms', '+0.30%']],
        ['shrink', 5, ['-1ms', '-0.10%', '-300ms', '-30.00%']],
        ['shrink', 2, ['.', '-5ms', '-0.50%']],
      ],
    );
    assert.deepEqual(
      o.map((x) => overlaySlot(x)),
      [1, 9, 6],
    );
  });
});

describe('lineView: CodeLenses', () => {
  const opts: LensOptions = {
    sampleType: 'cpu',
    unit: NS,
    total: 1e9,
    threshold: 1,
    show: 'both',
    compact: false,
    heatMetric: 'auto',
    flameGraph: false,
  };
  const editorMain = readFileSync(path.resolve(__dirname, '../integration/editor/fixture/myapp/main.go'), 'utf8').split(
    '\n',
  );
  const at = (s: string) => editorMain.findIndex((t) => t.includes(s)) + 1;
  const text = (l: number) => editorMain[l - 1] ?? '';

  it('one lens per hot function with values and what the columns are; under the threshold none', () => {
    const src = ['package main', '', 'func hot() {', '\twork()', '}', 'func cold() {', '\tx()', '}'];
    const ls = lenses(
      [
        { name: 'main.hot', startLine: 3, firstLine: 4, flat: 150e6, cum: 800e6 },
        { name: 'main.cold', startLine: 6, firstLine: 7, flat: 1e6, cum: 1e6 },
      ],
      src.length,
      (l) => src[l - 1]!,
      opts,
    );
    assert.deepEqual(ls, [
      {
        line: 3,
        title: 'cpu: flat 150ms (15.00%) · cum 800ms (80.00%) · flat · cum after the lines',
        function: 'main.hot',
        kind: 'costs',
      },
    ]);
  });

  it('without start_line (Go 1.19, the editor fixture): declarations and closure literals found above the first sampled line', () => {
    assert.equal(
      lensLine({ name: 'main.grow', startLine: at('32<<10))'), firstLine: at('32<<10))') }, text),
      at('func grow('),
    );
    assert.equal(
      lensLine(
        { name: 'main.fanOut.func1', startLine: at('sink += spin(300000)'), firstLine: at('sink += spin(300000)') },
        text,
      ),
      at('g.Go(func() error {'),
    );
    // With start_line the profile's line is taken as it is.
    assert.equal(lensLine({ name: 'main.grow', startLine: 3, firstLine: 9 }, text), 3);
  });

  it('two closures on one line: each lens names its function the way pprof does', () => {
    const src = [
      'package main',
      '',
      'func serve(done chan bool) {',
      '\tgo func() { done <- spin(1e6) }(); go func() { done <- spin(2e6) }()',
      '}',
    ];
    const fn = (name: string, cum: number) => ({ name, startLine: 4, firstLine: 4, flat: cum, cum });
    const ls = lenses(
      [fn('example.com/app/cmd.serve.func1', 300e6), fn('example.com/app/cmd.serve.func2', 600e6)],
      src.length,
      (l) => src[l - 1]!,
      { ...opts, flameGraph: true },
    );
    assert.deepEqual(
      ls.map((l) => [l.line, l.kind, l.title.split(' · ')[0], l.function]),
      [
        // Both functions' values first (side by side, in sight), then the links.
        [4, 'costs', 'cmd.serve.func1', 'example.com/app/cmd.serve.func1'],
        [4, 'costs', 'cmd.serve.func2', 'example.com/app/cmd.serve.func2'],
        [4, 'flame', 'flame graph (cmd.serve.func1)', 'example.com/app/cmd.serve.func1'],
        [4, 'sandwich', 'callers and callees (cmd.serve.func1)', 'example.com/app/cmd.serve.func1'],
        [4, 'flame', 'flame graph (cmd.serve.func2)', 'example.com/app/cmd.serve.func2'],
        [4, 'sandwich', 'callers and callees (cmd.serve.func2)', 'example.com/app/cmd.serve.func2'],
      ],
    );
    // No header ("… after the lines") on a shared line: both values fit.
    assert.match(ls[0]!.title, /^cmd\.serve\.func1 · cpu: flat 300ms \(30\.00%\) · cum 300ms \(30\.00%\)$/);
    assert.match(ls[1]!.title, /^cmd\.serve\.func2 · cpu: flat 600ms \(60\.00%\) · cum 600ms \(60\.00%\)$/);
  });

  it('compare mode names the mode and the base, signed; the compact form and edits in the header', () => {
    const src = ['package main', 'func f() {', '\tg()', '}'];
    const [l] = lenses(
      [{ name: 'main.f', startLine: 2, firstLine: 3, flat: 0, cum: -40e6, edited: true }],
      4,
      (x) => src[x - 1]!,
      {
        ...opts,
        compare: { mode: 'diff_base', name: 'before.pb.gz' },
        compact: true,
      },
    );
    assert.equal(
      l!.title,
      'Δ cpu (-diff_base before.pb.gz): flat 0 (0%) · cum -40ms (-4.00%) · cum after the lines · edited since the profile',
    );
  });

  it('"edited since the profile" only above functions whose own lines were edited (the trial: every lens said it)', () => {
    const src = ['package main', 'func f() {', '\tg()', '}', 'func g() {', '\th()', '}'];
    const ls = lenses(
      [
        { name: 'main.f', startLine: 2, firstLine: 3, flat: 0, cum: 40e6, edited: false },
        { name: 'main.g', startLine: 5, firstLine: 6, flat: 0, cum: 40e6, edited: true },
      ],
      7,
      (x) => src[x - 1]!,
      opts,
    );
    assert.deepEqual(
      ls.map((l) => [l.function, l.title.endsWith(' · edited since the profile')]),
      [
        ['main.f', false],
        ['main.g', true],
      ],
    );
  });

  it('a base built in another folder: one lens per function, its two entries summed as -top -base merges them', () => {
    // The trial's case: the base built in /build/x, the new profile in /build/y; both files map onto this
    // document, so the function arrives twice (-370ms from the base alone, +640ms from the new one).
    const src = ['package main', 'func tokenize() {', '\twork()', '}'];
    const ls = lenses(
      [
        { name: 'main.tokenize', startLine: 2, firstLine: 3, flat: 60e6, cum: 640e6 },
        { name: 'main.tokenize', startLine: 2, firstLine: 3, flat: -40e6, cum: -370e6 },
      ],
      4,
      (x) => src[x - 1]!,
      { ...opts, compare: { mode: 'base', name: 'base.pprof' } },
    );
    assert.equal(ls.length, 1);
    assert.match(ls[0]!.title, /flat \+20ms \(\+2\.00%\) · cum \+270ms \(\+27\.00%\)/);
  });

  it('the lens mode changes with the compare mode and the base, not with the values', () => {
    assert.equal(lensModeKey(undefined), '');
    const a = lensModeKey({ mode: 'base', name: 'heap1.pb.gz' });
    assert.notEqual(a, '');
    assert.notEqual(a, lensModeKey({ mode: 'diff_base', name: 'heap1.pb.gz' }));
    assert.notEqual(a, lensModeKey({ mode: 'base', name: 'heap0.pb.gz' }));
    assert.equal(a, lensModeKey({ mode: 'base', name: 'heap1.pb.gz' }));
  });

  it('short names drop the package path only', () => {
    assert.equal(shortFunctionName('example.com/x/internal/hot.(*Table).Put.func2'), 'hot.(*Table).Put.func2');
    assert.equal(shortFunctionName('main.Map[go.shape.int]'), 'main.Map[go.shape.int]');
    assert.equal(shortFunctionName('example.com/x/p.Map[example.com/x/q.T]'), 'p.Map[example.com/x/q.T]');
  });

  it('a stale file: one lens with the reason, shown until the user forces the overlays', () => {
    const s = { stale: true, reason: 'line 40 has samples, but the file now has 31 lines' };
    assert.equal(
      staleLensTitle('cpu.pb.gz', s),
      'pprof: this file changed after cpu.pb.gz was taken, overlays hidden: line 40 has samples, but the file now has 31 lines',
    );
    assert.equal(overlaysHidden(s, false), true);
    assert.equal(overlaysHidden(s, true), false);
    assert.equal(overlaysHidden({ stale: false }, false), false);
  });
});

describe('lineView: hover', () => {
  const input = {
    line: 12,
    profilePath: '/build/x/prog/main.go',
    functions: ['main.hot'],
    profileName: 'cpu.pb.gz',
    current: 0,
    sampleTypes: [{ type: 'cpu', unit: NS, total: 1e9, flat: 10e6, cum: 200e6 }],
  };

  it('notes first (compare, edits, filters), then the values, then the legend', () => {
    const md = hoverText(input, {
      compare: { mode: 'diff_base', name: 'old_*.pb.gz', normalize: true },
      profileLine: 10,
      edited: true,
      filters: ['focus=main\\.hot`x', 'ignore=\u202eevil'],
      heatMetric: 'cum',
    });
    const parts = md.split('\n\n');
    assert.equal(
      parts[0],
      '**Δ vs base** old\\_\\*\\.pb\\.gz (-diff\\_base: % of the base, normalized): positive values grew since the base, negative ones shrank.',
    );
    assert.equal(parts[1], 'Edited since the profile: this was line 10 when profiled.');
    assert.equal(parts[2], 'Filters: `focus=main\\.hot x`, `ignore=evil`; percentages of the unfiltered total.');
    assert.match(parts[3]!, /^\*\*pprof\*\* cpu\\\.pb\\\.gz: line 12 in \*\*main\\\.hot\*\*/);
    assert.match(parts.at(-1)!, /^Colour\\: red grew, green shrank since the base/);
  });

  it('without a base or edits: just the values and the legend', () => {
    const md = hoverText(input, { edited: false, filters: [], heatMetric: 'auto' });
    assert.match(md, /^\*\*pprof\*\*/);
    assert.match(md, /Colour\\: share of the cpu total by cum\\: the line and what it calls/);
    assert.doesNotMatch(md, /Edited|Filters|Δ/);
    assert.match(
      hoverText(input, { edited: true, filters: [], heatMetric: 'auto' }),
      /^Edited since the profile: values follow their lines; edited lines show none\./,
    );
  });

  it('callers: heaviest first over every mapped file, at most five, where as file:line', () => {
    const c = (name: string, weight: number) => ({ name, weight });
    assert.deepEqual(
      topCallers([[c('a', 5), c('b', -50)], [c('c', 20)], [c('d', 1), c('e', 2), c('f', 3)]], 5).map((x) => x.name),
      ['b', 'c', 'a', 'f', 'e'],
    );
    assert.equal(callerWhere('/build/x/prog/main.go', 41), 'main.go:41');
    assert.equal(callerWhere('', 0), undefined);
  });
});
