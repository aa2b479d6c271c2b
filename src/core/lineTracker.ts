/**
 * Keeps a profile's line numbers attached to a document's lines while it is edited, without
 * VS Code: it holds the text the profile was matched against and applies each content change
 * (a range replaced by text, as onDidChangeTextDocument reports them) to it. A line keeps its
 * original number only while its whole text is untouched: inserting or deleting lines above
 * shifts it, editing it drops it (its values would be about other code). Text that comes back to
 * what the profile was matched against (undo) is not edited any more: every line has its number again.
 */
export interface TextChange {
  /** 0-based line and character of the replaced range's start and end, in the text before the change. */
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly text: string;
}

export class LineTracker {
  private lines: string[];
  /** The text the profile was matched against, by line. */
  private readonly original: readonly string[];
  /** For each current line, its 1-based line in the original text, or 0 for new or edited text. */
  private origin: number[];
  private changed = false;
  private inverse?: Map<number, number>;

  constructor(text: string) {
    this.lines = text.split(/\r\n|\r|\n/);
    this.original = [...this.lines];
    this.origin = this.lines.map((_, i) => i + 1);
  }

  /** True once any change altered the text. */
  get edited(): boolean {
    return this.changed;
  }

  /** Line l (1-based) of the text the profile was matched against; "" beyond it. */
  originalLine(l: number): string {
    return this.original[l - 1] ?? '';
  }

  /** The current text, joined with "\n". */
  text(): string {
    return this.lines.join('\n');
  }

  /** Applies changes in the order given (each relative to the text left by the previous one). */
  apply(changes: readonly TextChange[]): void {
    for (const c of changes) this.applyOne(c);
    if (this.changed && this.backToOriginal()) {
      this.origin = this.lines.map((_, i) => i + 1);
      this.changed = false;
      this.inverse = undefined;
    }
  }

  private backToOriginal(): boolean {
    const o = this.original;
    if (this.lines.length !== o.length) return false;
    for (let i = 0; i < o.length; i++) if (this.lines[i] !== o[i]) return false;
    return true;
  }

  /**
   * Whether the original lines from..to (1-based, inclusive: a function's) were touched: one of them
   * edited or deleted, or a line inserted between two of them.
   */
  editedWithin(from: number, to: number): boolean {
    if (!this.changed) return false;
    let prev: number | undefined;
    for (let l = from; l <= to; l++) {
      const at = this.map(l);
      if (at === undefined || (prev !== undefined && at !== prev + 1)) return true;
      prev = at;
    }
    return false;
  }

  private applyOne(c: TextChange): void {
    const n = this.lines.length;
    const s = Math.min(Math.max(0, c.startLine), n - 1);
    const e = Math.min(Math.max(s, c.endLine), n - 1);
    const sLine = this.lines[s]!;
    const eLine = this.lines[e]!;
    const sc = Math.min(Math.max(0, c.startCharacter), sLine.length);
    const ec = Math.min(Math.max(0, c.endCharacter), eLine.length);
    if (s === e && sc === ec && c.text === '') return;
    const prefix = sLine.slice(0, sc);
    const suffix = eLine.slice(ec);
    const segs = c.text.split(/\r\n|\r|\n/);
    const last = segs.length - 1;
    const repl = segs.map((seg, i) => (i === 0 ? prefix : '') + seg + (i === last ? suffix : ''));
    const orig = repl.map(() => 0);
    // Old line s survives whole in the first new line when all of it is kept and nothing follows it there.
    const sIntact = sc === sLine.length && segs[0] === '' && (last > 0 || suffix === '');
    // Old line e survives whole in the last new line when all of it is kept and nothing precedes it there.
    const eIntact = ec === 0 && segs[last] === '' && (last > 0 || prefix === '');
    if (sIntact) orig[0] = this.origin[s]!;
    else if (eIntact) orig[last] = this.origin[e]!;
    if (sIntact && eIntact && last > 0) orig[last] = this.origin[e]!;
    this.lines.splice(s, e - s + 1, ...repl);
    this.origin.splice(s, e - s + 1, ...orig);
    this.changed = true;
    this.inverse = undefined;
  }

  /** The current 1-based line of an original line, or undefined when it was edited or deleted. */
  map(originalLine: number): number | undefined {
    if (!this.changed) return originalLine >= 1 && originalLine <= this.origin.length ? originalLine : undefined;
    if (!this.inverse) {
      this.inverse = new Map();
      this.origin.forEach((o, i) => {
        if (o > 0) this.inverse!.set(o, i + 1);
      });
    }
    return this.inverse.get(originalLine);
  }

  /** How many original lines were edited or deleted. */
  dropped(originalLines: readonly number[]): number {
    return originalLines.filter((l) => this.map(l) === undefined).length;
  }
}

/**
 * When another profile is loaded (a compare, a filter, a second snapshot), may a document's tracker
 * stay? Its edits still separate the file from a profile taken before the first of them (the file
 * was then as the tracker first saw it); a profile taken after it may already hold the edited code,
 * and one without a time (time_nanos 0) proves nothing: both start afresh.
 */
export function keepTrackerFor(profileTimeMs: number, firstEditMs: number | undefined): boolean {
  return firstEditMs !== undefined && profileTimeMs > 0 && profileTimeMs < firstEditMs;
}
