/**
 * Comparing the loaded profile with a base, as `go tool pprof -base` / `-diff_base` (with
 * -normalize): pprofLens.compareWith picks the base file and the mode, pprofLens.clearCompare
 * goes back to the plain profile. The decode worker that holds the current profile does the work
 * (src/worker/protocol's view op); the session then shows the new view in every overlay.
 */
import * as vscode from 'vscode';
import { LoadedProfile } from './loadedProfile';
import { displayName, readProfileFile } from './profileService';
import { pickProfile } from './profilePicker';
import { PROFILE_FILTERS } from './commands';
import type { Session } from './session';
import { WorkerRequestError } from './workerClient';
import type { CompareMode, FilterOptions } from '../worker/protocol';

export interface CompareChoice {
  mode: CompareMode;
  normalize: boolean;
}

const MODE_ITEMS: (vscode.QuickPickItem & CompareChoice)[] = [
  {
    label: 'Subtract base (-base)',
    description: 'current − base: what grew (leak hunting) or shrank',
    detail: 'Percentages are of the difference. Use this for two snapshots of the same process.',
    mode: 'base',
    normalize: false,
  },
  {
    label: 'Difference, % of base (-diff_base)',
    description: 'current − base, percentages relative to the base',
    detail: 'For before/after comparisons of different runs.',
    mode: 'diff_base',
    normalize: false,
  },
  {
    label: 'Subtract base, normalized (-base -normalize)',
    description: 'scale the current profile to the base’s total first',
    mode: 'base',
    normalize: true,
  },
  {
    label: 'Difference, normalized (-diff_base -normalize)',
    description: 'scale the current profile to the base’s total first',
    mode: 'diff_base',
    normalize: true,
  },
];

/** Asks how to compare. */
export async function pickCompareMode(baseName: string): Promise<CompareChoice | undefined> {
  const pick = await vscode.window.showQuickPick(MODE_ITEMS, {
    title: `pprof: compare with ${baseName}`,
    placeHolder: 'How to compare',
  });
  return pick ? { mode: pick.mode, normalize: pick.normalize } : undefined;
}

/**
 * Re-derives the current profile's view in its worker (base: undefined keeps, null drops;
 * filters: undefined keeps) and shows it. Failures come back as a message; the previous view stays.
 */
export async function applyView(
  session: Session,
  args: { base?: { uri: vscode.Uri; mode: CompareMode; normalize: boolean } | null; filters?: FilterOptions },
  title: string,
): Promise<boolean> {
  const p = session.profile;
  if (!p) {
    void vscode.window.showInformationMessage('pprof: no profile is loaded. Run "pprof: Open Profile" first.');
    return false;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `pprof: ${title}` },
    async (progress) => {
      let base;
      try {
        if (args.base) {
          progress.report({ message: 'reading the base profile…' });
          const bytes = await readProfileFile(args.base.uri);
          base = { bytes, name: displayName(args.base.uri), mode: args.base.mode, normalize: args.base.normalize };
        }
        const data = await p.worker.request(
          'view',
          {
            ...(args.base === null ? { base: null } : base ? { base } : {}),
            ...(args.filters ? { filters: args.filters } : {}),
          },
          { progress: (m) => progress.report({ message: m }) },
        );
        if (session.profile !== p) return false;
        const keptBase = session.base;
        await session.replaceView(new LoadedProfile(p.name, p.source, data, p.worker));
        if (args.base)
          session.base = { uri: args.base.uri.toString(), mode: args.base.mode, normalize: args.base.normalize };
        else if (args.base === undefined && data.view?.compare) session.base = keptBase;
        const unmatched = data.view?.unmatched ?? [];
        if (unmatched.length > 0) {
          const f = data.view!.filters;
          void vscode.window.showWarningMessage(
            `pprof: no matches for ${unmatched.map((k) => `${k}=${f[k] ?? ''}`).join(', ')} in ${p.name}.`,
          );
        }
        return true;
      } catch (e) {
        const msg = e instanceof WorkerRequestError ? e.message : e instanceof Error ? e.message : String(e);
        void vscode.window.showErrorMessage(`pprof: ${msg}`);
        return false;
      }
    },
  );
}

export class CompareCommands {
  constructor(private readonly session: Session) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('pprofLens.compareWith', (uri?: unknown, mode?: unknown) =>
        this.compareWith(uri, mode),
      ),
      vscode.commands.registerCommand('pprofLens.clearCompare', () => this.clearCompare()),
    ];
  }

  /**
   * Compares the current profile with a base: from the argument (a Uri or path; the explorer's
   * "Compare Current Profile With This"), else a file picker; mode "base" / "diff_base" (or
   * "base+normalize") from the argument, else a quick pick.
   */
  async compareWith(uri?: unknown, mode?: unknown): Promise<boolean> {
    const p = this.session.profile;
    if (!p) {
      void vscode.window.showInformationMessage('pprof: open a profile first, then compare it with a base profile.');
      return false;
    }
    let target = typeof uri === 'string' ? vscode.Uri.file(uri) : uri instanceof vscode.Uri ? uri : undefined;
    if (!target) {
      let defaultUri: vscode.Uri | undefined;
      try {
        defaultUri = vscode.Uri.joinPath(vscode.Uri.parse(p.source), '..');
      } catch {
        defaultUri = undefined;
      }
      const captureDir = this.session.captureDirectory?.();
      target = await pickProfile({
        title: `pprof: base profile to compare ${p.name} with`,
        openLabel: 'Compare With',
        filters: PROFILE_FILTERS,
        exclude: p.source,
        ...(defaultUri ? { defaultUri } : {}),
        ...(captureDir ? { captureDir } : {}),
      });
      if (!target) return false;
    }
    let choice: CompareChoice | undefined;
    if (typeof mode === 'string' && /^(base|diff_base)(\+normalize)?$/.test(mode)) {
      choice = { mode: mode.startsWith('diff_base') ? 'diff_base' : 'base', normalize: mode.endsWith('+normalize') };
    } else choice = await pickCompareMode(displayName(target));
    if (!choice) return false;
    return applyView(
      this.session,
      { base: { uri: target, ...choice } },
      `comparing ${p.name} with ${displayName(target)}`,
    );
  }

  async clearCompare(): Promise<boolean> {
    if (!this.session.view?.compare) return false;
    return applyView(this.session, { base: null }, 'showing the profile without its base');
  }
}
