/**
 * Budgets, not luck: what a profile may cost before any work starts, and the checks that a decoded
 * Profile is whole (every id in range, one value per sample type). A profile is untrusted input:
 * a few hundred bytes of protobuf can describe billions of frames, and a small gzip stream can
 * inflate a thousandfold. Each limit is generous for real profiles (a Go profile of 100 MB
 * compressed passes: it inflates 2-10 times and its stacks are at most a few hundred frames deep)
 * and tight for bombs, whose cost per input byte is what gives them away.
 */
import { ProfileError } from './errors';
import type { Profile } from './model';

export interface Budget {
  /** Largest file read at all, compressed or not. */
  maxInputBytes: number;
  /** Largest inflated profile, whatever the compressed size. */
  maxUncompressedBytes: number;
  /** Inflated size allowed per compressed byte above `freeUncompressedBytes` (deflate reaches ~1000). */
  maxInflateRatio: number;
  /** Inflated size always allowed (a small profile may compress well). */
  freeUncompressedBytes: number;
  /** Samples in one profile. */
  maxSamples: number;
  /** Samples per byte of the file as read (compressed), above `freeSamples`: a real sample costs bytes. */
  maxSamplesPerInputByte: number;
  freeSamples: number;
  /** Frames (a location's inline frames counted one by one) in one sample's stack. */
  maxStackFrames: number;
  /** Frames of all samples together, per byte of the profile.proto… */
  maxFramesPerByte: number;
  /** …plus this many, whatever its size. */
  freeFrames: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_BUDGET: Readonly<Budget> = {
  maxInputBytes: 1024 * MiB,
  maxUncompressedBytes: 2048 * MiB - 1,
  maxInflateRatio: 64,
  freeUncompressedBytes: 32 * MiB,
  maxSamples: 50_000_000,
  maxSamplesPerInputByte: 8,
  freeSamples: 1_000_000,
  maxStackFrames: 65_536,
  maxFramesPerByte: 16,
  freeFrames: 4_000_000,
};

function mib(n: number): string {
  if (n < MiB) return `${Math.ceil(n / 1024)} KiB`;
  return `${(n / MiB).toFixed(1)} MiB`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function tooLarge(message: string): ProfileError {
  return new ProfileError('too-large', message);
}

/** The largest inflated size accepted for `compressedBytes` of gzip. */
export function inflateCap(compressedBytes: number, b: Budget = DEFAULT_BUDGET): number {
  return Math.min(b.maxUncompressedBytes, Math.max(b.freeUncompressedBytes, compressedBytes * b.maxInflateRatio));
}

export function checkInputSize(bytes: number, b: Budget = DEFAULT_BUDGET): void {
  if (bytes > b.maxInputBytes) {
    throw tooLarge(
      `The file is ${mib(bytes)}, over the ${mib(b.maxInputBytes)} pprof-lens reads. Capture a shorter profile or filter it with go tool pprof -proto first.`,
    );
  }
}

export function inflateError(compressedBytes: number, b: Budget = DEFAULT_BUDGET): ProfileError {
  const cap = inflateCap(compressedBytes, b);
  return tooLarge(
    cap === b.maxUncompressedBytes
      ? `The profile decompresses to more than ${mib(cap)}, the largest pprof-lens reads.`
      : `The profile decompresses to more than ${mib(cap)} from ${mib(compressedBytes)} of gzip data: no real profile compresses that well (this looks like a decompression bomb).`,
  );
}

/**
 * Checked after the decoder's counting pass, before it allocates anything per sample.
 * inputBytes: the file as read (compressed when gzip); protoBytes: the profile.proto.
 */
export function checkCounts(
  c: { samples: number; locIds: number },
  inputBytes: number,
  protoBytes: number,
  b: Budget = DEFAULT_BUDGET,
): void {
  checkSamples(c.samples, inputBytes, b);
  checkFrames(c.locIds, protoBytes, b);
}

function checkSamples(n: number, inputBytes: number, b: Budget): void {
  if (n > b.maxSamples) {
    throw tooLarge(`The profile has ${count(n)} samples, over the ${count(b.maxSamples)} pprof-lens reads.`);
  }
  const max = b.freeSamples + inputBytes * b.maxSamplesPerInputByte;
  if (n > max) {
    throw tooLarge(
      `The profile has ${count(n)} samples in ${mib(inputBytes)} of data (at most ${count(max)} are read): real samples are not that cheap to store (this looks like a decompression bomb).`,
    );
  }
}

export function checkFrames(frames: number, protoBytes: number, b: Budget = DEFAULT_BUDGET): void {
  const max = b.freeFrames + protoBytes * b.maxFramesPerByte;
  if (frames > max) {
    throw tooLarge(
      `The profile's stacks hold ${count(frames)} frames in ${mib(protoBytes)} of data (at most ${count(max)} are read): locations repeated and inlined far beyond any real program's.`,
    );
  }
}

function malformed(msg: string): ProfileError {
  return new ProfileError('malformed', `Malformed profile: ${msg}.`);
}

/**
 * A decoded profile is usable: at least one sample type, one value per type in every sample,
 * every index in range, and stacks within the frame budget (inline frames counted). Throws a
 * ProfileError otherwise. Linear in the profile's size.
 */
export function validateProfile(
  p: Profile,
  inputBytes: number,
  protoBytes: number,
  b: Budget = DEFAULT_BUDGET,
  /** The decoder already checked the indices and the stack frames (decode.ts resolve). */
  stacksChecked = false,
): void {
  const T = p.sampleTypes.length;
  if (T === 0) {
    throw new ProfileError(
      'malformed',
      'The profile has no sample types, so it measures nothing: there is nothing to show. Is it a complete profile?',
    );
  }
  const { count: n, values, stack, locStart, stackLocs } = p.samples;
  checkSamples(n, inputBytes, b);
  if (values.length !== n * T) throw malformed(`${values.length} sample values for ${n} samples of ${T} sample types`);
  const S = locStart.length - 1;
  if (stack.length !== n || S < 0 || locStart[0] !== 0 || locStart[S] !== stackLocs.length) {
    throw malformed('the sample stacks are inconsistent');
  }
  const { labelIds } = p.samples;
  if (labelIds ? labelIds.length !== n : p.samples.labels.length !== 0 && p.samples.labels.length !== n)
    throw malformed('the sample labels are inconsistent');
  if (stacksChecked) return;
  const L = p.locations.length;
  const F = p.functions.length;
  const M = p.mappings.length;
  const depth = new Uint32Array(L);
  for (let i = 0; i < L; i++) {
    const loc = p.locations[i]!;
    if (loc.mapping < -1 || loc.mapping >= M)
      throw malformed(`location ${loc.id} refers to a mapping that does not exist`);
    for (const ln of loc.lines) {
      if (ln.func < -1 || ln.func >= F) throw malformed(`location ${loc.id} refers to a function that does not exist`);
    }
    depth[i] = Math.max(1, loc.lines.length);
  }
  // Each stack of the table once (its frames, or -1 when not walked yet), in sample order.
  const stackFrames = new Float64Array(S).fill(-1);
  let frames = 0;
  for (let s = 0; s < n; s++) {
    const u = stack[s]!;
    if (u >= S) throw malformed('the sample stacks are inconsistent');
    let d = stackFrames[u]!;
    if (d < 0) {
      const a = locStart[u]!;
      const e = locStart[u + 1]!;
      if (e < a) throw malformed('the sample stacks are inconsistent');
      d = 0;
      for (let k = a; k < e; k++) {
        const l = stackLocs[k]!;
        if (l >= L) throw malformed(`sample ${s} refers to a location that does not exist`);
        d += depth[l]!;
      }
      if (d > b.maxStackFrames) throw stackTooDeep(s, d, b);
      stackFrames[u] = d;
    }
    frames += d;
  }
  checkFrames(frames, protoBytes, b);
}

/** Sample s's stack has d frames, over the budget's maxStackFrames. */
export function stackTooDeep(s: number, d: number, b: Budget = DEFAULT_BUDGET): ProfileError {
  return tooLarge(
    `Sample ${s} has a stack of ${count(d)} frames (inline frames counted), over the ${count(b.maxStackFrames)} pprof-lens reads: no real program's stacks are that deep.`,
  );
}
