/**
 * The CLI's front end like a user meets it: -h, http(s) sources through the capture code
 * (-seconds, -timeout, basic auth from the URL), an executable before the profiles, -output, and
 * bad input in Go's words. Report numbers are the goldens of go tool pprof in test/fixtures.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RE2JS } from 're2js';
import { goFileError, main, parseArgs, regexpError, run, sourceUrl } from '../../src/cli';

const fixtures = path.resolve(__dirname, '..', 'fixtures');
const heap = path.join(fixtures, 'profiles', 'heap.pb.gz');
const heapTop = readFileSync(path.join(fixtures, 'golden', 'heap', 'inuse_space', 'top.txt'), 'utf8');
const cpuTop = readFileSync(path.join(fixtures, 'golden', 'cpu', 'cpu', 'top.txt'), 'utf8');

function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = run(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

async function cliAsync(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe('CLI front end', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-cli-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('-h prints the usage with every report and exits 0', () => {
    for (const h of ['-h', '-help', '--help']) {
      const r = cli([h]);
      assert.equal(r.code, 0);
      for (const word of [
        'top',
        'list REGEX',
        'peek REGEX',
        'tree',
        'traces',
        'tags',
        'raw',
        '-proto',
        '-tagroot',
        '-prune_from',
        '-seconds',
      ]) {
        assert.ok(r.err.includes(word), `usage mentions ${word}`);
      }
    }
  });

  it('bool flags take =true/=false as Go reads them', () => {
    assert.equal(parseArgs(['-top', '-cum=false', 'x']).cum, false);
    assert.equal(parseArgs(['-top', '-cum=1', 'x']).cum, true);
    assert.equal(parseArgs(['-top', '-cum', '-flat=true', 'x']).cum, false);
    assert.equal(parseArgs(['-top', '-noinlines=F', 'x']).noInlines, false);
    assert.equal(parseArgs(['-top', '-lines=false', 'x']).granularity, undefined);
    assert.equal(parseArgs(['-traces=false', '-top', 'x']).command, 'top');
    const r = cli(['-top', '-noinlines=yes', heap]);
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid boolean value "yes" for -noinlines: parse error/);
  });

  it("reads a directory, a missing file and an empty file with Go's words, no Node error codes", () => {
    const empty = path.join(tmp, 'empty.pb.gz');
    writeFileSync(empty, '');
    const dir = path.join(tmp, 'adir');
    mkdirSync(dir);
    for (const [f, want] of [
      [dir, `${dir}: read ${dir}: is a directory`],
      [
        path.join(tmp, 'nope.pb.gz'),
        `${path.join(tmp, 'nope.pb.gz')}: open ${path.join(tmp, 'nope.pb.gz')}: no such file or directory`,
      ],
      [empty, `${empty}: The file is empty`],
    ] as const) {
      const r = cli(['-top', f]);
      assert.equal(r.code, 1);
      assert.ok(r.err.startsWith(want), r.err);
      assert.match(r.err, /failed to fetch any source profiles/);
      // The temp folder's random name may hold capitals ("pprof-lens-cli-EKRZik"): only the words count.
      assert.doesNotMatch(r.err.split(tmp).join('<tmp>'), /\bE[A-Z]{3,}\b/);
    }
  });

  it("names system errors as Go's os package does", () => {
    const e = (code: string) => Object.assign(new Error(`${code}: raw node text`), { code });
    assert.equal(goFileError('open', 'p.pb.gz', e('EACCES')), 'open p.pb.gz: permission denied');
    assert.equal(goFileError('open', 'p.pb.gz', e('ENOENT')), 'open p.pb.gz: no such file or directory');
    assert.equal(goFileError('open', 'd/p', e('ENOTDIR')), 'open d/p: not a directory');
    assert.equal(goFileError('open', 'p', e('EWHATEVER')), 'open p: raw node text');
  });

  it("words an RE2 syntax error as Go's regexp package does", () => {
    let e: unknown;
    try {
      RE2JS.compile('main\\.(');
    } catch (x) {
      e = x;
    }
    assert.equal(regexpError(e), 'error parsing regexp: missing closing ): `main\\.(`');
  });

  it('skips an executable given before the profiles, as pprof takes it for the binary', () => {
    const r = cli(['-top', '-nodecount=1000', process.execPath, path.join(fixtures, 'profiles', 'cpu.pb.gz')]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, cpuTop);
    assert.match(r.err, /is a binary: pprof-lens reads function names from the profile/);
  });

  it('-output writes the report to a file and says so', () => {
    const f = path.join(tmp, 'top.txt');
    const r = cli(['-top', '-nodecount=1000', '-output', f, path.join(fixtures, 'profiles', 'cpu.pb.gz')]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.equal(r.err, `Generating report in ${f}\n`);
    assert.equal(readFileSync(f, 'utf8'), cpuTop);
  });

  it('traces and tags --json: the same samples and totals as the text reports', () => {
    const labels = path.join(fixtures, 'profiles', 'labels.pb.gz');
    const t = JSON.parse(cli(['traces', '--json', labels]).out) as {
      header: string[];
      traces: { labels: string[]; value: number; frames: { name: string; inline: boolean }[] }[];
    };
    const text = readFileSync(path.join(fixtures, 'golden', 'labels', 'cpu', 'traces.txt'), 'utf8');
    assert.equal(t.traces.length, text.split('-----------+').length - 2);
    assert.deepEqual(t.traces[0]!.labels, ['   handler:  /api/users']);
    assert.deepEqual(t.traces[0]!.frames[0], { name: 'example.com/fixtures/internal/work.mix', inline: true });
    assert.equal(t.header.join('\n'), text.split('\n-----------+')[0]);
    const g = JSON.parse(cli(['tags', '--json', labels]).out) as {
      keys: { key: string; total: number; values: { name: string; value: number }[] }[];
    };
    assert.deepEqual(
      g.keys.map((k) => k.key),
      ['handler'],
    );
    assert.deepEqual(
      g.keys[0]!.values.map((v) => v.name),
      ['/api/users', '/api/orders', '/healthz'],
    );
    assert.equal(
      g.keys[0]!.total,
      g.keys[0]!.values.reduce((a, v) => a + v.value, 0),
    );
  });

  it('turns sources into URLs as pprof does (host:port/path, -seconds, default timeouts)', () => {
    assert.equal(sourceUrl('profiles/cpu.pb.gz'), undefined);
    assert.equal(sourceUrl('/tmp/x.pb.gz'), undefined);
    assert.deepEqual(sourceUrl('localhost:6060/debug/pprof/heap'), {
      url: 'http://localhost:6060/debug/pprof/heap',
      timeoutMs: 60000,
    });
    assert.deepEqual(sourceUrl('http://h:1/debug/pprof/profile', 20), {
      url: 'http://h:1/debug/pprof/profile?seconds=20',
      timeoutMs: 30000,
    });
    assert.deepEqual(sourceUrl('https://h/debug/pprof/profile?seconds=10'), {
      url: 'https://h/debug/pprof/profile?seconds=10',
      timeoutMs: 15000,
    });
    assert.deepEqual(sourceUrl('http://h:1/debug/pprof/heap', undefined, 5), {
      url: 'http://h:1/debug/pprof/heap',
      timeoutMs: 5000,
    });
  });

  describe('http sources', () => {
    let server: http.Server;
    let base: string;
    const seen: { url: string; auth?: string }[] = [];
    let saved: string;
    let oldTmp: string | undefined;
    before(async () => {
      oldTmp = process.env['PPROF_TMPDIR'];
      saved = path.join(tmp, 'saved');
      process.env['PPROF_TMPDIR'] = saved;
      server = http.createServer((req, res) => {
        seen.push({ url: req.url ?? '', ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
        if (req.url?.startsWith('/debug/pprof/heap')) {
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          res.end(readFileSync(heap));
        } else if (req.url?.startsWith('/debug/pprof/hang')) {
          // never answers
        } else {
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('404 page not found\n');
        }
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      if (oldTmp === undefined) delete process.env['PPROF_TMPDIR'];
      else process.env['PPROF_TMPDIR'] = oldTmp;
      server.closeAllConnections();
      server.close();
    });

    it("fetches /debug/pprof/heap with -seconds and prints pprof's report", async () => {
      const r = await cliAsync([
        '-top',
        '-nodecount=1000',
        '-sample_index=inuse_space',
        '-seconds=2',
        `http://${base}/debug/pprof/heap`,
      ]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, heapTop);
      assert.equal(seen.at(-1)!.url, '/debug/pprof/heap?seconds=2');
      const file = path.join(saved, 'pprof.heap.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz');
      assert.equal(
        r.err,
        `Fetching profile over HTTP from http://${base}/debug/pprof/heap?seconds=2\nPlease wait... (2s)\nSaved profile in ${file}\n`,
      );
      // The saved copy is the profile: the same report from it.
      assert.equal(cli(['-top', '-nodecount=1000', '-sample_index=inuse_space', file]).out, heapTop);
    });

    it("accepts host:port/path and sends the URL's user and password as basic auth, never printing the password", async () => {
      const r = await cliAsync([
        '-top',
        '-nodecount=1000',
        '-sample_index=inuse_space',
        `http://ann:s3cret@${base}/debug/pprof/heap`,
      ]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, heapTop);
      assert.equal(seen.at(-1)!.auth, `Basic ${Buffer.from('ann:s3cret').toString('base64')}`);
      assert.doesNotMatch(r.err, /s3cret/);
      const r2 = await cliAsync(['-top', '-nodecount=1000', '-sample_index=inuse_space', `${base}/debug/pprof/heap`]);
      assert.equal(r2.out, heapTop);
      assert.equal(readdirSync(saved).length, 3, 'pprof.heap…001, 002, 003');
    });

    it('gives up after -timeout with a message, and merges what it could fetch', async () => {
      const t0 = Date.now();
      const r = await cliAsync(['-top', '-timeout=1', `http://${base}/debug/pprof/hang`]);
      assert.ok(Date.now() - t0 < 5000);
      assert.equal(r.code, 1);
      assert.match(r.err, /\/debug\/pprof\/hang: no answer within 1s; a longer -timeout=SECONDS may help/);
      assert.match(r.err, /failed to fetch any source profiles/);
      const r2 = await cliAsync([
        '-top',
        '-nodecount=1000',
        '-sample_index=inuse_space',
        `http://${base}/debug/pprof/nothere`,
        heap,
      ]);
      assert.equal(r2.code, 0, r2.err);
      assert.equal(r2.out, heapTop);
      assert.match(r2.err, /404 Not Found/);
      assert.match(r2.err, /Fetched 1 source profiles out of 2/);
    });
  });
});
