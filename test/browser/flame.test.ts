/**
 * The flame graph webview in Debian's Chromium, fed from real profiles the way the host feeds it:
 * zoom and breadcrumbs, reset, search share, sample type switch, open source from the table and
 * the keyboard, profile names that look like HTML stay text, screenshots in light and dark.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseProfile } from '../../src/core/decode';
import { buildFlame } from '../../src/core/flame';
import type { Profile } from '../../src/core/model';
import { reportTotal, topReport } from '../../src/core/report';
import { type FlameData, packFlame, pathTo } from '../../src/shared/flame';
import type { TopTable, ViewModel } from '../../src/shared/protocol';
import { percentage } from '../../src/shared/units';
import { layout } from '../../webview/flame/layout';
import { repoRoot, sharedPath } from '../unit/helpers/shared';
import { serveSearches } from './host';
import { launch, openWebview, posted, send, type ThemeName } from './page';

const ROW = 18;

interface Row {
  name: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
}
function topOf(p: Profile, sampleIndex: number): Row[] {
  return topReport(p, { sampleIndex, nodeFraction: 0, granularity: 'filefunctions' }).rows.map((r) => ({
    name: r.function || r.name,
    file: r.file,
    line: r.line,
    flat: r.flat,
    cum: r.cum,
  }));
}
function tableOf(rows: Row[]): TopTable {
  return {
    name: rows.map((r) => r.name),
    file: rows.map((r) => r.file),
    line: rows.map((r) => r.line),
    flat: rows.map((r) => r.flat),
    cum: rows.map((r) => r.cum),
  };
}
type TestView = ViewModel & { flame: FlameData };
function viewOf(p: Profile, title: string, sampleIndex: number, modules: string[] = []): TestView {
  return {
    key: `${title}/${sampleIndex}`,
    title,
    sampleTypes: p.sampleTypes,
    sampleIndex,
    filters: [],
    modules,
    flame: buildFlame(p, { sampleIndex }),
    top: tableOf(topOf(p, sampleIndex)),
  };
}
/** The table's rows as objects. */
function rowsOf(t: TopTable): Row[] {
  return t.name.map((name, i) => ({ name, file: t.file[i]!, line: t.line[i]!, flat: t.flat[i]!, cum: t.cum[i]! }));
}

/** The view as the host sends it: the tree packed (shared/flame packFlame). */
const wire = (view: TestView): ViewModel => ({ ...view, flame: packFlame(view.flame) });

async function start(browser: Browser, view: TestView, theme: ThemeName = 'light', state?: unknown): Promise<Page> {
  const page = await openWebview(browser, theme, 1100, state);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
  );
  await send(page, { type: 'init', view: wire(view) });
  await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-frames') !== null);
  return page;
}

/** Clicks the middle of node i's box, laid out as the page lays it out. */
async function clickNode(page: Page, view: TestView, i: number, zoom = 0, dbl = false): Promise<void> {
  const width = await page.evaluate(() => document.querySelector('#flame-wrap')!.clientWidth);
  const b = layout(view.flame, { zoom, width, rowHeight: ROW, orientation: 'icicle' });
  const k = [...b.node].indexOf(i);
  assert.ok(k >= 0, `node ${i} is drawn`);
  const box = (await page.locator('#flame').boundingBox())!;
  const x = box.x + b.x[k]! + b.w[k]! / 2;
  const y = box.y + b.y[k]! + ROW / 2;
  if (dbl) await page.mouse.dblclick(x, y);
  else await page.mouse.click(x, y);
}

describe('flame graph webview in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  const cpu = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));
  const sample = parseProfile(readFileSync(sharedPath('pprof-testdata/internal/report/testdata/sample.cpu')));

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('zooms on click with breadcrumbs, resets, and says so in the canvas state', async () => {
    const view = viewOf(sample, 'sample.cpu', 1);
    const page = await start(browser, view);
    const d = view.flame;
    // A frame at depth 3 that is wide enough to click.
    let target = -1;
    for (let i = 1; i < d.nodeName.length; i++)
      if (d.depth[i] === 3 && (target < 0 || d.weight[i]! > d.weight[target]!)) target = i;
    await clickNode(page, view, target);
    const names = pathTo(d, target).map((i) => (i === 0 ? 'all' : d.names[d.nodeName[i]!]!));
    assert.deepEqual(await page.locator('#breadcrumbs .crumb').allTextContents(), names);
    assert.equal(await page.locator('#flame').getAttribute('data-zoom'), names[names.length - 1]);
    await page.click('#reset');
    assert.equal(await page.locator('#flame').getAttribute('data-zoom'), 'all');
    assert.deepEqual(await page.locator('#breadcrumbs .crumb').allTextContents(), ['all']);
    // Zoom through a breadcrumb, then Esc resets.
    await clickNode(page, view, target);
    await page.locator('#breadcrumbs .crumb').nth(1).click();
    assert.equal(await page.locator('#flame').getAttribute('data-zoom'), names[1]);
    await page.locator('#flame').focus();
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#flame').getAttribute('data-zoom'), 'all');
    await page.close();
  });

  it('a double-click in an unzoomed graph of a narrow panel opens the frame clicked: the breadcrumbs never move the canvas', async () => {
    const view = viewOf(cpu, 'cpu.pb.gz', 1);
    const page = await openWebview(browser, 'light', 480);
    await page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    await send(page, { type: 'init', view: wire(view) });
    await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-frames') !== null);
    const d = view.flame;
    const nameOf = (i: number) => (i === 0 ? 'all' : d.names[d.nodeName[i]!]!);
    // The widest frame whose path (the breadcrumbs) is long: they wrapped over lines at 480 px.
    let target = -1;
    for (let i = 1; i < d.nodeName.length; i++) {
      const len = pathTo(d, i).reduce((n, j) => n + nameOf(j).length, 0);
      if (d.depth[i]! >= 3 && len > 80 && d.nodeFile[i]! >= 0 && (target < 0 || d.weight[i]! > d.weight[target]!))
        target = i;
    }
    assert.ok(target > 0);
    const y0 = (await page.locator('#flame').boundingBox())!.y;
    await clickNode(page, view, target, 0, true);
    await page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'openSource'),
    );
    const opened = (await posted(page)).filter((m) => m.type === 'openSource');
    assert.deepEqual(
      opened.map((m) => m.name),
      [nameOf(target)],
    );
    assert.equal(await page.locator('#flame').getAttribute('data-zoom'), nameOf(target));
    assert.equal((await page.locator('#flame').boundingBox())!.y, y0, 'the canvas stays where it was');
    const bar = await page.evaluate(() => {
      const n = document.querySelector('#breadcrumbs')!;
      const last = [...n.querySelectorAll('.crumb')].pop()!.getBoundingClientRect();
      const r = n.getBoundingClientRect();
      return { height: r.height, lastRight: last.right, right: r.right };
    });
    assert.equal(bar.height, 22, 'one line');
    assert.ok(bar.lastRight <= bar.right + 1, 'the frame zoomed to (the last crumb) is in view');
    await page.close();
  });

  it('search "runtime" highlights and reports the matched share of the total', async () => {
    const view = viewOf(cpu, 'cpu.pb.gz', 1, ['example.com/fixtures']);
    const page = await start(browser, view);
    serveSearches(page, () => ({ key: view.key, names: view.flame.names }));
    await page.fill('#search', 'runtime');
    await page.waitForFunction(() => /frames|no match/.test(document.querySelector('#search-info')?.textContent ?? ''));
    const d = view.flame;
    let matched = 0;
    let frames = 0;
    for (let i = 1; i < d.nodeName.length;) {
      if (/runtime/.test(d.names[d.nodeName[i]!]!)) {
        matched += d.total[i]!;
        for (let j = i; j < i + d.subtree[i]!; j++) if (/runtime/.test(d.names[d.nodeName[j]!]!)) frames++;
        i += d.subtree[i]!;
      } else i++;
    }
    assert.ok(frames > 0);
    const text = await page.locator('#search-info').textContent();
    assert.match(
      text!,
      new RegExp(
        `^${frames} frames · matched .* \\(${percentage(matched, reportTotal(cpu, 1)).trim().replace('.', '\\.')} of total\\)$`,
      ),
    );
    // The pattern is a Go regexp, matched in the host's worker: the page asked once.
    assert.deepEqual(
      (await posted(page)).map((m) => [m.type, m.query]),
      [
        ['ready', undefined],
        ['search', 'runtime'],
      ],
    );
    await page.close();
  });

  it('switching the sample type posts setSampleType; table rows and Enter post openSource', async () => {
    const view = viewOf(cpu, 'cpu.pb.gz', 1, ['example.com/fixtures']);
    const page = await start(browser, view);
    await page.selectOption('#sample-type', '0');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'setSampleType'),
      [{ type: 'setSampleType', index: 0 }],
    );
    // The first row (sorted by flat) opens its file and line.
    const top = rowsOf(view.top).sort((a, b) => b.flat - a.flat)[0]!;
    await page.locator('#top-table tbody tr').first().click();
    let open = (await posted(page)).filter((m) => m.type === 'openSource');
    assert.deepEqual(open.at(-1), { type: 'openSource', file: top.file, line: top.line, name: top.name });
    // Sort by name, click the header: the first row changes accordingly.
    await page.locator('#top-table th', { hasText: 'name' }).click();
    const first = await page.locator('#top-table tbody tr td.name').first().textContent();
    assert.equal(first, [...view.top.name].sort((a, b) => a.localeCompare(b))[0]);
    // Zoom to a frame, then Enter opens its source at the frame's line.
    const d = view.flame;
    let fib = -1;
    for (let i = 1; i < d.nodeName.length; i++)
      if (
        d.names[d.nodeName[i]!] === 'example.com/fixtures/cpu/work.Fib' ||
        /work\.Fib$/.test(d.names[d.nodeName[i]!]!)
      ) {
        fib = i;
        break;
      }
    assert.ok(fib > 0);
    await clickNode(page, view, fib);
    await page.keyboard.press('Enter');
    open = (await posted(page)).filter((m) => m.type === 'openSource');
    assert.deepEqual(open.at(-1), {
      type: 'openSource',
      file: d.files[d.nodeFile[fib]!],
      line: d.nodeLine[fib],
      name: d.names[d.nodeName[fib]!],
    });
    // And the new data from the host replaces the view.
    await send(page, { type: 'update', view: wire(viewOf(cpu, 'cpu.pb.gz', 0)) });
    assert.equal(await page.inputValue('#sample-type'), '0');
    assert.equal(await page.getAttribute('#flame', 'data-sample-index'), '0');
    // Switching back to a view the page holds paints it at once, before the host answers; the
    // host then only names it.
    await page.selectOption('#sample-type', '1');
    assert.equal(await page.getAttribute('#flame', 'data-sample-index'), '1');
    await send(page, { type: 'show', key: 'cpu.pb.gz/0' });
    assert.equal(await page.getAttribute('#flame', 'data-sample-index'), '0');
    assert.equal(await page.inputValue('#sample-type'), '0');
    await page.close();
  });

  it('renders profile names that look like HTML as text', async () => {
    const evil = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', 'main.<b>bold</b>'];
    const p: Profile = {
      ...sample,
      functions: sample.functions.map((f, i) => ({ ...f, name: evil[i % evil.length]! + (i >= evil.length ? i : '') })),
    };
    const view = viewOf(p, '<img src=y onerror=alert(3)>.pb.gz', 1);
    const page = await start(browser, view);
    let dialogs = 0;
    page.on('dialog', () => dialogs++);
    await page.fill('#search', '<script>');
    await page.hover('#flame', { position: { x: 200, y: ROW * 1.5 } });
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('b').count(), 0);
    assert.equal(await page.locator('script').count(), 2, 'only the stub and the bundle');
    const names = await page.locator('#top-table td.name').allTextContents();
    for (const e of evil) assert.ok(names.includes(e), `${e} shown as text`);
    assert.equal(await page.locator('.title').textContent(), '<img src=y onerror=alert(3)>.pb.gz');
    assert.ok(
      await page.locator('#top-table td.name', { hasText: '<img src=x onerror=alert(1)>' }).first().isVisible(),
    );
    assert.equal(dialogs, 0);
    await page.close();
  });

  it('the top table is virtualised: 20,000 rows, no cap, few in the DOM, keyboard reaches the last row', async () => {
    const base = viewOf(cpu, 'cpu.pb.gz', 1);
    const n = 20_000;
    const rows: Row[] = Array.from({ length: n }, (_, i) => ({
      name: `example.com/gen.F${String(i).padStart(5, '0')}`,
      file: '/src/gen.go',
      line: i + 1,
      flat: n - i,
      cum: 2 * (n - i),
    }));
    const view = { ...base, top: tableOf(rows) };
    const page = await start(browser, view);
    assert.equal(await page.getAttribute('#top-table', 'data-rows'), String(n));
    const inDom = await page.locator('#top-table tbody tr:not(.spacer)').count();
    assert.ok(inDom > 5 && inDom < 120, `${inDom} rows in the DOM`);
    // Scroll to the end: the last row exists and is the smallest flat.
    await page.evaluate(() => {
      const s = document.querySelector('#top-scroll')!;
      s.scrollTop = s.scrollHeight;
    });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#top-table td.name')].some((td) => td.textContent === 'example.com/gen.F19999'),
    );
    // Keyboard: Home, then End, then Enter opens the last row's source.
    await page.locator('#top-table tbody tr:not(.spacer)').first().focus();
    await page.keyboard.press('Home');
    assert.equal(
      await page.evaluate(() => document.activeElement?.querySelector('td.name')?.textContent),
      'example.com/gen.F00000',
    );
    await page.keyboard.press('End');
    assert.equal(
      await page.evaluate(() => document.activeElement?.querySelector('td.name')?.textContent),
      'example.com/gen.F19999',
    );
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'openSource').at(-1), {
      type: 'openSource',
      file: '/src/gen.go',
      line: n,
      name: 'example.com/gen.F19999',
    });
    // Sorting all 20,000 rows by name ascending puts F00000 first; sum% of the last row is 100%.
    await page.locator('#top-table th', { hasText: 'name' }).click();
    await page.evaluate(() => {
      document.querySelector('#top-scroll')!.scrollTop = 0;
    });
    await page.waitForFunction(
      () =>
        document.querySelector('#top-table tbody tr:not(.spacer) td.name')?.textContent === 'example.com/gen.F00000',
    );
    await page.close();
  });

  it('beside an editor (a 480 px panel) the table keeps room for the function names', async () => {
    const view = viewOf(cpu, 'cpu.pb.gz', 1);
    const page = await openWebview(browser, 'dark', 480);
    await page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    await send(page, { type: 'init', view: wire(view) });
    await page.waitForFunction(() => document.querySelector('#top-table td.name') !== null);
    const widths = await page.evaluate(() => {
      const cells = [...document.querySelectorAll('#top-table tbody tr:not(.spacer)')][0]!.querySelectorAll('td');
      return {
        name: cells[cells.length - 1]!.getBoundingClientRect().width,
        table: document.querySelector('#top-table')!.getBoundingClientRect().width,
        headers: [...document.querySelectorAll('#top-table th')]
          .filter((th) => th.getBoundingClientRect().width > 0)
          .map((th) => th.textContent),
      };
    });
    assert.ok(widths.name >= 250, `name column ${widths.name}px of ${widths.table}px`);
    // Flat and cum, as the call tree at this width (the user trial: flat% left names 40% of the row).
    assert.deepEqual(
      widths.headers.map((h) => h?.replace(/[^a-z%]/g, '')),
      ['flat', 'cum', 'name'],
    );
    await page.close();
  });

  it("a tall graph in an 808 px high panel scrolls in its own area: the top table's header and first rows are in view", async () => {
    const heap = parseProfile(readFileSync(sharedPath('pprof-testdata/profile/testdata/java.heap')));
    const view = viewOf(heap, 'java.heap', 1);
    assert.ok(view.top.name.length > 10);
    for (const width of [480, 1100]) {
      const page = await openWebview(browser, 'light', width);
      await page.setViewportSize({ width, height: 808 });
      await page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
      );
      await send(page, { type: 'init', view: wire(view) });
      await page.waitForFunction(() => document.querySelector('#top-table tbody tr:not(.spacer)') !== null);
      const at = await page.evaluate(() => ({
        canvas: document.querySelector('#flame')!.getBoundingClientRect().height,
        tree: document.querySelector('#flame-wrap')!.scrollHeight,
        wrap: document.querySelector('#flame-wrap')!.getBoundingClientRect().height,
        rows: [...document.querySelectorAll('#top-table tbody tr:not(.spacer)')].map(
          (r) => r.getBoundingClientRect().bottom,
        ),
      }));
      assert.ok(at.rows.length >= 3 && at.rows[2]! <= 808, `${width} px: the rows end at y=${at.rows.join(', ')}`);
      assert.ok(at.tree > at.wrap, `the graph (${at.tree} px) is taller than its area (${at.wrap} px)`);
      // The canvas is the area's size (it draws the rows in view), not the tree's.
      assert.ok(Math.abs(at.canvas - at.wrap) <= 1, `canvas ${at.canvas} px in an area of ${at.wrap} px`);
      // The graph's lower rows are reached by scrolling its area; they are drawn and a frame there is still hit.
      const top = await page.locator('#flame-wrap').evaluate((w) => ((w.scrollTop = w.scrollHeight), w.scrollTop));
      await page.waitForFunction((t) => document.querySelector('#flame')!.getAttribute('data-top') === String(t), top);
      const cw = await page.evaluate(() => document.querySelector('#flame-wrap')!.clientWidth);
      const b = layout(view.flame, { zoom: 0, width: cw, rowHeight: ROW, orientation: 'icicle' });
      let deep = -1;
      for (let k = 0; k < b.count; k++) if (b.w[k]! >= 4 && (deep < 0 || b.y[k]! > b.y[deep]!)) deep = k;
      const c = (await page.locator('#flame').boundingBox())!;
      await page.mouse.move(c.x + b.x[deep]! + b.w[deep]! / 2, c.y + b.y[deep]! - top + ROW / 2);
      const name = view.flame.names[view.flame.nodeName[b.node[deep]!]!]!;
      assert.ok((await page.locator('#tooltip').textContent())!.startsWith(name));
      // A scroll moves other frames under the pointer at rest: the tooltip goes (trial: it kept the old name).
      await page.mouse.wheel(0, -3 * ROW);
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#tooltip')!.hidden);
      // The keyboard walks down the graph: its area scrolls to keep the selected frame in view.
      await page.locator('#flame-wrap').evaluate((w) => (w.scrollTop = 0));
      await page.locator('#flame').focus();
      let sel = 0;
      for (let n = 0; n < 45; n++) {
        await page.keyboard.press('ArrowDown');
        if (view.flame.subtree[sel]! > 1) sel++;
      }
      const k = [...b.node].indexOf(sel);
      const seen = await page.evaluate(() => {
        const w = document.querySelector('#flame-wrap')!;
        return { top: w.scrollTop, height: w.clientHeight };
      });
      assert.ok(
        b.y[k]! >= seen.top && b.y[k]! + ROW <= seen.top + seen.height,
        `row y=${b.y[k]} in ${JSON.stringify(seen)}`,
      );
      // Inverted, scrolled down: the bottom-up tree opens at its root's row (trial: at the old offset).
      await page.locator('#flame-wrap').evaluate((w) => (w.scrollTop = w.scrollHeight));
      await page.click('#inverted');
      const up = viewOf(heap, 'java.heap', 1);
      await send(page, {
        type: 'update',
        view: {
          ...wire({ ...up, flame: buildFlame(heap, { sampleIndex: 1, reverse: true }) }),
          key: 'h/up/1',
          inverted: true,
        },
      });
      await page.waitForFunction(() => document.querySelector('#flame')!.getAttribute('data-inverted') === 'true');
      assert.equal(await page.locator('#flame-wrap').evaluate((w) => w.scrollTop), 0);
      await page.close();
    }
  });

  it('the orientation toggle (icicle → flame) brings the root row, now at the bottom, into view', async () => {
    const heap = parseProfile(readFileSync(sharedPath('pprof-testdata/profile/testdata/java.heap')));
    const view = viewOf(heap, 'java.heap', 1);
    const page = await openWebview(browser, 'light', 480);
    await page.setViewportSize({ width: 480, height: 808 });
    await page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    await send(page, { type: 'init', view: wire(view) });
    await page.waitForFunction(() => document.querySelector('#top-table tbody tr:not(.spacer)') !== null);
    const rootRow = () =>
      page.evaluate((row) => {
        // The tree's rows in client coordinates: the area's top, scrolled by its scrollTop.
        const area = document.querySelector('#flame-wrap')!;
        const w = area.getBoundingClientRect();
        const treeTop = w.top - area.scrollTop;
        const flame = document.querySelector('#orientation')!.textContent === 'Flame';
        const top = flame ? treeTop + area.scrollHeight - row : treeTop;
        const under = document.querySelector('header')!.getBoundingClientRect().bottom;
        return {
          top,
          inArea: top >= w.top - 1 && top + row <= w.bottom + 1,
          inWindow: top >= under && top + row <= innerHeight,
        };
      }, ROW);
    for (const want of ['Flame', 'Icicle']) {
      await page.click('#orientation');
      assert.equal(await page.locator('#orientation').textContent(), want);
      const r = await rootRow();
      assert.ok(r.inArea && r.inWindow, `${want}: the root row at y=${r.top}: ${JSON.stringify(r)}`);
      // and it is the root: its tooltip says so
      const c = (await page.locator('#flame').boundingBox())!;
      await page.mouse.move(c.x + 20, r.top + ROW / 2);
      assert.match((await page.locator('#tooltip').textContent())!, /^all/);
    }
    await page.close();
  });

  it('draws no tooltip box until the pointer is over a frame, and hides it again', async () => {
    const view = viewOf(cpu, 'cpu.pb.gz', 1);
    const page = await start(browser, view);
    assert.equal(await page.locator('#tooltip').isVisible(), false, 'no empty box at start');
    await page.hover('#flame', { position: { x: 200, y: ROW * 1.5 } });
    assert.equal(await page.locator('#tooltip').isVisible(), true);
    assert.match((await page.locator('#tooltip').textContent())!, /runtime\.main.*cum/);
    await page.mouse.move(5, 880);
    assert.equal(await page.locator('#tooltip').isVisible(), false);
    // Below the last row of frames (no frame there): still no box.
    const h = (await page.locator('#flame').boundingBox())!;
    await page.mouse.move(h.x + h.width - 3, h.y + h.height - 3);
    assert.equal(await page.locator('#tooltip').isVisible(), false);
    await page.close();
  });

  it('restores zoom, selection, search, sort, orientation and table scroll from the saved state', async () => {
    const many: Row[] = Array.from({ length: 500 }, (_, i) => ({
      name: `main.f${i}`,
      file: '/src/m.go',
      line: i + 1,
      flat: i,
      cum: 1000 - i,
    }));
    const view = { ...viewOf(sample, 'sample.cpu', 1), top: tableOf(many) };
    const d = view.flame;
    let target = -1;
    for (let i = 1; i < d.nodeName.length; i++)
      if (d.depth[i] === 3 && (target < 0 || d.weight[i]! > d.weight[target]!)) target = i;
    const names = pathTo(d, target).map((i) => (i === 0 ? 'all' : d.names[d.nodeName[i]!]!));
    const page = await start(browser, view);
    await clickNode(page, view, target);
    await page.locator('#flame').focus();
    await page.keyboard.press('ArrowDown'); // select the first child, inside the zoom
    const selected = await page.getAttribute('#flame', 'data-selected');
    assert.ok(selected && selected !== names.at(-1));
    serveSearches(page, () => ({ key: view.key, names: view.flame.names }));
    await page.fill('#search', 'runtime');
    await page.click('#orientation');
    await page.locator('#top-table th.sortable', { hasText: 'cum' }).click();
    await page.evaluate(() => {
      document.querySelector('#top-scroll')!.scrollTop = 30 * 20;
    });
    await page.waitForTimeout(400); // state is saved after a short pause
    const state = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
    await page.close();
    // The panel comes back (hidden and shown, or a window reload): VS Code gives it its state again.
    const again = await start(browser, view, 'light', state);
    serveSearches(again, () => ({ key: view.key, names: view.flame.names }));
    await again.waitForFunction(() => /matched/.test(document.querySelector('#search-info')?.textContent ?? ''));
    assert.equal(await again.getAttribute('#flame', 'data-zoom'), names.at(-1));
    assert.equal(await again.getAttribute('#flame', 'data-selected'), selected);
    assert.deepEqual(await again.locator('#breadcrumbs .crumb').allTextContents(), names);
    assert.equal(await again.inputValue('#search'), 'runtime');
    assert.match((await again.locator('#search-info').textContent())!, /matched/);
    assert.equal(await again.locator('#orientation').textContent(), 'Flame');
    assert.match((await again.locator('#top-table th.sortable', { hasText: 'cum' }).textContent())!, /▾/);
    assert.equal(await again.evaluate(() => document.querySelector('#top-scroll')!.scrollTop), 600);
    assert.equal(
      await again.locator('#top-table tbody tr:not(.spacer) td.name').first().textContent(),
      'main.f20',
      'rows 30.. in view (10 rows of overscan above)',
    );
    await again.close();
  });

  it('shows the host placeholder (no profile after a reload) instead of an error, then the profile when it comes', async () => {
    const page = await openWebview(browser, 'dark');
    await send(page, {
      type: 'empty',
      message: 'No profile is loaded. Open one with "pprof: Open Profile" and the flame graph shows it here.',
    });
    assert.match((await page.locator('#notice').textContent())!, /No profile is loaded/);
    assert.equal(await page.locator('#top-scroll').isVisible(), false);
    assert.equal(await page.locator('#tooltip').isVisible(), false);
    await send(page, { type: 'init', view: wire(viewOf(cpu, 'cpu.pb.gz', 1)) });
    await page.waitForFunction(() => Number(document.querySelector('#flame')?.getAttribute('data-frames')) > 1);
    assert.equal(await page.locator('#notice').isVisible(), false);
    assert.equal(await page.locator('#top-scroll').isVisible(), true);
    await page.close();
  });

  it('says when the tree was cut to its limits', async () => {
    const view = viewOf(sample, 'sample.cpu', 1);
    const cut = { ...view, flame: buildFlame(sample, { sampleIndex: 1, maxNodes: 10 }) };
    const page = await start(browser, cut);
    assert.match((await page.locator('#notice').textContent())!, /^Showing the heaviest 10 of \d+ frames/);
    assert.equal(await page.locator('#notice').isVisible(), true);
    // It is the flame tree's (and the call tree's) limit, not the sandwich's or the labels'.
    for (const [key, shown] of [
      ['3', false],
      ['4', false],
      ['2', true],
      ['1', true],
    ] as const) {
      await page.keyboard.press(key);
      assert.equal(await page.locator('#notice').isVisible(), shown, `view ${key}`);
    }
    await page.close();
  });

  it("the first-paint tree (partial) says nothing of its cut; the whole tree's limits come with it", async () => {
    // The trial: "Showing the heaviest 4,000 of 400,281 frames" flashed, then "120,000 of 400,281".
    const view = viewOf(sample, 'sample.cpu', 1);
    const first = { ...view, partial: true as const, flame: buildFlame(sample, { sampleIndex: 1, maxNodes: 5 }) };
    const page = await start(browser, first);
    assert.equal(await page.locator('#notice').isVisible(), false, 'no notice on the first-paint tree');
    const before = await page.getAttribute('#flame', 'data-painted-at');
    await send(page, {
      type: 'update',
      view: wire({ ...view, flame: buildFlame(sample, { sampleIndex: 1, maxNodes: 12 }) }),
    });
    await page.waitForFunction((b) => document.querySelector('#flame')?.getAttribute('data-painted-at') !== b, before);
    assert.match((await page.locator('#notice').textContent())!, /^Showing the heaviest 12 of \d+ frames/);
    assert.equal(await page.locator('#notice').isVisible(), true);
    await page.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`screenshot (${theme})`, async () => {
      const view = viewOf(cpu, 'cpu.pb.gz', 1, ['example.com/fixtures']);
      const page = await start(browser, view, theme);
      await page.hover('#flame', { position: { x: 300, y: ROW * 4.5 } });
      const file = path.join(repoRoot(), 'docs', 'screenshots', `flame-${theme}.png`);
      await page.screenshot({ path: file, fullPage: false });
      assert.ok(readFileSync(file).length > 10_000);
      await page.close();
    });
  }
});
