/**
 * The parts of the extension host the browser tests play beyond page.ts: answering the panel's
 * searches as FlamePanel does, with the worker's Go-regexp matcher (src/core/nameSearch.ts) over
 * the names of the view on screen.
 */
import type { Page } from 'playwright-core';
import { searchNames } from '../../src/core/nameSearch';
import { posted } from './page';

/** Answers every `search` the page posts, for the view `current()` returns; call the result to stop. */
export function serveSearches(page: Page, current: () => { key: string; names: readonly string[] }): () => void {
  let seen = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped && !page.isClosed()) {
      const ms = await posted(page).catch(() => []);
      for (; seen < ms.length; seen++) {
        const m = ms[seen]!;
        if (m.type !== 'search') continue;
        const v = current();
        // The page's own table when it sent one (a small tree's: nameHit indexes it), as the worker does.
        const names = Array.isArray(m.names) ? (m.names as string[]) : v.names;
        const r = searchNames(names, String(m.query));
        const msg = {
          type: 'searchResult',
          id: m.id,
          key: v.key,
          complete: r.tested === names.length,
          ms: r.ms,
          ...(r.literal !== undefined ? { literal: r.literal } : {}),
        };
        await page
          .evaluate(
            ([x, hits]) => window.postMessage({ ...(x as object), nameHit: new Uint8Array(hits as number[]) }, '*'),
            [msg, [...r.nameHit]] as const,
          )
          .catch(() => undefined);
      }
      await new Promise((res) => setTimeout(res, 25));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}
