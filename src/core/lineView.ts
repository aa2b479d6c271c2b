/**
 * What a line says: every decision behind the editor's overlays, CodeLenses and hovers, pure (no
 * vscode), so that each one is unit-tested (test/unit/lineView.test.ts). The vscode adapters
 * (src/vscode/editor/decorations.ts, codeLens.ts, hover.ts) only fetch the costs and place these results.
 *
 * - overlays(): which lines show a value, the text after each line (aligned like -list, or compact),
 *   and its colour: a heat level, or growth/shrink by the size of the change in compare mode.
 * - lenses(): the CodeLens line and title of each hot function (the closure's literal line, the
 *   declaration of a profile without start_line, functions sharing a line named apart), the compare
 *   mode named, and the one lens of a file that changed since the profile.
 * - hoverText(): the hover's markdown: notes (compare mode, edits, filters), every sample type's
 *   values, the top callers, the profile path and the colour legend.
 * - overlaysHidden(): whether a stale file's overlays stay hidden.
 *
 * The primitives (levels, -list value format, alignment, staleness check) are in ./heat.
 */
import { plainText } from '../shared/text';
import { minimumUnit, scaledLabel } from '../shared/units';
import {
  closureLiteralLine,
  codeLensTitle,
  columnsHeader,
  compactLabel,
  compareLensTitle,
  escapeMarkdown,
  HEAT_LEVELS,
  heatLegend,
  heatLevel,
  heatValue,
  hoverMarkdown,
  labelColumn,
  lineLabels,
  padToColumn,
  signedLineLabels,
  visualWidth,
  type HeatMetric,
  type HoverCaller,
  type HoverInput,
  type ShowValues,
  type Staleness,
} from './heat';

/** One line's values for the current sample type (line: in the document now). */
export interface LineCost {
  line: number;
  flat: number;
  cum: number;
}

export interface OverlayOptions {
  show: ShowValues;
  percentages: boolean;
  heatMetric: HeatMetric;
  /** Lines whose larger |value| is under this share of |total| (in %) show nothing. */
  minLinePercent: number;
  /**
   * The compact form (a narrow editor): one value, no alignment. 'auto': compact when the editor
   * (columns) leaves fewer than MIN_CODE_COLUMNS of code beside the aligned values, else aligned
   * but for the lines that would push their values out of sight, which get the compact value before their code.
   */
  compact: boolean | 'auto';
  /** Compare mode: signed values, growth and shrink colours. */
  compare: boolean;
  tabSize: number;
  /**
   * Compact form only: a line wider than this many columns (tabs expanded) counts as too long for
   * the room (when columns is not known).
   */
  compactWidth?: number;
  /**
   * The columns of text this editor shows (editorColumns). Given, a line is too long when its
   * value would end past it (instead of the compactWidth guess).
   */
  columns?: number;
}

/** 'heat' normally; in compare mode 'growth' (the line grew since the base) or 'shrink'. */
export type OverlayKind = 'heat' | 'growth' | 'shrink';

export interface Overlay {
  /** 1-based line of the document. */
  line: number;
  kind: OverlayKind;
  /** 1..HEAT_LEVELS. */
  level: number;
  /** The text placed at `character`, padding (non-breaking spaces) included. */
  text: string;
  /** 0-based character where the text goes: the line's end ('after'), or its first non-blank character ('before'). */
  character: number;
  /**
   * 'after': after the line's end (the usual place). 'before': before the code of a line too long
   * for the editor's room, where a value after it would be out of sight: VS Code's horizontal scroll
   * width does not count text after a line's end, so no scrolling reaches it.
   */
  placement: 'after' | 'before';
  /** 'compact': the one value; 'aligned': the columns aligned like -list. */
  form: 'aligned' | 'compact';
}

/** Default of OverlayOptions.compactWidth: what a half-width editor on a laptop shows. */
export const COMPACT_WIDTH = 80;

/** 'auto' takes the compact form when the aligned values leave fewer columns than this for the code. */
export const MIN_CODE_COLUMNS = 50;

/** The columns a full-width editor shows when nothing better is known (a 1440 px window, 14 px font, side bar and minimap). */
export const WINDOW_COLUMNS = 120;

/** What is known of an editor's room: VS Code's layout and the editor settings that shape it. */
export interface EditorRoom {
  /** This editor's group width in CSS pixels (vscode.getEditorLayout), when known. */
  readonly groupPx?: number;
  /** Editor groups side by side across the window (used when the width is not known). */
  readonly groupsAcross: number;
  /** editor.fontSize (px). */
  readonly fontSize: number;
  /** editor.minimap.enabled. */
  readonly minimap: boolean;
  /** editor.wordWrap and editor.wordWrapColumn: 'wordWrapColumn' and 'bounded' end the text there. */
  readonly wordWrap?: string;
  readonly wordWrapColumn?: number;
  /** editor.rulers: a ruler the user set is a column they see, when the editor has the window to itself. */
  readonly rulers?: readonly number[];
}

/**
 * The columns of text an editor shows: its group's pixel width less the gutter, minimap and
 * scroll bar, over a monospace character's width (0.6 of the font size), else the window's
 * columns shared by the groups side by side; capped by a word-wrap column.
 */
export function editorColumns(r: EditorRoom): number {
  const charPx = 0.6 * Math.max(6, r.fontSize);
  let cols: number;
  if (r.groupPx !== undefined && r.groupPx > 0) {
    // Line numbers, glyph margin and folding (~64 px), the minimap (~80 px), the scroll bar (14 px).
    const chrome = 64 + (r.minimap ? 80 : 0) + 14;
    cols = Math.floor(Math.max(0, r.groupPx - chrome) / charPx);
  } else {
    cols = Math.floor(WINDOW_COLUMNS / Math.max(1, r.groupsAcross));
    const ruler = Math.max(0, ...(r.rulers ?? []).filter((x) => Number.isFinite(x)));
    if (r.groupsAcross <= 1 && ruler > cols) cols = ruler;
  }
  if ((r.wordWrap === 'wordWrapColumn' || r.wordWrap === 'bounded') && (r.wordWrapColumn ?? 0) > 0)
    cols = Math.min(cols, r.wordWrapColumn!);
  return cols;
}

/** One node of vscode.getEditorLayout's answer (sizes in pixels along the parent's orientation). */
export interface GroupLayout {
  readonly size?: number;
  readonly groups?: readonly GroupLayout[];
}

/**
 * The width in pixels of each editor group, in the order VS Code numbers them (ViewColumn 1, 2,
 * …), from vscode.getEditorLayout (orientation 0: the root's groups side by side, 1: stacked);
 * undefined where the layout does not say (a stacked root's width).
 */
export function groupWidths(layout: { orientation: number; groups: readonly GroupLayout[] }): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  const walk = (nodes: readonly GroupLayout[], across: boolean, width: number | undefined) => {
    for (const n of nodes) {
      const w = across ? n.size : width;
      if (n.groups && n.groups.length > 0) walk(n.groups, !across, w);
      else out.push(w);
    }
  };
  // A stacked root's width is not in the answer (its children's sizes are heights).
  walk(layout.groups, layout.orientation === 0, undefined);
  return out;
}

function longest(xs: readonly string[]): number {
  let m = 0;
  for (const x of xs) m = Math.max(m, x.length);
  return m;
}

/** Whether 'auto' takes the compact form: the aligned values leave too few columns for the code. */
export function autoCompact(columns: number | undefined, alignedWidth: number): boolean {
  return columns !== undefined && columns - alignedWidth - 4 < MIN_CODE_COLUMNS;
}

/**
 * The overlays of one document: lines with a value (not both zero, within the document, over the
 * minimum share), their labels aligned at one column per file (or compact), their colour.
 * lineText(l) is the document's text of 1-based line l (l <= lineCount).
 */
export function overlays(
  lines: readonly LineCost[],
  lineCount: number,
  lineText: (line: number) => string,
  unit: string,
  total: number,
  o: OverlayOptions,
): Overlay[] {
  const min = (o.minLinePercent / 100) * Math.abs(total);
  const shown = lines.filter(
    (l) =>
      (l.flat !== 0 || l.cum !== 0) &&
      l.line >= 1 &&
      l.line <= lineCount &&
      Math.max(Math.abs(l.flat), Math.abs(l.cum)) >= min,
  );
  const labelOpts = { show: o.show, percentages: o.percentages };
  const aligned = () =>
    o.compare ? signedLineLabels(shown, unit, total, labelOpts) : lineLabels(shown, unit, total, labelOpts);
  const short = () => shown.map((c) => compactLabel(c, unit, o.heatMetric, o.show, o.compare));
  const cols = o.columns;
  let compact: boolean;
  let labels: string[];
  let alignedLabels: string[] | undefined;
  if (o.compact === 'auto') {
    alignedLabels = aligned();
    compact = autoCompact(cols, longest(alignedLabels));
    labels = compact ? short() : alignedLabels;
  } else {
    compact = o.compact;
    labels = compact ? short() : aligned();
  }
  const texts = shown.map((l) => lineText(l.line));
  const widest = longest(labels);
  // 'auto', aligned: lines whose values would end past the editor's edge are left out of the
  // alignment and get the compact value after their text (the others stay aligned).
  const cap = o.compact === 'auto' && !compact && cols !== undefined ? cols - widest - 4 : undefined;
  const column = compact ? 0 : labelColumn(texts, o.tabSize, cap);
  const shortLabels = cap !== undefined ? short() : labels;
  return shown.map((l, i) => {
    const v = heatValue(l.flat, l.cum, o.heatMetric);
    const level = Math.max(1, heatLevel(v, total));
    const kind: OverlayKind = !o.compare ? 'heat' : (v || l.flat || l.cum) < 0 ? 'shrink' : 'growth';
    const t = texts[i]!;
    const w = visualWidth(t.trimEnd(), o.tabSize);
    const tooLong = compact
      ? cols !== undefined
        ? w + 2 + labels[i]!.length > cols
        : w > (o.compactWidth ?? COMPACT_WIDTH)
      : cap !== undefined && w > cap;
    if (tooLong) {
      // Before the code (after the indentation, which stays as Go wrote it): after the line's end
      // it would be out of sight even at the end of the horizontal scroll, whose width VS Code
      // takes from the text alone. The one value, and, beside aligned lines that show two, which
      // one it is when the line's flat is not it (the hover has both).
      let text = compact ? labels[i]! : shortLabels[i]!;
      const v = heatValue(l.flat, l.cum, o.show === 'flat' ? 'flat' : o.show === 'cum' ? 'cum' : o.heatMetric);
      if (!compact && o.show === 'both' && l.flat !== v) text += v === l.cum ? ' cum' : ' flat';
      // Out of the alignment, but the one value still fits after the text: there it stays.
      const after = w + 2 + text.length <= (cols ?? 0);
      return {
        line: l.line,
        kind,
        level,
        text: after ? padToColumn(t, o.tabSize, 0) + text : `${text}\u00a0\u00a0`,
        character: after ? t.length : t.length - t.trimStart().length,
        placement: after ? 'after' : 'before',
        form: 'compact',
      };
    }
    return {
      line: l.line,
      kind,
      level,
      text: padToColumn(t, o.tabSize, column) + labels[i]!,
      character: t.length,
      placement: 'after',
      form: compact ? 'compact' : 'aligned',
    };
  });
}

/** Index of an overlay's decoration type: heat 0..4, growth 0..4 and shrink 5..9 of the compare set. */
export function overlaySlot(o: Pick<Overlay, 'kind' | 'level'>): number {
  return (o.kind === 'shrink' ? HEAT_LEVELS : 0) + o.level - 1;
}

/** A function of the file, with its values for the current sample type. */
export interface LensFunction {
  name: string;
  /** The profile's start line (Function.start_line, or the first sampled line without it). */
  startLine: number;
  /** The first sampled line. */
  firstLine: number;
  flat: number;
  cum: number;
  /** Lines of this function were edited since the profile (core/lineTracker editedWithin). */
  edited?: boolean;
}

export interface LensOptions {
  sampleType: string;
  unit: string;
  total: number;
  /** Functions whose |cum| is under this share of |total| (in %) get no lens. */
  threshold: number;
  /** Compare mode: the mode and the base's name. */
  compare?: { mode: 'base' | 'diff_base'; name: string };
  show: ShowValues;
  /** Line labels are in the compact form now. */
  compact: boolean;
  heatMetric: HeatMetric;
  /** Add "flame graph" and "callers and callees" lenses next to each. */
  flameGraph: boolean;
}

export interface Lens {
  /** 1-based line the lens stands above. */
  line: number;
  /** Plain text: the adapter escapes codicons (iconSafe). */
  title: string;
  /** The function it is about (the command's argument). */
  function: string;
  /** costs: the values (shows -peek); flame: the flame graph; sandwich: the panel's callers and callees. */
  kind: 'costs' | 'flame' | 'sandwich';
}

/** pprof's short name of a function: the package path dropped, "main.f.func1" of "example.com/x/main.f.func1". */
export function shortFunctionName(name: string): string {
  const slash = name.lastIndexOf('/', name.indexOf('[') >= 0 ? name.indexOf('[') : name.length);
  return name.slice(slash + 1);
}

/**
 * The line a function's lens stands on: the profile's start line when it has start_line (it then
 * differs from the first sampled line), else the `func` literal's line for a closure (the N-th
 * literal of its function for funcN, else the one holding its first sampled line) or the
 * declaration found above the first sampled line.
 */
export function lensLine(
  f: Pick<LensFunction, 'name' | 'startLine' | 'firstLine'>,
  lineText: (l: number) => string,
): number {
  if (f.startLine !== f.firstLine) return f.startLine;
  // A closure: the literal its number names, else the one whose braces hold the first sampled line.
  if (/\.func\d+(\.\d+)*$/.test(f.name))
    return numberedClosureLine(lineText, f.name, f.startLine) ?? closureLiteralLine(lineText, f.startLine);
  return declarationLine(lineText, f.name, f.startLine);
}

/**
 * The line of closure `pkg.F.funcN`'s `func` literal from its name: Go numbers the function
 * literals of a named function F in source order (func1 the first, func2 the next), so it is the
 * N-th literal after F's declaration (found at or above `from`, a sampled line of the closure).
 * Unlike closureLiteralLine it needs no sampled line inside the closure, which a comparison cannot
 * promise: the base's lines of a closure, from a build whose file was one line shorter, land on the
 * line that closes the closure before it. Undefined for nested closures (F.func1.2) and when F's
 * declaration or the N-th literal within its braces is not found.
 */
export function numberedClosureLine(
  lineText: (line: number) => string,
  name: string,
  from: number,
): number | undefined {
  const m = /^(.*)\.func(\d+)$/.exec(name);
  if (!m) return undefined;
  const start = declarationLine(lineText, m[1]!, from);
  if (!/^func\s/.test(lineText(start))) return undefined;
  let seen = 0;
  let depth = 0;
  for (let l = start; l < start + 400; l++) {
    // Strings, runes and comments out; on the declaration line, its own `func (recv)`.
    let t = lineText(l).replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|\/\/.*$/g, '');
    if (l === start) t = t.replace(/^func\s*(\([^)]*\))?/, '');
    seen += (t.match(/\bfunc\s*\(/g) ?? []).length;
    if (seen >= Number(m[2])) return l;
    depth += t.split('{').length - t.split('}').length;
    if (depth <= 0) return undefined;
  }
  return undefined;
}

/**
 * Whether a function's own lines were edited since the profile: from its declaration (lensLine on
 * the profiled text, so an edit between a `func` line and the first sampled line counts when the
 * profile has no start_line) to its last sampled line.
 */
export function functionEdited(
  tracker: { editedWithin(from: number, to: number): boolean; originalLine(l: number): string },
  f: Pick<LensFunction, 'name' | 'startLine' | 'firstLine'> & { lastLine: number },
): boolean {
  const from = lensLine(f, (l) => tracker.originalLine(l));
  return tracker.editedWithin(Math.min(from, f.startLine, f.firstLine), f.lastLine);
}

/**
 * The line of a function's `func` declaration at or above `from` (profiles without start_line,
 * from Go before 1.20, only give the first sampled line); `from` when it is not found nearby or
 * the function is a closure.
 */
export function declarationLine(lineText: (line: number) => string, name: string, from: number): number {
  const short = name.slice(name.lastIndexOf('.') + 1);
  if (!/^[A-Za-z_]\w*$/.test(short) || /^func\d+$/.test(short)) return from;
  const rx = new RegExp(`^func\\s*(\\([^)]*\\)\\s*)?${short}\\b`);
  for (let l = from; l >= Math.max(1, from - 300); l--) if (rx.test(lineText(l))) return l;
  return from;
}

/**
 * The CodeLenses of one document: one per function whose |cum| reaches the threshold, above its
 * line, titled with its values (signed and the mode named in compare mode) and what the columns
 * after the lines are. Functions that land on one line (two closures on a line, `go func(){…}()`
 * beside its caller's declaration) each start with their pprof name, so that the lenses say apart.
 */
export function lenses(
  functions: readonly LensFunction[],
  lineCount: number,
  lineText: (line: number) => string,
  o: LensOptions,
): Lens[] {
  const min = (o.threshold / 100) * Math.abs(o.total);
  const text = (l: number) => (l >= 1 && l <= lineCount ? lineText(l) : '');
  // Only a function whose own lines were edited says so: the others' values still sit on their lines.
  const header = (f: LensFunction) =>
    `${columnsHeader(o.show, o.compact, o.heatMetric)} after the lines${f.edited ? ' · edited since the profile' : ''}`;
  // One function may come twice: a comparison of two builds made in different folders names each
  // build's file apart, and both map onto this document. -top merges them by name; so do the lenses.
  // A sample comes from one profile only, so the sums are exact.
  const byName = new Map<string, LensFunction>();
  for (const f of functions) {
    const seen = byName.get(f.name);
    if (seen)
      byName.set(f.name, {
        ...seen,
        flat: seen.flat + f.flat,
        cum: seen.cum + f.cum,
        edited: seen.edited === true || f.edited === true,
      });
    else byName.set(f.name, f);
  }
  const hot = [...byName.values()]
    .filter((f) => f.cum !== 0 && Math.abs(f.cum) >= min && f.startLine >= 1 && f.startLine <= lineCount)
    .map((f) => ({ f, line: lensLine(f, text) }));
  const perLine = new Map<number, number>();
  for (const h of hot) perLine.set(h.line, (perLine.get(h.line) ?? 0) + 1);
  const out: Lens[] = [];
  for (const { f, line } of hot) {
    const shared = (perLine.get(line) ?? 0) > 1;
    const values = o.compare
      ? compareLensTitle(o.compare.mode, o.compare.name, o.sampleType, o.unit, f.flat, f.cum, o.total)
      : codeLensTitle(o.sampleType, o.unit, f.flat, f.cum, o.total);
    const who = shared ? `${shortFunctionName(f.name)} · ` : '';
    // Functions sharing a line: no header (VS Code does not wrap a line of lenses; what passes
    // its width is cut; the file's other lenses have it), unless the function's lines were edited.
    const head = shared && !f.edited ? '' : ` · ${header(f)}`;
    out.push({ line, title: `${who}${values}${head}`, function: f.name, kind: 'costs' });
    if (o.flameGraph) {
      out.push({
        line,
        title: shared ? `flame graph (${shortFunctionName(f.name)})` : 'flame graph',
        function: f.name,
        kind: 'flame',
      });
      out.push({
        line,
        title: shared ? `callers and callees (${shortFunctionName(f.name)})` : 'callers and callees',
        function: f.name,
        kind: 'sandwich',
      });
    }
  }
  // On a shared line every function's values first, then the links: VS Code shows a line's
  // lenses side by side in their order, and both values stay in sight before the links.
  const later = (l: Lens) => l.kind !== 'costs' && (perLine.get(l.line) ?? 0) > 1;
  return [...out.filter((l) => !later(l)), ...out.filter(later)];
}

/**
 * What the lens titles' mode is ("" for a plain profile, else the compare mode and base): when it
 * changes, the editor's lenses are made anew rather than updated (src/vscode/editor/codeLens.ts).
 */
export function lensModeKey(compare: { mode: 'base' | 'diff_base'; name: string } | undefined): string {
  return compare ? `${compare.mode}\u0000${compare.name}` : '';
}

/** The one lens of a file that changed after the profile was taken (its overlays are hidden); the adapter adds an icon. */
export function staleLensTitle(profileName: string, s: Staleness): string {
  return `pprof: this file changed after ${profileName} was taken, overlays hidden: ${s.reason ?? ''}`;
}

/** Whether a file's overlays, lenses and hovers stay hidden: stale, and the user did not ask to see them. */
export function overlaysHidden(s: Staleness, forced: boolean): boolean {
  return s.stale && !forced;
}

/** The callers of a line in every profile file mapped to it, heaviest first, at most `limit`. */
export function topCallers<C extends { weight: number }>(lists: readonly (readonly C[])[], limit = 5): C[] {
  return lists
    .flat()
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, limit);
}

export interface HoverContext {
  /** Compare mode: how and with what base. */
  compare?: { mode: 'base' | 'diff_base'; name: string; normalize?: boolean; perOpNote?: string };
  /** The line as the profile has it, when edits moved it. */
  profileLine?: number;
  /** The document was edited since the overlays were attached. */
  edited: boolean;
  /** Active filters as the user typed them. */
  filters: readonly string[];
  heatMetric: HeatMetric;
}

/** The hover's whole markdown: notes first (compare, edits, filters), the values and callers, the legend. */
export function hoverText(h: HoverInput, c: HoverContext): string {
  const notes: string[] = [];
  if (c.compare) {
    const how = c.compare.mode === 'diff_base' ? '-diff\\_base: % of the base' : '-base: base subtracted';
    notes.push(
      `**Δ vs base** ${escapeMarkdown(c.compare.name)} (${how}${c.compare.normalize ? ', normalized' : ''}): positive values grew since the base, negative ones shrank.`,
    );
    // Benchmark A/B: per operation, and how.
    if (c.compare.perOpNote) notes.push(escapeMarkdown(c.compare.perOpNote));
  }
  if (c.profileLine !== undefined && c.profileLine !== h.line)
    notes.push(`Edited since the profile: this was line ${c.profileLine} when profiled.`);
  else if (c.edited) notes.push('Edited since the profile: values follow their lines; edited lines show none.');
  if (c.filters.length > 0)
    notes.push(
      `Filters: ${c.filters.map((a) => `\`${plainText(a).replace(/`/g, ' ')}\``).join(', ')}; percentages of the unfiltered total.`,
    );
  const md = hoverMarkdown(h);
  const type = h.sampleTypes[h.current]?.type ?? '';
  const legend = escapeMarkdown(heatLegend(c.heatMetric, type, c.compare !== undefined));
  return `${notes.length > 0 ? `${notes.join('\n\n')}\n\n${md}` : md}\n\n${legend}`;
}

/** "file.go:12" for a caller's line in a hover. */
export function callerWhere(file: string | undefined, line: number): string | undefined {
  return file ? `${file.slice(file.lastIndexOf('/') + 1)}:${line}` : undefined;
}

export type { HoverCaller, HoverInput, Staleness };

/** The columns of a profile's annotations that nothingInWorkspace reads (core/annotate AnnotationColumns). */
export interface WorkspaceColumns {
  readonly sampleTypes: readonly { readonly type: string; readonly unit: string }[];
  readonly files: readonly string[];
  readonly funcName: readonly string[];
  readonly funcFlat: ArrayLike<number>;
}

/** Per file f and sample type t, 1 at [f*T + t] when a line of f has a flat or cum there. */
export function filesWithValues(c: {
  readonly sampleTypes: readonly unknown[];
  readonly files: readonly string[];
  readonly fileLineStart: ArrayLike<number>;
  readonly lineFlat: ArrayLike<number>;
  readonly lineCum: ArrayLike<number>;
}): Uint8Array {
  const T = c.sampleTypes.length;
  const out = new Uint8Array(c.files.length * T);
  for (let f = 0; f < c.files.length; f++)
    for (let i = c.fileLineStart[f]!; i < c.fileLineStart[f + 1]!; i++)
      for (let t = 0; t < T; t++) if (c.lineFlat[i * T + t] !== 0 || c.lineCum[i * T + t] !== 0) out[f * T + t] = 1;
  return out;
}

/** What the sample type's values are, for "no … in this workspace's files". */
function valueNoun(type: string): string {
  if (type === 'inuse_space') return 'in-use memory';
  if (type === 'inuse_objects') return 'in-use objects';
  if (type === 'alloc_space' || type === 'alloc_objects') return 'allocations';
  return `${type} samples`;
}

/**
 * The note for a sample type none of whose values is in the workspace's files, where the editor
 * then shows nothing at all: "inuse_space: no in-use memory in this workspace's files (all
 * 1024.25kB in runtime.malg 512.20kB, runtime.main 512.05kB)", the values in one unit as
 * `go tool pprof -top` prints them (the unit of the smallest one named). Undefined when a line of
 * a workspace file (`inWorkspace(file index)`) has a value, when no profile file is in the
 * workspace (the resolution notice says so), or when the total is zero. `has`: filesWithValues.
 */
export function nothingInWorkspace(
  c: WorkspaceColumns,
  has: Uint8Array,
  t: number,
  total: number,
  inWorkspace: (file: number) => boolean,
  top = 3,
): string | undefined {
  const T = c.sampleTypes.length;
  const st = c.sampleTypes[t];
  if (!st || total === 0) return undefined;
  let mapped = false;
  for (let f = 0; f < c.files.length; f++) {
    if (!inWorkspace(f)) continue;
    mapped = true;
    if (has[f * T + t] === 1) return undefined;
  }
  if (!mapped) return undefined;
  const flat = c.funcName
    .map((name, i) => ({ name: shortFunctionName(name), v: c.funcFlat[i * T + t]! }))
    .filter((x) => x.v !== 0)
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
  const named = flat.slice(0, top);
  let least = Math.abs(total);
  for (const x of named) least = Math.min(least, Math.abs(x.v));
  const unit = minimumUnit(least, st.unit);
  const label = (v: number) => scaledLabel(v, st.unit, unit);
  const more = flat.length > top ? ', …' : '';
  const where =
    named.length > 0 ? ` in ${named.map((x) => `${x.name} ${label(x.v)}`).join(', ')}${more}` : ' elsewhere';
  return `${st.type}: no ${valueNoun(st.type)} in this workspace's files (all ${label(total)}${where})`;
}
