/**
 * End to end: a real Go program with net/http/pprof (test/e2e/server, built with the installed go)
 * listening on 127.0.0.1, captured through the same code the extension runs (core/capture for the
 * URLs and messages, src/node/fetchProfile.ts for the request). Two heap snapshots around a map
 * that grows on one line, one of them through basic auth, compared like -base: the top growing
 * line must be the map-growth line. A hung endpoint, a wrong password, a missing endpoint and a
 * cancelled CPU capture must end in clear messages within their bounds.
 *
 * Skipped, with a message, only when no go binary is found (.ci/run installs one).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { annotate } from '../../src/core/annotate';
import { resolveGoBinary } from '../../src/core/bench';
import { captureTimeoutMs, profileUrl } from '../../src/core/capture';
import { removeUninteresting } from '../../src/core/compact';
import { parseProfile } from '../../src/core/decode';
import { compareProfiles } from '../../src/core/diff';
import { sampleIndexByName } from '../../src/core/model';
import { topReport } from '../../src/core/report';
import { buildSync } from 'esbuild';
import { CaptureError, fetchProfile } from '../../src/node/fetchProfile';
import { WorkerClient, WorkerRequestError } from '../../src/vscode/profile/workerClient';
import type { PackedAnnotations } from '../../src/worker/protocol';

const serverDir = path.join(__dirname, 'server');
const mainGo = path.join(serverDir, 'main.go');
const GROWTH_LINE =
  readFileSync(mainGo, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('// GROWTH-LINE')) + 1;
const USER = 'gopher';
// A random password per run: it must never show up in any message.
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;

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

function log(msg: string): void {
  process.stdout.write(`      · ${msg}\n`);
}

async function startServer(bin: string): Promise<{ proc: ChildProcess; base: string }> {
  const proc = spawn(bin, ['-addr', '127.0.0.1:0', '-user', USER], {
    env: { ...process.env, E2E_PPROF_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`the test server did not start within 20 s: ${err}`)), 20_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /LISTENING (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`the test server exited (${code}): ${err}`));
    });
  });
  return { proc, base };
}

async function get(url: string): Promise<string> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let s = '';
        res.on('data', (c) => (s += c));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(s) : reject(new Error(`${url}: ${res.statusCode} ${s}`)),
        );
      })
      .on('error', reject);
  });
}

function lineValue(a: PackedAnnotations, fileSuffix: string, line: number, t: number): { flat: number; cum: number } {
  const f = a.files.findIndex((x) => x.endsWith(fileSuffix));
  assert.ok(f >= 0, `no ${fileSuffix} in the profile`);
  const T = a.sampleTypes.length;
  for (let i = a.fileLineStart[f]!; i < a.fileLineStart[f + 1]!; i++) {
    if (a.lineNo[i] === line) return { flat: a.lineFlat[i * T + t]!, cum: a.lineCum[i * T + t]! };
  }
  return { flat: 0, cum: 0 };
}

async function expectCaptureError(p: Promise<unknown>): Promise<CaptureError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof CaptureError, `expected a CaptureError, got ${String(e)}`);
    return e;
  }
  assert.fail('the capture succeeded but should have failed');
}

describe('e2e: capture from a real Go server', function () {
  this.timeout(180_000);
  let proc: ChildProcess | undefined;
  let base = '';
  let tmp = '';

  before(async function () {
    if (!goBin) {
      process.stdout.write(
        '      SKIPPED: no go binary found on PATH (install Go; .ci/run does) — the capture e2e tests need one.\n',
      );
      this.skip();
    }
    tmp = mkdtempSync(path.join(tmpdir(), 'pprof-lens-e2e-'));
    const bin = path.join(tmp, 'e2eserver');
    const t0 = Date.now();
    const b = spawnSync(goBin!.path, ['build', '-o', bin, '.'], {
      cwd: serverDir,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod', GOWORK: 'off' },
    });
    assert.equal(b.status, 0, `go build failed: ${b.stderr}`);
    log(`built the server with ${goBin!.path} in ${Date.now() - t0} ms`);
    const t1 = Date.now();
    ({ proc, base } = await startServer(bin));
    log(`server up at ${base} in ${Date.now() - t1} ms`);
  });

  after(() => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    if (tmp && existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  });

  it('two heap snapshots (the second through basic auth) compared with -base point at the growing line', async () => {
    await get(`${base}/grow?n=100`);
    const t0 = Date.now();
    const before = await fetchProfile({
      url: profileUrl(base, 'heap'),
      type: 'heap',
      timeoutMs: captureTimeoutMs(undefined, 20),
    });
    log(`heap snapshot 1: ${before.bytes.length} bytes in ${before.ms} ms`);
    await get(`${base}/grow?n=2000`);
    const after = await fetchProfile({
      url: profileUrl(`${base}/auth`, 'heap'),
      type: 'heap',
      user: USER,
      password: PASSWORD,
      timeoutMs: captureTimeoutMs(undefined, 20),
    });
    log(`heap snapshot 2 (basic auth): ${after.bytes.length} bytes in ${after.ms} ms`);

    const diff = compareProfiles(
      removeUninteresting(parseProfile(after.bytes)),
      removeUninteresting(parseProfile(before.bytes)),
      'base',
    );
    const si = sampleIndexByName(diff, 'inuse_space');

    // top -lines: the heaviest growing line.
    const top = topReport(diff, { sampleIndex: si, granularity: 'lines', sort: 'flat', compactLabels: true });
    const first = top.rows.find((r) => r.flat > 0)!;
    log(
      `top -lines, inuse_space: ${top.rows
        .slice(0, 3)
        .map((r) => `${r.name} ${r.flat}`)
        .join(' | ')}`,
    );
    assert.equal(first.function, 'main.grow');
    assert.ok(first.file.endsWith('server/main.go'), first.file);
    assert.equal(first.line, GROWTH_LINE);
    // 2000 entries of 4 KiB grew between the snapshots (sampling is exact: MemProfileRate = 1).
    assert.ok(first.flat >= 2000 * 4096, `growth ${first.flat}`);

    // The editor overlays: among main.go's lines, the growth line has the largest inuse_space.
    const a = annotate(diff);
    const file = a.files.find((f) => f.file.endsWith('server/main.go'))!;
    const hottest = [...file.lines].sort((x, y) => y.flat[si]! - x.flat[si]!)[0]!;
    assert.equal(hottest.line, GROWTH_LINE);
    assert.ok(hottest.flat[si]! > 0);
    const growFn = file.functions.find((f) => f.name === 'main.grow')!;
    assert.ok(growFn.cum[si]! >= 2000 * 4096);
    log(`compare + annotate in ${Date.now() - t0} ms total`);
  });

  it('the decode worker compares, filters (totals before filtering) and drops the base, as the editor shows it', async () => {
    await get(`${base}/grow?n=50`);
    const before = await fetchProfile({ url: profileUrl(base, 'heap'), type: 'heap', timeoutMs: 20_000 });
    await get(`${base}/grow?n=1000`);
    const after = await fetchProfile({ url: profileUrl(base, 'heap'), type: 'heap', timeoutMs: 20_000 });
    // The worker as the extension bundles it (dist/worker.js), on a real worker thread.
    const script = path.join(tmp, 'worker.js');
    buildSync({
      entryPoints: [path.resolve(__dirname, '../../src/worker/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: script,
      logLevel: 'silent',
    });
    const c = new WorkerClient({ script });
    try {
      const t0 = Date.now();
      const loaded = await c.request('load', {
        bytes: after.bytes,
        base: { bytes: before.bytes, name: 'before.pb.gz', mode: 'base' },
      });
      log(`worker load + compare in ${Date.now() - t0} ms`);
      const si = loaded.sampleTypes.findIndex((t) => t.type === 'inuse_space');
      const growth = lineValue(loaded, 'server/main.go', GROWTH_LINE, si);
      assert.ok(growth.flat >= 1000 * 4096, `growth ${growth.flat}`);
      const { sides, ...compare } = loaded.view?.compare ?? {};
      assert.deepEqual(compare, { name: 'before.pb.gz', mode: 'base', normalize: false });
      // Each side's own total (the status bar's "before → after"): the base's is its profile's, checked below.
      assert.equal(sides?.base.length, loaded.sampleTypes.length);
      assert.deepEqual(loaded.view?.active, []);

      // Filters: focus on main.grow keeps its line; percentages stay relative to the unfiltered total.
      const focused = await c.request('view', { filters: { focus: 'main\\.grow', ignore: 'nomatch_xyz' } });
      assert.deepEqual(focused.view?.active, ['focus=main\\.grow', 'ignore=nomatch_xyz']);
      assert.deepEqual(focused.view?.unmatched, ['ignore']);
      assert.equal(focused.totals[si], loaded.totals[si]);
      assert.equal(lineValue(focused, 'server/main.go', GROWTH_LINE, si).flat, growth.flat);
      assert.ok(focused.files.length < loaded.files.length, 'focus drops the files of other stacks');
      const top = await c.request('top', { sampleIndex: si, limit: 5 });
      assert.equal(top.total, loaded.totals[si]);
      assert.equal(top.rows[0]!.name, 'main.grow');

      // diff_base: the base is kept as negative samples and percentages are relative to the base.
      const diff = await c.request('view', {
        base: { bytes: before.bytes, name: 'before.pb.gz', mode: 'diff_base' },
        filters: {},
      });
      assert.equal(diff.view?.compare?.mode, 'diff_base');
      assert.equal(lineValue(diff, 'server/main.go', GROWTH_LINE, si).flat, growth.flat);

      // Dropping the base gives the plain profile back.
      const plain = await c.request('view', { base: null });
      assert.equal(plain.view?.compare, undefined);
      assert.deepEqual(sides?.current, [...plain.totals]);
      assert.ok(lineValue(plain, 'server/main.go', GROWTH_LINE, si).flat > growth.flat);

      // A bad regular expression is a clear error, and the worker keeps the previous view.
      await assert.rejects(
        c.request('view', { filters: { focus: '(' } }),
        (e: unknown) =>
          e instanceof WorkerRequestError &&
          e.kind === 'bad-filter' &&
          /^Bad filter: .*error parsing regexp: missing closing \): `\(`/.test(e.message),
      );
      // A base of another kind is refused with a reason.
      const cpu = await fetchProfile({ url: profileUrl(base, 'goroutine'), type: 'goroutine', timeoutMs: 20_000 });
      await assert.rejects(
        c.request('view', { base: { bytes: cpu.bytes, name: 'g.pb.gz', mode: 'base' } }),
        (e: unknown) =>
          e instanceof WorkerRequestError &&
          e.base === 'g.pb.gz' &&
          /^it is a goroutine profile \(goroutine\/count\), the open profile a heap profile \(alloc_objects\/count/.test(
            e.message,
          ),
      );
      const again = await c.request('top', { sampleIndex: si, limit: 1 });
      assert.equal(again.rows.length, 1);
    } finally {
      c.terminate();
    }
  });

  it('a wrong password gives the 401 message, without the password', async () => {
    const t0 = Date.now();
    const e = await expectCaptureError(
      fetchProfile({
        url: profileUrl(`${base}/auth`, 'heap'),
        type: 'heap',
        user: USER,
        password: `${PASSWORD}-wrong`,
        timeoutMs: 10_000,
      }),
    );
    log(`401 after ${Date.now() - t0} ms: ${e.message}`);
    assert.equal(e.kind, 'status');
    assert.match(e.message, /401 Unauthorized: wrong user or password/);
    assert.ok(!e.message.includes(PASSWORD));
    const none = await expectCaptureError(
      fetchProfile({ url: profileUrl(`${base}/auth`, 'heap'), type: 'heap', timeoutMs: 10_000 }),
    );
    assert.match(none.message, /wrong user or password/);
  });

  it('a hung server gives the timeout message within the bound', async () => {
    const timeoutMs = captureTimeoutMs(undefined, 2);
    const t0 = Date.now();
    const e = await expectCaptureError(
      fetchProfile({ url: profileUrl(`${base}/hang`, 'heap'), type: 'heap', timeoutMs }),
    );
    const took = Date.now() - t0;
    log(`timeout after ${took} ms (bound ${timeoutMs} ms): ${e.message}`);
    assert.equal(e.kind, 'timeout');
    assert.match(
      e.message,
      new RegExp(`^No answer from ${base.replace(/[.]/g, '\\.')}/hang/debug/pprof/heap within 2 s`),
    );
    assert.ok(took >= timeoutMs - 50 && took < timeoutMs + 1500, `took ${took} ms`);
  });

  it('a missing endpoint asks whether net/http/pprof is imported', async () => {
    const e = await expectCaptureError(
      fetchProfile({ url: profileUrl(`${base}/nothing`, 'heap'), type: 'heap', timeoutMs: 10_000 }),
    );
    assert.match(e.message, /404 Not Found: no \/debug\/pprof\/heap endpoint .*is net\/http\/pprof imported/);
  });

  it('a CPU capture can be cancelled mid-way, and a short one returns a CPU profile', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 300);
    const e = await expectCaptureError(
      fetchProfile({
        url: profileUrl(base, 'profile', 30),
        type: 'profile',
        timeoutMs: captureTimeoutMs(30),
        signal: ac.signal,
      }),
    );
    log(`cancelled after ${Date.now() - t0} ms`);
    assert.equal(e.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 2000);
    // The server's CPU profiler is free again once the cancelled request is gone.
    let cpu;
    for (let i = 0; i < 20 && !cpu; i++) {
      try {
        cpu = await fetchProfile({
          url: profileUrl(base, 'profile', 1),
          type: 'profile',
          timeoutMs: captureTimeoutMs(1, 10),
        });
      } catch (err) {
        if (!(err instanceof CaptureError) || !/already in use/.test(err.message)) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const p = parseProfile(cpu!.bytes);
    assert.deepEqual(
      p.sampleTypes.map((t) => t.type),
      ['samples', 'cpu'],
    );
    log(`1 s CPU profile in ${cpu!.ms} ms`);
  });

  it('connection refused is explained', async () => {
    const port = Number(new URL(base).port);
    proc!.kill('SIGKILL');
    await new Promise((r) => proc!.once('exit', r));
    const e = await expectCaptureError(
      fetchProfile({ url: profileUrl(`http://127.0.0.1:${port}`, 'heap'), type: 'heap', timeoutMs: 5000 }),
    );
    assert.match(e.message, /connection refused/);
  });
});
