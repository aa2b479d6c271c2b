/**
 * The goroutine view and the PGO export with the core they need, bundled on their own
 * (dist/insightCore.js, esbuild.mjs): they hold the decoder, and the extension host loads them on
 * first use only (register.ts), which keeps dist/extension.js small.
 */
export { GoroutinesView } from './goroutinesView';
export { PgoExport } from './pgoExport';
export { compareGoroutines, readGoroutineSnapshot } from '../../core/goroutines';
export {
  declaresPackageMain,
  hotCallSites,
  isPgoProfile,
  mergeForPgo,
  missingStartLines,
  profileSampleTypes,
} from '../../core/pgo';
export { parseProfile } from '../../core/decode';
// The base picker's kinds (profilePicker.ts): they read profile headers with the decoder's help.
export { baseCandidates } from '../../core/diff';
export { encodeProfile } from '../../core/encode';
