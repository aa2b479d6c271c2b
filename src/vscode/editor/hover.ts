/** Hover on a decorated line: every sample type's flat and cum for the line, and its top callers. */
import * as vscode from 'vscode';
import { callerWhere, hoverText, overlaysHidden, topCallers } from '../../core/lineView';
import { METHOD_LABEL } from '../../core/paths';
import type { Session } from '../profile/session';
import type { CallEdge, Ops } from '../../worker/protocol';

const CALLER_TIMEOUT_MS = 3000;

export class ProfileHoverProvider implements vscode.HoverProvider {
  constructor(private readonly session: Session) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const s = this.session;
    if (!s.overlaysVisible) return undefined;
    const costs = s.costsFor(doc);
    if (!costs || overlaysHidden(costs.stale, costs.forced)) return undefined;
    const lineNo = pos.line + 1;
    const l = costs.lines.find((x) => x.line === lineNo);
    if (!l) return undefined;
    const p = costs.profile;
    const t = s.sampleIndex;
    if (!l.flat.some((v) => v !== 0) && !l.cum.some((v) => v !== 0)) return undefined;
    const r = costs.resolutions[0]!;
    const line = l.profileLine ?? lineNo;
    // Of every profile file mapped here, at once: the line's callers, and the functions with a
    // value on it (those whose pprof -list shows a number there; a closure's line lies in its
    // enclosing function's range without being one of its lines). Undefined when the worker is
    // slow or fails: no callers then, and the functions whose range holds the line.
    const ask = <K extends 'lineCallers' | 'lineFunctions'>(op: K, args: (file: string) => Ops[K]['args']) =>
      Promise.race([
        Promise.all(costs.resolutions.map((res) => p.worker.request(op, args(res.profilePath)))),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CALLER_TIMEOUT_MS)),
      ]).catch(() => undefined);
    const [lists, names] = await Promise.all([
      ask('lineCallers', (file) => ({ sampleIndex: t, file, line, limit: 5 })),
      ask('lineFunctions', (file) => ({ file, line })),
    ]);
    const callers = lists ? topCallers(lists as CallEdge[][], 5) : undefined;
    const onLine = names ? new Set((names as string[][]).flat()) : undefined;
    const functions = costs.functions
      .filter((f) => (onLine ? onLine.has(f.name) : f.firstLine <= lineNo && lineNo <= f.lastLine))
      .map((f) => `${f.name}${f.inlineLabel}`);
    const cmp = p.data.view?.compare;
    const md = hoverText(
      {
        line: lineNo,
        profilePath: r.profilePath,
        ...(r.method ? { resolvedBy: METHOD_LABEL[r.method] } : {}),
        functions: [...new Set(functions)],
        profileName: p.name,
        current: t,
        sampleTypes: p.data.sampleTypes.map((st, i) => ({
          type: st.type,
          unit: st.unit,
          total: p.total(i),
          flat: l.flat[i]!,
          cum: l.cum[i]!,
        })),
        ...(callers
          ? {
              callers: callers.map((c) => {
                const where = callerWhere(c.file, c.line);
                return { name: c.name, weight: c.weight, ...(where ? { where } : {}) };
              }),
            }
          : {}),
      },
      {
        ...(cmp
          ? {
              compare: {
                mode: cmp.mode,
                name: cmp.name,
                normalize: cmp.normalize,
                ...(cmp.perOp ? { perOpNote: cmp.perOp.note } : {}),
              },
            }
          : {}),
        ...(l.profileLine !== undefined ? { profileLine: l.profileLine } : {}),
        edited: costs.edited,
        filters: p.data.view?.active ?? [],
        heatMetric: s.config.heatMetric,
      },
    );
    // Another feature's section (the compiler's escape/inlining notes, insight/compilerInsight).
    const insight = s.lineInsight?.(doc, lineNo);
    const m = new vscode.MarkdownString(insight ? `${md}\n\n${insight}` : md);
    m.isTrusted = false;
    m.supportHtml = false;
    m.supportThemeIcons = false;
    return new vscode.Hover(m, doc.lineAt(pos.line).range);
  }
}
