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
  /* Views, toggles, the sandwich, the actions menu. */
  section[hidden] { display: none; }
  #view-tabs { display: inline-flex; gap: 0; }
  .tab { border-radius: 0; } .tab:first-child { border-radius: 2px 0 0 2px; } .tab:last-child { border-radius: 0 2px 2px 0; }
  .tab[aria-selected=true], button[aria-pressed=true] { background: var(--vscode-button-background, #0e639c); color: var(--vscode-button-foreground, #fff);
    outline: 1px solid var(--vscode-contrastActiveBorder, transparent); }
  #sandwich h2 { font-family: var(--vscode-editor-font-family); margin: 4px 0 2px; word-break: break-all; }
  #sandwich-status:empty { display: none; }
  .sandwich-wrap { width: 100%; overflow-x: hidden; } .sandwich-wrap canvas { display: block; }
  .sandwich-label { font-size: 0.9em; margin: 2px 0; }
  #frame-menu { position: fixed; z-index: 4; min-width: 14em; max-width: 60vw; padding: 4px 0; display: flex; flex-direction: column;
    color: var(--vscode-menu-foreground, var(--vscode-foreground)); background: var(--vscode-menu-background, var(--vscode-editorHoverWidget-background));
    border: 1px solid var(--vscode-menu-border, var(--vscode-editorHoverWidget-border)); box-shadow: 0 2px 8px var(--vscode-widget-shadow, rgba(0,0,0,.36)); }
  #frame-menu[hidden] { display: none; }
  .menu-title { padding: 2px 10px 4px; font-family: var(--vscode-editor-font-family); color: var(--vscode-descriptionForeground);
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-bottom: 1px solid var(--vscode-menu-separatorBackground, var(--vscode-panel-border)); }
  .menu-item { display: flex; justify-content: space-between; gap: 16px; text-align: left; border: none; border-radius: 0; padding: 3px 10px;
    color: inherit; background: transparent; }
  .menu-item:hover, .menu-item:focus { color: var(--vscode-menu-selectionForeground, inherit); background: var(--vscode-menu-selectionBackground, var(--vscode-list-hoverBackground)); }
  .menu-hint { color: var(--vscode-descriptionForeground); }
  canvas:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
  #tree-scroll { height: min(70vh, 800px); min-height: 200px; overflow-y: auto; overflow-x: hidden; border-top: 1px solid var(--vscode-panel-border); }
  #call-tree { table-layout: fixed; } #call-tree th:nth-child(-n+4) { width: 6.5em; }
  #call-tree tr:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
  button:disabled { opacity: 0.5; cursor: default; }
  .chip.collapse { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  .twisty { display: inline-block; width: 1.2em; color: var(--vscode-descriptionForeground); }
  tbody tr:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
  button:focus-visible, select:focus-visible, input:focus-visible { outline: 2px solid var(--vscode-focusBorder); outline-offset: 1px; }
  tbody tr.cursor td { box-shadow: inset 0 -2px var(--vscode-focusBorder); font-weight: 600; }
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
