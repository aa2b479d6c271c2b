/**
 * The "Goroutines" view (pprof activity bar container): the goroutines of the loaded goroutine
 * profile grouped by stack and state, heaviest first, with their longest wait and the `go`
 * statement that created them; when the profile is compared with a base (Compare With Previous
 * Snapshot, Compare With Base Profile…, Goroutines: Compare Two Snapshots…), the stacks whose count
 * grew, most growth first, each at the line where it blocks. Clicking a group or frame opens its
 * source line through the session's path mapping.
 *
 * The grouping and comparison are core/goroutines (loaded lazily, with the decoder); this file
 * only reads the two files the session shows and places the rows.
 */
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { plainText } from '../../shared/text';
import {
  isGoroutineSnapshot,
  type GoroutineComparison,
  type GoroutineGroup,
  type GoroutineSnapshot,
} from '../../core/goroutines';
import { frameLabel, signed, waitLabel, type GoFrame } from '../../core/goroutineLabels';
import type { Commands } from '../commands';
import { PROFILE_FILTERS } from '../commands';
import { displayName, readProfileFile } from '../profile/profileService';
import { findProfiles, pickProfile, type FoundProfile } from '../profile/profilePicker';
import type { Session } from '../profile/session';

import { GOROUTINES_VIEW_ID as VIEW_ID } from './register';
const GOROUTINE_TYPES = new Set(['goroutine', 'goroutineleak']);

type Node =
  | { kind: 'info'; text: string; tooltip?: string }
  | { kind: 'section'; text: string; rows: Node[]; description?: string }
  | { kind: 'group'; g: GoroutineGroup; growth?: { before: number; after: number; delta: number } }
  | { kind: 'frame'; f: GoFrame; prefix?: string; tooltip?: string }
  | { kind: 'ids'; ids: readonly number[]; count: number };

export interface GoroutinesState {
  readonly profile: string;
  readonly base?: string;
  readonly snapshot?: GoroutineSnapshot;
  readonly comparison?: GoroutineComparison;
  readonly error?: string;
}

export class GoroutinesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: Node[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** What the view shows (for tests and the description). */
  state: GoroutinesState | undefined;
  private readonly subs: vscode.Disposable[] = [];

  /** `view` is the tree view (created at activation by register.ts) whose description and message this sets. */
  constructor(
    private readonly session: Session,
    private readonly commands: Commands,
    private readonly view: vscode.TreeView<unknown> | undefined,
  ) {
    this.subs.push(session.onDidChange((k) => (k === 'profile' || k === 'sources' ? this.schedule() : undefined)));
    this.schedule();
  }

  schedule(): void {
    // The session sets its base right after it announces the compared profile: read both then.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 100);
  }

  /** Reads the session's profile (and base) again and rebuilds the rows. */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    const gen = ++this.generation;
    const p = this.session.profile;
    let state: GoroutinesState | undefined;
    if (p && GOROUTINE_TYPES.has(p.data.sampleTypes[0]?.type ?? '')) {
      const compared = p.data.view?.compare !== undefined;
      const baseUri = compared && this.session.base?.mode ? this.session.base.uri : undefined;
      try {
        // Grouped in the profile's worker: a 100,000-goroutine dump takes a second or two to read.
        const bytes = await readProfileFile(vscode.Uri.parse(p.source));
        const base = baseUri ? await readProfileFile(vscode.Uri.parse(baseUri)) : undefined;
        const r = await p.worker.request('goroutines', { bytes, ...(base ? { base } : {}) });
        state = {
          profile: p.name,
          ...(baseUri ? { base: displayName(vscode.Uri.parse(baseUri)) } : {}),
          snapshot: r.snapshot,
          ...(r.comparison ? { comparison: r.comparison } : {}),
        };
      } catch (e) {
        state = { profile: p.name, error: e instanceof Error ? e.message : String(e) };
      }
    }
    if (gen !== this.generation) return;
    this.state = state;
    this.roots = state ? this.rows(state) : [];
    if (this.view) {
      this.view.description = state ? plainText(state.base ? `${state.profile} − ${state.base}` : state.profile) : '';
      this.view.message = state
        ? undefined
        : p
          ? `${plainText(p.name)} is not a goroutine profile. Open one (/debug/pprof/goroutine, ?debug=1 or ?debug=2) or compare two snapshots.`
          : undefined;
    }
    this.emitter.fire(undefined);
  }

  private rows(s: GoroutinesState): Node[] {
    if (s.error) return [{ kind: 'info', text: `Cannot read the goroutines: ${s.error}` }];
    const snap = s.snapshot!;
    const formatNote =
      snap.format === 'dump'
        ? ''
        : ' (no states, waits or "created by" in this format: capture a "goroutine dump (debug=2)" for them)';
    if (s.comparison) {
      const c = s.comparison;
      const grew = c.grown.reduce((n, g) => n + g.delta, 0);
      const out: Node[] = [
        {
          kind: 'info',
          text: `${c.totalBefore} → ${c.totalAfter} goroutines (${signed(c.totalAfter - c.totalBefore)}); ${c.grown.length} stack${c.grown.length === 1 ? '' : 's'} grew by ${grew}`,
          tooltip: `${s.base} → ${s.profile}${c.byState ? ', compared by stack and state' : ', compared by stack'}${formatNote}`,
        },
      ];
      for (const g of c.grown) out.push({ kind: 'group', g: g.group, growth: g });
      if (c.shrunk.length > 0)
        out.push({
          kind: 'section',
          text: 'Shrank or gone',
          description: `${c.shrunk.length}`,
          rows: c.shrunk.map((g) => ({ kind: 'group', g: g.group, growth: g })),
        });
      return out;
    }
    return [
      {
        kind: 'info',
        text: `${snap.total} goroutines in ${snap.groups.length} stacks${snap.kind === 'goroutineleak' ? ' (leaked)' : ''}`,
        ...(formatNote ? { tooltip: formatNote.trim() } : {}),
      },
      ...snap.groups.map((g): Node => ({ kind: 'group', g })),
    ];
  }

  getChildren(n?: Node): Node[] {
    if (!n) return this.roots;
    if (n.kind === 'section') return n.rows;
    if (n.kind !== 'group') return [];
    const g = n.g;
    const out: Node[] = g.frames.map((f) => ({ kind: 'frame', f }));
    if (g.creator) out.push({ kind: 'frame', f: g.creator, prefix: 'created by ', tooltip: 'the go statement' });
    if (g.ids && g.ids.length > 0) out.push({ kind: 'ids', ids: g.ids, count: g.count });
    return out;
  }

  getTreeItem(n: Node): vscode.TreeItem {
    switch (n.kind) {
      case 'info': {
        const t = new vscode.TreeItem(plainText(n.text), vscode.TreeItemCollapsibleState.None);
        if (n.tooltip) t.tooltip = plainText(n.tooltip);
        t.iconPath = new vscode.ThemeIcon('info');
        return t;
      }
      case 'section': {
        const t = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.Collapsed);
        if (n.description) t.description = n.description;
        return t;
      }
      case 'group': {
        const g = n.g;
        const at = g.blocking ?? g.frames[0];
        const head = n.growth ? `${signed(n.growth.delta)}` : `${g.count}`;
        const t = new vscode.TreeItem(
          `${head}  ${plainText(at ? frameLabel(at) : '(no frames)')}`,
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        const parts: string[] = [];
        if (n.growth) parts.push(`${n.growth.before} → ${n.growth.after}`);
        if (g.state) parts.push(g.state);
        if (g.maxWaitMinutes !== undefined) parts.push(`up to ${waitLabel(g.maxWaitMinutes)}`);
        if (g.creator) parts.push(`created by ${frameLabel(g.creator)}`);
        else if (g.entry && g.entry !== at) parts.push(`in ${frameLabel(g.entry)}`);
        t.description = plainText(parts.join(' · '));
        const md = new vscode.MarkdownString();
        md.appendText(
          `${n.growth ? `${signed(n.growth.delta)} goroutines (${n.growth.before} → ${n.growth.after})` : `${g.count} goroutines`}${g.state ? ` in ${g.state}` : ''}\n`,
        );
        if (g.maxWaitMinutes !== undefined) md.appendText(`longest wait: ${waitLabel(g.maxWaitMinutes)}\n`);
        if (at) md.appendText(`blocked at ${at.fn} ${at.file}:${at.line}\n`);
        if (g.creator) md.appendText(`created by ${g.creator.fn} ${g.creator.file}:${g.creator.line}\n`);
        t.tooltip = md;
        t.iconPath = new vscode.ThemeIcon(n.growth && n.growth.delta > 0 ? 'arrow-up' : 'debug-pause');
        t.contextValue = 'goroutineGroup';
        if (at) t.command = openCommand(at);
        return t;
      }
      case 'frame': {
        const t = new vscode.TreeItem(
          plainText(`${n.prefix ?? ''}${frameLabel(n.f)}`),
          vscode.TreeItemCollapsibleState.None,
        );
        t.tooltip = plainText(`${n.tooltip ? `${n.tooltip}: ` : ''}${n.f.fn} ${n.f.file}:${n.f.line}`);
        t.command = openCommand(n.f);
        return t;
      }
      case 'ids': {
        const more = n.count > n.ids.length ? `, … (${n.count - n.ids.length} more)` : '';
        const t = new vscode.TreeItem(`goroutines ${n.ids.join(', ')}${more}`, vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon('list-unordered');
        return t;
      }
    }
  }

  /** Opens a frame's file:line (a profile path) through the session's path mapping. */
  async openFrame(file: string, line: number): Promise<void> {
    const p = this.session.profile;
    await this.session.whenSourcesReady();
    const fi = p?.fileIndex(file);
    const local = fi !== undefined ? this.session.sourceMap?.resolutions[fi]?.localPath : undefined;
    if (!local) {
      void vscode.window.showInformationMessage(
        `pprof: ${plainText(file)} is not in this workspace (the runtime's and other machines' files are opened through GOROOT and pprofLens.pathMappings).`,
      );
      return;
    }
    await this.commands.openLocation(local, line);
  }

  /** Goroutines: Compare Two Snapshots… — the later opened with the earlier subtracted (-base). */
  async compareSnapshots(): Promise<boolean> {
    const captureDir = this.session.captureDirectory?.();
    // The goroutine snapshots only, in any format: dumps and debug=1 texts (*.txt, the captures'
    // goroutine-dump-*.txt) and goroutine protos (not the heap or CPU profiles next to them).
    const found = await goroutineSnapshots(await findProfiles(captureDir, { texts: true }));
    const placeHolder = 'Goroutine snapshots (proto, debug=1 text, debug=2 dump) in this workspace, newest first';
    const before = await pickProfile({
      title: 'pprof: the EARLIER goroutine snapshot',
      openLabel: 'Earlier Snapshot',
      filters: PROFILE_FILTERS,
      found,
      placeHolder,
      ...(captureDir ? { captureDir } : {}),
    });
    if (!before) return false;
    const after = await pickProfile({
      title: `pprof: the LATER goroutine snapshot (compared with ${displayName(before)})`,
      openLabel: 'Later Snapshot',
      filters: PROFILE_FILTERS,
      exclude: before.toString(),
      found,
      placeHolder,
      ...(captureDir ? { captureDir } : {}),
    });
    if (!after) return false;
    const ok = await this.commands.openWith(after, { base: { uri: before, mode: 'base' } });
    if (ok) await this.reveal();
    return ok;
  }

  /** Shows the view (after a goroutine comparison). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.emitter.dispose();
    for (const s of this.subs) s.dispose();
  }
}

/** The goroutine snapshots among found files (a text's first 512 bytes; a proto's sample types). */
async function goroutineSnapshots(found: readonly FoundProfile[]): Promise<FoundProfile[]> {
  const keep = await Promise.all(
    found.map(async (f) => {
      try {
        const isText = f.uri.path.endsWith('.txt');
        if (isText && f.uri.scheme === 'file') {
          const h = await open(f.uri.fsPath, 'r');
          try {
            const buf = new Uint8Array(512);
            const { bytesRead } = await h.read(buf, 0, buf.length, 0);
            return isGoroutineSnapshot(buf.subarray(0, bytesRead), true);
          } finally {
            await h.close();
          }
        }
        return isGoroutineSnapshot(await readProfileFile(f.uri), isText);
      } catch {
        return false; // unreadable or too large: not offered (Browse… still opens anything)
      }
    }),
  );
  return found.filter((_, i) => keep[i]);
}

function openCommand(f: GoFrame): vscode.Command | undefined {
  if (!f.file || f.line <= 0) return undefined;
  return { command: 'pprofLens.insight.openFrame', title: 'Open Source', arguments: [f.file, f.line] };
}
