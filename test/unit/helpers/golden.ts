/**
 * Comparing with goldens, for the unit tests: reports line by line (the first differing line named),
 * and -list goldens read as flat/cum per line (the reader the integration tests use too).
 */
import assert from 'node:assert/strict';

export { listRows } from '../../integration/harness/golden';

/** got equals want line by line; a failure names the first line that differs (and `what`). */
export function assertSameLines(got: string, want: string, what = ''): void {
  const g = got.split('\n');
  const w = want.split('\n');
  const prefix = what ? `${what} ` : '';
  for (let i = 0; i < Math.max(g.length, w.length); i++) assert.equal(g[i], w[i], `${prefix}line ${i + 1}`);
}
