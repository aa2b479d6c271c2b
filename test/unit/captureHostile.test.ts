/**
 * Capture against an untrusted server and workspace: a gzip bomb is refused after inflation (the
 * cap holds), a workspace setting cannot send captures outside the workspace, credentials over
 * plain http to another machine are flagged before they are sent.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { resolveCaptureDirectory, sendsCredentialsInClear } from '../../src/core/capture';
import { CaptureError, fetchProfile } from '../../src/node/fetchProfile';

describe('capture: a server sending a gzip bomb', () => {
  let server: http.Server;
  let base = '';
  const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024)); // ~200 KB on the wire
  const real = gzipSync(Buffer.from([0x0a, 0x02, 0x08, 0x01, 0x32, 0x00, 0x32, 0x01, 0x78]));
  before(async () => {
    server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(req.url === '/bomb' ? bomb : real);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('is refused with a message once the inflated size passes the cap, in bounded time and memory', async () => {
    const rss0 = process.memoryUsage().rss;
    const t = Date.now();
    await assert.rejects(fetchProfile({ url: `${base}/bomb`, type: 'heap', timeoutMs: 10_000 }), (e: unknown) => {
      assert.ok(e instanceof CaptureError);
      assert.equal(e.kind, 'too-large');
      assert.match(e.message, /decompresses to more than 32 MiB \(a decompression bomb\?\); refusing to save it/);
      return true;
    });
    assert.ok(Date.now() - t < 3000, `${Date.now() - t} ms`);
    assert.ok(process.memoryUsage().rss - rss0 < 200 * 1024 * 1024);
  });

  it('a real gzip profile passes unchanged', async () => {
    const r = await fetchProfile({ url: `${base}/ok`, type: 'heap', timeoutMs: 10_000 });
    assert.deepEqual(Buffer.from(r.bytes), real);
  });
});

describe('capture: the directory a workspace may choose', () => {
  const ws = '/home/u/proj';
  const posix = path.posix;
  it('relative folders stay inside the workspace', () => {
    assert.deepEqual(resolveCaptureDirectory('.pprof', false, ws, posix), { dir: '/home/u/proj/.pprof' });
    assert.deepEqual(resolveCaptureDirectory('${workspaceFolder}/out/prof', false, ws, posix), {
      dir: '/home/u/proj/out/prof',
    });
    assert.deepEqual(resolveCaptureDirectory('', false, ws, posix), { dir: '/home/u/proj/.pprof' });
  });
  it('a workspace setting leading outside is refused, whatever its spelling', () => {
    for (const s of ['../..', 'a/../../x', '/etc/cron.d', '${workspaceFolder}/../other', '/home/u/projX']) {
      const r = resolveCaptureDirectory(s, false, ws, posix);
      assert.ok('error' in r, `${s}: ${JSON.stringify(r)}`);
      assert.match(r.error, /outside the workspace/);
    }
  });
  it("an absolute folder from the user's own settings is theirs to choose", () => {
    assert.deepEqual(resolveCaptureDirectory('/var/tmp/profiles', true, ws, posix), { dir: '/var/tmp/profiles' });
    // Relative values never leave the workspace, even from user settings.
    assert.ok('error' in resolveCaptureDirectory('../..', true, ws, posix));
  });
  it('Windows paths', () => {
    const w = path.win32;
    assert.deepEqual(resolveCaptureDirectory('.pprof', false, 'C:\\src\\proj', w), { dir: 'C:\\src\\proj\\.pprof' });
    assert.ok('error' in resolveCaptureDirectory('..\\..\\Windows', false, 'C:\\src\\proj', w));
    assert.ok('error' in resolveCaptureDirectory('D:\\x', false, 'C:\\src\\proj', w));
  });
});

describe('capture: basic auth over plain http', () => {
  it('is flagged for remote hosts, not for https or this machine', () => {
    assert.equal(sendsCredentialsInClear('http://prod.example.com:6060'), true);
    assert.equal(sendsCredentialsInClear('http://10.0.0.5:6060'), true);
    assert.equal(sendsCredentialsInClear('https://prod.example.com'), false);
    assert.equal(sendsCredentialsInClear('http://127.0.0.1:6060'), false);
    assert.equal(sendsCredentialsInClear('http://localhost:6060'), false);
    assert.equal(sendsCredentialsInClear('http://[::1]:6060'), false);
  });
});
