/**
 * Hostile profiles in a real VS Code (code-server): a profile without sample types opens the
 * summary editor with the reason (not VS Code's "unexpected error"); names that are codicons,
 * bidi controls, command links and HTML show as text in the status bar and the summary page.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launch, REPO_ROOT, type VSCode } from '../harness/vscode';

const corpus = path.join(REPO_ROOT, 'test', 'fixtures', 'hostile');

describe('hostile profiles in a real VS Code', function () {
  this.timeout(180_000);
  let vs: VSCode | undefined;
  let ws = '';

  before(async () => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-hostile-ws-'));
    copyFileSync(path.join(corpus, 'no-sample-types.pb'), path.join(ws, 'empty.pprof'));
    copyFileSync(path.join(corpus, 'markup-names.pb.gz'), path.join(ws, 'markup.pb.gz'));
    copyFileSync(path.join(corpus, 'gzip-bomb.pb.gz'), path.join(ws, 'bomb.pb.gz'));
    writeFileSync(path.join(ws, 'notes.txt'), 'profiles to look at\n');
    vs = await launch({ workspace: ws });
    // The first file opened right after start-up can miss the custom editor (its contribution is
    // still being registered): open a text file first.
    await vs.openFile('notes.txt');
    await new Promise((r) => setTimeout(r, 3000));
  });
  after(async () => {
    await vs?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  async function summaryText(re: RegExp): Promise<string> {
    return vs!.waitFor(
      async () => {
        for (const f of await vs!.webviewFrames({ timeoutMs: 20_000 })) {
          const t = await f
            .locator('body')
            .innerText()
            .catch(() => '');
          if (re.test(t)) return t;
        }
        return undefined;
      },
      { timeoutMs: 30_000, message: `no webview shows ${re}` },
    );
  }

  it('a gzip bomb: a clear message in the summary editor', async () => {
    await vs!.openFile('bomb.pb.gz');
    const t = await summaryText(/decompression bomb/);
    assert.match(t, /decompresses to more than 32\.0 MiB from 160 KiB/);
  });

  it('a profile without sample types: the summary editor says why, VS Code shows no "unexpected error"', async () => {
    await vs!.openFile('empty.pprof');
    const t = await summaryText(/could not be opened/);
    assert.match(t, /no sample types, so it measures nothing/);
    const notes = (await vs!.notifications()).map((n) => JSON.stringify(n)).join('\n');
    assert.doesNotMatch(notes, /unexpected error/i);
    assert.doesNotMatch(vs!.logs().extensionHost, /TypeError/);
  });

  it('names that are codicons and bidi controls show as text in the status bar', async () => {
    await vs!.openFile('markup.pb.gz');
    await summaryText(/Top functions/);
    const item = await vs!.waitFor(async () => (await vs!.statusBarItems()).find((s) => s.includes('markup.pb.gz')), {
      message: 'no status bar item',
    });
    // The sample type is literally "$(zap)": shown as typed, not as the zap icon.
    assert.match(item, /markup\.pb\.gz · \$\(zap\) · /);
    assert.equal(await vs!.page.locator('.statusbar .codicon-zap, .statusbar .codicon-bug').count(), 0);
    const page = await summaryText(/Top functions/);
    assert.match(page, /\$\(alert\) main\.handler/);
    assert.match(page, /<img src=x onerror=alert\(1\)>/);
    assert.doesNotMatch(page, /[\u202a-\u202e\u2066-\u2069]/);
    assert.match(page, /main\.gnp\.evil/);
  });
});
