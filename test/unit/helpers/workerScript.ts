/** The profile worker bundled as the extension ships it (dist/worker.js), into a private temp folder. */
import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function buildWorkerScript(prefix = 'pprof-lens-worker-'): string {
  const script = path.join(mkdtempSync(path.join(tmpdir(), prefix)), 'worker.js');
  buildSync({
    entryPoints: [path.resolve(__dirname, '../../../src/worker/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
  });
  return script;
}
