/**
 * Resolution of real profiles in a checkout whose folder name differs from the build machine's:
 * the editor fixture (test/integration/editor/fixture, scripts/gen-editor-fixtures.sh) was built
 * under /build/pprof-lens-editor/prog and is opened as myapp/; variants built with -trimpath, with
 * vendor/ and in a go.work. Real files on disk, real profiles; and the containment rule: nothing
 * outside the workspace, GOROOT, GOMODCACHE or a mapping's target is ever a source.
 */
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { annotate } from '../../src/core/annotate';
import { parseProfile } from '../../src/core/decode';
import {
  expandPathVariables,
  impliedMapping,
  looksLikeDependency,
  mappingTargetSetting,
  noticeActions,
  PathResolver,
  resolveDots,
  resolutionNotice,
  summarizeUserCode,
  type GoModule,
  type Resolution,
} from '../../src/core/paths';

const FIX = path.resolve(__dirname, '../integration/editor/fixture');
const GOROOT = '/usr/lib/go-1.19';
const haveGoroot = existsSync(`${GOROOT}/src/runtime/proc.go`);

function filesOf(profile: string): string[] {
  return annotate(parseProfile(readFileSync(path.join(FIX, 'profiles', profile)))).files.map((f) => f.file);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const f = path.join(dir, e);
    if (statSync(f).isDirectory()) walk(f, out);
    else if (f.endsWith('.go')) out.push(f);
  }
  return out;
}

function resolveIn(
  root: string,
  profile: string,
  modules: GoModule[],
  extra: Partial<ConstructorParameters<typeof PathResolver>[0]> = {},
): Map<string, Resolution> {
  const r = new PathResolver({
    roots: [root],
    modules,
    workspaceFiles: walk(root),
    goroot: GOROOT,
    gomodcache: path.join(FIX, 'gomodcache'),
    exists: (f) => existsSync(f) && statSync(f).isFile(),
    realpath: (f) => realpathSync(f),
    ...extra,
  });
  const files = filesOf(profile);
  const out = r.resolveAll(files);
  return new Map(files.map((f, i) => [f, out[i]!]));
}

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'pprof-lens-editor-resolve-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('resolution in a checkout named differently (real profiles)', () => {
  const myapp = path.join(FIX, 'myapp');
  const heapdemo: GoModule[] = [{ path: 'example.com/heapdemo', root: myapp }];

  it('finds main.go at the root of myapp/ for /build/pprof-lens-editor/prog/main.go, by base name with low confidence', () => {
    const m = resolveIn(myapp, 'cpu.pb.gz', heapdemo);
    const main = m.get('/build/pprof-lens-editor/prog/main.go')!;
    assert.equal(main.localPath, path.join(myapp, 'main.go'));
    assert.equal(main.method, 'basename');
    assert.equal(main.confidence, 'low');
    const dep = m.get('/build/pprof-lens-editor/gomodcache/example.com/dep@v1.0.0/dep.go')!;
    assert.deepEqual(
      [dep.localPath, dep.method],
      [path.join(FIX, 'gomodcache/example.com/dep@v1.0.0/dep.go'), 'gomodcache'],
    );
    if (haveGoroot) assert.equal(m.get(`${GOROOT}/src/runtime/proc.go`)?.method, 'goroot');
    const s = summarizeUserCode([...m.values()], [myapp]);
    assert.deepEqual([s.user, s.found, s.byNameOnly], [1, 0, 1]);
    assert.deepEqual(s.suggestion, { from: '/build/pprof-lens-editor/prog', to: myapp });
  });

  it('infers the directory pair from a file found by path suffix and maps the root files with it (heap: store/store.go)', () => {
    const m = resolveIn(myapp, 'heap2.pb.gz', heapdemo);
    const store = m.get('/build/pprof-lens-editor/prog/store/store.go');
    assert.equal(store?.method, 'suffix');
    const main = m.get('/build/pprof-lens-editor/prog/main.go')!;
    assert.deepEqual([main.localPath, main.method, main.confidence], [path.join(myapp, 'main.go'), 'inferred', 'high']);
    assert.deepEqual(main.via, { from: '/build/pprof-lens-editor/prog', to: myapp });
    const s = summarizeUserCode([...m.values()], [myapp]);
    assert.deepEqual([s.user, s.found, s.byNameOnly], [2, 2, 0]);
  });

  it('maps a -trimpath build through go.mod and the module cache', () => {
    const m = resolveIn(myapp, 'cpu-trimpath.pb.gz', heapdemo);
    assert.deepEqual(
      [m.get('example.com/heapdemo/main.go')?.localPath, m.get('example.com/heapdemo/main.go')?.method],
      [path.join(myapp, 'main.go'), 'module'],
    );
    assert.equal(m.get('example.com/dep@v1.0.0/dep.go')?.method, 'gomodcache');
    if (haveGoroot) assert.equal(m.get('runtime/proc.go')?.method, 'goroot');
  });

  it("maps a vendor/ build into the checkout's vendor/ directory", () => {
    const co = path.join(tmp, 'checkout');
    cpSync(myapp, co, { recursive: true });
    mkdirSync(path.join(co, 'vendor/example.com/dep'), { recursive: true });
    cpSync(path.join(FIX, 'depsrc/dep.go'), path.join(co, 'vendor/example.com/dep/dep.go'));
    const m = resolveIn(co, 'cpu-vendor.pb.gz', [{ path: 'example.com/heapdemo', root: co }]);
    const dep = m.get('/build/pprof-lens-editor/vendored/vendor/example.com/dep/dep.go')!;
    assert.equal(dep.localPath, path.join(co, 'vendor/example.com/dep/dep.go'));
    const main = m.get('/build/pprof-lens-editor/vendored/main.go')!;
    // The vendored file implies /build/pprof-lens-editor/vendored -> checkout, which maps main.go.
    assert.deepEqual([main.localPath, main.method], [path.join(co, 'main.go'), 'inferred']);
  });

  it('maps a go.work build with two modules opened under another folder name', () => {
    const ws = path.join(tmp, 'mywork');
    cpSync(myapp, path.join(ws, 'app'), { recursive: true });
    cpSync(path.join(FIX, 'depsrc'), path.join(ws, 'dep'), { recursive: true });
    writeFileSync(path.join(ws, 'go.work'), 'go 1.19\n\nuse (\n\t./app\n\t./dep\n)\n');
    const m = resolveIn(ws, 'cpu-gowork.pb.gz', [
      { path: 'example.com/heapdemo', root: path.join(ws, 'app') },
      { path: 'example.com/dep', root: path.join(ws, 'dep') },
    ]);
    assert.equal(m.get('/build/pprof-lens-editor/work/app/main.go')?.localPath, path.join(ws, 'app/main.go'));
    assert.equal(m.get('/build/pprof-lens-editor/work/dep/dep.go')?.localPath, path.join(ws, 'dep/dep.go'));
  });

  it("uses pprof's search-path rule when the folder has the build directory's name", () => {
    const co = path.join(tmp, 'elsewhere', 'prog');
    cpSync(myapp, co, { recursive: true });
    const m = resolveIn(co, 'cpu.pb.gz', []);
    const main = m.get('/build/pprof-lens-editor/prog/main.go')!;
    assert.deepEqual([main.localPath, main.method], [path.join(co, 'main.go'), 'suffix']);
  });
});

describe('resolution never leaves the workspace, GOROOT, GOMODCACHE or a mapping', () => {
  it('lists /etc/passwd, module/../.. paths and symlinks out of the workspace as unresolved', () => {
    const ws = path.join(tmp, 'safe');
    mkdirSync(path.join(ws, 'pkg'), { recursive: true });
    writeFileSync(path.join(ws, 'go.mod'), 'module example.com/safe\n');
    writeFileSync(path.join(ws, 'main.go'), 'package main\n');
    symlinkSync('/etc/passwd', path.join(ws, 'pkg', 'passwd.go'));
    const r = new PathResolver({
      roots: [ws],
      modules: [{ path: 'example.com/safe', root: ws }],
      workspaceFiles: [path.join(ws, 'main.go'), path.join(ws, 'pkg', 'passwd.go')],
      goroot: GOROOT,
      exists: (f) => existsSync(f),
      realpath: (f) => realpathSync(f),
    });
    const rs = r.resolveAll([
      '/etc/passwd',
      'example.com/safe/../../../../../../etc/passwd',
      '/build/x/example.com/safe/../../../../etc/hostname',
      '/build/x/pkg/passwd.go',
      '/build/x/main.go',
    ]);
    for (const x of rs.slice(0, 4)) assert.equal(x.localPath, undefined, `${x.profilePath} -> ${x.localPath}`);
    assert.match(
      rs[0]!.reason!,
      /\/etc\/passwd is outside the workspace, GOROOT, GOMODCACHE and the path mappings: not opened/,
    );
    assert.equal(rs[4]!.localPath, path.join(ws, 'main.go'));
  });

  it('resolves dots and tests containment at element boundaries', () => {
    assert.equal(resolveDots('/a/b/../c/./d.go'), '/a/c/d.go');
    assert.equal(resolveDots('/a/../../etc'), undefined);
    const r = new PathResolver({ roots: ['/ws/app'], exists: () => true, workspaceFiles: [] });
    assert.equal(r.resolve('/ws/app/x.go').localPath, '/ws/app/x.go');
    assert.equal(r.resolve('/ws/appx/x.go').localPath, undefined);
  });
});

describe('paths: settings and suggestions', () => {
  const folders = [
    { name: 'myapp', path: '/home/me/src/myapp' },
    { name: 'tools', path: '/home/me/src/tools' },
  ];
  it('expands ${workspaceFolder}, ${workspaceFolder:name}, ~ and ${env:X} in mappings', () => {
    const ctx = { folders, home: '/home/me', env: { SRC: '/srv/src' } };
    assert.equal(expandPathVariables('${workspaceFolder}', ctx), '/home/me/src/myapp');
    assert.equal(expandPathVariables('${workspaceFolder:tools}/cmd', ctx), '/home/me/src/tools/cmd');
    assert.equal(expandPathVariables('~/go/src', ctx), '/home/me/go/src');
    assert.equal(expandPathVariables('${env:SRC}/app', ctx), '/srv/src/app');
    assert.equal(expandPathVariables('${userHome}/x', ctx), '/home/me/x');
    assert.equal(expandPathVariables('${workspaceFolder:nope}', ctx), undefined);
    assert.equal(expandPathVariables('${workspaceFolder}', { folders: [] }), undefined);
    assert.equal(expandPathVariables('/abs/path', ctx), '/abs/path');
  });
  it('writes a suggested target relative to its workspace folder', () => {
    assert.equal(mappingTargetSetting('/home/me/src/myapp', folders), '${workspaceFolder}');
    assert.equal(mappingTargetSetting('/home/me/src/tools/cmd', folders), '${workspaceFolder:tools}/cmd');
    assert.equal(mappingTargetSetting('/elsewhere', folders), '/elsewhere');
  });
  it("derives directory pairs and tells dependencies from the user's code", () => {
    assert.deepEqual(impliedMapping('/build/x/prog/server/h.go', '/ws/myapp/server/h.go'), {
      from: '/build/x/prog',
      to: '/ws/myapp',
    });
    assert.equal(impliedMapping('main.go', '/ws/main.go'), undefined);
    for (const p of [
      '/usr/local/go/src/runtime/proc.go',
      '/opt/hostedtoolcache/go/1.22.1/x64/src/net/http/server.go',
      'runtime/proc.go',
      '/go/pkg/mod/golang.org/x/sync@v0.7.0/errgroup/errgroup.go',
      'example.com/dep@v1.0.0/dep.go',
      // what go test -memprofile records for its generated main (never a workspace file)
      '/tmp/go-build1234/b001/_testmain.go',
      '_testmain.go',
      '/tmp/go-build9/b001/_cgo_gotypes.go',
      '<autogenerated>',
    ]) {
      assert.equal(looksLikeDependency(p), true, p);
    }
    for (const p of [
      '/build/x/prog/main.go',
      'example.com/heapdemo/main.go',
      '/home/runner/work/app/app/src/server/main.go',
    ])
      assert.equal(looksLikeDependency(p), false, p);
  });
});

describe('paths: what the user is told', () => {
  const FIXAPP = path.join(FIX, 'myapp');
  it('says none of your code was found and offers the computed mapping (cpu.pb.gz in myapp/)', () => {
    const m = resolveIn(FIXAPP, 'cpu.pb.gz', [{ path: 'example.com/heapdemo', root: FIXAPP }]);
    const rs = [...m.values()];
    const n = resolutionNotice('cpu.pb.gz', rs, summarizeUserCode(rs, [FIXAPP]), () => 'this folder (myapp)')!;
    assert.equal(n.severity, 'warning');
    assert.match(
      n.text,
      /^pprof: none of your code in cpu\.pb\.gz was found by its path: 0 of your 1 source file \(\d+ of the \d+ other files, the Go runtime, standard library and dependencies, were found\)\. main\.go matched by file name only \(low confidence\)\. Map \/build\/pprof-lens-editor\/prog → this folder \(myapp\)\?$/,
    );
    assert.deepEqual(n.offer, { from: '/build/pprof-lens-editor/prog', to: FIXAPP });
    // The words and the counts agree: the found files it counts are the others, not the user's.
    const [, foundOther, others] = /\((\d+) of the (\d+) other files/.exec(n.text)!;
    assert.equal(Number(others), rs.length - 1);
    assert.equal(Number(foundOther), rs.filter((r) => r.localPath).length - 1);
    assert.doesNotMatch(n.text, /of them yours/);
  });
  it('says nothing when everything of yours was found, and explains profiles without your frames or without files', () => {
    const all = [{ profilePath: '/b/main.go', localPath: '/ws/main.go', method: 'module' as const }];
    assert.equal(
      resolutionNotice('x', all, summarizeUserCode(all, ['/ws']), (d) => d),
      undefined,
    );
    const std = [{ profilePath: '/usr/local/go/src/runtime/proc.go', reason: 'r' }];
    assert.match(
      resolutionNotice('heap.txt', std, summarizeUserCode(std, ['/ws']), (d) => d)!.text,
      /has no frames in your code/,
    );
    assert.match(
      resolutionNotice('heap.txt', [], summarizeUserCode([], ['/ws']), (d) => d)!.text,
      /names no source files/,
    );
  });
});

describe('paths: a plain build of package main opened under another folder name (trial 4, relay)', () => {
  // Built as /tmp/trial4-build/relay (go build, no -trimpath: the profile has the build directory,
  // never the module path); opened as proxy/ with go.mod and main.go at the root.
  const BUILD = '/build/relay';
  const profile = [
    `${BUILD}/main.go`,
    '/usr/lib/go-1.19/src/runtime/proc.go',
    '/usr/lib/go-1.19/src/net/http/server.go',
    '<autogenerated>',
  ];
  function layout(extra: string[]): { ws: string; rs: Resolution[]; files: string[] } {
    const ws = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'pprof-lens-relay-'))), 'proxy');
    for (const f of ['go.mod', 'main.go', ...extra]) {
      mkdirSync(path.dirname(path.join(ws, f)), { recursive: true });
      writeFileSync(path.join(ws, f), f === 'go.mod' ? 'module example.com/relay\n\ngo 1.19\n' : 'package main\n');
    }
    const files = ['main.go', ...extra].map((f) => `${ws}/${f}`);
    const r = new PathResolver({
      roots: [ws],
      modules: [{ path: 'example.com/relay', root: ws }],
      workspaceFiles: files,
      goroot: GOROOT,
      exists: (f) => existsSync(f),
    });
    return { ws, rs: r.resolveAll(profile), files };
  }

  it('one main.go: matched by name only, and the notice says so (low confidence) with Map', () => {
    const { ws, rs } = layout([]);
    assert.equal(rs[0]!.localPath, `${ws}/main.go`);
    assert.equal(rs[0]!.confidence, 'low');
    const user = summarizeUserCode(rs, [ws]);
    assert.deepEqual([user.user, user.found, user.byNameOnly], [1, 0, 1]);
    const n = resolutionNotice('cpu.pb.gz', rs, user, () => 'this folder (proxy)')!;
    assert.equal(n.severity, 'warning');
    assert.match(
      n.text,
      / main\.go matched by file name only \(low confidence\)\. Map \/build\/relay → this folder \(proxy\)\?$/,
    );
    assert.deepEqual(n.offer, { from: BUILD, to: ws });
    assert.deepEqual(noticeActions(n), ['Map', 'Show Unresolved', 'Path Mappings…']);
    rmSync(path.dirname(ws), { recursive: true, force: true });
  });

  it('with tools/gen/main.go too: the folder with go.mod wins the tie, and the notice offers Map', () => {
    const { ws, rs } = layout(['tools/gen/main.go']);
    // Before: unresolved ("main.go is not in this workspace") and a notice without Map.
    assert.equal(rs[0]!.localPath, `${ws}/main.go`);
    assert.equal(rs[0]!.method, 'basename');
    assert.equal(rs[0]!.confidence, 'low');
    const user = summarizeUserCode(rs, [ws]);
    assert.deepEqual(user.suggestion, { from: BUILD, to: ws });
    const n = resolutionNotice('cpu.pb.gz', rs, user, () => 'this folder (proxy)')!;
    assert.match(n.text, /Map \/build\/relay → this folder \(proxy\)\?$/);
    assert.deepEqual(noticeActions(n), ['Map', 'Show Unresolved', 'Path Mappings…']);
    rmSync(path.dirname(ws), { recursive: true, force: true });
  });

  it('the folder holding more of the build directory’s files beats the go.mod folder; an even tie maps nothing', () => {
    const ws = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'pprof-lens-relay-'))), 'proxy');
    for (const f of ['go.mod', 'main.go', 'cmd/relay/main.go', 'cmd/relay/server.go', 'a/x.go', 'b/x.go']) {
      mkdirSync(path.dirname(path.join(ws, f)), { recursive: true });
      writeFileSync(path.join(ws, f), f === 'go.mod' ? 'module example.com/relay\n' : 'package main\n');
    }
    const files = ['main.go', 'cmd/relay/main.go', 'cmd/relay/server.go', 'a/x.go', 'b/x.go'].map((f) => `${ws}/${f}`);
    const r = new PathResolver({
      roots: [ws],
      modules: [{ path: 'example.com/relay', root: ws }],
      workspaceFiles: files,
      exists: (f) => existsSync(f),
    });
    const rs = r.resolveAll(['/b/relay/main.go', '/b/relay/server.go', '/b/other/x.go']);
    assert.equal(rs[0]!.localPath, `${ws}/cmd/relay/main.go`);
    assert.equal(rs[1]!.localPath, `${ws}/cmd/relay/server.go`);
    assert.equal(rs[2]!.localPath, undefined);
    rmSync(path.dirname(ws), { recursive: true, force: true });
  });
});
