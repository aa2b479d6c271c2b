/**
 * The summary page (the custom editor of a .pb.gz) in Chromium, with VS Code's theme variables:
 * in high contrast its buttons have a visible border (contrastBorder), not plain text on black
 * (trial 4, shot 10-relay-summary-hc.png); the buttons post their messages.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { notFoundSection, summaryPageHtml } from '../../src/vscode/panel/summaryHtml';
import { launch } from './page';

// VS Code's values for the variables the page uses (the high-contrast themes set no button background).
const THEMES = {
  'high-contrast': {
    cls: 'vscode-high-contrast',
    vars: { '--vscode-foreground': '#ffffff', '--vscode-contrastBorder': '#6fc3df', '--vscode-focusBorder': '#f38518' },
    border: 'rgb(111, 195, 223)',
  },
  'high-contrast-light': {
    cls: 'vscode-high-contrast-light',
    vars: {
      '--vscode-foreground': '#292929',
      '--vscode-button-background': '#0f4a85',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-contrastBorder': '#0f4a85',
      '--vscode-focusBorder': '#006bbd',
    },
    border: 'rgb(15, 74, 133)',
  },
} as const;

async function open(browser: Browser, theme: keyof typeof THEMES): Promise<Page> {
  const t = THEMES[theme];
  const nonce = 'testnonce123';
  const body = `<h1>cpu2.pb.gz</h1><p><button id="show">Show overlays in the source</button> <button id="switch" class="secondary">Switch sample type</button></p>${notFoundSection(
    [{ profilePath: '/home/ci/x/dep.go', reason: 'not found' }],
  )}`;
  const vars = Object.entries(t.vars)
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  const html = summaryPageHtml("'self'", nonce, body)
    .replace('<body>', `<body class="${t.cls}">`)
    .replace('</style>', `body { ${vars} background: #000; }</style>`)
    .replace(
      '<script nonce="testnonce123">',
      `<script nonce="${nonce}">window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m) });</script><script nonce="${nonce}">`,
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-summary-'));
  writeFileSync(path.join(dir, 'index.html'), html);
  const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
  await page.goto(`file://${path.join(dir, 'index.html')}`);
  return page;
}

describe('summary page in the browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const theme of ['high-contrast', 'high-contrast-light'] as const) {
    it(`${theme}: every button has a visible contrastBorder border`, async () => {
      const page = await open(browser, theme);
      const borders = await page.$$eval('button', (bs) =>
        bs.map((b) => {
          const cs = getComputedStyle(b);
          return { id: b.id, style: cs.borderTopStyle, width: cs.borderTopWidth, color: cs.borderTopColor };
        }),
      );
      assert.deepEqual(
        borders.map((b) => b.id),
        ['show', 'switch', 'unresolved'],
      );
      for (const b of borders)
        assert.deepEqual(b, { id: b.id, style: 'solid', width: '1px', color: THEMES[theme].border });
      await page.click('#show');
      await page.click('#unresolved');
      assert.deepEqual(await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted), [
        { type: 'showOverlays' },
        { type: 'showUnresolved' },
      ]);
      await page.close();
    });
  }
});
