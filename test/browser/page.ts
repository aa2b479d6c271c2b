/**
 * Loads the built webview (dist/webview.js) in Debian's Chromium through playwright-core, in a
 * page that plays VS Code's part: acquireVsCodeApi records what the webview posts, body classes
 * and --vscode-* variables (in the nonce'd style block: the CSP forbids style attributes) give a light or dark theme, and the same CSP as the real panel applies.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ToWebview } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..');
/** The panel's styles, as renderPanelHtml links them. */
const PANEL_CSS = readFileSync(path.join(repo, 'media', 'panel.css'), 'utf8');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const THEMES = {
  light: {
    cls: 'vscode-light',
    vars: {
      '--vscode-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-editorHoverWidget-background': '#f8f8f8',
      '--vscode-editorHoverWidget-foreground': '#3b3b3b',
      '--vscode-editorHoverWidget-border': '#c8c8c8',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': 'monospace',
      '--vscode-editor-font-size': '12px',
    },
  },
  dark: {
    cls: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-editorHoverWidget-background': '#202020',
      '--vscode-editorHoverWidget-foreground': '#cccccc',
      '--vscode-editorHoverWidget-border': '#454545',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': 'monospace',
      '--vscode-editor-font-size': '12px',
    },
  },
  'high-contrast': {
    cls: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-list-hoverBackground': '#000000',
      '--vscode-focusBorder': '#f38518',
      '--vscode-editorHoverWidget-background': '#0c141f',
      '--vscode-editorHoverWidget-foreground': '#ffffff',
      '--vscode-editorHoverWidget-border': '#6fc3df',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': 'monospace',
      '--vscode-editor-font-size': '12px',
    },
  },
  'high-contrast-light': {
    cls: 'vscode-high-contrast-light',
    vars: {
      '--vscode-foreground': '#292929',
      '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#292929',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#292929',
      '--vscode-input-border': '#0f4a85',
      '--vscode-button-background': '#0f4a85',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#ffffff',
      '--vscode-button-secondaryForeground': '#292929',
      '--vscode-badge-background': '#0f4a85',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-textLink-foreground': '#0f4a85',
      '--vscode-panel-border': '#0f4a85',
      '--vscode-list-hoverBackground': '#ffffff',
      '--vscode-focusBorder': '#006bbd',
      '--vscode-contrastActiveBorder': '#006bbd',
      '--vscode-editorHoverWidget-background': '#ffffff',
      '--vscode-editorHoverWidget-foreground': '#292929',
      '--vscode-editorHoverWidget-border': '#0f4a85',
      '--vscode-font-family': 'sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': 'monospace',
      '--vscode-editor-font-size': '12px',
    },
  },
} as const;

export type ThemeName = keyof typeof THEMES;

/** scrollbars: draw the page's scrollbars, as VS Code does (playwright hides them by default in headless). */
export async function launch(opts: { scrollbars?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    ...(opts.scrollbars ? { ignoreDefaultArgs: ['--hide-scrollbars'] } : {}),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
}

/**
 * A page running the webview with `theme`; its posted messages collect in window.__posted, its
 * setState in window.__state (start it with `state`, as VS Code does after a reload).
 */
export async function openWebview(
  browser: Browser,
  theme: ThemeName = 'light',
  width = 1100,
  state?: unknown,
): Promise<Page> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-webview-'));
  const nonce = 'testnonce123';
  const t = THEMES[theme];
  const style = Object.entries(t.vars)
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  writeFileSync(path.join(dir, 'webview.js'), readFileSync(path.join(repo, 'dist', 'webview.js')));
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!DOCTYPE html><html><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:">
<style nonce="${nonce}">body { ${style} } ${PANEL_CSS}</style></head>
<body class="${t.cls}">
<script nonce="${nonce}">
  window.__posted = []; window.__state = ${state === undefined ? 'undefined' : JSON.stringify(state).replace(/</g, '\\u003c')};
  window.acquireVsCodeApi = () => ({ postMessage: m => window.__posted.push(m), getState: () => window.__state, setState: s => { window.__state = s; } });
</script>
<script nonce="${nonce}" src="webview.js"></script></body></html>`,
  );
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  page.on('dialog', (d) => void d.dismiss());
  await page.goto(`file://${path.join(dir, 'index.html')}`);
  return page;
}

export async function send(page: Page, msg: ToWebview): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), msg as unknown as Record<string, unknown>);
}

export async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
}

/** A top table's columns for the page's view message, from core/report topRows' rows. */
export function topColumns(
  rows: readonly { function?: string; name: string; file: string; line: number; flat: number; cum: number }[],
) {
  return {
    name: rows.map((r) => r.function || r.name),
    file: rows.map((r) => r.file),
    line: rows.map((r) => r.line),
    flat: rows.map((r) => r.flat),
    cum: rows.map((r) => r.cum),
  };
}
