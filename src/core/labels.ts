/**
 * The flame panel's Labels tab, pure: pprof's -tags report (each label key, its values and their
 * share of the key's total, the numbers `go tool pprof -tags` prints, from core/traces tagsReport)
 * with what the tab needs on top: whether a key is numeric (then its values are a histogram in the
 * order of their magnitude, in the key's unit) and, per value, the tagfocus expression that keeps
 * exactly the samples carrying it, in pprof's own syntax (the same filter state as "Set Filters…").
 */
import type { LabelKeyRow, LabelsReport, LabelValueRow } from '../shared/protocol';
import { scaledLabel } from '../shared/units';
import type { Profile } from './model';
import { numLabelUnits, tagsReport } from './traces';

export type { LabelKeyRow, LabelsReport, LabelValueRow };

/** Go's regexp.QuoteMeta, and `,` written as \x2c: pprof splits tag filter values at commas. */
export function quoteTagValue(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&').replace(/,/g, '\\x2c');
}

/** The unit suffix pprof's tag range parser reads back as the key's unit (measurement.Scale). */
function unitSuffix(unit: string): string {
  switch (unit) {
    case 'bytes':
    case 'byte':
    case 'b':
      return 'B';
    case 'nanoseconds':
    case 'nanosecond':
    case 'ns':
      return 'ns';
    default:
      return unit;
  }
}

/** The labels report for one sample type of p. */
export function labelsReport(p: Profile, o: { sampleIndex: number }): LabelsReport {
  const r = tagsReport(p, { sampleIndex: o.sampleIndex });
  const units = numLabelUnits(p);
  // For numeric keys: which raw number each formatted value came from (the smallest).
  const raw = new Map<string, Map<string, number>>();
  for (const ls of p.samples.labels) {
    for (const l of ls ?? []) {
      if (l.num === undefined || l.str !== undefined) continue;
      const unit = units.get(l.key) ?? l.key;
      const label = scaledLabel(l.num, unit, 'minimum');
      let m = raw.get(l.key);
      if (!m) raw.set(l.key, (m = new Map()));
      const cur = m.get(label);
      if (cur === undefined || l.num < cur) m.set(label, l.num);
    }
  }
  const keys = r.keys.map((k): LabelKeyRow => {
    const nums = raw.get(k.key);
    const abs = Math.abs(k.total);
    const share = (v: number) => (abs > 0 ? Math.abs(v) / abs : 0);
    if (!nums) {
      return {
        key: k.key,
        numeric: false,
        unit: '',
        total: k.total,
        values: k.values.map((v) => ({
          label: v.name,
          value: v.value,
          share: share(v.value),
          tagFocus: `${k.key}=^${quoteTagValue(v.name)}$`,
        })),
      };
    }
    const unit = units.get(k.key) ?? k.key;
    const values = k.values.map((v): LabelValueRow => {
      const num = nums.get(v.name);
      return {
        label: v.name,
        value: v.value,
        share: share(v.value),
        ...(num !== undefined ? { num } : {}),
        tagFocus: num !== undefined ? `${k.key}=${num}${unitSuffix(unit)}` : `${k.key}=${v.name}`,
      };
    });
    values.sort((a, b) => (a.num ?? 0) - (b.num ?? 0));
    return { key: k.key, numeric: true, unit, total: k.total, values };
  });
  return { sampleUnit: r.sampleUnit, keys };
}
