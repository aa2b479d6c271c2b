/**
 * The worker's report operation (what the language model tools answer with): go tool pprof's
 * -top, -list and -peek text on the loaded view, compared byte for byte with Go 1.19's
 * `go tool pprof` goldens of test/fixtures (commands.tsv): cpu.pb.gz, and leak_after.pb.gz with
 * -base leak_before.pb.gz. list reads the sources through the profile-file -> local-file map the
 * extension gives it (here /tmp/gopher/src/example.com/fixtures -> test/fixtures/go).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProfileOps } from '../../src/worker/ops';

const fx = path.resolve(__dirname, '../fixtures');
const bytes = (f: string) => new Uint8Array(readFileSync(path.join(fx, 'profiles', f)));
const golden = (f: string) => readFileSync(path.join(fx, 'golden', f), 'utf8');

describe('worker report op: go tool pprof text for the language model tools', () => {
  const cpu = ProfileOps.load({ bytes: bytes('cpu.pb.gz') });
  const si = cpu.packed.sampleTypes.findIndex((t) => t.type === 'cpu');

  it('top -nodecount=1000 equals go tool pprof -top, with each function file:line', () => {
    const r = cpu.ops.report({ kind: 'top', sampleIndex: si, nodeCount: 1000 });
    assert.equal(r.text, golden('cpu/cpu/top.txt'));
    const fib = r.locations.find((l) => l.name === 'example.com/fixtures/internal/work.Fib');
    assert.equal(fib?.file, '/tmp/gopher/src/example.com/fixtures/internal/work/work.go');
    assert.equal(fib?.line, 25);
  });
  it('top -cum equals go tool pprof -top -cum', () => {
    assert.equal(
      cpu.ops.report({ kind: 'top', sampleIndex: si, nodeCount: 1000, cum: true }).text,
      golden('cpu/cpu/top_cum.txt'),
    );
  });
  it('peek equals go tool pprof -peek', () => {
    assert.equal(
      cpu.ops.report({ kind: 'peek', sampleIndex: si, pattern: 'main\\.' }).text,
      golden('cpu/cpu/peek.txt'),
    );
  });
  it('list reads the mapped sources and equals go tool pprof -list', () => {
    const sources: Record<string, string> = {};
    for (const f of cpu.packed.files)
      if (f.startsWith('/tmp/gopher/src/example.com/fixtures/'))
        sources[f] = path.join(fx, 'go', f.slice('/tmp/gopher/src/example.com/fixtures/'.length));
    const r = cpu.ops.report({ kind: 'list', sampleIndex: si, pattern: '^main\\.|^example\\.com/fixtures/', sources });
    assert.equal(r.text, golden('cpu/cpu/list.txt'));
    assert.ok(r.locations.some((l) => l.name === 'main.countWords' && l.file.endsWith('/cpu/scan.go')));
    // Without the map, the block says the source is not in the workspace (pprof's words for a missing file).
    assert.match(
      cpu.ops.report({ kind: 'list', sampleIndex: si, pattern: 'work\\.Fib' }).text,
      / Error: open \/tmp\/gopher\/src\/example\.com\/fixtures\/internal\/work\/work\.go: no such file in the workspace/,
    );
  });
  it('a pattern that matches nothing or does not parse is an error in pprof words', () => {
    assert.throws(
      () => cpu.ops.report({ kind: 'peek', sampleIndex: si, pattern: 'nothing' }),
      /no matches found for regexp: nothing/,
    );
    assert.throws(
      () => cpu.ops.report({ kind: 'list', sampleIndex: si, pattern: 'a(' }),
      /parsing argument regexp a\(: error parsing regexp: missing closing \)/,
    );
  });
  it('the diff against a base (-base) equals go tool pprof -top -base', () => {
    const d = ProfileOps.load({
      bytes: bytes('leak_after.pb.gz'),
      base: { bytes: bytes('leak_before.pb.gz'), name: 'leak_before.pb.gz', mode: 'base' },
    });
    for (const t of ['inuse_space', 'alloc_objects']) {
      const i = d.packed.sampleTypes.findIndex((x) => x.type === t);
      assert.equal(
        d.ops.report({ kind: 'top', sampleIndex: i, nodeCount: 1000 }).text,
        golden(`leak_diff/${t}/top_base.txt`),
        t,
      );
    }
  });
});
