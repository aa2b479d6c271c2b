/**
 * What the extension loads on first use from dist/lazyFeatures.js (esbuild.mjs), so that
 * activating on a Go file stays small: the benchmark A/B (git worktree, go test, benchstat), the
 * capture commands (net/http/pprof) and the language model tools.
 */
export { BenchCompareCommands } from './bench/compareRevisions';
export { LmTools } from './insight/lmTools';
export { CaptureCommands } from './capture/capture';
