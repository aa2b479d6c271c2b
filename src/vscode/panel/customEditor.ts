/**
 * Opening a .pb.gz / .pprof / .prof file: a read-only editor that loads the profile as the
 * current one and shows a summary (sample types and totals, top functions, unresolved source
 * files) with a button to show the overlays. Plain HTML, strict CSP with a nonce; every text from
 * the profile is escaped.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { type FromSummary, parseFromSummary } from '../../shared/protocol';
import { plainText } from '../../shared/text';
import { percentage, scaledLabel, shortLabel } from '../../shared/units';
import type { Commands } from '../commands';
import type { Session } from '../profile/session';
import { escapeHtml, notFoundSection, summaryPageHtml } from './summaryHtml';

export const VIEW_TYPE = 'pprofLens.profileSummary';

/** What each summary message runs (a Record over the union: a new message without a command does not compile). */
const SUMMARY_COMMANDS: Record<FromSummary['type'], string> = {
  showOverlays: 'pprofLens.showOverlays',
  switchSampleType: 'pprofLens.switchSampleType',
  showUnresolved: 'pprofLens.showUnresolvedFiles',
};

export class ProfileSummaryEditor implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly session: Session,
    private readonly commands: Commands,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => {} };
  }

  async resolveCustomEditor(doc: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    panel.webview.html = this.page(panel.webview, '<p>Loading the profile…</p>');
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const m = parseFromSummary(raw);
      if (m) void vscode.commands.executeCommand(SUMMARY_COMMANDS[m.type]);
    });
    // After a reload the restored session may already show this profile (with its base and filters).
    await this.session.restored;
    const ok = this.session.profile?.source === doc.uri.toString() || (await this.commands.openProfile(doc.uri));
    const p = this.session.profile;
    if (!ok || !p || p.source !== doc.uri.toString()) {
      const why =
        this.commands.lastLoadError?.uri === doc.uri.toString() ? this.commands.lastLoadError.message : undefined;
      panel.webview.html = this.page(
        panel.webview,
        `<p>This profile could not be opened.</p>${why ? `<p class="error">${escapeHtml(why)}</p>` : ''}`,
      );
      return;
    }
    this.followFocus(doc, panel);
    try {
      await this.summary(panel, p);
    } catch (e) {
      // Never VS Code's "unexpected error": the page says what went wrong.
      panel.webview.html = this.page(
        panel.webview,
        `<p>This profile could not be summarized: ${escapeHtml(e instanceof Error ? e.message : String(e))}</p>`,
      );
    }
  }

  /**
   * Coming back to this summary tab makes its profile the current one again (status bar,
   * overlays, panel), as switching editor tabs does for files.
   */
  private followFocus(doc: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    let loading = false;
    const sub = panel.onDidChangeViewState(async () => {
      if (!panel.active || loading || this.session.profile?.source === doc.uri.toString()) return;
      loading = true;
      try {
        if (!(await this.commands.openProfile(doc.uri))) return;
        const p = this.session.profile;
        if (p && p.source === doc.uri.toString()) await this.summary(panel, p);
      } catch {
        // the load's own message said what went wrong
      } finally {
        loading = false;
      }
    });
    panel.onDidDispose(() => sub.dispose());
  }

  private async summary(panel: vscode.WebviewPanel, p: NonNullable<Session['profile']>): Promise<void> {
    await this.session.whenSourcesReady();
    const render = async () => {
      if (this.session.profile !== p) return;
      panel.webview.html = this.page(panel.webview, await this.body(p));
    };
    await render();
    // The top table follows the sample type (and the sources found), like every other view.
    const sub = this.session.onDidChange((k) => {
      if (k === 'sampleType' || k === 'sources') void render();
      // Another profile became current: this page's listener ends (a refocus starts a new one).
      else if (k === 'profile' && this.session.profile !== p) sub.dispose();
    });
    panel.onDidDispose(() => sub.dispose());
  }

  private async body(p: NonNullable<Session['profile']>): Promise<string> {
    const t0 = this.session.sampleIndex;
    let top: { name: string; flat: number; cum: number }[] = [];
    try {
      top = (await p.worker.request('top', { sampleIndex: t0, limit: 15 })).rows;
    } catch {
      top = [];
    }
    const e = (s: string) => escapeHtml(plainText(s));
    const d = p.data;
    const s = d.summary;
    const st = d.sampleTypes[t0]!;
    const total = p.total(t0);
    const rows = d.sampleTypes
      .map(
        (t, i) =>
          `<tr><td>${e(t.type)}${i === d.defaultIndex ? ' <em>(default)</em>' : ''}${i === t0 ? ' <strong>(shown)</strong>' : ''}</td><td>${e(t.unit)}</td><td class="n">${e(shortLabel(p.total(i), t.unit))}</td></tr>`,
      )
      .join('');
    const topRows = top
      .map(
        (r) =>
          `<tr><td class="n">${e(shortLabel(r.flat, st.unit))}</td><td class="n">${e(percentage(r.flat, total))}</td><td class="n">${e(shortLabel(r.cum, st.unit))}</td><td class="n">${e(percentage(r.cum, total))}</td><td>${e(r.name)}</td></tr>`,
      )
      .join('');
    const facts = [
      s.mainBinary ? `Binary: ${s.mainBinary}` : '',
      ...s.comments,
      s.durationNanos ? `Duration: ${scaledLabel(s.durationNanos, 'nanoseconds', 'auto')}` : '',
      `${s.sampleCount} samples, ${s.locationCount} locations, ${s.functionCount} functions, ${d.files.length} source files`,
      `Read in ${Math.round(s.decodeMs + s.annotateMs)} ms`,
    ].filter((x) => x !== '');
    return `
<h1>${e(p.name)}</h1>
<ul class="facts">${facts.map((f) => `<li>${e(f)}</li>`).join('')}</ul>
<p><button id="show">Show overlays in the source</button> <button id="switch" class="secondary">Switch sample type</button></p>
<h2>Sample types</h2>
<table><tr><th>type</th><th>unit</th><th>total</th></tr>${rows}</table>
<h2 id="top-title">Top functions (${e(st.type)})</h2>
<table><tr><th>flat</th><th>flat%</th><th>cum</th><th>cum%</th><th>function</th></tr>${topRows}</table>
${notFoundSection(this.session.sourceMap?.resolutions ?? [])}`;
  }

  private page(webview: vscode.Webview, body: string): string {
    return summaryPageHtml(webview.cspSource, randomBytes(16).toString('base64'), body);
  }
}
