/**
 * Editor → graph: the host posts where the editor's cursor is (the profile's file name, the line
 * and the function around it; src/vscode/panel/cursorSync.ts). The frames of that function get an
 * outline, those sampled at that very line (their source line is the cursor's) a stronger one, and
 * the function's row in the top table is marked. A toolbar toggle ("Follow editor", kept in the
 * saved state) turns it off. One pass over the node columns: a few ms on a 120k-node tree.
 */
import type { FlameData } from '../src/shared/flame';
import type { CursorInfo } from '../src/shared/protocol';
import { plainText } from '../src/shared/text';
import { el, theme } from './dom';
import type { Boxes } from './flame/layout';

export const followBtn = el('button', {
  id: 'follow-editor',
  title: 'Highlight the frames of the line and function under the editor cursor',
});
followBtn.setAttribute('aria-pressed', 'true');

let on = true;
let cursor: CursorInfo | undefined;
/** Per node: 2 = sampled at the cursor's line, 1 = the cursor's function, 0 = neither. */
let hits: Uint8Array | undefined;
let hitsOf: FlameData | undefined;

export function followCursor(): boolean {
  return on;
}

export function setFollow(v: boolean): void {
  on = v;
  followBtn.textContent = v ? 'Follow editor: on' : 'Follow editor: off';
  followBtn.setAttribute('aria-pressed', String(v));
  hitsOf = undefined;
}
setFollow(true);

export function setCursor(c: CursorInfo): void {
  cursor = c;
  hitsOf = undefined;
}

/** The function under the cursor (names as the panel shows them), when following. */
export function cursorFunction(): string | undefined {
  return on && cursor?.func ? plainText(cursor.func) : undefined;
}

/** Marks the nodes of the cursor's function and line; undefined when nothing is marked. */
export function cursorHits(d: FlameData): Uint8Array | undefined {
  if (!on || !cursor || (cursor.file === null && cursor.func === null)) return undefined;
  if (hitsOf === d) return hits;
  const N = d.nodeName.length;
  const fn = cursor.func !== null ? plainText(cursor.func) : undefined;
  let nameIdx = -1;
  if (fn !== undefined) nameIdx = d.names.indexOf(fn);
  const fileIdx = cursor.file !== null ? d.files.indexOf(cursor.file) : -1;
  const out = new Uint8Array(N);
  let count = 0;
  for (let i = 1; i < N; i++) {
    if (fileIdx >= 0 && d.nodeFile[i] === fileIdx && d.nodeLine[i] === cursor.line) out[i] = 2;
    else if (nameIdx >= 0 && d.nodeName[i] === nameIdx) out[i] = 1;
    else continue;
    count++;
  }
  hits = count > 0 ? out : undefined;
  hitsOf = d;
  lastCount = count;
  return hits;
}
let lastCount = 0;

/** How many frames the cursor marks in the tree last examined (0 when off). */
export function cursorFrames(): number {
  return on && hits ? lastCount : 0;
}

/** Outlines the marked frames on the drawn canvas. */
export function drawCursor(ctx: CanvasRenderingContext2D, d: FlameData, b: Boxes, rowHeight: number): void {
  const h = cursorHits(d);
  if (!h) return;
  const t = theme();
  const strong =
    t === 'light' ? '#0050c0' : t === 'dark' ? '#6cb6ff' : t === 'high-contrast-light' ? '#0f4a85' : '#f38518';
  ctx.save();
  for (const level of [1, 2]) {
    ctx.strokeStyle = strong;
    ctx.lineWidth = level === 2 ? 3 : 1.5;
    ctx.setLineDash(level === 2 ? [] : [4, 2]);
    for (let k = 0; k < b.count; k++) {
      if (h[b.node[k]!] !== level || b.w[k]! < 2) continue;
      ctx.strokeRect(b.x[k]! + 1, b.y[k]! + 1, Math.max(1, b.w[k]! - 2), rowHeight - 3);
    }
  }
  ctx.restore();
}
