/**
 * A function name in a table cell that is narrower than the name: the package path gives way
 * first (ellipsis in the middle), the function's own name (its tail, "pkg.(*T).Method") stays,
 * and the cell's title holds the whole name. Text nodes only: names are untrusted.
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

/** The cell's content: the head that shrinks with an ellipsis, the tail, then a suffix such as " (inline)". */
export function nameSpans(name: string, suffix = ''): HTMLElement {
  const [head, tail] = splitName(name);
  const box = el('span', { className: 'fname' });
  if (head) box.append(el('span', { className: 'fname-head', textContent: head }));
  box.append(el('span', { className: 'fname-tail', textContent: tail }));
  // " (inline)" gives way before the function's name does.
  if (suffix) box.append(el('span', { className: 'fname-suffix', textContent: suffix }));
  return box;
}
