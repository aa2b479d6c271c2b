/**
 * The pprofLens.capture / captureAndCompare commands (src/vscode/capture/capture.ts) against the real Go
 * server, with the vscode API replaced by a small scripted fake (quick picks, input boxes,
 * progress, file system, workspace state, secret storage). Checks the flow a user sees: the base
 * URL and user are remembered in workspace state, the password only in secret storage; a 401 asks
 * for credentials and retries; the capture is saved as <type>-<timestamp>.pb.gz under the capture
 * directory and opened; "compare with previous snapshot" opens the new capture with the previous
 * one as its -base; a hung server ends in the timeout message; a wrong password in the 401 one.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveGoBinary } from '../../src/core/bench';
import { readGoroutineSnapshot } from '../../src/core/goroutines';

const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const goBin = resolveGoBinary({
  pathEnv: process.env.PATH ?? '',
  isFile: (p) => fs.existsSync(p) && fs.statSync(p).isFile(),
});

/** Answers for the UI, consumed in order. */
let answers: (string | number | undefined)[] = [];
const shown: { level: string; text: string }[] = [];
const prompts: string[] = [];
const state = new Map<string, unknown>();
const secrets = new Map<string, string>();
/** Commands the capture ran (URIs as paths). */
const executed: unknown[][] = [];
let settings: Record<string, unknown> = {};

class Uri {
  constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  get path() {
    return this.fsPath;
  }
  static file(p: string) {
    return new Uri('file', p);
  }
  static parse(s: string) {
    return new Uri('file', s.replace(/^file:\/\//, ''));
  }
  static joinPath(u: Uri, ...parts: string[]) {
    return new Uri('file', path.join(u.fsPath, ...parts));
  }
  toString() {
    return `file://${this.fsPath}`;
  }
}

function nextAnswer(kind: string, title: string): string | undefined {
  prompts.push(`${kind}: ${title}`);
  const a = answers.shift();
  return a === undefined ? undefined : String(a);
}

const fakeVscode = {
  Uri,
  ProgressLocation: { Notification: 15 },
  window: {
    showQuickPick: async (items: { label: string }[], o: { title?: string }) => {
      const want = nextAnswer('pick', o.title ?? '');
      return items.find((i) => i.label === want || (i as unknown as { type?: string }).type === want);
    },
    showInputBox: async (o: { title?: string; validateInput?: (v: string) => string | undefined }) => {
      const v = nextAnswer('input', o.title ?? '');
      if (v !== undefined && o.validateInput) assert.equal(o.validateInput(v), undefined, `input rejected: ${v}`);
      return v;
    },
    withProgress: async (
      _o: unknown,
      task: (p: { report(x: unknown): void }, t: { onCancellationRequested(f: () => void): void }) => Promise<unknown>,
    ) => task({ report: () => {} }, { onCancellationRequested: () => {} }),
    showErrorMessage: async (text: string) => void shown.push({ level: 'error', text }),
    showInformationMessage: async (text: string) => void shown.push({ level: 'info', text }),
    showWarningMessage: async (text: string) => void shown.push({ level: 'warning', text }),
  },
  workspace: {
    workspaceFolders: [] as { uri: Uri }[],
    // A trusted folder: capturing waits for trust (src/vscode/trust.ts).
    isTrusted: true,
    getConfiguration: () => ({ get: (k: string) => settings[k], inspect: () => undefined }),
    asRelativePath: (u: Uri) => u.fsPath,
    fs: {
      stat: async (u: Uri) => fs.promises.stat(u.fsPath),
      createDirectory: async (u: Uri) => void (await fs.promises.mkdir(u.fsPath, { recursive: true })),
      readDirectory: async (u: Uri) => (await fs.promises.readdir(u.fsPath)).map((n) => [n, 1]),
      writeFile: async (u: Uri, b: Uint8Array) => fs.promises.writeFile(u.fsPath, b),
    },
  },
  commands: {
    registerCommand: () => ({ dispose() {} }),
    executeCommand: async (id: string, ...args: unknown[]) => {
      executed.push([id, ...args.map((a) => (a instanceof Uri ? a.fsPath : a))]);
      return undefined;
    },
  },
};

type ModuleWithLoad = typeof Module & { _load(request: string, parent: unknown, isMain: boolean): unknown };
const M = Module as ModuleWithLoad;
const origLoad = M._load;

describe('e2e: the capture commands with a scripted VS Code UI', function () {
  this.timeout(120_000);
  let proc: ChildProcess | undefined;
  let base = '';
  let tmp = '';
  let cmds: import('../../src/vscode/capture/capture').CaptureCommands;
  const opened: { uri: string; base?: string; mode?: string }[] = [];
  let plainCapture = '';

  before(async function () {
    if (!goBin) {
      process.stdout.write('      SKIPPED: no go binary found on PATH.\n');
      this.skip();
    }
    M._load = function (request: string, parent: unknown, isMain: boolean) {
      if (request === 'vscode') return fakeVscode;
      return origLoad.call(this, request, parent, isMain);
    };
    tmp = fs.mkdtempSync(path.join(tmpdir(), 'pprof-lens-capcmd-'));
    fakeVscode.workspace.workspaceFolders = [{ uri: Uri.file(tmp) }];
    const bin = path.join(tmp, 'server');
    const b = spawnSync(goBin!.path, ['build', '-o', bin, '.'], {
      cwd: path.join(__dirname, 'server'),
      encoding: 'utf8',
      env: { ...process.env, GOWORK: 'off' },
    });
    assert.equal(b.status, 0, b.stderr);
    proc = spawn(bin, ['-user', 'gopher'], {
      env: { ...process.env, E2E_PPROF_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc!.stdout!.on('data', (c: Buffer) => {
        const m = /LISTENING (\S+)/.exec((out += c.toString()));
        if (m) resolve(m[1]!);
      });
      proc!.on('exit', (c) => reject(new Error(`server exited ${c}`)));
    });
    const { CaptureCommands } =
      require('../../src/vscode/capture/capture') as typeof import('../../src/vscode/capture/capture');
    const fakeCommands = {
      openWith: async (uri: Uri, o: { base?: { uri: Uri; mode: string } } = {}) => {
        opened.push({ uri: uri.fsPath, ...(o.base ? { base: o.base.uri.fsPath, mode: o.base.mode } : {}) });
        return true;
      },
    };
    const context = {
      workspaceState: {
        get: (k: string) => state.get(k),
        update: async (k: string, v: unknown) => void state.set(k, v),
      },
      secrets: {
        get: async (k: string) => secrets.get(k),
        store: async (k: string, v: string) => void secrets.set(k, v),
        delete: async (k: string) => void secrets.delete(k),
      },
      globalStorageUri: Uri.file(path.join(tmp, 'global')),
    };
    cmds = new CaptureCommands(context as never, fakeCommands as never);
  });

  after(() => {
    M._load = origLoad;
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    shown.length = 0;
    executed.length = 0;
    prompts.length = 0;
  });

  it('captures heap: asks type and address, saves <type>-<timestamp>.pb.gz under .pprof and opens it', async () => {
    answers = ['heap', base];
    const uri = await cmds.run(undefined, false);
    assert.ok(uri, JSON.stringify(shown));
    assert.match(path.basename(uri.fsPath), /^heap-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.pb\.gz$/);
    assert.equal(path.dirname(uri.fsPath), path.join(tmp, '.pprof'));
    // The folder it created keeps its profiles out of git, as venv does for .venv.
    assert.match(fs.readFileSync(path.join(tmp, '.pprof', '.gitignore'), 'utf8'), /^\*$/m);
    assert.deepEqual(opened.pop(), { uri: uri.fsPath });
    // What it captured is shown (its summary), and the user is told so.
    assert.deepEqual(executed.pop(), ['vscode.openWith', uri.fsPath, 'pprofLens.profileSummary', { preview: false }]);
    assert.deepEqual(
      shown.map((m) => m.level),
      ['info'],
    );
    assert.match(
      shown[0]!.text,
      /^pprof: captured heap into .*heap-[^ ]+\.pb\.gz and opened it: its summary is open\.$/,
    );
    assert.equal(state.get('pprofLens.capture.baseUrl'), base);
    plainCapture = uri.fsPath;
  });

  it('basic auth: a 401 asks for user and password, keeps the password only in secret storage, and "compare with previous snapshot" subtracts the previous capture', async () => {
    const authBase = `${base}/auth`;
    // First snapshot through auth: 401 -> user, password -> retried.
    answers = ['heap', authBase, 'gopher', PASSWORD];
    const first = await cmds.run(undefined, true);
    assert.ok(first, JSON.stringify(shown));
    assert.ok(
      prompts.some((p) => /wants a user name and password/.test(p)),
      prompts.join('\n'),
    );
    // The previous heap capture of this workspace (the first test's) is the base.
    assert.deepEqual(opened.pop(), { uri: first.fsPath, base: plainCapture, mode: 'base' });
    // Growth, then the second snapshot: the stored password is used without asking.
    await fetch(`${base}/grow?n=500`);
    answers = ['heap', authBase];
    prompts.length = 0;
    const second = await cmds.run(undefined, true);
    assert.ok(second);
    assert.equal(prompts.filter((p) => p.startsWith('input: pprof: password')).length, 0);
    assert.deepEqual(opened.pop(), { uri: second.fsPath, base: first.fsPath, mode: 'base' });
    // Where the password is (and is not).
    assert.equal([...secrets.values()].filter((v) => v === PASSWORD).length, 1);
    assert.ok(!JSON.stringify([...state.entries()]).includes(PASSWORD), 'no password in workspace state');
    assert.deepEqual(state.get('pprofLens.capture.users'), { [authBase]: 'gopher' });
  });

  it('goroutine dumps: "compare with previous snapshot" saves goroutine?debug=2 as goroutine-dump-<timestamp>.txt and subtracts the previous one', async () => {
    answers = ['goroutine-dump', base];
    const first = await cmds.run(undefined, true);
    assert.ok(first, JSON.stringify(shown));
    assert.match(path.basename(first.fsPath), /^goroutine-dump-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.txt$/);
    assert.deepEqual(opened.pop(), { uri: first.fsPath });
    answers = ['goroutine-dump', base];
    const second = await cmds.run(undefined, true);
    assert.ok(second, JSON.stringify(shown));
    assert.deepEqual(opened.pop(), { uri: second.fsPath, base: first.fsPath, mode: 'base' });
    const snap = readGoroutineSnapshot(fs.readFileSync(second.fsPath));
    assert.equal(snap.format, 'dump');
    assert.ok(snap.groups.some((g) => g.state !== undefined && g.creator !== undefined));
  });

  it('"again" in the type picker repeats the last capture: same server and type, no address asked', async () => {
    answers = ['goroutine-dump', base];
    const first = await cmds.run(undefined, true);
    assert.ok(first, JSON.stringify(shown));
    opened.pop();
    prompts.length = 0;
    answers = [`$(history) goroutine-dump again from ${base}`];
    const second = await cmds.run(undefined, true);
    assert.ok(second, JSON.stringify(shown));
    assert.deepEqual(prompts, ['pick: pprof: compare with previous snapshot — profile type']);
    assert.deepEqual(opened.pop(), { uri: second.fsPath, base: first.fsPath, mode: 'base' });
  });

  it('a plain capture of a goroutine dump opens it and shows the Goroutines view (a .txt has no summary), and says so', async () => {
    answers = ['goroutine-dump', base];
    const uri = await cmds.run(undefined, false);
    assert.ok(uri, JSON.stringify(shown));
    assert.deepEqual(opened.pop(), { uri: uri.fsPath });
    assert.deepEqual(executed, [['pprofLens.goroutines.focus']]);
    assert.deepEqual(
      shown.map((m) => m.level),
      ['info'],
    );
    assert.match(
      shown[0]!.text,
      /^pprof: captured goroutine-dump into .*\.txt and opened it: the Goroutines view lists its goroutines\.$/,
    );
  });

  it('a wrong stored password: 401, asks again; a wrong answer ends in the 401 message, which never holds a password', async () => {
    const authBase = `${base}/auth`;
    for (const k of secrets.keys()) secrets.set(k, 'wrong');
    answers = ['heap', authBase, 'gopher', 'still-wrong'];
    const uri = await cmds.run(undefined, false);
    assert.equal(uri, undefined);
    const err = shown.find((s) => s.level === 'error')?.text ?? '';
    assert.match(err, /401 Unauthorized: wrong user or password/);
    assert.ok(!err.includes('still-wrong') && !err.includes(PASSWORD));
  });

  it('a hung server ends in the timeout message within seconds + pprofLens.capture.timeoutSeconds', async () => {
    settings = { 'capture.timeoutSeconds': 2 };
    answers = ['heap', `${base}/hang`];
    const t0 = Date.now();
    const uri = await cmds.run(undefined, false);
    const took = Date.now() - t0;
    settings = {};
    assert.equal(uri, undefined);
    assert.match(
      shown.find((s) => s.level === 'error')?.text ?? '',
      /^pprof: No answer from .*\/hang\/debug\/pprof\/heap within 2 s/,
    );
    assert.ok(took < 4000, `took ${took} ms`);
  });

  it('refuses credentials in the address before any request', async () => {
    answers = ['heap'];
    const uri = await cmds.run({ baseUrl: `http://gopher:${PASSWORD}@127.0.0.1:1` }, false);
    assert.equal(uri, undefined);
    const err = shown.find((s) => s.level === 'error')?.text ?? '';
    assert.match(err, /secret storage/);
    assert.ok(!err.includes(PASSWORD));
  });
});
