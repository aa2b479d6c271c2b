/**
 * The overlays follow the editor's room in a real VS Code (code-server): aligned like
 * `go tool pprof -list` in a full-width editor, one value per line once the editor is split
 * (its group's width from VS Code's layout), the CodeLens header saying which value that is; and
 * a profile summary tab brought back to the front makes its profile the current one again.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { listRows as listRowsOf } from '../harness/golden';
import { launch, type Decoration, type VSCode } from '../harness/vscode';

const root = path.resolve(__dirname, '../../..');
const fixture = path.join(__dirname, 'fixture');
const listRows = (golden: string, file: string) => listRowsOf(path.join(fixture, 'golden', golden), file);
const tokens = (d: Decoration) =>
  d.text
    .replace(/\u00a0/g, ' ')
    .trim()
    .split(/\s+/);

describe('overlays follow the layout in a real VS Code', function () {
  this.timeout(240_000);
  let vs: VSCode;

  before(async () => {
    vs = await launch({ workspace: fixture });
  });
  after(async () => vs?.close());

  it('full width: -list’s two columns; split: one value a line, the lens header names it', async () => {
    await vs.openFile('profiles/cpu.pb.gz');
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => s.includes('cpu.pb.gz ·')), {
      message: 'cpu.pb.gz loaded',
    });
    await vs.openFile('go/work.go');
    const want = listRows('cpu.cpu.list.txt', 'work.go');
    const wide = await vs.waitFor(
      async () => {
        const ds = await vs.editorDecorations();
        return ds.length === want.size && ds.every((d) => tokens(d).length === 2) ? ds : undefined;
      },
      { message: 'aligned labels' },
    );
    assert.deepEqual(new Map(wide.map((d) => [d.line, tokens(d)])), want);
    // With the room, every value after its line (before the code only a line too long for the room).
    assert.ok(wide.every((d) => d.kind === 'after'));
    await vs.runCommand('View: Split Editor Right');
    const narrow = await vs.waitFor(
      async () => {
        const ds = await vs.editorDecorations();
        return ds.length > 0 && ds.every((d) => tokens(d).length === 1) ? ds : undefined;
      },
      { message: 'compact labels in the split editor' },
    );
    // A line longer than the half-width editor shows its value before its code, in sight.
    assert.ok(narrow.every((d) => d.kind === 'after' || d.kind === 'before'));
    // The one value is the one that picks the colour: cum on these callers, as -list prints it.
    for (const d of narrow) assert.ok(want.get(d.line)!.includes(tokens(d)[0]!), `line ${d.line}: ${d.text}`);
    await vs.waitFor(async () => (await vs.codeLenses()).some((l) => / · cum after the lines$/.test(l.text)), {
      message: 'the lens header names the one column',
    });
    await vs.screenshot(path.join(root, 'docs/screenshots/editor-split-compact-layout.png'));
    await vs.runCommand('View: Join All Editor Groups');
    await vs.waitFor(
      async () => {
        const ds = await vs.editorDecorations();
        return (ds.length === want.size && ds.every((d) => tokens(d).length === 2)) || undefined;
      },
      { message: 'aligned again after joining' },
    );
  });

  it('a profile summary tab brought to the front makes its profile current again', async () => {
    await vs.openFile('profiles/heap.pb.gz');
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => s.includes('heap.pb.gz ·')), {
      message: 'heap.pb.gz loaded',
    });
    await vs.page.locator('.tabs-container .tab', { hasText: 'cpu.pb.gz' }).first().click();
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => /cpu\.pb\.gz · cpu/.test(s)), {
      timeoutMs: 60_000,
      message: 'cpu.pb.gz current again',
    });
  });
});
