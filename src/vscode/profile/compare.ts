/**
 * Comparing the loaded profile with a base, as `go tool pprof -base` / `-diff_base` (with
 * -normalize): pprofLens.compareWith picks the base file and the mode, pprofLens.clearCompare
 * goes back to the plain profile. A new view (a base, filters) is derived by the worker that holds
 * the decoded profile (ProfileService.review, a progress notification with Cancel after 300 ms):
 * only a new base is decoded; Cancel or a failure leaves the view shown before as it was; on
 * success the session shows the new view.
 */
import * as vscode from 'vscode';
import { CancelledError, displayName, loadErrorMessage, type ProfileService } from './profileService';
import { pickProfile } from './profilePicker';
import { PROFILE_FILTERS } from '../commands';
import type { Session } from './session';
import type { CompareMode, FilterOptions } from '../../worker/protocol';

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
 * Derives a new view of the current profile (base: undefined keeps, null drops; filters: undefined
 * keeps) in the worker that holds it (ProfileService.review: nothing is decoded again but a new
 * base) and shows it, keeping the sample type. Cancel and failures leave the previous view intact,
 * in the host and in the worker (a failure is said in a message); a profile opened meanwhile wins.
 * Returns true when shown.
 */
export async function applyView(
  session: Session,
  service: ProfileService,
  args: { base?: { uri: vscode.Uri; mode: CompareMode; normalize: boolean } | null; filters?: FilterOptions },
  title: string,
): Promise<boolean> {
  const p = session.profile;
  if (!p) {
    void vscode.window.showInformationMessage('pprof: no profile is loaded. Run "pprof: Open Profile" first.');
    return false;
  }
  const kept = session.base;
  const filters = args.filters ?? p.data.view?.filters ?? {};
  let loaded;
  try {
    loaded = await service.review(p, {
      ...(args.base !== undefined ? { base: args.base } : {}),
      filters,
      title: `pprof: ${title}`,
    });
  } catch (e) {
    // Another profile was opened meanwhile (and p's worker closed): nothing to say.
    if (session.profile?.worker !== p.worker) return false;
    if (!(e instanceof CancelledError))
      void vscode.window.showErrorMessage(
        loadErrorMessage(p.name, e, `${p.name} stays open ${kept ? 'as it was' : 'without a base'}`),
      );
    return false;
  }
  const now = session.profile;
  if (now !== p) {
    // Another profile or view was shown meanwhile: this view is of the old one. The worker goes
    // back to the view shown when it still holds it.
    const id = now?.data.view?.id;
    if (now && now.worker === loaded.worker && id !== undefined)
      void now.worker.request('useView', { id }).catch(() => {});
    return false;
  }
  await session.replaceView(loaded);
  const base = args.base === null ? undefined : (args.base ?? kept);
  if (base && loaded.data.view?.compare)
    session.base = { uri: base.uri.toString(), mode: base.mode, normalize: base.normalize ?? false };
  const unmatched = loaded.data.view?.unmatched ?? [];
  if (unmatched.length > 0) {
    const f = loaded.data.view!.filters;
    void vscode.window.showWarningMessage(
      `pprof: no matches for ${unmatched.map((k) => `${k}=${f[k] ?? ''}`).join(', ')} in ${p.name}.`,
    );
  }
  return true;
}

export class CompareCommands {
  constructor(
    private readonly session: Session,
    private readonly service: ProfileService,
  ) {}

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
        baseOf: p.data,
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
      this.service,
      { base: { uri: target, ...choice } },
      `comparing ${p.name} with ${displayName(target)}`,
    );
  }

  async clearCompare(): Promise<boolean> {
    if (!this.session.view?.compare) return false;
    return applyView(this.session, this.service, { base: null }, 'showing the profile without its base');
  }
}
