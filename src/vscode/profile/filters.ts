/**
 * pprof's filters in the editor: focus, ignore, hide, show, show_from (regular expressions on
 * function and file names) and tagfocus, tagignore, tagshow, taghide (on sample labels). They
 * apply to every view of the loaded profile (overlays, CodeLens, hover, top, flame graph) and to
 * profiles opened later, with percentages still of the unfiltered total, as in pprof.
 * pprofLens.setFilters edits them (a quick pick of the filters with their values, then an input
 * box prefilled with the value and checked as you type); pprofLens.clearFilters removes one or all.
 */
import * as vscode from 'vscode';
import type { FilterOptions } from '../../core/filter';
import type * as FilterSyntax from './filterSyntax';
import { applyView } from './compare';
import type { ProfileService } from './profileService';
import type { Session } from './session';

export interface FilterInfo {
  key: keyof FilterOptions;
  /** pprof's flag name. */
  flag: string;
  description: string;
  tag: boolean;
}

export const FILTERS: readonly FilterInfo[] = [
  { key: 'focus', flag: 'focus', description: 'keep only samples whose stack has a matching function', tag: false },
  { key: 'ignore', flag: 'ignore', description: 'drop samples whose stack has a matching function', tag: false },
  { key: 'hide', flag: 'hide', description: 'remove matching functions from the stacks', tag: false },
  { key: 'show', flag: 'show', description: 'keep only matching functions in the stacks', tag: false },
  { key: 'showFrom', flag: 'show_from', description: 'drop frames above the first matching function', tag: false },
  {
    key: 'tagFocus',
    flag: 'tagfocus',
    description: 'keep samples with a matching label (key=regexp, or a numeric range like 1mb:)',
    tag: true,
  },
  { key: 'tagIgnore', flag: 'tagignore', description: 'drop samples with a matching label', tag: true },
  { key: 'tagShow', flag: 'tagshow', description: 'show only matching label keys', tag: true },
  { key: 'tagHide', flag: 'taghide', description: 'hide matching label keys', tag: true },
];

/** Why a filter value is invalid, or undefined. */
export function validateFilter(info: FilterInfo, value: string): string | undefined {
  if (value === '') return undefined;
  try {
    // Required here, not imported: re2js loads when a filter is first checked, not on activation.
    const { compileTagFilter, compileGoRegexp } = require('./filterSyntax') as typeof FilterSyntax;
    if (info.tag && (info.key === 'tagFocus' || info.key === 'tagIgnore')) compileTagFilter(value, info.flag);
    else compileGoRegexp(value, info.flag);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function isFilterKey(k: unknown): k is keyof FilterOptions {
  return FILTERS.some((f) => f.key === k);
}

export class FilterCommands {
  constructor(
    private readonly session: Session,
    private readonly service: ProfileService,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('pprofLens.setFilters', (arg?: unknown) => this.setFilters(arg)),
      vscode.commands.registerCommand('pprofLens.clearFilters', (key?: unknown) => this.clearFilters(key)),
    ];
  }

  /** Applies new filters to the session and, when a profile is loaded, to it. */
  private async apply(filters: FilterOptions): Promise<boolean> {
    const clean: FilterOptions = {};
    for (const f of FILTERS) if (filters[f.key]) clean[f.key] = filters[f.key]!;
    const previous = this.session.filters;
    this.session.filters = clean;
    if (!this.session.profile) return true;
    const ok = await applyView(this.session, this.service, { filters: clean }, 'applying filters');
    if (!ok) this.session.filters = previous;
    return ok;
  }

  /**
   * With an object argument ({focus: "main\\.", …}), sets exactly those filters. Otherwise asks:
   * which filter to edit (values shown), then its value.
   */
  async setFilters(arg?: unknown): Promise<boolean> {
    if (typeof arg === 'object' && arg !== null) {
      const next: FilterOptions = {};
      for (const [k, v] of Object.entries(arg)) {
        if (!isFilterKey(k) || typeof v !== 'string') continue;
        const problem = validateFilter(
          FILTERS.find((f) => f.key === k)!,
          v,
        );
        if (problem) {
          void vscode.window.showErrorMessage(`pprof: ${k}: ${problem}`);
          return false;
        }
        next[k] = v;
      }
      return this.apply(next);
    }
    const current = this.session.filters;
    type Item = vscode.QuickPickItem & { info?: FilterInfo; clear?: boolean };
    const items: Item[] = FILTERS.map((info) => ({
      label: `${current[info.key] ? '$(filter-filled)' : '$(filter)'} ${info.flag}`,
      description: current[info.key] ? `= ${current[info.key]}` : '',
      detail: info.description,
      info,
    }));
    if (Object.values(current).some((v) => v)) items.push({ label: '$(clear-all) Clear all filters', clear: true });
    const pick = await vscode.window.showQuickPick(items, {
      title: 'pprof: filters (like go tool pprof -focus, -ignore, …)',
      placeHolder: 'Filter to set or change',
      matchOnDetail: true,
    });
    if (!pick) return false;
    if (pick.clear) return this.clearFilters();
    const info = pick.info!;
    const value = await vscode.window.showInputBox({
      title: `pprof: ${info.flag}`,
      prompt: `${info.description}. Go regular expression${info.tag ? ' (key=value1,value2 or a range like 64kb:)' : ''}; empty removes the filter.`,
      value: current[info.key] ?? '',
      validateInput: (v) => validateFilter(info, v.trim()),
    });
    if (value === undefined) return false;
    return this.apply({ ...current, [info.key]: value.trim() });
  }

  /** Removes one filter (a key, e.g. from its status bar item) or all. */
  async clearFilters(key?: unknown): Promise<boolean> {
    const current = this.session.filters;
    if (isFilterKey(key)) {
      if (!current[key]) return false;
      const next = { ...current };
      delete next[key];
      return this.apply(next);
    }
    if (!Object.values(current).some((v) => v)) return false;
    return this.apply({});
  }
}
