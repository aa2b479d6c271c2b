/**
 * How the goroutine view names frames and waits. Apart from core/goroutines (which holds the
 * decoder) so the extension host can use it without loading the decoder.
 */

export interface GoFrame {
  readonly fn: string;
  readonly file: string;
  readonly line: number;
}

/** "main.(*hub).pump main.go:71" for a frame (the file's base name). */
export function frameLabel(f: GoFrame): string {
  const base = f.file.slice(Math.max(f.file.lastIndexOf('/'), f.file.lastIndexOf('\\')) + 1);
  return base ? `${f.fn} ${base}:${f.line}` : f.fn;
}

/** "2 minutes", "1 minute", "" for a wait. */
export function waitLabel(minutes: number | undefined): string {
  if (minutes === undefined) return '';
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** "+40", "-1", "0". */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : `${n}`;
}
