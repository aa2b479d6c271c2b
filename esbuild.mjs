// Bundles the extension host (node, cjs), the decode worker, the CLI and the webview (browser, iife).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// --release: what the .vsix ships (scripts/package.mjs). Not minified, so a stack trace in a user's
// Extension Host log names our functions; no source maps (they would add ~2.7 MB of our sources and
// node_modules' to every install for no user benefit); dist/.meta.json lists the bundled packages
// for the third-party notices.
const release = process.argv.includes('--release');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production && !release,
  logLevel: release ? 'warning' : 'info',
  legalComments: 'linked',
  metafile: release,
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
// The extension host loads the decoder (protobufjs, long) only on the first capture, from its own
// file: core/capture.ts require()s './decode', which the extension bundle leaves to dist/decode.js.
// That keeps dist/extension.js small, so activating on every Go file costs little
// (bench/activation.mjs).
const lazyDecoder = {
  name: 'lazy-decoder',
  setup(b) {
    b.onResolve({ filter: /^\.\/decode$/ }, (a) =>
      a.kind === 'require-call' && /core[\\/]capture\.ts$/.test(a.importer)
        ? { path: './decode.js', external: true }
        : undefined,
    );
    // Likewise re2js (the filter syntax checks): dist/filterSyntax.js, on the first filter typed.
    b.onResolve({ filter: /^\.\/filterSyntax$/ }, (a) =>
      a.kind === 'require-call' && /vscode[\\/]profile[\\/]filters\.ts$/.test(a.importer)
        ? { path: './filterSyntax.js', external: true }
        : undefined,
    );
    // And the benchmark A/B and language model tools: dist/lazyFeatures.js, on first use.
    b.onResolve({ filter: /^\.\/vscode\/lazyFeatures$/ }, (a) =>
      a.kind === 'require-call' && /src[\\/]extension\.ts$/.test(a.importer)
        ? { path: './lazyFeatures.js', external: true }
        : undefined,
    );
    // And the compiler insight (go build -gcflags=-m=2, escapes, inlining): dist/insight.js, on the first profile.
    b.onResolve({ filter: /^\.\/compilerInsight$/ }, (a) =>
      a.kind === 'require-call' && /insight[\\/]compilerLazy\.ts$/.test(a.importer)
        ? { path: './insight.js', external: true }
        : undefined,
    );
    // And the flame graph panel's side of the source map (opening a frame's file, its tooltips' workspace paths): dist/panelFiles.js, on first use.
    b.onResolve({ filter: /^\.\/panelFiles$/ }, (a) =>
      a.kind === 'require-call' && /panel[\\/]flamePanel\.ts$/.test(a.importer)
        ? { path: './panelFiles.js', external: true }
        : undefined,
    );
    // And the goroutine view's and PGO export's core (it holds the decoder): dist/insightCore.js.
    b.onResolve({ filter: /^\.\/insightCore$/ }, (a) =>
      a.kind === 'require-call' && /insight[\\/]lazy\.ts$/.test(a.importer)
        ? { path: './insightCore.js', external: true }
        : undefined,
    );
  },
};
const optional = [
  {
    entry: { extension: 'src/extension.ts' },
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    plugins: [lazyDecoder],
  },
  { entry: { decode: 'src/core/decode.ts' }, platform: 'node', format: 'cjs' },
  { entry: { filterSyntax: 'src/vscode/profile/filterSyntax.ts' }, platform: 'node', format: 'cjs' },
  {
    entry: { lazyFeatures: 'src/vscode/lazyFeatures.ts' },
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    entry: { panelFiles: 'src/vscode/panel/panelFiles.ts' },
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    entry: { insight: 'src/vscode/insight/compilerInsight.ts' },
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    entry: { insightCore: 'src/vscode/insight/insightCore.ts' },
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  { entry: { worker: 'src/worker/main.ts' }, platform: 'node', format: 'cjs' },
  { entry: { webview: 'webview/app.ts' }, platform: 'browser', format: 'iife' },
];
for (const o of optional) {
  if (!existsSync(Object.values(o.entry)[0])) continue;
  builds.push({
    ...common,
    entryPoints: o.entry,
    platform: o.platform,
    format: o.format,
    // The extension host of VS Code 1.74 (engines.vscode) runs Node 16.14.
    target: o.platform === 'node' ? 'node16.14' : 'chrome120',
    external: o.external ?? [],
    plugins: o.plugins ?? [],
    outdir: 'dist',
    loader: { '.css': 'text' },
  });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  if (release) {
    const { writeFileSync, rmSync, readdirSync } = await import('node:fs');
    for (const f of readdirSync('dist')) if (f.endsWith('.map')) rmSync(`dist/${f}`);
    const inputs = {};
    for (const [i, r] of results.entries())
      inputs[Object.keys(builds[i].entryPoints)[0]] = Object.keys(r.metafile.inputs);
    writeFileSync('dist/.meta.json', JSON.stringify(inputs, null, 1));
  }
}
