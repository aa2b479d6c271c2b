/**
 * The driver: what every report, annotation and flame tree is drawn from, built once.
 *
 * Like pprof's driver, which hands one Report{profile, total, options} to every report, a load goes
 * decoded profile(s) → compare with the base (-base / -diff_base) → drop_frames pruning → filters,
 * and the result is one ProfileView: the profile the reports walk, and what 100 % is for each
 * sample type. The CLI (src/cli.ts) and the decode worker (src/worker/ops.ts) both build their
 * views here; "what percentages are relative to" is decided in viewTotal and nowhere else.
 */
import { driverNormalize, removeUninteresting } from './compact';
import { baseMismatch, compareProfiles, DIFF_BASE_LABEL, mergeProfiles, withLabel, type CompareMode } from './diff';
import { BaseProfileError } from './errors';
import { activeFilters, filterProfile, hasFilters, type FilterOptions } from './filter';
import { comparableGoroutineSides } from './goroutineSides';
import type { Profile } from './model';
import { addLabelNodes, meanTotal, pruneFrom } from './pprofOps';
import { reportTotal } from './report';

export interface ViewBase {
  readonly profile: Profile;
  /** How the user named it (a file name): messages say "Cannot compare with <name>". */
  readonly name?: string;
  readonly mode: CompareMode;
  /** -normalize: the profile is scaled to the base's totals first. */
  readonly normalize: boolean;
  /**
   * Per-operation profiles (benchmark A/B): the profile's values divided by current and the
   * base's by base (each side's benchmark operations) before comparing, unrounded.
   */
  readonly perOp?: { readonly current: number; readonly base: number };
}

/** Every value divided by ops, not rounded (a 10 ms sample over 300,000 operations is 33.3 ns/op). */
function perOperation(p: Profile, ops: number): Profile {
  const values = Float64Array.from(p.samples.values, (v) => v / ops);
  return { ...p, samples: { ...p.samples, values } };
}

/**
 * The profile before filters: current compared with the base, then the frames named by the
 * profile's drop_frames pruned (pprof's driver does both, in this order, before any report).
 * mergeSamples: pprof's merge of identical samples, for the reports that print samples one by one.
 */
export function comparedProfile(p: Profile, base?: ViewBase, o: { mergeSamples?: boolean } = {}): Profile {
  let q = p;
  if (base) {
    // A base of another kind is the base's fault: the open profile stays (core/errors BaseProfileError).
    const why = base.name !== undefined ? baseMismatch(q, base.profile) : undefined;
    if (why) throw new BaseProfileError('unsupported', why, base.name!);
    if (base.perOp) {
      // Scaled and negated here: pprof's Scale would round a base sample's 833.3 ns/op to 833.
      let b = perOperation(base.profile, -base.perOp.base);
      if (base.mode === 'diff_base') b = withLabel(b, { key: DIFF_BASE_LABEL, str: 'true' });
      q = mergeProfiles([perOperation(q, base.perOp.current), b]);
    } else {
      // A debug=2 dump against a proto or debug=1 text: both without the runtime frames a dump hides.
      const sides = comparableGoroutineSides(q, base.profile);
      q = compareProfiles(sides.current, sides.base, base.mode, base.normalize);
    }
  }
  // pprof merges before it prunes: samples that differ only in frames drop_frames removes stay
  // apart (a Go heap text's allocation sites in runtime.mallocgc), so the merge comes first.
  if (o.mergeSamples) q = driverNormalize(q);
  return removeUninteresting(q);
}

export interface ViewOptions {
  readonly filters?: FilterOptions;
  /** -prune_from: frames below the first one matching it are dropped (after the filters). */
  readonly pruneFrom?: { test(s: string): boolean };
  /** -relative_percentages: 100 % is what the filters kept, not the whole profile. */
  readonly relativePercentages?: boolean;
  /** -mean: the total is per event (values divided by sample type 0's). */
  readonly mean?: boolean;
  /**
   * -tagroot / -tagleaf label keys: their pseudo frames are added to the whole profile BEFORE the
   * filters, as pprof's driver does, so -hide/-focus/-ignore/-show_from see them and a sample whose
   * frames are all hidden stays under its label frame (which then has its flat).
   */
  readonly tagRoot?: readonly string[];
  readonly tagLeaf?: readonly string[];
  /** The unit numeric label values are printed in, in those frames (pprof's -unit; default minimum). */
  readonly tagUnit?: string;
}

/**
 * The whole profile with the -tagroot / -tagleaf pseudo frames of o (core/pprofOps addLabelNodes),
 * and whether each matched a label of some sample (pprof warns "TagRoot expression matched no
 * samples" when not; no keys match nothing); the profile itself when o has no such keys.
 * makeView calls it first; the CLI calls it itself to warn in pprof's order.
 */
export function withLabelFrames(
  whole: Profile,
  o: Pick<ViewOptions, 'tagRoot' | 'tagLeaf' | 'tagUnit'>,
): { profile: Profile; rootMatched: boolean; leafMatched: boolean } {
  const root = o.tagRoot ?? [];
  const leaf = o.tagLeaf ?? [];
  if (root.length === 0 && leaf.length === 0) return { profile: whole, rootMatched: false, leafMatched: false };
  return addLabelNodes(whole, root, leaf, o.tagUnit ?? 'minimum');
}

/** The filter options in the order pprof applies (and warns about) them. */
export const FILTER_KEYS: readonly (keyof FilterOptions)[] = [
  'focus',
  'ignore',
  'hide',
  'show',
  'showFrom',
  'tagFocus',
  'tagIgnore',
  'tagShow',
  'tagHide',
];

/** One view of a loaded profile: what the reports walk and what 100 % is. */
export interface ProfileView {
  /** The profile every report, annotation and flame tree walks: compared, pruned and filtered. */
  readonly profile: Profile;
  /** The same before the filters (with the -tagroot/-tagleaf frames of its options, if any). */
  readonly whole: Profile;
  readonly options: ViewOptions;
  /** Whether filters (or -prune_from) changed what is shown. */
  readonly filtered: boolean;
  /** "focus=main" etc., for the "Active filters:" legend. */
  readonly active: string[];
  /** The filter options given that matched no sample. */
  readonly unmatched: (keyof FilterOptions)[];
  /** Per sample type, memoised by viewTotal. */
  readonly totals: (number | undefined)[];
}

/**
 * Builds the view of a compared profile (see comparedProfile): label frames (-tagroot/-tagleaf)
 * added, then the filters applied once — pprof's order, for the CLI, the worker and the panel.
 */
export function makeView(compared: Profile, options: ViewOptions = {}): ProfileView {
  const whole = withLabelFrames(compared, options).profile;
  const filters = options.filters ?? {};
  let profile = whole;
  let active: string[] = [];
  let unmatched: (keyof FilterOptions)[] = [];
  const filtered = hasFilters(filters) || !!options.pruneFrom;
  if (filtered) {
    const f = filterProfile(whole, filters);
    active = activeFilters(filters);
    unmatched = FILTER_KEYS.filter((k) => filters[k] && !f.matched[k]);
    profile = options.pruneFrom ? pruneFrom(f.profile, options.pruneFrom) : f.profile;
  }
  return { profile, whole, options, filtered, active, unmatched, totals: [] };
}

/**
 * What 100 % is for one sample type, the one rule for every percentage: pprof's report total
 * (sum of |values|, or the base's in a -diff_base comparison; per event with -mean) of the whole
 * profile before filters, or of what the filters kept with -relative_percentages.
 */
export function viewTotal(v: ProfileView, sampleIndex: number): number {
  const hit = v.totals[sampleIndex];
  if (hit !== undefined) return hit;
  const p = v.options.relativePercentages ? v.profile : v.whole;
  const t = v.options.mean ? meanTotal(p, sampleIndex) : reportTotal(p, sampleIndex);
  v.totals[sampleIndex] = t;
  return t;
}

/** viewTotal for every sample type. */
export function viewTotals(v: ProfileView): number[] {
  return v.profile.sampleTypes.map((_, t) => viewTotal(v, t));
}
