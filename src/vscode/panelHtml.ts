/**
 * The flame graph panel's HTML, pure (no vscode import) so that tests can check it: a strict
 * Content-Security-Policy (nothing but the bundled script with a nonce, styles with the same
 * nonce, images from the extension itself), theme colours from VS Code's --vscode-* variables.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlOptions {
  /** webview.asWebviewUri of dist/webview.js. */
  readonly scriptUri: string;
  /** webview.cspSource. */
  readonly cspSource: string;
  readonly nonce: string;
}

/** 128 random bits from the operating system's CSPRNG, never Math.random. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export const PANEL_CSS = `
  body { margin: 0; padding: 0 12px 16px; color: var(--vscode-foreground); background: var(--vscode-editor-background);
    font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  header { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 6px; align-items: center;
    padding: 8px 0; background: var(--vscode-editor-background); }
  .title { font-weight: 600; margin-right: 6px; }
  .spacer { flex: 1; }
  .muted { color: var(--vscode-descriptionForeground); }
  select, input, button { font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background);
    border: 1px solid var(--vscode-input-border, var(--vscode-panel-border, transparent)); border-radius: 2px; padding: 2px 6px; }
  button { cursor: pointer; color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button:hover { background: var(--vscode-button-secondaryHoverBackground); }
  :focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
  input[type=search] { width: 18em; }
  .chip { display: inline-flex; align-items: center; gap: 4px; padding: 1px 2px 1px 8px; border-radius: 10px;
    background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
  .chip-x { border: none; background: transparent; color: inherit; padding: 0 4px; }
  nav#breadcrumbs { display: flex; flex-wrap: wrap; gap: 2px; align-items: center; margin: 2px 0 6px; min-height: 22px; }
  .bar { display: flex; align-items: center; gap: 12px; }
  .bar nav#breadcrumbs { flex: 1; }
  #legend { display: flex; gap: 10px; font-size: 0.9em; }
  .legend-item { display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }
  .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
  .crumb { border: none; background: transparent; color: var(--vscode-textLink-foreground); padding: 0 2px; }
  .sep { color: var(--vscode-descriptionForeground); }
  #flame-wrap { width: 100%; overflow-x: hidden; }
  canvas#flame { display: block; }
  #tooltip { position: fixed; z-index: 3; max-width: 60vw; padding: 6px 8px; pointer-events: none; white-space: pre-wrap; word-break: break-all;
    color: var(--vscode-editorHoverWidget-foreground); background: var(--vscode-editorHoverWidget-background);
    border: 1px solid var(--vscode-editorHoverWidget-border); }
  .tt-name { font-family: var(--vscode-editor-font-family); font-weight: 600; margin-bottom: 2px; }
  h2 { font-size: 1em; margin: 16px 0 4px; }
  table { border-collapse: collapse; width: 100%; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  th, td { padding: 1px 8px; text-align: right; white-space: nowrap; }
  #top-scroll { height: min(60vh, 640px); min-height: 160px; overflow-y: auto; overflow-x: hidden; border-top: 1px solid var(--vscode-panel-border); }
  #top-scroll[hidden] { display: none; }
  tbody tr:not(.spacer) { height: 20px; }
  #top-table { table-layout: fixed; } #top-table th:nth-child(-n+5) { width: 6.5em; }
  /* Beside an editor the panel is narrow: the function names keep their room, sum% and cum% go. */
  @media (max-width: 700px) {
    #top-table th:nth-child(-n+5) { width: 5.5em; }
    #top-table th:nth-child(3), #top-table td:nth-child(3), #top-table th:nth-child(5), #top-table td:nth-child(5) { display: none; }
  }
  th { position: sticky; top: 0; z-index: 1; height: 20px; background: var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-panel-border); }
  td.name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 0; }
  #notice { margin: 2px 0 6px; padding: 4px 8px; border-left: 3px solid var(--vscode-focusBorder); background: var(--vscode-textBlockQuote-background, transparent); }
  #notice.warning { border-left-color: var(--vscode-editorWarning-foreground, #cca700); }
  #notice.loading { border-left-color: var(--vscode-progressBar-background, #0e70c0); }
  #notice[hidden], #tooltip[hidden], #empty[hidden] { display: none; }
  th.sortable { cursor: pointer; } td.name, th:last-child { text-align: left; width: 100%; }
  tbody tr { cursor: pointer; } tbody tr:hover, tbody tr:focus { background: var(--vscode-list-hoverBackground); }
  tbody tr.cursor td { box-shadow: inset 0 -2px var(--vscode-focusBorder); font-weight: 600; }
  #tabs { display: flex; gap: 2px; margin: 0 0 4px; border-bottom: 1px solid var(--vscode-panel-border); }
  #tabs button { border: none; border-bottom: 2px solid transparent; border-radius: 0; background: transparent; color: var(--vscode-foreground); }
  #tabs button.active { border-bottom-color: var(--vscode-focusBorder); font-weight: 600; }
  #labels[hidden], .bar[hidden], h2[hidden], #flame-wrap[hidden] { display: none; }
  .labels-table td.label-hist { width: 35%; } .label-bar { display: block; height: 10px; min-width: 1px;
    background: var(--vscode-charts-blue, var(--vscode-focusBorder)); }
  .label-value { border: none; background: transparent; color: var(--vscode-textLink-foreground); padding: 0; text-align: left; }
`;

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
<style nonce="${attr(o.nonce)}">${PANEL_CSS}</style>
</head>
<body>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
