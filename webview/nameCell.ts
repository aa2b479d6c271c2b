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
