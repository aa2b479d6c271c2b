/**
 * `npm start`, as a user runs it: the script builds, packages and installs the .vsix into
 * code-server on 127.0.0.1 and prints a URL and a password. A browser (Debian's chromium, through
 * playwright-core) opens the URL, logs in with the password, and sees demo/catalog.go with the
 * heap profile's overlays: on the line that fills the leaking cache, the inuse_space values that
 * `go tool pprof -list` prints. Then SIGINT to the script's process group (what Ctrl-C does) stops
 * it, and no process it started is left. Saves docs/screenshots/npm-start.png.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './workspace';

const DEMO = path.join(ROOT, 'demo');
const catalog = readFileSync(path.join(DEMO, 'catalog.go'), 'utf8').split('\n');
const PUT_LINE = catalog.findIndex((l) => l.includes('h.cache.put(key, body)')) + 1;

function marked(id: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/environ`, 'latin1').includes(`PPROF_LENS_START_ID=${id}`)) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}

/** flat and cum of `line` of catalog.go in go tool pprof -list (inuse_space), e.g. ["11.60MB", "11.80MB"]. */
function pprofListRow(line: number): [string, string] | undefined {
  const r = spawnSync(
    'go',
    [
      'tool',
      'pprof',
      '-sample_index=inuse_space',
      '-list',
      'ServeHTTP',
      `-trim_path=/home/runner/work/pprof-lens/pprof-lens/demo`,
      `-source_path=${DEMO}`,
      path.join(DEMO, 'profiles/heap.pb.gz'),
    ],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) return undefined;
  for (const l of r.stdout.split('\n')) {
    const m = /^\s*(\S+)\s+(\S+)\s+(\d+):/.exec(l);
    if (m && Number(m[3]) === line) return [m[1]!, m[2]!];
  }
  return undefined;
}

describe('npm start: pprof-lens in code-server on the demo workspace', function () {
  this.timeout(300_000);
  const id = randomUUID();
  let proc: ChildProcess;
  let out = '';
  let browser: Browser | undefined;

  before(async () => {
    proc = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PPROF_LENS_START_ID: id },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d) => (out += String(d)));
    proc.stderr!.on('data', (d) => (out += String(d)));
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // stopped by the test
    }
    for (const pid of marked(id)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });

  it('prints a URL on 127.0.0.1 and a password', async () => {
    const deadline = Date.now() + 180_000;
    while (!/Password: \S+/.test(out) && Date.now() < deadline && proc.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    assert.match(out, /URL: +http:\/\/127\.0\.0\.1:\d+\/\?folder=/, out);
    assert.match(out, /Password: +[\w-]{12,}/, out);
    const port = /127\.0\.0\.1:(\d+)/.exec(out)![1];
    // Listening on 127.0.0.1 only: the sockets in LISTEN state (0A) on that port, from /proc/net.
    const hexPort = Number(port).toString(16).toUpperCase().padStart(4, '0');
    const listening = ['/proc/net/tcp', '/proc/net/tcp6']
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').slice(1))
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c[1]?.endsWith(`:${hexPort}`) && c[3] === '0A')
      .map((c) => c[1]!.split(':')[0]!);
    assert.deepEqual(
      [...new Set(listening)],
      ['0100007F'],
      `listening addresses (hex) on ${port}: ${listening.join(', ')}`,
    );
  });

  it("a browser on the URL, after the password, shows catalog.go with the heap profile's overlays", async () => {
    const url = /URL: +(\S+)/.exec(out)![1]!;
    const password = /Password: +(\S+)/.exec(out)![1]!;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.fill('input[type=password]', password);
    await page.click('input[type=submit], button[type=submit]');
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForSelector(
      '.part.editor .tab.active[aria-label*="catalog.go"], .part.editor .tab.active:has-text("catalog.go")',
      { timeout: 60_000 },
    );
    // The status bar names the heap profile and its default sample type.
    await page.waitForSelector('#workbench\\.parts\\.statusbar :text("heap.pb.gz · inuse_space")', { timeout: 60_000 });
    // Go to the line that fills the cache and read the decoration after it.
    await page.click('.part.editor .monaco-editor .view-lines');
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(PUT_LINE));
    await page.keyboard.press('Enter');
    const text = await page
      .waitForFunction(
        (line: number) => {
          const ed = document.querySelector('.part.editor .monaco-editor');
          if (!ed) return undefined;
          const nums = [...ed.querySelectorAll('.margin-view-overlays > div')].map((d) => ({
            top: Math.round(d.getBoundingClientRect().top),
            n: parseInt(d.querySelector('.line-numbers')?.textContent ?? '', 10),
          }));
          for (const vl of ed.querySelectorAll('.view-lines > .view-line')) {
            const top = Math.round(vl.getBoundingClientRect().top);
            if (nums.find((x) => Math.abs(x.top - top) <= 3)?.n !== line) continue;
            for (const span of vl.querySelectorAll('span')) {
              const c = getComputedStyle(span, '::after').content;
              if (c && c !== 'none' && c !== 'normal' && /\d/.test(c))
                return c
                  .replace(/^"|"$/g, '')
                  .replace(/\u00a0/g, ' ')
                  .trim();
            }
          }
          return undefined;
        },
        PUT_LINE,
        { timeout: 60_000 },
      )
      .catch(async (e: unknown) => {
        mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
        await page.screenshot({ path: path.join(ROOT, 'test-results/npm-start-failure.png') });
        throw e;
      });
    const decoration = (await text.jsonValue()) as string;
    const want = pprofListRow(PUT_LINE);
    if (want) assert.deepEqual(decoration.split(/\s+/), want, `go tool pprof -list says ${want.join(' ')}`);
    else assert.match(decoration, /MB/);
    mkdirSync(path.join(ROOT, 'docs/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/npm-start.png') });
    await browser.close();
    browser = undefined;
  });

  it('stops on Ctrl-C (SIGINT) and leaves no process behind', async () => {
    assert.ok(marked(id).length > 0, 'code-server runs with the marker');
    process.kill(-proc.pid!, 'SIGINT');
    const code = await new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null) resolve(proc.exitCode);
      proc.on('exit', (c) => resolve(c));
    });
    assert.ok(code === 0 || code === 130 || code === null, `exit code ${code}\n${out}`);
    const deadline = Date.now() + 10_000;
    while (marked(id).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(marked(id), [], 'processes left after Ctrl-C');
    assert.match(out, /npm start: stopped\./);
  });
});
