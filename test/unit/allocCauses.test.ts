import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lineCauses } from '../../src/core/allocCauses';
import { parseProfile } from '../../src/core/decode';
import { allocSpotCause } from '../../src/core/gcdiag';
import { listValue } from '../../src/core/heat';
import { listRows } from './helpers/golden';

const fx = path.resolve(__dirname, '../fixtures/escape');
const golden = path.join(fx, 'diag/heap_alloc_space.list');
const src = readFileSync(path.join(fx, 'go/main.go'), 'utf8').split('\n');
const lineOf = (code: string) => src.findIndex((l) => l.includes(code)) + 1;

describe("core/allocCauses: what the user's lines cause in a heap profile (escape fixture, go tool pprof -list)", () => {
  const p = parseProfile(new Uint8Array(readFileSync(path.join(fx, 'profiles/heap.pb.gz'))));
  const t = p.sampleTypes.findIndex((x) => x.type === 'alloc_space');
  const rows = lineCauses(p, t, (f) => f.endsWith('/escape/main.go'));
  const at = (line: number) => rows.find((r) => r.line === line);
  const list = listRows(golden, 'main.go');

  it("a line that allocates itself: its bytes are -list's flat, all 'here'", () => {
    for (const code of [
      'r := record{id: id}',
      'return make([]int, n)',
      'records = append(records',
      'labels = append(labels',
    ]) {
      const r = at(lineOf(code))!;
      assert.ok(r, code);
      assert.equal(listValue(r.here, 'bytes'), list.get(r.line)![0], code);
      assert.equal(r.via, 0, code);
    }
  });

  it('a line calling only the standard library: here is its flat, here + via its cum, via names the callee', () => {
    const r = at(lineOf('return fmt.Sprint(id)'))!;
    const [flat, cum] = list.get(r.line)!;
    assert.equal(listValue(r.here, 'bytes'), flat);
    assert.equal(listValue(r.here + r.via, 'bytes'), cum);
    assert.ok(r.via > 0);
    assert.equal(r.callee, 'fmt.Sprint');
    assert.equal(
      allocSpotCause({ file: '', line: 0, bytes: r.here + r.via, via: r.via, callee: r.callee }, (v) =>
        listValue(v, 'bytes'),
      ),
      `27.25kB here, 1.13kB in fmt.Sprint`,
    );
  });

  it("lines that only call the user's own allocating lines are not listed again (-list: cum only)", () => {
    for (const code of ['total += len(window(', 'allocate(2000)']) {
      const line = lineOf(code);
      assert.equal(list.get(line)![0], '.', `${code}: -list has cum only`);
      assert.equal(at(line), undefined, code);
    }
  });

  it("every sample through the user's code is charged once", () => {
    const sum = rows.reduce((a, r) => a + r.here + r.via, 0);
    const main = list.get(lineOf('allocate(2000)'))![1];
    // main's allocate(2000) holds (its cum) everything the program allocated below it.
    assert.equal(listValue(sum, 'bytes'), main);
  });

  it('a line whose bytes are all in a callee says so', () => {
    const label = (v: number) => listValue(v, 'bytes');
    assert.equal(
      allocSpotCause({ file: 'a.go', line: 3, bytes: 4096, via: 4096, callee: 'runtime.growslice' }, label),
      'allocated in runtime.growslice (called here)',
    );
    assert.equal(allocSpotCause({ file: 'a.go', line: 3, bytes: 4096 }, label), 'allocated here');
  });
});
