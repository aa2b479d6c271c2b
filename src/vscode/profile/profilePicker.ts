/**
 * "Which profile?" without a file dialog first: the workspace's profiles (*.pb.gz, *.pprof, *.prof,
 * default.pgo) and those in the capture directory, newest first, then "Browse…" for the dialog.
 */
import * as vscode from 'vscode';
import { insightCore } from '../insight/lazy';

export const PROFILE_GLOB = '**/{*.pb.gz,*.pprof,*.prof,default.pgo}';
/** The same with texts (goroutine dumps and debug=1 texts), for the goroutine snapshot pickers. */
const PROFILE_OR_TEXT_GLOB = '**/{*.pb.gz,*.pprof,*.prof,default.pgo,*.txt}';
const EXCLUDE = '{**/node_modules/**,**/.git/**}';
const MAX = 200;

export interface FoundProfile {
  uri: vscode.Uri;
  mtime: number;
  size: number;
}

const isProfileName = (n: string, texts = false): boolean =>
  /\.(pb\.gz|pprof|prof)$/.test(n) || n === 'default.pgo' || (texts && n.endsWith('.txt'));

/** The workspace's profiles and the capture directory's, newest first; with texts, *.txt files too. */
export async function findProfiles(captureDir?: vscode.Uri, opts: { texts?: boolean } = {}): Promise<FoundProfile[]> {
  const uris = new Map<string, vscode.Uri>();
  const glob = opts.texts ? PROFILE_OR_TEXT_GLOB : PROFILE_GLOB;
  for (const u of await vscode.workspace.findFiles(glob, EXCLUDE, MAX)) uris.set(u.toString(), u);
  if (captureDir) {
    try {
      for (const [name, type] of await vscode.workspace.fs.readDirectory(captureDir)) {
        if (type === vscode.FileType.File && isProfileName(name, opts.texts)) {
          const u = vscode.Uri.joinPath(captureDir, name);
          uris.set(u.toString(), u);
        }
      }
    } catch {
      // no capture directory yet
    }
  }
  const found = await Promise.all(
    [...uris.values()].map(async (uri) => {
      try {
        const st = await vscode.workspace.fs.stat(uri);
        return { uri, mtime: st.mtime, size: st.size };
      } catch {
        return undefined;
      }
    }),
  );
  return found
    .filter((f): f is FoundProfile => f !== undefined)
    .sort((a, b) => b.mtime - a.mtime || a.uri.path.localeCompare(b.uri.path));
}

/** "3 min ago", "2 h ago", "5 days ago". */
export function age(mtime: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - mtime) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  const d = Math.round(s / 86_400);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Asks for a profile: a quick pick of the found ones (newest first) and "Browse…"; with none found,
 * the dialog at once. Undefined when cancelled.
 */
export async function pickProfile(opts: {
  title: string;
  openLabel: string;
  filters: Record<string, string[]>;
  captureDir?: vscode.Uri;
  /** Left out of the list (e.g. the profile being compared). */
  exclude?: string;
  defaultUri?: vscode.Uri;
  /** The files to list instead of every profile found (e.g. the goroutine snapshots only). */
  found?: readonly FoundProfile[];
  placeHolder?: string;
  /** Picking a base for a profile with these sample types: only profiles of its kind are listed. */
  baseOf?: { sampleTypes: readonly { type: string; unit: string }[] };
}): Promise<vscode.Uri | undefined> {
  let found = (opts.found ?? (await findProfiles(opts.captureDir))).filter((f) => f.uri.toString() !== opts.exclude);
  let note: string | undefined;
  if (opts.baseOf) {
    const typed = await Promise.all(found.map(async (f) => ({ item: f, sampleTypes: await sampleTypesOf(f) })));
    ({ items: found, note } = insightCore().baseCandidates({ sampleTypes: [...opts.baseOf.sampleTypes] }, typed));
  }
  const browse = async (): Promise<vscode.Uri | undefined> => {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: opts.filters,
      openLabel: opts.openLabel,
      title: opts.title,
      ...(opts.defaultUri ? { defaultUri: opts.defaultUri } : {}),
    });
    return picked?.[0];
  };
  if (found.length === 0 && !note) return browse();
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const now = Date.now();
  const items: Item[] = found.map((f) => {
    const rel = vscode.workspace.asRelativePath(f.uri, true);
    const slash = rel.lastIndexOf('/');
    return {
      label: `$(file-binary) ${rel.slice(slash + 1)}`,
      description: slash > 0 ? rel.slice(0, slash) : '',
      detail: `${age(f.mtime, now)} · ${size(f.size)}`,
      uri: f.uri,
    };
  });
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(folder-opened) Browse…', description: 'choose a file anywhere' },
  );
  const pick = await vscode.window.showQuickPick(items, {
    title: opts.title,
    placeHolder: note ?? opts.placeHolder ?? 'Profiles in this workspace, newest first',
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  return pick.uri ?? browse();
}

/** A found file's sample types read from its header (core/pgo), or undefined when unreadable or large (then listed). */
async function sampleTypesOf(f: FoundProfile): Promise<{ type: string; unit: string }[] | undefined> {
  if (f.size > 64 * 1024 * 1024) return undefined;
  try {
    // The header reader lives with the decoder in the lazily loaded insight core (esbuild.mjs).
    return insightCore().profileSampleTypes(await vscode.workspace.fs.readFile(f.uri));
  } catch {
    return undefined;
  }
}
