/**
 * The flame graph's bar (the breadcrumbs and the legend) in narrow panels, in Debian's Chromium
 * (user trial): in a 300–360 px panel the legend was cut off, and the crumbs had no width left.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
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
  const saved = {
    orientation: 'icicle',
    zoomPath,
    search: '',
    sort: 'flat',
    sortDesc: true,
  };
  const page = await openWebview(browser, 'dark', width, saved);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
  );
  await send(page, {
    type: 'init',
    view: { ...view, flame: packFlame(view.flame) },
  });
  await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-frames') !== null);
  return page;
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
          legend: {
            top: legend.getBoundingClientRect().top,
            overflows: legend.scrollWidth > legend.clientWidth,
          },
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
