#!/usr/bin/env node
// npm start: pprof-lens in a real VS Code, as a user gets it.
//   1. builds and packages the .vsix (scripts/package.mjs),
//   2. installs it into a fresh code-server (the one scripts/setup.sh installed in .cache/),
//   3. serves the demo workspace (demo/: a small Go shop API, its CPU and heap profiles) on
//      127.0.0.1 only, on a free port, behind a random password, with demo/catalog.go open and
//      demo/profiles/heap.pb.gz loaded, so the heap overlays are visible at once,
//   4. prints the URL and the password, and on Ctrl-C stops code-server and everything it started.
// Options: --port <n>, --workspace <dir> (default demo/), --profile <file> (default
// <workspace>/profiles/heap.pb.gz), --file <file> (default <workspace>/catalog.go), --no-package
// (install the existing pprof-lens-<version>.vsix).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
};
const workspace = path.resolve(opt('workspace', path.join(root, 'demo')));
const profile = path.resolve(opt('profile', path.join(workspace, 'profiles/heap.pb.gz')));
const file = path.resolve(opt('file', path.join(workspace, 'catalog.go')));
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${manifest.name}-${manifest.version}.vsix`);
// Every process started here carries this in its environment, so none is left behind.
const MARKER = 'PPROF_LENS_START_ID';
const marker = process.env[MARKER] || randomUUID();

function fail(msg) {
  console.error(`npm start: ${msg}`);
  process.exit(1);
}

function findCodeServer() {
  if (process.env.CODE_SERVER_ENTRY) return process.env.CODE_SERVER_ENTRY;
  const cache = path.join(root, '.cache/code-server');
  const versions = existsSync(cache)
    ? readdirSync(cache)
        .filter((v) => existsSync(path.join(cache, v, '.installed')))
        .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    : [];
  for (const v of versions) {
    const entry = path.join(cache, v, 'node_modules/code-server/out/node/entry.js');
    if (existsSync(entry)) return entry;
  }
  return fail(`code-server is not installed: run 'bash scripts/setup.sh' first (looked in ${cache}).`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get(`http://127.0.0.1:${port}/healthz`, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Pids of processes whose environment carries the marker. */
function marked() {
  const out = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${p}/environ`, 'latin1').includes(`${MARKER}=${marker}`)) out.push(Number(p));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

for (const [what, p] of [
  ['workspace', workspace],
  ['profile', profile],
  ['file', file],
]) {
  if (!existsSync(p)) fail(`the ${what} ${p} does not exist.`);
}
const entry = findCodeServer();

if (!argv.includes('--no-package') || !existsSync(vsix)) {
  console.log('npm start: building and packaging pprof-lens…');
  execFileSync(process.execPath, [path.join(root, 'scripts/package.mjs'), '--out', vsix], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-start-'));
const userData = path.join(tmp, 'user-data');
const extensions = path.join(tmp, 'extensions');
mkdirSync(path.join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
const env = { ...process.env, [MARKER]: marker, XDG_DATA_HOME: path.join(tmp, 'xdg-data') };
for (const k of Object.keys(env)) if (/^(VSCODE_|ELECTRON_RUN_AS_NODE)/.test(k)) delete env[k];

let child;
let stopping = false;
function cleanup() {
  try {
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nnpm start: stopping code-server…');
  cleanup();
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && marked().length > 0) await new Promise((r) => setTimeout(r, 100));
  for (const pid of marked()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  console.log('npm start: stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));

try {
  execFileSync(
    process.execPath,
    [entry, '--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', userData],
    {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
} catch (e) {
  rmSync(tmp, { recursive: true, force: true });
  fail(`code-server could not install ${path.basename(vsix)}: ${e.stderr?.toString() ?? e.message}`);
}

const settings = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
};
writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
const password = randomBytes(12).toString('base64url');
const port = Number(opt('port', 0)) || (await freePort());
writeFileSync(
  path.join(tmp, 'config.yaml'),
  `bind-addr: 127.0.0.1:${port}\nauth: password\npassword: ${password}\ncert: false\n`,
  { mode: 0o600 },
);

child = spawn(
  process.execPath,
  [
    entry,
    '--config',
    path.join(tmp, 'config.yaml'),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    '--disable-telemetry',
    '--disable-update-check',
    // The demo is this repository's own folder, which you trust by running npm start in it.
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    workspace,
  ],
  {
    // The profile the extension opens at start when there is no session to restore.
    env: { ...env, PPROF_LENS_OPEN: profile },
    cwd: workspace,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
const log = [];
for (const s of [child.stdout, child.stderr]) s.on('data', (d) => log.push(String(d)));
child.on('exit', (code) => {
  if (!stopping) {
    console.error(`npm start: code-server exited (${code}):\n${log.join('').split('\n').slice(-20).join('\n')}`);
    void stop(1);
  }
});

const deadline = Date.now() + 60_000;
while (!(await healthy(port))) {
  if (stopping) await new Promise(() => {});
  if (Date.now() > deadline) {
    console.error(
      `npm start: code-server did not come up on 127.0.0.1:${port}:\n${log.join('').split('\n').slice(-20).join('\n')}`,
    );
    await stop(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}
const authority = `127.0.0.1:${port}`;
const params = new URLSearchParams({
  folder: workspace,
  payload: JSON.stringify([['openFile', `vscode-remote://${authority}${encodeURI(file)}`]]),
});
const url = `http://${authority}/?${params.toString()}`;
console.log(`
pprof-lens is running in VS Code (code-server, listening on 127.0.0.1 only):

  URL:      ${url}
  Password: ${password}

The demo workspace ${path.relative(process.cwd(), workspace) || '.'} opens with ${path.basename(file)} and the heap profile ${path.relative(workspace, profile)}:
each line that allocates shows its in-use bytes. Try "pprof: Switch Sample Type", "pprof: Compare With Base
Profile…" (heap-before.pb.gz) and "pprof: Show Flame Graph and Top Table" (F1).
Press Ctrl-C to stop.`);
