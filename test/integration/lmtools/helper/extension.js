// Test-only (test/integration/lmtools): reads lm-requests.json from the workspace folder, invokes
// each tool through vscode.lm.invokeTool as a chat agent would (no chat: toolInvocationToken
// undefined), and writes the tools VS Code lists and each result's text parts to lm-results.json.
'use strict';
const vscode = require('vscode');
const fs = require('node:fs');
const path = require('node:path');

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand('pprofLensTest.invokeTools', async () => {
      const ws = vscode.workspace.workspaceFolders[0].uri.fsPath;
      const requests = JSON.parse(fs.readFileSync(path.join(ws, 'lm-requests.json'), 'utf8'));
      const out = {
        tools: vscode.lm.tools
          .filter((t) => t.name.startsWith('pprof_'))
          .map((t) => ({ name: t.name, tags: t.tags, inputSchema: t.inputSchema })),
        results: [],
      };
      for (const r of requests) {
        try {
          const cts = new vscode.CancellationTokenSource();
          const res = await vscode.lm.invokeTool(r.name, { input: r.input, toolInvocationToken: undefined }, cts.token);
          out.results.push({ name: r.name, parts: res.content.map((p) => p.value) });
        } catch (e) {
          out.results.push({ name: r.name, error: String((e && e.message) || e) });
        }
      }
      fs.writeFileSync(path.join(ws, 'lm-results.json.tmp'), JSON.stringify(out, null, 1));
      fs.renameSync(path.join(ws, 'lm-results.json.tmp'), path.join(ws, 'lm-results.json'));
    }),
  );
};
exports.deactivate = () => {};
