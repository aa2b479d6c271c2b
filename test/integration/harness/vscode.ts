/**
 * Integration harness: a real VS Code (code-server's server build, installed by
 * scripts/setup-code-server.sh into .cache/code-server/) served on 127.0.0.1 and driven through
 * Debian's chromium with playwright-core. See test/integration/README.md.
 *
 *   const vs = await launch({ workspace: '/path/to/folder', extensionDevelopmentPath: '/path/to/ext' });
 *   try {
 *     await vs.openFile('main.go');
 *     await vs.runCommand('pprof: Open Profile');
 *     const decorations = await vs.editorDecorations();
 *   } finally {
 *     await vs.close();
 *   }
 *
 * Every step has a hard timeout and fails with a message naming the step (plus a screenshot under
 * test-results/ and the tail of code-server's log) instead of hanging. close() kills code-server,
 * its extension host and watchers, and chromium: everything started carries a marker environment
 * variable and is SIGKILLed by process group and by marker, also on process exit.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { freePort, killAllSync, MARKER_VAR, spawnLogged, startWatchdog, stopTree, type Spawned } from './proc';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

export interface LaunchOptions {
  /** Folder opened as the workspace (absolute, or relative to the current directory). Used in place. */
  workspace: string;
  /**
   * Folder(s) of the extension(s) under test, loaded as in F5 "Extension Development Host"
   * (default: the repository root, i.e. pprof-lens itself, which must be built: npm run build).
   * Pass [] to load none.
   */
  extensionDevelopmentPath?: string | string[];
  /**
   * 'dev' (default): the workbench URL carries payload=[["extensionDevelopmentPath", ...]], the same
   * mechanism @vscode/test-web uses; code-server loads the folder in its (Node) extension host.
   * 'install': the folder is symlinked into the fresh --extensions-dir as an installed extension.
   */
  extensionMode?: 'dev' | 'install';
  /**
   * A .vsix installed the way a user installs one: `code-server --install-extension <vsix>
   * --extensions-dir <the session's empty dir>` before start; no extensionDevelopmentPath is loaded
   * (set extensionDevelopmentPath to add others).
   */
  vsix?: string;
  /**
   * Workspace Trust on (default off: --disable-workspace-trust): the folder, never trusted in the
   * fresh user-data dir, opens in Restricted Mode (no start-up prompt; the banner shows).
   */
  workspaceTrust?: boolean;
  /** User settings, merged over the harness defaults (see DEFAULT_SETTINGS). */
  settings?: Record<string, unknown>;
  /**
   * A command title the launch waits for in the command palette before it returns: the extensions'
   * contributions (commands, custom editors) are registered then, so a .pb.gz opened next goes to
   * the profile editor, not the binary-file warning. Default: 'pprof: Open Profile' when pprof-lens
   * is loaded (from the repository or a .vsix); '' waits for nothing.
   */
  waitForCommand?: string;
  /** Browser viewport (default 1400x900). */
  viewport?: { width: number; height: number };
  /** Default timeout of every step in ms (default 30 000; env PPROF_LENS_STEP_TIMEOUT). */
  stepTimeoutMs?: number;
  /** Timeout of the whole launch in ms (default 120 000). */
  launchTimeoutMs?: number;
  /** Extra environment for code-server (and so for the extension host). */
  env?: Record<string, string>;
  /** Keep the temporary user-data dir and logs after close (default: env PPROF_LENS_KEEP=1). */
  keepTemp?: boolean;
  /** Path to code-server's out/node/entry.js (default: env CODE_SERVER_ENTRY, else the newest install in .cache/code-server). */
  codeServerEntry?: string;
  /** Chromium binary (default: env CHROMIUM_PATH, else /usr/bin/chromium). */
  chromiumPath?: string;
}

export interface Decoration {
  /** 1-based line number. */
  line: number;
  /** The decoration's CSS content text (what VS Code renders for `after`/`before` contentText). */
  text: string;
  kind: 'after' | 'before';
  className: string;
}

export interface CodeLensInfo {
  /** 1-based line the lens stands above. */
  line: number;
  /** The lens title as rendered (codicons such as $(flame) render as empty icons). */
  text: string;
  title: string;
  /** Whether it is a link (has a command). */
  clickable: boolean;
}

export interface NotificationInfo {
  message: string;
  source: string;
  severity: 'info' | 'warning' | 'error' | 'unknown';
}

export interface ScanOptions {
  /** Only the lines rendered now, without scrolling through the document (default false). */
  visibleOnly?: boolean;
  /** While nothing is found, keep looking this long before returning [] (default 5000 ms). */
  emptyTimeoutMs?: number;
}

export interface VSCode {
  /** Waits until the command palette lists the command (its extension's contributions are registered). */
  waitForCommand(title: string, timeoutMs?: number): Promise<void>;
  readonly page: Page;
  readonly browser: Browser;
  readonly url: string;
  readonly port: number;
  readonly workspace: string;
  readonly tempDir: string;
  readonly userDataDir: string;
  /** Runs a command by its palette title ("Category: Title"), via F1. */
  runCommand(title: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** Opens a file of the workspace by relative path, via quick open (Ctrl+P). */
  openFile(relPath: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** Waits until an element matching `selector` contains `text`; returns its text. */
  waitForText(selector: string, text: string | RegExp, opts?: { timeoutMs?: number }): Promise<string>;
  /** Picks the item labelled `label` in the open quick pick (types it as a filter first). */
  pickQuickPickItem(label: string | RegExp, opts?: { timeoutMs?: number; filter?: string }): Promise<void>;
  /** Labels of the items of the open quick pick (rendered ones). */
  quickPickItems(opts?: { timeoutMs?: number }): Promise<string[]>;
  /** Types `text` into the open quick input / input box and presses Enter. */
  submitQuickInput(text: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** Moves the cursor to `line` (1-based; and column) with Ctrl+G, revealing it. */
  revealLine(line: number, column?: number): Promise<void>;
  /** Tab title, absolute path (from the breadcrumbs) and line count of the active text editor. */
  activeEditor(): Promise<{ title: string; path: string; lineCount: number } | undefined>;
  /** `after` (default) / `before` decorations of the active editor, with 1-based lines. */
  editorDecorations(opts?: ScanOptions & { kind?: 'after' | 'before' | 'both' }): Promise<Decoration[]>;
  /** CodeLenses of the active editor, one per lens, with the 1-based line they stand above. */
  codeLenses(opts?: ScanOptions): Promise<CodeLensInfo[]>;
  /** Shows the hover at line (1-based) / column (1-based; default: the first non-blank character) and returns its text. */
  hover(line: number, column?: number, opts?: { timeoutMs?: number }): Promise<string>;
  /** Texts of the status bar items. */
  statusBarItems(): Promise<string[]>;
  /** Notification toasts on screen. */
  notifications(): Promise<NotificationInfo[]>;
  /** Clears all notifications. */
  clearNotifications(): Promise<void>;
  /** Every notification message shown since the window opened, toasts since hidden included. */
  notificationsSeen(): Promise<string[]>;
  /** The content frames of the webviews on screen (outer iframe.webview → inner #active-frame). */
  webviewFrames(opts?: { minCount?: number; timeoutMs?: number }): Promise<Frame[]>;
  /** Polls `fn` until it returns a truthy value, or fails with `message` after the timeout. */
  waitFor<T>(
    fn: () => Promise<T | undefined | null | false>,
    opts?: { timeoutMs?: number; intervalMs?: number; message?: string },
  ): Promise<T>;
  screenshot(file: string): Promise<void>;
  /** code-server's output, the browser console errors, and the extension host log. */
  logs(): { codeServer: string; console: string[]; extensionHost: string };
  /** Kills code-server (and its children) and chromium; idempotent; never hangs. */
  close(): Promise<void>;
}

/** Settings applied to every session (overridable with LaunchOptions.settings). */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'editor.lineNumbers': 'on',
  'breadcrumbs.enabled': true,
  'breadcrumbs.filePath': 'on',
  'editor.wordWrap': 'off',
  'editor.minimap.enabled': false,
  'editor.codeLens': true,
  'editor.hover.enabled': true,
  'editor.hover.delay': 300,
  'editor.smoothScrolling': false,
  'files.autoSave': 'off',
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
  // pprof-lens would run `go build -gcflags=-m=2` on every profile's hot packages (trusted workspace)
  // and add its notes after lines other suites read; test/integration/insight turns it on.
  'pprofLens.insight.compilerDiagnostics': 'off',
};

declare function activeEditorPath(): string | null;

const sessions = new Set<{ leaders: () => (number | undefined)[]; marker: string }>();
let exitHook = false;
function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const s of sessions) killAllSync(s.leaders(), s.marker);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const s of sessions) killAllSync(s.leaders(), s.marker);
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class StepTimeout extends Error {}

async function withTimeout<T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(`vscode harness: ${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn(), t]);
  } finally {
    clearTimeout(timer);
  }
}

/** The newest code-server installed by scripts/setup-code-server.sh. */
export function findCodeServer(): string {
  const env = process.env.CODE_SERVER_ENTRY;
  if (env) {
    if (!existsSync(env)) throw new Error(`CODE_SERVER_ENTRY=${env} does not exist`);
    return env;
  }
  const cache = path.join(REPO_ROOT, '.cache/code-server');
  const versions = existsSync(cache)
    ? readdirSync(cache)
        .filter((v) => existsSync(path.join(cache, v, '.installed')))
        .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    : [];
  for (const v of versions) {
    const entry = path.join(cache, v, 'node_modules/code-server/out/node/entry.js');
    if (existsSync(entry)) return entry;
  }
  throw new Error(`code-server is not installed: run 'bash scripts/setup-code-server.sh' (looked in ${cache})`);
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
    req.on('error', () => resolve(0));
  });
}

function tail(s: string, n = 40): string {
  return s.split('\n').slice(-n).join('\n');
}

/** Mapping of rendered DOM rows to 1-based lines, and the readers that use it (run in the page). */
const PAGE_HELPERS = `
window.__pl = (() => {
  function activeEditor() {
    const inGroup = document.querySelector('.part.editor .editor-group-container.active .editor-instance .monaco-editor:not(.inline-diff-editor)')
      || document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
    return inGroup || document.querySelector('.part.editor .monaco-editor');
  }
  // [{top, line}] of the rendered margin rows, sorted by top; wrapped rows inherit the line above.
  function marginRows(ed) {
    const rows = [];
    for (const div of ed.querySelectorAll('.margin-view-overlays > div')) {
      const ln = div.querySelector('.line-numbers');
      const n = ln ? parseInt((ln.textContent || '').trim(), 10) : NaN;
      rows.push({ top: Math.round(div.getBoundingClientRect().top), line: Number.isFinite(n) ? n : undefined });
    }
    rows.sort((a, b) => a.top - b.top);
    let last;
    for (const r of rows) { if (r.line === undefined) r.line = last; else last = r.line; }
    return rows;
  }
  function lineAtTop(rows, top) {
    let best, bestD = 1e9;
    for (const r of rows) { const d = Math.abs(r.top - top); if (d < bestD) { bestD = d; best = r; } }
    return best && bestD <= 3 ? best.line : undefined;
  }
  function viewLines(ed) {
    const rows = marginRows(ed);
    const out = [];
    for (const vl of ed.querySelectorAll('.view-lines > .view-line')) {
      const top = Math.round(vl.getBoundingClientRect().top);
      out.push({ el: vl, top, line: lineAtTop(rows, top) });
    }
    out.sort((a, b) => a.top - b.top);
    return out;
  }
  function cssContent(v) {
    if (!v || v === 'none' || v === 'normal') return undefined;
    const m = /^"((?:[^"\\\\]|\\\\.)*)"$/s.exec(v) || /^'((?:[^'\\\\]|\\\\.)*)'$/s.exec(v);
    if (!m) return undefined;
    return m[1].replace(/\\\\([0-9a-fA-F]{1,6})\\s?|\\\\(.)/gs, (_, hex, ch) => hex ? String.fromCodePoint(parseInt(hex, 16)) : ch);
  }
  function decorations(kinds) {
    const ed = activeEditor();
    if (!ed) return { error: 'no editor' };
    const out = [];
    for (const vl of viewLines(ed)) {
      if (vl.line === undefined) continue;
      for (const span of vl.el.querySelectorAll('span')) {
        for (const kind of kinds) {
          const text = cssContent(getComputedStyle(span, '::' + kind).content);
          if (text !== undefined) out.push({ line: vl.line, text, kind, className: String(span.className) });
        }
      }
    }
    return { items: out, ...range(ed) };
  }
  function codeLenses() {
    const ed = activeEditor();
    if (!ed) return { error: 'no editor' };
    const vls = viewLines(ed);
    const out = [];
    for (const w of ed.querySelectorAll('.codelens-decoration')) {
      const r = w.getBoundingClientRect();
      if (r.height === 0 || getComputedStyle(w).visibility === 'hidden') continue;
      // The lens sits in a view zone right above its line: the first rendered line below it,
      // if that is close (a lens whose line is not rendered is skipped).
      const below = vls.find(v => v.top >= r.top + 1);
      if (!below || below.line === undefined) continue;
      const lh = below.el.getBoundingClientRect().height || 20;
      if (below.top - r.bottom > lh) continue;
      for (const c of w.children) {
        const text = (c.textContent || '').replace(/\\u00a0/g, ' ').trim();
        if (!text || text === '|') continue;
        out.push({ line: below.line, text, title: text, clickable: c.tagName === 'A' });
      }
    }
    return { items: out, ...range(ed) };
  }
  function range(ed) {
    const lines = marginRows(ed).map(r => r.line).filter(n => n !== undefined);
    const content = ed.querySelector('.lines-content');
    const scrollTop = content ? -parseFloat(content.style.top || '0') : 0;
    return { first: lines.length ? Math.min(...lines) : 0, last: lines.length ? Math.max(...lines) : 0, scrollTop };
  }
  return { activeEditor, decorations, codeLenses, range };
})();
window.activeEditorPath = () => {
  const el = document.querySelector('.part.editor .editor-group-container.active .breadcrumbs-control .file.monaco-breadcrumb-item .monaco-icon-label[aria-label]');
  return el ? el.getAttribute('aria-label') : null;
};
// Every notification message shown since the page loaded: an info toast hides itself after ~15 s,
// which a loaded machine can spend on the steps before the one that reads it.
window.__plSeen = [];
setInterval(() => {
  for (const m of document.querySelectorAll('.notification-list-item-message')) {
    const t = (m.textContent || '').trim();
    if (t && !window.__plSeen.includes(t)) window.__plSeen.push(t);
  }
}, 200);
`;

export async function launch(opts: LaunchOptions): Promise<VSCode> {
  installExitHook();
  const stepMs = opts.stepTimeoutMs ?? (Number(process.env.PPROF_LENS_STEP_TIMEOUT) || 30_000);
  const launchMs = opts.launchTimeoutMs ?? 120_000;
  const workspace = path.resolve(opts.workspace);
  if (!existsSync(workspace) || !statSync(workspace).isDirectory())
    throw new Error(`workspace is not a folder: ${workspace}`);
  if (opts.vsix && !existsSync(opts.vsix)) throw new Error(`vsix not found: ${opts.vsix} (npm run package)`);
  const extPaths = (
    opts.extensionDevelopmentPath === undefined
      ? opts.vsix
        ? []
        : [REPO_ROOT]
      : ([] as string[]).concat(opts.extensionDevelopmentPath)
  ).map((p) => path.resolve(p));
  for (const p of extPaths) {
    const manifestPath = path.join(p, 'package.json');
    if (!existsSync(manifestPath)) throw new Error(`extension folder has no package.json: ${p}`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { main?: string };
    if (
      manifest.main &&
      !existsSync(path.resolve(p, manifest.main)) &&
      !existsSync(path.resolve(p, `${manifest.main}.js`))
    ) {
      throw new Error(`extension ${p}: its main ${manifest.main} does not exist (build it first, e.g. npm run build)`);
    }
  }
  const entry = opts.codeServerEntry ?? findCodeServer();
  const chromiumPath = opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) throw new Error(`chromium not found at ${chromiumPath} (apt-get install -y chromium)`);

  const marker = randomUUID();
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'pprof-lens-vscode-'));
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = path.join(tempDir, 'extensions');
  const browserProfile = path.join(tempDir, 'chromium');
  for (const d of [
    userDataDir,
    path.join(userDataDir, 'User'),
    extensionsDir,
    browserProfile,
    path.join(tempDir, 'xdg-data'),
  ])
    mkdirSync(d, { recursive: true });
  const trustSettings = opts.workspaceTrust
    ? {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'always',
        'security.workspace.trust.emptyWindow': false,
      }
    : {};
  writeFileSync(
    path.join(userDataDir, 'User/settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...trustSettings, ...(opts.settings ?? {}) }, null, 2),
  );
  writeFileSync(path.join(tempDir, 'config.yaml'), 'auth: none\ncert: false\n');
  const mode = opts.extensionMode ?? 'dev';
  if (mode === 'install') {
    for (const p of extPaths) {
      const m = JSON.parse(readFileSync(path.join(p, 'package.json'), 'utf8')) as {
        publisher?: string;
        name: string;
        version: string;
      };
      symlinkSync(
        p,
        path.join(
          extensionsDir,
          `${(m.publisher ?? 'undefined_publisher').toLowerCase()}.${m.name.toLowerCase()}-${m.version}`,
        ),
        'dir',
      );
    }
  }

  if (opts.vsix) {
    const r = spawnSync(
      process.execPath,
      [
        entry,
        '--install-extension',
        path.resolve(opts.vsix),
        '--extensions-dir',
        extensionsDir,
        '--user-data-dir',
        userDataDir,
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...Object.fromEntries(
            Object.entries(process.env).filter(([k]) => !/^(VSCODE_|ELECTRON_RUN_AS_NODE)/.test(k)),
          ),
          XDG_DATA_HOME: path.join(tempDir, 'xdg-data'),
        },
      },
    );
    if (r.status !== 0) {
      rmSync(tempDir, { recursive: true, force: true });
      throw new Error(
        `code-server --install-extension ${opts.vsix} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`,
      );
    }
  }

  let codeServer: Spawned | undefined;
  let chromiumProc: Spawned | undefined;
  const session = { leaders: () => [codeServer?.child.pid, chromiumProc?.child.pid], marker };
  sessions.add(session);
  const consoleErrors: string[] = [];
  let browser: Browser | undefined;
  let closed = false;

  const baseEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Never talk to a VS Code this process may run inside of.
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE|CODE_SERVER_)/.test(k) && k !== 'CODE_SERVER_ENTRY') continue;
    baseEnv[k] = v;
  }
  baseEnv[MARKER_VAR] = marker;
  if (!(opts.keepTemp ?? process.env.PPROF_LENS_KEEP === '1')) startWatchdog(marker, baseEnv, tempDir);
  else startWatchdog(marker, baseEnv);

  const killEverything = async (): Promise<number[]> => {
    // Chromium first, politely over CDP (it then reaps its own helper processes), then the rest.
    if (browser && chromiumProc?.isRunning()) {
      try {
        await withTimeout('Browser.close', 3000, async () => {
          const cdp = await browser!.newBrowserCDPSession();
          await cdp.send('Browser.close').catch(() => undefined);
          await chromiumProc!.exited;
        });
      } catch {
        // SIGKILLed below
      }
    }
    try {
      await withTimeout('browser disconnect', 3000, async () => browser?.close());
    } catch {
      // gone anyway
    }
    return stopTree([chromiumProc?.child.pid, codeServer?.child.pid], marker, 3000);
  };

  try {
    return await withTimeout('launch', launchMs, async () => {
      // 1. code-server on 127.0.0.1:<free port>.
      let port = 0;
      for (let attempt = 1; ; attempt++) {
        port = await freePort();
        codeServer = spawnLogged(
          process.execPath,
          [
            entry,
            '--bind-addr',
            `127.0.0.1:${port}`,
            '--auth',
            'none',
            '--config',
            path.join(tempDir, 'config.yaml'),
            '--user-data-dir',
            userDataDir,
            '--extensions-dir',
            extensionsDir,
            '--disable-telemetry',
            '--disable-update-check',
            ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
            '--disable-getting-started-override',
            '--ignore-last-opened',
            '--locale',
            'en',
          ],
          {
            env: {
              ...baseEnv,
              XDG_DATA_HOME: path.join(tempDir, 'xdg-data'),
              // No marketplace: a closed local port instead of open-vsx.org.
              EXTENSIONS_GALLERY: JSON.stringify({
                serviceUrl: 'http://127.0.0.1:9/gallery',
                itemUrl: 'http://127.0.0.1:9/items',
                resourceUrlTemplate: 'http://127.0.0.1:9/r/{publisher}/{name}/{version}/{path}',
              }),
              ...(opts.env ?? {}),
            },
            cwd: workspace,
            logFile: path.join(tempDir, 'code-server.log'),
          },
        );
        const deadline = Date.now() + 30_000;
        let ok = false;
        while (Date.now() < deadline && codeServer.isRunning()) {
          if ((await httpStatus(`http://127.0.0.1:${port}/healthz`, 2000)) === 200) {
            ok = true;
            break;
          }
          await sleep(150);
        }
        if (ok) break;
        const out = codeServer.output();
        await stopTree([codeServer.child.pid], marker, 1000);
        if (attempt < 3 && /EADDRINUSE/.test(out)) continue;
        throw new Error(`code-server did not come up on 127.0.0.1:${port}:\n${tail(out)}`);
      }

      // 2. chromium (our own process, so close() can kill it for sure), connected over CDP.
      chromiumProc = spawnLogged(
        chromiumPath,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--no-default-browser-check',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-extensions',
          '--disable-dev-shm-usage',
          '--no-proxy-server',
          // Only 127.0.0.1 resolves: nothing leaves the machine, and nothing waits on DNS.
          '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
          `--user-data-dir=${browserProfile}`,
          `--window-size=${opts.viewport?.width ?? 1400},${opts.viewport?.height ?? 900}`,
          '--remote-debugging-address=127.0.0.1',
          '--remote-debugging-port=0',
          'about:blank',
        ],
        { env: baseEnv, logFile: path.join(tempDir, 'chromium.log') },
      );
      let ws: string | undefined;
      const cdpDeadline = Date.now() + 30_000;
      while (Date.now() < cdpDeadline && chromiumProc.isRunning()) {
        ws = /DevTools listening on (ws:\/\/\S+)/.exec(chromiumProc.output())?.[1];
        if (ws) break;
        await sleep(100);
      }
      if (!ws) throw new Error(`chromium did not start:\n${tail(chromiumProc.output())}`);
      browser = await chromium.connectOverCDP(ws, { timeout: 30_000 });
      const context: BrowserContext = browser.contexts()[0] ?? (await browser.newContext());
      const page = await context.newPage();
      await page.setViewportSize(opts.viewport ?? { width: 1400, height: 900 });
      page.setDefaultTimeout(stepMs);
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 2000));
      });
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      await page.addInitScript(PAGE_HELPERS);

      // 3. the workbench on the workspace, with the extension(s) under test.
      const params = new URLSearchParams({ folder: workspace });
      if (mode === 'dev' && extPaths.length > 0) {
        const authority = `127.0.0.1:${port}`;
        params.set(
          'payload',
          JSON.stringify(
            extPaths.map((p) => ['extensionDevelopmentPath', `vscode-remote://${authority}${encodeURI(p)}`]),
          ),
        );
      }
      const url = `http://127.0.0.1:${port}/?${params.toString()}`;
      await page.goto(url, { timeout: 60_000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.waitForSelector('#workbench\\.parts\\.statusbar', { timeout: 60_000 });
      // The remote file system is connected once the explorer shows the folder's content
      // (or its "empty folder" message).
      await page
        .waitForSelector(
          '.explorer-folders-view .monaco-list-row, .explorer-folders-view .monaco-list:not(.element-focused) .empty',
          { timeout: 60_000 },
        )
        .catch(() => undefined);
      await page.evaluate(PAGE_HELPERS);

      const api = makeApi({
        page,
        browser: browser!,
        url,
        port,
        workspace,
        tempDir,
        userDataDir,
        stepMs,
        consoleErrors,
        codeServerOutput: () => codeServer?.output() ?? '',
        onClose: async () => {
          if (closed) return;
          closed = true;
          const left = await killEverything();
          sessions.delete(session);
          if (left.length) console.warn(`vscode harness: processes still alive after SIGKILL: ${left.join(' ')}`);
          if (!(opts.keepTemp ?? process.env.PPROF_LENS_KEEP === '1'))
            rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
          else console.log(`vscode harness: kept ${tempDir}`);
        },
      });
      const wanted = opts.waitForCommand ?? (opts.vsix || extPaths.includes(REPO_ROOT) ? 'pprof: Open Profile' : '');
      if (wanted) await api.waitForCommand(wanted, Math.max(30_000, stepMs));
      return api;
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const logTail = codeServer ? `\n--- code-server log (tail) ---\n${tail(codeServer.output(), 30)}` : '';
    await killEverything();
    sessions.delete(session);
    if (!(opts.keepTemp ?? process.env.PPROF_LENS_KEEP === '1'))
      rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
    throw new Error(`${msg}${logTail}`);
  }
}

interface ApiParts {
  page: Page;
  browser: Browser;
  url: string;
  port: number;
  workspace: string;
  tempDir: string;
  userDataDir: string;
  stepMs: number;
  consoleErrors: string[];
  codeServerOutput(): string;
  onClose(): Promise<void>;
}

const QUICK_INPUT = '.quick-input-widget';
const ACTIVE_EDITOR = '.part.editor .editor-group-container.active .editor-instance .monaco-editor';
const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

function makeApi(p: ApiParts): VSCode {
  const { page } = p;
  let failures = 0;

  /** Runs a step under a hard timeout; on failure saves a screenshot and adds context. */
  async function step<T>(what: string, ms: number | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(what, ms ?? p.stepMs, fn);
    } catch (e) {
      let shot = '';
      try {
        mkdirSync(RESULTS_DIR, { recursive: true });
        const file = path.join(RESULTS_DIR, `harness-failure-${Date.now()}-${++failures}.png`);
        await withTimeout('failure screenshot', 5000, () => page.screenshot({ path: file }));
        shot = `\n(screenshot: ${path.relative(process.cwd(), file)})`;
      } catch {
        // the page may be gone
      }
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(
        `vscode harness: ${what} failed: ${msg.startsWith('vscode harness:') ? msg.slice(16) : msg}${shot}`,
      );
    }
  }

  const helpers = async (): Promise<void> => {
    if (!(await page.evaluate('typeof window.__pl === "object"'))) await page.evaluate(PAGE_HELPERS);
  };

  async function quickInputVisible(timeout: number): Promise<void> {
    await page.locator(`${QUICK_INPUT} .quick-input-box input`).first().waitFor({ state: 'visible', timeout });
  }

  /**
   * Presses F1 or Ctrl+P and waits for the quick input. A focused webview can swallow the key on a
   * loaded machine (it forwards keys to the workbench asynchronously): then the focus is taken back
   * from the webview's frame and the key pressed again, and last the command center is clicked.
   */
  async function openQuickInput(key: 'F1' | 'Control+p'): Promise<void> {
    await page.keyboard.press(key);
    const shown = await quickInputVisible(4000).then(
      () => true,
      () => false,
    );
    if (shown) return;
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press(key);
    const again = await quickInputVisible(6000).then(
      () => true,
      () => false,
    );
    if (again) return;
    // Still swallowed (a webview kept the focus: the Restricted Mode test's openFile after the flame
    // panel timed out in a clean-clone run): the title bar's command center opens the quick input
    // with a click, and the callers fill its whole text (">title" for a command, a path for a file).
    await page.locator('.command-center-center').first().click({ timeout: 5000 });
    await quickInputVisible(8000);
  }

  async function closeQuickInput(): Promise<void> {
    if (await page.locator(`${QUICK_INPUT} .quick-input-box input`).first().isVisible())
      await page.keyboard.press('Escape');
  }

  async function typeIntoQuickInput(text: string): Promise<void> {
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`).first();
    await input.fill(text);
  }

  async function rowLabels(): Promise<string[]> {
    return page.$$eval(QUICK_ROWS, (rows) =>
      rows.map((r) =>
        (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '')
          .replace(/\u00a0/g, ' ')
          .trim(),
      ),
    );
  }

  /** Clicks the quick pick row whose label matches (exactly, for strings); retries as the list updates. */
  async function clickRow(label: string | RegExp, deadline: number): Promise<void> {
    const matches = (s: string): boolean => (typeof label === 'string' ? s === label : label.test(s));
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await rowLabels();
      const i = seen.findIndex(matches);
      if (i >= 0) {
        const row = page.locator(QUICK_ROWS).nth(i);
        // Select it with the keyboard: clicking a row can land on its action buttons.
        const focusedIndex = await page.$$eval(QUICK_ROWS, (rows) =>
          rows.findIndex((r) => r.classList.contains('focused')),
        );
        if (focusedIndex === i) {
          await page.keyboard.press('Enter');
        } else {
          await row.click({ position: { x: 40, y: 8 }, timeout: 5000 });
        }
        return;
      }
      await sleep(150);
    }
    throw new Error(`no quick pick item ${String(label)}; items: ${JSON.stringify(seen.slice(0, 20))}`);
  }

  async function rendered(): Promise<void> {
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  }

  async function activeEditorInfo(): Promise<{ title: string; path: string; lineCount: number } | undefined> {
    const title = await page
      .locator('.part.editor .editor-group-container.active .tab.active .label-name')
      .first()
      .textContent({ timeout: 2000 })
      .catch(() => null);
    const ready = await page
      .locator(ACTIVE_EDITOR + ' .view-lines .view-line')
      .first()
      .waitFor({ timeout: 5000 })
      .then(() => true)
      .catch(() => false);
    if (!ready) return undefined;
    const n = await lineCount();
    const file = (await page.evaluate(() => activeEditorPath())) ?? '';
    return { title: (title ?? '').trim(), path: file, lineCount: n };
  }

  /** Line count of the active editor, read from the Go to Line prompt. */
  async function lineCount(): Promise<number> {
    await focusEditor();
    await page.keyboard.press('Control+g');
    await quickInputVisible(5000);
    const text = await page.locator(QUICK_INPUT).first().innerText();
    await page.keyboard.press('Escape');
    const m = /between 1 and (\d+)/.exec(text);
    if (!m) throw new Error(`cannot read the line count from Go to Line: ${JSON.stringify(text.slice(0, 200))}`);
    return Number(m[1]);
  }

  async function focusEditor(): Promise<void> {
    await closeQuickInput();
    const has = await page.locator('.part.editor .editor-group-container.active .monaco-editor textarea').count();
    if (!has) throw new Error('no active text editor');
    const focused = await page.evaluate(
      () => !!document.activeElement?.closest('.part.editor .editor-group-container.active .monaco-editor'),
    );
    if (!focused) {
      // "View: Focus Active Editor Group" (Ctrl+1 focuses the first group).
      await page.locator('.part.editor .editor-group-container.active .monaco-editor textarea').first().focus();
    }
  }

  async function revealLine(line: number, column?: number): Promise<void> {
    await focusEditor();
    await page.keyboard.press('Control+g');
    await quickInputVisible(5000);
    // Go to Line is quick access with the ':' prefix.
    await typeIntoQuickInput(column ? `:${line}:${column}` : `:${line}`);
    await sleep(50);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (n) => {
        const w = window as unknown as { __pl: { activeEditor(): Element | null } };
        const ed = w.__pl.activeEditor();
        if (!ed) return false;
        return [...ed.querySelectorAll('.line-numbers')].some((e) => (e.textContent ?? '').trim() === String(n));
      },
      line,
      { timeout: 5000 },
    );
    await rendered();
  }

  type RangeInfo = { first: number; last: number; scrollTop: number };
  type ScanResult<T> = { items?: T[]; error?: string } & Partial<RangeInfo>;

  /**
   * Collects items over the whole document, a page at a time with Alt+PageUp/PageDown (VS Code's
   * scrollPageUp/Down: the view scrolls, the cursor stays), then scrolls back to where it was.
   */
  async function scan<T>(
    read: () => Promise<ScanResult<T>>,
    key: (t: T) => string,
    o: ScanOptions | undefined,
  ): Promise<T[]> {
    await helpers();
    const collectAll = async (): Promise<T[]> => {
      const first = await read();
      if (first.error) throw new Error(first.error);
      if (o?.visibleOnly) return first.items ?? [];
      await focusEditor();
      // To the top, counting the pages.
      let pagesUp = 0;
      let top = first.scrollTop ?? 0;
      while (top > 0 && pagesUp < 10_000) {
        await page.keyboard.press('Alt+PageUp');
        await rendered();
        pagesUp++;
        const now = (await read()).scrollTop ?? 0;
        if (now >= top) break;
        top = now;
      }
      const all = new Map<string, T>();
      let prevLast = -1;
      let pagesDown = 0;
      for (; pagesDown < 10_000; pagesDown++) {
        const r = await read();
        for (const it of r.items ?? []) all.set(key(it), it);
        const last = r.last ?? 0;
        if (last <= prevLast) break;
        prevLast = last;
        await page.keyboard.press('Alt+PageDown');
        await rendered();
      }
      // Back to where it was (page steps are fixed, so the same count lands on the same spot).
      for (let i = 0; i < pagesDown && ((await read()).scrollTop ?? 0) > 0; i++) {
        await page.keyboard.press('Alt+PageUp');
        await rendered();
      }
      for (let i = 0; i < pagesUp; i++) await page.keyboard.press('Alt+PageDown');
      await rendered();
      return [...all.values()];
    };
    const emptyDeadline = Date.now() + (o?.emptyTimeoutMs ?? 5000);
    let prev = '';
    let items: T[] = [];
    // Wait until the result is non-empty (or the empty timeout passes) and the same twice in a row.
    for (;;) {
      items = await collectAll();
      const sig = JSON.stringify(items.map(key).sort());
      if (items.length > 0 && sig === prev) return items;
      if (items.length === 0 && Date.now() > emptyDeadline) return items;
      prev = sig;
      await sleep(items.length ? 300 : 250);
    }
  }

  const byLine = <T extends { line: number }>(a: T, b: T): number => a.line - b.line;

  const api: VSCode = {
    page,
    browser: p.browser,
    url: p.url,
    port: p.port,
    workspace: p.workspace,
    tempDir: p.tempDir,
    userDataDir: p.userDataDir,

    waitForCommand: (title, timeoutMs) =>
      step(`waitForCommand(${JSON.stringify(title)})`, timeoutMs, async () => {
        const deadline = Date.now() + (timeoutMs ?? p.stepMs) - 1000;
        await closeQuickInput();
        await openQuickInput('F1');
        let seen: string[] = [];
        while (Date.now() < deadline) {
          // Typed again each round: the palette's list is made when the text changes.
          await typeIntoQuickInput(`>${title} `);
          await typeIntoQuickInput(`>${title}`);
          await sleep(300);
          seen = await rowLabels();
          if (seen.includes(title)) break;
          await sleep(700);
        }
        await page.keyboard.press('Escape');
        if (!seen.includes(title))
          throw new Error(
            `the command palette never listed ${JSON.stringify(title)} (the extension's contributions are not registered); rows: ${JSON.stringify(seen.slice(0, 10))}`,
          );
      }),

    runCommand: (title, o) =>
      step(`runCommand(${JSON.stringify(title)})`, o?.timeoutMs, async () => {
        const deadline = Date.now() + (o?.timeoutMs ?? p.stepMs) - 1000;
        await closeQuickInput();
        await openQuickInput('F1');
        await typeIntoQuickInput(`>${title}`);
        await clickRow(title, deadline);
        await page
          .locator(`${QUICK_INPUT} .quick-input-box input`)
          .first()
          .waitFor({ state: 'hidden', timeout: 5000 })
          .catch(() => undefined);
      }),

    openFile: (relPath, o) =>
      step(`openFile(${JSON.stringify(relPath)})`, o?.timeoutMs, async () => {
        const deadline = Date.now() + (o?.timeoutMs ?? p.stepMs) - 1000;
        const abs = path.resolve(p.workspace, relPath);
        if (!existsSync(abs)) throw new Error(`no such file in the workspace: ${abs}`);
        const base = path.basename(relPath);
        const isActive = (): Promise<boolean> => page.evaluate((want) => activeEditorPath() === want, abs);
        if (await isActive()) return;
        let seen: string[] = [];
        for (let attempt = 1; attempt <= 3 && Date.now() < deadline; attempt++) {
          await closeQuickInput();
          await openQuickInput('Control+p');
          // The absolute path: quick open lists exactly that file (a relative name would match
          // every file of that name, in an order that changes while results arrive).
          await typeIntoQuickInput(abs);
          // Wait for the list to settle, then take the row of that name: the focused one with
          // Enter, another with a click.
          let prev = '';
          let picked = false;
          while (Date.now() < deadline) {
            const rows = await page.$$eval(QUICK_ROWS, (els) =>
              els.map((r) => ({
                label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
                desc: (r.querySelector('.label-description')?.textContent ?? '').trim(),
                focused: r.classList.contains('focused'),
              })),
            );
            seen = rows.map((r) => `${r.label} ${r.desc}`);
            const sig = JSON.stringify(rows);
            const i = rows.findIndex((r) => r.label === base);
            if (i >= 0 && sig === prev) {
              if (rows[i]!.focused) await page.keyboard.press('Enter');
              else
                await page
                  .locator(QUICK_ROWS)
                  .nth(i)
                  .click({ position: { x: 40, y: 8 }, timeout: 5000 });
              picked = true;
              break;
            }
            prev = sig;
            await sleep(150);
          }
          if (!picked) break;
          const ok = await page
            .waitForFunction((want) => activeEditorPath() === want, abs, {
              timeout: Math.max(1000, Math.min(10_000, deadline - Date.now())),
            })
            .then(() => true)
            .catch(() => false);
          if (ok) break;
        }
        if (!(await isActive())) {
          throw new Error(
            `could not open ${abs}: quick open rows ${JSON.stringify(seen.slice(0, 10))}, active editor ${JSON.stringify(await page.evaluate(() => activeEditorPath()))}`,
          );
        }
        // A text editor: wait for its lines. (Custom editors and binary files have none.)
        await page
          .locator(
            `${ACTIVE_EDITOR} .view-lines .view-line, .part.editor .editor-group-container.active .editor-instance > :not(.monaco-editor)`,
          )
          .first()
          .waitFor({ timeout: Math.max(2000, deadline - Date.now()) })
          .catch(() => undefined);
        await rendered();
      }),

    waitForText: (selector, text, o) =>
      step(`waitForText(${JSON.stringify(selector)}, ${String(text)})`, o?.timeoutMs, async () => {
        const loc = page.locator(selector).filter({ hasText: text }).first();
        await loc.waitFor({ state: 'visible' });
        return (await loc.innerText()).trim();
      }),

    pickQuickPickItem: (label, o) =>
      step(`pickQuickPickItem(${String(label)})`, o?.timeoutMs, async () => {
        const deadline = Date.now() + (o?.timeoutMs ?? p.stepMs) - 1000;
        await quickInputVisible(10_000);
        const filter = o?.filter ?? (typeof label === 'string' ? label : undefined);
        if (filter !== undefined) await typeIntoQuickInput(filter);
        await clickRow(label, deadline);
      }),

    quickPickItems: (o) =>
      step('quickPickItems', o?.timeoutMs, async () => {
        await quickInputVisible(10_000);
        await sleep(200);
        return rowLabels();
      }),

    submitQuickInput: (text, o) =>
      step(`submitQuickInput(${JSON.stringify(text)})`, o?.timeoutMs, async () => {
        await quickInputVisible(10_000);
        await typeIntoQuickInput(text);
        await sleep(50);
        await page.keyboard.press('Enter');
      }),

    revealLine: (line, column) =>
      step(`revealLine(${line}${column ? `:${column}` : ''})`, undefined, () => revealLine(line, column)),

    activeEditor: () => step('activeEditor', undefined, activeEditorInfo),

    editorDecorations: (o) =>
      step('editorDecorations', undefined, async () => {
        const kinds = o?.kind === 'both' ? ['after', 'before'] : [o?.kind ?? 'after'];
        const items = await scan<Decoration>(
          () =>
            page.evaluate(
              (k) =>
                (window as unknown as { __pl: { decorations(k: string[]): ScanResult<Decoration> } }).__pl.decorations(
                  k,
                ),
              kinds,
            ),
          (d) => `${d.line}\u0000${d.kind}\u0000${d.className}\u0000${d.text}`,
          o,
        );
        return items.sort(byLine);
      }),

    codeLenses: (o) =>
      step('codeLenses', undefined, async () => {
        const items = await scan<CodeLensInfo>(
          () =>
            page.evaluate(() =>
              (window as unknown as { __pl: { codeLenses(): ScanResult<CodeLensInfo> } }).__pl.codeLenses(),
            ),
          (l) => `${l.line}\u0000${l.text}`,
          o,
        );
        return items.sort(byLine);
      }),

    hover: (line, column, o) =>
      step(`hover(${line}${column ? `:${column}` : ''})`, o?.timeoutMs, async () => {
        await page.keyboard.press('Escape');
        await revealLine(line, column);
        if (!column) {
          // End then Home: the cursor lands on the first non-blank character.
          await page.keyboard.press('End');
          await page.keyboard.press('Home');
        }
        // editor.action.showHover
        await page.keyboard.press('Control+k');
        await page.keyboard.press('Control+i');
        const hoverSel = '.monaco-editor .monaco-hover:not(.hidden):not(.workbench-hover) .monaco-hover-content';
        let prev = '';
        const deadline = Date.now() + (o?.timeoutMs ?? p.stepMs) - 1000;
        while (Date.now() < deadline) {
          const texts = await page.$$eval(hoverSel, (els) =>
            els.map((e) => (e as HTMLElement).innerText.trim()).filter(Boolean),
          );
          const text = texts.join('\n');
          if (text && !/^Loading\.*$/.test(text) && text === prev) return text;
          prev = text;
          await sleep(250);
        }
        throw new Error(`no hover appeared at line ${line}${prev ? ` (last: ${JSON.stringify(prev)})` : ''}`);
      }),

    statusBarItems: () =>
      step('statusBarItems', undefined, async () =>
        page.$$eval('#workbench\\.parts\\.statusbar .statusbar-item', (els) =>
          els
            .filter((e) => (e as HTMLElement).offsetParent !== null)
            .map((e) => ((e as HTMLElement).innerText || e.textContent || '').replace(/\s+/g, ' ').trim())
            .filter(Boolean),
        ),
      ),

    notifications: () =>
      step('notifications', undefined, async () =>
        page.$$eval('.notifications-toasts .notification-list-item', (els) =>
          els.map((e) => {
            const icon = e.querySelector('.notification-list-item-icon')?.className ?? '';
            return {
              message: (e.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
              source: (e.querySelector('.notification-list-item-source')?.textContent ?? '').trim(),
              severity: /codicon-error/.test(icon)
                ? 'error'
                : /codicon-warning/.test(icon)
                  ? 'warning'
                  : /codicon-info/.test(icon)
                    ? 'info'
                    : 'unknown',
            } as NotificationInfo;
          }),
        ),
      ),

    clearNotifications: () => api.runCommand('Notifications: Clear All Notifications'),

    notificationsSeen: () =>
      step('notificationsSeen', undefined, async () =>
        page.evaluate(() => [...((window as unknown as { __plSeen?: string[] }).__plSeen ?? [])]),
      ),

    webviewFrames: (o) =>
      step('webviewFrames', o?.timeoutMs, async () => {
        const min = o?.minCount ?? 1;
        for (;;) {
          const frames: Frame[] = [];
          for (const outer of await page.$$('iframe.webview')) {
            const of = await outer.contentFrame();
            const inner = of ? await of.$('#active-frame') : null;
            const f = inner ? await inner.contentFrame() : null;
            if (f) frames.push(f);
          }
          if (frames.length >= min) return frames;
          await sleep(200);
        }
      }),

    waitFor: (fn, o) =>
      step(o?.message ?? 'waitFor', o?.timeoutMs, async () => {
        for (;;) {
          const v = await fn();
          if (v) return v;
          await sleep(o?.intervalMs ?? 200);
        }
      }),

    screenshot: (file) =>
      step(`screenshot(${file})`, undefined, async () => {
        mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        await page.screenshot({ path: file });
      }),

    logs: () => {
      let ext = '';
      try {
        const logs = path.join(p.userDataDir, 'logs');
        const find = (d: string): string[] =>
          readdirSync(d, { withFileTypes: true }).flatMap((e) =>
            e.isDirectory()
              ? find(path.join(d, e.name))
              : e.name === 'exthost.log' || e.name === 'remoteexthost.log'
                ? [path.join(d, e.name)]
                : [],
          );
        ext = find(logs)
          .map((f) => readFileSync(f, 'utf8'))
          .join('\n');
      } catch {
        // no logs yet
      }
      return { codeServer: p.codeServerOutput(), console: [...p.consoleErrors], extensionHost: ext };
    },

    close: () => withTimeout('close', 20_000, () => p.onClose()),
  };
  return api;
}
