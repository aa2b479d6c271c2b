/**
 * core/lineMap: a base revision's profile moved onto the working tree's source through
 * `git diff -U0` hunks. The diff is the fixture's (test/fixtures/benchab base/words.go →
 * change/words.go, as git prints it); the profile is the fixture's real old.cpu.pprof, recorded
 * in /tmp/pprof-lens-abtest-uBZ9KE/benchab by generate.sh. Expected lines checked by hand against
 * the two files.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { mapOldLine, moveToRevision, parseUnifiedDiff } from '../../src/core/lineMap';

const dir = path.resolve(__dirname, '../fixtures/benchab');
const DIFF = `diff --git a/words.go b/words.go
index 1111111..2222222 100644
--- a/words.go
+++ b/words.go
@@ -4,0 +5,2 @@ package words
+import "strings"
+
@@ -7 +9,6 @@ func Join(words []string, sep string) string {
-	s := ""
+	n := len(sep) * (len(words) - 1)
+	for _, w := range words {
+		n += len(w)
+	}
+	var b strings.Builder
+	b.Grow(n)
@@ -10 +17 @@ func Join(words []string, sep string) string {
-			s += sep
+			b.WriteString(sep)
@@ -12 +19 @@ func Join(words []string, sep string) string {
-		s += w
+		b.WriteString(w)
@@ -14 +21 @@ func Join(words []string, sep string) string {
-	return s
+	return b.String()
`;

describe('lineMap: a revision profile on the working tree source', () => {
  const diffs = parseUnifiedDiff(DIFF);
  it('reads git diff -U0 hunks', () => {
    assert.equal(diffs.length, 1);
    assert.equal(diffs[0]!.oldPath, 'words.go');
    assert.deepEqual(diffs[0]!.hunks[0], { oldStart: 4, oldCount: 0, newStart: 5, newCount: 2 });
    assert.deepEqual(diffs[0]!.hunks[1], { oldStart: 7, oldCount: 1, newStart: 9, newCount: 6 });
  });
  it('maps old lines: shifted after insertions, replaced lines to their new hunk', () => {
    const old = readFileSync(path.join(dir, 'base/words.go'), 'utf8').split('\n');
    const cur = readFileSync(path.join(dir, 'change/words.go'), 'utf8').split('\n');
    const h = diffs[0]!.hunks;
    // Unchanged lines land on the same text.
    for (const l of [1, 2, 3, 4, 5, 6, 8, 9, 11, 13, 15, 17, 18, 19, 20, 21, 22, 23])
      assert.equal(cur[mapOldLine(h, l) - 1], old[l - 1], `old line ${l}`);
    assert.equal(mapOldLine(h, 6), 8); // func Join
    assert.equal(mapOldLine(h, 7), 9); // s := "" → the hunk that replaced it
    assert.equal(mapOldLine(h, 10), 17); // s += sep → b.WriteString(sep)
    assert.equal(mapOldLine(h, 12), 19);
    assert.equal(mapOldLine(h, 18), 25); // func Sum
  });
  it("moves the recorded profile's functions to the working tree path and lines", () => {
    const p = parseProfile(new Uint8Array(readFileSync(path.join(dir, 'old.cpu.pprof'))));
    const root = '/tmp/pprof-lens-abtest-uBZ9KE/benchab';
    assert.ok(p.functions.some((f) => f.file === `${root}/words.go`));
    const m = moveToRevision(p, root, '/home/me/benchab', diffs);
    const join = m.functions.findIndex((f) => f.name === 'example.com/benchab.Join');
    const sum = m.functions.findIndex((f) => f.name === 'example.com/benchab.Sum');
    assert.equal(m.functions[join]!.file, '/home/me/benchab/words.go');
    // Go 1.19 writes no start_line (0): it stays 0; a recorded one is mapped like any line.
    assert.equal(m.functions[join]!.startLine, 0);
    const withStart = moveToRevision(
      { ...p, functions: p.functions.map((f) => (f.name === 'example.com/benchab.Sum' ? { ...f, startLine: 18 } : f)) },
      root,
      '/home/me/benchab',
      diffs,
    );
    assert.equal(withStart.functions[sum]!.startLine, 25);
    const lines = (fi: number, q = m) =>
      q.locations.flatMap((l) => l.lines.filter((x) => x.func === fi).map((x) => x.line));
    assert.deepEqual(
      lines(sum),
      lines(
        p.functions.findIndex((f) => f.name === 'example.com/benchab.Sum'),
        p,
      ).map((l) => l + 7),
    );
    for (const l of lines(join)) assert.ok(l >= 8 && l <= 22, `Join line ${l}`);
    // Other files (the runtime, the test file) are untouched.
    assert.ok(m.functions.filter((f) => f.file.startsWith('/usr/lib/go')).length > 10);
    assert.equal(moveToRevision(p, '/nowhere', '/x', diffs), p);
  });
});
