/**
 * Go 1.26's goroutineleak profile among the capture types, end to end: the real Go test server
 * (test/e2e/server) started with -goroutineleak serves a profile of that name, so its
 * /debug/pprof/ index lists it as Go 1.26's does; without the flag the index does not. The types
 * offered follow the index (core/capture captureTypesFor over node/fetchProfile
 * fetchOfferedProfiles), and the captured goroutineleak profile reads in the goroutine view's core.
 * Also the goroutine profile in the three formats from the same server.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveGoBinary } from '../../src/core/bench';
import { captureTypesFor, profileUrl } from '../../src/core/capture';
import { readGoroutineSnapshot } from '../../src/core/goroutines';
import { fetchOfferedProfiles, fetchProfile } from '../../src/node/fetchProfile';

const serverDir = path.join(__dirname, 'server');
const LEAK_LINE =
  readFileSync(path.join(serverDir, 'main.go'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('// LEAK-LINE')) + 1;
const goBin = resolveGoBinary({
  pathEnv: process.env.PATH ?? '',
  isFile: (p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
});

async function start(bin: string, args: string[]): Promise<{ proc: ChildProcess; base: string }> {
  const proc = spawn(bin, ['-addr', '127.0.0.1:0', '-password', 'unused', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('the test server did not start within 20 s')), 20_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /LISTENING (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => reject(new Error(`the test server exited (${code})`)));
  });
  return { proc, base };
}

describe('goroutineleak among the capture types when the server offers it (e2e)', function () {
  let dir = '';
  let bin = '';
  const procs: ChildProcess[] = [];
  before(function () {
    if (!goBin) {
      process.stdout.write('      · no go binary found: skipped\n');
      this.skip();
    }
    dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-leak-e2e-'));
    bin = path.join(dir, 'server');
    const b = spawnSync(goBin!.path, ['build', '-o', bin, '.'], { cwd: serverDir, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  });
  after(() => {
    for (const p of procs) p.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a server without it: the usual types only', async () => {
    const s = await start(bin, []);
    procs.push(s.proc);
    const offered = await fetchOfferedProfiles({ baseUrl: s.base });
    assert.ok(offered?.includes('goroutine') && offered.includes('heap'), String(offered));
    assert.ok(!offered!.includes('goroutineleak'));
    assert.deepEqual(
      captureTypesFor(offered).map((t) => t.type),
      ['heap', 'allocs', 'profile', 'goroutine', 'goroutine-dump', 'block', 'mutex', 'threadcreate'],
    );
    // The three goroutine formats of one server read alike.
    for (const debug of ['', '?debug=1', '?debug=2']) {
      const r = await fetchProfile({
        url: debug === '?debug=2' ? profileUrl(s.base, 'goroutine-dump') : profileUrl(s.base, 'goroutine') + debug,
        type: 'goroutine',
        timeoutMs: 10_000,
      });
      const snap = readGoroutineSnapshot(r.bytes);
      assert.equal(snap.format, debug === '' ? 'proto' : debug === '?debug=1' ? 'text' : 'dump');
      assert.ok(snap.total >= 2, `${debug}: ${snap.total}`);
    }
  });

  it('a server that lists goroutineleak (Go 1.26+): offered, captured, and read as a goroutine profile', async () => {
    const s = await start(bin, ['-goroutineleak', '7']);
    procs.push(s.proc);
    const offered = await fetchOfferedProfiles({ baseUrl: s.base });
    assert.ok(offered?.includes('goroutineleak'), String(offered));
    assert.ok(captureTypesFor(offered).some((t) => t.type === 'goroutineleak'));
    const r = await fetchProfile({
      url: profileUrl(s.base, 'goroutineleak'),
      type: 'goroutineleak',
      timeoutMs: 10_000,
    });
    const snap = readGoroutineSnapshot(r.bytes);
    assert.equal(snap.kind, 'goroutineleak');
    assert.equal(snap.total, 7);
    assert.equal(snap.groups[0]!.count, 7);
    assert.equal(snap.groups[0]!.blocking?.fn, 'main.leakForever');
    assert.equal(snap.groups[0]!.blocking?.line, LEAK_LINE);
  });

  it('an address with no server: undefined, and the usual types', async () => {
    const offered = await fetchOfferedProfiles({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    assert.equal(offered, undefined);
    assert.equal(captureTypesFor(offered).length, 8);
  });
});
