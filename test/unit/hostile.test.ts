/**
 * Hostile profiles (issue 14): the hand-made corpus in test/fixtures/hostile (one file per class,
 * made by its generate.ts) and a seeded fuzz run through the editor's own path (decode, drop_frames,
 * annotate, top, flame graph, line callers; test/fuzz/pipeline.ts). Each case ends in a typed
 * outcome, a ProfileError with a clear message or a result, within 2 s and 500 MB.
 * The 100,000-mutation run is scripts/fuzz.ts (outside CI).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mutate, rng, runPipeline, type Outcome } from '../fuzz/pipeline';

const dir = path.resolve(__dirname, '..', 'fixtures', 'hostile');
const profiles = path.resolve(__dirname, '..', 'fixtures', 'profiles');
const TIME_MS = 2000;
const MEM_BYTES = 500 * 1024 * 1024;

function timed(bytes: Uint8Array): { out: Outcome; ms: number; grew: number } {
  const rss0 = process.memoryUsage().rss;
  const t = performance.now();
  const out = runPipeline(bytes);
  const ms = performance.now() - t;
  return { out, ms, grew: process.resourceUsage().maxRSS * 1024 - rss0 };
}

/** What each file of the corpus must end in. */
const EXPECT: Record<string, { kind: 'ok' } | { kind: 'error'; errorKind: string; message: RegExp }> = {
  'frames-depth.pb.gz': {
    kind: 'error',
    errorKind: 'too-large',
    message: /stack of 4,000,000 frames .*over the 65,536/,
  },
  'frames-wide.pb.gz': { kind: 'error', errorKind: 'too-large', message: /10,800,000 frames/ },
  'redos-drop-frames.pb.gz': { kind: 'ok' },
  'gzip-bomb.pb.gz': {
    kind: 'error',
    errorKind: 'too-large',
    message: /decompresses to more than 32\.0 MiB from 160 KiB .*decompression bomb/,
  },
  'empty-samples.pb.gz': { kind: 'error', errorKind: 'too-large', message: /7,500,000 samples in 29 KiB/ },
  'lying-isize.pb.gz': { kind: 'error', errorKind: 'gzip', message: /gzip data is corrupt/ },
  'no-sample-types.pb': { kind: 'error', errorKind: 'malformed', message: /no sample types/ },
  'no-sample-types-heapz.txt': { kind: 'error', errorKind: 'malformed', message: /no sample types/ },
  'bad-location-id.pb': { kind: 'error', errorKind: 'malformed', message: /location 7, which does not exist/ },
  'value-count.pb': { kind: 'error', errorKind: 'malformed', message: /2 values but the profile has 1 sample types/ },
  'markup-names.pb.gz': { kind: 'ok' },
  // Issue 14 item 3 (quadratic legacy-text regexps: 68 s and > 100 s before the legacy parsers
  // became scans); the legacy-* files of scripts/gen-hostile-legacy.mjs are also timed with the
  // CLI in legacyHostile.test.ts.
  'legacy-java-long-symbol.txt.gz': { kind: 'ok' },
  'legacy-go-long-comments.txt.gz': { kind: 'ok' },
  'legacy-blank-runs.txt.gz': { kind: 'ok' },
  'legacy-go-comments.txt.gz': { kind: 'ok' },
  'legacy-goroutine-dump.txt.gz': { kind: 'ok' },
  'legacy-java-symbol-line.txt.gz': { kind: 'ok' },
  'legacy-java-symbol-lines.txt.gz': { kind: 'ok' },
  'legacy-memory-map.txt.gz': { kind: 'ok' },
  'legacy-threadz-header.txt.gz': {
    kind: 'error',
    errorKind: 'not-a-profile',
    message: /this text is no format pprof-lens reads/,
  },
};
const PENDING = new Set<string>();

describe('hostile corpus: each class ends in a clear outcome within 2 s and 500 MB', () => {
  const files = readdirSync(dir).filter((f) => !f.endsWith('.ts') && !f.endsWith('.md'));
  it('every file of the corpus has an expectation', () => {
    assert.deepEqual(
      files.filter((f) => !EXPECT[f]),
      [],
    );
  });
  for (const f of files) {
    const want = EXPECT[f];
    if (!want) continue;
    const t = PENDING.has(f) ? it.skip : it;
    t(`${f}: ${want.kind === 'ok' ? 'loads' : `${want.errorKind}: ${want.message.source}`}`, () => {
      const { out, ms, grew } = timed(readFileSync(path.join(dir, f)));
      assert.ok(ms < TIME_MS, `${Math.round(ms)} ms`);
      assert.ok(grew < MEM_BYTES, `${grew >> 20} MB`);
      assert.equal(out.kind, want.kind, JSON.stringify(out));
      if (want.kind === 'error' && out.kind === 'error') {
        assert.equal(out.errorKind, want.errorKind);
        assert.match(out.message, want.message);
        assert.doesNotMatch(out.message, /\bE[A-Z]{3,}\b|TypeError|undefined/);
      }
    }).timeout(60_000);
  }
});

describe('fuzz: seeded mutations of real profiles through decode → top → flame → line callers', () => {
  const seeds = [
    'cpu.pb.gz',
    'heap.pb.gz',
    'goroutine.pb.gz',
    'labels.pb.gz',
    'block.pb.gz',
    'heap_legacy.txt',
    'goroutine.txt',
  ]
    .map((f) => readFileSync(path.join(profiles, f)))
    .map((b) => (b[0] === 0x1f ? gunzipSync(b) : b));
  const N = Number(process.env.FUZZ_CASES ?? 3000);
  it(`${N} mutations: each a typed outcome within 2 s`, () => {
    const rand = rng(0x14_2026);
    const tally = { ok: 0, error: 0 };
    let slowest = 0;
    for (let i = 0; i < N; i++) {
      let b = mutate(seeds[i % seeds.length]!, rand);
      if (rand() < 0.3) b = gzipSync(b);
      const t = performance.now();
      let out: Outcome;
      try {
        out = runPipeline(b);
      } catch (e) {
        throw new Error(`case ${i}: untyped ${e instanceof Error ? e.stack : String(e)}`);
      }
      const ms = performance.now() - t;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < TIME_MS, `case ${i} took ${Math.round(ms)} ms`);
      tally[out.kind]++;
    }
    assert.ok(tally.ok > N / 10 && tally.error > N / 10, JSON.stringify(tally));
  }).timeout(600_000);
});
