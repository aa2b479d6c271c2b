/**
 * The flame graph's bar (the breadcrumbs and the legend) in narrow panels, in Debian's Chromium
 * (user trial): the zoomed frame's crumb showed without its first characters when the path
 * scrolled, and in a 300–360 px panel the legend was cut off (and the crumbs had no width left).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseProfile } from '../../src/core/decode';
import { compareProfiles } from '../../src/core/diff';
import { buildFlame } from '../../src/core/flame';
import type { Profile } from '../../src/core/model';
import { type FlameData, packFlame, pathTo } from '../../src/shared/flame';
import type { ViewModel } from '../../src/shared/protocol';
import { repoRoot } from '../unit/helpers/shared';
import { launch, openWebview, send } from './page';

const cpu = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));

function viewOf(p: Profile, extra: { compare?: string } = {}): ViewModel & { flame: FlameData } {
  return {
    key: 'cpu.pb.gz/1',
    title: 'cpu.pb.gz',
    sampleTypes: p.sampleTypes,
    sampleIndex: 1,
    filters: [],
    modules: ['example.com/fixtures'],
    flame: buildFlame(p, { sampleIndex: 1 }),
    top: { name: [], file: [], line: [], flat: [], cum: [] },
    ...extra,
  };
}

/** A panel `width` px wide showing `view`, zoomed to `zoomPath` as after a reload (the first draw). */
async function open(browser: Browser, width: number, view: ViewModel & { flame: FlameData }, zoomPath: string[] = []) {
  const saved = { orientation: 'icicle', zoomPath, search: '', sort: 'flat', sortDesc: true };
  const page = await openWebview(browser, 'dark', width, saved);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
  );
  await send(page, { type: 'init', view: { ...view, flame: packFlame(view.flame) } });
  await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-frames') !== null);
  return page;
}

/** Where a crumb (the focused one, else the last) is in the crumbs' box, after the next frame. */
async function crumbInBox(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{
        name: string;
        left: number;
        right: number;
        boxLeft: number;
        boxRight: number;
        height: number;
        scrollLeft: number;
        focused: boolean;
      }>((resolve) =>
        requestAnimationFrame(() => {
          const nav = document.querySelector('#breadcrumbs') as HTMLElement;
          const focused = nav.contains(document.activeElement) && document.activeElement !== nav;
          const c = (focused ? document.activeElement : [...nav.querySelectorAll('.crumb')].pop())!;
          const r = c.getBoundingClientRect();
          const box = nav.getBoundingClientRect();
          resolve({
            name: c.textContent!,
            left: r.left,
            right: r.right,
            boxLeft: box.left,
            boxRight: box.right,
            height: box.height,
            scrollLeft: nav.scrollLeft,
            focused,
          });
        }),
      ),
  );
}

/** The heaviest frame `depth` deep. */
function heaviestAt(d: FlameData, depth: number): number {
  let k = -1;
  for (let i = 1; i < d.nodeName.length; i++) if (d.depth[i] === depth && (k < 0 || d.weight[i]! > d.weight[k]!)) k = i;
  assert.ok(k > 0);
  return k;
}
/** Frame i's names from the root's child down (a saved zoomPath). */
const namePath = (d: FlameData, i: number) =>
  pathTo(d, i)
    .slice(1)
    .map((j) => d.names[d.nodeName[j]!]!);

function assertWhole(c: Awaited<ReturnType<typeof crumbInBox>>, what: string): void {
  assert.ok(c.left >= c.boxLeft - 0.5, `${what}: ${c.name}'s first character is in view (${c.left} < ${c.boxLeft})`);
  assert.ok(c.right <= c.boxRight + 0.5, `${what}: ${c.name} ends in view (${c.right} > ${c.boxRight})`);
  assert.equal(c.height, 22, `${what}: the crumbs are one line`);
}

describe('the flame graph bar in narrow panels, in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  const view = viewOf(cpu);
  const d = view.flame;
  const nameOf = (i: number) => (i === 0 ? 'all' : d.names[d.nodeName[i]!]!);
  // The heaviest frame 8 deep: main.fibPhase then work.Fib (38 characters, long crumbs) over and over.
  const deep = heaviestAt(d, 8);
  const deepPath = namePath(d, deep);

  for (const width of [220, 480, 700]) {
    it(`${width} px: the zoomed frame's crumb shows from its first character, the earlier ones scroll away; Tab shows each crumb whole`, async () => {
      const page = await open(browser, width, view, deepPath);
      assert.equal(await page.locator('#flame').getAttribute('data-zoom'), nameOf(deep));
      // Zoomed on the first draw (a reload), then through a crumb (the frame's parent).
      let c = await crumbInBox(page);
      assertWhole(c, 'restored zoom');
      assert.ok(c.scrollLeft > 0, 'the path is scrolled: the crumbs before the last are what is cut');
      // The cut shows: the line fades in at its left (not a name starting mid-word), and the crumb
      // in view keeps clear of the fade.
      assert.equal(await page.locator('#breadcrumbs.cut-left').count(), 1, 'the cut edge fades');
      assert.ok(c.left >= c.boxLeft + 24, `${c.name} clear of the fade (${c.left - c.boxLeft} px in)`);
      const crumbs = page.locator('#breadcrumbs .crumb');
      assert.equal(await crumbs.count(), deepPath.length + 1);
      await crumbs.nth(deepPath.length - 1).click();
      assert.equal(await page.locator('#flame').getAttribute('data-zoom'), deepPath[deepPath.length - 2]);
      c = await crumbInBox(page);
      assertWhole(c, 'zoom through a crumb');
      assert.ok(c.scrollLeft > 0);
      // Shift+Tab from the graph walks the crumbs back to "all": each comes whole into view.
      await page.locator('#flame').focus();
      const seen: string[] = [];
      for (;;) {
        await page.keyboard.press('Shift+Tab');
        c = await crumbInBox(page);
        if (!c.focused) break;
        assertWhole(c, `crumb ${seen.length} from the end focused`);
        seen.push(c.name);
      }
      assert.deepEqual(seen, ['all', ...deepPath.slice(0, -1)].reverse());
      await page.close();
    });
  }

  it('a path that fits is not scrolled and does not fade', async () => {
    const page = await open(browser, 1100, view, deepPath.slice(0, 2));
    const c = await crumbInBox(page);
    assert.equal(c.scrollLeft, 0);
    assert.equal(await page.locator('#breadcrumbs.cut-left').count(), 0);
    await page.close();
  });

  it('200 and 300 px: the view tabs wrap whole, each label on one line (as high as a one-line button)', async () => {
    for (const width of [200, 300]) {
      const page = await open(browser, width, view);
      const one = await page.$eval('#inverted', (b) => b.getBoundingClientRect().height);
      const tabs = await page.$$eval('#view-tabs .tab', (bs) =>
        bs.map((b) => ({ text: b.textContent!, h: b.getBoundingClientRect().height })),
      );
      assert.equal(tabs.length, 4);
      for (const t of tabs) assert.ok(t.h <= one + 0.5, `${width} px: ${t.text} is ${t.h} px high, one line ${one}`);
      await page.close();
    }
  });

  it('Enter on a crumb zooms to its frame and keeps the focus on its crumb, now the last, whole in view', async () => {
    const page = await open(browser, 480, view, deepPath);
    await page.locator('#flame').focus();
    for (let k = 0; k < 3; k++) await page.keyboard.press('Shift+Tab'); // the third crumb from the end
    const target = deepPath[deepPath.length - 3]!;
    assert.equal((await crumbInBox(page)).name, target);
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#flame').getAttribute('data-zoom'), target);
    const c = await crumbInBox(page);
    assert.ok(c.focused, 'a crumb still has the focus');
    assert.equal(c.name, target);
    assert.equal(await page.locator('#breadcrumbs .crumb').last().textContent(), target, 'it is the last crumb');
    assertWhole(c, 'after Enter');
    await page.close();
  });

  const leak = (f: string) => parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles', f)));
  const compared = viewOf(compareProfiles(leak('leak_after.pb.gz'), leak('leak_before.pb.gz'), 'base'), {
    compare: 'Δ vs leak_before.pb.gz (-base)',
  });
  for (const [width, v, legend] of [
    [300, view, 'profile'],
    [330, view, 'profile'],
    [360, view, 'profile'],
    [300, compared, 'comparison'],
    [360, compared, 'comparison'],
  ] as const) {
    it(`${width} px, a ${legend}: the legend goes under the crumbs, every item whole; the crumbs keep the panel's width, one line; a zoom does not move the canvas`, async () => {
      const page = await open(browser, width, v, namePath(v.flame, heaviestAt(v.flame, 3)));
      const bar = await page.evaluate(() => {
        const legend = document.querySelector('#legend') as HTMLElement;
        const nav = document.querySelector('#breadcrumbs')!.getBoundingClientRect();
        const body = getComputedStyle(document.body);
        return {
          contentLeft: parseFloat(body.paddingLeft),
          contentRight: document.body.clientWidth - parseFloat(body.paddingRight),
          crumbs: { width: nav.width, height: nav.height, bottom: nav.bottom },
          legend: { top: legend.getBoundingClientRect().top, overflows: legend.scrollWidth > legend.clientWidth },
          items: [...legend.querySelectorAll<HTMLElement>('.legend-item')].map((e) => {
            const r = e.getBoundingClientRect();
            const y = r.top + r.height / 2;
            return {
              text: e.textContent!,
              left: r.left,
              right: r.right,
              cut: e.scrollWidth > e.clientWidth,
              // The topmost element at its first and last character is the item's own: it is not clipped.
              shown:
                e.contains(document.elementFromPoint(r.left + 1, y)) &&
                e.contains(document.elementFromPoint(r.right - 1, y)),
            };
          }),
        };
      });
      assert.equal(bar.items.length, legend === 'profile' ? 4 : 5);
      assert.ok(!bar.legend.overflows, 'nothing overflows the legend');
      for (const item of bar.items) {
        assert.ok(
          item.left >= bar.contentLeft - 0.5 && item.right <= bar.contentRight + 0.5,
          `${item.text} is in the panel`,
        );
        assert.ok(!item.cut && item.shown, `${item.text} shows whole`);
      }
      assert.ok(bar.legend.top >= bar.crumbs.bottom, 'the legend is on a line under the crumbs');
      assert.ok(
        bar.crumbs.width >= bar.contentRight - bar.contentLeft - 0.5,
        `the crumbs have the panel's width (${bar.crumbs.width})`,
      );
      assert.equal(bar.crumbs.height, 22, 'the crumbs are one line');
      // Zoom out to "all" (one short crumb): the canvas stays put.
      const y0 = (await page.locator('#flame').boundingBox())!.y;
      await page.locator('#breadcrumbs .crumb').first().click();
      assert.equal(await page.locator('#flame').getAttribute('data-zoom'), 'all');
      assert.equal((await page.locator('#flame').boundingBox())!.y, y0, 'the canvas stays where it was');
      await page.close();
    });
  }

  it('a wide panel keeps the legend beside the crumbs, the bar one line', async () => {
    const page = await open(browser, 1100, view, namePath(view.flame, heaviestAt(view.flame, 8)));
    const bar = await page.evaluate(() => ({
      bar: document.querySelector('.bar')!.getBoundingClientRect().height,
      crumbs: document.querySelector('#breadcrumbs')!.getBoundingClientRect().toJSON() as DOMRect,
      legend: document.querySelector('#legend')!.getBoundingClientRect().toJSON() as DOMRect,
    }));
    assert.equal(bar.bar, 30);
    assert.ok(bar.legend.left > bar.crumbs.right && bar.legend.top < bar.crumbs.bottom, 'side by side');
    await page.close();
  });
});
