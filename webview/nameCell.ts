/**
 * A function name in a table cell that is narrower than the name: the package path gives way
 * first (ellipsis, down to nothing), then the package name and the receiver ("pkg.(*T)."), the
 * function's own name ("Method", "crunch.func1") last, and the cell's title holds the whole
 * name. A part that gives way shows at least MIN_SHOWN characters before its ellipsis, or none
 * (fitName): flexbox alone shrinks it through every width, one letter and an ellipsis ("e…")
 * among them. Text nodes only: names are untrusted.
 */
import { el } from './dom';

/**
 * [head, tail] of a Go function name: tail starts after the last '/' outside brackets (type
 * arguments such as [go.shape.struct { a/b }] may hold slashes), so it is the package's last
 * element with the function; head is the rest of the path ("" when there is none).
 */
export function splitName(name: string): [string, string] {
  let depth = 0;
  let cut = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if ((c === ']' || c === ')' || c === '}') && depth > 0) depth--;
    else if (c === '/' && depth === 0) cut = i + 1;
  }
  return [name.slice(0, cut), name.slice(cut)];
}

/**
 * [qualifier, own] of a name's tail (splitName): the package name and a method's receiver
 * ("pkg.", "pkg.(*T).") and the function's own name after them ("Method", "f.func1", "F[T]").
 */
export function splitTail(tail: string): [string, string] {
  let depth = 0;
  let dot = -1;
  for (let i = 0; i < tail.length; i++) {
    const c = tail[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if ((c === ']' || c === ')' || c === '}') && depth > 0) depth--;
    else if (c === '.' && depth === 0) {
      dot = i;
      break;
    }
  }
  if (dot < 0) return ['', tail];
  let cut = dot + 1;
  // A method's receiver: "(*T)." or "(T).".
  const recv = /^\([^()]*\)\./.exec(tail.slice(cut));
  if (recv) cut += recv[0].length;
  if (cut >= tail.length) return ['', tail];
  return [tail.slice(0, cut), tail.slice(cut)];
}

/** The cell's content: the path, the package and receiver, the function's own name (each giving way in turn), then a suffix such as " (inline)". */
export function nameSpans(name: string, suffix = ''): HTMLElement {
  const [head, tail] = splitName(name);
  const [qual, own] = splitTail(tail);
  const box = el('span', { className: 'fname' });
  if (head) box.append(el('span', { className: 'fname-head', textContent: head }));
  const t = el('span', { className: 'fname-tail' });
  if (qual) t.append(el('span', { className: 'fname-qual', textContent: qual }));
  t.append(el('span', { className: 'fname-own', textContent: own }));
  box.append(t);
  // " (inline)" gives way before the function's name does.
  if (suffix) box.append(el('span', { className: 'fname-suffix', textContent: suffix }));
  return box;
}

/** The fewest characters a cut part (path, package and receiver, " (inline)") shows before its ellipsis. */
export const MIN_SHOWN = 3;
/** The class of a part hidden by fitName (no width; still in the cell's text, for copying and screen readers). */
const GONE = 'fname-gone';
/** The parts that give way, in the order they are hidden when too narrow. */
const GIVING_WAY = ['.fname-head', '.fname-suffix', '.fname-qual'];

const range = typeof document !== 'undefined' ? document.createRange() : undefined;
/** The drawn width of the first `end` characters of t (also when its box clips them). */
function textWidth(t: Text, end: number): number {
  range!.setStart(t, 0);
  range!.setEnd(t, end);
  return range!.getBoundingClientRect().width;
}

/**
 * Whether a part that gives way is cut to fewer than MIN_SHOWN characters before its ellipsis
 * (taken as wide as one of the first characters: exact in a monospace font).
 */
function tooFewShown(part: HTMLElement): boolean {
  const t = part.firstChild;
  if (!(t instanceof Text) || t.length === 0) return false;
  const w = part.getBoundingClientRect().width;
  if (textWidth(t, t.length) <= w + 0.5) return false; // whole
  const n = Math.min(MIN_SHOWN, t.length);
  const first = textWidth(t, n);
  return w < first + first / n;
}

/**
 * Hides the parts of the cells' names that their widths cut to fewer than MIN_SHOWN characters
 * (after showing them all again: a cell may have grown). One part of a name at a time (the path,
 * then " (inline)", then the package and receiver): the room it leaves may be enough for the next.
 */
export function fitNames(cells: Iterable<Element>): void {
  let boxes = [...cells].flatMap((c) => [...c.querySelectorAll<HTMLElement>('.fname')]);
  for (const b of boxes) for (const p of b.querySelectorAll(`.${GONE}`)) p.classList.remove(GONE);
  for (let pass = 0; pass < GIVING_WAY.length && boxes.length > 0; pass++) {
    // Measure all, then hide: one layout per pass.
    const hide = boxes.map((b) =>
      GIVING_WAY.map((c) => b.querySelector<HTMLElement>(`${c}:not(.${GONE})`)).find((p) => p && tooFewShown(p)),
    );
    boxes = boxes.filter((_, k) => hide[k]);
    for (const p of hide) p?.classList.add(GONE);
  }
}

/** Fits the names of the cells watched (fitName) whenever their widths change, before they are painted. */
const cellWidths =
  typeof ResizeObserver !== 'undefined'
    ? new ResizeObserver((entries) => {
        const cells: Element[] = [];
        for (const e of entries) {
          // Out of the table (scrolled away): no longer watched; its table watches it again when it comes back.
          if (!e.target.isConnected) cellWidths!.unobserve(e.target);
          else if (e.contentRect.width > 0) cells.push(e.target);
        }
        fitNames(cells);
      })
    : undefined;

/**
 * Keeps the name in a table cell fitted (fitNames) as the cell's width changes (the panel or its
 * columns resized) and when the cell is put in the table; returns the cell. Watch the cell, not
 * the name: the cell's width does not depend on what the name shows.
 */
export function fitName<T extends Element>(cell: T): T {
  cellWidths?.observe(cell);
  return cell;
}

/**
 * The text of a copied selection in the tables: a name's parts are flex items (each its own box),
 * so the browser's own text for a selection puts each part on a line of its own ("pkg." and
 * "Method" apart). Instead: each row on a line, its cells separated by tabs, a name in one piece,
 * without the twisty; a selection inside one cell is just its characters.
 */
export function copiedText(frag: DocumentFragment): string {
  const cellText = (n: Node): string => {
    let s = '';
    const walk = (x: Node) => {
      if (x instanceof HTMLElement && (x.classList.contains('twisty') || x.getAttribute('aria-hidden') === 'true'))
        return;
      if (x.nodeType === Node.TEXT_NODE) s += x.nodeValue ?? '';
      for (let c = x.firstChild; c; c = c.nextSibling) walk(c);
    };
    walk(n);
    return s;
  };
  const cells = (parent: ParentNode) =>
    [...parent.querySelectorAll(':scope > td, :scope > th')].map((c) => cellText(c).trim()).join('\t');
  const rows = [...frag.querySelectorAll('tr')].filter((r) => !r.classList.contains('spacer'));
  if (rows.length > 0) return rows.map(cells).join('\n');
  if (frag.querySelector(':scope > td, :scope > th')) return cells(frag);
  return cellText(frag);
}

/** Copying from a name cell (see copiedText): installed once, for the whole page (not in Node's tests). */
if (typeof document !== 'undefined')
  document.addEventListener('copy', (ev) => {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !ev.clipboardData) return;
    const inName = (n: Node | null) =>
      Boolean((n instanceof Element ? n : n?.parentElement)?.closest('.fname, td, tr'));
    const ranges = Array.from({ length: sel.rangeCount }, (_, r) => sel.getRangeAt(r));
    if (
      !ranges.some(
        (r) => inName(r.startContainer) || inName(r.endContainer) || r.cloneContents().querySelector('.fname'),
      )
    )
      return;
    ev.clipboardData.setData('text/plain', ranges.map((r) => copiedText(r.cloneContents())).join('\n'));
    ev.preventDefault();
  });
