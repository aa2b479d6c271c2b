/**
 * Process helpers for the integration harness: free ports, child processes in their own process
 * group tagged with a marker environment variable, and a kill that leaves no orphans (process
 * group first, then every process on the machine that carries the marker, found through /proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import * as net from 'node:net';

export const MARKER_VAR = 'PPROF_LENS_HARNESS_ID';

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (capped). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
}

/** Starts `cmd` detached (own process group), output teed to `logFile` and kept in memory. */
export function spawnLogged(
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): Spawned {
  const log: WriteStream = createWriteStream(opts.logFile, { flags: 'a' });
  log.on('error', () => undefined);
  let buf = '';
  const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let running = true;
  const onData = (d: Buffer): void => {
    const s = d.toString('utf8');
    buf += s;
    if (buf.length > 2_000_000) buf = buf.slice(-1_000_000);
    log.write(s);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (err) => {
      buf += `\n[spawn error] ${err.message}\n`;
      running = false;
      log.end();
      resolve({ code: -1, signal: null });
    });
    child.on('exit', (code, signal) => {
      running = false;
      log.end();
      resolve({ code, signal });
    });
  });
  return { child, output: () => buf, exited, isRunning: () => running };
}

/** Pids of processes whose environment holds MARKER_VAR=marker (Linux /proc; empty elsewhere). */
export function markedPids(marker: string): number[] {
  const needle = Buffer.from(`\0${MARKER_VAR}=${marker}\0`);
  const first = Buffer.from(`${MARKER_VAR}=${marker}\0`);
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`);
      if (env.includes(needle) || env.subarray(0, first.length).equals(first)) {
        // Skip zombies: they are gone already, only waiting for their parent to reap them.
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        if (state !== 'Z') pids.push(pid);
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/** SIGKILLs the process groups and every marked process, synchronously (usable in 'exit'). */
export function killAllSync(groupLeaders: (number | undefined)[], marker: string): void {
  for (const pid of groupLeaders) signalGroup(pid, 'SIGKILL');
  for (const pid of markedPids(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a process group politely (SIGTERM), waits up to `graceMs`, then SIGKILLs the group and every
 * process still carrying the marker, and waits up to 3 s for them to vanish. Returns the pids still
 * alive after all that (empty when clean).
 */
export async function stopTree(
  groupLeaders: (number | undefined)[],
  marker: string,
  graceMs = 3000,
): Promise<number[]> {
  for (const pid of groupLeaders) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && markedPids(marker).length > 0) await sleep(100);
  killAllSync(groupLeaders, marker);
  const hard = Date.now() + 3000;
  let left = markedPids(marker);
  while (Date.now() < hard && left.length > 0) {
    await sleep(100);
    killAllSync([], marker);
    left = markedPids(marker);
  }
  return left;
}

/**
 * A detached watchdog: if this test process dies without cleaning up (SIGKILL, a CI timeout), it
 * SIGKILLs every process carrying the marker. It carries the marker itself, so close() ends it too.
 */
export function startWatchdog(marker: string, env: NodeJS.ProcessEnv, tempDir?: string): void {
  const script = `
const fs = require('fs');
const parent = Number(process.argv[1]);
const needle = Buffer.from('${MARKER_VAR}=' + process.argv[2] + '\\0');
function sweep() {
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const env = fs.readFileSync('/proc/' + e + '/environ');
      if (env.includes(needle)) process.kill(Number(e), 'SIGKILL');
    } catch {}
  }
}
setInterval(() => {
  try { process.kill(parent, 0); } catch {
    sweep();
    setTimeout(() => { sweep(); if (process.argv[3]) fs.rmSync(process.argv[3], { recursive: true, force: true }); process.exit(0); }, 500);
  }
}, 1000);
`;
  try {
    const child = spawn(process.execPath, ['-e', script, String(process.pid), marker, ...(tempDir ? [tempDir] : [])], {
      env,
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // best effort
  }
}
