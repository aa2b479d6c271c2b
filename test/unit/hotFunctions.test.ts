/** Hot Functions: grouped by package, sorted by cum or flat, runtime hidden by default. */
import assert from 'node:assert/strict';
import { goPackage, groupHotFunctions, isRuntimePackage } from '../../src/core/hotFunctions';

describe('hotFunctions', () => {
  it('names the package of Go function names', () => {
    assert.equal(goPackage('main.main'), 'main');
    assert.equal(goPackage('main.fanOut.func1'), 'main');
    assert.equal(goPackage('example.com/heapdemo/store.(*Store).Put'), 'example.com/heapdemo/store');
    assert.equal(goPackage('runtime.gopark'), 'runtime');
    assert.equal(goPackage('runtime/internal/atomic.Load'), 'runtime/internal/atomic');
    assert.equal(goPackage('golang.org/x/sync/errgroup.(*Group).Go.func1'), 'golang.org/x/sync/errgroup');
    assert.equal(goPackage('main.Map[go.shape.int]'), 'main');
    assert.ok(isRuntimePackage('runtime') && !isRuntimePackage('runtime/pprof'));
  });

  it('groups by package, sorts by cum (default) or flat, hides the runtime unless asked', () => {
    // The editor fixture's goroutine profile: flat in the runtime, cum in main.
    const items = [
      { name: 'runtime.gopark', flat: 96, cum: 96 },
      { name: 'runtime.goexit', flat: 0, cum: 97 },
      { name: 'main.park', flat: 0, cum: 80 },
      { name: 'main.idle', flat: 0, cum: 16 },
      { name: 'runtime/pprof.writeGoroutine', flat: 0, cum: 1 },
      { name: 'example.com/dep.Checksum', flat: 5, cum: 5 },
    ];
    const byCum = groupHotFunctions(items, { sortBy: 'cum', showRuntime: false, limit: 50 });
    assert.equal(byCum.hidden, 2);
    assert.deepEqual(
      byCum.packages.map((p) => [p.pkg, p.functions.map((f) => f.name)]),
      [
        ['main', ['main.park', 'main.idle']],
        ['example.com/dep', ['example.com/dep.Checksum']],
        ['runtime/pprof', ['runtime/pprof.writeGoroutine']],
      ],
    );
    const byFlat = groupHotFunctions(items, { sortBy: 'flat', showRuntime: true, limit: 50 });
    assert.equal(byFlat.packages[0]!.pkg, 'runtime');
    assert.equal(byFlat.packages[0]!.functions[0]!.name, 'runtime.gopark');
    assert.equal(
      groupHotFunctions(items, { sortBy: 'cum', showRuntime: true, limit: 1 }).packages[0]!.functions[0]!.name,
      'runtime.goexit',
    );
  });
});
