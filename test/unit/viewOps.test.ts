/**
 * Filters and compare in the worker that holds the loaded profile (the `view` and `useView` ops,
 * src/worker/ops.ts review and ViewCache), through the real worker: nothing is decoded again but a
 * new base; each view's numbers equal `go tool pprof -focus/-ignore/-hide/-show/-show_from/-base
 * -top` and a fresh load with the same options, field by field; going back to a kept view (undo,
 * Cancel) is a switch; a failure leaves the view as it was; every view shares the decoded profile.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { filterProfile, type FilterOptions } from '../../src/core/filter';
import { stacksOf } from '../../src/core/stacks';
import { ProfileOps } from '../../src/worker/ops';
import type { PackedAnnotations } from '../../src/worker/protocol';
import { WorkerClient, WorkerRequestError } from '../../src/vscode/profile/workerClient';
import { repoRoot } from './helpers/shared';
import { buildWorkerScript } from './helpers/workerScript';

const bytes = (name: string) => new Uint8Array(readFileSync(path.join(repoRoot(), 'test/fixtures/profiles', name)));
const golden = (rel: string) => readFileSync(path.join(repoRoot(), 'test/fixtures/golden', rel), 'utf8');

/** Each filter golden of the CPU fixture (go tool pprof -top -nodecount=1000 with the filter) and its options. */
const FILTER_GOLDENS: [string, FilterOptions][] = [
  ['focus_fib', { focus: 'Fib' }],
  ['ignore_fib', { ignore: 'Fib' }],
  ['hide_runtime', { hide: '^runtime\\.' }],
  ['show_work', { show: 'work\\.' }],
  ['show_from_phases', { showFrom: '^main\\.(hash|fib)Phase$' }],
  ['focus_ignore', { focus: 'main\\.main', ignore: 'Fib|Sum' }],
  ['hide_inlined_helpers', { hide: 'work\\.mix|main\\.isSpace' }],
  ['focus_mix_inlined', { focus: 'work\\.mix' }],
];

/** The annotation columns and view info without the timings and the worker's view numbers. */
function columns(p: PackedAnnotations): unknown {
  const { summary, view, ...rest } = p;
  const { decodeMs: _d, annotateMs: _a, ...s } = summary;
  const { id: _i, baseId: _b, ...v } = view ?? ({} as NonNullable<PackedAnnotations['view']>);
  return { ...rest, summary: s, view: v };
}

describe('views in the loaded worker (view / useView ops)', function () {
  this.timeout(60_000);
  let script = '';
  before(() => {
    script = buildWorkerScript('pprof-lens-views-');
  });

  it('filters: each view equals go tool pprof -top with the filter and a fresh load; undo is a switch', async () => {
    const c = new WorkerClient({ script });
    try {
      const loaded = await c.request('load', { bytes: bytes('cpu.pb.gz') });
      const si = loaded.defaultIndex;
      const top = () => c.request('report', { kind: 'top', sampleIndex: si, nodeCount: 1000 }).then((r) => r.text);
      assert.equal(await top(), golden('cpu/cpu/top.txt'));
      const ids = new Set([loaded.view!.id]);
      for (const [name, filters] of FILTER_GOLDENS) {
        const v = await c.request('view', { filters });
        assert.equal(await top(), golden(`cpu/filters/${name}.txt`), name);
        // What the editor shows: the same columns as a profile loaded with those filters.
        assert.deepEqual(columns(v), columns(ProfileOps.load({ bytes: bytes('cpu.pb.gz'), filters }).packed), name);
        assert.deepEqual([...v.totals], [...loaded.totals], `${name}: percentages of the unfiltered total`);
        assert.ok(!ids.has(v.view!.id), 'a new view number');
        ids.add(v.view!.id);
        // Clearing the filter: the unfiltered view is kept, so going back is a switch.
        assert.equal(await c.request('useView', { id: loaded.view!.id! }), true, name);
        assert.equal(await top(), golden('cpu/cpu/top.txt'), `${name} undone`);
      }
      // The view before the current one is kept (Cancel goes back to it); older filtered ones are not.
      const a = await c.request('view', { filters: { focus: 'Fib' } });
      const b = await c.request('view', { filters: { ignore: 'Fib' } });
      assert.equal(await c.request('useView', { id: a.view!.id! }), true);
      assert.equal(await top(), golden('cpu/filters/focus_fib.txt'));
      assert.equal(await c.request('useView', { id: b.view!.id! }), true);
      assert.equal(await top(), golden('cpu/filters/ignore_fib.txt'));
      await c.request('view', { filters: { hide: '^runtime\\.' } });
      assert.equal(await c.request('useView', { id: a.view!.id! }), false, 'no longer kept');
      assert.equal(await top(), golden('cpu/filters/hide_runtime.txt'), 'a refused useView changes nothing');
    } finally {
      c.terminate();
    }
  });

  it('compare: only the base is decoded; -base equals go tool pprof, dropping it gives the plain profile back', async () => {
    const c = new WorkerClient({ script });
    try {
      const plain = await c.request('load', { bytes: bytes('leak_after.pb.gz') });
      const si = (t: string) => plain.sampleTypes.findIndex((x) => x.type === t);
      const top = (t: string) =>
        c.request('report', { kind: 'top', sampleIndex: si(t), nodeCount: 1000 }).then((r) => r.text);
      const base = { bytes: bytes('leak_before.pb.gz'), name: 'leak_before.pb.gz', mode: 'base' as const };
      const d = await c.request('view', { base });
      assert.equal(d.view?.compare?.name, 'leak_before.pb.gz');
      assert.notEqual(d.view?.baseId, plain.view?.baseId);
      for (const t of ['inuse_space', 'alloc_objects'])
        assert.equal(await top(t), golden(`leak_diff/${t}/top_base.txt`), t);
      const fresh = ProfileOps.load({
        bytes: bytes('leak_after.pb.gz'),
        base: { ...base, bytes: bytes('leak_before.pb.gz') },
      });
      assert.deepEqual(columns(d), columns(fresh.packed));

      // Filters on the comparison keep the base (not decoded again) and its totals.
      const f = await c.request('view', { filters: { focus: 'main\\.remember' } });
      assert.equal(f.view?.baseId, d.view?.baseId);
      assert.deepEqual([...f.totals], [...d.totals]);
      assert.equal(f.view?.compare?.name, 'leak_before.pb.gz');

      // -diff_base: percentages of the base.
      const db = await c.request('view', {
        base: { ...base, bytes: bytes('leak_before.pb.gz'), mode: 'diff_base' },
        filters: {},
      });
      for (const t of ['inuse_space', 'alloc_objects'])
        assert.equal(await top(t), golden(`leak_diff/${t}/top_diff_base.txt`), t);
      assert.equal(db.view?.compare?.mode, 'diff_base');

      // Without the base: the loaded profile's own columns, as loaded.
      const back = await c.request('view', { base: null, filters: {} });
      assert.equal(back.view?.compare, undefined);
      assert.equal(back.view?.baseId, 0);
      assert.deepEqual(columns(back), columns(plain));
    } finally {
      c.terminate();
    }
  });

  it('a failure leaves the view as it was; a bad base is named', async () => {
    const c = new WorkerClient({ script });
    try {
      const loaded = await c.request('load', { bytes: bytes('cpu.pb.gz') });
      const si = loaded.defaultIndex;
      const top = () => c.request('report', { kind: 'top', sampleIndex: si, nodeCount: 1000 }).then((r) => r.text);
      await c.request('view', { filters: { focus: 'Fib' } });
      await assert.rejects(
        c.request('view', { filters: { focus: '(' } }),
        (e: unknown) => e instanceof WorkerRequestError && e.kind === 'bad-filter',
      );
      assert.equal(await top(), golden('cpu/filters/focus_fib.txt'));
      await assert.rejects(
        c.request('view', { base: { bytes: bytes('goroutine.pb.gz'), name: 'g.pb.gz', mode: 'base' } }),
        (e: unknown) =>
          e instanceof WorkerRequestError &&
          e.base === 'g.pb.gz' &&
          /^it is a goroutine profile \(goroutine\/count\), the open profile a CPU profile/.test(e.message),
      );
      await assert.rejects(
        c.request('view', { base: { bytes: new Uint8Array([1, 2, 3]), name: 'junk.pb.gz', mode: 'base' } }),
        (e: unknown) => e instanceof WorkerRequestError && e.base === 'junk.pb.gz',
      );
      assert.equal(await top(), golden('cpu/filters/focus_fib.txt'));
    } finally {
      c.terminate();
    }
  });

  it('Cancel: a view asked for and then left (useView of the one before) ends on the one before', async () => {
    const c = new WorkerClient({ script });
    try {
      const loaded = await c.request('load', { bytes: bytes('cpu.pb.gz') });
      const si = loaded.defaultIndex;
      const focused = await c.request('view', { filters: { focus: 'Fib' } });
      // What ProfileService.review does on Cancel: it stops waiting and asks for the view shown.
      const abandoned = c.request('view', { filters: { hide: '^runtime\\.' } });
      const back = c.request('useView', { id: focused.view!.id! });
      await abandoned;
      assert.equal(await back, true);
      const r = await c.request('report', { kind: 'top', sampleIndex: si, nodeCount: 1000 });
      assert.equal(r.text, golden('cpu/filters/focus_fib.txt'));
    } finally {
      c.terminate();
    }
  });

  it('every view shares the one decoded profile; at most three views are kept', () => {
    const first = ProfileOps.load({ bytes: bytes('cpu.pb.gz') }).ops;
    const views = first.state!.views!;
    views.keep(first);
    let cur = first;
    for (const filters of FILTER_GOLDENS.map(([, f]) => f)) {
      const next = cur.review({ filters }).ops;
      views.keep(next, cur);
      assert.equal(next.state!.original, first.state!.original, 'not decoded again');
      assert.equal(next.view.whole, first.view.whole, 'not pruned again');
      assert.ok(views.size <= 3, `${views.size} views kept`);
      cur = next;
    }
    assert.equal(views.get(first.id), first, 'the unfiltered view stays (clearing a filter)');
    // A new base: decoded once, the loaded profile shared.
    const d = ProfileOps.load({ bytes: bytes('leak_after.pb.gz') }).ops;
    const withBase = d.review({ base: { bytes: bytes('leak_before.pb.gz'), name: 'b', mode: 'base' } }).ops;
    assert.equal(withBase.state!.original, d.state!.original);
    const unfiltered = withBase.review({ filters: { focus: 'main' } }).ops;
    assert.equal(unfiltered.view.whole, withBase.view.whole, 'the comparison is not made again');
  });

  it("a filter that drops whole samples takes their stacks from the profile's: what hashing them gives", () => {
    const cases: [string, FilterOptions][] = [
      ['cpu.pb.gz', { focus: 'Fib' }],
      ['cpu.pb.gz', { ignore: 'Fib|Sum' }],
      ['heap.pb.gz', { focus: 'main\\.' }],
      ['labels.pb.gz', { tagFocus: 'handler=^/api/orders$' }],
      ['labels.pb.gz', { tagHide: 'handler' }],
    ];
    for (const [file, filters] of cases) {
      const p = ProfileOps.load({ bytes: bytes(file) }).ops.view.whole;
      stacksOf(p);
      const f = filterProfile(p, filters).profile;
      assert.ok(f.samples.count > 0 && f.samples.count <= p.samples.count, `${file} ${JSON.stringify(filters)}`);
      const derived = stacksOf(f);
      // The same samples in a new table: stacksOf hashes them.
      const hashed = stacksOf({ ...f, samples: { ...f.samples } });
      assert.notEqual(derived, hashed);
      assert.deepEqual(derived, hashed, `${file} ${JSON.stringify(filters)}`);
    }
    // Every sample kept as it was: the profile's own samples (its stacks, flame trie, annotations).
    const p = ProfileOps.load({ bytes: bytes('cpu.pb.gz') }).ops.view.whole;
    const all = filterProfile(p, { focus: 'runtime\\.main' });
    assert.equal(all.profile.samples.count, p.samples.count);
    assert.equal(all.profile.samples, p.samples);
    assert.equal(all.profile.locations, p.locations);
    assert.notEqual(filterProfile(p, { hide: 'Fib' }).profile.samples, p.samples);
  });
});
