/**
 * What each of the user's lines causes, in a heap (or any) profile: every sample is charged to
 * its innermost frame in the user's code. Where that frame is the leaf, the line allocates itself
 * ("here", its -list flat); otherwise the bytes are allocated by what it calls outside the user's
 * code ("via" runtime.growslice, makeslice, fmt, …: -list shows them only in its cum). A line
 * that calls another user line passes its samples on, so main's `run()` does not repeat the
 * bytes of every line below it. One pass over core's distinct stacks (core/stacks).
 */
import { cleanPath } from './graph';
import type { Profile } from './model';
import { stacksOf } from './stacks';

export interface LineCause {
  /** The profile's file name, cleaned (graph's cleanPath), and line. */
  readonly file: string;
  readonly line: number;
  /** Allocated on the line itself (its flat). */
  readonly here: number;
  /** Allocated by non-user code it calls (part of its cum). */
  readonly via: number;
  /** The heaviest non-user function it calls (by its share of `via`), when via is nonzero. */
  readonly callee?: string;
}

/**
 * The lines of files for which isUser(cleaned file name) holds, with what they cause at sample
 * type t; lines causing nothing are left out.
 */
export function lineCauses(p: Profile, t: number, isUser: (file: string) => boolean): LineCause[] {
  const fileUser = p.functions.map((f) => f.file !== '' && isUser(cleanPath(f.file)));
  const T = p.sampleTypes.length;
  const { locStart: stackStart, stackLocs } = p.samples;
  const st = stacksOf(p);
  const rows = new Map<
    string,
    { file: string; line: number; here: number; via: number; callees: Map<number, number> }
  >();
  for (let u = 0; u < st.count; u++) {
    if (st.nonzero[u * T + t] !== 1) continue;
    const v = st.sums[u * T + t]!;
    const s = st.table[u]!;
    let leaf = true;
    let inner = -1;
    let hit: { func: number; line: number } | undefined;
    for (let k = stackStart[s]!; k < stackStart[s + 1]! && !hit; k++) {
      for (const ln of p.locations[stackLocs[k]!]!.lines) {
        if (ln.func >= 0 && fileUser[ln.func]) {
          hit = ln;
          break;
        }
        inner = ln.func;
        leaf = false;
      }
    }
    if (!hit) continue;
    const file = cleanPath(p.functions[hit.func]!.file);
    const key = `${file}\u0000${hit.line}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { file, line: hit.line, here: 0, via: 0, callees: new Map() }));
    if (leaf) r.here += v;
    else {
      r.via += v;
      // The function it calls: the outermost non-user frame below it.
      r.callees.set(inner, (r.callees.get(inner) ?? 0) + v);
    }
  }
  const out: LineCause[] = [];
  for (const r of rows.values()) {
    if (r.here === 0 && r.via === 0) continue;
    let callee: string | undefined;
    let best = 0;
    for (const [f, w] of r.callees)
      if (f >= 0 && Math.abs(w) > best) [callee, best] = [p.functions[f]!.name, Math.abs(w)];
    out.push({ file: r.file, line: r.line, here: r.here, via: r.via, ...(callee ? { callee } : {}) });
  }
  return out;
}
