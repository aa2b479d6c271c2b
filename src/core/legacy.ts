/**
 * Legacy (pre-profile.proto) profile formats, read as Go 1.19's pprof reads them:
 *
 * - the binary CPU format of gperftools and of early Go and Java (./legacy/cpu),
 * - heap text: Go's debug=1 heap profile, C++ heapz_v2, heapprofile, growthz, fragmentationz,
 * - Go count profiles (goroutine, threadcreate) in debug=1 text, and C++ threadz dumps,
 * - contention text: Go's mutex/block debug=1 output and C++ contentionz,
 * - Java heapz and contentionz text,
 * - goroutine dumps (debug=2, panic and SIGQUIT tracebacks; ./legacy/dump), which pprof refuses.
 *
 * Beyond pprof, the "#\t0x… func+0x… file:line" comment lines Go writes with debug=1 become the
 * locations' Functions and Lines, and "# labels: {…}" lines of count profiles become sample
 * labels; pprof ignores both. Neither occurs in pprof's own test corpus.
 */
import { ProfileError, isProfileError } from './errors';
import type { Profile } from './model';
import type { LegacyBuilder } from './legacy/builder';
import { parseContention } from './legacy/contention';
import { parseCPU } from './legacy/cpu';
import { parseGoCount, parseThread } from './legacy/count';
import { parseGoroutineDump } from './legacy/dump';
import { parseHeap } from './legacy/heap';
import { parseJavaProfile } from './legacy/java';
import { NotThisFormat, bytesToText } from './legacy/text';

export { scaleHeapSample } from './legacy/heap';

type Parser = (data: Uint8Array, text: () => string, goSymbols: boolean) => LegacyBuilder | undefined;

const parsers: Parser[] = [
  (data) => parseCPU(data),
  (_, text, sym) => parseHeap(text(), sym),
  (_, text, sym) => parseGoCount(text(), sym),
  (_, text) => parseThread(text()),
  (_, text, sym) => parseContention(text(), sym),
  (_, text) => parseJavaProfile(text()),
  // Last: a dump is recognized by a "goroutine N [state]:" line anywhere in the text.
  (_, text) => parseGoroutineDump(text()),
];

/**
 * Parses a legacy profile. Returns undefined when the bytes are none of the legacy formats;
 * throws ProfileError('malformed') when a format is recognized but its content is broken.
 */
export interface LegacyOptions {
  /**
   * Use the function names and lines in the comments of Go's debug=1 text profiles (default).
   * go tool pprof ignores them and shows addresses; false gives its view.
   */
  goSymbols?: boolean;
}

export function parseLegacy(data: Uint8Array, opts: LegacyOptions = {}): Profile | undefined {
  let decoded: string | undefined;
  const text = (): string => (decoded ??= bytesToText(data));
  for (const parse of parsers) {
    let b: LegacyBuilder | undefined;
    try {
      b = parse(data, text, opts.goSymbols !== false);
    } catch (e) {
      if (e instanceof NotThisFormat) continue;
      if (isProfileError(e)) throw e;
      // A bug of ours must not surface as anything but a ProfileError.
      throw new ProfileError('malformed', `legacy profile: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (b === undefined) continue;
    b.addLegacyFrameInfo();
    return b.toProfile();
  }
  return undefined;
}

/**
 * For input that is text (printable, with letters) and no format pprof-lens reads: what it looks
 * like and how to get a profile instead. Undefined for anything else (binary data keeps the
 * protobuf decoder's message).
 */
export function unreadableTextMessage(data: Uint8Array): string | undefined {
  const magic = bytesToText(data.subarray(0, 16));
  if (/^go 1\.\d+ trace\0/.test(magic)) {
    return 'Not a pprof profile: this is a Go execution trace (runtime/trace, /debug/pprof/trace). Open it with go tool trace.';
  }
  const n = Math.min(data.length, 512);
  let letters = 0;
  for (let i = 0; i < n; i++) {
    const c = data[i]!;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return undefined;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
  }
  if (letters < 4) return undefined;
  const head = bytesToText(data.subarray(0, 4096));
  const first = head.split('\n', 1)[0]!.trim().slice(0, 60);
  const shown = first === '' ? '' : ` (it starts with ${JSON.stringify(first)})`;
  if (/^\s*<(!doctype|html)/i.test(head)) {
    return `Not a pprof profile: this is an HTML page${shown}. Fetch the profile endpoint itself, such as /debug/pprof/heap or /debug/pprof/profile?seconds=30, without ?debug=1.`;
  }
  return (
    `Not a pprof profile: this text is no format pprof-lens reads${shown}. ` +
    'It reads profile.proto (.pb.gz, what /debug/pprof/<name> and go test -cpuprofile write), ' +
    "Go's debug=1 text profiles (heap, allocs, block, mutex, goroutine, threadcreate), goroutine dumps " +
    '(/debug/pprof/goroutine?debug=2, a panic or SIGQUIT traceback) and the legacy C++/Java formats go tool pprof reads.'
  );
}
