/**
 * Moving a profile of one revision onto the source of another: `git diff -U0 <rev>` hunks map each
 * old line to its new line (lines after a hunk shift by what it added or removed; a line the hunk
 * replaced or deleted goes to the hunk's first new line), and the profile's functions in the old
 * checkout get the new file's path, so that -base subtracts line against line. Pure.
 */
import type { Func, Location, Profile } from './model';

export interface Hunk {
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newStart: number;
  readonly newCount: number;
}

export interface FileDiff {
  /** Repository-relative, as git prints them after a/ and b/ ("" for /dev/null). */
  readonly oldPath: string;
  readonly newPath: string;
  readonly hunks: readonly Hunk[];
}

function unquote(p: string): string {
  return p.startsWith('"') && p.endsWith('"') ? JSON.parse(p) : p;
}

/** The files and hunks of `git diff -U0` output. */
export function parseUnifiedDiff(text: string): FileDiff[] {
  const out: { oldPath: string; newPath: string; hunks: Hunk[] }[] = [];
  let cur: (typeof out)[number] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      cur = { oldPath: '', newPath: '', hunks: [] };
      out.push(cur);
    } else if (cur && line.startsWith('--- ')) {
      const p = unquote(line.slice(4).trim());
      cur.oldPath = p === '/dev/null' ? '' : p.replace(/^a\//, '');
    } else if (cur && line.startsWith('+++ ')) {
      const p = unquote(line.slice(4).trim());
      cur.newPath = p === '/dev/null' ? '' : p.replace(/^b\//, '');
    } else if (cur && line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (m)
        cur.hunks.push({
          oldStart: Number(m[1]),
          oldCount: m[2] === undefined ? 1 : Number(m[2]),
          newStart: Number(m[3]),
          newCount: m[4] === undefined ? 1 : Number(m[4]),
        });
    } else if (cur && line.startsWith('rename from ')) cur.oldPath = line.slice(12);
    else if (cur && line.startsWith('rename to ')) cur.newPath = line.slice(10);
  }
  return out;
}

/** The new line of an old line (hunks in order, as git prints them). */
export function mapOldLine(hunks: readonly Hunk[], line: number): number {
  let delta = 0;
  for (const h of hunks) {
    if (h.oldCount === 0) {
      // Pure insertion after old line oldStart.
      if (line <= h.oldStart) return line + delta;
    } else {
      if (line < h.oldStart) return line + delta;
      if (line < h.oldStart + h.oldCount) return Math.max(h.newStart, 1);
    }
    delta += h.newCount - h.oldCount;
  }
  return line + delta;
}

/**
 * The profile with the functions whose file is under oldRoot moved to newRoot, their lines (and
 * start lines) mapped through the diff of that file (by its path relative to the roots, which is
 * the repository-relative path when the roots are the two checkouts' tops). Returns the profile
 * unchanged when no function is under oldRoot.
 */
export function moveToRevision(p: Profile, oldRoot: string, newRoot: string, diffs: readonly FileDiff[]): Profile {
  const prefix = oldRoot.endsWith('/') ? oldRoot : `${oldRoot}/`;
  const newPrefix = newRoot.endsWith('/') ? newRoot : `${newRoot}/`;
  const byOld = new Map<string, FileDiff>();
  for (const d of diffs) if (d.oldPath) byOld.set(d.oldPath, d);
  const moved = new Map<number, readonly Hunk[]>();
  const functions: Func[] = p.functions.map((f, i) => {
    if (!f.file.startsWith(prefix)) return f;
    const rel = f.file.slice(prefix.length);
    const d = byOld.get(rel);
    const hunks = d?.hunks ?? [];
    moved.set(i, hunks);
    return {
      ...f,
      file: newPrefix + (d?.newPath || rel),
      startLine: f.startLine > 0 ? mapOldLine(hunks, f.startLine) : f.startLine,
    };
  });
  if (moved.size === 0) return p;
  const locations: Location[] = p.locations.map((l) =>
    l.lines.some((ln) => moved.has(ln.func))
      ? {
          ...l,
          lines: l.lines.map((ln) => {
            const h = moved.get(ln.func);
            return h && ln.line > 0 ? { ...ln, line: mapOldLine(h, ln.line) } : ln;
          }),
        }
      : l,
  );
  return { ...p, functions, locations };
}
