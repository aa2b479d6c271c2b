/**
 * The CLI on http sources of a real Go server with net/http/pprof (test/e2e/server): a heap and a
 * 1-second CPU profile fetched by URL, the report compared with `go tool pprof` on the copy the
 * CLI saved (as pprof saves one), basic auth from the URL, a hung endpoint and -timeout, and the
 * growth between two snapshots with -base on the saved copies.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli';
import { resolveGoBinary } from '../../src/core/bench';

const serverDir = path.join(__dirname, 'server');
const USER = 'gopher';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
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

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

function savedIn(err: string): string {
  const m = /Saved profile in (.*)\n/.exec(err);
  assert.ok(m, `no "Saved profile in" in:\n${err}`);
  return m[1]!;
}

describe('e2e: the CLI fetches profiles from a real Go server', function () {
  this.timeout(180_000);
  let proc: ChildProcess | undefined;
  let base = '';
  let tmp = '';
  let oldTmp: string | undefined;

  before(async function () {
    if (!goBin) {
      process.stdout.write('      SKIPPED: no go binary found on PATH.\n');
      this.skip();
    }
    tmp = mkdtempSync(path.join(tmpdir(), 'pprof-lens-cli-e2e-'));
    oldTmp = process.env['PPROF_TMPDIR'];
    process.env['PPROF_TMPDIR'] = path.join(tmp, 'saved');
    const bin = path.join(tmp, 'e2eserver');
    const b = spawnSync(goBin!.path, ['build', '-o', bin, '.'], {
      cwd: serverDir,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off' },
    });
    assert.equal(b.status, 0, `go build failed: ${b.stderr}`);
    proc = spawn(bin, ['-addr', '127.0.0.1:0', '-user', USER], {
      env: { ...process.env, E2E_PPROF_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error('the test server did not start within 20 s')), 20_000);
      proc!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /LISTENING http:\/\/(127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
  });

  after(() => {
    if (oldTmp === undefined) delete process.env['PPROF_TMPDIR'];
    else process.env['PPROF_TMPDIR'] = oldTmp;
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    if (tmp && existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  });

  const pprofTop = (file: string, ...flags: string[]) => {
    const g = spawnSync(goBin!.path, ['tool', 'pprof', '-symbolize=none', '-top', '-nodecount=1000', ...flags, file], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    assert.equal(g.status, 0, g.stderr);
    return g.stdout;
  };

  it('a heap profile by host:port/path: the report go tool pprof prints for what was fetched', async () => {
    const r = await cli(['-top', '-nodecount=1000', '-sample_index=alloc_space', `${base}/debug/pprof/heap`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`^Fetching profile over HTTP from http://${base}/debug/pprof/heap\\n`));
    const saved = savedIn(r.err);
    assert.match(
      path.basename(saved),
      /^pprof\.e2eserver\.alloc_objects\.alloc_space\.inuse_objects\.inuse_space\.\d{3}\.pb\.gz$/,
    );
    assert.equal(r.out, pprofTop(saved, '-sample_index=alloc_space'));
  });

  it('-seconds=1 on /debug/pprof/profile: a CPU profile, and traces of it', async () => {
    const t0 = Date.now();
    const r = await cli(['-traces', '-seconds=1', `http://${base}/debug/pprof/profile`]);
    assert.equal(r.code, 0, r.err);
    assert.ok(Date.now() - t0 >= 900, 'the server sampled for a second');
    assert.match(r.err, /\/debug\/pprof\/profile\?seconds=1\nPlease wait\.\.\. \(1s\)\n/);
    assert.match(r.out, /^Type: cpu$/m);
    const saved = savedIn(r.err);
    const g = spawnSync(goBin!.path, ['tool', 'pprof', '-symbolize=none', '-traces', saved], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    assert.equal(r.out, g.stdout);
  });

  it('user:password in the URL is basic auth, never printed; a wrong one is a 401 message', async () => {
    const ok = await cli(['-top', `http://${USER}:${PASSWORD}@${base}/auth/debug/pprof/heap`]);
    assert.equal(ok.code, 0, ok.err);
    assert.doesNotMatch(ok.err + ok.out, new RegExp(PASSWORD));
    const bad = await cli(['-top', `http://${USER}:Xy7notit@${base}/auth/debug/pprof/heap`]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /401 Unauthorized/);
    assert.match(bad.err, /failed to fetch any source profiles/);
    assert.doesNotMatch(bad.err, /Xy7notit/);
  });

  it('a hung endpoint ends at -timeout', async () => {
    const t0 = Date.now();
    const r = await cli(['-top', '-timeout=2', `http://${base}/hang/debug/pprof/heap`]);
    const ms = Date.now() - t0;
    assert.equal(r.code, 1);
    assert.ok(ms >= 1900 && ms < 6000, `${ms} ms`);
    assert.match(r.err, /no answer within 2s/);
  });

  it('two snapshots by URL and -base on the saved copies: what grew', async () => {
    const http = await import('node:http');
    const grow = (n: number) =>
      new Promise<void>((resolve, reject) =>
        http
          .get(`http://${base}/grow?n=${n}`, { agent: false }, (res) => res.resume().on('end', resolve))
          .on('error', reject),
      );
    await grow(100);
    const a = await cli(['-top', `http://${base}/debug/pprof/heap`]);
    await grow(3000);
    const b = await cli(['-top', `http://${base}/debug/pprof/heap`]);
    const before = savedIn(a.err);
    const after = savedIn(b.err);
    const r = await cli(['-top', '-nodecount=1000', '-sample_index=inuse_space', `-base=${before}`, after]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, pprofTop(after, '-sample_index=inuse_space', `-base=${before}`));
    assert.ok(readdirSync(path.dirname(after)).length >= 4);
  });
});
