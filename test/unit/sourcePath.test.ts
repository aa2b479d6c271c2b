import { strict as assert } from 'node:assert';
import { trimSourcePath } from '../../src/core/sourcePath';

describe('trimSourcePath (pprof source.go trimPath semantics)', () => {
  it('trims at the search directory base name when no trim prefix is given', () => {
    assert.equal(trimSourcePath('/build/a/heapdemo/cmd/main.go', [], ['/home/me/src/heapdemo']), 'cmd/main.go');
    assert.equal(trimSourcePath('/build/a/heapdemo/main.go', [], ['/other', '/home/me/heapdemo/']), 'main.go');
  });
  it('leaves a path without the base name as it is', () => {
    assert.equal(trimSourcePath('/build/a/prog/main.go', [], ['/home/me/src/heapdemo']), '/build/a/prog/main.go');
  });
  it('uses the first matching trim prefix instead of the heuristic', () => {
    assert.equal(
      trimSourcePath('/build/a/heapdemo/main.go', ['/x', '/build/a'], ['/home/me/heapdemo']),
      'heapdemo/main.go',
    );
    assert.equal(trimSourcePath('/build/a/heapdemo/main.go', ['/build/a/'], []), 'heapdemo/main.go');
  });
  it('always removes /proc/self/cwd/ (Bazel sandboxes)', () => {
    assert.equal(trimSourcePath('/proc/self/cwd/./pkg/x.go', [], []), 'pkg/x.go');
    assert.equal(trimSourcePath('/proc/self/cwd/pkg/x.go', [], []), 'pkg/x.go');
  });
  it('normalizes Windows separators', () => {
    assert.equal(trimSourcePath('C:\\b\\heapdemo\\main.go', [], ['D:\\src\\heapdemo']), 'main.go');
  });
});
