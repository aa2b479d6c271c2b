/**
 * A new view of the same profile (a filter, a base) keeps its files' local paths without mapping
 * them again (src/vscode/profile/viewSources.ts): the carried map equals the map built afresh for
 * the new view's files, on the real CPU fixture and its filtered views; a base's new file means
 * mapping again.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Resolution } from '../../src/core/paths';
import type { SourceMap } from '../../src/vscode/profile/sourceMap';
import { reindexSourceMap, sourceMapOf } from '../../src/vscode/profile/viewSources';
import { ProfileOps } from '../../src/worker/ops';
import { repoRoot } from './helpers/shared';

const ROOTS = ['/ws'];

/**
 * What buildSourceMap builds, with a stand-in resolver: the module's files are found under /ws,
 * and every work.go of the profile is the one local file /ws/shared.go (two profile names for one
 * local file, listed in file order).
 */
function mapOf(files: readonly string[]): SourceMap {
  const resolutions = files.map((f): Resolution => {
    const at = f.indexOf('example.com/fixtures/');
    if (at < 0) return { profilePath: f, reason: 'not in the workspace' };
    const local = f.endsWith('work.go') ? '/ws/shared.go' : `/ws/${f.slice(at + 'example.com/fixtures/'.length)}`;
    return { profilePath: f, localPath: local, method: 'module' };
  });
  return sourceMapOf(resolutions, (local) => `key:${local}`, ROOTS, []);
}

describe('a view of the same profile carries its source map over', () => {
  const bytes = new Uint8Array(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles/cpu.pb.gz')));
  const loaded = ProfileOps.load({ bytes });
  const files = loaded.packed.files;

  it('equals the map built afresh for each filtered view of the CPU fixture', () => {
    for (const filters of [
      { focus: 'Fib' },
      { ignore: 'runtime' },
      { hide: 'work\\.' },
      { focus: 'nothing-matches' },
    ]) {
      const view = loaded.ops.review({ filters }).packed.files;
      assert.ok(view.length < files.length, JSON.stringify(filters));
      const got = reindexSourceMap(mapOf(files), files, view, ROOTS);
      assert.deepEqual(got, mapOf(view), JSON.stringify(filters));
      // And back to the unfiltered view from the filtered one.
      if (view.length > 0) assert.equal(reindexSourceMap(mapOf(view), view, files, ROOTS), undefined);
    }
    assert.deepEqual(reindexSourceMap(mapOf(files), files, files, ROOTS), mapOf(files));
  });

  it('a file the old view did not name (a base brings it) means mapping again', () => {
    assert.equal(reindexSourceMap(mapOf(files), files, [...files, '/other/base.go'], ROOTS), undefined);
  });
});
