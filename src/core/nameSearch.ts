/**
 * The flame panel's search, the matching half, pure: the user's text as a Go regexp (RE2 through
 * core/regexp, so `\pL`, `(?i)`, `\Q…\E` mean what they mean in pprof's web UI, and time is linear
 * in each name whatever the pattern), tested once per distinct function name. Text that is not a
 * valid Go regexp is searched literally (and the answer says why). The pass is bounded: past
 * `budgetMs` it stops and reports how far it got. The webview turns the per-name answers into
 * highlighted nodes and the matched share (webview/search.ts) without a regexp of its own.
 */
import { compileGoRegexp, GoRegexpError, type GoRegexp } from './regexp';

export interface NameSearch {
  /** 1 for each name (by index) the pattern matches. */
  readonly nameHit: Uint8Array;
  /** Set when the text was not a Go regexp and was searched as plain text: Go's message. */
  readonly literal?: string;
  /** Names tested before the budget ran out (= names.length when complete). */
  readonly tested: number;
  readonly ms: number;
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Longest query accepted (characters); longer text is cut to it. */
export const MAX_QUERY = 1000;

export function searchNames(names: readonly string[], query: string, budgetMs = 2000): NameSearch {
  const t0 = performance.now();
  const q = query.slice(0, MAX_QUERY);
  let rx: GoRegexp;
  let literal: string | undefined;
  try {
    rx = compileGoRegexp(q, 'search');
  } catch (e) {
    if (!(e instanceof GoRegexpError)) throw e;
    literal = e.message;
    rx = compileGoRegexp(quoteMeta(q), 'search');
  }
  const nameHit = new Uint8Array(names.length);
  let k = 0;
  for (; k < names.length; k++) {
    if ((k & 255) === 255 && performance.now() - t0 > budgetMs) break;
    if (rx.test(names[k]!)) nameHit[k] = 1;
  }
  return { nameHit, ...(literal !== undefined ? { literal } : {}), tested: k, ms: performance.now() - t0 };
}
