/** The CLI run in this process: its standard output, asserting it exited 0 (its standard error otherwise). */
import assert from 'node:assert/strict';
import { run } from '../../../src/cli';

export function cliOut(args: string[], io?: Parameters<typeof run>[3]): string {
  let out = '';
  let err = '';
  const code = run(
    args,
    (s) => (out += s),
    (s) => (err += s),
    io,
  );
  assert.equal(code, 0, err);
  return out;
}
