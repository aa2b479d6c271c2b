/**
 * The flame graph panel's HTML, pure (no vscode import) so that tests can check it: a strict
 * Content-Security-Policy (nothing but the bundled script with a nonce, styles from the extension
 * or with the same nonce, images from the extension itself), theme colours from VS Code's
 * --vscode-* variables. The styles are media/panel.css (a file, not a string here: the extension
 * bundle, loaded on every Go file, stays small).
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlOptions {
  /** webview.asWebviewUri of dist/webview.js. */
  readonly scriptUri: string;
  /** webview.asWebviewUri of media/panel.css. */
  readonly styleUri: string;
  /** webview.cspSource. */
  readonly cspSource: string;
  readonly nonce: string;
}

/** 128 random bits from the operating system's CSPRNG, never Math.random. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function renderPanelHtml(o: PanelHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>pprof flame graph</title>
<link rel="stylesheet" href="${attr(o.styleUri)}">
<style nonce="${attr(o.nonce)}">body { margin: 0; }</style>
</head>
<body>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
