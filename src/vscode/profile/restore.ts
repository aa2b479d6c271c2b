/**
 * Session restore: the open profile, the base it is compared with, the filters and the sample type
 * are kept in the workspace state and come back after a window reload or restart
 * (pprofLens.restoreSession turns it off). A profile that is gone by then is forgotten quietly.
 * PPROF_LENS_OPEN=<profile path> in the extension host's environment (npm start sets it for the
 * demo) opens that profile when there is nothing to restore.
 */
import * as vscode from 'vscode';
import type { Commands } from '../commands';
import { exists } from './profileService';
import type { Session } from './session';
import type { CompareMode, FilterOptions } from '../../worker/protocol';

export const STATE_KEY = 'pprofLens.session';

export interface SavedSession {
  profile: string;
  base?: { uri: string; mode: CompareMode; normalize: boolean };
  filters: FilterOptions;
  sampleType?: string;
}

/** A saved session from the workspace state, checked field by field (state is not trusted). */
export function parseSaved(v: unknown): SavedSession | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['profile'] !== 'string' || o['profile'] === '') return undefined;
  const out: SavedSession = { profile: o['profile'], filters: {} };
  const b = o['base'] as Record<string, unknown> | undefined;
  if (
    typeof b === 'object' &&
    b !== null &&
    typeof b['uri'] === 'string' &&
    (b['mode'] === 'base' || b['mode'] === 'diff_base')
  ) {
    out.base = { uri: b['uri'], mode: b['mode'], normalize: b['normalize'] === true };
  }
  const f = o['filters'];
  if (typeof f === 'object' && f !== null) {
    for (const [k, val] of Object.entries(f)) {
      if (
        typeof val === 'string' &&
        val !== '' &&
        /^(focus|ignore|hide|show|showFrom|tagFocus|tagIgnore|tagShow|tagHide)$/.test(k)
      ) {
        (out.filters as Record<string, string>)[k] = val;
      }
    }
  }
  if (typeof o['sampleType'] === 'string') out.sampleType = o['sampleType'];
  return out;
}

function enabled(): boolean {
  return vscode.workspace.getConfiguration('pprofLens').get<boolean>('restoreSession') !== false;
}

export class SessionRestore implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private restoring = false;
  /** Resolves once the restore (if any) is done. */
  readonly done: Promise<void>;

  constructor(
    private readonly state: vscode.Memento,
    private readonly session: Session,
    private readonly commands: Commands,
  ) {
    this.subs.push(
      session.onDidChange((k) => (k === 'profile' || k === 'sampleType' ? this.scheduleSave() : undefined)),
    );
    this.done = this.restore().catch(() => undefined);
  }

  private scheduleSave(): void {
    if (this.restoring) return;
    if (this.timer) clearTimeout(this.timer);
    // After the change settles: compare/filters set session.base and session.filters around it.
    this.timer = setTimeout(() => void this.save(), 250);
  }

  private async save(): Promise<void> {
    this.timer = undefined;
    if (!enabled()) return;
    const s = this.session;
    const p = s.profile;
    if (!p) {
      await this.state.update(STATE_KEY, undefined);
      return;
    }
    const saved: SavedSession = {
      profile: p.source,
      filters: { ...s.filters },
      ...(s.base ? { base: s.base } : {}),
      ...(p.data.sampleTypes[s.sampleIndex] ? { sampleType: p.data.sampleTypes[s.sampleIndex]!.type } : {}),
    };
    await this.state.update(STATE_KEY, saved);
  }

  private async restore(): Promise<void> {
    const saved = enabled() ? parseSaved(this.state.get(STATE_KEY)) : undefined;
    const env = process.env['PPROF_LENS_OPEN'];
    if (!saved) {
      if (env && !this.session.profile) await this.commands.openWith(vscode.Uri.file(env));
      return;
    }
    let uri: vscode.Uri;
    let base: vscode.Uri | undefined;
    try {
      uri = vscode.Uri.parse(saved.profile, true);
      base = saved.base ? vscode.Uri.parse(saved.base.uri, true) : undefined;
    } catch {
      await this.state.update(STATE_KEY, undefined);
      return;
    }
    if (!(await exists(uri))) {
      await this.state.update(STATE_KEY, undefined);
      return;
    }
    if (base && !(await exists(base))) base = undefined;
    this.restoring = true;
    try {
      if (this.session.profile) return;
      this.session.filters = saved.filters;
      const ok = await this.commands.openWith(
        uri,
        base && saved.base ? { base: { uri: base, mode: saved.base.mode, normalize: saved.base.normalize } } : {},
      );
      const p = this.shown();
      if (ok && p && saved.sampleType) {
        const i = p.data.sampleTypes.findIndex((t) => t.type === saved.sampleType);
        if (i >= 0) this.session.setSampleIndex(i);
      }
    } finally {
      this.restoring = false;
    }
    await this.save();
  }

  /** The session's profile now (a call, so narrowing before an await does not stick). */
  private shown(): Session['profile'] {
    return this.session.profile;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}
