/**
 * Where the shared test data lives: /work/shared on a development machine, or a `shared/`
 * directory beside the repository (CI clones it there).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest ancestor of this file with a package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
}

let cached: string | undefined;

/** The shared data directory; throws with the places it looked when there is none. */
export function sharedDir(): string {
  if (cached !== undefined) return cached;
  const candidates = [
    process.env['PPROF_LENS_SHARED'],
    path.resolve(repoRoot(), '..', 'shared'),
    '/work/shared',
  ].filter((d): d is string => d !== undefined && d !== '');
  for (const d of candidates) {
    if (fs.existsSync(path.join(d, 'pprof-testdata'))) return (cached = d);
  }
  throw new Error(`shared test data not found; looked in ${candidates.join(', ')}`);
}

/** A path inside the shared data directory. */
export function sharedPath(...parts: string[]): string {
  return path.join(sharedDir(), ...parts);
}

/** Whether `go` runs here (tests that call go tool pprof skip without it). */
export const hasGo: boolean = (() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
