/** The pprofLens.* settings, read in one place. */
import * as vscode from 'vscode';
import type { PathMapping } from '../core/paths';
import type { HeatMetric, ShowValues } from '../core/heat';

export interface LensConfig {
  show: ShowValues;
  showPercentages: boolean;
  heatMetric: HeatMetric;
  /** 'auto': the compact form (one value, no alignment) when editors stand side by side. */
  labelLayout: 'auto' | 'aligned' | 'compact';
  /** Lines whose flat and cum are both below this share of the total (in %) are not decorated. */
  minLinePercent: number;
  gutterIcons: boolean;
  overviewRuler: boolean;
  codeLensEnabled: boolean;
  /** CodeLens above functions whose cum is at least this share of the total (in %). */
  codeLensThreshold: number;
  pathMappings: PathMapping[];
  goroot: string;
  gomodcache: string;
  hotFunctionsCount: number;
  hotFunctionsSortBy: 'cum' | 'flat';
  /** Show runtime.* (and runtime/...) functions in Hot Functions. */
  hotFunctionsShowRuntime: boolean;
  /** Heap limit of the profile worker process in MB; 0: Node's default. */
  workerMaxMemoryMb: number;
}

export const SECTION = 'pprofLens';

function num(v: unknown, dflt: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : dflt;
}

export function readConfig(): LensConfig {
  const c = vscode.workspace.getConfiguration(SECTION);
  const show = c.get<string>('show');
  const mappings = c.get<unknown>('pathMappings');
  return {
    show: show === 'flat' || show === 'cum' ? show : 'both',
    showPercentages: c.get<boolean>('showPercentages') === true,
    heatMetric: ((m: unknown): HeatMetric => (m === 'flat' || m === 'cum' ? m : 'auto'))(c.get<string>('heatMetric')),
    labelLayout: ((m: unknown) => (m === 'aligned' || m === 'compact' ? m : 'auto'))(c.get<string>('labelLayout')),
    minLinePercent: num(c.get('minLinePercent'), 0, 0, 100),
    gutterIcons: c.get<boolean>('gutterIcons') !== false,
    overviewRuler: c.get<boolean>('overviewRuler') !== false,
    codeLensEnabled: c.get<boolean>('codeLens.enabled') !== false,
    codeLensThreshold: num(c.get('codeLens.threshold'), 1, 0, 100),
    pathMappings: Array.isArray(mappings)
      ? mappings.filter(
          (m): m is PathMapping =>
            typeof m === 'object' && m !== null && typeof m.from === 'string' && typeof m.to === 'string',
        )
      : [],
    goroot: c.get<string>('goroot') ?? '',
    gomodcache: c.get<string>('gomodcache') ?? '',
    hotFunctionsCount: num(c.get('hotFunctions.count'), 50, 1, 1000),
    hotFunctionsSortBy: c.get<string>('hotFunctions.sortBy') === 'flat' ? 'flat' : 'cum',
    hotFunctionsShowRuntime: c.get<boolean>('hotFunctions.showRuntime') === true,
    workerMaxMemoryMb: Math.round(num(c.get('worker.maxMemoryMB'), 0, 0, 1 << 20)),
  };
}
