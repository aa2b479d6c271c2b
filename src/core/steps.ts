/**
 * Long builds a slice at a time. A build is a generator that yields between its steps once the
 * `until` it was given says so; run to its end at once, it is the plain function. The worker
 * builds ahead of the panel this way (worker/ops beginPrewarm): a request arriving meanwhile
 * waits for one slice, not for the whole build, and a request for the very thing being built
 * finishes it from where it stopped.
 */

/** Whether a build should stop at its next step. */
export type Until = () => boolean;

/** Never stop. */
export const never: Until = () => false;

/** A build run to its end. */
export function runSteps<R>(g: Generator<void, R>): R {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** A build run a slice at a time: run(ms) works for about ms, finish() to its end. */
export class Sliced<R> {
  private deadline = Infinity;
  private readonly g: Generator<void, R>;
  private out: { value: R } | undefined;

  constructor(build: (until: Until) => Generator<void, R>) {
    this.g = build(() => performance.now() >= this.deadline);
  }

  get done(): boolean {
    return this.out !== undefined;
  }

  /** Works until about ms have passed or the build is done; true when it is done. */
  run(ms: number): boolean {
    if (this.out) return true;
    this.deadline = performance.now() + ms;
    const r = this.g.next();
    this.deadline = Infinity;
    if (r.done) this.out = { value: r.value };
    return r.done === true;
  }

  /** The build's result, finishing it first (from where it stopped). */
  finish(): R {
    while (!this.out) this.run(Infinity);
    return this.out.value;
  }
}
