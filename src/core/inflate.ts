/**
 * Gzip inflated piece by piece, synchronously, into the caller's buffer: the decoder reads a
 * profile.proto in windows of about a megabyte instead of holding all of it (a 700,000-sample heap
 * profile is 32 MB inflated). Node has no public synchronous streaming inflate (its *Sync
 * functions inflate everything into one buffer), so this drives the zlib handle the way Node's
 * own zlibBufferSync does; where that handle is missing (another runtime), open() returns
 * undefined and the caller inflates the whole input at once.
 *
 * Output is bounded like gunzipSync's maxOutputLength: past `cap` bytes read() throws, so a bomb
 * costs at most the window and the time to inflate `cap` bytes.
 */
import { constants, createGunzip, type Gunzip } from 'node:zlib';

interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  onerror: (message: string, errno: number, code: string) => void;
  close(): void;
}

/** A zlib failure: the message and code zlib gave (e.g. "unexpected end of file", Z_BUF_ERROR). */
export class InflateError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Thrown by read() when the output passes the cap. */
export class InflateCapError extends Error {}

/** Gzip bytes read piece by piece (a file): size bytes, read(into, pos) fills into from pos on. */
export interface GzipSource {
  readonly size: number;
  read(into: Uint8Array, pos: number): number;
}

const INPUT_BYTES = 256 * 1024;

export class GunzipStream {
  private error: InflateError | undefined;
  private ended = false;
  /** Set once zlib takes no more input without Z_FINISH (the input's end, or bytes after the stream). */
  private finishing = false;
  /** The input zlib is reading: buf[inOff, inLen) is still to be read; srcPos: what is read of src. */
  private inBuf: Uint8Array;
  private inOff = 0;
  private inLen: number;
  private srcPos = 0;
  /** Bytes inflated so far. */
  total = 0;

  private constructor(
    private readonly zlib: Gunzip,
    private readonly handle: ZlibHandle,
    private readonly state: Uint32Array,
    gz: Uint8Array | GzipSource,
    private readonly cap: number,
  ) {
    handle.onerror = (message, _errno, code) => {
      this.error = new InflateError(message, code);
    };
    if (gz instanceof Uint8Array) {
      this.inBuf = gz;
      this.inLen = gz.length;
      this.src = undefined;
    } else {
      this.inBuf = new Uint8Array(Math.min(INPUT_BYTES, Math.max(1, gz.size)));
      this.inLen = 0;
      this.src = gz;
    }
  }

  private readonly src: GzipSource | undefined;

  /** A stream over gz, or undefined when this runtime's zlib cannot be driven synchronously. */
  static open(gz: Uint8Array | GzipSource, cap: number): GunzipStream | undefined {
    const z = createGunzip() as Gunzip & { _handle?: ZlibHandle; _writeState?: Uint32Array };
    const h = z._handle;
    const st = z._writeState;
    if (!h || typeof h.writeSync !== 'function' || !(st instanceof Uint32Array) || st.length < 2) {
      z.close();
      return undefined;
    }
    return new GunzipStream(z, h, st, gz, cap);
  }

  /** Whether input is left to read from the source. */
  private more(): boolean {
    return this.src !== undefined && this.srcPos < this.src.size;
  }

  /**
   * Inflates into out[off, off + max) (max > 0); returns the bytes written, 0 only once the
   * stream has ended. Throws InflateError for corrupt or truncated data, InflateCapError past the cap.
   */
  read(out: Uint8Array, off: number, max: number): number {
    for (;;) {
      if (this.ended) return 0;
      if (this.inOff === this.inLen && this.more()) {
        const src = this.src!;
        const n = src.read(this.inBuf.subarray(0, Math.min(this.inBuf.length, src.size - this.srcPos)), this.srcPos);
        if (n <= 0) throw new InflateError('unexpected end of file', 'Z_BUF_ERROR');
        this.srcPos += n;
        this.inOff = 0;
        this.inLen = n;
      }
      const left = this.inLen - this.inOff;
      if (left === 0) this.finishing = true;
      const flush = this.finishing ? constants.Z_FINISH : constants.Z_NO_FLUSH;
      this.handle.writeSync(flush, this.inBuf, this.inOff, left, out, off, max);
      if (this.error) {
        this.close();
        throw this.error;
      }
      const availOut = this.state[0]!;
      const inOff = this.inLen - this.state[1]!;
      const have = max - availOut;
      const stuck = have === 0 && inOff === this.inOff;
      if (stuck) this.finishing = true;
      this.inOff = inOff;
      this.total += have;
      if (this.total > this.cap) {
        this.close();
        throw new InflateCapError(`inflated past ${this.cap} bytes`);
      }
      if (flush === constants.Z_FINISH && availOut > 0) {
        // Done, or bytes after the stream that zlib leaves (zeros): the next piece, if any.
        if (stuck || inOff === this.inLen) {
          if (!this.more()) {
            this.ended = true;
            this.close();
          } else this.inOff = this.inLen;
        }
      }
      if (have > 0) return have;
    }
  }

  /** Inflates the rest, discarding it; returns the total size. Throws as read() does. */
  drain(): number {
    const scratch = new Uint8Array(256 * 1024);
    while (this.read(scratch, 0, scratch.length) > 0) {
      // discard
    }
    return this.total;
  }

  close(): void {
    if (!this.ended) this.ended = true;
    try {
      this.zlib.close();
    } catch {
      // already closed
    }
  }
}
