/** Reading `go tool pprof -list` goldens for the in-editor tests. */
import { readFileSync } from 'node:fs';

/**
 * flat/cum per line of `file` in a -list golden (the first routine that has the line; a zero flat
 * as '.', the way the overlays print it; lines with neither value are left out).
 */
export function listRows(goldenPath: string, file: string): Map<number, [string, string]> {
  const rows = new Map<number, [string, string]>();
  let inFile = false;
  for (const line of readFileSync(goldenPath, 'utf8').split('\n')) {
    const h = /^ROUTINE =+ \S+ in (.+)$/.exec(line);
    if (h) {
      inFile = h[1]!.endsWith(`/${file}`);
      continue;
    }
    const m = /^\s*(\S+)\s+(\S+)\s+(\d+):/.exec(line);
    if (inFile && m && !(m[1] === '.' && m[2] === '.') && !rows.has(Number(m[3])))
      rows.set(Number(m[3]), [m[1] === '0' ? '.' : m[1]!, m[2]!]);
  }
  return rows;
}
