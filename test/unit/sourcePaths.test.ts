/**
 * Where the flame graph panel's tooltips say a frame's file is: the host's source map turned into
 * workspace paths (core/paths workspaceRelative, sourcePaths: the 'sourcePaths' message), and the
 * page's tooltip lines from them (webview/sources fileLines): the workspace path first, the
 * profile's own path under it only when it differs.
 */
import assert from 'node:assert/strict';
import { sourcePaths, workspaceRelative, type Resolution } from '../../src/core/paths';
import { fileLines, setSourcePaths } from '../../webview/sources';

const SHOP = { name: 'shop', path: '/home/me/src/shop' };
const LIB = { name: 'lib', path: '/home/me/src/shop/third_party/lib' };
const TOOLS = { name: 'tools', path: '/home/me/src/tools' };

describe("the panel's workspace paths", () => {
  it('relative to the one workspace folder', () => {
    assert.equal(workspaceRelative('/home/me/src/shop/cart/cart.go', [SHOP]), 'cart/cart.go');
    assert.equal(workspaceRelative('/home/me/src/shop/main.go', [SHOP]), 'main.go');
  });

  it("after the folder's name in a multi-root workspace, the innermost folder holding the file", () => {
    assert.equal(workspaceRelative('/home/me/src/shop/cart/cart.go', [SHOP, TOOLS]), 'shop/cart/cart.go');
    assert.equal(workspaceRelative('/home/me/src/tools/gen/main.go', [SHOP, TOOLS]), 'tools/gen/main.go');
    assert.equal(workspaceRelative('/home/me/src/shop/third_party/lib/x.go', [SHOP, LIB, TOOLS]), 'lib/x.go');
    assert.equal(workspaceRelative('/home/me/src/shop/third_party/lib/x.go', [LIB, SHOP]), 'lib/x.go');
  });

  it('absolute outside every folder (GOROOT, the module cache); a sibling with the same prefix is outside', () => {
    assert.equal(workspaceRelative('/usr/lib/go/src/runtime/proc.go', [SHOP]), '/usr/lib/go/src/runtime/proc.go');
    assert.equal(workspaceRelative('/home/me/src/shopping/a.go', [SHOP]), '/home/me/src/shopping/a.go');
    assert.equal(workspaceRelative('/home/me/src/shop/cart/cart.go', []), '/home/me/src/shop/cart/cart.go');
  });

  it('Windows paths, slash-separated as the resolver gives them', () => {
    const ws = { name: 'shop', path: 'c:/Users/me/shop' };
    assert.equal(workspaceRelative('c:/Users/me/shop/cart/cart.go', [ws]), 'cart/cart.go');
    assert.equal(workspaceRelative('c:\\Users\\me\\shop\\cart\\cart.go', [ws]), 'cart/cart.go');
    assert.equal(workspaceRelative('C:/Users/me/shop/cart/cart.go', [ws]), 'cart/cart.go');
    assert.equal(workspaceRelative('C:\\Go\\src\\sort\\sort.go', [ws]), 'C:/Go/src/sort/sort.go');
  });

  it('lists the files found elsewhere than the profile says, once each; not the unresolved, not those found in place', () => {
    const rs: Resolution[] = [
      {
        profilePath: '/home/ci/build/shop/cart/cart.go',
        localPath: '/home/me/src/shop/cart/cart.go',
        method: 'suffix',
      },
      { profilePath: 'example.com/shop/pay/pay.go', localPath: '/home/me/src/shop/pay/pay.go', method: 'module' },
      { profilePath: '/home/ci/build/shop/gone.go', reason: 'no local file' },
      {
        profilePath: '/usr/local/go/src/runtime/proc.go',
        localPath: '/usr/local/go/src/runtime/proc.go',
        method: 'identity',
      },
      { profilePath: '/opt/go/src/sort/sort.go', localPath: '/usr/local/go/src/sort/sort.go', method: 'goroot' },
      {
        profilePath: '/home/ci/build/shop/cart/cart.go',
        localPath: '/home/me/src/shop/cart/cart.go',
        method: 'suffix',
      },
    ];
    assert.deepEqual(sourcePaths(rs, [SHOP]), [
      ['/home/ci/build/shop/cart/cart.go', 'cart/cart.go'],
      ['example.com/shop/pay/pay.go', 'pay/pay.go'],
      ['/opt/go/src/sort/sort.go', '/usr/local/go/src/sort/sort.go'],
    ]);
    assert.deepEqual(sourcePaths(rs, [SHOP, TOOLS]).slice(0, 2), [
      ['/home/ci/build/shop/cart/cart.go', 'shop/cart/cart.go'],
      ['example.com/shop/pay/pay.go', 'shop/pay/pay.go'],
    ]);
    // A relative profile path (-trimpath) that is the workspace path already: nothing to add.
    assert.deepEqual(
      sourcePaths([{ profilePath: 'cart/cart.go', localPath: '/home/me/src/shop/cart/cart.go' }], [SHOP]),
      [],
    );
  });

  it("a tooltip's file lines: the workspace path, then the profile's when it differs; the profile's alone when not found", () => {
    const paths = new Map([['/home/ci/build/shop/cart/cart.go', 'cart/cart.go']]);
    assert.deepEqual(fileLines('/home/ci/build/shop/cart/cart.go', 42, paths), [
      'cart/cart.go:42',
      'in the profile: /home/ci/build/shop/cart/cart.go',
    ]);
    assert.deepEqual(fileLines('/usr/local/go/src/runtime/proc.go', 7, paths), ['/usr/local/go/src/runtime/proc.go:7']);
    assert.deepEqual(fileLines('cart/cart.go', 3, new Map([['cart/cart.go', 'cart/cart.go']])), ['cart/cart.go:3']);
  });

  it('names are text: a line break or a bidi control in a path cannot forge a tooltip line or reorder it', () => {
    const evil = '/home/ci/x.go\nin the profile: /etc/passwd\u202e';
    const lines = fileLines(evil, 1, new Map([[evil, 'x\u2066.go']]));
    assert.deepEqual(lines, ['x.go:1', 'in the profile: /home/ci/x.go in the profile: /etc/passwd']);
    assert.ok(lines.every((l) => !l.includes('\n')));
  });

  it("the page takes the host's list and leaves out what is malformed", () => {
    setSourcePaths([
      ['/b/a.go', 'a.go'],
      ['/b/c.go', ''],
      [1, 'x'] as unknown as [string, string],
      'junk' as unknown as [string, string],
    ]);
    assert.deepEqual(fileLines('/b/a.go', 2), ['a.go:2', 'in the profile: /b/a.go']);
    assert.deepEqual(fileLines('/b/c.go', 2), ['/b/c.go:2']);
    setSourcePaths('junk' as unknown as []);
    assert.deepEqual(fileLines('/b/a.go', 2), ['/b/a.go:2']);
  });
});
