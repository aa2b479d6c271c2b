/** Helpers shared by the install/first-run integration tests. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Decoration, VSCode } from '../harness/vscode';
import { listRows as listRowsOf } from '../harness/golden';

export const ROOT = path.resolve(__dirname, '../../..');
export const OVERLAYS_FIXTURE = path.join(ROOT, 'test/integration/overlays/fixture');

/** flat/cum per line of `file` in a `go tool pprof -list` golden of the overlays fixture. */
export function listRows(golden: string, file: string): Map<number, [string, string]> {
  return listRowsOf(path.join(OVERLAYS_FIXTURE, 'golden', golden), file);
}

export function decorationRows(ds: Decoration[]): Map<number, [string, string]> {
  return new Map(
    ds.map((d) => [
      d.line,
      d.text
        .replace(/\u00a0/g, ' ')
        .trim()
        .split(/\s+/) as [string, string],
    ]),
  );
}

/** A copy of the overlays fixture (go/ and profiles/) in a fresh temp folder, plus extra files. */
export function tempWorkspace(name: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pprof-lens-${name}-`));
  cpSync(path.join(OVERLAYS_FIXTURE, 'go'), path.join(dir, 'go'), { recursive: true });
  cpSync(path.join(OVERLAYS_FIXTURE, 'profiles'), path.join(dir, 'profiles'), { recursive: true });
  for (const [rel, text] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Clicks the CodeLens whose text is `text` on the active editor. */
export async function clickCodeLens(vs: VSCode, text: string): Promise<void> {
  const link = vs.page.locator('.monaco-editor .codelens-decoration a', { hasText: text }).first();
  await link.waitFor({ state: 'visible', timeout: 20_000 });
  await link.click();
}

/** Waits until the extension host log says pprof-lens was activated; returns the activation event. */
export async function waitActivated(vs: VSCode, id = 'pprof-lens.pprof-lens'): Promise<string> {
  const rx = new RegExp(`_doActivateExtension ${id.replace(/\./g, '\\.')}, startup: \\w+, activationEvent: '([^']+)'`);
  return vs.waitFor(async () => rx.exec(vs.logs().extensionHost)?.[1], {
    message: `${id} was not activated`,
    timeoutMs: 60_000,
  });
}
