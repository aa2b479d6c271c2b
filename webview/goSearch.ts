/**
 * The search box's queries run as Go regexps (RE2, pprof's semantics) in the host's worker, not as
 * JavaScript RegExps here: the page posts {search, id, query} and the worker answers which of the
 * view's function names match (src/core/nameSearch.ts, linear time, bounded); this module turns
 * the answer into highlighted nodes and the matched share (search.ts searchByNames). The page
 * bundle carries no regexp engine. Answers for an older query or another view are dropped.
 */
import type { FlameData } from '../src/shared/flame';
import { SEARCH_NAMES_MAX, type ToWebview } from '../src/shared/protocol';
import { searchByNames, type SearchResult } from './search';
import { post } from './state';

type Answer = Extract<ToWebview, { type: 'searchResult' }>;

let nextId = 1;
let pending: { id: number; key: string; query: string; d: FlameData } | undefined;
/**
 * The last answer, by view key, query and tree: nameHit indexes the names table of the tree it was
 * asked for (a first-paint tree's table is its own, cut to its frames in first-use order; the whole
 * tree's is the view's), so another tree of the same view asks again.
 */
let last: { key: string; query: string; d: FlameData; answer: Answer } | undefined;

/** The result for this view and query if the worker answered it; otherwise asks (once) and returns undefined. */
export function searchFor(key: string, query: string, d: FlameData): (SearchResult & { answer: Answer }) | undefined {
  if (
    last &&
    last.key === key &&
    last.query === query &&
    last.d === d &&
    last.answer.nameHit.length === d.names.length
  ) {
    return { ...searchByNames(d, last.answer.nameHit), answer: last.answer };
  }
  if (!pending || pending.key !== key || pending.query !== query || pending.d !== d) {
    pending = { id: nextId++, key, query, d };
    // A small table goes along and is what the worker searches (nameHit then indexes it whatever
    // tree it is); a large one is the view's own table, which the worker holds.
    post({ type: 'search', id: pending.id, query, ...(d.names.length <= SEARCH_NAMES_MAX ? { names: d.names } : {}) });
  }
  return undefined;
}

/** Takes a worker answer; true when it is the one awaited (the caller then applies and draws). */
export function takeAnswer(m: Answer): boolean {
  if (!pending || m.id !== pending.id || m.key !== pending.key) return false;
  last = { key: pending.key, query: pending.query, d: pending.d, answer: m };
  pending = undefined;
  return true;
}

/** The search `id` failed: stop waiting for it. */
export function dropPending(id: number): boolean {
  if (pending?.id !== id) return false;
  pending = undefined;
  return true;
}
