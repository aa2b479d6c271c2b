/** The pprof commands. Every failure ends in a message to the user, never an exception in the host. */
import { iconSafe, plainText } from '../shared/text';
import * as vscode from 'vscode';
import { percentage, shortLabel } from '../shared/units';
import { isGeneratedByGo, mappingTargetSetting, METHOD_LABEL, noticeActions, resolutionNotice } from '../core/paths';
import { SECTION } from './config';
import { describeCost, hotFunctions, hotFunctionsByCum, isInWorkspace } from './editor/hotFunctionsView';
import { overlayTarget } from '../core/overlayTarget';
import {
  CancelledError,
  displayName,
  loadErrorMessage,
  type LoadOptions,
  type ProfileService,
} from './profile/profileService';
import { pickProfile } from './profile/profilePicker';
import type { Session } from './profile/session';
import { workspaceFolders } from './profile/sourceMap';
import type { CallEdge } from '../worker/protocol';

export const PROFILE_FILTERS = {
  'Go profiles': ['pb.gz', 'pprof', 'prof', 'pb', 'gz'],
  'Text profiles and goroutine dumps': ['txt'],
  'All files': ['*'],
};

export class Commands {
  private readonly output: vscode.OutputChannel;

  constructor(
    private readonly session: Session,
    private readonly service: ProfileService,
  ) {
    this.output = vscode.window.createOutputChannel('pprof-lens');
  }

  register(): vscode.Disposable[] {
    const r = (id: string, fn: (...args: never[]) => unknown) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await (fn as (...a: unknown[]) => unknown).apply(this, args);
        } catch (e) {
          void vscode.window.showErrorMessage(`pprof: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        }
      });
    return [
      this.output,
      r('pprofLens.openProfile', this.openProfile),
      r('pprofLens.switchSampleType', this.switchSampleType),
      r('pprofLens.toggleOverlays', this.toggleOverlays),
      r('pprofLens.clearProfile', this.clearProfile),
      r('pprofLens.showHotFunctions', this.showHotFunctions),
      r('pprofLens.showCallers', this.showCallers),
      r('pprofLens.showUnresolvedFiles', this.showUnresolvedFiles),
      r('pprofLens.showStaleOverlays', this.showStaleOverlays),
      r('pprofLens.showOverlays', this.showOverlays),
      r('pprofLens.openLocation', this.openLocation),
    ];
  }

  /** Why the last load failed (the summary editor shows it in its page). */
  lastLoadError: { uri: string; message: string } | undefined;

  /** Opens a profile (from the argument, the explorer, or a file picker). Returns true when loaded. */
  async openProfile(uri?: vscode.Uri | string): Promise<boolean> {
    return this.openWith(uri);
  }

  /** Opens a profile, compared with a base when given; the session's filters apply. */
  async openWith(uri?: vscode.Uri | string, opts: Omit<LoadOptions, 'filters'> = {}): Promise<boolean> {
    let target = typeof uri === 'string' ? vscode.Uri.file(uri) : uri;
    if (!(target instanceof vscode.Uri)) {
      const captureDir = this.session.captureDirectory?.();
      target = await pickProfile({
        title: 'pprof: open a profile',
        openLabel: 'Open Profile',
        filters: PROFILE_FILTERS,
        ...(captureDir ? { captureDir } : {}),
      });
      if (!target) return false;
    }
    const name = displayName(target);
    let loaded;
    try {
      loaded = await this.service.load(target, { ...opts, filters: this.session.filters });
    } catch (e) {
      if (e instanceof CancelledError) return false;
      this.lastLoadError = { uri: target.toString(), message: loadErrorMessage(name, e) };
      void vscode.window.showErrorMessage(this.lastLoadError.message);
      return false;
    }
    await this.session.setProfile(loaded);
    // Per-operation comparisons (benchmark A/B) are not restored after a reload: their scale lives in the run.
    if (opts.base && !opts.base.perOp && loaded.data.view?.compare)
      this.session.base = { uri: opts.base.uri.toString(), mode: opts.base.mode, normalize: !!opts.base.normalize };
    const unmatched = loaded.data.view?.unmatched ?? [];
    if (unmatched.length > 0) {
      void vscode.window.showWarningMessage(
        `pprof: no matches for ${unmatched.map((k) => `${k}=${this.session.filters[k] ?? ''}`).join(', ')} in ${name}.`,
      );
    }
    this.noticeResolution(name);
    return true;
  }

  /** Says when the user's own code was not found, offering the computed mapping in one click. */
  private noticeResolution(name: string): boolean {
    const map = this.session.sourceMap;
    if (!map) return false;
    const folders = workspaceFolders();
    for (const m of map.badMappings) {
      void vscode.window.showWarningMessage(
        plainText(
          `pprof: the path mapping "${m.from}" → "${m.to}" uses a variable that cannot be expanded in this window; it is ignored.`,
        ),
      );
    }
    const n = resolutionNotice(name, map.resolutions, map.user, (dir) => {
      const t = mappingTargetSetting(dir, folders);
      return folders.length === 1 && t === '${workspaceFolder}'
        ? `this folder (${folders[0]!.name})`
        : t.replace('${workspaceFolder}', folders[0]?.name ?? '');
    });
    if (!n) return false;
    const actions = noticeActions(n);
    // Paths and names from the profile are text: no bidi controls, no Markdown link syntax in a notification.
    const text = plainText(n.text).replace(/\]\(/g, ']\u200b(');
    const shown =
      n.severity === 'warning'
        ? vscode.window.showWarningMessage(text, ...actions)
        : vscode.window.showInformationMessage(text, ...actions);
    void shown.then((choice) => {
      if (choice === 'Map' && n.offer) void this.addMapping(n.offer.from, n.offer.to);
      else if (choice === 'Show Unresolved') void this.showUnresolvedFiles();
      else if (choice === 'Path Mappings…')
        void vscode.commands.executeCommand('workbench.action.openSettings', 'pprofLens.pathMappings');
    });
    return true;
  }

  /** Appends {from, to} (to written as ${workspaceFolder}…) to the workspace's pprofLens.pathMappings. */
  async addMapping(from: string, to: string): Promise<void> {
    const cfg = vscode.workspace.getConfiguration(SECTION);
    const cur = cfg.inspect<unknown[]>('pathMappings')?.workspaceValue;
    const entry = { from, to: mappingTargetSetting(to, workspaceFolders()) };
    const next = [...(Array.isArray(cur) ? cur : []).filter((m) => JSON.stringify(m) !== JSON.stringify(entry)), entry];
    const target = vscode.workspace.workspaceFolders
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await cfg.update('pathMappings', next, target);
    this.session.reloadConfig();
    await this.session.remap();
    const map = this.session.sourceMap;
    const mapped = map ? map.resolutions.filter((r) => r.method === 'mapping').length : 0;
    void vscode.window.showInformationMessage(
      `pprof: mapped ${from} → ${entry.to} (pprofLens.pathMappings); ${mapped} source file${mapped === 1 ? '' : 's'} found through it.`,
    );
  }

  /** Switches the sample type: by index or name when given, else through a picker. */
  async switchSampleType(which?: number | string): Promise<void> {
    const p = this.session.profile;
    if (!p) {
      void vscode.window.showInformationMessage('pprof: no profile is loaded. Run "pprof: Open Profile" first.');
      return;
    }
    const types = p.data.sampleTypes;
    if (typeof which === 'number' || typeof which === 'string') {
      const i = typeof which === 'number' ? which : types.findIndex((t) => t.type === which);
      if (i < 0 || i >= types.length)
        throw new Error(`no sample type ${String(which)} in ${p.name} (it has ${types.map((t) => t.type).join(', ')})`);
      this.session.setSampleIndex(i);
      return;
    }
    const items = types.map((t, i) => ({
      label: iconSafe(t.type),
      description: iconSafe(`${t.unit} · total ${shortLabel(p.total(i), t.unit)}`),
      ...(i === this.session.sampleIndex ? { detail: 'current' } : {}),
      index: i,
    }));
    const pick = await vscode.window.showQuickPick(items, {
      title: `pprof: sample type of ${plainText(p.name)}`,
      placeHolder: 'Sample type to show',
    });
    if (pick) this.session.setSampleIndex(pick.index);
  }

  toggleOverlays(): void {
    this.session.setOverlaysVisible(!this.session.overlaysVisible);
  }

  clearProfile(): void {
    this.session.clear();
  }

  async showHotFunctions(): Promise<void> {
    const s = this.session;
    if (!s.profile) {
      void vscode.window.showInformationMessage('pprof: no profile is loaded. Run "pprof: Open Profile" first.');
      return;
    }
    await s.whenSourcesReady();
    const st = s.profile.data.sampleTypes[s.sampleIndex]!;
    const items = hotFunctions(s, s.config.hotFunctionsCount).map((h) => ({
      label: iconSafe(`${h.name}${h.inlineLabel}`),
      description: iconSafe(describeCost(s, h.flat, h.cum)),
      detail: iconSafe(
        h.location ? vscode.workspace.asRelativePath(h.location.path) : `source not found: ${h.profileFile}`,
      ),
      h,
    }));
    const pick = await vscode.window.showQuickPick(items, {
      title: `pprof: hot functions (${plainText(st.type)})`,
      matchOnDetail: true,
    });
    if (pick?.h.location) await this.openLocation(pick.h.location.path, pick.h.location.line);
  }

  async showCallers(func?: string): Promise<void> {
    const s = this.session;
    const p = s.profile;
    if (!p || typeof func !== 'string') return;
    const t = s.sampleIndex;
    const st = p.data.sampleTypes[t]!;
    const peek = await p.worker.request('peek', { sampleIndex: t, func });
    const total = p.total(t);
    const fmt = (e: CallEdge) =>
      `${shortLabel(e.weight, st.unit)} (${percentage(e.weight, peek.cum).trim()} of its cum)`;
    type Item = vscode.QuickPickItem & { target?: string; flame?: boolean };
    const items: Item[] = [];
    if (s.flameGraph) items.push({ label: '$(flame) Open the flame graph at this function', flame: true });
    items.push({ label: 'Callers', kind: vscode.QuickPickItemKind.Separator });
    if (peek.callers.length === 0) items.push({ label: '(none: a root of the call stacks)' });
    for (const e of peek.callers)
      items.push({ label: `$(arrow-up) ${iconSafe(e.name)}`, description: iconSafe(fmt(e)), target: e.name });
    items.push({ label: 'Callees', kind: vscode.QuickPickItemKind.Separator });
    if (peek.callees.length === 0) items.push({ label: '(none: a leaf)' });
    for (const e of peek.callees)
      items.push({ label: `$(arrow-down) ${iconSafe(e.name)}`, description: iconSafe(fmt(e)), target: e.name });
    const pick = await vscode.window.showQuickPick(items, {
      title: `pprof: ${plainText(func)} — ${plainText(st.type)} flat ${shortLabel(peek.flat, st.unit)} (${percentage(peek.flat, total).trim()}), cum ${shortLabel(peek.cum, st.unit)} (${percentage(peek.cum, total).trim()})`,
      matchOnDescription: true,
    });
    if (!pick) return;
    if (pick.flame) s.flameGraph?.(func);
    else if (pick.target) await this.openFunction(pick.target);
  }

  /** Opens the source of a function of the profile, when it was found locally. */
  private async openFunction(name: string): Promise<void> {
    const s = this.session;
    const p = s.profile;
    if (!p) return;
    await s.whenSourcesReady();
    const f = p.allFunctions().find((x) => x.name === name && s.sourceMap?.resolutions[x.file]?.localPath);
    if (!f) {
      void vscode.window.showInformationMessage(`pprof: the source of ${name} was not found locally.`);
      return;
    }
    await this.openLocation(s.sourceMap!.resolutions[f.file]!.localPath!, f.startLine);
  }

  /** Opens a local file at a line; from the flame graph panel, in the first editor group and keeping focus. */
  async openLocation(path: string, line: number, fromPanel?: boolean): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const pos = new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0);
    await vscode.window.showTextDocument(doc, {
      selection: new vscode.Range(pos, pos),
      preview: false,
      ...(fromPanel === true ? { viewColumn: vscode.ViewColumn.One, preserveFocus: true } : {}),
    });
  }

  async showUnresolvedFiles(): Promise<void> {
    const s = this.session;
    await s.whenSourcesReady();
    const map = s.sourceMap;
    if (!s.profile || !map) return;
    const o = this.output;
    o.clear();
    o.appendLine(
      `pprof: ${s.profile.name}: ${map.unresolved.length} of ${map.resolutions.filter((r) => !isGeneratedByGo(r.profilePath)).length} source files not found locally.`,
    );
    o.appendLine(
      `Your code: ${map.user.user} source files, ${map.user.found} found by path, ${map.user.byNameOnly} by file name only.`,
    );
    o.appendLine(
      'Add "pprofLens.pathMappings" entries ({"from": <prefix in the profile>, "to": <local directory>}) to map them.',
    );
    if (map.user.suggestion)
      o.appendLine(
        `Suggested: {"from": ${JSON.stringify(map.user.suggestion.from)}, "to": ${JSON.stringify(mappingTargetSetting(map.user.suggestion.to, workspaceFolders()))}}`,
      );
    o.appendLine('');
    for (const r of map.unresolved) o.appendLine(`${r.profilePath}    (${r.reason ?? 'not found'})`);
    if (map.byNameOnly.length > 0) {
      o.appendLine('');
      o.appendLine('Matched by file name only (low confidence: check them, or add a mapping):');
      for (const r of map.byNameOnly) o.appendLine(`${r.profilePath} -> ${r.localPath}    (low confidence)`);
    }
    o.appendLine('');
    o.appendLine('Resolved:');
    for (const r of map.resolutions) {
      if (r.localPath && r.method !== 'basename')
        o.appendLine(
          `${r.profilePath} -> ${r.localPath}    (${r.method ? METHOD_LABEL[r.method] : ''}${r.via ? `: ${r.via.from} -> ${r.via.to}` : ''})`,
        );
    }
    o.show(true);
  }

  showStaleOverlays(uri?: vscode.Uri): void {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (target) this.session.forceShowStale(target);
  }

  /** Shows overlays and opens the hottest function whose source was found. */
  async showOverlays(): Promise<void> {
    const s = this.session;
    if (!s.profile) return;
    s.setOverlaysVisible(true);
    await s.whenSourcesReady();
    // The user's hottest file first (by cum), never the runtime's or the standard library's while
    // the user's code was not found: then the same notice (and Map) as Open Profile.
    const p = s.profile;
    const t = overlayTarget(hotFunctionsByCum(s), isInWorkspace, s.sourceMap?.user);
    if (t.open?.location) {
      await this.openLocation(t.open.location.path, t.open.location.line);
      // Opened by a base-name match only: say so, with the computed mapping.
      if (t.notice && p) this.noticeResolution(p.name);
    } else if (!t.notice || !p || !this.noticeResolution(p.name))
      void vscode.window.showInformationMessage(
        'pprof: none of the profile’s source files was found locally. See "pprof: Show Unresolved Source Files".',
      );
  }
}
