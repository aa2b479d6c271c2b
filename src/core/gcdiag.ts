/**
 * The Go compiler's escape-analysis and inlining diagnostics, read from its two outputs:
 *  - `go build -gcflags=-m=2` (text on standard error: "./x.go:10:2: moved to heap: buf", with the
 *    flow lines that explain it), and
 *  - `go build -gcflags=-json=0,file://DIR` (one LSP-style JSON file per source file, the form
 *    gopls's "GC details" reads; 1-based lines and columns).
 * Both give the same records: per file:line, what escapes and why, and what is (not) inlined.
 * Everything the compiler says is text: the formatters here escape it for Markdown.
 */
import { escapeMarkdown } from './heat';

export interface GcPos {
  /** Absolute path (forward slashes as the compiler prints them on this OS). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** One line of the compiler's explanation: "flow: {heap} = &buf:" or "from &buf (address-of)". */
export interface GcFlowStep {
  text: string;
  /** Where a "from" step happens (the header's position for "flow:" steps). */
  at: GcPos;
}

export type GcEscapeKind =
  /** A variable the compiler allocates on the heap: "moved to heap: buf". */
  | 'moved'
  /** A value (make, new, composite literal, interface conversion) allocated on the heap. */
  | 'escapes'
  /** A parameter whose value reaches the heap or a result: "leaking param: p". */
  | 'leak';

export interface GcEscape extends GcPos {
  kind: GcEscapeKind;
  /** The variable or expression, as the compiler prints it: "buf", "make([]int, n)". */
  subject: string;
  /** The compiler's words: "moved to heap: buf", "make([]int, n) escapes to heap". */
  message: string;
  flow: GcFlowStep[];
  /**
   * Set by GcIndex.escapesAt when the record is about the inlined copy of a function's body at this
   * call ("inlining call to newRecord" at the same position): the allocation is that function's.
   */
  inlinedFrom?: string;
}

/** The compiler's words for an escape, with the inlined function it comes from: "moved to heap: r (inlined newRecord)". */
export function escapeText(e: GcEscape): string {
  return e.inlinedFrom ? `${e.message} (inlined ${e.inlinedFrom})` : e.message;
}

export type GcInlineKind =
  /** "can inline f with cost 9" (at the function's name). */
  | 'can'
  /** "cannot inline f: function too complex: cost 95 exceeds budget 80" (at the function's name). */
  | 'cannot'
  /** "inlining call to f" (at the call). */
  | 'call'
  /** A call the compiler did not inline, with its reason (JSON form only). */
  | 'cannotCall';

export interface GcInline extends GcPos {
  kind: GcInlineKind;
  /** The function as the compiler names it ("mix", "os.(*File).Close"); "" when the JSON form does not say. */
  func: string;
  /** Why not ("function too complex: cost 89 exceeds budget 80", "marked go:noinline"). */
  reason?: string;
  cost?: number;
  message: string;
}

export interface GcDiagnostics {
  escapes: GcEscape[];
  inlining: GcInline[];
}

const POS_LINE = /^(.+?\.go):(\d+):(\d+): (.*)$/;
const AT_POS = / at (.+?\.go):(\d+):(\d+)$/;

function joinPath(dir: string, rel: string): string {
  if (rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel)) return rel.replace(/\\/g, '/');
  const parts = dir.replace(/\\/g, '/').replace(/\/+$/, '').split('/');
  for (const seg of rel.replace(/\\/g, '/').split('/')) {
    if (seg === '.' || seg === '') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/** "can inline f with cost 9 as: …" / "cannot inline f: reason" / "inlining call to f". */
function parseInlineMessage(pos: GcPos, m: string): GcInline | undefined {
  if (!m.startsWith('can') && !m.startsWith('inlining call to ')) return undefined;
  let r = /^can inline (\S+?)(?: with cost (\d+))?(?: as: |$)/.exec(m);
  if (r)
    return {
      ...pos,
      kind: 'can',
      func: r[1]!,
      ...(r[2] !== undefined ? { cost: Number(r[2]) } : {}),
      message: r[2] !== undefined ? `can inline ${r[1]!} with cost ${r[2]}` : `can inline ${r[1]!}`,
    };
  r = /^cannot inline (\S+?): (.*)$/.exec(m);
  if (r) {
    const cost = /cost (\d+) exceeds budget/.exec(r[2]!);
    return {
      ...pos,
      kind: 'cannot',
      func: r[1]!,
      reason: r[2]!,
      ...(cost ? { cost: Number(cost[1]) } : {}),
      message: m,
    };
  }
  r = /^inlining call to (.+)$/.exec(m);
  if (r) return { ...pos, kind: 'call', func: r[1]!, message: m };
  return undefined;
}

/**
 * Parses `go build -gcflags=-m=2` output (or -m, which has no flow lines). `cwd` is the directory
 * go ran in: the compiler prints paths relative to it ("./main.go", "../pkg/x.go").
 */
export function parseGcText(text: string, cwd: string): GcDiagnostics {
  const escapes: GcEscape[] = [];
  const inlining: GcInline[] = [];
  // Explanations ("X escapes to heap:" / "parameter p leaks to … :") by position and subject.
  const explained = new Map<string, GcFlowStep[]>();
  let open: GcFlowStep[] | undefined;
  let openPos: GcPos | undefined;
  // The compiler prints few distinct file names: resolve each once.
  const resolved = new Map<string, string>();
  const abs = (rel: string) => {
    let a = resolved.get(rel);
    if (a === undefined) resolved.set(rel, (a = joinPath(cwd, rel)));
    return a;
  };
  const key = (p: GcPos, subject: string) => `${p.file}:${p.line}:${p.column}\u0000${subject}`;
  const flowOf = (p: GcPos, subject: string) => explained.get(key(p, subject)) ?? [];
  for (const raw of text.split(/\r?\n/)) {
    const r = POS_LINE.exec(raw);
    if (!r) {
      open = undefined;
      continue;
    }
    const pos: GcPos = { file: abs(r[1]!), line: Number(r[2]), column: Number(r[3]) };
    const m = r[4]!;
    if (/^ {2,}\S/.test(m)) {
      // A flow line of the explanation that is open.
      if (!open || !openPos) continue;
      const t = m.trim();
      const at = AT_POS.exec(t);
      open.push(
        at
          ? {
              text: t.slice(0, at.index),
              at: { file: abs(at[1]!), line: Number(at[2]), column: Number(at[3]) },
            }
          : { text: t, at: openPos },
      );
      continue;
    }
    open = undefined;
    if (m.endsWith(' does not escape')) continue;
    let h = m.endsWith(' escapes to heap:') ? /^(.+) escapes to heap:$/.exec(m) : null;
    if (h) {
      const k = key(pos, h[1]!);
      if (!explained.has(k)) explained.set(k, []);
      open = explained.get(k);
      openPos = pos;
      continue;
    }
    h = m.startsWith('parameter ') ? /^parameter (\S+) leaks to .+ with derefs=-?\d+:$/.exec(m) : null;
    if (h) {
      // Several leaks of one parameter (to the heap, to a result) are told one after another.
      const k = key(pos, `param ${h[1]!}`);
      if (!explained.has(k)) explained.set(k, []);
      open = explained.get(k);
      open!.push({ text: m.slice(0, -1), at: pos });
      openPos = pos;
      continue;
    }
    let e = m.startsWith('moved to heap: ') ? /^moved to heap: (.+)$/.exec(m) : null;
    if (e) {
      escapes.push({ ...pos, kind: 'moved', subject: e[1]!, message: m, flow: flowOf(pos, e[1]!) });
      continue;
    }
    e = m.endsWith(' escapes to heap') ? /^(.+) escapes to heap$/.exec(m) : null;
    if (e) {
      escapes.push({ ...pos, kind: 'escapes', subject: e[1]!, message: m, flow: flowOf(pos, e[1]!) });
      continue;
    }
    e = m.startsWith('leaking param') ? /^leaking param(?: content)?: (\S+)/.exec(m) : null;
    if (e) {
      const flow = flowOf(pos, `param ${e[1]!}`);
      // One record per parameter (the compiler prints "leaking param" once, its flows first).
      escapes.push({ ...pos, kind: 'leak', subject: e[1]!, message: m, flow });
      continue;
    }
    const inl = parseInlineMessage(pos, m);
    if (inl) inlining.push(inl);
  }
  return { escapes, inlining };
}

interface LspPosition {
  line?: unknown;
  character?: unknown;
}
interface LspDiagnostic {
  range?: { start?: LspPosition };
  code?: unknown;
  message?: unknown;
  relatedInformation?: { location?: { uri?: unknown; range?: { start?: LspPosition } }; message?: unknown }[];
}

/** file:///a/b.go -> /a/b.go; file:///C:/x.go -> C:/x.go. */
export function fileUriToPath(uri: string): string {
  const p = decodeURIComponent(uri.replace(/^file:\/\//, ''));
  return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p;
}

function posOf(file: string, s: LspPosition | undefined): GcPos | undefined {
  const line = Number(s?.line);
  const column = Number(s?.character);
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1) return undefined;
  return { file, line, column };
}

/**
 * Parses the files of `-gcflags=-json=0,file://DIR` (each: a header line with the source file,
 * then one diagnostic per line). `sourceLine` gives a source line's text, to name the function at
 * a can/cannot-inline position (the JSON form does not name it); without it `func` is "".
 */
export function parseGcJson(
  files: readonly string[],
  sourceLine?: (file: string, line: number) => string | undefined,
): GcDiagnostics {
  const escapes: GcEscape[] = [];
  const inlining: GcInline[] = [];
  for (const content of files) {
    const lines = content.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    let file = '';
    const diags: LspDiagnostic[] = [];
    for (const [i, l] of lines.entries()) {
      let d: unknown;
      try {
        d = JSON.parse(l);
      } catch {
        continue;
      }
      if (typeof d !== 'object' || d === null) continue;
      if (i === 0 && typeof (d as { file?: unknown }).file === 'string') file = (d as { file: string }).file;
      else diags.push(d as LspDiagnostic);
    }
    if (!file) continue;
    file = file.replace(/\\/g, '/');
    // Positions where a non-name value escapes (an "escape" with no message): "X escapes to heap";
    // an explained "escape" elsewhere is a variable: "moved to heap: X".
    const valueAt = new Set<string>();
    for (const d of diags) {
      const p = posOf(file, d.range?.start);
      if (p && d.code === 'escape' && d.message === '') valueAt.add(`${p.line}:${p.column}`);
    }
    for (const d of diags) {
      const pos = posOf(file, d.range?.start);
      if (!pos || typeof d.code !== 'string' || typeof d.message !== 'string') continue;
      const msg = d.message;
      const flow: GcFlowStep[] = [];
      for (const ri of d.relatedInformation ?? []) {
        if (typeof ri.message !== 'string' || !ri.message.startsWith('escflow:')) continue;
        const rf = typeof ri.location?.uri === 'string' ? fileUriToPath(ri.location.uri) : file;
        const text = ri.message.slice('escflow:'.length).trim();
        const at = text.startsWith('flow:') ? pos : (posOf(rf, ri.location?.range?.start) ?? pos);
        flow.push({ text, at });
      }
      switch (d.code) {
        case 'escape':
        case 'escapes': {
          const s = /^(.+) escapes to heap$/.exec(msg);
          if (!s) break;
          const moved = d.code === 'escape' && !valueAt.has(`${pos.line}:${pos.column}`);
          escapes.push({
            ...pos,
            kind: moved ? 'moved' : 'escapes',
            subject: s[1]!,
            message: moved ? `moved to heap: ${s[1]!}` : msg,
            flow,
          });
          break;
        }
        case 'leak': {
          const s = /^parameter (\S+) leaks to /.exec(msg);
          if (s) escapes.push({ ...pos, kind: 'leak', subject: s[1]!, message: msg, flow });
          break;
        }
        case 'canInlineFunction': {
          const cost = /^cost: (\d+)$/.exec(msg);
          const func = funcNameAt(sourceLine?.(file, pos.line), pos.column);
          inlining.push({
            ...pos,
            kind: 'can',
            func,
            ...(cost ? { cost: Number(cost[1]) } : {}),
            message: `can inline ${func || 'this function'}${cost ? ` with cost ${cost[1]!}` : ''}`,
          });
          break;
        }
        case 'cannotInlineFunction': {
          const func = funcNameAt(sourceLine?.(file, pos.line), pos.column);
          const cost = /cost (\d+) exceeds budget/.exec(msg);
          inlining.push({
            ...pos,
            kind: 'cannot',
            func,
            reason: msg,
            ...(cost ? { cost: Number(cost[1]) } : {}),
            message: `cannot inline ${func || 'this function'}: ${msg}`,
          });
          break;
        }
        case 'cannotInlineCall':
          inlining.push({ ...pos, kind: 'cannotCall', func: '', reason: msg, message: msg });
          break;
        default:
          break;
      }
    }
  }
  return { escapes, inlining };
}

/** The identifier that starts at a 1-based column of a source line ("" when none). */
function funcNameAt(text: string | undefined, column: number): string {
  if (text === undefined) return '';
  const r = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(text.slice(column - 1));
  // A function literal ("func(…) { … }") has no name in this form (the text form says main.func1).
  return r && r[0] !== 'func' ? r[0] : '';
}

/** Records of one package's run, indexed by file and line. */
export class GcIndex {
  private readonly escapesBy = new Map<string, GcEscape[]>();
  private readonly inlineBy = new Map<string, GcInline[]>();
  /** can/cannot records by the function's short name ("mix", "(*T).Close" -> "Close"), per directory. */
  private readonly funcs = new Map<string, GcInline[]>();
  private readonly escapesMemo = new Map<string, GcEscape[]>();

  constructor(
    readonly diagnostics: GcDiagnostics,
    /** Normalises a path for lookups (e.g. lower case on Windows). */
    private readonly norm: (p: string) => string = (p) => p,
  ) {
    for (const e of diagnostics.escapes) push(this.escapesBy, `${norm(e.file)}:${e.line}`, e);
    for (const i of diagnostics.inlining) {
      push(this.inlineBy, `${norm(i.file)}:${i.line}`, i);
      if ((i.kind === 'can' || i.kind === 'cannot') && i.func)
        push(this.funcs, `${dirOf(norm(i.file))}\u0000${shortName(i.func)}`, i);
    }
  }

  /** What escapes on a line: moved/escapes first (the allocations), without duplicates. */
  escapesAt(file: string, line: number): GcEscape[] {
    const k = `${this.norm(file)}:${line}`;
    if (!this.escapesBy.has(k)) return [];
    let done = this.escapesMemo.get(k);
    if (!done) this.escapesMemo.set(k, (done = this.computeEscapesAt(k)));
    return done;
  }

  private computeEscapesAt(lineKey: string): GcEscape[] {
    const all = this.escapesBy.get(lineKey);
    if (!all) return [];
    const seen = new Set<string>();
    const out: GcEscape[] = [];
    const calls = (this.inlineBy.get(lineKey) ?? []).filter((i) => i.kind === 'call');
    for (const e of [...all].sort((a, b) => rank(a.kind) - rank(b.kind) || a.column - b.column)) {
      const k = `${e.column}\u0000${e.message}`;
      if (seen.has(k)) continue;
      seen.add(k);
      // Several calls inlined at one position (f inlined into g inlined here): the outermost is the first printed.
      const via = calls.find((c) => c.column === e.column);
      out.push(via ? { ...e, inlinedFrom: via.func } : e);
    }
    return out;
  }

  /**
   * The calls on a line and what the compiler did with each: inlined ("inlining call to f"), or
   * not, with the callee's "cannot inline f: reason" when the callee is in the same package.
   * `code` is the line's text with comments and strings blanked.
   */
  callsAt(file: string, line: number, code: string): CallInlining[] {
    const here = this.inlineBy.get(`${this.norm(file)}:${line}`) ?? [];
    const out: CallInlining[] = [];
    const seen = new Set<string>();
    for (const i of here)
      if (i.kind === 'call' && !seen.has(i.func)) {
        seen.add(i.func);
        out.push({ callee: i.func, column: i.column, inlined: true, message: i.message });
      }
    for (const i of here)
      if (i.kind === 'cannotCall') out.push({ callee: '', column: i.column, inlined: false, message: i.message });
    const dir = dirOf(this.norm(file));
    for (const m of code.matchAll(/(?<![\p{L}\p{N}_])([\p{L}_][\p{L}\p{N}_]*)\s*\(/gu)) {
      const name = m[1]!;
      if (GO_KEYWORDS.has(name) || [...seen].some((f) => shortName(f) === name)) continue;
      const decl = this.funcs.get(`${dir}\u0000${name}`);
      const cannot = decl?.find((d) => d.kind === 'cannot');
      if (!cannot) continue;
      seen.add(name);
      out.push({ callee: cannot.func, column: m.index + 1, inlined: false, message: cannot.message });
    }
    return out.sort((a, b) => a.column - b.column);
  }
}

export interface CallInlining {
  callee: string;
  column: number;
  inlined: boolean;
  /** The compiler's words: "inlining call to square", "cannot inline mix: function too complex: …". */
  message: string;
}

const GO_KEYWORDS = new Set([
  'func',
  'if',
  'for',
  'switch',
  'return',
  'go',
  'defer',
  'select',
  'case',
  'make',
  'new',
  'len',
  'cap',
  'append',
  'copy',
  'panic',
  'recover',
  'print',
  'println',
  'delete',
  'close',
]);

function rank(k: GcEscapeKind): number {
  return k === 'leak' ? 1 : 0;
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function dirOf(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}

/** "example.com/x.(*T).Close" -> "Close"; "main.func1" -> "func1"; "mix" -> "mix". */
export function shortName(f: string): string {
  return f.slice(f.lastIndexOf('.') + 1);
}

function inlineCode(s: string): string {
  return escapeMarkdown(s);
}

/** The hover section for a line: why its values live on the heap, what was (not) inlined. Markdown, every compiler word escaped. */
export function insightMarkdown(
  escapes: readonly GcEscape[],
  calls: readonly CallInlining[],
  maxFlow = 8,
  growth?: string,
): string {
  const out: string[] = [];
  const alloc = escapes.filter((e) => e.kind !== 'leak');
  if (alloc.length > 0) {
    out.push('**Why on the heap** (go build -gcflags=-m=2):');
    for (const e of alloc) {
      out.push(`- ${inlineCode(escapeText(e))}`);
      const steps = e.flow.slice(0, maxFlow);
      for (const s of steps)
        out.push(
          `    - ${inlineCode(s.text)}${s.text.startsWith('from ') ? ` ${inlineCode(`(line ${s.at.line})`)}` : ''}`,
        );
      if (e.flow.length > steps.length) out.push(`    - ${inlineCode(`… ${e.flow.length - steps.length} more`)}`);
    }
  }
  if (growth) out.push(`**Why it allocates:** ${escapeMarkdown(growth)}`);
  if (calls.length > 0) {
    out.push('**Inlining** (go build -gcflags=-m=2):');
    for (const c of calls) out.push(`- ${c.inlined ? '' : 'not inlined: '}${inlineCode(c.message)}`);
  }
  return out.join('\n');
}

/** The short text after an allocation-hot line: "⟵ heap: moved to heap: r". */
export function escapeMarkerText(escapes: readonly GcEscape[], max = 80): string | undefined {
  const alloc = escapes.filter((e) => e.kind !== 'leak');
  if (alloc.length === 0) return undefined;
  const first = alloc[0]!;
  const why = first.flow.find((s) => s.text.startsWith('from '))?.text;
  let t = `heap: ${escapeText(first)}${alloc.length > 1 ? ` (+${alloc.length - 1})` : ''}`;
  if (why && first.flow.length <= 3) t += ` · ${why}`;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * Why an allocation-hot line that calls append allocates when the compiler has no escape note for
 * it: append grows the slice, and runtime.growslice allocates the larger backing array (heap
 * profiles put those bytes in growslice, the line holding only cum). `code` is the line with
 * comments and strings blanked; undefined when it has no append call.
 */
export function appendGrowthNote(code: string): string | undefined {
  if (!/(^|[^\w.])append\s*\(/.test(code)) return undefined;
  return 'append grows the slice: runtime.growslice allocates a larger backing array (about 1.25–2× the capacity) and copies the elements into it. Preallocate with make([]T, 0, n) when the final length is known.';
}

/** The marker after such a line: "heap: append grows the backing array (runtime.growslice)". */
export const APPEND_GROWTH_MARKER = 'heap: append grows the backing array (runtime.growslice)';

/** The short text after a CPU-hot call site whose callee was not inlined. */
export function inlineMarkerText(calls: readonly CallInlining[], max = 80): string | undefined {
  const not = calls.find((c) => !c.inlined);
  if (!not) return undefined;
  const t = not.message;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** How a hot spot's bytes come about, for its row: on the line, in what it calls, or both. */
export function allocSpotCause(s: AllocSpotInput, label: (v: number) => string): string {
  const via = s.via ?? 0;
  if (via === 0) return 'allocated here';
  const inCallee = s.callee ? `in ${s.callee}` : 'in what it calls';
  if (via === s.bytes) return `allocated ${inCallee} (called here)`;
  return `${label(s.bytes - via)} here, ${label(via)} ${inCallee}`;
}

/** Sample types of allocation profiles (heap: alloc_* and inuse_*; Go's allocs profile too). */
export function isAllocationSampleType(type: string): boolean {
  return /^(alloc|inuse)_(space|objects)$/.test(type);
}

/** The sample type to rank allocation hot spots by: the current one if it is a bytes type, else alloc_space, else inuse_space. */
export function allocationRankIndex(types: readonly { type: string; unit: string }[], current: number): number {
  if (types[current] && /^(alloc|inuse)_space$/.test(types[current].type)) return current;
  const a = types.findIndex((t) => t.type === 'alloc_space');
  if (a >= 0) return a;
  const i = types.findIndex((t) => t.type === 'inuse_space');
  return i >= 0 ? i : types[current] && isAllocationSampleType(types[current].type) ? current : -1;
}

export interface AllocSpotInput {
  file: string;
  line: number;
  /** What the line causes at the ranking sample type (bytes): here + via (core/allocCauses). */
  bytes: number;
  /** Of those, allocated by what it calls outside the user's code (runtime.growslice, fmt, …); 0 if unset. */
  via?: number;
  /** The function called here that allocates them. */
  callee?: string;
}

export interface AllocSpot extends AllocSpotInput {
  escapes: GcEscape[];
}

/** Allocation hot spots (bytes > 0), by bytes, with what the compiler says on each line. */
export function allocationHotSpots(lines: readonly AllocSpotInput[], index: GcIndex, limit = 100): AllocSpot[] {
  return lines
    .filter((l) => l.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.file.localeCompare(b.file) || a.line - b.line)
    .slice(0, limit)
    .map((l) => ({ ...l, escapes: index.escapesAt(l.file, l.line).filter((e) => e.kind !== 'leak') }));
}

export interface GcBuildOptions {
  /** Package directories relative to the directory go runs in ("." or "./pkg/x"). */
  packages: readonly string[];
  /** go.buildFlags of the Go extension (a -gcflags or -o among them is replaced by ours). */
  buildFlags?: readonly string[];
  /** go.buildTags of the Go extension ("a,b"). */
  buildTags?: string;
  /** The null device (os.devNull): go build -o to it writes no binary, for one package or several, main or not. */
  devNull: string;
}

/**
 * The argv of `go build` that prints the diagnostics of the given packages (only those: -gcflags
 * without a pattern applies to the packages named on the command line) and writes no binary.
 */
export function gcBuildArgs(o: GcBuildOptions): string[] {
  const args = ['build'];
  const flags = (o.buildFlags ?? []).filter((f) => typeof f === 'string' && f !== '');
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    // Ours decide -gcflags and -o; a -tags in buildFlags wins over go.buildTags, as in vscode-go.
    if (/^--?(gcflags|o)$/.test(f)) {
      i++;
      continue;
    }
    if (/^--?(gcflags|o)=/.test(f)) continue;
    args.push(f);
  }
  const tags = (o.buildTags ?? '').trim();
  if (tags !== '' && !flags.some((f) => /^--?tags(=|$)/.test(f))) args.push(`-tags=${tags}`);
  args.push(
    '-gcflags=-m=2',
    '-o',
    o.devNull,
    ...o.packages.map((p) => (p === '.' || /^\.\.?\//.test(p) ? p : `./${p}`)),
  );
  return args;
}
