/**
 * The panel's layout when it is half the window (beside the editor): in the call tree and the top
 * table the package path gives way first (an ellipsis in the middle) and the function's own name
 * stays whole, the full name in the cell's title; a part that gives way shows a few characters
 * before its ellipsis or none, at any width; the sandwich's "Callees ↓" label sits between
 * the two trees; one menu item for pprof's -hide, whose chip says what it does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseProfile } from '../../src/core/decode';
import { buildFlame } from '../../src/core/flame';
import type { Profile } from '../../src/core/model';
import { topReport } from '../../src/core/report';
import { buildSandwich } from '../../src/core/sandwich';
import { type FlameData, packFlame } from '../../src/shared/flame';
import type { ViewModel } from '../../src/shared/protocol';
import { MIN_SHOWN, splitName, splitTail } from '../../webview/nameCell';
import { repoRoot } from '../unit/helpers/shared';
import { launch, openWebview, posted, send, topColumns } from './page';

const cpu = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));
const HASH = 'example.com/fixtures/internal/work.Hash';

function viewOf(p: Profile, si: number, filters: string[] = []): ViewModel {
  const rows = topReport(p, { sampleIndex: si, nodeFraction: 0, granularity: 'functions' }).rows;
  const flame: FlameData = buildFlame(p, { sampleIndex: si });
  return {
    key: `1/down/${si}/${filters.join(',')}`,
    title: 'cpu.pb.gz',
    sampleTypes: p.sampleTypes,
    sampleIndex: si,
    filters,
    modules: ['example.com/fixtures'],
    flame: packFlame(flame),
    top: topColumns(rows),
  } as ViewModel;
}

async function start(browser: Browser, width: number): Promise<Page> {
  const page = await openWebview(browser, 'light', width);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
  );
  await send(page, { type: 'init', view: viewOf(cpu, 1) });
  await page.waitForFunction(() => document.querySelector('#sample-type option') !== null);
  return page;
}

/** Every name cell of `name`: whether it shows its function's own name whole and cuts (only) the path. */
async function cellsOf(page: Page, selector: string, name: string) {
  return page.evaluate(
    ({ selector, name }) =>
      [...document.querySelectorAll<HTMLElement>(selector)]
        .filter((t) => t.title.split('\n')[0]!.replace(/ \(inline\)$/, '') === name)
        .map((td) => {
          const head = td.querySelector<HTMLElement>('.fname-head');
          const tail = td.querySelector<HTMLElement>('.fname-tail')!;
          return {
            title: td.title,
            text: td.textContent,
            headCut: head ? head.scrollWidth > head.clientWidth + 1 : false,
            // Drawn whole (no ellipsis of its own) and inside the cell's visible box.
            tailWhole:
              tail.scrollWidth <= tail.clientWidth + 1 &&
              tail.getBoundingClientRect().right <= td.getBoundingClientRect().right + 1,
            tailText: tail.textContent,
          };
        }),
    { selector, name },
  );
}

/**
 * The name cells of `selector` whose parts draw badly: a part that gives way (the path, the
 * package and receiver, " (inline)") cut to fewer than MIN_SHOWN characters before its ellipsis
 * ("e…", "m…", " …") instead of none, or the function's own name cut or outside its cell.
 */
async function badNames(page: Page, selector: string): Promise<{ rows: number; cut: number; bad: string[] }> {
  // Two frames: the page fits the names to their cells' widths before painting (a ResizeObserver).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(
    ({ selector, min }) => {
      const bad: string[] = [];
      let rows = 0;
      let cut = 0;
      const range = document.createRange();
      const width = (t: Text, end: number) => {
        range.setStart(t, 0);
        range.setEnd(t, end);
        return range.getBoundingClientRect().width;
      };
      const ctx = document.createElement('canvas').getContext('2d')!;
      for (const td of document.querySelectorAll<HTMLElement>(selector)) {
        const own = td.querySelector<HTMLElement>('.fname-own');
        if (!own) continue;
        rows++;
        const name = td.title.split('\n')[0]!;
        const o = own.getBoundingClientRect();
        const ownText = own.firstChild as Text;
        const ownWidth = width(ownText, ownText.length);
        // The room for the name: from its start to the cell's padding.
        const end = td.getBoundingClientRect().right - parseFloat(getComputedStyle(td).paddingRight);
        const room = end - td.querySelector('.fname')!.getBoundingClientRect().left;
        const ownCut = ownWidth > o.width + 1 || o.right > end + 1;
        // Whole wherever it fits; cut only when nothing else shows.
        if (ownCut && ownWidth <= room - 1) bad.push(`${name}: its own name is cut in ${room.toFixed(1)} px`);
        for (const part of td.querySelectorAll<HTMLElement>('.fname-head, .fname-qual, .fname-suffix')) {
          const t = part.firstChild as Text;
          const w = part.getBoundingClientRect().width;
          if (width(t, t.length) <= w + 1) continue; // whole
          cut++;
          if (w < 0.5) continue; // hidden
          if (ownCut) bad.push(`${name}: its own name is cut before ${part.className}`);
          const cs = getComputedStyle(part);
          ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          // The characters drawn before the ellipsis: those that fit beside it.
          let shown = 0;
          while (shown < t.length && width(t, shown + 1) <= w - ctx.measureText('…').width + 0.5) shown++;
          if (shown < min)
            bad.push(
              `${name}: ${part.className} shows ${JSON.stringify(t.data.slice(0, shown))}… (${w.toFixed(1)} px)`,
            );
        }
      }
      return { rows, cut, bad: [...new Set(bad)] };
    },
    { selector, min: MIN_SHOWN },
  );
}

describe('panel layout in Chromium: names in narrow tables, sandwich labels, -hide', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('splits a Go name after the last slash outside brackets', () => {
    assert.deepEqual(splitName(HASH), ['example.com/fixtures/internal/', 'work.Hash']);
    assert.deepEqual(splitName('main.(*hub).pump'), ['', 'main.(*hub).pump']);
    assert.deepEqual(splitName('example.com/m/p.F[go.shape.struct { a/b }]'), [
      'example.com/m/',
      'p.F[go.shape.struct { a/b }]',
    ]);
  });

  it("splits a name tail into the package and receiver, and the function's own name", () => {
    assert.deepEqual(splitTail('work.Hash'), ['work.', 'Hash']);
    assert.deepEqual(splitTail('main.(*hub).pump'), ['main.(*hub).', 'pump']);
    assert.deepEqual(splitTail('bytes.(*Buffer).WriteString'), ['bytes.(*Buffer).', 'WriteString']);
    assert.deepEqual(splitTail('main.crunch.func1'), ['main.', 'crunch.func1']);
    assert.deepEqual(splitTail('p.F[go.shape.struct { a.b }]'), ['p.', 'F[go.shape.struct { a.b }]']);
    assert.deepEqual(splitTail('runtime.mapassign_faststr'), ['runtime.', 'mapassign_faststr']);
    assert.deepEqual(splitTail('nodot'), ['', 'nodot']);
  });

  it("a quarter of a window (300 px): every function's own name shows whole; the path went first; no clipped underscores", async () => {
    const page = await start(browser, 300);
    // tsx names the helper functions below with __name: a no-op in the page.
    await page.evaluate('globalThis.__name = (f) => f');
    const check = async (selector: string) =>
      page.evaluate((selector) => {
        const bad: string[] = [];
        let rows = 0;
        let headGone = 0;
        for (const td of document.querySelectorAll<HTMLElement>(selector)) {
          const own = td.querySelector<HTMLElement>('.fname-own');
          if (!own) continue;
          rows++;
          const name = td.title.split('\n')[0]!;
          const box = td.getBoundingClientRect();
          const r = own.getBoundingClientRect();
          // The text's own width (clipped or not) against its box's.
          const natural = (e: HTMLElement) => {
            const range = document.createRange();
            range.selectNodeContents(e);
            return range.getBoundingClientRect().width;
          };
          const cut = (e: HTMLElement | null) => e !== null && natural(e) > e.getBoundingClientRect().width + 1;
          if (cut(own) || r.right > box.right + 1 || r.width < 1)
            bad.push(`${name}: own name cut (${r.width}/${natural(own)})`);
          const head = td.querySelector<HTMLElement>('.fname-head');
          const qual = td.querySelector<HTMLElement>('.fname-qual');
          // The package and receiver give way only once the path is gone, the own name last.
          if (cut(qual) && head && head.getBoundingClientRect().width > 1)
            bad.push(`${name}: receiver cut before the path`);
          if (!head || head.getBoundingClientRect().width <= 1) headGone++;
          // An underscore's ink below the baseline stays inside every box that clips it vertically.
          const mark = document.createElement('span');
          mark.style.display = 'inline-block';
          own.append(mark);
          const baseline = mark.getBoundingClientRect().bottom;
          mark.remove();
          const ctx = document.createElement('canvas').getContext('2d')!;
          const cs = getComputedStyle(own);
          ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const ink = baseline + ctx.measureText('_').actualBoundingBoxDescent;
          // Inside the cell nothing clips vertically (the line box is font-dependent: VS Code's font
          // cut the underscores off); the cell itself leaves room below the ink.
          for (let e: HTMLElement | null = own; e && e !== td; e = e.parentElement)
            if (getComputedStyle(e).overflowY !== 'visible') bad.push(`${name}: ${e.className} clips vertically`);
          if (td.getBoundingClientRect().bottom < ink - 0.5) bad.push(`${name}: the cell cuts an underscore's ink`);
        }
        return { bad, rows, headGone };
      }, selector);
    // The top table.
    await page.keyboard.press('1');
    const top = await check('#top-table td.name');
    assert.ok(top.rows > 10, `${top.rows} rows`);
    await page.screenshot({ path: path.join(repoRoot(), 'docs/screenshots/top-table-quarter.png') });
    assert.deepEqual(top.bad, []);
    assert.ok(top.headGone > 0, 'some paths gave way entirely');
    // The call tree, every level open.
    await page.keyboard.press('2');
    const first = page.locator('#call-tree tbody tr:not(.spacer)').first();
    await first.focus();
    await page.keyboard.press('*');
    await page.waitForFunction(() => document.querySelectorAll('#call-tree tbody tr:not(.spacer)').length > 3);
    await page.screenshot({ path: path.join(repoRoot(), 'docs/screenshots/call-tree-quarter.png') });
    const tree = await check('#call-tree td.name');
    assert.ok(tree.rows > 10, `${tree.rows} rows`);
    assert.deepEqual(tree.bad, []);
    await page.close();
  });

  it('panels of 300 to 500 px and a narrow name column: a cut path, package or receiver shows three characters or more before its ellipsis, or none', async () => {
    const page = await start(browser, 300);
    await page.evaluate('globalThis.__name = (f) => f');
    await page.keyboard.press('2');
    await page.locator('#call-tree tbody tr:not(.spacer)').first().focus();
    await page.keyboard.press('*');
    await page.waitForFunction(() => document.querySelectorAll('#call-tree tbody tr:not(.spacer)').length > 3);
    const seen = { tree: 0, top: 0 };
    // Every 10 px from a quarter of a window to half of one; the call tree's indents differ per row.
    for (let width = 300; width <= 500; width += 10) {
      await page.setViewportSize({ width, height: 900 });
      for (const [selector, which] of [
        ['#call-tree td.name', 'tree'],
        ['#top-table td.name', 'top'],
      ] as const) {
        const r = await badNames(page, selector);
        assert.ok(r.rows > 10, `${selector} at ${width} px: ${r.rows} rows`);
        assert.deepEqual(r.bad, [], `${selector} at ${width} px`);
        seen[which] += r.cut;
      }
    }
    assert.ok(seen.tree > 50 && seen.top > 20, `names were cut: ${JSON.stringify(seen)}`);
    // A wide panel whose name column is made narrow (the number columns wider), 7 px (a character) at a time.
    await page.setViewportSize({ width: 900, height: 900 });
    for (const [selector, mode] of [
      ['#top-table', '1'],
      ['#call-tree', '2'],
    ] as const) {
      await page.keyboard.press(mode);
      let cut = 0;
      for (let nameWidth = 60; nameWidth <= 300; nameWidth += 7) {
        await page.evaluate(
          ({ selector, nameWidth }) => {
            const table = document.querySelector<HTMLElement>(selector)!;
            const ths = [...table.querySelectorAll<HTMLElement>('thead th')].filter((th) => th.offsetWidth > 0);
            const numbers = ths.slice(0, -1);
            for (const th of numbers) th.style.width = `${(table.clientWidth - nameWidth) / numbers.length}px`;
          },
          { selector, nameWidth },
        );
        const r = await badNames(page, `${selector} td.name`);
        assert.deepEqual(r.bad, [], `${selector} with a name column of ${nameWidth} px`);
        cut += r.cut;
      }
      assert.ok(cut > 20, `${selector}: ${cut} names cut`);
      // The column as wide as before: every part that was hidden shows again.
      await page.evaluate((selector) => {
        for (const th of document.querySelectorAll<HTMLElement>(`${selector} thead th`)) th.style.width = '';
      }, selector);
      const wide = await badNames(page, `${selector} td.name`);
      assert.deepEqual({ ...wide, rows: 0 }, { rows: 0, cut: 0, bad: [] }, `${selector}: whole names again`);
    }
    await page.close();
  });

  it('half a window: the call tree and the top table keep the function name whole, the path shrinks', async () => {
    const page = await start(browser, 480);
    // The call tree, every level open.
    await page.keyboard.press('2');
    const first = page.locator('#call-tree tbody tr:not(.spacer)').first();
    await first.focus();
    await page.keyboard.press('*');
    await page.waitForFunction(() => document.querySelectorAll('#call-tree tbody tr:not(.spacer)').length > 3);
    const tree = await cellsOf(page, '#call-tree td.name', HASH);
    assert.equal(tree.length, 1, 'work.Hash (inline) in the call tree');
    assert.equal(tree[0]!.title, `${HASH} (inline)`, 'the title holds the whole name');
    assert.equal(tree[0]!.text?.replace(/^[▸▾]/, ''), `${HASH} (inline)`);
    assert.equal(tree[0]!.tailText, 'work.Hash');
    assert.equal(tree[0]!.tailWhole, true, 'the function name is not cut');
    assert.equal(tree[0]!.headCut, true, 'the path gives way (ellipsis)');
    // 20 levels of recursion deep, work.Fib still shows whole: the indent is capped.
    const fib = await cellsOf(page, '#call-tree td.name', 'example.com/fixtures/internal/work.Fib');
    assert.ok(fib.length >= 20, `${fib.length} Fib rows`);
    for (const f of fib) assert.equal(f.tailWhole, true, 'work.Fib whole at every depth');
    // Only flat, cum and cum% beside the names at this width.
    assert.equal(await page.locator('#call-tree th:nth-child(2)').isVisible(), false);
    await page.screenshot({ path: path.join(repoRoot(), 'docs/screenshots/call-tree-narrow.png') });
    // The top table.
    await page.keyboard.press('1');
    const top = await cellsOf(page, '#top-table td.name', HASH);
    assert.equal(top.length, 1, 'work.Hash in the top table');
    assert.equal(top[0]!.text, HASH);
    assert.equal(top[0]!.tailWhole, true);
    // Flat and cum beside the names (the trial: at ~480 px flat% left names 40% of the row, and
    // main.(*productsHandler).ServeHTTP.func1 read "mai…ServeHTTP.fun…").
    assert.deepEqual(
      await page.$$eval('#top-table thead th', (ths) =>
        ths.filter((t) => (t as HTMLElement).offsetWidth > 0).map((t) => t.textContent),
      ),
      ['flat ▾', 'cum', 'name'],
    );
    const share = await page.$eval('#top-table', (t) => {
      const name = t.querySelector('thead th:last-child') as HTMLElement;
      return name.offsetWidth / (t as HTMLElement).offsetWidth;
    });
    assert.ok(share > 0.6, `the name column has ${(share * 100).toFixed(0)}% of the row`);
    await page.close();
  });

  it('the sandwich: "Callers ↑" above the callers, "Callees ↓" between the two trees', async () => {
    const page = await start(browser, 1100);
    await send(page, { type: 'showSandwich', name: HASH });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#sandwich')?.hidden === false);
    const req = (await posted(page)).find((m) => m.type === 'requestSandwich');
    assert.ok(req);
    const s = buildSandwich(cpu, { sampleIndex: 1, func: HASH });
    await send(page, {
      type: 'sandwich',
      sandwich: {
        key: '1/down/1/',
        func: s.func,
        flat: s.flat,
        cum: s.cum,
        callers: packFlame(s.callers),
        callees: packFlame(s.callees),
      },
    });
    await page.waitForFunction(() => document.querySelector('#sandwich-callees')?.getAttribute('data-frames'));
    const labels = page.locator('.sandwich-label');
    const [callersL, calleesL] = [await labels.nth(0).boundingBox(), await labels.nth(1).boundingBox()];
    const up = (await page.locator('#sandwich-callers').boundingBox())!;
    const down = (await page.locator('#sandwich-callees').boundingBox())!;
    assert.match((await labels.nth(0).textContent())!, /^Callers ↑/);
    assert.match((await labels.nth(1).textContent())!, /^Callees ↓/);
    assert.ok(callersL!.y + callersL!.height <= up.y + 1, 'Callers ↑ above the callers');
    assert.ok(calleesL!.y >= up.y + up.height - 1, 'Callees ↓ below the callers');
    assert.ok(calleesL!.y + calleesL!.height <= down.y + 1, 'Callees ↓ above the callees');
    await page.close();
  });

  it("a newly loaded profile's sandwich opens on its own heaviest function, not the previous profile's", async () => {
    const page = await start(browser, 1100);
    await send(page, { type: 'showSandwich', name: HASH });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#sandwich')?.hidden === false);
    // Another profile (the host numbers each loaded profile: the key's first part).
    const heap = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/heap.pb.gz')));
    const hv = viewOf(heap, 1);
    const other = { ...hv, key: hv.key.replace(/^1\//, '2/'), title: 'heap.pb.gz' };
    const before = (await posted(page)).length;
    await send(page, { type: 'init', view: other });
    await page.waitForFunction(
      (n) =>
        (window as unknown as { __posted: { type: string }[] }).__posted
          .slice(n)
          .some((m) => m.type === 'requestSandwich'),
      before,
    );
    const asked = (await posted(page)).slice(before).filter((m) => m.type === 'requestSandwich');
    const heaviest = other.top.name[0];
    assert.deepEqual(
      asked.map((m) => m.name),
      [heaviest],
      'the new profile asks for its own heaviest function only',
    );
    assert.notEqual(heaviest, HASH);
    assert.equal(await page.locator('#sandwich-title').textContent(), heaviest);
    // The same profile again (another sample type): the chosen function stays.
    await send(page, { type: 'showSandwich', name: 'runtime.mallocgc' });
    const n = (await posted(page)).length;
    await send(page, { type: 'update', view: { ...viewOf(heap, 0), key: '2/down/0/' } });
    await page.waitForFunction(
      (n) =>
        (window as unknown as { __posted: { type: string }[] }).__posted
          .slice(n)
          .some((m) => m.type === 'requestSandwich'),
      n,
    );
    const again = (await posted(page)).slice(n).filter((m) => m.type === 'requestSandwich');
    assert.deepEqual(
      again.map((m) => m.name),
      ['runtime.mallocgc'],
    );
    await page.close();
  });

  it('copying a row or a name from the call tree and the top table gives the whole name on one line', async () => {
    for (const width of [300, 900]) {
      const page = await start(browser, width);
      // What a copy puts on the clipboard: the page's own copy handler runs, then this listener reads it.
      const copy = (selector: string, what: 'row' | 'name') =>
        page.evaluate(
          ({ selector, what }) => {
            const td = [...document.querySelectorAll<HTMLElement>(selector)].find((t) =>
              t.title.startsWith('example.com/fixtures/internal/work.Hash'),
            )!;
            const range = document.createRange();
            if (what === 'row') range.selectNode(td.closest('tr')!);
            else range.selectNodeContents(td.querySelector('.fname')!);
            const sel = document.getSelection()!;
            sel.removeAllRanges();
            sel.addRange(range);
            let got = '';
            window.addEventListener('copy', (ev) => (got = ev.clipboardData!.getData('text/plain')), { once: true });
            document.execCommand('copy');
            return { got, browser: sel.toString() };
          },
          { selector, what },
        );
      await page.keyboard.press('2');
      await page.locator('#call-tree tbody tr:not(.spacer)').first().focus();
      await page.keyboard.press('*');
      for (const [selector, mode] of [
        ['#call-tree td.name', '2'],
        ['#top-table td.name', '1'],
      ] as const) {
        await page.keyboard.press(mode);
        const name = await copy(selector, 'name');
        const whole = /^example\.com\/fixtures\/internal\/work\.Hash( \(inline\))?$/;
        assert.match(name.got, whole, `${selector} at ${width}px: the name alone`);
        const row = await copy(selector, 'row');
        const cells = row.got.split('\t');
        assert.ok(!row.got.includes('\n'), `${selector} at ${width}px: one line: ${JSON.stringify(row.got)}`);
        assert.match(cells.at(-1)!, whole, `${selector} at ${width}px: the row ends with the name`);
        assert.match(cells[0]!, /^\d/, 'the row starts with its flat');
      }
      await page.close();
    }
  });

  it('the call tree: End and Home reach the last and first rows after levels were opened and closed', async () => {
    const page = await start(browser, 900);
    await page.setViewportSize({ width: 900, height: 500 });
    await page.keyboard.press('2');
    await page.locator('#call-tree tbody tr:not(.spacer)').first().focus();
    await page.keyboard.press('*');
    // Close and open a few levels (the rows that stay in view are reused), then the same view again.
    for (let k = 0; k < 4; k++) {
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowRight');
    }
    await page.waitForTimeout(400); // what is open is saved after a pause
    await send(page, { type: 'update', view: viewOf(cpu, 1) });
    await page.locator('#call-tree tbody tr:not(.spacer)').first().focus();
    const at = () =>
      page.evaluate(() => ({
        k: (document.activeElement as HTMLElement).dataset.k,
        rows: document.querySelector('#call-tree')!.getAttribute('data-rows'),
      }));
    await page.keyboard.press('End');
    const end = await at();
    assert.ok(Number(end.rows) > 20, `rows ${end.rows}`);
    assert.equal(end.k, String(Number(end.rows) - 1), 'End focuses the last row');
    await page.keyboard.press('Home');
    assert.equal((await at()).k, '0', 'Home focuses the first row');
    await page.close();
  });

  it('one menu item for -hide, named for both effects; its chip says the same', async () => {
    const page = await start(browser, 1100);
    await page.keyboard.press('2');
    const first = page.locator('#call-tree tbody tr:not(.spacer)').first();
    await first.click({ button: 'right' });
    const labels = await page.locator('#frame-menu .menu-item span:first-child').allTextContents();
    assert.deepEqual(
      labels.filter((l) => /hide|merge/i.test(l)),
      ['Hide frame (merge into callers)'],
    );
    await page.keyboard.press('Escape');
    await send(page, { type: 'update', view: viewOf(cpu, 1, ['hide=^runtime\\.main$']) });
    const chip = page.locator('.chip.filter', { hasText: 'hide=' });
    await chip.waitFor();
    assert.match((await chip.getAttribute('title'))!, /merged into their callers \(pprof -hide\)/);
    await page.close();
  });
});
