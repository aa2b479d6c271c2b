/**
 * Comparing with goldens, for the unit tests: reports line by line (the first differing line named),
 * and -list goldens read as flat/cum per line (the reader the integration tests use too).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export { listRows } from '../../integration/harness/golden';

/** got equals want line by line; a failure names the first line that differs (and `what`). */
export function assertSameLines(got: string, want: string, what = ''): void {
  const g = got.split('\n');
  const w = want.split('\n');
  const prefix = what ? `${what} ` : '';
  for (let i = 0; i < Math.max(g.length, w.length); i++) assert.equal(g[i], w[i], `${prefix}line ${i + 1}`);
}

/** The files of a -list golden's ROUTINE headers, as the profile names them, each once, in order. */
export function listFiles(goldenPath: string): string[] {
  const files = new Set<string>();
  for (const line of readFileSync(goldenPath, 'utf8').split('\n')) {
    const h = /^ROUTINE =+ \S+ in (.+)$/.exec(line);
    if (h) files.add(h[1]!);
  }
  return [...files];
}
