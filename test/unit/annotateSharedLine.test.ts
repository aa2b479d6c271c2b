/**
 * A closure literal's line holds two functions' frames at once: the outer function's call
 * (`pprof.Do(ctx, labels, func(ctx context.Context) {`) and the closure's own entry. The overlay
 * of that line counts each sample once; summing the two functions' cum counted the closure's
 * samples twice (a user saw 2.63 s where every stack through the line held 2.47 s).
 */
import assert from 'node:assert/strict';
import { annotate } from '../../src/core/annotate';
import { parseProfile } from '../../src/core/decode';
import { listReport } from '../../src/core/report';

// A goroutine dump: 3 goroutines inside the closure (its entry frame on line 58, under the
// outer function's call on line 58), 2 in a callee of the outer function at line 60.
const frames = (inner: string) => `${inner}
runtime/pprof.Do({0x0, 0x0}, {{0x0, 0x0, 0x0}}, 0x0)
	/usr/lib/go-1.19/src/runtime/pprof/runtime.go:40 +0x8d
main.serve.func1({0x0, 0x0})
	/build/x/app/main.go:58 +0x45
main.serve()
	/build/x/app/main.go:57 +0x25
created by main.main
	/build/x/app/main.go:20 +0x1e
`;
let dump = '';
let id = 1;
for (let i = 0; i < 3; i++)
  dump += `goroutine ${id++} [chan receive]:\n${frames('main.serve.func1.1({0x0, 0x0})\n\t/build/x/app/main.go:58 +0x12')}\n`;
for (let i = 0; i < 2; i++) {
  dump += `goroutine ${id++} [select]:
main.wait()
	/build/x/app/main.go:70 +0x10
main.serve.func1({0x0, 0x0})
	/build/x/app/main.go:60 +0x50
main.serve()
	/build/x/app/main.go:57 +0x25
created by main.main
	/build/x/app/main.go:20 +0x1e

`;
}

describe('annotate: a line shared by two functions', () => {
  const p = parseProfile(new TextEncoder().encode(dump));
  const a = annotate(p);
  const file = a.files.find((f) => f.file.endsWith('/app/main.go'))!;
  const line = (n: number) => file.lines.find((l) => l.line === n)!;

  it("counts each sample once in the line's cum (the closure's goroutines are not counted twice)", () => {
    assert.equal(a.totals[0], 5);
    // Line 58: the 3 goroutines whose stacks hold it (twice each); not 3 + 3.
    assert.equal(line(58).cum[0], 3);
    assert.equal(line(58).flat[0], 3);
    assert.equal(line(57).cum[0], 5);
    assert.equal(line(60).cum[0], 2);
  });

  it("equals the largest of -list's per-function values on that line when one function nests in the other", () => {
    const blocks = listReport(p, { sampleIndex: 0 }, /main\.serve/).blocks;
    const at58 = blocks.flatMap((b) => b.lines.filter((l) => l.line === 58).map((l) => l.cum));
    assert.deepEqual(at58.sort(), [3, 3], 'pprof -list shows 3 in each routine');
    assert.equal(line(58).cum[0], Math.max(...at58));
  });
});
