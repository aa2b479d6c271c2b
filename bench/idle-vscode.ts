// npm run bench:idle: the extension host's memory and threads in a real VS Code (code-server,
// through test/integration/harness) on a Go workspace with no profile open: once without
// pprof-lens, once with the packaged .vsix installed, after a Go file was opened (onLanguage:go
// activated it). Reports the extension host's RSS and heap-bearing threads, and checks that
// pprof-lens started no worker thread (its decode worker starts with the first profile).
// Noisy on a shared machine: RSS differences under ~5 MB are within run-to-run variation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { launch, REPO_ROOT } from '../test/integration/harness/vscode';
import { MARKER_VAR } from '../test/integration/harness/proc';

function extensionHost(marker: string): { pid: number; rssKB: number; threads: number } | undefined {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (!readFileSync(`/proc/${p}/environ`, 'latin1').includes(`${MARKER_VAR}=${marker}`)) continue;
      if (!readFileSync(`/proc/${p}/cmdline`, 'latin1').includes('--type=extensionHost')) continue;
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      return {
        pid: Number(p),
        rssKB: Number(/VmRSS:\s+(\d+)/.exec(status)![1]),
        threads: Number(/Threads:\s+(\d+)/.exec(status)![1]),
      };
    } catch {
      // gone
    }
  }
  return undefined;
}

async function measure(vsix: string | undefined): Promise<{ rssKB: number; threads: number; activated: boolean }> {
  const ws = path.join(REPO_ROOT, 'demo');
  const vs = await launch({ workspace: ws, ...(vsix ? { vsix } : { extensionDevelopmentPath: [] }) });
  try {
    await vs.openFile('catalog.go');
    const activated = vsix
      ? await vs
          .waitFor(
            async () => /_doActivateExtension pprof-lens\.pprof-lens/.test(vs.logs().extensionHost) || undefined,
            { timeoutMs: 60_000 },
          )
          .then(() => true)
      : false;
    await new Promise((r) => setTimeout(r, 5000)); // settle
    // The session's marker, from the environment of its code-server (started with its temp dir).
    const m = findMarker(vs.tempDir);
    const host = m ? extensionHost(m) : undefined;
    if (!host) throw new Error('extension host not found');
    return { rssKB: host.rssKB, threads: host.threads, activated };
  } finally {
    await vs.close();
  }
}

function findMarker(tempDir: string): string | undefined {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'latin1');
      if (!cmd.includes(tempDir)) continue;
      return new RegExp(`${MARKER_VAR}=([\\w-]+)`).exec(readFileSync(`/proc/${p}/environ`, 'latin1'))?.[1];
    } catch {
      // gone
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-idle-'));
  try {
    const vsix = path.join(dir, 'pprof-lens.vsix');
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/package.mjs'), '--out', vsix], { stdio: 'ignore' });
    const without = await measure(undefined);
    const withExt = await measure(vsix);
    console.log('extension host on demo/ with catalog.go open, no profile:');
    console.log(`  without pprof-lens: RSS ${(without.rssKB / 1024).toFixed(1)} MB, ${without.threads} threads`);
    console.log(
      `  with pprof-lens (activated: ${withExt.activated}): RSS ${(withExt.rssKB / 1024).toFixed(1)} MB, ${withExt.threads} threads`,
    );
    console.log(
      `  difference: ${((withExt.rssKB - without.rssKB) / 1024).toFixed(1)} MB, ${withExt.threads - without.threads} threads`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
