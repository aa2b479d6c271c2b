/**
 * The benchmark's probe in the extension host (npm run bench:editor), started only when the
 * environment of the extension host has PPROF_LENS_PERF_LOG=<file>: no setting, so no workspace
 * can turn it on. It appends JSON lines to that file:
 *   - {kind: 'lag', at, ms}: the event loop was blocked for ms (a 10 ms timer that fired ms late;
 *     every block over 20 ms is written, with the wall-clock time it ended);
 *   - {kind: 'session', at, change, ms}: the session changed (a profile loaded, its sources mapped,
 *     a sample-type switch) and its listeners (decorations of the visible editors, CodeLens,
 *     status bar, views, the panel's request) ran for ms, synchronously (a load also says how long
 *     the worker decoded and annotated);
 *   - {kind: 'delay', at, max, p99, mean}: perf_hooks' event-loop delay histogram since the
 *     previous one (each second while something happens, in ms).
 * With PPROF_LENS_PERF_CPUPROFILE=<file> too, the extension host's CPU profile of its first 15 s
 * (PPROF_LENS_PERF_CPUPROFILE_MS) goes to that file (node:inspector, in this process).
 * Loaded from dist/lazyFeatures.js, so it adds nothing to the extension bundle.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Disposable } from 'vscode';
import type { Session } from './profile/session';

export function startPerfProbe(session: Session, file: string): Disposable {
  const write = (o: Record<string, unknown>) => {
    try {
      appendFileSync(file, `${JSON.stringify({ ...o, at: Date.now() })}\n`);
    } catch {
      // the benchmark's file is gone: nothing to report to
    }
  };
  write({ kind: 'start' });
  // The event loop: a timer due every 10 ms; a late one means the loop was blocked that long.
  let expected = performance.now() + 10;
  const lag = setInterval(() => {
    const now = performance.now();
    const late = now - expected;
    if (late > 20) write({ kind: 'lag', ms: Math.round(late) });
    expected = now + 10;
  }, 10);
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const hist = setInterval(() => {
    if (h.count === 0) return;
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    write({ kind: 'delay', max: ms(h.max), p99: ms(h.percentile(99)), mean: ms(h.mean) });
    h.reset();
  }, 1000);
  const cpuFile = process.env.PPROF_LENS_PERF_CPUPROFILE;
  let cpu: ReturnType<typeof setTimeout> | undefined;
  if (cpuFile) {
    const ins = new Inspector();
    const fail = (e: unknown) => write({ kind: 'error', message: String(e) });
    try {
      ins.connect();
      ins.post('Profiler.enable', (e1) =>
        ins.post('Profiler.start', (e2) => {
          if (e1 || e2) fail(e1 ?? e2);
          cpu = setTimeout(
            () =>
              ins.post('Profiler.stop', (err, r) => {
                try {
                  if (err) throw err;
                  writeFileSync(cpuFile, JSON.stringify(r.profile));
                  write({ kind: 'cpuprofile', file: cpuFile });
                } catch (e) {
                  fail(e);
                }
                ins.disconnect();
              }),
            Number(process.env.PPROF_LENS_PERF_CPUPROFILE_MS) || 15_000,
          );
        }),
      );
    } catch (e) {
      fail(e);
    }
  }
  // Each change of the session: how long its listeners ran (all run inside its fire(), in order).
  session.onFired = (change, ms) => {
    const sum = change === 'profile' ? session.profile?.data.summary : undefined;
    write({
      kind: 'session',
      change,
      ms: Math.round(ms * 10) / 10,
      // The worker's part of a load: decoding, then the view and per-line columns.
      ...(sum ? { decodeMs: Math.round(sum.decodeMs), annotateMs: Math.round(sum.annotateMs) } : {}),
    });
  };
  return {
    dispose: () => {
      clearInterval(lag);
      clearInterval(hist);
      clearTimeout(cpu);
      h.disable();
      session.onFired = undefined;
    },
  };
}
