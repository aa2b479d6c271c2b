/**
 * Readers of `go tool pprof` text reports, field by field, for the panel's goldens
 * (test/fixtures/golden-panel): -top rows, -peek / -tree entries. Values stay as pprof printed
 * them; `same()` formats a number of ours in the golden's own unit to compare exactly.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { percentage, scaledLabel } from '../../../src/shared/units';
import { repoRoot } from './shared';

export interface TopLine {
  flat: string;
  flatPct: string;
  cum: string;
  cumPct: string;
  name: string;
}
export interface EdgeLine {
  weight: string;
  pct: string;
  name: string;
  inline: boolean;
}
export interface PeekBlock {
  name: string;
  flat: string;
  flatPct: string;
  cum: string;
  cumPct: string;
  callers: EdgeLine[];
  callees: EdgeLine[];
}

export const panelGolden = (profile: string, file: string): string =>
  readFileSync(path.join(repoRoot(), 'test/fixtures/golden-panel', profile, file), 'utf8');

/** The golden's commands.tsv: output file → its argv after `go tool pprof`. */
export function panelCommands(profile: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of panelGolden(profile, 'commands.tsv').split('\n').filter(Boolean)) {
    const [file, cmd] = line.split('\t') as [string, string];
    out.set(
      file,
      [...cmd.matchAll(/'([^']*)'/g)].map((m) => m[1]!),
    );
  }
  return out;
}

export function parseTop(text: string): TopLine[] {
  const rows: TopLine[] = [];
  let on = false;
  for (const line of text.split('\n')) {
    if (/^\s+flat\s+flat%/.test(line)) {
      on = true;
      continue;
    }
    if (!on || line.trim() === '') continue;
    const m = /^\s*(\S+)\s+(\S+)\s+\S+\s+(\S+)\s+(\S+)\s\s(.*)$/.exec(line);
    if (m)
      rows.push({ flat: m[1]!, flatPct: m[2]!, cum: m[3]!, cumPct: m[4]!, name: m[5]!.replace(/ \(inline\)$/, '') });
  }
  return rows;
}

/** -peek and -tree: one block per function, between the separator lines. */
export function parsePeek(text: string): PeekBlock[] {
  const blocks: PeekBlock[] = [];
  const lines = text.split('\n');
  let i = lines.findIndex((l) => l.includes('calls calls% + context'));
  let cur: Partial<PeekBlock> & { callers: EdgeLine[]; callees: EdgeLine[] } = { callers: [], callees: [] };
  for (i++; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('-----')) {
      if (cur.name !== undefined) blocks.push(cur as PeekBlock);
      cur = { callers: [], callees: [] };
      continue;
    }
    const bar = l.indexOf('|');
    if (bar < 0) continue;
    const left = l.slice(0, bar).trim().split(/\s+/);
    const right = l.slice(bar + 1);
    if (left.length === 5) {
      Object.assign(cur, { flat: left[0], flatPct: left[1], cum: left[3], cumPct: left[4], name: right.trim() });
    } else if (left.length === 2) {
      const name = right.trim();
      const e: EdgeLine = {
        weight: left[0]!,
        pct: left[1]!,
        name: name.replace(/ \(inline\)$/, ''),
        inline: name.endsWith(' (inline)'),
      };
      (cur.name === undefined ? cur.callers : cur.callees).push(e);
    }
  }
  return blocks;
}

/** Our value in the unit pprof printed `golden` in ("480ms", "3909.25kB", "10", "0"). */
export function same(ours: number, golden: string, sampleUnit: string): string {
  if (golden === '0') return ours === 0 ? '0' : String(ours);
  const unit = /[a-zA-Z]+$/.exec(golden)?.[0] ?? sampleUnit;
  return scaledLabel(ours, sampleUnit, unit);
}

/** Our share in pprof's percentage format, trimmed as the parsers leave it. */
export const pct = (v: number, total: number): string => percentage(v, total).trim();
