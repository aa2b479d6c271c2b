/**
 * The panel's views in Chromium, with the page playing against a host stand-in that answers as
 * FlamePanel does (the worker's core functions run here): the sandwich reached from a frame's
 * menu, the keyboard, a top-table row and the host (CodeLens, cursor), pivoting on a click; the
 * inverted tree and the sibling order; screenshots in docs/screenshots.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseProfile } from '../../src/core/decode';
import { filterProfile } from '../../src/core/filter';
import { buildFlame } from '../../src/core/flame';
import type { Profile } from '../../src/core/model';
import { topReport } from '../../src/core/report';
import { buildSandwich } from '../../src/core/sandwich';
import { collapseRecursion, exactName } from '../../src/core/transforms';
import { type FlameData, packFlame } from '../../src/shared/flame';
import type { ViewModel } from '../../src/shared/protocol';
import { percentage } from '../../src/shared/units';
import { layout } from '../../webview/flame/layout';
import { ordered, withoutRoot } from '../../webview/flame/order';
import { repoRoot } from '../unit/helpers/shared';
import { launch, openWebview, posted, send, type ThemeName, topColumns } from './page';

const ROW = 18;
const cpu = parseProfile(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));
const HASH = 'example.com/fixtures/internal/work.Hash';
const MIX = 'example.com/fixtures/internal/work.mix';

function viewOf(p: Profile, si: number, inverted = false): ViewModel & { flame: FlameData } {
  const rows = topReport(p, { sampleIndex: si, nodeFraction: 0, granularity: 'functions' }).rows;
  return {
    key: `1/${inverted ? 'up' : 'down'}/${si}`,
    title: 'cpu.pb.gz',
    sampleTypes: p.sampleTypes,
    sampleIndex: si,
    filters: [],
    modules: ['example.com/fixtures'],
    flame: buildFlame(p, { sampleIndex: si, reverse: inverted }),
    top: topColumns(rows),
    ...(inverted ? { inverted: true } : {}),
  };
}
const wire = (v: ViewModel & { flame: FlameData }): ViewModel => ({ ...v, flame: packFlame(v.flame) });

/** Answers the page's requests as the host does, until the page closes. */
function host(page: Page, p: Profile, si: number): void {
  let seen = 0;
  const tick = async () => {
    if (page.isClosed()) return;
    const all = await posted(page).catch(() => []);
    for (const m of all.slice(seen)) {
      if (m.type === 'requestSandwich') {
        // For the sample type the page asks for (its view's), as the host does.
        const at = typeof m.sampleIndex === 'number' ? m.sampleIndex : si;
        const s = buildSandwich(p, { sampleIndex: at, func: m.name as string });
        await send(page, {
          type: 'sandwich',
          sandwich: {
            key: `1/down/${at}`,
            func: s.func,
            flat: s.flat,
            cum: s.cum,
            ...(s.recursive ? { recursive: true } : {}),
            callers: packFlame(s.callers),
            callees: packFlame(s.callees),
          },
        });
      } else if (m.type === 'setInverted') {
        await send(page, { type: 'update', view: wire(viewOf(p, si, m.inverted as boolean)) });
      }
    }
    seen = all.length;
    setTimeout(() => void tick().catch(() => undefined), 20);
  };
  void tick();
}

async function start(browser: Browser, theme: ThemeName = 'light', state?: unknown, width = 1100): Promise<Page> {
  const page = await openWebview(browser, theme, width, state);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
  );
  await send(page, { type: 'init', view: wire(viewOf(cpu, 1)) });
  await page.waitForFunction(() => document.querySelector('#sample-type option') !== null);
  host(page, cpu, 1);
  return page;
}

/** Client point of the middle of the first box of `name` in the main flame graph (icicle). */
async function pointOf(page: Page, d: FlameData, name: string): Promise<{ x: number; y: number }> {
  const width = await page.evaluate(() => document.querySelector('#flame-wrap')!.clientWidth);
  const b = layout(d, { zoom: 0, width, rowHeight: ROW, orientation: 'icicle' });
  const k = [...b.node].findIndex((i) => i > 0 && d.names[d.nodeName[i]!] === name);
  assert.ok(k >= 0, `${name} drawn`);
  const box = (await page.locator('#flame').boundingBox())!;
  return { x: box.x + b.x[k]! + b.w[k]! / 2, y: box.y + b.y[k]! + ROW / 2 };
}

const sandwichOn = (page: Page, func: string) =>
  page.waitForFunction((f) => document.querySelector('#sandwich')?.getAttribute('data-func') === f, func);

describe('panel views in Chromium: sandwich, inverted, order', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  let closeAfter: Browser | undefined;
  afterEach(async () => {
    await closeAfter?.close();
    closeAfter = undefined;
  });

  it("a recursive function's sandwich: one Fib frame in its callees, and the summary says why", async () => {
    const fib = 'example.com/fixtures/internal/work.Fib';
    const page = await start(browser);
    await send(page, { type: 'showSandwich', name: fib });
    await sandwichOn(page, fib);
    // The page says it took the request: the host asks again after a re-created page's 'ready' until then.
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'shown'),
      [{ type: 'shown', request: 'showSandwich', name: fib }],
    );
    assert.match(
      (await page.locator('#sandwich-summary').textContent())!,
      /^cum 110ms \(7\.33%\) · flat 110ms \(7\.33%\) · .* its calls to itself are merged into one frame$/,
    );
    // The callees pane draws the pivot alone (Fib calls nothing else), not a column of Fib frames.
    assert.equal(await page.locator('#sandwich-callees').getAttribute('data-frames'), '1');
    await send(page, { type: 'showSandwich', name: HASH });
    await sandwichOn(page, HASH);
    assert.doesNotMatch((await page.locator('#sandwich-summary').textContent())!, /merged/);
    await page.close();
  });

  it('a sample-type switch on the sandwich asks for the new type and shows it, and back again (trial: stuck on "Finding…")', async () => {
    const page = await start(browser);
    // The page holds the other type's view too (a switch paints it before the host has switched).
    await send(page, { type: 'update', view: wire(viewOf(cpu, 0)) });
    await send(page, { type: 'update', view: wire(viewOf(cpu, 1)) });
    await send(page, { type: 'showSandwich', name: HASH });
    await sandwichOn(page, HASH);
    const summary = () => page.locator('#sandwich-summary').textContent();
    assert.match((await summary())!, /^cum 690ms/);
    for (const [index, want] of [
      [0, /^cum 69 \(46\.00%\)/], // samples: pprof -peek's count
      [1, /^cum 690ms/],
      [0, /^cum 69 \(46\.00%\)/],
    ] as const) {
      const n = (await posted(page)).length;
      await page.selectOption('#sample-type', String(index));
      await page.waitForFunction(
        (re) => new RegExp(re).test(document.querySelector('#sandwich-summary')?.textContent ?? ''),
        want.source,
      );
      assert.equal(await page.locator('#sandwich-status').textContent(), '', 'no "Finding…" left');
      const asked = (await posted(page)).slice(n).filter((m) => m.type === 'requestSandwich');
      for (const m of asked) assert.equal(m.sampleIndex, index, 'asked for the type shown');
    }
    await page.close();
  });

  it("a frame's context menu opens the sandwich: callers above, callees below, as core/sandwich counts them", async () => {
    const page = await start(browser);
    const view = viewOf(cpu, 1);
    const at = await pointOf(page, view.flame, HASH);
    await page.mouse.click(at.x, at.y, { button: 'right' });
    assert.equal(await page.locator('#frame-menu').isVisible(), true);
    assert.equal(await page.locator('#frame-menu .menu-title').textContent(), HASH);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Show callers and calleesS');
    await page.keyboard.press('Enter');
    await sandwichOn(page, HASH);
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'requestSandwich'),
      [{ type: 'requestSandwich', name: HASH, sampleIndex: 1 }],
    );
    assert.equal(await page.locator('#flame-section').isVisible(), false);
    assert.equal(await page.locator('#tab-sandwich').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#sandwich-title').textContent(), HASH);
    // 690ms through Hash (46.00%), 210ms flat: pprof -peek's numbers.
    assert.match(
      (await page.locator('#sandwich-summary').textContent())!,
      /^cum 690ms \(46\.00%\) · flat 210ms \(14\.00%\)/,
    );
    const s = buildSandwich(cpu, { sampleIndex: 1, func: HASH });
    const callees = withoutRoot(s.callees);
    const callers = withoutRoot(s.callers);
    assert.equal(await page.getAttribute('#sandwich-callees', 'data-frames'), String(callees.nodeName.length));
    assert.equal(await page.getAttribute('#sandwich-callers', 'data-frames'), String(callers.nodeName.length));
    // Callers are drawn upward: the function on the bottom row of the upper canvas.
    const up = (await page.locator('#sandwich-callers').boundingBox())!;
    const down = (await page.locator('#sandwich-callees').boundingBox())!;
    assert.ok(up.y + up.height <= down.y + 1, 'callers above callees');
    await page.screenshot({ path: path.join(repoRoot(), 'docs/screenshots/sandwich-light.png') });
    // A click on a callee pivots to it (work.mix, inlined into Hash: its callers are Hash).
    const width = await page.evaluate(() => document.querySelector('#sandwich-callees')!.clientWidth);
    const b = layout(callees, { zoom: 0, width, rowHeight: ROW, orientation: 'icicle' });
    const k = [...b.node].findIndex((i) => callees.names[callees.nodeName[i]!] === MIX);
    await page.mouse.click(down.x + b.x[k]! + b.w[k]! / 2, down.y + b.y[k]! + ROW / 2);
    await sandwichOn(page, MIX);
    assert.match((await page.locator('#sandwich-summary').textContent())!, /^cum 480ms \(32\.00%\)/);
    await page.close();
  });

  it("a frame's menu near the panel's right edge stays inside the page: its shortcut column whole, clear of the scrollbar", async () => {
    const withBars = await launch({ scrollbars: true });
    closeAfter = withBars;
    const page = await start(withBars, 'light', undefined, 480);
    await page.setViewportSize({ width: 480, height: 500 });
    const view = viewOf(cpu, 1);
    const at = await pointOf(page, view.flame, 'runtime.main');
    const vw = await page.evaluate(() => document.documentElement.clientWidth);
    assert.ok(vw < 480, 'the page has a vertical scrollbar');
    const c = (await page.locator('#flame').boundingBox())!;
    await page.mouse.click(c.x + c.width - 3, at.y, { button: 'right' });
    assert.equal(await page.locator('#frame-menu').isVisible(), true);
    const m = await page.evaluate(() => {
      const menu = document.querySelector('#frame-menu')!.getBoundingClientRect();
      return {
        left: menu.left,
        right: menu.right,
        hints: [...document.querySelectorAll('#frame-menu .menu-hint')].map((h) => {
          const r = h.getBoundingClientRect();
          return { text: h.textContent, right: r.right, height: r.height };
        }),
      };
    });
    assert.ok(m.left >= 0 && m.right <= vw, `menu ${m.left}..${m.right} in 0..${vw}`);
    for (const h of m.hints) {
      assert.ok(h.right <= m.right, `${h.text} ends at ${h.right}, the menu at ${m.right}`);
      assert.ok(h.height < 24, `${h.text} on one line (${h.height} px)`);
    }
    assert.deepEqual(
      m.hints.map((h) => h.text),
      ['S', '-focus', '-ignore', '-hide', '-show_from', 'Enter'],
    );
  });

  it('is reachable by keyboard: S on a frame and on a table row, 1 and 3 switch views, the menu by Shift+F10', async () => {
    const page = await start(browser);
    const view = viewOf(cpu, 1);
    const at = await pointOf(page, view.flame, 'main.countWords');
    await page.mouse.click(at.x, at.y); // zoom and select
    await page.keyboard.press('s');
    await sandwichOn(page, 'main.countWords');
    await page.keyboard.press('1');
    assert.equal(await page.locator('#flame-section').isVisible(), true);
    // The top table: focus its first row (the heaviest flat: work.mix), S.
    await page.locator('#top-table tbody tr:not(.spacer)').first().focus();
    await page.keyboard.press('s');
    await sandwichOn(page, MIX);
    // The menu from the keyboard on the callees canvas: Shift+F10, arrows, Escape gives the focus back.
    await page.locator('#sandwich-callees').focus();
    await page.keyboard.press('Shift+F10');
    assert.equal(await page.locator('#frame-menu').isVisible(), true);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#frame-menu').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sandwich-callees');
    // Tabs are a tab list: arrows move between them.
    await page.locator('#tab-sandwich').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#tab-labels').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#labels').isVisible(), true);
    assert.equal(await page.locator('#top-scroll').isVisible(), false);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#tab-graph').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#top-scroll').isVisible(), true);
    await page.close();
  });

  it('the host opens a sandwich (CodeLens, cursor) and the choice survives a reload', async () => {
    const page = await start(browser);
    await send(page, { type: 'showSandwich', name: 'main.main' });
    await sandwichOn(page, 'main.main');
    await page.waitForTimeout(300);
    const saved = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
    await page.close();
    const again = await start(browser, 'dark', saved);
    await sandwichOn(again, 'main.main');
    assert.equal(await again.locator('#tab-sandwich').getAttribute('aria-selected'), 'true');
    await again.screenshot({ path: path.join(repoRoot(), 'docs/screenshots/sandwich-dark.png') });
    await again.close();
  });

  it('Inverted asks the host for the bottom-up tree; the order toggle redraws siblings by name', async () => {
    const page = await start(browser);
    await page.click('#inverted');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'setInverted'),
      [{ type: 'setInverted', inverted: true }],
    );
    await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-inverted') === 'true');
    assert.equal(await page.getAttribute('#inverted', 'aria-pressed'), 'true');
    // Bottom-up: the root's children are the leaf functions, work.mix (the heaviest flat) first.
    const inv = viewOf(cpu, 1, true).flame;
    const width = await page.evaluate(() => document.querySelector('#flame-wrap')!.clientWidth);
    const heavy = layout(inv, { zoom: 0, width, rowHeight: ROW, orientation: 'icicle' });
    assert.equal(inv.names[inv.nodeName[heavy.node[1]!]!], MIX);
    await page.keyboard.press('o');
    assert.equal(await page.getAttribute('#flame', 'data-order'), 'name');
    assert.equal(await page.locator('#order').textContent(), 'By name');
    // By name, the leftmost child of the root is the alphabetically first leaf function.
    const byName = ordered(inv, 'name');
    const kids: number[] = [];
    for (let c = 1; c < inv.nodeName.length; c += inv.subtree[c]!) kids.push(c);
    const left = kids.reduce((a, c) => (byName.start[c]! < byName.start[a]! ? c : a));
    assert.equal(inv.names[inv.nodeName[left]!], kids.map((c) => inv.names[inv.nodeName[c]!]!).sort()[0]);
    const ms = Number(await page.evaluate(() => document.body.dataset.toggleMs));
    assert.ok(ms < 100, `order toggle redrawn in ${ms} ms`);
    await page.close();
  });

  it("bottom-up trees' tooltips (inverted graph, callers pane) show pprof's flat of the function; the callees pivot's own flat is it", async () => {
    const page = await start(browser);
    const rows = topReport(cpu, { sampleIndex: 1, nodeFraction: 0, granularity: 'functions' }).rows;
    const flatOf = new Map(rows.map((r) => [r.function || r.name, r.flat]));
    const total = viewOf(cpu, 1).flame.reportTotal;
    const flatText = (v: number) => `flat \\S+ \\(${percentage(v, total).trim().replace('.', '\\.')}\\)`;
    /** Hovers every box of d drawn on canvas `sel` whose self is not its function's flat; checks the tooltip. */
    const check = async (sel: string, d: FlameData, orientation: 'icicle' | 'flame', want: 'function' | 'self') => {
      const width = await page.evaluate((s) => document.querySelector(s)!.clientWidth, sel);
      const b = layout(ordered(d, 'heavy'), { zoom: 0, width, rowHeight: ROW, orientation });
      const box = (await page.locator(sel).boundingBox())!;
      let checked = 0;
      for (let k = 0; k < b.count && checked < 4; k++) {
        const i = b.node[k]!;
        const name = d.names[d.nodeName[i]!]!;
        if (i === 0 || b.w[k]! < 20 || d.self[i] === flatOf.get(name)) continue;
        await page.mouse.move(box.x + b.x[k]! + b.w[k]! / 2, box.y + b.y[k]! + ROW / 2);
        const text = (await page.locator('#tooltip').textContent())!;
        assert.ok(text.startsWith(name), `${text} is ${name}`);
        assert.match(
          text,
          new RegExp(flatText(want === 'function' ? flatOf.get(name)! : d.self[i]!)),
          `${sel}: ${text}`,
        );
        checked++;
      }
      return checked;
    };
    await page.click('#inverted');
    await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-inverted') === 'true');
    assert.ok((await check('#flame', viewOf(cpu, 1, true).flame, 'icicle', 'function')) > 0);
    await page.click('#inverted');
    await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-inverted') === 'false');
    await send(page, { type: 'showSandwich', name: HASH });
    await sandwichOn(page, HASH);
    const s = buildSandwich(cpu, { sampleIndex: 1, func: HASH });
    // Callers: drawn upward (the function on the bottom row).
    assert.ok((await check('#sandwich-callers', withoutRoot(s.callers), 'flame', 'function')) > 0);
    // Callees: top-down, a frame's own self is its flat on that path; the pivot's is the function's.
    const callees = withoutRoot(s.callees);
    assert.equal(callees.self[0], flatOf.get(HASH));
    const down = (await page.locator('#sandwich-callees').boundingBox())!;
    await page.mouse.move(down.x + 20, down.y + ROW / 2);
    assert.match(
      (await page.locator('#tooltip').textContent())!,
      new RegExp(`^${HASH}.*${flatText(flatOf.get(HASH)!)}`),
    );
    await page.close();
  });

  it('profile names in the sandwich and the menu stay text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const p: Profile = { ...cpu, functions: cpu.functions.map((f) => (f.name === HASH ? { ...f, name: evil } : f)) };
    const page = await openWebview(browser, 'light');
    await send(page, { type: 'init', view: wire(viewOf(p, 1)) });
    host(page, p, 1);
    await send(page, { type: 'showSandwich', name: evil });
    await sandwichOn(page, evil);
    assert.equal(await page.locator('#sandwich-title').textContent(), evil);
    await page.locator('#sandwich-callers').focus();
    await page.keyboard.press('Shift+F10');
    assert.equal(await page.locator('#frame-menu .menu-title').textContent(), evil);
    assert.equal(await page.locator('img').count(), 0);
    await page.close();
  });

  it('the call tree: rows open and close by keyboard with -tree numbers; 100,000 rows stay virtual', async () => {
    const page = await start(browser);
    await page.keyboard.press('2');
    assert.equal(await page.locator('#tree-section').isVisible(), true);
    const first = page.locator('#call-tree tbody tr:not(.spacer)').first();
    assert.equal(await first.locator('td.name').textContent(), '▸runtime.main');
    assert.deepEqual(await first.locator('td.num').allTextContents(), ['0', '0%', '1.50s', '100%']);
    await first.focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await first.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('*'); // main.main and everything below
    const names = await page.locator('#call-tree td.name').allTextContents();
    assert.ok(
      names.some((n) => n.endsWith('work.mix (inline)')),
      names.join('\n'),
    );
    await page.screenshot({ path: path.join(repoRoot(), 'docs/screenshots/calltree-light.png') });
    await page.keyboard.press('ArrowLeft'); // closes main.main
    assert.equal(await page.locator('#call-tree tbody tr:not(.spacer)').count(), 2);
    await page.close();

    // One function calling 100,000 others: opening it is one level.
    const n = 100_000;
    const N = n + 2;
    const big: FlameData = {
      names: ['main.big', ...Array.from({ length: n }, (_, i) => `main.f${String(i).padStart(6, '0')}`)],
      files: ['/src/big.go'],
      nodeName: Int32Array.from({ length: N }, (_, i) => (i === 0 ? -1 : i - 1)),
      nodeFile: new Int32Array(N),
      nodeLine: Int32Array.from({ length: N }, (_, i) => i),
      depth: Int32Array.from({ length: N }, (_, i) => (i === 0 ? 0 : i === 1 ? 1 : 2)),
      inlined: new Uint8Array(N),
      start: Float64Array.from({ length: N }, (_, i) => (i < 2 ? 0 : (i - 2) * 10)),
      weight: Float64Array.from({ length: N }, (_, i) => (i < 2 ? n * 10 : 10)),
      total: Float64Array.from({ length: N }, (_, i) => (i < 2 ? n * 10 : 10)),
      self: Float64Array.from({ length: N }, (_, i) => (i < 2 ? 0 : 10)),
      subtree: Uint32Array.from({ length: N }, (_, i) => (i === 0 ? N : i === 1 ? N - 1 : 1)),
      maxDepth: 2,
      reportTotal: n * 10,
    };
    const p2 = await openWebview(browser, 'light', 1100, {
      mode: 'tree',
      orientation: 'icicle',
      zoomPath: [],
      search: '',
      sort: 'flat',
      sortDesc: true,
    });
    await send(p2, { type: 'init', view: { ...wire(viewOf(cpu, 1)), key: 'big/down/1', flame: packFlame(big) } });
    const row = p2.locator('#call-tree tbody tr:not(.spacer)').first();
    await row.focus();
    await p2.keyboard.press('ArrowRight');
    assert.equal(await p2.getAttribute('#call-tree', 'data-rows'), String(n + 1));
    // Closed and opened again (the page's code warm, as after the first few clicks); the best of
    // five, as two cores are shared with other work.
    const times: number[] = [];
    for (let t = 0; t < 5; t++) {
      await p2.keyboard.press('ArrowLeft');
      assert.equal(await p2.getAttribute('#call-tree', 'data-rows'), '1');
      await p2.keyboard.press('ArrowRight');
      assert.equal(await p2.getAttribute('#call-tree', 'data-rows'), String(n + 1));
      times.push(Number(await p2.getAttribute('#call-tree', 'data-toggle-ms')));
    }
    const ms = Math.min(...times);
    assert.ok(ms < 16, `a level of 100,000 rows opened in ${times.join(', ')} ms`);
    const inDom = await p2.locator('#call-tree tbody tr:not(.spacer)').count();
    assert.ok(inDom < 120, `${inDom} rows in the DOM`);
    await p2.keyboard.press('End');
    assert.equal(
      await p2.evaluate(() => document.activeElement?.querySelector('td.name')?.textContent),
      'main.f099999',
    );
    await p2.keyboard.press('Enter');
    assert.deepEqual((await posted(p2)).filter((m) => m.type === 'openSource').at(-1), {
      type: 'openSource',
      file: '/src/big.go',
      line: N - 1,
      name: 'main.f099999',
    });
    await p2.close();
  });

  it("the call tree's * opens 100,000 rows below a row at once, in well under a second", async () => {
    // main.big calls 10,000 functions that call 10 each: '*' opens 10,001 nodes, 110,000 rows
    // below it, up to the 100,000 rows it stops at.
    const fan = 10_000;
    const leaves = 10;
    const N = 2 + fan * (1 + leaves);
    const names = ['main.big'];
    const nodeName = new Int32Array(N).fill(-1);
    const depth = new Int32Array(N);
    const subtree = new Uint32Array(N).fill(1);
    const total = new Float64Array(N);
    const self = new Float64Array(N);
    nodeName[1] = 0;
    depth[1] = 1;
    subtree[0] = N;
    subtree[1] = N - 1;
    total[0] = total[1] = fan * leaves;
    for (let f = 0, i = 2; f < fan; f++) {
      names.push(`main.mid${String(f).padStart(5, '0')}`);
      nodeName[i] = names.length - 1;
      depth[i] = 2;
      subtree[i] = 1 + leaves;
      total[i] = leaves;
      i++;
      for (let l = 0; l < leaves; l++, i++) {
        names.push(`main.leaf${f}_${l}`);
        nodeName[i] = names.length - 1;
        depth[i] = 3;
        total[i] = self[i] = 1;
      }
    }
    const big: FlameData = {
      names,
      files: ['/src/big.go'],
      nodeName,
      nodeFile: new Int32Array(N),
      nodeLine: new Int32Array(N),
      depth,
      inlined: new Uint8Array(N),
      start: new Float64Array(N),
      weight: total,
      total,
      self,
      subtree,
      maxDepth: 3,
      reportTotal: fan * leaves,
    };
    const page = await openWebview(browser, 'light', 1100, {
      mode: 'tree',
      orientation: 'icicle',
      zoomPath: [],
      search: '',
      sort: 'flat',
      sortDesc: true,
    });
    await send(page, { type: 'init', view: { ...wire(viewOf(cpu, 1)), key: 'fan/down/1', flame: packFlame(big) } });
    const row = page.locator('#call-tree tbody tr:not(.spacer)').first();
    await row.focus();
    const t0 = Date.now();
    await page.keyboard.press('*');
    const roundTrip = Date.now() - t0;
    const rows = Number(await page.getAttribute('#call-tree', 'data-rows'));
    assert.ok(rows >= 100_000 && rows <= 100_000 + leaves, `${rows} rows`);
    const ms = Number(await page.getAttribute('#call-tree', 'data-expand-all-ms'));
    // (< 1 s on an idle machine; generous here, as two cores are shared with other work)
    assert.ok(ms < 3000, `* opened ${rows} rows in ${ms} ms (${roundTrip} ms round trip)`);
    console.log(`      * opened ${rows.toLocaleString('en-US')} rows in ${ms} ms (${roundTrip} ms round trip)`);
    const inDom = await page.locator('#call-tree tbody tr:not(.spacer)').count();
    assert.ok(inDom < 120, `${inDom} rows in the DOM`);
    // The rows in tree order: the first mid function's leaves under it, the last row a leaf.
    const shown = await page.locator('#call-tree td.name').allTextContents();
    assert.deepEqual(shown.slice(0, 4), ['▾main.big', '▾main.mid00000', 'main.leaf0_0', 'main.leaf0_1']);
    // The cap: the last mid functions stay closed.
    await page.keyboard.press('End');
    assert.equal(
      await page.evaluate(() => document.activeElement?.querySelector('td.name')?.textContent),
      '▸main.mid09999',
    );
    await page.close();
  });

  it("transforms from a frame's menu: chips, Undo (Ctrl+Z), Copy pprof command; the host redraws within 100 ms", async () => {
    const page = await start(browser);
    const view = viewOf(cpu, 1);
    const at = await pointOf(page, view.flame, HASH);
    await page.mouse.click(at.x, at.y, { button: 'right' });
    const labels = await page.locator('#frame-menu .menu-item span:first-child').allTextContents();
    assert.deepEqual(labels, [
      'Show callers and callees',
      'Focus on this function',
      'Ignore (drop its samples)',
      'Hide frame (merge into callers)',
      'Show from here down',
      'Collapse recursion',
      'Open source',
    ]);
    await page.locator('#frame-menu .menu-item', { hasText: 'Focus on this function' }).click();
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'transform'),
      [{ type: 'transform', op: 'focus', name: HASH }],
    );
    // The host applies -focus and sends the new view (as FlamePanel does after pprofLens.setFilters).
    const focus = exactName(HASH);
    const filtered = filterProfile(cpu, { focus }).profile;
    const t0 = Date.now();
    await send(page, { type: 'undoState', canUndo: true });
    await send(page, {
      type: 'update',
      view: { ...wire(viewOf(filtered, 1)), key: '2/down/1', filters: [`focus=${focus}`] },
      sentAt: t0,
    });
    await page.waitForFunction(() => document.querySelector('#flame')?.getAttribute('data-set-view-ms') !== null);
    const ms = Number(await page.getAttribute('#flame', 'data-set-view-ms'));
    assert.ok(ms < 100, `redrawn in ${ms} ms`);
    assert.deepEqual(await page.locator('.chip.filter').allTextContents(), [`focus=${focus}×`]);
    assert.equal(await page.locator('#undo').isEnabled(), true);
    await page.locator('#flame').focus();
    await page.keyboard.press('Control+z');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'undoTransform'),
      [{ type: 'undoTransform' }],
    );
    // Collapse recursion: a chip whose × posts uncollapse; Copy pprof command asks the host.
    await send(page, {
      type: 'update',
      // The tree the host sends with the collapse: Fib's calls to itself as one frame.
      view: {
        ...wire(viewOf(collapseRecursion(cpu, ['example.com/fixtures/internal/work.Fib']), 1)),
        key: '1~1/down/1',
        collapsed: ['example.com/fixtures/internal/work.Fib'],
      },
    });
    assert.deepEqual(await page.locator('.chip.collapse').allTextContents(), [
      'collapse recursion=example.com/fixtures/internal/work.Fib×',
    ]);
    await page.locator('.chip.collapse .chip-x').click();
    await page.click('#copy-command');
    const tail = (await posted(page)).slice(-2);
    assert.deepEqual(tail, [
      { type: 'uncollapse', name: 'example.com/fixtures/internal/work.Fib' },
      { type: 'copyCommand' },
    ]);
    await page.screenshot({ path: path.join(repoRoot(), 'docs/screenshots/transforms-light.png') });
    await page.close();
  });

  it("tooltips name a frame's file where it is in the workspace, the profile's path under it when that differs", async () => {
    const page = await start(browser);
    const view = viewOf(cpu, 1);
    const d = view.flame;
    // The top table as the worker sends it: each function at its hottest line (here: its first frame's).
    const at = (name: string) => Array.from(d.nodeName).findIndex((n, i) => i > 0 && d.names[n] === name);
    const top = {
      ...view.top,
      file: view.top.name.map((n) => d.files[d.nodeFile[at(n)]!]!),
      line: view.top.name.map((n) => d.nodeLine[at(n)]!),
    };
    await send(page, { type: 'update', view: wire({ ...view, top }) });
    const WORK = '/tmp/gopher/src/example.com/fixtures/internal/work/work.go';
    const PROC = '/usr/lib/go-1.19/src/runtime/proc.go';
    /** The file lines of the tooltip over the first frame of `name` (the muted lines but the hint). */
    const tip = async (name: string) => {
      await page.mouse.move(1, 1);
      const at = await pointOf(page, d, name);
      await page.mouse.move(at.x, at.y);
      await page.waitForSelector('#tooltip:not([hidden])');
      assert.ok((await page.locator('#tooltip .tt-name').textContent())!.startsWith(name), `over ${name}`);
      return (await page.locator('#tooltip .muted').allTextContents()).slice(0, -1);
    };
    /** The titles of the top table's row of `name`: the row's and its name cell's. */
    const titles = (name: string) =>
      page.evaluate((name) => {
        const td = [...document.querySelectorAll<HTMLElement>('#top-table td.name')].find(
          (t) => t.title.split('\n')[0] === name,
        )!;
        return { row: td.closest('tr')!.title.split('\n'), cell: td.title.split('\n') };
      }, name);
    // Before the host's paths (the files not mapped yet): the profile's path, as before.
    assert.deepEqual(await tip(HASH), [`${WORK}:19`]);
    // The host found the module's files in the workspace (and none of GOROOT's elsewhere).
    await send(page, {
      type: 'sourcePaths',
      paths: [
        [WORK, 'fixtures/internal/work/work.go'],
        ['/tmp/gopher/src/example.com/fixtures/cpu/main.go', 'fixtures/cpu/main.go'],
      ],
    });
    assert.deepEqual(await tip(HASH), ['fixtures/internal/work/work.go:19', `in the profile: ${WORK}`]);
    assert.deepEqual(await tip('runtime.main'), [`${PROC}:250`], 'a file not found elsewhere: the profile path alone');
    // The top table's rows (rendered before the paths came) say the same.
    const hash = await titles(HASH);
    assert.deepEqual(hash.cell, [HASH, 'fixtures/internal/work/work.go:19', `in the profile: ${WORK}`]);
    assert.deepEqual(hash.row, hash.cell.slice(1));
    assert.deepEqual((await titles('runtime.main')).row, [`${PROC}:250`]);
    // The callers and callees: the same tooltip.
    await send(page, { type: 'showSandwich', name: HASH });
    await sandwichOn(page, HASH);
    const box = (await page.locator('#sandwich-callees').boundingBox())!;
    await page.mouse.move(box.x + 40, box.y + ROW / 2);
    await page.waitForSelector('#tooltip:not([hidden])');
    assert.ok((await page.locator('#tooltip .tt-name').textContent())!.startsWith(HASH), 'over work.Hash');
    assert.deepEqual((await page.locator('#tooltip .muted').allTextContents()).slice(0, 2), [
      'fixtures/internal/work/work.go:19',
      `in the profile: ${WORK}`,
    ]);
    // Paths are text: markup shows as typed, a line break cannot add a line.
    const evil = '<img src=x onerror="window.__pwned=1">\nin the profile: /etc/passwd';
    await send(page, { type: 'sourcePaths', paths: [[WORK, evil]] });
    await page.keyboard.press('1');
    const lines = await tip(HASH);
    assert.deepEqual(lines, [
      '<img src=x onerror="window.__pwned=1"> in the profile: /etc/passwd:19',
      `in the profile: ${WORK}`,
    ]);
    assert.equal(await page.locator('#tooltip img').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await page.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast', 'high-contrast-light'] as const) {
    it(`${theme}: the views drawn, the focus visible (screenshots in docs/screenshots)`, async () => {
      const page = await start(browser, theme);
      // Keyboard only: Tab reaches the tabs; the focused control shows an outline.
      await page.locator('#tab-graph').focus();
      await page.keyboard.press('ArrowRight'); // the call tree
      const outline = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement!);
        return { id: document.activeElement!.id, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      assert.equal(outline.id, 'tab-tree');
      assert.notEqual(outline.style, 'none');
      assert.ok(outline.width >= 1, `outline ${outline.width}px`);
      const row = page.locator('#call-tree tbody tr:not(.spacer)').first();
      await row.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('*');
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), 'none');
      await page.screenshot({ path: path.join(repoRoot(), `docs/screenshots/calltree-${theme}.png`) });
      await page.keyboard.press('3');
      await sandwichOn(page, await page.evaluate(() => document.querySelector('#sandwich-title')!.textContent!));
      // The selected frame's ring (the function's own, top left of the callees) contrasts with the
      // page: dark on the light themes, light on the dark ones (trial: white on light high contrast).
      const ring = await page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('#sandwich-callees')!;
        const [r, g, b] = c.getContext('2d')!.getImageData(1, 9, 1, 1).data;
        return r! + g! + b!;
      });
      if (theme === 'light' || theme === 'high-contrast-light') assert.ok(ring < 150, `ring ${ring}`);
      else assert.ok(ring > 600, `ring ${ring}`);
      await page.locator('#sandwich-callees').focus();
      await page.keyboard.press('Shift+F10');
      assert.equal(await page.locator('#frame-menu').isVisible(), true);
      const file = path.join(repoRoot(), `docs/screenshots/sandwich-${theme}.png`);
      await page.screenshot({ path: file });
      assert.ok(readFileSync(file).length > 10_000);
      await page.close();
    });
  }
});
