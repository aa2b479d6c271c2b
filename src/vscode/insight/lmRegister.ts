/**
 * Registers the Language Model Tools declared in package.json (contributes.languageModelTools).
 * engines.vscode stays ^1.74: vscode.lm.registerTool exists from VS Code 1.95 on, so it is looked
 * up at run time through the small local types below; on an older VS Code nothing is registered.
 * The tools' code (lmTools.ts) loads from its own bundle on the first call (esbuild.mjs).
 */
import * as vscode from 'vscode';

/** The parts of the vscode.lm API used here (VS Code >= 1.95), typed locally. */
interface LmTool {
  invoke(options: { readonly input: unknown }, token: vscode.CancellationToken): Promise<unknown>;
  prepareInvocation?(options: { readonly input: unknown }): { invocationMessage?: string } | undefined;
}
interface LmApi {
  registerTool(name: string, tool: LmTool): vscode.Disposable;
}

export const LM_TOOLS = {
  pprof_top: 'Reading the profile’s top functions',
  pprof_list: 'Reading per-line costs (pprof -list)',
  pprof_peek: 'Reading callers and callees (pprof -peek)',
  pprof_diff: 'Comparing the profile with a base',
} as const;

export type LmToolName = keyof typeof LM_TOOLS;

/** Registers every tool where the API exists ([] on an older VS Code); run is called per invocation. */
export function registerLmTools(run: (name: LmToolName, input: unknown) => Promise<unknown>): vscode.Disposable[] {
  const lm = (vscode as unknown as { lm?: Partial<LmApi> }).lm;
  if (typeof lm?.registerTool !== 'function') return [];
  const api = lm as LmApi;
  return (Object.keys(LM_TOOLS) as LmToolName[]).map((name) =>
    api.registerTool(name, {
      invoke: (o) => run(name, o.input),
      prepareInvocation: () => ({ invocationMessage: LM_TOOLS[name] }),
    }),
  );
}
