// Bundles the extension host (node, cjs), the decode worker, the CLI and the webview (browser, iife).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'info',
  legalComments: 'linked',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
];
const optional = [
  { entry: { extension: 'src/extension.ts' }, platform: 'node', format: 'cjs', external: ['vscode'] },
  { entry: { worker: 'src/vscode/worker.ts' }, platform: 'node', format: 'cjs' },
  { entry: { webview: 'webview/main.ts' }, platform: 'browser', format: 'iife' },
];
for (const o of optional) {
  if (!existsSync(Object.values(o.entry)[0])) continue;
  builds.push({
    ...common,
    entryPoints: o.entry,
    platform: o.platform,
    format: o.format,
    target: o.platform === 'node' ? 'node20' : 'chrome120',
    external: o.external ?? [],
    outdir: 'dist',
    loader: { '.css': 'text' },
  });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map(b => esbuild.build(b)));
}
