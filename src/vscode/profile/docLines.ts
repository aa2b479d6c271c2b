/**
 * What the loaded profile says about the profile files mapped to one local file: its lines with
 * every sample type's flat and cum, and its functions. Read once from the packed columns per
 * (profile, files) and kept: Session.costsFor runs on each redraw, hover, CodeLens and status-bar
 * update, and a view (compare, filter, new profile) is a new LoadedProfile. No vscode import.
 */
import type { FunctionView, LoadedProfile } from './loadedProfile';

export interface DocLine {
  /** The line in the document now (follows edits). */
  line: number;
  /** The line as the profile has it, when edits moved it. */
  profileLine?: number;
  /** Per sample type. */
  flat: number[];
  cum: number[];
}

export interface ProfileLines {
  /** By line, ascending; the lines of several profile files on one local file summed. Shared: not to be changed. */
  readonly lines: DocLine[];
  readonly functions: FunctionView[];
}

const memo = new WeakMap<LoadedProfile, Map<string, ProfileLines>>();

/** The lines and functions of profile files `files` (indices into p.data.files), memoised per profile. */
export function profileLines(p: LoadedProfile, files: readonly number[]): ProfileLines {
  let byFiles = memo.get(p);
  if (!byFiles) memo.set(p, (byFiles = new Map()));
  const key = files.join(',');
  const hit = byFiles.get(key);
  if (hit) return hit;
  const T = p.T;
  const { lineFlat, lineCum, lineNo, fileLineStart } = p.data;
  const byLine = new Map<number, DocLine>();
  for (const file of files) {
    for (let i = fileLineStart[file]!; i < fileLineStart[file + 1]!; i++) {
      const line = lineNo[i]!;
      let d = byLine.get(line);
      if (!d) byLine.set(line, (d = { line, flat: new Array<number>(T).fill(0), cum: new Array<number>(T).fill(0) }));
      for (let t = 0; t < T; t++) {
        d.flat[t] = d.flat[t]! + lineFlat[i * T + t]!;
        d.cum[t] = d.cum[t]! + lineCum[i * T + t]!;
      }
    }
  }
  const all = p.allFunctions();
  const out: ProfileLines = {
    lines: [...byLine.values()].sort((a, b) => a.line - b.line),
    functions: files.flatMap((file) => all.filter((f) => f.file === file)),
  };
  byFiles.set(key, out);
  return out;
}
