/**
 * Overlays that follow the editor's real room (core/lineView editorColumns, groupWidths and the
 * 'auto' form): the width VS Code's layout gives an editor group, in columns; the compact form
 * when the editor is narrow; values after the line's text when they fit in sight, else (a line
 * too long for the room: VS Code's horizontal scroll does not reach text after a line's end) the
 * compact value before its code, after the indentation, saying which one it is when its flat is not shown. Real CPU profile of
 * test/integration/overlays/fixture, values as go tool pprof -list prints them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { visualWidth } from '../../src/core/heat';
import {
  autoCompact,
  editorColumns,
  groupWidths,
  overlays,
  type LineCost,
  type OverlayOptions,
} from '../../src/core/lineView';
import { ProfileOps } from '../../src/worker/ops';
import { listRows } from './helpers/golden';

const fx = path.resolve(__dirname, '../integration/overlays/fixture');
const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');

describe('overlay layout: the room an editor has', () => {
  it('columns from the group width, font size and minimap; else the window shared by the groups', () => {
    const base = { groupsAcross: 1, fontSize: 14, minimap: true };
    // 1100 px: less 64 (gutter) + 80 (minimap) + 14 (scroll bar), over 8.4 px a character.
    assert.equal(editorColumns({ ...base, groupPx: 1100 }), 112);
    assert.equal(editorColumns({ ...base, groupPx: 1100, minimap: false }), 121);
    assert.equal(editorColumns({ ...base, groupPx: 550 }), 46);
    assert.equal(editorColumns({ ...base, groupPx: 550, fontSize: 12 }), 54);
    // Unknown width: the window's columns over the groups side by side.
    assert.equal(editorColumns({ ...base, groupsAcross: 2 }), 60);
    // A ruler the user set is a column they see when the editor has the window.
    assert.equal(editorColumns({ ...base, rulers: [200] }), 200);
    assert.equal(editorColumns({ ...base, groupsAcross: 2, rulers: [200] }), 60);
    // Word wrap at a column ends the text there.
    assert.equal(editorColumns({ ...base, groupPx: 1100, wordWrap: 'bounded', wordWrapColumn: 80 }), 80);
    assert.equal(editorColumns({ ...base, groupPx: 1100, wordWrap: 'on', wordWrapColumn: 80 }), 112);
  });

  it("each group's width from vscode.getEditorLayout, in ViewColumn order", () => {
    assert.deepEqual(groupWidths({ orientation: 0, groups: [{ size: 800 }, { size: 600 }] }), [800, 600]);
    // Left group split top/bottom: both are 800 wide.
    assert.deepEqual(
      groupWidths({ orientation: 0, groups: [{ size: 800, groups: [{ size: 300 }, { size: 400 }] }, { size: 600 }] }),
      [800, 800, 600],
    );
    // Stacked groups: the answer holds heights only, until a row splits across.
    assert.deepEqual(groupWidths({ orientation: 1, groups: [{ size: 300 }, { size: 400 }] }), [undefined, undefined]);
    assert.deepEqual(
      groupWidths({ orientation: 1, groups: [{ size: 300, groups: [{ size: 500 }, { size: 700 }] }, { size: 400 }] }),
      [500, 700, undefined],
    );
  });
});

describe('overlay layout: values stay in sight (work.go, real CPU profile)', () => {
  const { packed: a } = ProfileOps.load({
    bytes: new Uint8Array(readFileSync(path.join(fx, 'profiles', 'cpu.pb.gz'))),
  });
  const T = a.sampleTypes.length;
  const t = a.defaultIndex;
  const f = a.files.findIndex((x) => x.endsWith('/work.go'));
  const lines: LineCost[] = [];
  for (let i = a.fileLineStart[f]!; i < a.fileLineStart[f + 1]!; i++)
    lines.push({ line: a.lineNo[i]!, flat: a.lineFlat[i * T + t]!, cum: a.lineCum[i * T + t]! });
  const src = readFileSync(path.join(fx, 'go', 'work.go'), 'utf8').split('\n');
  // The hottest line with a long trailing comment, as real code has.
  const hot = [...lines].sort((x, y) => y.cum - x.cum)[0]!.line;
  const texts = src.slice();
  texts[hot - 1] = `${texts[hot - 1]} // ${'explains the loop at length, '.repeat(3)}`;
  const want = listRows(path.join(fx, 'golden', 'cpu.cpu.list.txt'), 'work.go');
  const opts: OverlayOptions = {
    show: 'both',
    percentages: false,
    heatMetric: 'auto',
    minLinePercent: 0,
    compact: 'auto',
    compare: false,
    tabSize: 4,
  };
  const run = (columns: number) =>
    overlays(lines, texts.length, (l) => texts[l - 1]!, a.sampleTypes[t]!.unit, a.totals[t]!, { ...opts, columns });

  it('a wide editor: aligned like -list; the long line gets its compact value after its text', () => {
    const o = run(140);
    assert.ok(visualWidth(texts[hot - 1]!, 4) > 110, 'the long line is long');
    const long = o.find((x) => x.line === hot)!;
    assert.equal(long.form, 'compact');
    assert.ok(
      o.every((x) => x.character === texts[x.line - 1]!.length),
      'every value after its line',
    );
    assert.ok(
      o.every((x) => /^\u00a0\u00a0/.test(x.text)),
      'never glued to the code',
    );
    const rest = o.filter((x) => x.line !== hot);
    assert.ok(rest.every((x) => x.form === 'aligned'));
    // The aligned ones carry -list's two values; the long line its cum (heat 'auto' on a caller),
    // named as such when its flat differs (the aligned lines around it show two values).
    for (const x of rest) assert.deepEqual(nbsp(x.text).trim().split(/\s+/), want.get(x.line), `line ${x.line}`);
    const [flat, cum] = want.get(hot)!;
    assert.equal(nbsp(long.text).trim(), flat === cum ? cum : `${cum} cum`);
  });

  it('a long line whose flat is not its cum says which value it shows; a leaf line shows its flat', () => {
    const long = `\tws = append(ws, compute(${'a, '.repeat(40)}b))`;
    const tx = ['\ty := hot()', long, `\tx := leaf(${'c, '.repeat(40)}d)`];
    const o = overlays(
      [
        { line: 1, flat: 0, cum: 2e9 },
        { line: 2, flat: 10e6, cum: 40e6 },
        { line: 3, flat: 30e6, cum: 30e6 },
      ],
      3,
      (l) => tx[l - 1]!,
      'nanoseconds',
      4e9,
      { ...opts, columns: 100 },
    );
    // Both long lines are longer than the 100 columns in sight: their value stands before their
    // code (after the tab, which stays), where no scroll is needed to read it.
    assert.deepEqual(
      o.map((x) => [x.line, x.form, x.placement, x.character, nbsp(x.text).trim().replace(/\s+/g, ' ')]),
      [
        [1, 'aligned', 'after', tx[0]!.length, '. 2s'],
        [2, 'compact', 'before', 1, '40ms cum'],
        [3, 'compact', 'before', 1, '30ms'],
      ],
    );
    assert.ok(
      o.filter((x) => x.placement === 'before').every((x) => /\u00a0\u00a0$/.test(x.text)),
      'not glued to the code',
    );
  });

  it('a narrow editor (split, the flame graph beside): the compact form, one value a line', () => {
    assert.equal(autoCompact(50, 14), true);
    assert.equal(autoCompact(140, 14), false);
    const o = run(50);
    assert.ok(o.length > 3 && o.every((x) => x.form === 'compact'));
    assert.ok(o.every((x) => nbsp(x.text).trim().split(/\s+/).length === 1));
  });

  it('at every width from 30 to 200 columns every value is in sight: after its line when it fits, else before its code', () => {
    // VS Code's horizontal scroll stops a few columns past the longest line's text (the
    // after-decoration is not counted): a value ending past the edge could not be read at all.
    for (let columns = 30; columns <= 200; columns += 5) {
      const o = run(columns);
      assert.equal(o.length, want.size);
      for (const x of o) {
        const line = texts[x.line - 1]!;
        if (x.placement === 'after') {
          assert.equal(x.character, line.length, 'after the text');
          const end = visualWidth(line, 4) + nbsp(x.text).length;
          assert.ok(end <= columns, `${columns} columns: line ${x.line} ends at ${end}`);
        } else {
          assert.equal(x.form, 'compact');
          assert.equal(x.character, line.length - line.trimStart().length, 'after the indentation');
          assert.ok(
            visualWidth(line, 4) + 2 + nbsp(x.text).trim().length > columns,
            'only a line too long for the room',
          );
          const end = visualWidth(line.slice(0, x.character), 4) + nbsp(x.text).length;
          assert.ok(end <= columns, `${columns} columns: line ${x.line}'s value ends at ${end}`);
        }
      }
    }
    // The narrowest editors put some long line's value before its code.
    assert.ok(run(30).some((x) => x.placement === 'before'));
  });
});
