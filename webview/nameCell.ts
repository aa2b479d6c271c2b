/**
 * A function name in a table cell that is narrower than the name: the package path gives way
 * first (ellipsis, down to nothing), then the package name and the receiver ("pkg.(*T)."), the
 * function's own name ("Method", "crunch.func1") last, and the cell's title holds the whole
 * name. Text nodes only: names are untrusted.
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
