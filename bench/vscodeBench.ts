/**
 * What the benchmarks run inside code-server share (bench/flame.ts, bench/editor.ts): the
 * generated 700,000-sample heap profile, quick open by hand, and the workbench window's
 * requestAnimationFrame gaps (the webviews share its thread: a gap is a frozen window).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { generateGoHeapProfile } from './generate';

/** bench/out/go-heap-<n>.pb.gz (BENCH_SAMPLES, default 700,000), generated once; prints its size. */
export function benchProfile(): { file: string; samples: number; raw: Uint8Array } {
  const samples = Number(process.env.BENCH_SAMPLES ?? 700_000);
  const outDir = path.join(__dirname, 'out');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `go-heap-${samples}.pb.gz`);
  if (!existsSync(file)) {
    console.log(`generating ${samples} samples…`);
    writeFileSync(file, gzipSync(generateGoHeapProfile({ samples })));
  }
  const raw = gunzipSync(readFileSync(file));
  console.log(
    `profile: ${path.basename(file)}: ${samples.toLocaleString('en-US')} samples, ${(statSync(file).size / 2 ** 20).toFixed(1)} MB gzipped, ${(raw.length / 2 ** 20).toFixed(1)} MB uncompressed`,
  );
  return { file, samples, raw };
}

/**
 * Ctrl+P, the absolute path, Enter once its row is the focused one; returns Date.now() at Enter.
 * (The harness's openFile waits for a text editor's breadcrumbs, which a custom editor lacks.)
 */
export async function quickOpen(page: Page, abs: string): Promise<number> {
  await page.keyboard.press('Control+p');
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(abs);
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: path.basename(abs) })
    .first()
    .waitFor({ state: 'visible' });
  await page.waitForTimeout(300);
  const t = Date.now();
  await page.keyboard.press('Enter');
  return t;
}

/** Records the gaps between animation frames of the workbench from now on. */
export async function recordFrameGaps(page: Page): Promise<(from: number, to: number) => Promise<number>> {
  // (a string: tsx's helpers are not defined in the page)
  await page.evaluate(`(() => {
    window.__gaps = [];
    let last = performance.now();
    const tick = t => {
      window.__gaps.push({ t: performance.timeOrigin + t, gap: t - last });
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  return (from, to) =>
    page.evaluate(
      ([a, b]) => {
        const g = (window as unknown as { __gaps: { t: number; gap: number }[] }).__gaps.filter(
          (x) => x.t >= a! && x.t <= b!,
        );
        return g.reduce((m, x) => Math.max(m, x.gap), 0);
      },
      [from, to],
    );
}

/** Rows of a benchmark's table: what, the figure, and whether its target was met. */
export class BenchTable {
  readonly rows: [string, string, string][] = [];
  row(what: string, ms: number, target?: number): void {
    this.rows.push([
      what,
      `${ms.toFixed(0)} ms`,
      target === undefined ? '' : `target ≤ ${target} ms: ${ms <= target ? 'met' : 'NOT met'}`,
    ]);
  }
  note(what: string, figure = '', extra = ''): void {
    this.rows.push([what, figure, extra]);
  }
  print(): void {
    const w = Math.max(...this.rows.map((r) => r[0].length));
    for (const [a, b, c] of this.rows) console.log(`${a.padEnd(w)}  ${b.padStart(8)}  ${c}`);
  }
}
