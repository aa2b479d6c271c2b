/**
 * Source path resolution with the paths real profiles carry: a macOS GOPATH checkout, a Docker
 * build's /go/pkg/mod, a GitHub Actions runner, -trimpath builds, Windows builders, the standard
 * library under several GOROOTs.
 */
import assert from 'node:assert/strict';
import {
  normalizeSlashes,
  parseGoModModule,
  PathResolver,
  unescapeModulePath,
  type ResolverInput,
} from '../../src/core/paths';

const WS = '/home/me/src/lens';
const files = [
  `${WS}/main.go`,
  `${WS}/internal/hot/hot.go`,
  `${WS}/internal/hot/hot_test.go`,
  `${WS}/tools/gen/main.go`,
  `${WS}/sub/go.mod`,
  `${WS}/sub/pkg/util.go`,
  `${WS}/vendor/github.com/dep/x/x.go`,
  '/home/me/other/internal/hot/hot.go',
];
const GOROOT = '/usr/local/go';
const MODCACHE = '/home/me/go/pkg/mod';
const onDisk = new Set([
  ...files,
  `${GOROOT}/src/runtime/proc.go`,
  `${GOROOT}/src/net/http/server.go`,
  `${MODCACHE}/github.com/!burnt!sushi/toml@v1.3.2/decode.go`,
  `${MODCACHE}/golang.org/x/sync@v0.7.0/errgroup/errgroup.go`,
  '/srv/checkout/main.go',
]);

function resolver(extra: Partial<ResolverInput> = {}) {
  return new PathResolver({
    roots: [WS],
    modules: [
      { path: 'example.com/lens', root: WS },
      { path: 'example.com/lens/sub', root: `${WS}/sub` },
    ],
    workspaceFiles: files.slice(0, 7),
    goroot: GOROOT,
    gomodcache: MODCACHE,
    exists: (f) => onDisk.has(f),
    ...extra,
  });
}

describe('paths: PathResolver', () => {
  it('maps a GOPATH checkout on another machine through the module path', () => {
    const r = resolver().resolve('/Users/x/go/src/example.com/lens/internal/hot/hot.go');
    assert.equal(r.localPath, `${WS}/internal/hot/hot.go`);
    assert.equal(r.method, 'module');
  });

  it('maps a build root like /tmp/gopher/src/<module> (the fixtures) through the module path', () => {
    const r = resolver().resolve('/tmp/gopher/src/example.com/lens/main.go');
    assert.deepEqual([r.localPath, r.method], [`${WS}/main.go`, 'module']);
  });

  it('prefers the longest (nested) module path', () => {
    const r = resolver().resolve('/build/example.com/lens/sub/pkg/util.go');
    assert.deepEqual([r.localPath, r.method], [`${WS}/sub/pkg/util.go`, 'module']);
  });

  it('maps -trimpath module-relative paths', () => {
    assert.equal(resolver().resolve('example.com/lens/internal/hot/hot.go').localPath, `${WS}/internal/hot/hot.go`);
  });

  it('maps the workspace module when it appears as a module cache dependency', () => {
    const r = resolver().resolve('/go/pkg/mod/example.com/lens@v1.2.0/internal/hot/hot.go');
    assert.deepEqual([r.localPath, r.method], [`${WS}/internal/hot/hot.go`, 'module']);
  });

  it('does not match a module path inside a longer path element', () => {
    // "notexample.com/lens/" must not count as "example.com/lens/".
    const r = resolver({ workspaceFiles: [] }).resolve('/x/notexample.com/lens/main.go');
    assert.equal(r.localPath, undefined);
  });

  it('falls back to the longest unambiguous path suffix (a CI runner checkout without go.mod)', () => {
    const r = resolver({ modules: [] }).resolve('/home/runner/work/lens/lens/internal/hot/hot.go');
    assert.deepEqual([r.localPath, r.method], [`${WS}/internal/hot/hot.go`, 'suffix']);
  });

  it('refuses a base-name-only or ambiguous suffix match', () => {
    const r = resolver({ modules: [] });
    // main.go and tools/gen/main.go share only "main.go" with this path: ambiguous, one element.
    assert.equal(r.resolve('/home/runner/work/zzz/main.go').localPath, undefined);
    const amb = resolver({ modules: [], workspaceFiles: files }).resolve('/ci/internal/hot/hot.go');
    assert.equal(amb.localPath, undefined);
  });

  it('picks the deeper of two suffix matches', () => {
    const r = resolver({ modules: [], workspaceFiles: files }).resolve('/ci/lens/internal/hot/hot.go');
    assert.equal(r.localPath, `${WS}/internal/hot/hot.go`);
  });

  it('maps the standard library from several GOROOT layouts to $GOROOT/src', () => {
    const r = resolver();
    for (const p of [
      '/usr/local/go/src/runtime/proc.go',
      '/usr/lib/go-1.21/src/runtime/proc.go',
      '/opt/hostedtoolcache/go/1.22.1/x64/src/runtime/proc.go',
      '/Users/x/sdk/go1.22.0/src/runtime/proc.go',
      'runtime/proc.go',
      'C:\\Program Files\\Go\\src\\runtime\\proc.go',
    ]) {
      const res = r.resolve(p);
      assert.deepEqual([res.localPath, res.method], [`${GOROOT}/src/runtime/proc.go`, 'goroot'], p);
    }
    assert.equal(r.resolve('/usr/local/go/src/net/http/server.go').localPath, `${GOROOT}/src/net/http/server.go`);
  });

  it('maps the module cache of another machine to $GOMODCACHE, with !-escaped upper case', () => {
    const r = resolver();
    const a = r.resolve('/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go');
    assert.deepEqual(
      [a.localPath, a.method],
      [`${MODCACHE}/github.com/!burnt!sushi/toml@v1.3.2/decode.go`, 'gomodcache'],
    );
    const b = r.resolve('/Users/x/go/pkg/mod/golang.org/x/sync@v0.7.0/errgroup/errgroup.go');
    assert.equal(b.localPath, `${MODCACHE}/golang.org/x/sync@v0.7.0/errgroup/errgroup.go`);
    // -trimpath form of a dependency.
    assert.equal(r.resolve('golang.org/x/sync@v0.7.0/errgroup/errgroup.go').localPath, b.localPath);
  });

  it('applies the user mappings first, longest prefix first, with a path element boundary', () => {
    const r = resolver({
      mappings: [
        { from: '/home/runner/work', to: '/nowhere' },
        { from: '/home/runner/work/app/app/', to: '/srv/checkout' },
      ],
    });
    const a = r.resolve('/home/runner/work/app/app/main.go');
    assert.deepEqual([a.localPath, a.method], ['/srv/checkout/main.go', 'mapping']);
    // "/home/runner/work/app/appx" is not under "/home/runner/work/app/app".
    assert.notEqual(r.resolve('/home/runner/work/app/appx/main.go').method, 'mapping');
  });

  it('skips a mapping whose target does not exist and goes on to the other rules', () => {
    const r = resolver({ mappings: [{ from: '/Users/x/go/src', to: '/missing' }] });
    assert.equal(r.resolve('/Users/x/go/src/example.com/lens/main.go').method, 'module');
  });

  it('uses a path that exists as it is last, and explains unresolved files', () => {
    const r = resolver({ roots: [WS, '/srv/checkout'] });
    assert.deepEqual(
      [r.resolve('/srv/checkout/main.go').localPath, r.resolve('/srv/checkout/main.go').method],
      ['/srv/checkout/main.go', 'identity'],
    );
    const u = r.resolve('/Users/x/project/thing.go');
    assert.equal(u.localPath, undefined);
    assert.match(u.reason!, /go\.mod modules \(example\.com\/lens\/sub, example\.com\/lens\)/);
    assert.match(r.resolve('<autogenerated>').reason!, /no source file/);
    assert.equal(r.resolve('').localPath, undefined);
  });

  it('survives an exists() that throws', () => {
    const r = new PathResolver({
      exists: () => {
        throw new Error('EACCES');
      },
      goroot: GOROOT,
    });
    assert.equal(r.resolve('/usr/local/go/src/runtime/proc.go').localPath, undefined);
  });
});

describe('paths: helpers', () => {
  it('parses go.mod module directives', () => {
    assert.equal(parseGoModModule('// c\nmodule example.com/lens // trailing\n\ngo 1.22\n'), 'example.com/lens');
    assert.equal(parseGoModModule('module "quoted.org/m"\n'), 'quoted.org/m');
    assert.equal(parseGoModModule('go 1.22\n'), undefined);
  });
  it('normalizes slashes and unescapes module cache paths', () => {
    assert.equal(normalizeSlashes('C:\\a\\\\b\\'), 'C:/a/b');
    assert.equal(unescapeModulePath('github.com/!burnt!sushi/toml'), 'github.com/BurntSushi/toml');
  });
});
