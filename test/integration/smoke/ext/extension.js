// Throwaway extension for the integration-harness smoke test (test/integration/smoke).
// No build step: plain CommonJS against the vscode API.
'use strict';
const vscode = require('vscode');

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  const decoration = vscode.window.createTextEditorDecorationType({
    after: { contentText: '⟨smoke 42⟩', margin: '0 0 0 2em', color: '#888' },
  });
  const lastDecoration = vscode.window.createTextEditorDecorationType({
    after: { contentText: '⟨smoke last⟩', margin: '0 0 0 2em' },
  });
  context.subscriptions.push(decoration, lastDecoration);
  /** Documents decorated by the command: decorations belong to a TextEditor, which VS Code
   * disposes when its tab is hidden, so they are set again whenever the document is shown. */
  const decorated = new Set();
  const apply = (editor) => {
    if (!decorated.has(editor.document.uri.toString()) || editor.document.lineCount < 3) return;
    const line = editor.document.lineAt(2); // line 3, 1-based
    editor.setDecorations(decoration, [new vscode.Range(line.range.end, line.range.end)]);
    // Long files also get one on their last line (proves the harness scrolls to read them all).
    const last = editor.document.lineAt(editor.document.lineCount - 1);
    editor.setDecorations(
      lastDecoration,
      editor.document.lineCount > 100 ? [new vscode.Range(last.range.end, last.range.end)] : [],
    );
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('pprofLensSmoke.decorate', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showErrorMessage('smoke: no active editor');
        return;
      }
      decorated.add(editor.document.uri.toString());
      apply(editor);
      void vscode.window.showInformationMessage('smoke: decorated line 3');
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(apply)),
  );

  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(
      { language: 'go' },
      {
        provideCodeLenses(doc) {
          const lenses = [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: 'smoke lens', command: '' })];
          if (doc.lineCount > 100) {
            const n = doc.lineCount - 2;
            lenses.push(
              new vscode.CodeLens(new vscode.Range(n, 0, n, 0), {
                title: 'smoke far lens',
                command: 'pprofLensSmoke.decorate',
              }),
              new vscode.CodeLens(new vscode.Range(n, 0, n, 0), {
                title: 'smoke second lens',
                command: 'pprofLensSmoke.decorate',
              }),
            );
          }
          return lenses;
        },
      },
    ),
  );

  context.subscriptions.push(
    vscode.languages.registerHoverProvider(
      { language: 'go' },
      {
        provideHover(_doc, position) {
          return new vscode.Hover(new vscode.MarkdownString(`smoke hover (line ${position.line + 1})`));
        },
      },
    ),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('pprofLensSmoke.webview', () => {
      const panel = vscode.window.createWebviewPanel('pprofLensSmoke', 'Smoke Webview', vscode.ViewColumn.Beside, {
        enableScripts: true,
      });
      panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';">
</head><body><h1 id="title">smoke webview</h1><button id="ping">ping</button><p id="reply"></p>
<script>
const vscode = acquireVsCodeApi();
document.getElementById('ping').addEventListener('click', () => vscode.postMessage('ping'));
window.addEventListener('message', e => { document.getElementById('reply').textContent = e.data; });
</script></body></html>`;
      panel.webview.onDidReceiveMessage((m) => {
        if (m === 'ping') void panel.webview.postMessage('pong from the extension host');
      });
    }),
  );

  // The extension host is Node: fs, zlib, worker_threads and child_process work as on desktop.
  context.subscriptions.push(
    vscode.commands.registerCommand('pprofLensSmoke.nodeCheck', async () => {
      const fs = require('fs');
      const zlib = require('zlib');
      const { Worker } = require('worker_threads');
      const { execFileSync } = require('child_process');
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
      const ok = [];
      if (fs.readFileSync(require('path').join(folder, 'go.mod'), 'utf8').startsWith('module ')) ok.push('fs');
      if (zlib.gunzipSync(zlib.gzipSync(Buffer.from('pprof'))).toString() === 'pprof') ok.push('zlib');
      const fromWorker = await new Promise((resolve, reject) => {
        const w = new Worker("require('worker_threads').parentPort.postMessage(6 * 7)", { eval: true });
        w.once('message', resolve);
        w.once('error', reject);
      });
      if (fromWorker === 42) ok.push('worker_threads');
      if (/^v\d+/.test(execFileSync(process.execPath, ['-v'], { encoding: 'utf8' }))) ok.push('child_process');
      void vscode.window.showInformationMessage(`smoke node: ${ok.join(' ')}`);
    }),
  );

  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  item.text = 'smoke status';
  item.show();
  context.subscriptions.push(item);
}

function deactivate() {}

module.exports = { activate, deactivate };
