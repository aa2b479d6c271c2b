/**
 * A loaded profile on the host side: the packed annotations from the worker, read through small
 * accessors, and the worker that still holds the decoded profile for queries. No vscode import.
 */
import type { WorkerClient } from './workerClient';
import type { PackedAnnotations } from '../../worker/protocol';

export interface LineView {
  line: number;
  /** Index into the packed line arrays. */
  index: number;
}

export interface FunctionView {
  index: number;
  name: string;
  file: number;
  startLine: number;
  firstLine: number;
  lastLine: number;
  /** "" | " (inline)" | " (partial-inline)", as pprof's top prints after the name. */
  inlineLabel: string;
}

export class LoadedProfile {
  readonly T: number;
  private readonly fileIdx = new Map<string, number>();
  private functionsCache?: FunctionView[];

  constructor(
    /** Display name, e.g. "cpu.pb.gz". */
    readonly name: string,
    /** Where it came from (a URI string). */
    readonly source: string,
    readonly data: PackedAnnotations,
    readonly worker: WorkerClient,
  ) {
    this.T = data.sampleTypes.length;
    data.files.forEach((f, i) => this.fileIdx.set(f, i));
  }

  fileIndex(profileFile: string): number | undefined {
    return this.fileIdx.get(profileFile);
  }

  lines(file: number): LineView[] {
    const out: LineView[] = [];
    for (let i = this.data.fileLineStart[file]!; i < this.data.fileLineStart[file + 1]!; i++)
      out.push({ line: this.data.lineNo[i]!, index: i });
    return out;
  }

  lineFlat(index: number, t: number): number {
    return this.data.lineFlat[index * this.T + t]!;
  }

  lineCum(index: number, t: number): number {
    return this.data.lineCum[index * this.T + t]!;
  }

  functionsOf(file: number): FunctionView[] {
    return this.allFunctions().filter((f) => f.file === file);
  }

  allFunctions(): FunctionView[] {
    if (this.functionsCache) return this.functionsCache;
    const d = this.data;
    const out: FunctionView[] = [];
    for (let file = 0; file < d.files.length; file++) {
      for (let i = d.fileFuncStart[file]!; i < d.fileFuncStart[file + 1]!; i++) {
        const inl = d.funcInline?.[i] ?? 0;
        out.push({
          index: i,
          name: d.funcName[i]!,
          file,
          startLine: d.funcStartLine[i]!,
          firstLine: d.funcFirstLine[i]!,
          lastLine: d.funcLastLine[i]!,
          inlineLabel: inl === 1 ? ' (inline)' : inl === 2 ? ' (partial-inline)' : '',
        });
      }
    }
    return (this.functionsCache = out);
  }

  funcFlat(index: number, t: number): number {
    return this.data.funcFlat[index * this.T + t]!;
  }

  funcCum(index: number, t: number): number {
    return this.data.funcCum[index * this.T + t]!;
  }

  total(t: number): number {
    return this.data.totals[t]!;
  }

  dispose(): void {
    this.worker.terminate('The profile was closed.');
  }
}
