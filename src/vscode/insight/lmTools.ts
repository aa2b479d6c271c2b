/**
 * Language Model Tools: an agent in chat asks the open profile for its top functions (pprof_top),
 * a function's per-line flat/cum (pprof_list), its callers and callees (pprof_peek) and the
 * difference against a base (pprof_diff). Each answer is go tool pprof's own text (the worker's
 * report op, the CLI's core report functions: the same numbers and layout), preceded by what it
 * was computed on and the equivalent `go tool pprof` command, and followed by the functions'
 * file:line with the local file they map to. Plain text: names from the profile are text, with
 * bidi and control characters removed.
 *
 * package.json declares the tools (contributes.languageModelTools); lmRegister.ts registers them
 * where VS Code has the API and loads this file (dist/lazyFeatures.js) on the first call.
 */
import * as vscode from 'vscode';
import { plainLines } from '../../shared/text';
import type { ReportArgs, ReportResult } from '../../worker/protocol';
import type { LoadedProfile } from '../profile/loadedProfile';
import { displayName, type ProfileService } from '../profile/profileService';
import type { Session } from '../profile/session';
import type { LmToolName } from './lmRegister';

type PartCtor = new (value: string) => unknown;
type ResultCtor = new (content: unknown[]) => unknown;

interface TopInput {
  sampleType?: string;
  nodeCount?: number;
  sortBy?: 'flat' | 'cum';
}
interface FunctionInput {
  function?: string;
  sampleType?: string;
}
interface DiffInput {
  base?: string;
  mode?: 'base' | 'diff_base';
  sampleType?: string;
  nodeCount?: number;
}

/** Bidi controls and control characters other than newline and tab removed (names are text). */
const clean = plainLines;

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

class ToolError extends Error {}

export class LmTools {
  constructor(
    private readonly session: Session,
    private readonly service: ProfileService,
  ) {}

  /** Runs one tool (lmRegister.ts registers them and calls this on first use). */
  async invoke(name: LmToolName, input: unknown): Promise<unknown> {
    const i = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const run: Record<LmToolName, () => Promise<string[]>> = {
      pprof_top: () => this.top(i as TopInput),
      pprof_list: () => this.fn('list', i as FunctionInput),
      pprof_peek: () => this.fn('peek', i as FunctionInput),
      pprof_diff: () => this.diff(i as DiffInput),
    };
    return this.result(await this.safely(run[name]));
  }

  private result(parts: string[]): unknown {
    const v = vscode as unknown as { LanguageModelToolResult: ResultCtor; LanguageModelTextPart: PartCtor };
    return new v.LanguageModelToolResult(parts.map((p) => new v.LanguageModelTextPart(p)));
  }

  private async safely(run: () => Promise<string[]>): Promise<string[]> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof ToolError) return [e.message];
      // A worker error (this bundle has its own copy of WorkerRequestError: no instanceof); a bad
      // pattern comes as "Bad filter: parsing argument regexp …".
      return [`pprof: ${(e instanceof Error ? e.message : String(e)).replace(/^Bad filter: /, '')}`];
    }
  }

  private profile(): LoadedProfile {
    const p = this.session.profile;
    if (!p)
      throw new ToolError(
        'No profile is open in pprof-lens. Open one first (command "pprof: Open Profile", or open a .pb.gz/.pprof file).',
      );
    return p;
  }

  private sampleIndex(p: LoadedProfile, name: string | undefined): number {
    if (name === undefined || name === '') return this.session.sampleIndex;
    const i = p.data.sampleTypes.findIndex((t) => t.type === name);
    if (i < 0)
      throw new ToolError(
        `pprof: the profile has no sample type "${clean(name)}"; it has ${p.data.sampleTypes.map((t) => t.type).join(', ')}.`,
      );
    return i;
  }

  /** profile file -> local file, for list. */
  private async sources(p: LoadedProfile): Promise<Record<string, string>> {
    await this.session.whenSourcesReady();
    const out: Record<string, string> = {};
    const res = this.session.profile === p ? this.session.sourceMap?.resolutions : undefined;
    res?.forEach((r, i) => {
      const f = p.data.files[i];
      if (f !== undefined && r.localPath) out[f] = r.localPath;
    });
    return out;
  }

  private header(p: LoadedProfile, si: number, command: readonly string[], baseFile?: string): string {
    const st = p.data.sampleTypes[si]!;
    const file = vscode.Uri.parse(p.source);
    const lines = [`Profile: ${p.name}${file.scheme === 'file' ? ` (${file.fsPath})` : ''}`];
    lines.push(`Sample type: ${st.type} (${st.unit}); others: ${p.data.sampleTypes.map((t) => t.type).join(', ')}`);
    const cmp = p.data.view?.compare;
    if (cmp) {
      lines.push(
        `Compared with: ${cmp.name} (${cmp.mode === 'diff_base' ? '-diff_base: percentages of the base' : '-base: the base subtracted, negative values shrank'}${cmp.normalize ? ', -normalize' : ''})`,
      );
      if (cmp.perOp) lines.push(cmp.perOp.note);
    }
    const active = p.data.view?.active ?? [];
    if (active.length) lines.push(`Filters: ${active.join(' ')} (percentages of the unfiltered total, as pprof)`);
    const flags = [`-sample_index=${st.type}`, ...command];
    if (cmp && !cmp.perOp && baseFile) flags.push(`-${cmp.mode}=${shellQuote(baseFile)}`);
    if (cmp?.normalize) flags.push('-normalize');
    for (const a of active) flags.push(`-${a.replace(/^tagFocus=/, 'tagfocus=').replace(/^showFrom=/, 'show_from=')}`);
    lines.push(
      `Same numbers as: go tool pprof ${flags.map(shellQuote).join(' ')} ${shellQuote(file.scheme === 'file' ? file.fsPath : p.name)}`,
    );
    return clean(lines.join('\n'));
  }

  private locations(r: ReportResult, sources: Record<string, string>): string {
    if (r.locations.length === 0) return '';
    const rows = r.locations.map((l) => {
      const local = sources[l.file];
      return `${l.name}  ${l.file}:${l.line}${local && local !== l.file ? `  (local: ${local}:${l.line})` : ''}`;
    });
    return clean(
      `Source locations (function, file:line as recorded, and the local file it maps to):\n${rows.join('\n')}`,
    );
  }

  private async report(p: LoadedProfile, args: ReportArgs): Promise<ReportResult> {
    return p.worker.request('report', args);
  }

  private baseFile(): string | undefined {
    const b = this.session.base?.uri;
    if (!b) return undefined;
    const u = vscode.Uri.parse(b);
    return u.scheme === 'file' ? u.fsPath : undefined;
  }

  private async top(i: TopInput): Promise<string[]> {
    const p = this.profile();
    const si = this.sampleIndex(p, i.sampleType);
    const n = typeof i.nodeCount === 'number' && i.nodeCount > 0 ? Math.min(Math.floor(i.nodeCount), 5000) : 20;
    const cum = i.sortBy === 'cum';
    const sources = await this.sources(p);
    const r = await this.report(p, { kind: 'top', sampleIndex: si, nodeCount: n, cum, sources });
    return [
      this.header(p, si, ['-top', `-nodecount=${n}`, ...(cum ? ['-cum'] : [])], this.baseFile()),
      clean(r.text),
      this.locations(r, sources),
    ].filter((s) => s !== '');
  }

  private async fn(kind: 'list' | 'peek', i: FunctionInput): Promise<string[]> {
    const p = this.profile();
    const pattern = typeof i.function === 'string' ? i.function.trim() : '';
    if (!pattern)
      throw new ToolError(
        'pprof: give "function", a Go regular expression of the function name (e.g. "main\\.handle" or "^example\\.com/app/store\\.\\(\\*DB\\)\\.Get$").',
      );
    const si = this.sampleIndex(p, i.sampleType);
    const sources = await this.sources(p);
    const r = await this.report(p, { kind, sampleIndex: si, pattern, sources });
    return [
      this.header(p, si, [`-${kind}=${pattern}`], this.baseFile()),
      clean(r.text),
      this.locations(r, sources),
    ].filter((s) => s !== '');
  }

  private async diff(i: DiffInput): Promise<string[]> {
    const p = this.profile();
    const n = typeof i.nodeCount === 'number' && i.nodeCount > 0 ? Math.min(Math.floor(i.nodeCount), 5000) : 20;
    if (!i.base) {
      if (!p.data.view?.compare)
        throw new ToolError(
          `pprof: ${p.name} is not compared with a base. Give "base" (a profile file in the workspace), or compare in the editor first ("pprof: Compare With Base Profile…").`,
        );
      return this.top({ ...(i.sampleType ? { sampleType: i.sampleType } : {}), nodeCount: n });
    }
    const ws = vscode.workspace.workspaceFolders?.[0];
    const baseUri = /^[a-z][\w+.-]*:\/\//i.test(i.base)
      ? vscode.Uri.parse(i.base)
      : i.base.startsWith('/') || !ws
        ? vscode.Uri.file(i.base)
        : vscode.Uri.joinPath(ws.uri, i.base);
    const mode = i.mode === 'diff_base' ? 'diff_base' : 'base';
    const cur = vscode.Uri.parse(p.source);
    // A separate load (its own worker): the editor's view is not changed by an agent's question.
    const d = await this.service.load(cur, { base: { uri: baseUri, mode }, filters: this.session.filters });
    try {
      const si = this.sampleIndex(d, i.sampleType ?? p.data.sampleTypes[this.session.sampleIndex]?.type);
      const sources = await this.sources(p);
      const r = await this.report(d, { kind: 'top', sampleIndex: si, nodeCount: n, sources });
      return [
        this.header(
          d,
          si,
          ['-top', `-nodecount=${n}`],
          baseUri.scheme === 'file' ? baseUri.fsPath : displayName(baseUri),
        ),
        clean(r.text),
        this.locations(r, sources),
      ].filter((s) => s !== '');
    } finally {
      d.dispose();
    }
  }
}
