/**
 * The symbol comments of Go's debug=1 text profiles, which go tool pprof ignores:
 *
 *     5 @ 0x437a56 0x4063db 0x405f18 0x4bc8fb 0x4635a1
 *     #	0x4bc8fa	main.waitOnChannel+0x1a	/src/app/main.go:38
 *
 * runtime/pprof's printStackRecord writes one "#" line per frame, except for runtime.goexit
 * (always hidden) and, in heap, allocs, goroutine and threadcreate texts, the runtime.* frames at
 * the leaf end of the stack (block and mutex texts show those). A frame the symbol table cannot
 * name is written as "#\t0x…" alone. So an address without a "#" line in a stack that has some
 * was hidden, and where it sits says what it was:
 *
 * - the root-most address, beneath a listed frame: runtime.goexit;
 * - addresses at the leaf end, before the first listed frame: runtime functions (gopark,
 *   mallocgc, ...), which become "runtime.?".
 *
 * Without those names the stacks would not match what pprof shows given the binary: heap
 * profiles prune frames matching `runtime\..*` from the root as long as no user frame was seen,
 * and an unnamed goexit counted as a user frame, so every stack through runtime.main was cut
 * down to that one unnamed frame.
 *
 * Every line is read with plain scans (no regular expression), so a hostile line costs linear
 * time.
 */
import type { BFunction, BLocation, LegacyBuilder } from './builder';

export interface GoFrame {
  name: string;
  file: string;
  line: number;
}

/** The name given to runtime frames a debug=1 text hides at the leaf end of a stack. */
export const HIDDEN_RUNTIME_FRAME = 'runtime.?';
const GOEXIT = 'runtime.goexit';

const isBlank = (c: number): boolean => c === 9 || c === 32; // \t, space
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Parses "#<ws>0x<pc>[<ws><func>+0x<off><ws><file>:<line>]" (already trimmed). Returns undefined
 * when the line is no frame comment, the pc alone for a frame the runtime could not name.
 */
export function parseFrameComment(line: string): { pc: string; frame?: GoFrame } | undefined {
  const n = line.length;
  if (line.charCodeAt(0) !== 35 /* # */) return undefined;
  let i = 1;
  if (i >= n || !isBlank(line.charCodeAt(i))) return undefined;
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  if (!line.startsWith('0x', i)) return undefined;
  const pcStart = i + 2;
  i = pcStart;
  while (i < n && isHex(line.charCodeAt(i))) i++;
  if (i === pcStart || i - pcStart > 16) return undefined;
  // The pc as a key: lower-case hex without leading zeros, as bigint.toString(16) writes it.
  let z = pcStart;
  while (z < i - 1 && line.charCodeAt(z) === 48) z++;
  const pc = line.slice(z, i).toLowerCase();
  if (i === n) return { pc };
  if (!isBlank(line.charCodeAt(i))) return undefined;
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  const rest = line.slice(i);
  // <file>:<line> at the end: the last colon, followed by digits only (and blanks).
  let end = rest.length;
  while (end > 0 && isBlank(rest.charCodeAt(end - 1))) end--;
  const colon = rest.lastIndexOf(':', end - 1);
  if (colon < 0 || colon === end - 1) return undefined;
  for (let k = colon + 1; k < end; k++) if (!isDigit(rest.charCodeAt(k))) return undefined;
  // <func>+0x<off><ws>: the first "+0x" (after the name's first character) followed by hex
  // digits and a blank, before the colon.
  for (let p = rest.indexOf('+0x', 1); p >= 0 && p < colon; p = rest.indexOf('+0x', p + 1)) {
    let q = p + 3;
    while (q < colon && isHex(rest.charCodeAt(q))) q++;
    if (q === p + 3 || q >= colon || !isBlank(rest.charCodeAt(q))) continue;
    while (q < colon && isBlank(rest.charCodeAt(q))) q++;
    if (q >= colon) continue;
    const ln = Number(rest.slice(colon + 1, end));
    return {
      pc,
      frame: { name: rest.slice(0, p), file: rest.slice(q, colon), line: Number.isSafeInteger(ln) ? ln : 0 },
    };
  }
  return undefined;
}

interface Block {
  locs: BLocation[];
  /** The pcs the block's "#" lines list, named or not. */
  listed: Set<string>;
}

/**
 * Symbol information from the comment lines of Go's debug=1 text profiles. Frames that share a
 * PC are inlined calls and keep their order, innermost first.
 */
export class GoSymbols {
  private readonly byPC = new Map<string, GoFrame[]>();
  /** The block whose "#" lines gave a pc its frames (later blocks repeat them). */
  private readonly firstBlockOf = new Map<string, Block | undefined>();
  private readonly blocks: Block[] = [];
  private current: Block | undefined;

  /** enabled false: collect nothing (go tool pprof's view, which ignores the comments). */
  constructor(private readonly enabled = true) {}

  /** Call at each sample line, with its locations: the "#" lines that follow describe them. */
  startBlock(locs: BLocation[]): void {
    if (!this.enabled) return;
    this.current = { locs, listed: new Set() };
    this.blocks.push(this.current);
  }

  /** Records the frame of a "#\t0x..." comment (trimmed); returns false when the line is not one. */
  add(line: string): boolean {
    const c = parseFrameComment(line);
    if (c === undefined) return false;
    if (!this.enabled) return true;
    const block = this.current;
    block?.listed.add(c.pc);
    if (c.frame === undefined) return true;
    const known = this.byPC.get(c.pc);
    if (known === undefined) {
      this.byPC.set(c.pc, [c.frame]);
      this.firstBlockOf.set(c.pc, block);
    } else if (this.firstBlockOf.get(c.pc) === block) {
      // The same pc again in the block that named it: an inlined call's outer frame.
      known.push(c.frame);
    }
    return true;
  }

  /**
   * Gives every location whose address has frames its Lines and Functions, and names the frames
   * the text hid (see the file comment).
   */
  apply(b: LegacyBuilder): void {
    if (!this.enabled || this.byPC.size === 0) return;
    const fns = new Map<string, BFunction>();
    const fn = (name: string, file: string): BFunction => {
      const key = name + '\u0000' + file;
      let f = fns.get(key);
      if (f === undefined) {
        f = { id: 0, name, systemName: name, file };
        fns.set(key, f);
      }
      return f;
    };
    // A location's address is its "#" line's pc, or one less (return address - 1).
    const keys = new Map<BLocation, [string, string]>();
    const keysOf = (loc: BLocation): [string, string] => {
      let k = keys.get(loc);
      if (k === undefined) {
        k = [loc.address.toString(16), (loc.address + 1n).toString(16)];
        keys.set(loc, k);
      }
      return k;
    };
    const framesOf = (loc: BLocation): GoFrame[] | undefined => {
      const [a, a1] = keysOf(loc);
      return this.byPC.get(a) ?? this.byPC.get(a1);
    };
    for (const loc of b.locations) {
      const frames = framesOf(loc);
      if (frames !== undefined) loc.lines = frames.map((f) => ({ fn: fn(f.name, f.file), line: f.line }));
    }
    const isListed = (blk: Block, loc: BLocation): boolean => {
      const [a, a1] = keysOf(loc);
      return blk.listed.has(a) || blk.listed.has(a1);
    };
    for (const blk of this.blocks) {
      if (blk.listed.size === 0) continue;
      const first = blk.locs.findIndex((l) => isListed(blk, l));
      if (first < 0) continue;
      blk.locs.forEach((loc, i) => {
        if (loc.lines.length > 0 || isListed(blk, loc)) return;
        if (i < first) loc.lines = [{ fn: fn(HIDDEN_RUNTIME_FRAME, ''), line: 0 }];
        else if (i === blk.locs.length - 1) loc.lines = [{ fn: fn(GOEXIT, ''), line: 0 }];
      });
    }
  }
}
