/**
 * Capturing a profile from a running Go server (net/http/pprof), the pure part: the profile
 * types, the /debug/pprof URL for a type, the base URL the user typed checked and normalized,
 * timeouts, timestamped file names, and every way a capture can fail turned into one sentence a
 * user understands. No network and no vscode here: src/node/fetchProfile.ts does the request.
 *
 * Everything that came from the server (status text, body) is untrusted: it is cut short and
 * stripped of control characters before it goes into a message. Passwords never appear in a URL
 * or a message: credentials in a typed URL are refused, and the Authorization header is built
 * only by the fetch helper.
 */
import type * as Decode from './decode';
import { isGzip } from './gzip';
import { isProfileError } from './errors';

export type CaptureType =
  'heap' | 'allocs' | 'profile' | 'goroutine' | 'goroutine-dump' | 'goroutineleak' | 'block' | 'mutex' | 'threadcreate';

export interface CaptureTypeInfo {
  readonly type: CaptureType;
  readonly label: string;
  readonly description: string;
  /** True when the endpoint samples for `seconds` before answering (CPU). */
  readonly needsSeconds: boolean;
  /** Listed only when the server's /debug/pprof/ index offers it (newer Go versions' profiles). */
  readonly onlyWhenOffered?: boolean;
  /** The endpoint under /debug/pprof/ and its query, when not the type itself (goroutine?debug=2). */
  readonly endpoint?: string;
  readonly query?: string;
  /** The saved file's extension (default .pb.gz). */
  readonly ext?: string;
}

export const CAPTURE_TYPES: readonly CaptureTypeInfo[] = [
  {
    type: 'heap',
    label: 'heap',
    description: 'live and allocated memory (inuse_space, alloc_space, …)',
    needsSeconds: false,
  },
  {
    type: 'allocs',
    label: 'allocs',
    description: 'all past allocations (same data as heap, alloc_space first)',
    needsSeconds: false,
  },
  { type: 'profile', label: 'profile (CPU)', description: 'CPU profile over a number of seconds', needsSeconds: true },
  { type: 'goroutine', label: 'goroutine', description: 'stacks of all current goroutines', needsSeconds: false },
  {
    type: 'goroutine-dump',
    label: 'goroutine dump (debug=2)',
    description: 'every goroutine with its state, wait and "created by" line: for leak hunting',
    needsSeconds: false,
    endpoint: 'goroutine',
    query: 'debug=2',
    ext: '.txt',
  },
  {
    type: 'goroutineleak',
    label: 'goroutineleak',
    description: 'goroutines blocked forever on what no one can reach any more (Go 1.26+, offered by this server)',
    needsSeconds: false,
    onlyWhenOffered: true,
  },
  {
    type: 'block',
    label: 'block',
    description: 'blocking on synchronization (needs runtime.SetBlockProfileRate)',
    needsSeconds: false,
  },
  {
    type: 'mutex',
    label: 'mutex',
    description: 'mutex contention (needs runtime.SetMutexProfileFraction)',
    needsSeconds: false,
  },
  {
    type: 'threadcreate',
    label: 'threadcreate',
    description: 'stacks that led to new OS threads',
    needsSeconds: false,
  },
];

export function isCaptureType(s: string): s is CaptureType {
  return CAPTURE_TYPES.some((t) => t.type === s);
}

/**
 * The profile names a net/http/pprof index page (GET /debug/pprof/) links to, as
 * `<a href='goroutine?debug=1'>goroutine</a>`; [] when the page lists none. The page is untrusted:
 * only names of letters, digits, '_' and '-' are taken, at most 100.
 */
export function parsePprofIndex(html: string): string[] {
  const out: string[] = [];
  const re = /href=['"]([A-Za-z0-9_-]{1,64})\?debug=1['"]/g;
  for (let m = re.exec(html); m !== null && out.length < 100; m = re.exec(html)) {
    if (!out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/**
 * The types to offer for a server whose index lists `offered` (undefined: not known, e.g. the
 * index could not be read): the usual ones always, goroutineleak only when the server lists it.
 */
export function captureTypesFor(offered: readonly string[] | undefined): CaptureTypeInfo[] {
  return CAPTURE_TYPES.filter((t) => !t.onlyWhenOffered || (offered ?? []).includes(t.type));
}

export const DEFAULT_CPU_SECONDS = 30;
export const MAX_SECONDS = 3600;
/** Extra time over `seconds` the server gets to answer (network, encoding). */
export const DEFAULT_GRACE_SECONDS = 30;

export class CaptureInputError extends Error {
  override readonly name = 'CaptureInputError';
}

/**
 * The base URL as typed ("127.0.0.1:6060", "http://host:6060/", "http://host:6060/debug/pprof",
 * "https://host/admin/debug/pprof/heap") normalized to scheme://host[:port][/prefix] without a
 * trailing slash and without /debug/pprof. Throws CaptureInputError with a reason otherwise.
 */
export function normalizeBaseUrl(input: string): string {
  let s = input.trim();
  if (s === '') throw new CaptureInputError('Enter the address of the server, e.g. http://127.0.0.1:6060');
  if (/[\s\u0000-\u001f\u007f]/.test(s))
    throw new CaptureInputError('The address must not contain spaces or control characters.');
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s)) {
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)/.test(s))
      throw new CaptureInputError(`Only http and https addresses are supported, not "${safeText(s, 40)}".`);
    s = `http://${s}`;
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new CaptureInputError(`"${safeText(input, 80)}" is not a valid address; expected e.g. http://127.0.0.1:6060`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new CaptureInputError(`Only http and https addresses are supported, not ${u.protocol.replace(':', '')}.`);
  if (u.username || u.password) {
    throw new CaptureInputError(
      'Do not put a user name or password in the address: pprof-lens asks for them separately and keeps the password in VS Code’s secret storage.',
    );
  }
  if (u.search || u.hash)
    throw new CaptureInputError(
      'The address must not have a query (?…) or fragment (#…); give only the server, e.g. http://127.0.0.1:6060',
    );
  if (!u.hostname) throw new CaptureInputError('The address has no host name.');
  let path = u.pathname.replace(/\/+$/, '');
  // Accept a pasted endpoint or index: strip /debug/pprof and anything after it.
  const i = path.indexOf('/debug/pprof');
  if (i >= 0) path = path.slice(0, i);
  return `${u.protocol}//${u.host}${path}`;
}

/** The endpoint for a profile type: base/debug/pprof/<type>[?seconds=N] (goroutine-dump: goroutine?debug=2). */
export function profileUrl(base: string, type: CaptureType, seconds?: number): string {
  const b = normalizeBaseUrl(base);
  const info = CAPTURE_TYPES.find((t) => t.type === type);
  const url = `${b}/debug/pprof/${info?.endpoint ?? type}`;
  if (info?.query) return `${url}?${info.query}`;
  if (seconds !== undefined && seconds > 0) return `${url}?seconds=${Math.floor(seconds)}`;
  return url;
}

/** The extension a capture of this type is saved with: ".pb.gz", ".txt" for a goroutine dump. */
export function captureExtension(type: CaptureType): string {
  return CAPTURE_TYPES.find((t) => t.type === type)?.ext ?? '.pb.gz';
}

/** Seconds as typed in the input box; an error message, or undefined when valid. */
export function validateSeconds(text: string): string | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return 'Enter a whole number of seconds, e.g. 30';
  const n = Number(t);
  if (n < 1) return 'At least 1 second.';
  if (n > MAX_SECONDS) return `At most ${MAX_SECONDS} seconds.`;
  return undefined;
}

/** The hard limit for the whole request: the sampling time plus a grace period, in ms. */
export function captureTimeoutMs(seconds: number | undefined, graceSeconds = DEFAULT_GRACE_SECONDS): number {
  return ((seconds ?? 0) + Math.max(1, graceSeconds)) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local time as 2026-11-22T19-10-05 (no colons: valid in file names everywhere). */
export function timestamp(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
}

/** "heap-2026-11-22T19-10-05.pb.gz". */
export function captureFileName(type: string, d: Date, ext = '.pb.gz'): string {
  const safe = type.replace(/[^A-Za-z0-9_.-]/g, '_') || 'profile';
  return `${safe}-${timestamp(d)}${ext}`;
}

/** name, or name with -2, -3, … before the extension when taken. */
export function uniqueFileName(name: string, taken: (n: string) => boolean): string {
  if (!taken(name)) return name;
  const m = /^(.*?)((?:\.pb)?\.gz|\.pprof|\.prof|\.txt)?$/.exec(name)!;
  for (let i = 2; i < 1000; i++) {
    const n = `${m[1]}-${i}${m[2] ?? ''}`;
    if (!taken(n)) return n;
  }
  throw new Error(`cannot find a free file name for ${name}`);
}

/** The .gitignore written into a capture folder pprof-lens creates: profiles stay out of git. */
export const CAPTURE_GITIGNORE =
  '# Created by pprof-lens: captured and benchmark profiles stay out of git. Delete this file to commit them.\n*\n';

/** The type a capture file was saved as, from its name ("heap-2026-….pb.gz" -> "heap"). */
export function captureTypeOfFile(name: string): CaptureType | undefined {
  const m = /^([a-z]+(?:-dump)?)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d+)?(\.pb\.gz|\.txt)$/.exec(name);
  return m && isCaptureType(m[1]!) && captureExtension(m[1]) === m[2] ? m[1] : undefined;
}

/**
 * Untrusted text (a server's body or status) made safe for a one-line message: control
 * characters become spaces, runs of spaces collapse, and it is cut at max characters.
 */
export function safeText(s: string, max = 200): string {
  const t = s
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A URL for messages: without credentials, query values kept (they are only seconds). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return safeText(u.toString(), 300);
  } catch {
    return safeText(url, 300);
  }
}

export type CaptureFailure =
  | { kind: 'status'; status: number; statusText?: string; body?: string; location?: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'network'; code?: string; message: string }
  | { kind: 'not-profile'; message: string }
  | { kind: 'too-large'; maxBytes: number; inflated?: boolean }
  | { kind: 'cancelled' };

/** One sentence for a failed capture of `type` from `url` (see the file comment). */
export function describeFailure(f: CaptureFailure, url: string, type: string): string {
  const where = displayUrl(url);
  switch (f.kind) {
    case 'status': {
      const body = f.body ? safeText(f.body, 200) : '';
      const said = body ? ` The server said: "${body}"` : '';
      if (f.status === 401) return `The server at ${where} answered 401 Unauthorized: wrong user or password.`;
      if (f.status === 403)
        return `The server at ${where} answered 403 Forbidden: this user may not read profiles.${said}`;
      if (f.status === 404)
        return `The server answered 404 Not Found: no /debug/pprof/${safeText(type, 40)} endpoint at ${where}: is net/http/pprof imported (import _ "net/http/pprof") and served on this address?`;
      if (f.status >= 300 && f.status < 400) {
        const loc = f.location ? ` to ${displayUrl(f.location)}` : '';
        return `The server at ${where} redirected (${f.status})${loc}; use the final address as the base URL.`;
      }
      if (f.status === 400 && /WriteTimeout/i.test(body)) {
        return `The server refused the capture: the profile duration exceeds its http.Server WriteTimeout; capture fewer seconds.${said}`;
      }
      const text = f.statusText ? ` ${safeText(f.statusText, 60)}` : '';
      return `The server at ${where} answered ${f.status}${text}.${said}`;
    }
    case 'timeout':
      return `No answer from ${where} within ${Math.round(f.timeoutMs / 1000)} s: is the server running and responsive? (The time limit is the capture seconds plus pprofLens.capture.timeoutSeconds.)`;
    case 'network': {
      const code = f.code ? ` (${safeText(f.code, 30)})` : '';
      if (f.code === 'ECONNREFUSED')
        return `Cannot connect to ${where}: connection refused. Is the server running and listening on that port?`;
      if (f.code === 'ENOTFOUND' || f.code === 'EAI_AGAIN') return `Cannot connect to ${where}: unknown host.`;
      if (f.code === 'ECONNRESET') return `The connection to ${where} was closed before the profile arrived${code}.`;
      return `Cannot capture from ${where}: ${safeText(f.message, 200)}${code}.`;
    }
    case 'not-profile':
      return `The answer from ${where} is not a profile: ${safeText(f.message, 300)}`;
    case 'too-large':
      return f.inflated
        ? `The answer from ${where} decompresses to more than ${Math.round(f.maxBytes / (1024 * 1024))} MiB (a decompression bomb?); refusing to save it.`
        : `The answer from ${where} is larger than ${Math.round(f.maxBytes / (1024 * 1024))} MiB; refusing to save it.`;
    case 'cancelled':
      return 'The capture was cancelled.';
  }
}

/**
 * Checks that a server's answer is a profile before it is saved: net/http/pprof always answers
 * gzip-compressed profile.proto, so a gzip body passes (the decoder reports anything wrong with
 * it on opening); anything else must decode (legacy text profiles do). Returns the problem, or
 * undefined when the body is a profile.
 */
export function checkProfileBody(body: Uint8Array, contentType = ''): string | undefined {
  // Required here, not imported: the decoder (protobufjs, long's WebAssembly) then loads on the
  // first capture, not when the extension activates (bench/activation.mjs).
  const { parseProfile } = require('./decode') as typeof Decode;
  if (body.length === 0) return 'the server answered with an empty body.';
  if (isGzip(body)) return undefined;
  if (/text\/html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(new TextDecoder().decode(body.subarray(0, 64)))) {
    return 'the server answered with an HTML page, not a profile (is the address the pprof server’s?).';
  }
  try {
    parseProfile(body);
    return undefined;
  } catch (e) {
    if (isProfileError(e)) return e.message;
    return e instanceof Error ? e.message : String(e);
  }
}

/** The value of an Authorization header for HTTP basic auth. Never log it. */
export function basicAuthHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Where captures go, from pprofLens.capture.directory. A value from the workspace's own settings
 * (untrusted: it comes with the repository) must stay inside the workspace folder; only a value
 * the user chose in their user settings may be an absolute path elsewhere. `${workspaceFolder}`
 * is expanded. Paths are the platform's (node:path). Returns the directory or why it is refused.
 */
export function resolveCaptureDirectory(
  setting: string,
  fromUserSettings: boolean,
  workspace: string | undefined,
  p: Pick<typeof import('node:path'), 'isAbsolute' | 'resolve' | 'relative' | 'sep'>,
): { dir: string } | { error: string } {
  const value = setting.trim() || '.pprof';
  const expanded = workspace ? value.replace(/\$\{workspaceFolder\}/g, workspace) : value;
  if (p.isAbsolute(expanded)) {
    if (fromUserSettings) return { dir: p.resolve(expanded) };
    if (workspace && isInside(p, workspace, expanded)) return { dir: p.resolve(expanded) };
    return {
      error: `the workspace setting pprofLens.capture.directory (${safeText(setting)}) points outside the workspace; set an absolute folder in your user settings instead`,
    };
  }
  if (!workspace) return { error: 'no folder is open for the relative pprofLens.capture.directory' };
  const dir = p.resolve(workspace, expanded);
  if (!isInside(p, workspace, dir)) {
    return {
      error: `pprofLens.capture.directory (${safeText(setting)}) leads outside the workspace folder; captures stay inside it (an absolute folder in your user settings is allowed)`,
    };
  }
  return { dir };
}

function isInside(
  p: Pick<typeof import('node:path'), 'resolve' | 'relative' | 'isAbsolute' | 'sep'>,
  root: string,
  target: string,
): boolean {
  const rel = p.relative(p.resolve(root), p.resolve(target));
  return rel === '' || (!rel.startsWith(`..${p.sep}`) && rel !== '..' && !p.isAbsolute(rel));
}

/**
 * True when basic-auth credentials for this URL would cross a network unencrypted: plain http
 * to a host other than this machine's loopback.
 */
export function sendsCredentialsInClear(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:') return false;
  const h = u.hostname.replace(/^\[|\]$/g, '');
  return !(h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h));
}
