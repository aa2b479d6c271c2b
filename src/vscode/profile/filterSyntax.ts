/**
 * The filter syntax checks (Go regular expressions through re2js, tag filters) used while a user
 * types a filter. The extension host loads this on first use from its own bundle
 * (dist/filterSyntax.js, see esbuild.mjs), so activating on a Go file does not parse re2js.
 */
export { compileTagFilter } from '../../core/filter';
export { compileGoRegexp } from '../../core/regexp';
