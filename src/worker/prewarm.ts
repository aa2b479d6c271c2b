/**
 * What the worker builds ahead of the flame panel when idle (worker/main.ts), one tree per task so
 * a request waits for one tree at most, not a sample type's both trees: the default type's
 * first-paint tree and whole tree, then the first-paint tree of every other type (a first switch
 * paints from it at once), then their whole trees. A flame request for a type moves what is left
 * of that type to the front (the user switched to it: its whole tree is wanted next).
 */
export interface PrewarmTask {
  readonly sampleIndex: number;
  readonly firstPaint: boolean;
}

/** At most this many sample types are built ahead (a profile may have many more). */
export const PREWARM_MAX_TYPES = 8;

export class PrewarmQueue {
  private tasks: PrewarmTask[];

  constructor(sampleIndex: number, types: number) {
    const others = Array.from({ length: Math.min(types, PREWARM_MAX_TYPES) }, (_, i) => i).filter(
      (i) => i !== sampleIndex,
    );
    this.tasks = [
      { sampleIndex, firstPaint: true },
      { sampleIndex, firstPaint: false },
      ...others.map((i) => ({ sampleIndex: i, firstPaint: true })),
      ...others.map((i) => ({ sampleIndex: i, firstPaint: false })),
    ];
  }

  /** The next tree to build, removed from the queue; undefined when all are built. */
  next(): PrewarmTask | undefined {
    return this.tasks.shift();
  }

  get size(): number {
    return this.tasks.length;
  }

  /** Whether a tree of this type is still to build. */
  has(sampleIndex: number): boolean {
    return this.tasks.some((t) => t.sampleIndex === sampleIndex);
  }

  /** The panel asked for this type: its trees still to build come first, first paint before whole. */
  front(sampleIndex: number): void {
    const mine = this.tasks.filter((t) => t.sampleIndex === sampleIndex);
    if (mine.length) this.tasks = [...mine, ...this.tasks.filter((t) => t.sampleIndex !== sampleIndex)];
  }
}
