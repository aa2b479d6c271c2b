// Regenerates src/core/proto/profile.js (+ .d.ts) from proto/profile.proto with protobufjs-cli.
// Decode-only static code: no encoder, verifier, JSON conversion or reflection.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/core/proto');
mkdirSync(outDir, { recursive: true });
const bin = (name) => join(root, 'node_modules/.bin', name);
const js = join(outDir, 'profile.js');
execFileSync(
  bin('pbjs'),
  [
    '-t',
    'static-module',
    '-w',
    'commonjs',
    '--force-number',
    '--no-create',
    '--no-encode',
    '--no-verify',
    '--no-convert',
    '--no-delimited',
    '--no-typeurl',
    '--no-service',
    '--dependency',
    'protobufjs/minimal.js',
    '-o',
    js,
    join(root, 'proto/profile.proto'),
  ],
  { stdio: 'inherit' },
);
execFileSync(bin('pbts'), ['--no-comments', '-o', join(outDir, 'profile.d.ts'), js], { stdio: 'inherit' });
console.log(`wrote ${js}`);
