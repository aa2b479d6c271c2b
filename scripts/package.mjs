#!/usr/bin/env node
// npm run package [-- --out <file.vsix>]: the release build (esbuild.mjs --release: no source maps,
// not minified), the third-party notices of the npm packages bundled into what the .vsix ships,
// then @vscode/vsce (pinned in devDependencies) writes pprof-lens-<version>.vsix.
// --no-dependencies is right: esbuild bundles protobufjs, long and re2js into dist/*.js, and the
// bundles require nothing but node: built-ins and 'vscode' (test/unit/package.test.ts checks it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const out = path.resolve(
  outIdx >= 0 && args[outIdx + 1] ? args[outIdx + 1] : `${manifest.name}-${manifest.version}.vsix`,
);

execFileSync(process.execPath, ['esbuild.mjs', '--release'], { stdio: 'inherit' });

// The shipped bundles (not the CLI) and the packages they contain.
const meta = JSON.parse(readFileSync('dist/.meta.json', 'utf8'));
const packages = new Map();
for (const entry of [
  'extension',
  'decode',
  'filterSyntax',
  'lazyFeatures',
  'insight',
  'insightCore',
  'panelFiles',
  'worker',
  'webview',
]) {
  for (const input of meta[entry] ?? []) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!m) continue;
    const dir = path.resolve(input.slice(0, m.index + m[0].length - 1));
    packages.set(m[1], dir);
  }
}
const notices = [
  'pprof-lens bundles the following npm packages into the files of dist/.',
  'Their licenses follow.',
  '',
];
for (const [name, dir] of [...packages].sort((a, b) => a[0].localeCompare(b[0]))) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const lic = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!lic) throw new Error(`${name} ${pkg.version} is bundled but has no LICENSE file in ${dir}`);
  notices.push(
    '='.repeat(78),
    `${name} ${pkg.version} (${pkg.license ?? 'see below'})`,
    '='.repeat(78),
    '',
    readFileSync(path.join(dir, lic), 'utf8').trim(),
    '',
  );
}
writeFileSync('dist/ThirdPartyNotices.txt', notices.join('\n'));

const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
if (!existsSync(vsce)) throw new Error('@vscode/vsce is not installed: run npm ci (or bash scripts/setup.sh)');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { stdio: 'inherit' });
console.log(`${path.relative(process.cwd(), out) || out}: ${(statSync(out).size / 1024).toFixed(1)} KB`);
