/**
 * Every pattern a user or a profile supplies (drop_frames, keep_frames, focus/ignore/hide/show/
 * show_from, tag filters, list/peek) is compiled here, by re2js: a port of Go's regexp package
 * (RE2). Patterns mean what they mean in go tool pprof (`\pL`, `\PN`, `\z`, `[[:alpha:]]`,
 * `\Q…\E`, `(?U)`), and matching takes time linear in the input, whatever the pattern: a profile's
 * drop_frames cannot make a load take minutes (JavaScript's backtracking engine can).
 */
import { RE2JS } from 're2js';

/** The part of a compiled pattern callers use; `source` is the pattern exactly as given. */
export interface GoRegexp {
  readonly source: string;
  /** True when the pattern matches anywhere in s (Go's MatchString). */
  test(s: string): boolean;
}

/** A pattern Go's regexp package would refuse; the message reads like pprof's. */
export class GoRegexpError extends SyntaxError {
  override readonly name = 'GoRegexpError';
  constructor(
    message: string,
    readonly pattern: string,
  ) {
    super(message);
  }
}

/** Go's own message for a pattern it cannot parse, e.g. "error parsing regexp: missing closing ): `a(`". */
function goMessage(e: unknown, pattern: string): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.startsWith('error parsing regexp:') ? m : `error parsing regexp: ${m}: \`${pattern}\``;
}

/**
 * Compiles a Go regexp. `what` names the option for the error, as pprof does:
 * "parsing focus regexp: error parsing regexp: …"; without it (list/peek arguments)
 * "parsing argument regexp PATTERN: error parsing regexp: …".
 */
export function compileGoRegexp(pattern: string, what?: string): GoRegexp {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    const msg = goMessage(e, pattern);
    throw new GoRegexpError(
      what ? `parsing ${what} regexp: ${msg}` : `parsing argument regexp ${pattern}: ${msg}`,
      pattern,
    );
  }
  // Names repeat: a function name or file is matched once per location or sample that holds it.
  // Remembering each answer makes a filter cost one match per distinct string (bounded memory).
  const memo = new Map<string, boolean>();
  return {
    source: pattern,
    test: (s) => {
      let v = memo.get(s);
      if (v === undefined) {
        v = re.test(s);
        if (memo.size >= MEMO_MAX) memo.clear();
        memo.set(s, v);
      }
      return v;
    },
  };
}

const MEMO_MAX = 1 << 20;
