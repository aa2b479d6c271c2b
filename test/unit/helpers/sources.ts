/**
 * The Go sources of a fixture, for -list, in a private folder per test run (from mkdtemp: parallel
 * runs and other checkouts never share it). The fixture profiles record the directory they were
 * built in (e.g. /tmp/gopher/src/example.com/fixtures); instead of copying the sources there, the
 * CLI gets a path mapping (RunIO.sourceMappings, as the extension's pprofLens.pathMappings): it
 * reads them from the copy and prints the recorded paths, so go tool pprof's goldens (made with the
 * sources at the build path) match byte for byte. (pprof's own -trim_path/-source_path would print
 * the paths relative to where the sources were found.)
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface FixtureSources {
  /** The private copy of the sources. */
  dir: string;
  /** Where the profiles say the sources were built. */
  buildRoot: string;
  /** The CLI's RunIO that reads the sources from dir. */
  io: { sourceMappings: { from: string; to: string }[] };
  /** Removes dir. */
  remove(): void;
}

/** Copies `from` (a fixture's Go folder) into a new mkdtemp folder; its profiles were built under buildRoot. */
export function fixtureSources(from: string, buildRoot: string): FixtureSources {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pprof-lens-src-${path.basename(path.dirname(from))}-`));
  cpSync(from, dir, { recursive: true });
  return {
    dir,
    buildRoot,
    io: { sourceMappings: [{ from: buildRoot, to: dir }] },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The sources of test/fixtures (scripts/gen-fixtures.sh builds them under /tmp/gopher/src/example.com/fixtures). */
export function mainFixtureSources(): FixtureSources {
  return fixtureSources(path.resolve(__dirname, '../../fixtures/go'), '/tmp/gopher/src/example.com/fixtures');
}

/** The sources of test/fixtures/legacy (built under /tmp/pprof-lens-legacy/src/example.com/legacy). */
export function legacyFixtureSources(): FixtureSources {
  return fixtureSources(
    path.resolve(__dirname, '../../fixtures/legacy/go'),
    '/tmp/pprof-lens-legacy/src/example.com/legacy',
  );
}
