/**
 * pprof's regular expressions are Go (RE2) syntax. Most of it is JavaScript syntax too; this
 * translates the rest that users type: a leading (?i)/(?s)/(?m) flag group, \A and \z anchors
 * and the POSIX classes [[:alpha:]] etc. Anything JavaScript cannot compile is a SyntaxError
 * naming the pattern.
 */
const POSIX: Record<string, string> = {
  alnum: 'A-Za-z0-9', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-/:-@[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: 'A-Za-z0-9_', xdigit: '0-9A-Fa-f',
};

export function compileGoRegexp(pattern: string): RegExp {
  let src = pattern;
  let flags = 'u';
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  src = src
    .replace(/\[:(\^?)([a-z]+):\]/g, (all, neg: string, name: string) => (POSIX[name] && !neg ? POSIX[name] : all))
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  try {
    return new RegExp(src, flags);
  } catch {
    try {
      return new RegExp(src, flags.replace('u', ''));
    } catch (e) {
      throw new SyntaxError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
  }
}
