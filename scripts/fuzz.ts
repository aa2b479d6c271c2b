/**
 * The long fuzz run of issue 14, outside CI:
 *
 *   npx tsx scripts/fuzz.ts [CASES=100000] [SEED=20261130]
 *
 * Mutations of real profiles (test/fixtures/profiles) plus the hostile corpus, through the
 * editor's own path (test/fuzz/pipeline.ts: decode, drop_frames, annotate, top, flame graph, line
 * callers). Children run chunks of cases and report each case; the parent counts hangs (a case
 * over 5 s), runs over 1 GB RSS and untyped exceptions, and prints the figures. A child that
 * stops answering for 60 s is killed and its case counted as a hang.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mutate, rng, runPipeline } from '../test/fuzz/pipeline';

const root = path.resolve(__dirname, '..');
const HANG_MS = 5000;
const RSS_LIMIT = 1024 ** 3;
const CHUNK = 5000;

function seeds(): Uint8Array[] {
  const dir = path.join(root, 'test', 'fixtures', 'profiles');
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(path.join(dir, f)))
    .map((b) => (b[0] === 0x1f ? gunzipSync(b) : b));
}

function hostile(): Uint8Array[] {
  const dir = path.join(root, 'test', 'fixtures', 'hostile');
  // The legacy long-line files are issue 14 item 3 (legacy parsers), measured separately.
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.ts') && !f.endsWith('.md') && !f.startsWith('legacy-'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f)));
}

/** Case i: deterministic for (seed, i). */
function caseBytes(i: number, seed: number, src: Uint8Array[], extra: Uint8Array[]): Uint8Array {
  if (i < extra.length) return extra[i]!;
  const rand = rng((seed ^ Math.imul(i, 0x9e3779b1)) >>> 0);
  let b = mutate(src[i % src.length]!, rand);
  if (rand() < 0.3) b = gzipSync(b);
  return b;
}

function child(from: number, to: number, seed: number): void {
  const src = seeds();
  const extra = hostile();
  for (let i = from; i < to; i++) {
    const bytes = caseBytes(i, seed, src, extra);
    process.stdout.write(`start ${i}\n`);
    const t = performance.now();
    let kind: string;
    let detail = '';
    try {
      const out = runPipeline(bytes);
      kind = out.kind;
      if (out.kind === 'error') detail = out.errorKind;
    } catch (e) {
      kind = 'untyped';
      detail = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 200);
    }
    const ms = performance.now() - t;
    const rss = process.resourceUsage().maxRSS * 1024;
    process.stdout.write(`${JSON.stringify({ i, kind, detail, ms: Math.round(ms), rss })}\n`);
    // maxRSS only grows: once over the limit, later cases would all look guilty.
    if (rss > RSS_LIMIT) process.exit(3);
  }
}

async function parent(cases: number, seed: number): Promise<void> {
  const t0 = Date.now();
  const stats = { cases: 0, ok: 0, error: 0, untyped: 0, hangs: 0, overRss: 0, maxMs: 0, maxRss: 0 };
  const kinds = new Map<string, number>();
  const findings: string[] = [];
  let next = 0;
  while (next < cases) {
    const from = next;
    const to = Math.min(cases, from + CHUNK);
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', __filename, '--child', String(from), String(to), String(seed)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let current = from;
    let lastDone = from - 1;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    };
    arm();
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      arm();
      if (line.startsWith('start ')) {
        current = Number(line.slice(6));
        return;
      }
      const r = JSON.parse(line) as { i: number; kind: string; detail: string; ms: number; rss: number };
      lastDone = r.i;
      stats.cases++;
      stats.maxMs = Math.max(stats.maxMs, r.ms);
      stats.maxRss = Math.max(stats.maxRss, r.rss);
      if (r.kind === 'ok') stats.ok++;
      else if (r.kind === 'error') {
        stats.error++;
        kinds.set(r.detail, (kinds.get(r.detail) ?? 0) + 1);
      } else {
        stats.untyped++;
        findings.push(`case ${r.i}: untyped ${r.detail}`);
      }
      if (r.ms > HANG_MS) {
        stats.hangs++;
        findings.push(`case ${r.i}: ${r.ms} ms`);
      }
      if (r.rss > RSS_LIMIT) {
        stats.overRss++;
        findings.push(`case ${r.i}: ${Math.round(r.rss / 2 ** 20)} MB RSS`);
      }
    });
    const code = await new Promise<number | null>((res) => proc.on('exit', (c) => res(c)));
    clearTimeout(timer);
    if (code === 0) next = to;
    else if (code === 3)
      next = lastDone + 1; // over the RSS limit: go on in a fresh process
    else {
      stats.cases++;
      stats.hangs++;
      findings.push(`case ${current}: the process ended (exit ${code}) or hung`);
      next = current + 1;
    }
    process.stderr.write(`${next}/${cases} cases, ${Math.round((Date.now() - t0) / 1000)} s\n`);
  }
  console.log(
    JSON.stringify(
      { seed, ...stats, errorKinds: Object.fromEntries(kinds), seconds: Math.round((Date.now() - t0) / 1000) },
      null,
      2,
    ),
  );
  for (const f of findings.slice(0, 50)) console.log(f);
  process.exitCode = stats.untyped + stats.hangs + stats.overRss > 0 ? 1 : 0;
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') child(Number(argv[1]), Number(argv[2]), Number(argv[3]));
else void parent(Number(argv[0] ?? 100_000), Number(argv[1] ?? 20261130));
