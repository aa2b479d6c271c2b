/** Loads dist/insightCore.js (the decoder and the insight core) on first use. */
import type * as InsightCore from './insightCore';

let core: typeof InsightCore | undefined;

export function insightCore(): typeof InsightCore {
  // Required, not imported: esbuild.mjs leaves './insightCore' to its own file.
  return (core ??= require('./insightCore') as typeof InsightCore);
}
