/**
 * Capturing profiles from a running Go server (net/http/pprof):
 *   pprofLens.capture            pick a type, the server (remembered per workspace), seconds for
 *                                CPU; progress with cancel; save as <type>-<timestamp>.pb.gz under
 *                                pprofLens.capture.directory; open it.
 *   pprofLens.captureAndCompare  "Compare with previous snapshot": capture again and open it with
 *                                the previous capture of the same type subtracted (-base), so only
 *                                what grew in between stands out (leak hunting).
 *   pprofLens.forgetCapturePassword
 * Basic auth: when the server answers 401, the user is asked for a user name (kept in
 * workspaceState) and a password (kept only in VS Code's SecretStorage, never in settings, state
 * or any log), and the capture is retried. The request itself is src/node/fetchProfile.ts.
 * Loaded on first use from dist/lazyFeatures.js (esbuild.mjs); extension.ts registers the commands.
 */
import * as vscode from 'vscode';
import {
  CAPTURE_TYPES,
  captureExtension,
  captureFileName,
  captureTypesFor,
  captureTimeoutMs,
  captureTypeOfFile,
  DEFAULT_CPU_SECONDS,
  DEFAULT_GRACE_SECONDS,
  isCaptureType,
  normalizeBaseUrl,
  profileUrl,
  sendsCredentialsInClear,
  uniqueFileName,
  validateSeconds,
  type CaptureType,
} from '../../core/capture';
import type { Commands } from '../commands';
import { exists } from '../profile/profileService';
import { CaptureError, fetchOfferedProfiles, fetchProfile } from '../../node/fetchProfile';
import { captureDirectory, createCaptureDirectory } from './captureDirectory';
import { requireTrust } from '../trust';

const KEY_BASE_URL = 'pprofLens.capture.baseUrl';
const KEY_TYPE = 'pprofLens.capture.type';
const KEY_SECONDS = 'pprofLens.capture.seconds';
/** base URL -> user name. */
const KEY_USERS = 'pprofLens.capture.users';
/** type -> URI string of the last capture of that type. */
const KEY_LAST = 'pprofLens.capture.last';

export interface CaptureArgs {
  baseUrl?: string;
  type?: string;
  seconds?: number;
  /** Open the result (default true). */
  open?: boolean;
}

function secretKey(baseUrl: string, user: string): string {
  return `pprofLens.capture.password:${baseUrl}\u0000${user}`;
}

export class CaptureCommands {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly commands: Commands,
  ) {}

  private get state(): vscode.Memento {
    return this.context.workspaceState;
  }

  /**
   * The profile types to offer: the usual ones, and those only some Go versions serve (Go 1.26's
   * goroutineleak) when the server given or last used lists them in its /debug/pprof/ index.
   */
  private async offeredTypes(given?: string): Promise<readonly string[] | undefined> {
    let baseUrl: string | undefined;
    try {
      baseUrl = normalizeBaseUrl(given ?? this.state.get<string>(KEY_BASE_URL) ?? '');
    } catch {
      return undefined;
    }
    const user = this.users()[baseUrl];
    const password = user !== undefined ? await this.context.secrets.get(secretKey(baseUrl, user)) : undefined;
    return fetchOfferedProfiles({
      baseUrl,
      timeoutMs: 2000,
      ...(user !== undefined ? { user, password: password ?? '' } : {}),
    });
  }

  /**
   * The type (and, for "again", the server and seconds) to capture. The first item repeats the
   * last capture (its server, type and seconds) without asking for the address again.
   */
  private async askType(
    compare: boolean,
    given?: string,
    givenBaseUrl?: string,
  ): Promise<{ type: CaptureType; again?: { baseUrl: string; seconds?: number } } | undefined> {
    if (given && isCaptureType(given)) return { type: given };
    const last = this.state.get<string>(KEY_TYPE);
    const lastUrl = this.state.get<string>(KEY_BASE_URL);
    const offered = await this.offeredTypes(givenBaseUrl);
    const types = captureTypesFor(offered);
    const preferred = compare ? 'heap' : last && types.some((t) => t.type === last) ? last : 'heap';
    // The "again" item carries its type inside `again` only: a pick by type never lands on it.
    type Item = vscode.QuickPickItem & {
      type?: CaptureType;
      again?: { type: CaptureType; baseUrl: string; seconds?: number };
    };
    const items: Item[] = types.map((t) => ({
      label: t.label,
      description: t.description,
      type: t.type,
      picked: t.type === preferred,
    }));
    items.sort((a, b) => Number(b.type === preferred) - Number(a.type === preferred));
    if (!givenBaseUrl && last && isCaptureType(last) && lastUrl) {
      const info = CAPTURE_TYPES.find((t) => t.type === last)!;
      const seconds = info.needsSeconds ? (this.state.get<number>(KEY_SECONDS) ?? DEFAULT_CPU_SECONDS) : undefined;
      items.unshift({
        label: `$(history) ${last} again from ${lastUrl}`,
        description: `the last capture's server and type${seconds !== undefined ? `, ${seconds} s` : ''}`,
        again: { type: last, baseUrl: lastUrl, ...(seconds !== undefined ? { seconds } : {}) },
      });
    }
    const pick = await vscode.window.showQuickPick(items, {
      title: compare ? 'pprof: compare with previous snapshot — profile type' : 'pprof: capture a profile — type',
      placeHolder: 'Profile type (net/http/pprof endpoint)',
    });
    if (pick?.again) return { type: pick.again.type, again: pick.again };
    return pick?.type ? { type: pick.type } : undefined;
  }

  private async askBaseUrl(given?: string): Promise<string | undefined> {
    if (given) return normalizeBaseUrl(given);
    const value = await vscode.window.showInputBox({
      title: 'pprof: server address',
      prompt: 'Base URL of the Go server that serves net/http/pprof (…/debug/pprof/ is added).',
      value: this.state.get<string>(KEY_BASE_URL) ?? 'http://127.0.0.1:6060',
      placeHolder: 'http://127.0.0.1:6060',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          normalizeBaseUrl(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    return value === undefined ? undefined : normalizeBaseUrl(value);
  }

  private async askSeconds(given?: number): Promise<number | undefined> {
    if (given !== undefined && validateSeconds(String(given)) === undefined) return given;
    const value = await vscode.window.showInputBox({
      title: 'pprof: CPU profile duration',
      prompt: 'Seconds to sample the CPU for.',
      value: String(this.state.get<number>(KEY_SECONDS) ?? DEFAULT_CPU_SECONDS),
      validateInput: (v) => validateSeconds(v),
    });
    return value === undefined ? undefined : Number(value.trim());
  }

  private users(): Record<string, string> {
    return this.state.get<Record<string, string>>(KEY_USERS) ?? {};
  }

  /** Asks for a user and password after a 401; stores them (password in SecretStorage only). */
  private async askCredentials(baseUrl: string): Promise<{ user: string; password: string } | undefined> {
    if (sendsCredentialsInClear(baseUrl)) {
      const go = await vscode.window.showWarningMessage(
        `${baseUrl} asks for a password over plain http: the user name and password would cross the network unencrypted (basic auth). Use an https:// address, or an SSH tunnel to 127.0.0.1, if you can.`,
        { modal: true },
        'Send Anyway',
      );
      if (go !== 'Send Anyway') return undefined;
    }
    const user = await vscode.window.showInputBox({
      title: `pprof: ${baseUrl} wants a user name and password (HTTP basic auth)`,
      prompt: 'User name (remembered for this workspace)',
      value: this.users()[baseUrl] ?? '',
      ignoreFocusOut: true,
      validateInput: (v) =>
        v.includes(':') ? 'A basic auth user name cannot contain ":"' : v === '' ? 'Enter the user name' : undefined,
    });
    if (user === undefined) return undefined;
    const password = await vscode.window.showInputBox({
      title: `pprof: password for ${user} at ${baseUrl}`,
      prompt: 'Kept in VS Code’s secret storage, never in settings or logs.',
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return undefined;
    await this.state.update(KEY_USERS, { ...this.users(), [baseUrl]: user });
    await this.context.secrets.store(secretKey(baseUrl, user), password);
    return { user, password };
  }

  /** pprofLens.forgetCapturePassword. */
  async forgetPassword(): Promise<void> {
    const users = this.users();
    const entries = Object.entries(users);
    if (entries.length === 0) {
      void vscode.window.showInformationMessage('pprof: no capture passwords are stored for this workspace.');
      return;
    }
    const pick = await vscode.window.showQuickPick(
      entries.map(([url, user]) => ({ label: url, description: user, url, user })),
      {
        title: 'pprof: forget the stored password of',
      },
    );
    if (!pick) return;
    await this.context.secrets.delete(secretKey(pick.url, pick.user));
    const next = { ...users };
    delete next[pick.url];
    await this.state.update(KEY_USERS, next);
    void vscode.window.showInformationMessage(`pprof: forgot the password for ${pick.user} at ${pick.url}.`);
  }

  /** Captures with progress and cancel; on 401 asks for credentials once and retries. */
  private async capture(
    baseUrl: string,
    type: CaptureType,
    seconds: number | undefined,
  ): Promise<Uint8Array | undefined> {
    const url = profileUrl(baseUrl, type, seconds);
    const grace =
      vscode.workspace.getConfiguration('pprofLens').get<number>('capture.timeoutSeconds') ?? DEFAULT_GRACE_SECONDS;
    const timeoutMs = captureTimeoutMs(seconds, grace);
    let user: string | undefined = this.users()[baseUrl];
    let password = user !== undefined ? await this.context.secrets.get(secretKey(baseUrl, user)) : undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `pprof: capturing ${type} from ${baseUrl}`,
            cancellable: true,
          },
          async (progress, token) => {
            const ac = new AbortController();
            token.onCancellationRequested(() => ac.abort());
            let timer: NodeJS.Timeout | undefined;
            if (seconds) {
              const end = Date.now() + seconds * 1000;
              const tick = () => {
                const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
                progress.report({ message: left > 0 ? `sampling for ${left} s more…` : 'waiting for the profile…' });
              };
              tick();
              timer = setInterval(tick, 1000);
            } else progress.report({ message: 'waiting for the profile…' });
            try {
              const r = await fetchProfile({
                url,
                type,
                timeoutMs,
                signal: ac.signal,
                ...(user !== undefined ? { user, password: password ?? '' } : {}),
              });
              return r.bytes;
            } finally {
              clearInterval(timer);
            }
          },
        );
      } catch (e) {
        if (e instanceof CaptureError && e.kind === 'cancelled') return undefined;
        if (e instanceof CaptureError && e.failure.kind === 'status' && e.failure.status === 401 && attempt === 0) {
          const creds = await this.askCredentials(baseUrl);
          if (!creds) return undefined;
          ({ user, password } = creds);
          continue;
        }
        throw e;
      }
    }
    return undefined;
  }

  /** Writes the capture under the capture directory with a timestamped name. */
  private async save(type: CaptureType, bytes: Uint8Array): Promise<vscode.Uri> {
    const dir = await createCaptureDirectory(captureDirectory(this.context));
    const taken = new Set<string>();
    try {
      for (const [n] of await vscode.workspace.fs.readDirectory(dir)) taken.add(n);
    } catch {
      // an unreadable directory: the write below reports it
    }
    const name = uniqueFileName(captureFileName(type, new Date(), captureExtension(type)), (n) => taken.has(n));
    const uri = vscode.Uri.joinPath(dir, name);
    await vscode.workspace.fs.writeFile(uri, bytes);
    return uri;
  }

  /** The previous capture of a type: the remembered one, else the newest such file in the directory. */
  private async previous(type: CaptureType): Promise<vscode.Uri | undefined> {
    const last = this.state.get<Record<string, string>>(KEY_LAST)?.[type];
    if (last) {
      const uri = vscode.Uri.parse(last);
      if (await exists(uri)) return uri;
    }
    const dir = captureDirectory(this.context);
    try {
      const names = (await vscode.workspace.fs.readDirectory(dir))
        .map(([n]) => n)
        .filter((n) => captureTypeOfFile(n) === type)
        .sort();
      const newest = names[names.length - 1];
      return newest ? vscode.Uri.joinPath(dir, newest) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * After a plain capture: the summary of what was captured (a dump, a .txt, has none: the
   * Goroutines view shows it), and a message saying where it was saved and what is open.
   */
  private async showCaptured(uri: vscode.Uri, type: CaptureType): Promise<void> {
    const dump = uri.path.endsWith('.txt');
    // The summary editor's view type (panel/customEditor.ts VIEW_TYPE; not imported: this file is lazy-loaded).
    if (dump) void vscode.commands.executeCommand('pprofLens.goroutines.focus');
    else await vscode.commands.executeCommand('vscode.openWith', uri, 'pprofLens.profileSummary', { preview: false });
    void vscode.window.showInformationMessage(
      `pprof: captured ${type} into ${vscode.workspace.asRelativePath(uri)} and opened it${
        dump ? ': the Goroutines view lists its goroutines.' : ': its summary is open.'
      }`,
    );
  }

  /** pprofLens.capture (compare=false) and pprofLens.captureAndCompare (compare=true). */
  async run(arg: unknown, compare: boolean): Promise<vscode.Uri | undefined> {
    if (!requireTrust('Capturing a profile (it saves into this folder)')) return undefined;
    const a: CaptureArgs = typeof arg === 'object' && arg !== null ? (arg as CaptureArgs) : {};
    try {
      const picked = await this.askType(compare, a.type, a.baseUrl);
      if (!picked) return undefined;
      const type = picked.type;
      // "Again": the last capture's server (and seconds), not asked a second time.
      const baseUrl = await this.askBaseUrl(a.baseUrl ?? picked.again?.baseUrl);
      if (!baseUrl) return undefined;
      const info = CAPTURE_TYPES.find((t) => t.type === type)!;
      let seconds: number | undefined;
      if (info.needsSeconds) {
        seconds = await this.askSeconds(a.seconds ?? picked.again?.seconds);
        if (seconds === undefined) return undefined;
        await this.state.update(KEY_SECONDS, seconds);
      }
      await this.state.update(KEY_BASE_URL, baseUrl);
      await this.state.update(KEY_TYPE, type);
      const before = compare ? await this.previous(type) : undefined;
      const bytes = await this.capture(baseUrl, type, seconds);
      if (!bytes) return undefined;
      const uri = await this.save(type, bytes);
      await this.state.update(KEY_LAST, {
        ...(this.state.get<Record<string, string>>(KEY_LAST) ?? {}),
        [type]: uri.toString(),
      });
      if (a.open === false) return uri;
      if (compare && before) {
        await this.commands.openWith(uri, { base: { uri: before, mode: 'base' } });
        // Goroutines: the Goroutines view lists the stacks that grew.
        if (type === 'goroutine' || type === 'goroutine-dump' || type === 'goroutineleak')
          void vscode.commands.executeCommand('pprofLens.goroutines.focus');
      } else {
        const opened = await this.commands.openWith(uri);
        if (opened && !compare) await this.showCaptured(uri, type);
        if (compare) {
          void vscode.window
            .showInformationMessage(
              `pprof: saved the first ${type} snapshot (${vscode.workspace.asRelativePath(uri)}). Capture again after the suspected growth to see what grew.`,
              'Capture Again',
            )
            .then((c) => {
              if (c === 'Capture Again') void this.run({ baseUrl, type, ...(seconds ? { seconds } : {}) }, true);
            });
        }
      }
      return uri;
    } catch (e) {
      // Messages from fetchProfile and core/capture never contain the password.
      void vscode.window.showErrorMessage(`pprof: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }
}
