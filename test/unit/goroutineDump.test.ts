/**
 * Goroutine dumps (debug=2, panic and SIGQUIT tracebacks) read as goroutine profiles. pprof refuses
 * them, so the reference is the dump itself: the goroutines of each stack are counted here from the
 * real dumps in test/fixtures/legacy (scripts/gen-legacy-fixtures.sh) by a plain split on blank
 * lines, independently of the parser.
 */
import { buildWorkerScript } from './helpers/workerScript';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliOut as cli } from './helpers/cli';
import { annotate } from '../../src/core/annotate';
import { parseProfile } from '../../src/core/decode';
import { isProfileError } from '../../src/core/errors';
import { buildFlame } from '../../src/core/flame';
import { parseGoroutineHeader } from '../../src/core/legacy/dump';
import { sampleLocs, type Profile } from '../../src/core/model';
import { WorkerClient } from '../../src/vscode/profile/workerClient';

const profiles = path.resolve(__dirname, '..', 'fixtures', 'legacy', 'profiles');
const file = (n: string): string => path.join(profiles, n);
const load = (n: string): Profile => parseProfile(readFileSync(file(n)));

/** Stack (frames "fn file:line", leaf first, without the "created by" line) -> goroutines, from the text. */
function countFromDump(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    const h = lines.findIndex((l) => /^goroutine \d+ .*\]:$/.test(l));
    if (h < 0) continue;
    const frames: string[] = [];
    for (let i = h + 1; i + 1 < lines.length; i += 2) {
      if (lines[i]!.startsWith('created by ')) break;
      const fn = lines[i]!.replace(/\([^()]*\)$/, '');
      const fl = lines[i + 1]!.trim().split(' ')[0]!;
      frames.push(`${fn} ${fl}`);
    }
    const key = frames.join(' <- ');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** The same from the parsed profile (samples of equal stacks summed over their states). */
function countFromProfile(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  const { count, values } = p.samples;
  for (let s = 0; s < count; s++) {
    const frames: string[] = [];
    for (const loc of sampleLocs(p.samples, s)) {
      for (const ln of p.locations[loc]!.lines) {
        const f = p.functions[ln.func]!;
        frames.push(`${f.name} ${f.file}:${ln.line}`);
      }
    }
    const key = frames.join(' <- ');
    out.set(key, (out.get(key) ?? 0) + values[s]!);
  }
  return out;
}

function labelsOf(p: Profile, leaf: string): { state?: string; wait?: number; count: number }[] {
  const out: { state?: string; wait?: number; count: number }[] = [];
  for (let s = 0; s < p.samples.count; s++) {
    const loc = p.locations[sampleLocs(p.samples, s)[0]!]!;
    if (p.functions[loc.lines[0]!.func]!.name !== leaf) continue;
    const ls = p.samples.labels[s] ?? [];
    const wait = ls.find((l) => l.key === 'wait');
    out.push({
      state: ls.find((l) => l.key === 'state')?.str,
      ...(wait ? { wait: wait.num } : {}),
      count: p.samples.values[s]!,
    });
  }
  return out;
}

describe('goroutine dumps as profiles', () => {
  for (const name of ['goroutine_dump.txt', 'leak_before.txt', 'leak_after.txt', 'panic.txt', 'sigquit.txt']) {
    it(`${name}: one sample per stack, valued by its goroutines, "created by" no frame`, () => {
      const text = readFileSync(file(name), 'utf8');
      const p = load(name);
      assert.deepEqual(p.sampleTypes, [{ type: 'goroutine', unit: 'count' }]);
      const want = countFromDump(text);
      assert.deepEqual(countFromProfile(p), want);
      const headers = text.split('\n').filter((l) => /^goroutine \d+ .*\]:$/.test(l)).length;
      assert.equal(
        [...want.values()].reduce((a, b) => a + b, 0),
        headers,
      );
    });
  }

  it('the leak: 30 then 75 goroutines in chan send at main.fetch.func1, waiting 1 then 2 minutes', () => {
    assert.deepEqual(labelsOf(load('leak_before.txt'), 'main.fetch.func1'), [
      { state: 'chan send', wait: 60, count: 30 },
    ]);
    assert.deepEqual(labelsOf(load('leak_after.txt'), 'main.fetch.func1'), [
      { state: 'chan send', wait: 120, count: 75 },
    ]);
    const p = load('leak_after.txt');
    const s = [...Array(p.samples.count).keys()].find((i) => p.samples.values[i] === 75)!;
    const root = p.locations[sampleLocs(p.samples, s).at(-1)!]!;
    const f = p.functions[root.lines[0]!.func]!;
    assert.equal(
      `${f.name} ${path.basename(f.file)}:${root.lines[0]!.line}`,
      'main.fetch.func1 main.go:80',
      'the goroutine\'s own function is the root: the go statement ("created by") is no frame',
    );
  });

  it('-base between the two dumps shows the stacks that grew: the leak hunt', () => {
    const top = cli(['-top', '-base', file('leak_before.txt'), file('leak_after.txt')]);
    const rows = top.split('\n').filter((l) => /^\s+-?\d/.test(l));
    assert.match(rows[0]!, /^\s+45\s.*\smain\.fetch\.func1$/);
    // As pprof -base on the proto pair: main.fetch returned long ago, it is on no stack.
    assert.ok(!rows.some((r) => /\smain\.fetch$/.test(r)), top);
    assert.match(rows[0]!, /^\s+45\s.*\s45\s.*\smain\.fetch\.func1$/, 'flat never above cum');
    assert.ok(
      !rows.some((r) => /main\.worker$/.test(r) && !/^\s+0\s+0%\s+\S+\s+0\s/.test(r)),
      'the steady workers cancel out',
    );
  });

  it('traces and tags show the states and waits', () => {
    const tags = cli(['-tags', file('leak_after.txt')]);
    assert.match(tags, /^ state: Total 82\.0$/m);
    assert.match(tags, /^\s+75\.0 \(91\.46%\): chan send$/m);
    assert.match(tags, /^\s+77\.0 \(95\.06%\): 120s$/m, '75 leaked + IO wait + sleep waited 2 minutes');
    const traces = cli(['-traces', file('leak_after.txt')]);
    assert.match(traces, /state: {2}chan send\n\s+wait: {2}120s\n\s+75 {3}main\.fetch\.func1\n-/);
  });

  it('the debug=2 dump and the debug=1 text of the same moment agree per function', () => {
    const cum = (p: Profile): Map<string, number> => {
      const m = new Map<string, number>();
      for (const f of annotate(p).files)
        for (const fn of f.functions)
          if (fn.name.startsWith('main.')) m.set(fn.name, (m.get(fn.name) ?? 0) + fn.cum[0]!);
      return m;
    };
    const dump = cum(load('goroutine_dump.txt'));
    const text = cum(load('goroutine.txt'));
    // The dump's root is the go statement: main.goroutineProfiles also gets the goroutines it started.
    for (const [fn, v] of text)
      if (fn !== 'main.goroutineProfiles' && fn !== 'main.main' && fn !== 'main.write')
        assert.equal(dump.get(fn), v, fn);
    assert.equal(dump.get('main.receiver'), 7);
  });

  it('states as labels: chan receive, semacquire, select, sleep, IO wait, sync.Cond.Wait, running', () => {
    const p = load('goroutine_dump.txt');
    const states = new Map<string, number>();
    p.samples.labels.forEach((ls, i) => {
      const st = ls?.find((l) => l.key === 'state')?.str ?? '';
      states.set(st, (states.get(st) ?? 0) + p.samples.values[i]!);
    });
    assert.deepEqual(Object.fromEntries([...states].sort()), {
      'IO wait': 1,
      'chan receive': 7,
      running: 1,
      select: 2,
      semacquire: 3,
      sleep: 1,
      'sync.Cond.Wait': 1,
    });
  });

  it('a panic: the panicking goroutine is running in main.field at crash/main.go:67', () => {
    const p = load('panic.txt');
    const [g] = labelsOf(p, 'main.field');
    assert.deepEqual(g, { state: 'running', count: 1 });
    const top = cli(['-top', '-lines', file('panic.txt')]);
    assert.match(top, /main\.field \/tmp\/pprof-lens-legacy\/src\/example\.com\/legacy\/crash\/main\.go:67$/m);
  });

  it('SIGQUIT: runtime frames with fp/sp/pc, goroutine 0 and the register dump after it', () => {
    const p = load('sigquit.txt');
    const files = p.functions.map((f) => f.file);
    assert.ok(
      files.every((f) => !/ fp=| \+0x/.test(f)),
      'file names without fp= or +0x',
    );
    assert.ok(p.functions.some((f) => f.name === 'runtime.goexit'));
    assert.ok(!p.functions.some((f) => /^r[a-z0-9]+ +0x/.test(f.name)), 'no register line became a frame');
  });

  it('the flame graph and the overlays take the dump', () => {
    const p = load('leak_after.txt');
    const fl = buildFlame(p, { sampleIndex: 0 });
    assert.ok(JSON.stringify(fl).includes('main.fetch.func1'));
    const main = annotate(p).files.find((f) => f.file.endsWith('leak/main.go'))!;
    assert.deepEqual(main.lines.find((l) => l.line === 80)?.flat, [75]);
    assert.deepEqual(main.lines.find((l) => l.line === 80)?.cum, [75]);
    assert.equal(
      main.lines.find((l) => l.line === 79),
      undefined,
      'the go statement is no frame',
    );
  });

  it('headers of other runtimes and versions', () => {
    assert.deepEqual(parseGoroutineHeader('goroutine 7 [chan receive, 12 minutes, locked to thread]:'), {
      state: 'chan receive',
      waitMinutes: 12,
    });
    assert.deepEqual(parseGoroutineHeader('goroutine 1 gp=0xc000002380 m=0 mp=0x5f3e60 [running]:'), {
      state: 'running',
    });
    assert.deepEqual(parseGoroutineHeader('goroutine 9 [select (no cases)]:'), { state: 'select (no cases)' });
    assert.equal(parseGoroutineHeader('goroutine profile: total 5'), undefined);
    assert.equal(parseGoroutineHeader('goroutine x [running]:'), undefined);
    const text =
      'goroutine 5 [chan receive, 3 minutes]:\nmain.a(...)\n\t/src/a.go:3\n...additional frames elided...\n' +
      'created by main.b in goroutine 1\n\t/src/b.go:9 +0x1f\n\n' +
      'goroutine 6 [running]:\n\tgoroutine running on other thread; stack unavailable\ncreated by main.b in goroutine 1\n\t/src/b.go:9 +0x1f\n' +
      '[originating from goroutine 1]:\nmain.c(...)\n\t/src/c.go:1 +0x1\n';
    const p = parseProfile(new TextEncoder().encode(text));
    // The creator is no frame: the goroutine whose stack is unavailable keeps an empty stack.
    assert.deepEqual([...countFromProfile(p)].sort(), [
      ['', 1],
      ['main.a /src/a.go:3', 1],
    ]);
  });

  it('text that is no profile gets a message that says what is read', () => {
    assert.throws(
      () => parseProfile(new TextEncoder().encode('hello\nworld\n')),
      (e: unknown) =>
        isProfileError(e) &&
        /^Not a pprof profile: this text is no format pprof-lens reads \(it starts with "hello"\).*goroutine dumps/.test(
          e.message,
        ),
    );
    // An execution trace (/debug/pprof/trace), a binary format of its own.
    const trace = new Uint8Array([...new TextEncoder().encode('go 1.19 trace'), 0, 0, 0, 1, 2, 3, 0x80, 0xff]);
    assert.throws(
      () => parseProfile(trace),
      (e: unknown) => isProfileError(e) && /execution trace .*go tool trace/.test(e.message),
    );
    // The /debug/pprof/ index page instead of a profile.
    assert.throws(
      () => parseProfile(new TextEncoder().encode('<html>\n<head><title>/debug/pprof/</title></head>\n')),
      (e: unknown) => isProfileError(e) && /HTML page.*Fetch the profile endpoint itself/.test(e.message),
    );
  });
});

describe('goroutine dumps in the editor: through the decode worker', function () {
  this.timeout(60_000);
  it("a dump loads in the worker and its lines get the goroutines (the overlays' data)", async () => {
    const script = buildWorkerScript('pprof-lens-dump-');
    const c = new WorkerClient({ script });
    try {
      const bytes = new Uint8Array(readFileSync(file('leak_after.txt')));
      const a = await c.request('load', { bytes }, { transfer: [bytes.buffer as ArrayBuffer] });
      assert.deepEqual(
        a.sampleTypes.map((t) => t.type),
        ['goroutine'],
      );
      assert.equal(a.totals[0], 82);
      const f = a.files.findIndex((n) => n.endsWith('/legacy/leak/main.go'));
      assert.ok(f >= 0, a.files.join('\n'));
      const line = (n: number): number | undefined => {
        for (let i = a.fileLineStart[f]!; i < a.fileLineStart[f + 1]!; i++) if (a.lineNo[i] === n) return i;
        return undefined;
      };
      assert.equal(a.lineFlat[line(80)!], 75, 'the leaked goroutines wait at line 80');
      // The go statement did not call them (the proto and debug=1 formats have no such frame).
      assert.equal(line(79), undefined, 'the go statement (created by) is no frame');
    } finally {
      c.terminate();
    }
  });
});
