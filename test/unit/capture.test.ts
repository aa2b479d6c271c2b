/** core/capture: URLs, base URL checks, file names, timeouts and the failure messages a user sees. */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  basicAuthHeader,
  CAPTURE_TYPES,
  captureExtension,
  captureFileName,
  captureTimeoutMs,
  captureTypesFor,
  captureTypeOfFile,
  checkProfileBody,
  describeFailure,
  displayUrl,
  normalizeBaseUrl,
  parsePprofIndex,
  profileUrl,
  safeText,
  uniqueFileName,
  validateSeconds,
} from '../../src/core/capture';

describe('capture: base URL and endpoint', () => {
  it('normalizes what users type', () => {
    assert.equal(normalizeBaseUrl('127.0.0.1:6060'), 'http://127.0.0.1:6060');
    assert.equal(normalizeBaseUrl(' http://127.0.0.1:6060/ '), 'http://127.0.0.1:6060');
    assert.equal(normalizeBaseUrl('http://127.0.0.1:6060/debug/pprof/'), 'http://127.0.0.1:6060');
    assert.equal(normalizeBaseUrl('https://127.0.0.1/admin/debug/pprof/heap'), 'https://127.0.0.1/admin');
    assert.equal(normalizeBaseUrl('localhost:8080/admin/'), 'http://localhost:8080/admin');
    assert.equal(normalizeBaseUrl('http://[::1]:6060'), 'http://[::1]:6060');
  });
  it('refuses other schemes, credentials, queries and garbage with a reason', () => {
    assert.throws(() => normalizeBaseUrl(''), /Enter the address/);
    assert.throws(() => normalizeBaseUrl('ftp://127.0.0.1'), /Only http and https/);
    assert.throws(() => normalizeBaseUrl('file:///etc/passwd'), /Only http and https/);
    assert.throws(() => normalizeBaseUrl('javascript:alert(1)'), /Only http and https/);
    assert.throws(
      () => normalizeBaseUrl('http://u:secret@127.0.0.1:6060'),
      (e) => {
        assert.match((e as Error).message, /secret storage/);
        assert.doesNotMatch((e as Error).message, /secret@/);
        return true;
      },
    );
    assert.throws(() => normalizeBaseUrl('http://127.0.0.1:6060/?x=1'), /query/);
    assert.throws(() => normalizeBaseUrl('http://127.0.0.1:6060\n/x'), /control/);
    assert.throws(() => normalizeBaseUrl('http://'), /not a valid address|no host/);
  });
  it('builds /debug/pprof/<type> with seconds for CPU', () => {
    assert.equal(profileUrl('127.0.0.1:6060', 'heap'), 'http://127.0.0.1:6060/debug/pprof/heap');
    assert.equal(
      profileUrl('http://127.0.0.1:6060/', 'profile', 30),
      'http://127.0.0.1:6060/debug/pprof/profile?seconds=30',
    );
    assert.equal(profileUrl('http://h/admin', 'mutex'), 'http://h/admin/debug/pprof/mutex');
    assert.deepEqual(
      CAPTURE_TYPES.map((t) => t.type),
      ['heap', 'allocs', 'profile', 'goroutine', 'goroutine-dump', 'goroutineleak', 'block', 'mutex', 'threadcreate'],
    );
    // The goroutine dump: goroutine?debug=2, saved as text.
    assert.equal(profileUrl('127.0.0.1:6060', 'goroutine-dump'), 'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2');
    assert.equal(captureExtension('goroutine-dump'), '.txt');
    assert.equal(captureTypeOfFile('goroutine-dump-2026-11-22T19-10-05.txt'), 'goroutine-dump');
    assert.equal(captureTypeOfFile('goroutine-dump-2026-11-22T19-10-05-3.txt'), 'goroutine-dump');
    assert.equal(captureTypeOfFile('goroutine-dump-2026-11-22T19-10-05.pb.gz'), undefined);
    assert.equal(captureTypeOfFile('heap-2026-11-22T19-10-05.txt'), undefined);
    assert.equal(
      uniqueFileName('goroutine-dump-2026-11-22T19-10-05.txt', (n) => n === 'goroutine-dump-2026-11-22T19-10-05.txt'),
      'goroutine-dump-2026-11-22T19-10-05-2.txt',
    );
    // goroutineleak (Go 1.26+) only where the server's index lists it.
    assert.deepEqual(
      CAPTURE_TYPES.filter((t) => t.onlyWhenOffered).map((t) => t.type),
      ['goroutineleak'],
    );
    assert.deepEqual(
      CAPTURE_TYPES.filter((t) => t.needsSeconds).map((t) => t.type),
      ['profile'],
    );
  });
  it('validates seconds and computes the hard timeout', () => {
    assert.equal(validateSeconds('30'), undefined);
    assert.match(validateSeconds('0')!, /At least/);
    assert.match(validateSeconds('1.5')!, /whole number/);
    assert.match(validateSeconds('99999')!, /At most/);
    assert.equal(captureTimeoutMs(30, 10), 40_000);
    assert.equal(captureTimeoutMs(undefined, 10), 10_000);
    assert.equal(captureTimeoutMs(undefined, 0), 1000);
  });
});

describe('capture: file names', () => {
  const d = new Date(2026, 10, 22, 19, 10, 5);
  it('timestamps without colons', () => {
    assert.equal(captureFileName('heap', d), 'heap-2026-11-22T19-10-05.pb.gz');
    assert.equal(captureFileName('../x', d), '.._x-2026-11-22T19-10-05.pb.gz');
    assert.equal(captureTypeOfFile('heap-2026-11-22T19-10-05.pb.gz'), 'heap');
    assert.equal(captureTypeOfFile('heap-2026-11-22T19-10-05-2.pb.gz'), 'heap');
    assert.equal(captureTypeOfFile('other.pb.gz'), undefined);
  });
  it('adds -2, -3 when a name is taken', () => {
    const taken = new Set(['heap-2026-11-22T19-10-05.pb.gz', 'heap-2026-11-22T19-10-05-2.pb.gz']);
    assert.equal(
      uniqueFileName('heap-2026-11-22T19-10-05.pb.gz', (n) => taken.has(n)),
      'heap-2026-11-22T19-10-05-3.pb.gz',
    );
    assert.equal(
      uniqueFileName('free.pb.gz', (n) => taken.has(n)),
      'free.pb.gz',
    );
  });
});

describe('capture: failures in one sentence', () => {
  const url = 'http://127.0.0.1:6060/debug/pprof/heap';
  it('401 is a wrong user or password', () => {
    assert.match(describeFailure({ kind: 'status', status: 401 }, url, 'heap'), /wrong user or password/);
  });
  it('404 asks whether net/http/pprof is imported', () => {
    assert.match(
      describeFailure({ kind: 'status', status: 404 }, url, 'heap'),
      /no \/debug\/pprof\/heap endpoint.*net\/http\/pprof imported/,
    );
  });
  it('timeout names the address and the bound', () => {
    assert.match(
      describeFailure({ kind: 'timeout', timeoutMs: 5000 }, url, 'heap'),
      /^No answer from http:\/\/127\.0\.0\.1:6060\/debug\/pprof\/heap within 5 s/,
    );
  });
  it('network errors, redirects, WriteTimeout and other statuses', () => {
    assert.match(
      describeFailure({ kind: 'network', code: 'ECONNREFUSED', message: 'x' }, url, 'heap'),
      /connection refused/,
    );
    assert.match(
      describeFailure({ kind: 'status', status: 302, location: 'http://127.0.0.1:6061/' }, url, 'heap'),
      /redirected \(302\) to http:\/\/127\.0\.0\.1:6061\//,
    );
    assert.match(
      describeFailure(
        { kind: 'status', status: 400, body: "profile duration exceeds server's WriteTimeout" },
        url,
        'profile',
      ),
      /WriteTimeout; capture fewer seconds/,
    );
    assert.match(
      describeFailure(
        {
          kind: 'status',
          status: 500,
          statusText: 'Internal Server Error',
          body: 'Could not enable CPU profiling: cpu profiling already in use\n',
        },
        url,
        'profile',
      ),
      /answered 500 Internal Server Error\. The server said: "Could not enable CPU profiling: cpu profiling already in use"/,
    );
    assert.equal(describeFailure({ kind: 'cancelled' }, url, 'heap'), 'The capture was cancelled.');
  });
  it('server text is untrusted: control characters go, length is capped', () => {
    const m = describeFailure(
      { kind: 'status', status: 500, body: `evil\u001b[31m\u202eline\r\nnext${'x'.repeat(1000)}` },
      url,
      'heap',
    );
    assert.doesNotMatch(m, /[\u0000-\u001f\u202e]/);
    assert.ok(m.length < 400);
    assert.equal(safeText('a\n\tb'), 'a b');
  });
  it('never shows credentials of a URL', () => {
    assert.equal(displayUrl('http://u:pw@127.0.0.1:1/x'), 'http://127.0.0.1:1/x');
    assert.doesNotMatch(
      describeFailure({ kind: 'timeout', timeoutMs: 1000 }, 'http://u:pw@127.0.0.1:1/x', 'heap'),
      /pw/,
    );
  });
  it('basic auth header', () => {
    assert.equal(basicAuthHeader('alice', 'pä:ss'), `Basic ${Buffer.from('alice:pä:ss').toString('base64')}`);
  });
});

describe('capture: is the answer a profile?', () => {
  it('gzip bodies pass (the decoder checks them on opening)', () => {
    assert.equal(checkProfileBody(gzipSync(Buffer.from('x'))), undefined);
  });
  it('HTML and text that is not a profile are explained', () => {
    assert.match(checkProfileBody(Buffer.from('<!DOCTYPE html><html>…'), 'text/html; charset=utf-8')!, /HTML page/);
    assert.match(checkProfileBody(Buffer.from('404 page not found\n'))!, /.+/);
    assert.match(checkProfileBody(new Uint8Array())!, /empty/);
  });
  it('a legacy text heap profile passes', () => {
    const legacy = 'heap profile: 1: 2 [3: 4] @ heap/1048576\n1: 2 [3: 4] @ 0x1 0x2\n';
    assert.equal(checkProfileBody(Buffer.from(legacy)), undefined);
  });
});

describe('capture: the server index (GET /debug/pprof/)', () => {
  it("reads the profile names net/http/pprof's index links to, and offers goroutineleak only when listed", () => {
    const go126 = `<table><thead><td>Count</td><td>Profile</td></thead>
<tr><td>12</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>
<tr><td>3</td><td><a href='goroutineleak?debug=1'>goroutineleak</a></td></tr>
<tr><td>7</td><td><a href='heap?debug=1'>heap</a></td></tr>
<tr><td>0</td><td><a href='profile?debug=1'>profile</a></td></tr></table>
<a href="goroutine?debug=2">full goroutine stack dump</a>`;
    assert.deepEqual(parsePprofIndex(go126), ['goroutine', 'goroutineleak', 'heap', 'profile']);
    assert.ok(captureTypesFor(parsePprofIndex(go126)).some((t) => t.type === 'goroutineleak'));
    assert.ok(!captureTypesFor(['goroutine', 'heap']).some((t) => t.type === 'goroutineleak'));
    assert.ok(!captureTypesFor(undefined).some((t) => t.type === 'goroutineleak'));
    // Untrusted page: markup and odd names are not taken.
    assert.deepEqual(parsePprofIndex(`<a href='<script>?debug=1'>x</a><a href='a b?debug=1'>`), []);
  });
});
