/**
 * The goroutine view's core (src/core/goroutines.ts) on real goroutine profiles of a program that
 * leaks goroutines (test/fixtures/goroutines, scripts/gen-insight-fixtures.sh): leakd starts a
 * pump goroutine per subscriber and never stops it; 25 subscribers came and went before the first
 * snapshot, 40 more before the second, and 3 more audit writers queued behind a stuck lock.
 * Each snapshot is in the three formats net/http/pprof serves. References: go tool pprof's -traces
 * of the proto and of the debug=1 text (given the binary), its -top -lines -base of the two
 * snapshots, and for the debug=2 dumps (which pprof refuses) the dump text itself.
 */
import { buildWorkerScript } from './helpers/workerScript';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { compareGoroutines, readGoroutineSnapshot, type GoroutineSnapshot } from '../../src/core/goroutines';
import { isProfileError } from '../../src/core/errors';
import { WorkerClient } from '../../src/vscode/profile/workerClient';

const fix = path.resolve(__dirname, '..', 'fixtures', 'goroutines');
const prof = (n: string): Uint8Array => readFileSync(path.join(fix, 'profiles', n));
const golden = (n: string): string => readFileSync(path.join(fix, 'golden', n), 'utf8');
const snap = (n: string): GoroutineSnapshot => readGoroutineSnapshot(prof(n));
const SRC = readFileSync(path.join(fix, 'go', 'main.go'), 'utf8').split('\n');
const lineOf = (marker: string): number => SRC.findIndex((l) => l.includes(marker)) + 1;

/** go tool pprof -traces: count and function names (leaf first) per stack. */
function traces(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const block of text.split(/^-+\+-+$/m).slice(1)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const m = /^\s+(\d+)\s+(\S+)/.exec(lines[0]!)!;
    const fns = [m[2]!, ...lines.slice(1).map((l) => l.trim())];
    out.set(fns.join(' <- '), Number(m[1]));
  }
  return out;
}

/** go tool pprof -top -lines: cum per "fn file:line". */
function topLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of text.split('\n')) {
    const m = /^\s+(-?\d+)\s+\S+\s+\S+\s+(-?\d+)\s+\S+\s+(\S+) (\S+)$/.exec(l);
    if (m) out.set(`${m[3]} ${path.basename(m[4]!)}`, Number(m[2]));
  }
  return out;
}

/** The dump counted by a plain split: state + frames (without arguments) -> goroutines. */
function dumpCounts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    const h = /^goroutine \d+ \[([^,\]]+)/.exec(lines[0] ?? '');
    if (!h) continue;
    const frames: string[] = [];
    for (let i = 1; i + 1 < lines.length; i += 2) {
      if (lines[i]!.startsWith('created by ')) break;
      frames.push(`${lines[i]!.replace(/\([^()]*\)$/, '')} ${lines[i + 1]!.trim().split(' ')[0]}`);
    }
    const key = `${h[1]}|${frames.join(' <- ')}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

describe('goroutine groups and snapshot comparison (core/goroutines)', () => {
  it('reads the three formats and knows which is which', () => {
    assert.equal(snap('after.pb.gz').format, 'proto');
    assert.equal(snap('after.txt').format, 'text');
    assert.equal(snap('after.dump.txt').format, 'dump');
    for (const f of ['after.pb.gz', 'after.txt', 'after.dump.txt']) assert.equal(snap(f).total, 77, f);
    for (const f of ['before.pb.gz', 'before.txt', 'before.dump.txt']) assert.equal(snap(f).total, 34, f);
  });

  it('proto: one group per stack with the count go tool pprof -traces prints', () => {
    for (const s of ['before', 'after']) {
      const want = traces(golden(`${s}.traces.txt`));
      const got = new Map(
        snap(`${s}.pb.gz`).groups.map((g) => [
          g.frames
            .map((f) => f.fn)
            .filter((f) => f !== 'runtime.goexit')
            .join(' <- '),
          g.count,
        ]),
      );
      assert.deepEqual(got, want, s);
    }
  });

  it('debug=1 text: the counts of go tool pprof -traces given the binary, for the frames the text names', () => {
    const want = new Map<string, number>();
    for (const [k, n] of traces(golden('after.txt.traces.txt'))) {
      const own = k.split(' <- ').filter((f) => !f.startsWith('runtime.'));
      want.set(own.join(' <- '), (want.get(own.join(' <- ')) ?? 0) + n);
    }
    const got = new Map<string, number>();
    for (const g of snap('after.txt').groups) {
      const own = g.frames
        .map((f) => f.fn)
        .filter((f) => !f.startsWith('runtime.'))
        .join(' <- ');
      got.set(own, (got.get(own) ?? 0) + g.count);
    }
    assert.deepEqual(got, want);
  });

  it('debug=2 dump: groups by stack and state, counted as the dump counts them, with waits and creators', () => {
    const text = new TextDecoder().decode(prof('after.dump.txt'));
    const s = snap('after.dump.txt');
    const got = new Map<string, number>();
    for (const g of s.groups) {
      const key = `${g.state}|${g.frames.map((f) => `${f.fn} ${f.file}:${f.line}`).join(' <- ')}`;
      got.set(key, (got.get(key) ?? 0) + g.count);
    }
    assert.deepEqual(got, dumpCounts(text));
    const pump = s.groups[0]!;
    assert.equal(pump.count, 65);
    assert.equal(pump.state, 'select');
    assert.equal(pump.maxWaitMinutes, 2);
    assert.deepEqual(pump.creator, {
      fn: 'main.(*hub).Subscribe',
      file: '/build/pprof-lens-insight/leakd/main.go',
      line: lineOf('// PUMP-GO'),
    });
    assert.equal(pump.blocking?.fn, 'main.(*hub).pump');
    assert.equal(pump.ids?.length, 50);
    const audit = s.groups.find((g) => g.blocking?.fn === 'main.audit')!;
    assert.equal(audit.count, 5);
    assert.equal(audit.state, 'semacquire');
    assert.equal(audit.blocking?.line, lineOf('// AUDIT-BLOCK'), 'the user line under sync.(*Mutex).Lock');
    assert.equal(audit.creator?.line, lineOf('// AUDIT-GO'));
  });

  const base = topLines(golden('base.top_lines.txt'));
  const pumpLine = [...base.keys()].find((k) => k.startsWith('main.(*hub).pump '))!;
  const auditLine = [...base.keys()].find((k) => k.startsWith('main.audit '))!;
  for (const [before, after] of [
    ['before.dump.txt', 'after.dump.txt'],
    ['before.pb.gz', 'after.pb.gz'],
    ['before.txt', 'after.txt'],
    ['before.pb.gz', 'after.dump.txt'],
  ] as const) {
    it(`${before} -> ${after}: the stacks that grew, at the lines go tool pprof -base shows`, () => {
      const c = compareGoroutines(snap(before), snap(after));
      assert.equal(c.byState, before.endsWith('dump.txt') && after.endsWith('dump.txt'));
      assert.equal(c.totalAfter - c.totalBefore, 43);
      const [first, second] = c.grown;
      assert.equal(`${first!.group.blocking!.fn} main.go:${first!.group.blocking!.line}`, pumpLine);
      assert.deepEqual([first!.before, first!.after, first!.delta], [25, 65, base.get(pumpLine)]);
      assert.equal(`${second!.group.blocking!.fn} main.go:${second!.group.blocking!.line}`, auditLine);
      assert.deepEqual([second!.before, second!.after, second!.delta], [2, 5, base.get(auditLine)]);
      // The rest: main itself, now in the second snapshot() call (+1 there, -1 at the first).
      const rest = c.grown.slice(2);
      assert.deepEqual(
        rest.map((g) => g.group.blocking?.fn),
        ['main.snapshot'],
      );
      assert.deepEqual(
        c.shrunk.map((g) => [g.group.blocking?.fn, g.delta]),
        [['main.snapshot', -1]],
      );
      const sum = [...c.grown, ...c.shrunk].reduce((s, g) => s + g.delta, 0);
      assert.equal(sum, 43);
    });
  }

  it('a snapshot compared with itself: nothing grew, nothing shrank', () => {
    const c = compareGoroutines(snap('after.dump.txt'), snap('after.dump.txt'));
    assert.deepEqual([c.grown.length, c.shrunk.length], [0, 0]);
  });

  it('refuses, in words, a profile of another kind and bytes that are no profile', () => {
    const heap = readFileSync(path.resolve(__dirname, '..', 'fixtures', 'legacy', 'profiles', 'heap.txt'));
    assert.throws(
      () => readGoroutineSnapshot(heap),
      (e: unknown) => isProfileError(e) && /not a goroutine profile/.test(e.message),
    );
    assert.throws(
      () => readGoroutineSnapshot(gzipSync(Buffer.from('hello'))),
      (e: unknown) => isProfileError(e),
    );
  });
});

describe('goroutine groups through the decode worker (the Goroutines view does not block the extension host)', function () {
  this.timeout(60_000);
  it('answers the goroutines op with the comparison, no profile loaded, and a message for a heap profile', async () => {
    const script = buildWorkerScript('pprof-lens-goroutines-');
    const c = new WorkerClient({ script });
    try {
      const r = await c.request('goroutines', { bytes: prof('after.dump.txt'), base: prof('before.dump.txt') });
      assert.equal(r.snapshot.total, 77);
      assert.deepEqual(
        r.comparison?.grown.slice(0, 2).map((g) => [g.group.blocking?.fn, g.before, g.after]),
        [
          ['main.(*hub).pump', 25, 65],
          ['main.audit', 2, 5],
        ],
      );
      const heap = readFileSync(path.resolve(__dirname, '..', 'fixtures', 'legacy', 'profiles', 'heap.txt'));
      await assert.rejects(c.request('goroutines', { bytes: heap }), /not a goroutine profile/);
    } finally {
      c.terminate();
    }
  });
});
