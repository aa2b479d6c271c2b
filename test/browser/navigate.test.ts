/**
 * The flame panel's navigation in Debian's Chromium, fed as the host feeds it from real profiles:
 * the Labels tab (pprof -tags numbers from core/labels, a click sets tagfocus, Group by pivots),
 * diff shading of a comparison (widths from the new profile, before/after/delta in the tooltip),
 * the editor cursor's frames and table row (editor → graph) and its toggle, Go-regexp search
 * answered by the host, and names with bidi controls shown as plain text. Screenshots of the
 * Labels tab, the diff and the cursor highlight in light, dark and high-contrast go to docs/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseProfile } from '../../src/core/decode';
import { compareProfiles } from '../../src/core/diff';
import { buildFlame } from '../../src/core/flame';
import { labelsReport } from '../../src/core/labels';
import { ProfileOps } from '../../src/worker/ops';
import type { Profile } from '../../src/core/model';
import { reportTotal, topReport } from '../../src/core/report';
import { type FlameData, packFlame } from '../../src/shared/flame';
import type { TopTable, ViewModel } from '../../src/shared/protocol';
import { scaledLabel } from '../../src/shared/units';
import { layout } from '../../webview/flame/layout';
import { repoRoot } from '../unit/helpers/shared';
import { serveSearches } from './host';
import { launch, openWebview, posted, send, type ThemeName, topColumns } from './page';

const ROW = 18;
const FIX = path.join(repoRoot(), 'test/fixtures/profiles');
const load = (f: string) => parseProfile(readFileSync(path.join(FIX, f)));

function tableOf(p: Profile, sampleIndex: number): TopTable {
  const rows = topReport(p, { sampleIndex, nodeFraction: 0, granularity: 'functions' }).rows;
  return topColumns(rows);
}
type TestView = ViewModel & { flame: FlameData };
function viewOf(p: Profile, title: string, sampleIndex: number, extra: Partial<ViewModel> = {}): TestView {
  return {
    key: `${title}/${sampleIndex}`,
    title,
    sampleTypes: p.sampleTypes,
    sampleIndex,
    filters: [],
    modules: ['example.com/fixtures'],
    flame: buildFlame(p, { sampleIndex }),
    top: tableOf(p, sampleIndex),
    ...extra,
  } as TestView;
}

async function start(browser: Browser, view: TestView, theme: ThemeName = 'light'): Promise<Page> {
  const page = await openWebview(browser, theme, 1100);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
  );
  await send(page, { type: 'init', view: { ...view, flame: packFlame(view.flame) } });
  await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-frames') !== null);
  return page;
}

const postedOf = async (page: Page, type: string) => (await posted(page)).filter((m) => m.type === type);
const shot = (name: string) => path.join(repoRoot(), 'docs', 'screenshots', name);

describe('flame panel navigation in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('Labels tab: -tags values and shares, a click sets tagfocus, Group by posts the -tagroot pivot', async () => {
    const p = load('labels.pb.gz');
    const si = p.sampleTypes.findIndex((t) => t.type === 'cpu');
    const view = viewOf(p, 'labels.pb.gz', si);
    const page = await start(browser, view);
    await page.click('#tab-labels');
    assert.equal(await page.locator('#flame-wrap').isVisible(), false, 'the graph is hidden on the Labels tab');
    await page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'requestLabels'),
    );
    const report = labelsReport(p, { sampleIndex: si });
    await send(page, { type: 'labels', key: view.key, report });
    await page.waitForSelector('.label-value');
    assert.deepEqual(await page.locator('.label-value').allTextContents(), ['/api/users', '/api/orders', '/healthz']);
    // pprof -tags: 970.0ms (80.83%) /api/users, 150.0ms (12.50%), 80.0ms (6.67%).
    const cells = await page
      .locator('.labels-table tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td.num')].map((td) => td.textContent)));
    assert.deepEqual(cells, [
      ['970ms', '80.83%'],
      ['150ms', '12.50%'],
      ['80ms', '6.67%'],
    ]);
    await page.locator('.label-value', { hasText: '/api/orders' }).click();
    assert.deepEqual(
      (await postedOf(page, 'setTagFocus')).map((m) => m.value),
      ['handler=^/api/orders$'],
    );
    await page.selectOption('#pivot', 'handler');
    assert.deepEqual(
      (await postedOf(page, 'setPivot')).map((m) => m.keys),
      [['handler']],
    );
    // The Flame graph tab goes back from the Labels page.
    await page.click('#tab-graph');
    assert.ok(await page.locator('#flame-wrap').isVisible());
    assert.equal(await page.locator('#labels').isVisible(), false);
    await page.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`Labels tab screenshot with a numeric histogram (heap bytes, ${theme})`, async () => {
      const p = load('heap.pb.gz');
      const si = p.sampleTypes.findIndex((t) => t.type === 'inuse_space');
      const view = viewOf(p, 'heap.pb.gz', si);
      const page = await start(browser, view, theme);
      await page.click('#tab-labels');
      await send(page, { type: 'labels', key: view.key, report: labelsReport(p, { sampleIndex: si }) });
      await page.waitForSelector('.label-value');
      // A histogram: by size, smallest first.
      assert.deepEqual((await page.locator('.label-value').allTextContents()).slice(0, 4), ['8B', '16B', '32B', '80B']);
      assert.match((await page.locator('#labels h2').first().textContent())!, /numeric, bytes/);
      await page.screenshot({ path: shot(`labels-${theme}.png`) });
      await page.close();
    });
  }

  it('diff shading: widths from the new profile, tooltips with before, after and delta', async () => {
    const before = load('leak_before.pb.gz');
    const after = load('leak_after.pb.gz');
    const si = after.sampleTypes.findIndex((t) => t.type === 'inuse_space');
    // The tree as the worker builds it for the panel (both sides kept: ProfileOps.treeSource).
    const { ops } = ProfileOps.derive(
      after,
      0,
      { profile: before, name: 'leak_before.pb.gz', mode: 'base', normalize: false },
      undefined,
      {},
      () => {},
      0,
    );
    const r = ops.flame({ sampleIndex: si });
    const view: TestView = {
      ...viewOf(compareProfiles(after, before, 'base'), 'leak_after.pb.gz', si, {
        compare: 'Δ vs leak_before.pb.gz (-base)',
      }),
      flame: r.flame,
      top: r.top,
    };
    const page = await start(browser, view);
    // Hover the root ("all"): before and after are the two profiles' totals.
    const box = (await page.locator('#flame').boundingBox())!;
    await page.mouse.move(box.x + 300, box.y + ROW / 2);
    await page.waitForSelector('#tooltip:not([hidden])');
    const tip = (await page.locator('#tooltip').textContent())!;
    const unit = after.sampleTypes[si]!.unit;
    const b = scaledLabel(reportTotal(before, si), unit, 'minimum');
    const a = scaledLabel(reportTotal(after, si), unit, 'minimum');
    assert.ok(tip.includes(`before ${b} → after ${a}`), tip);
    assert.match(tip, /delta [+-]/);
    // Widths from the new profile: a frame only the base has is not drawn; a frame's width is its
    // share of the new profile.
    const afterTree = buildFlame(after, { sampleIndex: si });
    const width = await page.evaluate(() => document.querySelector('#flame-wrap')!.clientWidth);
    const nameAt = (d: FlameData, i: number) => d.names[d.nodeName[i]!];
    const first = afterTree.nodeName.length > 1 ? 1 : 0;
    const expectW = (afterTree.weight[first]! / afterTree.weight[0]!) * width;
    // The same frame in the compared tree, laid out by the page's rule (weight + total) / 2.
    const d = view.flame;
    let j = -1;
    for (let i = 1; i < d.nodeName.length; i += d.subtree[i]!) if (nameAt(d, i) === nameAt(afterTree, first)) j = i;
    assert.ok(j > 0);
    const afterOf = (i: number) => (d.weight[i]! + d.total[i]!) / 2;
    const gotW = (afterOf(j) / afterOf(0)) * width;
    assert.ok(Math.abs(gotW - expectW) < 0.5, `${gotW} vs ${expectW}`);
    await page.mouse.move(box.x + 5, box.y + ROW * 1.5);
    await page.waitForFunction(
      (n) => (document.querySelector('#tooltip')?.textContent ?? '').includes(n),
      nameAt(afterTree, first)!,
    );
    // The table: Δ columns, sorted by the size of the change as pprof does (then the largest shrink first).
    const cum = Array.from(view.top.cum);
    const header = page.locator('#top-table th.sortable', { hasText: 'Δ cum' });
    await header.click();
    const firstName = () => page.locator('#top-table tbody tr:not(.spacer) td.name').first().textContent();
    const abs = cum.map(Math.abs);
    assert.equal(await firstName(), view.top.name[abs.indexOf(Math.max(...abs))]);
    await header.click();
    assert.equal(await firstName(), view.top.name[cum.indexOf(Math.min(...cum))]);
    for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
      const pg = theme === 'light' ? page : await start(browser, view, theme);
      await pg.mouse.move(box.x + 5, box.y + ROW * 2.5);
      await pg.waitForSelector('#tooltip:not([hidden])');
      await pg.screenshot({ path: shot(`flame-diff-${theme}.png`) });
      if (pg !== page) await pg.close();
    }
    await page.close();
  });

  it("a comparison's top table opens in pprof -top -base's order, its sum% pprof's (signed flat down the table)", async () => {
    const before = load('cpu.pb.gz');
    const after = load('labels.pb.gz');
    const si = 1;
    const { ops } = ProfileOps.derive(
      after,
      0,
      { profile: before, name: 'cpu.pb.gz', mode: 'base', normalize: false },
      undefined,
      {},
      () => {},
      0,
    );
    const r = ops.flame({ sampleIndex: si });
    const view: TestView = {
      ...viewOf(compareProfiles(after, before, 'base'), 'labels.pb.gz', si, { compare: 'Δ vs cpu.pb.gz (-base)' }),
      flame: r.flame,
      top: r.top,
    };
    const out = execFileSync(
      'go',
      [
        'tool',
        'pprof',
        '-symbolize=none',
        '-top',
        '-nodefraction=0',
        '-nodecount=100000',
        '-base',
        'cpu.pb.gz',
        'labels.pb.gz',
      ],
      { cwd: FIX, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    // "flat flat% sum% cum cum% name": the name, and sum% (the only column whose value depends on the order).
    const want = out
      .split('\n')
      .filter((l) => /^\s+(-?[\d.]+\w*|0)\s+\S+%/.test(l))
      .map((l) => {
        const f = l.trim().split(/\s+/);
        return {
          sum: f[2]!,
          name: f
            .slice(5)
            .join(' ')
            .replace(/ \(inline\)$/, ''),
        };
      });
    assert.ok(
      want.some((w, k) => k > 0 && w.sum < want[k - 1]!.sum),
      'pprof output has a shrink among the first rows',
    );
    const page = await start(browser, view);
    const got = await page.evaluate(() =>
      [...document.querySelectorAll('#top-table tbody tr:not(.spacer)')].map((tr) => {
        const td = tr.querySelectorAll('td');
        return { sum: td[2]!.textContent!, name: td[5]!.title.split('\n')[0]! };
      }),
    );
    const n = Math.min(got.length, want.length, 15);
    assert.ok(n >= 10, `${n} rows`);
    assert.deepEqual(got.slice(0, n), want.slice(0, n));
    await page.close();
  });

  it('editor → graph: the cursor marks its function and line in the graph and the table, < 30 ms; toggle off', async () => {
    const p = load('cpu.pb.gz');
    const view = viewOf(p, 'cpu.pb.gz', 1);
    const page = await start(browser, view);
    const d = view.flame;
    const fn = 'example.com/fixtures/internal/work.Hash';
    const nameIdx = d.names.indexOf(fn);
    const nodeNames = Array.from(d.nodeName);
    const nodes = nodeNames.filter((n) => n === nameIdx).length;
    assert.ok(nodes > 0);
    const lineNode = nodeNames.indexOf(nameIdx);
    const file = d.files[d.nodeFile[lineNode]!]!;
    await send(page, { type: 'cursor', cursor: { file, line: 1, func: fn } });
    await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-cursor') !== null);
    assert.equal(Number(await page.getAttribute('#flame', 'data-cursor-frames')), nodes);
    const ms = Number(await page.getAttribute('#flame', 'data-cursor-ms'));
    // Message → marks, redraw and table rows; the better of two moves (a busy machine stalls one).
    await send(page, { type: 'cursor', cursor: { file, line: 2, func: fn } });
    await page.waitForFunction((f) => document.querySelector('#flame')?.getAttribute('data-cursor') === `${f}:2`, fn);
    const ms2 = Number(await page.getAttribute('#flame', 'data-cursor-ms'));
    assert.ok(Math.min(ms, ms2) < 30, `${ms} / ${ms2} ms`);
    assert.deepEqual(await page.locator('#top-table tr.cursor td.name').allTextContents(), [fn]);
    // The marked row is scrolled into view in the table.
    const rowBox = (await page.locator('#top-table tr.cursor').boundingBox())!;
    const scrollBox = (await page.locator('#top-scroll').boundingBox())!;
    assert.ok(rowBox.y >= scrollBox.y && rowBox.y + rowBox.height <= scrollBox.y + scrollBox.height + 1);
    // The outline is drawn: a pixel on the frame's edge has the outline colour.
    const width = await page.evaluate(() => document.querySelector('#flame-wrap')!.clientWidth);
    const b = layout(d, { zoom: 0, width, rowHeight: ROW, orientation: 'icicle' });
    let k = -1;
    for (let q = 0; q < b.count; q++) if (d.nodeName[b.node[q]!] === nameIdx && (k < 0 || b.w[q]! > b.w[k]!)) k = q;
    // Along the frame's top edge, the outline's blue (#0050c0) over the green of "your module".
    const blue = await page.evaluate(
      ([x, y, w]) => {
        const data = document
          .querySelector<HTMLCanvasElement>('#flame')!
          .getContext('2d')!
          .getImageData(x!, y!, w!, 2).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4)
          if (data[i + 2]! > data[i]! + 80 && data[i + 2]! > data[i + 1]! + 40) n++;
        return n;
      },
      [Math.round(b.x[k]!), Math.round(b.y[k]! + 1), Math.max(1, Math.round(b.w[k]!))],
    );
    assert.ok(blue > b.w[k]! / 2, `${blue} outline pixels along ${b.w[k]} px`);
    await page.screenshot({ path: shot('flame-cursor-light.png') });
    // The line alone: the frames whose source line is the cursor's get the strong outline.
    await send(page, { type: 'cursor', cursor: { file, line: d.nodeLine[lineNode]!, func: null } });
    await page.waitForFunction(
      (l) => document.querySelector('#flame')?.getAttribute('data-cursor') === `:${l}`,
      d.nodeLine[lineNode]!,
    );
    assert.ok(Number(await page.getAttribute('#flame', 'data-cursor-frames')) >= 1, 'frames at the line');
    // Toggle off: nothing marked; the state keeps it.
    await page.click('#follow-editor');
    assert.equal(await page.locator('#follow-editor').getAttribute('aria-pressed'), 'false');
    assert.equal(await page.locator('#top-table tr.cursor').count(), 0);
    await page.waitForTimeout(300);
    const st = await page.evaluate(() => (window as unknown as { __state: { followEditor: boolean } }).__state);
    assert.equal(st.followEditor, false);
    await page.close();
  });

  it('search is a Go regexp answered by the host; text that is not one is searched literally', async () => {
    const p = load('cpu.pb.gz');
    const view = viewOf(p, 'cpu.pb.gz', 1);
    const page = await start(browser, view);
    serveSearches(page, () => ({ key: view.key, names: view.flame.names }));
    await page.fill('#search', '(?i)WORK\\.HASH\\z');
    await page.waitForFunction(() => /frames|no match/.test(document.querySelector('#search-info')?.textContent ?? ''));
    assert.match((await page.locator('#search-info').textContent())!, /^1 frames · matched/);
    await page.fill('#search', 'Hash(?=x)');
    await page.waitForFunction(() => /as text/.test(document.querySelector('#search-info')?.textContent ?? ''));
    assert.match((await page.locator('#search-info').textContent())!, /no match \(searched as text: not a Go regexp\)/);
    await page.close();
  });

  it('names with bidi controls are drawn and shown without them', async () => {
    const p = load('cpu.pb.gz');
    const evil = 'main.\u202eevil\u202c';
    const q: Profile = { ...p, functions: p.functions.map((f) => (f.name === 'main.main' ? { ...f, name: evil } : f)) };
    const view = viewOf(q, 'cpu.pb.gz', 1);
    const page = await start(browser, view);
    const names = await page.locator('#top-table td.name').allTextContents();
    assert.ok(names.includes('main.evil'));
    assert.ok(!names.some((n) => /[\u202a-\u202e]/.test(n)));
    const box = (await page.locator('#flame').boundingBox())!;
    await page.mouse.move(box.x + 300, box.y + ROW * 2.5); // main.main's row (root, runtime.main, main.main)
    await page.waitForSelector('#tooltip:not([hidden])');
    const tip = (await page.locator('#tooltip .tt-name').textContent())!;
    assert.equal(tip, 'main.evil');
    await page.close();
  });
});
