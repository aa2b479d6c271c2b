// Render benchmark of the flame graph (npm run bench:render): in headless Chromium, a full
// redraw (layout + Canvas2D render, flushed by a 1-pixel readback) of a generated tree of
// 100,000 frames that are ALL visible (1000 columns of 100-deep stacks, 1.2 px each at 1200 px),
// and of the same 100k-node tree at 1200 px with a realistic skew (most frames culled).
// Prints median and p95 over 50 redraws; the target is < 16 ms.
import * as esbuild from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = `
import { layout } from './webview/flame/layout';
import { render } from './webview/flame/render';

function names(n) {
  const pk = ['runtime', 'fmt', 'net/http', 'encoding/json', 'example.com/app/svc', 'github.com/dep/lib'];
  return Array.from({ length: n }, (_, i) => pk[i % pk.length] + '.Func' + i);
}
// cols columns of chains 'depth' deep under the root; weight per column: w(c).
function tree(cols, depth, w) {
  const N = 1 + cols * depth;
  const d = { names: names(2000), files: ['/src/x.go'], nodeName: new Array(N), nodeFile: new Array(N).fill(0), nodeLine: new Array(N).fill(1),
    depth: new Array(N), inlined: new Array(N).fill(0), start: new Array(N), weight: new Array(N), total: new Array(N), self: new Array(N).fill(0),
    subtree: new Array(N), maxDepth: depth, reportTotal: 0 };
  let x = 0, i = 1;
  for (let c = 0; c < cols; c++) {
    const wc = w(c);
    for (let k = 0; k < depth; k++, i++) {
      d.nodeName[i] = (c * 7 + k * 13) % 2000; d.depth[i] = k + 1; d.start[i] = x; d.weight[i] = wc; d.total[i] = wc; d.subtree[i] = depth - k;
    }
    d.self[i - 1] = wc;
    x += wc;
  }
  Object.assign(d, { reportTotal: x });
  d.nodeName[0] = -1; d.nodeFile[0] = -1; d.depth[0] = 0; d.start[0] = 0; d.weight[0] = x; d.total[0] = x; d.subtree[0] = N;
  return d;
}
window.bench = (kind, runs) => {
  const d = kind === 'all-visible' ? tree(1000, 100, () => 1) : tree(1000, 100, c => Math.pow(0.99, c) * 100);
  const canvas = document.createElement('canvas');
  const width = 1200, row = 18, height = (d.maxDepth + 1) * row;
  canvas.width = width; canvas.height = height; canvas.style.width = width + 'px'; canvas.style.height = height + 'px';
  document.body.append(canvas);
  const ctx = canvas.getContext('2d');
  const times = []; let boxes = 0;
  for (let r = 0; r < runs + 5; r++) {
    const t0 = performance.now();
    const b = layout(d, { zoom: 0, width, rowHeight: row, orientation: 'icicle' });
    render(ctx, d, b, { rowHeight: row, theme: 'dark', modules: ['example.com/app'], diff: false, font: '12px monospace' });
    ctx.getImageData(0, 0, 1, 1);
    const t = performance.now() - t0;
    if (r >= 5) times.push(t);
    boxes = b.count;
  }
  canvas.remove();
  return { nodes: d.nodeName.length, boxes, times };
};
`;
const dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-bench-'));
const out = await esbuild.build({
  stdin: { contents: entry, resolveDir: repo, loader: 'ts' },
  bundle: true,
  format: 'iife',
  write: false,
  target: 'chrome120',
});
writeFileSync(path.join(dir, 'bench.js'), out.outputFiles[0].text);
writeFileSync(
  path.join(dir, 'index.html'),
  '<!DOCTYPE html><html><body><script src="bench.js"></script></body></html>',
);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`file://${path.join(dir, 'index.html')}`);
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  for (const kind of (process.env.KINDS ?? 'all-visible,skewed').split(',')) {
    const r = await page.evaluate(([k, n]) => window.bench(k, n), [kind, 50]);
    const med = q(r.times, 0.5),
      p95 = q(r.times, 0.95);
    console.log(
      `${kind.padEnd(12)} nodes ${r.nodes}  drawn ${String(r.boxes).padStart(6)}  redraw median ${med.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  (50 runs; target < 16 ms: ${p95 < 16 ? 'met' : 'NOT met'})`,
    );
  }
} finally {
  await browser.close();
}
