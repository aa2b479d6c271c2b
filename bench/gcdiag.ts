/**
 * npm run bench:gcdiag — the compiler insight on a realistic package: `go build -gcflags=-m=2`
 * of the standard library's net/http (about 60 files; its -m=2 output is several MB) through
 * insight/gcRunner, cold (a fresh GOCACHE) and again (go replays the cached output), then
 * core/gcdiag's parse and per-line lookups on that output. Targets: the parse under 1 s, 10,000
 * line lookups under 250 ms (figures on an idle machine are several times lower), the cached run under 5 s. Needs Go; writes nothing into the repository.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GcIndex, parseGcText } from '../src/core/gcdiag';
import { runGcDiagnostics } from '../src/vscode/insight/gcRunner';

async function main(): Promise<void> {
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const pkg = path.join(goroot, 'src', 'net', 'http');
  const cache = mkdtempSync(path.join(tmpdir(), 'pprof-lens-bench-gocache-'));
  const env = { ...process.env, GOCACHE: cache, GOFLAGS: '', GOWORK: 'off' };
  const fail: string[] = [];
  try {
    for (const label of ['cold (fresh GOCACHE)', 'cached']) {
      const r = await runGcDiagnostics({
        go: 'go',
        cwd: pkg,
        packages: ['.'],
        env,
        timeoutMs: 600_000,
        maxOutputBytes: 256 << 20,
      });
      console.log(
        `go build -gcflags=-m=2 net/http, ${label}: ${r.ms} ms, ${r.diagnostics.escapes.length} escape records, ${r.diagnostics.inlining.length} inlining records`,
      );
      if (label === 'cached' && r.ms > 5000) fail.push(`cached run ${r.ms} ms > 5000 ms`);
    }
    const text = execFileSync('sh', ['-c', `go build -gcflags=-m=2 -o '${cache}/x' . 2>&1`], {
      cwd: pkg,
      env,
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    let t = performance.now();
    const d = parseGcText(text, pkg);
    const parseMs = performance.now() - t;
    t = performance.now();
    const idx = new GcIndex(d);
    const indexMs = performance.now() - t;
    const files = [...new Set(d.escapes.map((e) => e.file))];
    t = performance.now();
    let found = 0;
    for (let i = 0; i < 10_000; i++) found += idx.escapesAt(files[i % files.length]!, 1 + (i % 3000)).length;
    const lookupMs = performance.now() - t;
    console.log(
      `parse ${(text.length / 2 ** 20).toFixed(1)} MiB of -m=2 output (${text.split('\n').length} lines): ${parseMs.toFixed(0)} ms; index ${indexMs.toFixed(0)} ms; 10,000 line lookups: ${lookupMs.toFixed(1)} ms (${found} records)`,
    );
    if (parseMs > 1000) fail.push(`parse ${parseMs.toFixed(0)} ms > 1000 ms`);
    if (lookupMs > 250) fail.push(`lookups ${lookupMs.toFixed(1)} ms > 250 ms`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  if (fail.length > 0) {
    console.error(`bench:gcdiag: over target: ${fail.join('; ')}`);
    process.exit(1);
  }
}

void main();
