/** Hover on a decorated line: every sample type's flat and cum for the line, and its top callers. */
import * as vscode from 'vscode';
import { escapeMarkdown, heatLegend, hoverMarkdown } from '../core/heat';
import { METHOD_LABEL } from '../core/paths';
import type { Session } from './session';
import type { CallEdge } from '../worker/protocol';

const CALLER_TIMEOUT_MS = 3000;

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export class ProfileHoverProvider implements vscode.HoverProvider {
  constructor(private readonly session: Session) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const s = this.session;
    if (!s.overlaysVisible) return undefined;
    const costs = s.costsFor(doc);
    if (!costs || (costs.stale.stale && !costs.forced)) return undefined;
    const lineNo = pos.line + 1;
    const l = costs.lines.find((x) => x.line === lineNo);
    if (!l) return undefined;
    const p = costs.profile;
    const t = s.sampleIndex;
    if (!l.flat.some((v) => v !== 0) && !l.cum.some((v) => v !== 0)) return undefined;
    const r = costs.resolutions[0]!;
    // The callers of this line in every profile file mapped here.
    let callers: CallEdge[] | undefined;
    try {
      const lists = await Promise.race([
        Promise.all(
          costs.resolutions.map((res) =>
            p.worker.request('lineCallers', {
              sampleIndex: t,
              file: res.profilePath,
              line: l.profileLine ?? lineNo,
              limit: 5,
            }),
          ),
        ),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CALLER_TIMEOUT_MS)),
      ]);
      if (lists)
        callers = lists
          .flat()
          .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
          .slice(0, 5);
    } catch {
      callers = undefined;
    }
    const functions = costs.functions
      .filter((f) => f.firstLine <= lineNo && lineNo <= f.lastLine)
      .map((f) => `${f.name}${f.inlineLabel}`);
    const md = hoverMarkdown({
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
            callers: callers.map((c) => ({
              name: c.name,
              weight: c.weight,
              ...(c.file ? { where: `${baseName(c.file)}:${c.line}` } : {}),
            })),
          }
        : {}),
    });
    const cmp = p.data.view?.compare;
    const notes: string[] = [];
    if (cmp) {
      const how = cmp.mode === 'diff_base' ? '-diff\\_base: % of the base' : '-base: base subtracted';
      notes.push(
        `**Δ vs base** ${escapeMarkdown(cmp.name)} (${how}${cmp.normalize ? ', normalized' : ''}): positive values grew since the base, negative ones shrank.`,
      );
      if (cmp.perOp) notes.push(escapeMarkdown(cmp.perOp.note));
    }
    if (l.profileLine !== undefined && l.profileLine !== lineNo)
      notes.push(`Edited since the profile: this was line ${l.profileLine} when profiled.`);
    else if (costs.edited) notes.push('Edited since the profile: values follow their lines; edited lines show none.');
    const active = p.data.view?.active ?? [];
    if (active.length > 0)
      notes.push(
        `Filters: ${active.map((a) => `\`${a.replace(/[`\r\n]/g, ' ')}\``).join(', ')}; percentages of the unfiltered total.`,
      );
    const legend = escapeMarkdown(heatLegend(s.config.heatMetric, p.data.sampleTypes[t]!.type, cmp !== undefined));
    const m = new vscode.MarkdownString(`${notes.length > 0 ? `${notes.join('\n\n')}\n\n${md}` : md}\n\n${legend}`);
    m.isTrusted = false;
    m.supportHtml = false;
    m.supportThemeIcons = false;
    return new vscode.Hover(m, doc.lineAt(pos.line).range);
  }
}
