/** LineTracker: a profile's lines follow inserts and deletes above them; edited lines are dropped. */
import assert from 'node:assert/strict';
import { keepTrackerFor, LineTracker, type TextChange } from '../../src/core/lineTracker';
import { functionEdited } from '../../src/core/lineView';

const src = ['package main', '', 'func hot() {', '\tx := work()', '\tuse(x)', '}', ''].join('\n');
const at = (sl: number, sc: number, el: number, ec: number, text: string): TextChange => ({
  startLine: sl,
  startCharacter: sc,
  endLine: el,
  endCharacter: ec,
  text,
});

/** Applies a change to plain text the way VS Code does, to check the tracker's text. */
function applyText(text: string, c: TextChange): string {
  const lines = text.split('\n');
  const off = (l: number, ch: number) => lines.slice(0, l).reduce((a, x) => a + x.length + 1, 0) + ch;
  return text.slice(0, off(c.startLine, c.startCharacter)) + c.text + text.slice(off(c.endLine, c.endCharacter));
}

describe('lineTracker', () => {
  it('shifts lines below an inserted line (Enter at the end of a line above)', () => {
    const t = new LineTracker(src);
    t.apply([at(1, 0, 1, 0, '\n// added')]);
    assert.deepEqual(
      [3, 4, 5, 6].map((l) => t.map(l)),
      [4, 5, 6, 7],
    );
    assert.equal(t.map(1), 1);
    assert.equal(t.edited, true);
  });

  it('shifts with a line inserted at column 0 ("x\\n") and keeps the line pushed down', () => {
    const t = new LineTracker(src);
    t.apply([at(3, 0, 3, 0, '\t// note\n')]);
    assert.deepEqual([t.map(3), t.map(4), t.map(5)], [3, 5, 6]);
  });

  it('drops an edited line and keeps its neighbours', () => {
    const t = new LineTracker(src);
    t.apply([at(3, 6, 3, 12, 'other()')]);
    assert.deepEqual([t.map(3), t.map(4), t.map(5)], [3, undefined, 5]);
  });

  it('follows deleted lines above, and drops deleted lines', () => {
    const t = new LineTracker(src);
    t.apply([at(0, 0, 2, 0, '')]); // delete lines 1-2
    assert.deepEqual([t.map(1), t.map(2), t.map(3), t.map(4)], [undefined, undefined, 1, 2]);
    const u = new LineTracker(src);
    u.apply([at(3, 5, 4, 1, '')]); // join parts of 4 and 5: both edited
    assert.deepEqual([u.map(4), u.map(5), u.map(6)], [undefined, undefined, 5]);
  });

  it('deleting from the end of a line to the end of the next keeps the first', () => {
    const t = new LineTracker(src);
    t.apply([at(3, 12, 4, 7, '')]);
    assert.equal(t.text().split('\n')[3], '\tx := work()');
    assert.equal(t.map(4), 4);
  });

  it("matches a replay of random edits against the text (the tracker's text stays the document's)", () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    let text = src;
    const t = new LineTracker(src);
    for (let i = 0; i < 300; i++) {
      const lines = text.split('\n');
      const sl = rnd(lines.length);
      const el = Math.min(lines.length - 1, sl + rnd(3));
      const sc = rnd(lines[sl]!.length + 1);
      const ec = sl === el ? sc + rnd(lines[el]!.length - sc + 1) : rnd(lines[el]!.length + 1);
      const ins = ['', '\n', 'a', 'b\n', '\nc\n', 'xy'][rnd(6)]!;
      const c = at(sl, sc, el, ec, ins);
      text = applyText(text, c);
      t.apply([c]);
      assert.equal(t.text(), text, `step ${i}`);
    }
    // Every line still mapped holds its original text.
    const orig = src.split('\n');
    const now = text.split('\n');
    for (let l = 1; l <= orig.length; l++) {
      const m = t.map(l);
      if (m !== undefined) assert.equal(now[m - 1], orig[l - 1], `line ${l} -> ${m}`);
    }
  });
});

describe('lineTracker: which functions were edited (the trial: a line typed into pipeline.go, then undone)', () => {
  // Three functions: a() at lines 3-5, b() at 7-9, c() at 11-13.
  const three = [
    'package main',
    '',
    'func a() {',
    '\twork()',
    '}',
    '',
    'func b() {',
    '\twork()',
    '}',
    '',
    'func c() {',
    '\twork()',
    '}',
    '',
  ].join('\n');

  it('a line typed into b marks b only: a above and c below (shifted) are untouched', () => {
    const t = new LineTracker(three);
    t.apply([at(7, 7, 7, 7, '\n\tx := 1')]);
    assert.equal(t.edited, true);
    assert.equal(t.editedWithin(3, 5), false);
    assert.equal(t.editedWithin(7, 9), true);
    assert.equal(t.editedWithin(11, 13), false);
    assert.equal(t.map(11), 12);
  });

  it('an edited line inside a function marks it; the text typed and undone again is not edited at all', () => {
    const t = new LineTracker(three);
    t.apply([at(7, 5, 7, 5, 'x')]);
    assert.equal(t.editedWithin(7, 9), true);
    assert.equal(t.map(8), undefined);
    // Undo: VS Code sends the inverse change.
    t.apply([at(7, 5, 7, 6, '')]);
    assert.equal(t.text(), three);
    assert.equal(t.edited, false);
    assert.equal(t.editedWithin(7, 9), false);
    assert.deepEqual(
      [3, 8, 12].map((l) => t.map(l)),
      [3, 8, 12],
    );
  });

  it('a new line typed then undone (two changes) restores every line number', () => {
    const t = new LineTracker(three);
    t.apply([at(3, 7, 3, 7, '\n\ty := 2')]);
    assert.equal(t.map(5), 6);
    assert.equal(t.editedWithin(3, 5), true);
    t.apply([at(3, 7, 4, 7, '')]);
    assert.equal(t.edited, false);
    assert.equal(t.map(5), 5);
    assert.equal(t.editedWithin(3, 13), false);
  });
});

describe('functionEdited: a profile without start_line (Go before 1.20) knows only the sampled lines', () => {
  // main() declared at line 3; its sampled lines are 6-7 (the profile's start line is the first of them).
  const text = [
    'package main',
    '',
    'func main() {',
    '\tx := 0',
    '\tfor {',
    '\t\trun()',
    '\t\tx++',
    '\t}',
    '}',
    '',
  ].join('\n');
  const main = { name: 'main.main', startLine: 6, firstLine: 6, lastLine: 7 };

  it('a line typed between the func line and the first sampled line marks the function (the editor test: above a hot line)', () => {
    const t = new LineTracker(text);
    t.apply([at(4, 6, 4, 6, '\n\t\t_ = 0')]);
    assert.equal(t.editedWithin(6, 7), false, 'the sampled lines alone do not show it');
    assert.equal(functionEdited(t, main), true);
  });

  it('a line typed above the declaration does not', () => {
    const t = new LineTracker(text);
    t.apply([at(1, 0, 1, 0, '// a comment\n')]);
    assert.equal(t.map(6), 7);
    assert.equal(functionEdited(t, main), false);
  });
});

describe('keepTrackerFor: edits carried to the next profile loaded', () => {
  const edit = Date.UTC(2026, 10, 30, 20, 30);
  it('keeps the edits for a profile taken before the first of them (Compare With Base, an older snapshot)', () => {
    assert.equal(keepTrackerFor(edit - 60_000, edit), true);
  });
  it('starts afresh for a profile taken after the edit (it may hold the edited code), without a time, or without edits', () => {
    assert.equal(keepTrackerFor(edit + 60_000, edit), false);
    assert.equal(keepTrackerFor(0, edit), false);
    assert.equal(keepTrackerFor(edit - 60_000, undefined), false);
  });
});
