/**
 * Fetches a profile from a net/http/pprof endpoint with Node's http/https (no vscode import, so the
 * end-to-end tests use exactly this code): basic auth, a hard timeout over the whole request,
 * cancel through an AbortSignal, a size cap, no redirects followed, and every failure as a
 * CaptureError whose message comes from core/capture's describeFailure.
 *
 * The password is only ever put into the Authorization header; it is never part of a URL, an
 * error or a log line.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { gunzip } from 'node:zlib';
import { inflateCap } from '../core/budget';
import {
  basicAuthHeader,
  checkProfileBody,
  describeFailure,
  normalizeBaseUrl,
  parsePprofIndex,
  type CaptureFailure,
} from '../core/capture';
import { isGzip } from '../core/gzip';

export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    readonly failure: CaptureFailure,
    message: string,
  ) {
    super(message);
  }
  get kind(): CaptureFailure['kind'] {
    return this.failure.kind;
  }
}

export interface FetchProfileOptions {
  /** The full endpoint URL (core/capture profileUrl). */
  url: string;
  /** The profile type, for messages. */
  type: string;
  user?: string;
  password?: string;
  /** Hard limit for the whole request, in ms (core/capture captureTimeoutMs). */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Largest body accepted; default 512 MiB. */
  maxBytes?: number;
  /** Check that the body is a profile (default true). */
  validate?: boolean;
}

export interface FetchedProfile {
  bytes: Uint8Array;
  contentType: string;
  ms: number;
}

const DEFAULT_MAX = 512 * 1024 * 1024;

export function fetchProfile(o: FetchProfileOptions): Promise<FetchedProfile> {
  const started = Date.now();
  const maxBytes = o.maxBytes ?? DEFAULT_MAX;
  const fail = (f: CaptureFailure) => new CaptureError(f, describeFailure(f, o.url, o.type));
  return new Promise<FetchedProfile>((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const finish = (err: CaptureError | undefined, v?: FetchedProfile) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req?.destroy();
        reject(err);
      } else resolve(v!);
    };
    const onAbort = () => finish(fail({ kind: 'cancelled' }));
    const timer = setTimeout(() => finish(fail({ kind: 'timeout', timeoutMs: o.timeoutMs })), o.timeoutMs);
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort);

    let u: URL;
    try {
      u = new URL(o.url);
    } catch {
      return finish(fail({ kind: 'network', message: 'invalid URL' }));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return finish(fail({ kind: 'network', message: `unsupported scheme ${u.protocol}` }));
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity', 'User-Agent': 'pprof-lens' };
    if (o.user !== undefined && o.user !== '') headers['Authorization'] = basicAuthHeader(o.user, o.password ?? '');
    const mod = u.protocol === 'https:' ? https : http;
    try {
      req = mod.request(u, { method: 'GET', headers, agent: false }, (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const limit = status === 200 ? maxBytes : 64 * 1024;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limit) {
            if (status === 200) finish(fail({ kind: 'too-large', maxBytes }));
            else res.destroy();
            return;
          }
          chunks.push(c);
        });
        const done = () => {
          if (settled) return;
          const body = Buffer.concat(chunks);
          if (status !== 200) {
            const location = res.headers.location;
            return finish(
              fail({
                kind: 'status',
                status,
                statusText: res.statusMessage ?? '',
                body: body.subarray(0, 2048).toString('utf8'),
                ...(location ? { location } : {}),
              }),
            );
          }
          const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
          const contentType = String(res.headers['content-type'] ?? '');
          if (o.validate !== false) {
            const problem = checkProfileBody(bytes, contentType);
            if (problem) return finish(fail({ kind: 'not-profile', message: problem }));
          }
          if (!isGzip(bytes)) return finish(undefined, { bytes, contentType, ms: Date.now() - started });
          // The cap holds after inflation too: a small gzip body can inflate a thousandfold. The
          // check inflates off the main thread (zlib's pool) and stops at the cap.
          const cap = Math.min(maxBytes, inflateCap(bytes.length));
          gunzip(bytes, { maxOutputLength: cap }, (err) => {
            if (!err) return finish(undefined, { bytes, contentType, ms: Date.now() - started });
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'ERR_BUFFER_TOO_LARGE' || /larger than|too large/i.test(err.message))
              finish(fail({ kind: 'too-large', maxBytes: cap, inflated: true }));
            else finish(fail({ kind: 'not-profile', message: `its gzip data is corrupt (${err.message})` }));
          });
        };
        res.on('end', done);
        res.on('close', () => {
          if (!res.complete && status !== 200) done();
          else if (!res.complete)
            finish(
              fail({
                kind: 'network',
                code: 'ECONNRESET',
                message: 'the connection closed before the whole profile arrived',
              }),
            );
        });
        res.on('error', (e) =>
          finish(
            fail({
              kind: 'network',
              message: e.message,
              ...((e as NodeJS.ErrnoException).code ? { code: (e as NodeJS.ErrnoException).code! } : {}),
            }),
          ),
        );
      });
    } catch (e) {
      return finish(fail({ kind: 'network', message: e instanceof Error ? e.message : String(e) }));
    }
    req.on('error', (e: NodeJS.ErrnoException) =>
      finish(fail({ kind: 'network', message: e.message, ...(e.code ? { code: e.code } : {}) })),
    );
    req.end();
  });
}

/**
 * The profile names the server's /debug/pprof/ index lists (core/capture parsePprofIndex), or
 * undefined when the index cannot be read (no server, a 401 without credentials, a timeout): the
 * capture then offers the usual types. At most 1 MiB is read.
 */
export async function fetchOfferedProfiles(o: {
  baseUrl: string;
  user?: string;
  password?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<string[] | undefined> {
  try {
    const r = await fetchProfile({
      url: `${normalizeBaseUrl(o.baseUrl)}/debug/pprof/`,
      type: 'index',
      timeoutMs: o.timeoutMs ?? 3000,
      maxBytes: 1 << 20,
      validate: false,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.user !== undefined ? { user: o.user, password: o.password ?? '' } : {}),
    });
    if (isGzip(r.bytes)) return undefined;
    return parsePprofIndex(new TextDecoder().decode(r.bytes));
  } catch {
    return undefined;
  }
}
