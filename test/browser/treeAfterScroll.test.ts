/**
 * The call tree after a scrolled flame graph (trial4, the 700k heap): in Inverted the flame graph
 * is taller than the panel and the user scrolls the page down it; pressing 2 (or Call tree) showed
 * the tree's box with an empty band, its rows above the panel's top (y = -295) until a scroll.
 * Checked on a generated Go heap profile's inverted tree: after the switch, the tree's box and
 * its first rows are in view and rows fill the box.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { generateGoHeapProfile } from '../../bench/generate';
import { parseProfile } from '../../src/core/decode';
import { buildFlame } from '../../src/core/flame';
import { topReport } from '../../src/core/report';
import { packFlame } from '../../src/shared/flame';
import type { ViewModel } from '../../src/shared/protocol';
import { launch, openWebview, send, topColumns } from './page';

const p = parseProfile(generateGoHeapProfile({ samples: 40_000 }));
const si = 1;
const rows = topReport(p, { sampleIndex: si, nodeFraction: 0, granularity: 'functions' }).rows;
const view: ViewModel = {
  key: '1/up/1',
  title: 'heap.pb.gz',
  sampleTypes: p.sampleTypes,
  sampleIndex: si,
  filters: [],
  modules: ['example.com/shop'],
  flame: packFlame(buildFlame(p, { sampleIndex: si, reverse: true })),
  top: topColumns(rows),
  inverted: true,
};

describe('the call tree after scrolling the inverted flame graph, in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launch();
    page = await openWebview(browser, 'dark', 480, { inverted: true });
    await page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    await send(page, { type: 'init', view });
    await page.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('#flame')?.height) > 0);
  });
  after(async () => browser?.close());

  for (const how of ['key 2', 'Call tree button'])
    it(`${how}: the tree's rows are in view at once`, async () => {
      await page.keyboard.press('1');
      const tall = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
      assert.ok(tall > 300, `the flame graph is taller than the panel (${tall} px more)`);
      await page.mouse.move(200, 300);
      // The graph scrolls in its own area first, then the page (scroll chaining).
      for (let k = 0; k < 40 && (await page.evaluate(() => window.scrollY)) <= 300; k++) {
        await page.mouse.wheel(0, 200);
        await page.waitForTimeout(30);
      }
      await page.waitForFunction(() => window.scrollY > 300);
      // Wheel scrolling is animated: wait until it has settled, or its last steps land after the switch.
      for (let prev = -1, y = await page.evaluate(() => window.scrollY); y !== prev;) {
        await page.waitForTimeout(120);
        [prev, y] = [y, await page.evaluate(() => window.scrollY)];
      }
      if (how === 'key 2') await page.keyboard.press('2');
      else await page.click('button:has-text("Call tree")');
      await page.waitForFunction(() => !document.querySelector('#tree-section')?.hasAttribute('hidden'));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const g = await page.evaluate(() => {
        const box = document.querySelector('#tree-scroll')!.getBoundingClientRect();
        const row = document.querySelector('#call-tree tbody tr:not(.spacer)')!.getBoundingClientRect();
        return { boxTop: box.top, boxBottom: box.bottom, rowTop: row.top, vh: window.innerHeight };
      });
      assert.ok(g.boxTop >= 0 && g.boxTop < g.vh, `the tree's box in view: ${JSON.stringify(g)}`);
      assert.ok(g.rowTop >= g.boxTop && g.rowTop < g.boxBottom, `its first row in its box: ${JSON.stringify(g)}`);
    });
});
