/**
 * What the extension loads on first use from dist/lazyFeatures.js (esbuild.mjs), so that
 * activating on a Go file stays small: the benchmark A/B (git worktree, go test, benchstat), the
 * capture commands (net/http/pprof) and the language model tools; and the benchmark's probe
 * (perfProbe.ts, only with PPROF_LENS_PERF_LOG).
 */
export { BenchCompareCommands } from './bench/compareRevisions';
export { LmTools } from './insight/lmTools';
export { CaptureCommands } from './capture/capture';
export { startPerfProbe } from './perfProbe';
