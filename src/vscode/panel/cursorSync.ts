/**
 * Editor → graph: where the cursor of a Go editor is, in the profile's terms (the profile's name
 * of the file, the line, the function around it), for the flame panel to highlight that line's
 * and that function's frames and table rows. Pure over the session's data; the panel posts it.
 */
import type { CursorInfo } from '../../shared/protocol';
import type { LoadedProfile } from '../profile/loadedProfile';
import type { SourceMap } from '../profile/sourceMap';

/**
 * The cursor at `line` (1-based) of the local file `key` (sourceMap's localKey). The function is
 * the one whose declaration (start line, else first sampled line) is the closest above the line,
 * provided the line is not below its last sampled line.
 */
export function cursorInfo(p: LoadedProfile, map: SourceMap, key: string, line: number): CursorInfo {
  const entries = map.byLocal.get(key);
  if (!entries || entries.length === 0) return { file: null, line, func: null };
  let file: string | null = null;
  let func: string | null = null;
  let best = -1;
  for (const e of entries) {
    const fi = e.file;
    file ??= p.data.files[fi] ?? null;
    for (const f of p.functionsOf(fi)) {
      const from = f.startLine > 0 ? f.startLine : f.firstLine;
      if (from > line || from <= best) continue;
      if (line > f.lastLine) continue; // below its last sampled line: maybe another, unprofiled function
      best = from;
      func = f.name;
      file = p.data.files[fi] ?? file;
    }
  }
  return { file, line, func };
}
