/**
 * Properties every report must have, on real profiles and every sample type: the flat column
 * adds up to the total, cum is never below flat, a node's cum is at most the total (cum is
 * counted once per sample), the editor annotations agree with the list and top reports, and
 * inlined frames survive aggregation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { annotate } from '../../src/core/annotate';
import { parseProfile } from '../../src/core/decode';
import { buildGraph, buildNodeTable, type Granularity } from '../../src/core/graph';
import { sampleLocs, type Profile } from '../../src/core/model';
import { listReport, reportTotal, topReport } from '../../src/core/report';
import { sharedPath } from './helpers/shared';

const profiles: [string, Profile][] = [
  'pprof-testdata/internal/report/testdata/sample.cpu',
  'pprof-testdata/internal/proftest/testdata/large.cpu',
  'pprof-testdata/synthesized/driver.heap.demangled.pb.gz',
  'pprof-testdata/synthesized/driver.cpu.demangled.pb.gz',
  'pprof-testdata/synthesized/driver.contention.demangled.pb.gz',
  'pprof-testdata/synthesized/report.testProfile.pb.gz',
  'pprof-testdata/profile/testdata/gobench.heap',
  'pprof-testdata/profile/testdata/cppbench.contention',
].map((f) => [f.split('/').pop()!, parseProfile(readFileSync(sharedPath(f)))]);

const granularities: Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

/** Total of samples that reach at least one node (pprof counts the rest in the total only). */
function attributedTotal(p: Profile, si: number): number {
  const T = p.sampleTypes.length;
  let sum = 0;
  for (let i = 0; i < p.samples.count; i++) {
    if (sampleLocs(p.samples, i).length > 0) sum += p.samples.values[i * T + si]!;
  }
  return sum;
}

describe('invariants on real profiles', () => {
  for (const [name, p] of profiles) {
    describe(name, () => {
      p.sampleTypes.forEach((st, si) => {
        for (const g of granularities) {
          it(`${st.type}, ${g}: sum of flat = total, flat <= cum <= total`, () => {
            const opts = { sampleIndex: si, granularity: g };
            const graph = buildGraph(p, buildNodeTable(p, opts), opts);
            const total = attributedTotal(p, si);
            let flatSum = 0;
            for (const n of graph.nodes) {
              flatSum += n.flat;
              assert.ok(
                Math.abs(n.flat) <= Math.abs(n.cum) + 1e-9,
                `${n.printableName}: flat ${n.flat} > cum ${n.cum}`,
              );
              assert.ok(
                Math.abs(n.cum) <= reportTotal(p, si) + 1e-9,
                `${n.printableName}: cum ${n.cum} over the total`,
              );
            }
            assert.ok(Math.abs(flatSum - total) <= Math.abs(total) * 1e-12, `flat sum ${flatSum} != ${total}`);
          });
        }

        it(`${st.type}: annotations agree with list (per line) and top (per function)`, () => {
          const a = annotate(p);
          const symbolized = p.functions.some((f) => f.name !== '');
          const blocks = symbolized ? listReport(p, { sampleIndex: si }, /./).blocks : [];
          for (const b of blocks) {
            const f = a.files.find((x) => x.file === b.file);
            assert.ok(f, `no annotations for ${b.file}`);
            for (const l of b.lines) {
              if (l.flat === 0 && l.cum === 0) continue;
              const al = f.lines.find((x) => x.line === l.line);
              assert.ok(al, `${b.file}:${l.line} missing`);
              // A line shared by several functions sums them, in list's blocks and in annotations.
              assert.ok(al.flat[si]! >= l.flat - 1e-9 && al.cum[si]! >= l.cum - 1e-9, `${b.file}:${l.line}`);
            }
          }
          const top = topReport(p, { sampleIndex: si, nodeFraction: 0, edgeFraction: 0 });
          const byName = new Map<string, { flat: number; cum: number }>();
          for (const f of a.files) {
            for (const fn of f.functions) {
              const e = byName.get(fn.name) ?? { flat: 0, cum: 0 };
              e.flat += fn.flat[si]!;
              e.cum = Math.max(e.cum, fn.cum[si]!);
              byName.set(fn.name, e);
            }
          }
          for (const row of top.rows) {
            const e = byName.get(row.function);
            if (!e || row.function === '') continue;
            assert.equal(e.flat, row.flat, `${row.function} flat`);
          }
          assert.equal(a.totals[si], reportTotal(p, si));
        });
      });
    });
  }

  it('inlined frames are kept as their own lines and nodes (sample.cpu)', () => {
    const p = profiles.find(([n]) => n === 'sample.cpu')![1];
    const top = topReport(p, { sampleIndex: 1, nodeFraction: 0 });
    const inline = top.rows.filter((r) => r.inline === '(inline)').map((r) => r.function);
    assert.ok(inline.includes('math.Abs'), inline.join(', '));
    assert.ok(inline.includes('runtime.add'), inline.join(', '));
    const noInl = topReport(p, { sampleIndex: 1, nodeFraction: 0, noInlines: true });
    assert.ok(!noInl.rows.some((r) => r.function === 'math.Abs'), 'noinlines folds math.Abs into its caller');
  });

  it('a recursive function counts once per sample in cum (report.testProfile)', () => {
    const p = profiles.find(([n]) => n === 'report.testProfile.pb.gz')![1];
    const top = topReport(p, { sampleIndex: 1, nodeFraction: 0 });
    const tee = top.rows.find((r) => r.function === 'tee')!;
    assert.ok(tee.cum <= top.total, `tee cum ${tee.cum} <= total ${top.total}`);
    // list sums per-line cum, so the recursive tee exceeds the total there, as pprof prints it.
    const list = listReport(p, { sampleIndex: 1 }, /^tee$/);
    assert.ok(list.blocks[0]!.cum > top.total);
  });
});
