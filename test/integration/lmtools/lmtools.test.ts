/**
 * The Language Model Tools inside a real VS Code (code-server 4.100.3 = VS Code 1.100): a
 * test-only helper extension (helper/, loaded beside pprof-lens, never packaged) calls
 * vscode.lm.invokeTool as a chat agent would, on the profile the editor has open. Each answer's
 * report part must equal Go 1.19's `go tool pprof` output for the same request
 * (test/fixtures/golden: -top, -list, -peek on cpu.pb.gz; -top -base on the leak profiles), and
 * list's source lines come from the workspace files the profile's /tmp/gopher paths map to.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { launch, REPO_ROOT, type VSCode } from '../harness/vscode';

const fx = path.join(REPO_ROOT, 'test/fixtures');
const golden = (f: string) => readFileSync(path.join(fx, 'golden', f), 'utf8');

interface Results {
  tools: { name: string; tags: string[]; inputSchema: unknown }[];
  results: { name: string; parts?: string[]; error?: string }[];
}

describe('language model tools in a real VS Code (vscode.lm.invokeTool)', function () {
  this.timeout(240_000);
  let vs: VSCode;
  let ws: string;

  async function invoke(requests: { name: string; input: unknown }[]): Promise<Results> {
    const out = path.join(ws, 'lm-results.json');
    rmSync(out, { force: true });
    writeFileSync(path.join(ws, 'lm-requests.json'), JSON.stringify(requests));
    await vs.runCommand('LM Test: Invoke pprof Tools');
    await vs.waitFor(async () => existsSync(out), { timeoutMs: 60_000, message: 'lm-results.json' });
    return JSON.parse(readFileSync(out, 'utf8')) as Results;
  }

  before(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'pprof-lens-lmtools-'));
    cpSync(path.join(fx, 'go'), path.join(ws, 'go'), { recursive: true });
    mkdirSync(path.join(ws, 'profiles'));
    for (const f of ['cpu.pb.gz', 'leak_before.pb.gz', 'leak_after.pb.gz'])
      cpSync(path.join(fx, 'profiles', f), path.join(ws, 'profiles', f));
    vs = await launch({
      workspace: ws,
      extensionDevelopmentPath: [REPO_ROOT, path.join(__dirname, 'helper')],
      // code-server's workbench takes one development folder: both are installed (symlinked) instead.
      extensionMode: 'install',
    });
  });
  after(async () => {
    await vs?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('lists the four tools and, with no profile open, says how to open one', async () => {
    const r = await invoke([{ name: 'pprof_top', input: {} }]);
    assert.deepEqual(r.tools.map((t) => t.name).sort(), ['pprof_diff', 'pprof_list', 'pprof_peek', 'pprof_top']);
    assert.ok(r.tools.every((t) => t.tags.includes('pprof')));
    assert.match(r.results[0]!.parts?.[0] ?? r.results[0]!.error ?? '', /No profile is open in pprof-lens/);
  });

  it("answers top, list and peek on the open profile with go tool pprof's exact text", async () => {
    await vs.openFile('profiles/cpu.pb.gz');
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => /cpu\.pb\.gz/.test(s)), {
      message: 'cpu.pb.gz loaded',
    });
    const r = await invoke([
      { name: 'pprof_top', input: { sampleType: 'cpu', nodeCount: 1000 } },
      { name: 'pprof_list', input: { function: '^main\\.|^example\\.com/fixtures/', sampleType: 'cpu' } },
      { name: 'pprof_peek', input: { function: 'main\\.', sampleType: 'cpu' } },
      { name: 'pprof_top', input: { sampleType: 'cpu', nodeCount: 1000, sortBy: 'cum' } },
      { name: 'pprof_list', input: { function: 'nothing_matches_this' } },
      { name: 'pprof_top', input: { sampleType: 'alloc_space' } },
      { name: 'pprof_diff', input: {} },
    ]);
    const [top, list, peek, topCum, none, badType, noBase] = r.results.map((x) => {
      assert.equal(x.error, undefined, x.error);
      return x.parts!;
    });
    assert.equal(top![1], golden('cpu/cpu/top.txt'));
    assert.match(top![0]!, /^Profile: cpu\.pb\.gz \(.*\/profiles\/cpu\.pb\.gz\)$/m);
    assert.match(
      top![0]!,
      /^Same numbers as: go tool pprof -sample_index=cpu -top -nodecount=1000 \S+\/profiles\/cpu\.pb\.gz$/m,
    );
    assert.match(
      top![2]!,
      /^example\.com\/fixtures\/internal\/work\.Fib {2}\/tmp\/gopher\/src\/example\.com\/fixtures\/internal\/work\/work\.go:25 {2}\(local: .*\/go\/internal\/work\/work\.go:25\)$/m,
    );
    // list's source lines come from the workspace (the profile's /tmp/gopher paths mapped by go.mod).
    assert.equal(list![1], golden('cpu/cpu/list.txt'));
    assert.equal(peek![1], golden('cpu/cpu/peek.txt'));
    assert.equal(topCum![1], golden('cpu/cpu/top_cum.txt'));
    assert.match(none![0]!, /no matches found for regexp: nothing_matches_this/);
    assert.match(badType![0]!, /has no sample type "alloc_space"; it has samples, cpu/);
    assert.match(noBase![0]!, /not compared with a base/);
  });

  it('pprof_diff compares with a base file without changing what the editor shows', async () => {
    await vs.openFile('profiles/leak_after.pb.gz');
    await vs.waitFor(async () => (await vs.statusBarItems()).some((s) => /leak_after\.pb\.gz/.test(s)), {
      message: 'leak_after.pb.gz loaded',
    });
    const r = await invoke([
      { name: 'pprof_diff', input: { base: 'profiles/leak_before.pb.gz', sampleType: 'inuse_space', nodeCount: 1000 } },
      {
        name: 'pprof_diff',
        input: { base: 'profiles/leak_before.pb.gz', sampleType: 'alloc_objects', nodeCount: 1000 },
      },
    ]);
    const [inuse, objects] = r.results.map((x) => x.parts!);
    assert.equal(inuse![1], golden('leak_diff/inuse_space/top_base.txt'));
    assert.equal(objects![1], golden('leak_diff/alloc_objects/top_base.txt'));
    assert.match(inuse![0]!, /^Compared with: leak_before\.pb\.gz \(-base: the base subtracted/m);
    assert.match(inuse![0]!, /-top -nodecount=1000 -base=\S+\/profiles\/leak_before\.pb\.gz \S+\/leak_after\.pb\.gz$/m);
    // The editor still shows leak_after.pb.gz alone (no comparison item in the status bar).
    assert.ok(!(await vs.statusBarItems()).some((s) => s.includes('Δ')));
  });
});
