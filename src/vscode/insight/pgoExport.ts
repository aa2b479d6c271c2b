/**
 * pprof: Export CPU Profiles as default.pgo… — picks CPU profiles (replicas, captures; several at
 * once), merges them as `go tool pprof -proto a b c > default.pgo` does (core/pgo), writes
 * default.pgo into the main package's folder (the only `package main` folder of the workspace, or
 * the one the user picks; an existing file is overwritten only when confirmed), opens it, and lists
 * in the "PGO Hot Call Sites" view the call sites the compiler will treat as hot (the heaviest call
 * edges covering 99 % of the edge weight, Go 1.21+'s rule, see core/pgo). Writing needs a trusted
 * workspace.
 */
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallSite, HotCallSites } from '../../core/pgo';
import { plainText } from '../../shared/text';
import type { Commands } from '../commands';
import { exists, readProfileFile, displayName } from '../profile/profileService';
import { age, findProfiles } from '../profile/profilePicker';
import type { Session } from '../profile/session';
import { requireTrust } from '../trust';
import { insightCore } from './lazy';

import { PGO_VIEW_ID } from './register';
const GO_EXCLUDE = '{**/vendor/**,**/testdata/**,**/node_modules/**,**/.git/**}';

export interface ExportArgs {
  /** The profiles to merge (else a pick). */
  profiles?: (vscode.Uri | string)[];
  /** The folder to write default.pgo into (else the main package's, or a pick). */
  dir?: vscode.Uri | string;
  /** Overwrite an existing default.pgo without asking (scripts and tests). */
  overwrite?: boolean;
}

/** Why the picker lists fewer profiles than the workspace has. */
export function pgoLeftOut(n: number): string {
  return `${n} other profile${n === 1 ? '' : 's'} (heap, goroutine, block…) not listed: go build -pgo reads CPU profiles only.`;
}

type Node =
  | { kind: 'info'; text: string; tooltip?: string }
  | { kind: 'cold'; edges: readonly CallSite[] }
  | { kind: 'edge'; e: CallSite; total: number; hot: boolean };

export class PgoExport implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: Node[] = [];
  /** The last export (for tests and scripts). */
  last: { file: string; profiles: string[]; hot: HotCallSites; missingStartLines: number } | undefined;

  constructor(
    private readonly session: Session,
    private readonly commands: Commands,
  ) {}

  /**
   * The workspace's CPU profiles (go build -pgo reads nothing else): others are left out of the
   * list, and the placeholder says how many and why.
   */
  private async pickProfiles(): Promise<vscode.Uri[] | undefined> {
    const core = insightCore();
    const all = (await findProfiles(this.session.captureDirectory?.())).filter(
      (f) => path.basename(f.uri.path) !== 'default.pgo',
    );
    const kinds = await Promise.all(
      all.map(async (f) => {
        try {
          return core.isPgoProfile(core.profileSampleTypes(await readProfileFile(f.uri))) ? 'cpu' : 'other';
        } catch {
          return 'unreadable';
        }
      }),
    );
    const found = all.filter((_, i) => kinds[i] === 'cpu');
    const others = kinds.filter((k) => k !== 'cpu').length;
    const left = others > 0 ? ` ${pgoLeftOut(others)}` : '';
    const current = this.session.profile?.source;
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    const items: Item[] = found.map((f) => ({
      label: displayName(f.uri),
      description: `${vscode.workspace.asRelativePath(f.uri)} · ${age(f.mtime)}`,
      uri: f.uri,
      picked: f.uri.toString() === current,
    }));
    if (items.length === 0) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        title: `pprof: no CPU profile in the workspace.${left} CPU profiles to merge into default.pgo`,
        openLabel: 'Merge Into default.pgo',
        filters: { 'Go profiles': ['pb.gz', 'pprof', 'prof', 'pb', 'gz'], 'All files': ['*'] },
      });
      return picked && picked.length > 0 ? picked : undefined;
    }
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: 'pprof: CPU profiles to merge into default.pgo (several replicas or captures)',
      placeHolder: `Pick one or more CPU profiles.${left}`,
    });
    return picked && picked.length > 0 ? picked.map((p) => p.uri!) : undefined;
  }

  /** The folders holding a non-test `package main` file, relative order. */
  private async mainPackageDirs(): Promise<vscode.Uri[]> {
    const core = insightCore();
    const dirs = new Map<string, vscode.Uri>();
    for (const u of await vscode.workspace.findFiles('**/*.go', GO_EXCLUDE, 5000)) {
      if (u.path.endsWith('_test.go')) continue;
      const dir = vscode.Uri.joinPath(u, '..');
      if (dirs.has(dir.toString())) continue;
      try {
        const text = new TextDecoder().decode((await vscode.workspace.fs.readFile(u)).subarray(0, 1 << 16));
        if (core.declaresPackageMain(text)) dirs.set(dir.toString(), dir);
      } catch {
        // unreadable: not a candidate
      }
    }
    return [...dirs.values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  private async pickDir(given?: vscode.Uri | string): Promise<vscode.Uri | undefined> {
    if (given) return typeof given === 'string' ? vscode.Uri.file(given) : given;
    const dirs = await this.mainPackageDirs();
    if (dirs.length === 1) return dirs[0];
    if (dirs.length === 0) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        title: 'pprof: no package main found in the workspace; the folder of the main package for default.pgo',
        openLabel: 'Write default.pgo Here',
      });
      return picked?.[0];
    }
    const pick = await vscode.window.showQuickPick(
      dirs.map((d) => ({ label: vscode.workspace.asRelativePath(d) || d.fsPath, dir: d })),
      {
        title: 'pprof: several main packages; write default.pgo for which one?',
        placeHolder: 'go build -pgo=auto reads default.pgo in the main package’s folder',
      },
    );
    return pick?.dir;
  }

  /** pprofLens.exportPgo. Returns the written file, or undefined when cancelled or refused. */
  async run(a: ExportArgs = {}): Promise<vscode.Uri | undefined> {
    if (!requireTrust('Writing default.pgo')) return undefined;
    try {
      const profiles =
        a.profiles?.map((p) => (typeof p === 'string' ? vscode.Uri.file(p) : p)) ?? (await this.pickProfiles());
      if (!profiles) return undefined;
      const core = insightCore();
      const decoded = [];
      for (const u of profiles) {
        try {
          decoded.push(core.parseProfile(await readProfileFile(u)));
        } catch (e) {
          throw new Error(`${displayName(u)}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const merged = core.mergeForPgo(decoded);
      const missing = core.missingStartLines(merged);
      if (missing.count > 0 && a.overwrite !== true) {
        const go = await vscode.window.showWarningMessage(
          `${missing.count} function${missing.count === 1 ? '' : 's'} in these profiles (${missing.examples.join(', ')}) have no start line: the program was built with a Go older than 1.20, and go build -pgo (Go 1.21+) refuses such a profile ("profile missing Function.start_line data"). Profile a build made with Go 1.20 or newer. Write it anyway?`,
          { modal: true },
          'Write Anyway',
        );
        if (go !== 'Write Anyway') return undefined;
      }
      const dir = await this.pickDir(a.dir);
      if (!dir) return undefined;
      const target = vscode.Uri.joinPath(dir, 'default.pgo');
      if ((await exists(target)) && a.overwrite !== true) {
        const ok = await vscode.window.showWarningMessage(
          `${vscode.workspace.asRelativePath(target)} exists. Replace it with the merge of ${profiles.length} profile${profiles.length === 1 ? '' : 's'}?`,
          { modal: true },
          'Overwrite',
        );
        if (ok !== 'Overwrite') return undefined;
      }
      await vscode.workspace.fs.writeFile(target, gzipSync(core.encodeProfile(merged)));
      const hot = core.hotCallSites(merged);
      this.last = {
        file: target.fsPath,
        profiles: profiles.map((p) => p.fsPath),
        hot,
        missingStartLines: missing.count,
      };
      this.roots = this.rows(hot);
      this.emitter.fire(undefined);
      // Opened so that the call sites' files map to the workspace (and the overlays show the merge).
      await this.commands.openWith(target);
      await vscode.commands.executeCommand(`${PGO_VIEW_ID}.focus`);
      void vscode.window.showInformationMessage(
        `pprof: wrote ${vscode.workspace.asRelativePath(target)} from ${profiles.length} profile${profiles.length === 1 ? '' : 's'}: ${hot.hotCount} hot call site${hot.hotCount === 1 ? '' : 's'} of ${hot.edges.length} call edges. go build uses it by default (-pgo=auto, Go 1.21+).`,
      );
      return target;
    } catch (e) {
      void vscode.window.showErrorMessage(
        `pprof: cannot export default.pgo: ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    }
  }

  private rows(h: HotCallSites): Node[] {
    const hot = h.edges.slice(0, h.hotCount);
    const cold = h.edges.slice(h.hotCount);
    const out: Node[] = [
      {
        kind: 'info',
        text: `${h.hotCount} hot call sites of ${h.edges.length} call edges`,
        tooltip: `The heaviest call edges (by ${h.sampleType}) whose cumulative weight first exceeds 99 % of all edge weight, as Go 1.21+'s compiler picks hot call sites from default.pgo (inlining budget 2000 instead of 80 there). The last hot edge has ${h.thresholdPercent.toFixed(2)} % of the weight.`,
      },
      ...hot.map((e): Node => ({ kind: 'edge', e, total: h.totalWeight, hot: true })),
    ];
    if (cold.length > 0) out.push({ kind: 'cold', edges: cold });
    return out;
  }

  getChildren(n?: Node): Node[] {
    if (!n) return this.roots;
    if (n.kind === 'cold') {
      const total = this.last?.hot.totalWeight ?? 1;
      return n.edges.map((e) => ({ kind: 'edge', e, total, hot: false }));
    }
    return [];
  }

  getTreeItem(n: Node): vscode.TreeItem {
    switch (n.kind) {
      case 'info': {
        const t = new vscode.TreeItem(n.text);
        if (n.tooltip) t.tooltip = n.tooltip;
        t.iconPath = new vscode.ThemeIcon('info');
        return t;
      }
      case 'cold': {
        const t = new vscode.TreeItem(`${n.edges.length} cold call edges`, vscode.TreeItemCollapsibleState.Collapsed);
        return t;
      }
      case 'edge': {
        const pct = ((n.e.weight / n.total) * 100).toFixed(1);
        const t = new vscode.TreeItem(plainText(`${pct}%  ${n.e.caller} → ${n.e.callee}`));
        t.description = plainText(`${path.posix.basename(n.e.file.replace(/\\/g, '/'))}:${n.e.line}`);
        t.tooltip = plainText(
          `${n.e.caller} calls ${n.e.callee} at ${n.e.file}:${n.e.line} (offset ${n.e.offset} from the caller's start line): weight ${n.e.weight}${n.hot ? ', hot' : ''}`,
        );
        t.iconPath = new vscode.ThemeIcon(n.hot ? 'flame' : 'circle-outline');
        if (n.e.file && n.e.line > 0)
          t.command = {
            command: 'pprofLens.insight.openFrame',
            title: 'Open Source',
            arguments: [n.e.file, n.e.line],
          };
        return t;
      }
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
