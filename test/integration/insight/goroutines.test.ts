/**
 * The Goroutines view on a real leak, inside a real VS Code (code-server, test/integration/harness):
 * leakd (test/fixtures/goroutines, built under /build/pprof-lens-insight/leakd) leaks a pump
 * goroutine per subscriber; its two debug=2 dumps were taken before and after 40 more subscribers
 * came and went. "Goroutines: Compare Two Snapshots…" with the earlier and the later dump must list
 * the pump's stack first, +40 (25 → 65) in select, waiting up to 2 minutes, created at its go
 * statement, and a click must open main.go at the line where it blocks. Then "Export CPU Profiles as
 * default.pgo…" on the PGO fixture's three CPU profiles writes default.pgo next to the main package
 * and lists the hot call sites. Screenshots go to docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { launch, type VSCode } from '../harness/vscode';

const root = path.resolve(__dirname, '../../..');
const FIX = path.join(root, 'test/fixtures/goroutines');
const PGO = path.join(root, 'test/fixtures/pgo');
const SHOTS = path.join(root, 'docs/screenshots');
const mainGo = readFileSync(path.join(FIX, 'go/main.go'), 'utf8').split('\n');
const lineOf = (s: string) => mainGo.findIndex((t) => t.includes(s)) + 1;
/** pprof -base puts the pump's growth on its select statement, the line above the PUMP-BLOCK case. */
const PUMP_BLOCK = lineOf('// PUMP-BLOCK') - 1;
const PUMP_GO = lineOf('// PUMP-GO');

describe('the Goroutines view on a real goroutine leak (two debug=2 snapshots of leakd)', function () {
  this.timeout(600_000);
  let vs: VSCode;
  let tmp: string;
  let ws: string;

  before(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'pprof-lens-goroutines-it-'));
    // The checkout is named as the build machine's folder (leakd), as pprof's source search expects.
    ws = path.join(tmp, 'leakd');
    cpSync(path.join(FIX, 'go'), ws, { recursive: true });
    mkdirSync(path.join(ws, 'snapshots'));
    for (const f of ['before.dump.txt', 'after.dump.txt'])
      cpSync(path.join(FIX, 'profiles', f), path.join(ws, 'snapshots', `goroutine-${f}`));
    vs = await launch({ workspace: ws });
  });

  after(async () => {
    await vs?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Picks a snapshot by its file name in the picker titled with `title`; returns what it listed. */
  async function pickSnapshot(title: string, name: string): Promise<string[]> {
    await vs.waitForText('.quick-input-widget .quick-input-title', title);
    const listed = await vs.quickPickItems();
    await vs.pickQuickPickItem(name);
    return listed;
  }

  /** Drags the side bar's edge to the right, so the views' rows are readable in the screenshots. */
  async function widenSideBar(): Promise<void> {
    const box = await vs.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width > 500) return;
    const x = box.x + box.width + 1;
    await vs.page.mouse.move(x, box.y + 200);
    await vs.page.mouse.down();
    await vs.page.mouse.move(x + 260, box.y + 200, { steps: 8 });
    await vs.page.mouse.up();
  }

  /** The rows of a view of the pprof container, as "label description". */
  async function viewRows(title: string): Promise<string[]> {
    const pane = vs.page.locator('.pane', { has: vs.page.locator('.pane-header', { hasText: title }) }).first();
    return pane.locator('.monaco-list-row').evaluateAll((rows) =>
      rows.map((r) =>
        [r.querySelector('.label-name')?.textContent ?? '', r.querySelector('.label-description')?.textContent ?? '']
          .join(' ')
          .replace(/\u00a0/g, ' ')
          .trim(),
      ),
    );
  }

  it('Compare Two Snapshots lists the stack that grew, +40 at its blocking line, and opens that line', async () => {
    await vs.runCommand('pprof: Goroutines: Compare Two Snapshots…');
    // The picker lists the workspace's goroutine dumps (found by their first line), then Browse….
    const listed = await pickSnapshot('EARLIER', 'goroutine-before.dump.txt');
    assert.ok(
      listed.some((l) => l.includes('goroutine-before.dump.txt')) &&
        listed.some((l) => l.includes('goroutine-after.dump.txt')),
      `the picker lists both dumps: ${listed.join(' | ')}`,
    );
    assert.ok(!listed.some((l) => /go\.mod|main\.go/.test(l)), `only snapshots: ${listed.join(' | ')}`);
    await pickSnapshot('LATER', 'goroutine-after.dump.txt');
    let rows: string[] = [];
    await vs.waitFor(
      async () => {
        rows = await viewRows('Goroutines');
        return rows.some((r) => r.startsWith('+40'));
      },
      { timeoutMs: 60_000, intervalMs: 500, message: 'the Goroutines view lists +40' },
    );
    assert.match(rows[0]!, /^34 → 77 goroutines \(\+43\); 3 stacks grew by 44/);
    assert.equal(
      rows[1],
      `+40  main.(*hub).pump main.go:${PUMP_BLOCK} 25 → 65 · select · up to 2 minutes · created by main.(*hub).Subscribe main.go:${PUMP_GO}`,
    );
    assert.match(
      rows[2]!,
      /^\+3 {2}main\.audit main\.go:\d+ 2 → 5 · semacquire · up to 2 minutes · created by main\.startAudits/,
    );
    await vs.page.locator('.monaco-list-row', { hasText: '+40' }).first().click();
    await vs.waitFor(async () => (await vs.activeEditor())?.path?.endsWith('main.go') === true, {
      timeoutMs: 30_000,
      message: 'main.go opened',
    });
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => s.startsWith(`Ln ${PUMP_BLOCK},`)), {
      timeoutMs: 15_000,
      message: `the cursor on line ${PUMP_BLOCK}`,
    });
    // The screenshot: a wider side bar, the group opened to its frames and creator.
    await widenSideBar();
    await vs.page.locator('.monaco-list-row', { hasText: '+40' }).first().locator('.monaco-tl-twistie').click();
    await vs.page.locator('.monaco-list-row', { hasText: 'created by main.(*hub).Subscribe' }).first().waitFor();
    await vs.screenshot(path.join(SHOTS, 'goroutines-leak.png'));
  });

  it('Export CPU Profiles as default.pgo: three CPU profiles merged into the chosen main package, hot call sites listed and opened', async () => {
    // A second main package: pgodemo, the program the CPU profiles come from.
    mkdirSync(path.join(ws, 'cmd', 'pgodemo'), { recursive: true });
    cpSync(path.join(PGO, 'go', 'main.go'), path.join(ws, 'cmd', 'pgodemo', 'main.go'));
    const pgoMain = readFileSync(path.join(PGO, 'go', 'main.go'), 'utf8').split('\n');
    const hashCall = pgoMain.findIndex((l) => l.includes('counts[hash(r.method)^hash(r.path)]')) + 1;
    mkdirSync(path.join(ws, 'pgo'));
    for (const f of ['cpu1.pb.gz', 'cpu2.pb.gz', 'cpu3.pb.gz'])
      cpSync(path.join(PGO, 'profiles', f), path.join(ws, 'pgo', f));
    // A heap profile beside them: go build -pgo cannot read it.
    cpSync(path.join(root, 'test/fixtures/profiles/heap.pb.gz'), path.join(ws, 'pgo', 'heap.pb.gz'));
    await vs.runCommand('pprof: Export CPU Profiles as default.pgo…');
    // Only CPU profiles are offered: the heap profile is counted, not listed.
    await vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'cpu1.pb.gz' }).first().waitFor();
    const offered = await vs.page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
    assert.ok(!offered.some((r) => /heap\.pb\.gz/.test(r)), offered.join('\n'));
    const said = await vs.waitFor(
      async () => {
        const input = vs.page.locator('.quick-input-widget .quick-input-box input').first();
        const t = `${(await input.getAttribute('placeholder')) ?? ''} ${(await input.getAttribute('aria-label')) ?? ''}`;
        return /not listed/.test(t) ? t : undefined;
      },
      { timeoutMs: 10_000, message: 'the picker says what it left out' },
    );
    assert.match(
      said,
      /CPU profiles\. 1 other profile \(heap, goroutine, block…\) not listed: go build -pgo reads CPU profiles only\./,
    );
    for (const [i, f] of ['cpu1.pb.gz', 'cpu2.pb.gz', 'cpu3.pb.gz'].entries()) {
      await vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: f }).first().waitFor();
      const row = vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: f }).first();
      // A busy machine can drop a click: check the picker's count ("N Selected") before going on.
      for (let attempt = 0; attempt < 3; attempt++) {
        await row.locator('.monaco-checkbox, input[type=checkbox]').first().click();
        const counted = await vs
          .waitFor(
            async () =>
              new RegExp(`\\b${i + 1}\\b`).test(
                await vs.page
                  .locator('.quick-input-widget .quick-input-count')
                  .first()
                  .innerText({ timeout: 1_000 })
                  .catch(() => ''),
              ) || undefined,
            { timeoutMs: 3_000, message: `${i + 1} selected` },
          )
          .then(
            () => true,
            () => false,
          );
        if (counted) break;
      }
    }
    await vs.page.keyboard.press('Enter');
    // A busy machine can drop the key too: press it again while the picker is still open.
    const picker = vs.page.locator('.quick-input-widget').first();
    for (let attempt = 0; attempt < 3; attempt++) {
      await vs.page.waitForTimeout(1_500);
      if (!(await picker.isVisible()) || (await vs.page.locator('.monaco-dialog-box').count()) > 0) break;
      await vs.page.keyboard.press('Enter');
    }
    // Go 1.19 wrote these profiles: no start lines, which the dialog says before writing.
    const dialog = vs.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /start line/);
    await dialog.locator('a.monaco-button, .monaco-button', { hasText: 'Write Anyway' }).first().click();
    // Two main packages: asked which.
    await vs.pickQuickPickItem('cmd/pgodemo');
    const pgo = path.join(ws, 'cmd', 'pgodemo', 'default.pgo');
    await vs.waitFor(async () => existsSync(pgo), { timeoutMs: 60_000, message: 'default.pgo written' });
    assert.equal(gunzipSync(readFileSync(pgo)).length > 0, true);
    let rows: string[] = [];
    await vs.waitFor(
      async () => {
        rows = await viewRows('PGO Hot Call Sites');
        return rows.some((r) => r.includes('main.summarize → main.tally'));
      },
      { timeoutMs: 60_000, intervalMs: 500, message: 'the hot call sites listed' },
    );
    assert.match(rows[0]!, /^\d+ hot call sites of \d+ call edges/);
    assert.ok(
      rows.some((r) => r.endsWith(`main.tally → main.hash main.go:${hashCall}`)),
      rows.join('\n'),
    );
    assert.ok(!existsSync(path.join(ws, 'default.pgo')), 'not in the other main package');
    // default.pgo is opened (its overlays show the merge) and the command reports what it wrote.
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => s.includes('default.pgo ·')), {
      timeoutMs: 60_000,
      message: 'default.pgo loaded',
    });
    await vs.waitFor(
      async () =>
        (await vs.notificationsSeen()).some((m) =>
          /wrote cmd\/pgodemo\/default\.pgo from 3 profiles: \d+ hot call sites of \d+ call edges/.test(m),
        ),
      { timeoutMs: 30_000, message: 'the export is reported' },
    );
    // A call site opens its line in pgodemo's main.go.
    await vs.page.locator('.monaco-list-row', { hasText: 'main.tally → main.hash' }).first().click();
    await vs.waitFor(
      async () => (await vs.activeEditor())?.path?.endsWith(path.join('cmd', 'pgodemo', 'main.go')) === true,
      { timeoutMs: 30_000, message: 'cmd/pgodemo/main.go opened' },
    );
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => s.startsWith(`Ln ${hashCall},`)), {
      timeoutMs: 15_000,
      message: `the cursor on line ${hashCall}`,
    });
    await widenSideBar();
    await vs.screenshot(path.join(SHOTS, 'pgo-hot-call-sites.png'));
  });
});
