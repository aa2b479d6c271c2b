/**
 * Names from a profile are text in VS Code's UI: no codicons, no bidi reordering, no line breaks.
 * The escaped form is what VS Code's renderer (iconLabels: `(\\)?\$\(name\)`) shows literally.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/decode';
import { escapeMarkdown } from '../../src/core/heat';
import { iconSafe, plainLines, plainText } from '../../src/shared/text';

/** VS Code's codicon syntax as its label renderer matches it; an escaped match renders as text. */
const ICON = /(\\)?\$\(([a-z0-9-]+(?:~[a-z0-9-]+)?)\)/gi;
function renderedIcons(s: string): string[] {
  return [...s.matchAll(ICON)].filter((m) => !m[1]).map((m) => m[2]!);
}

describe('text from a profile is text', () => {
  const p = parseProfile(readFileSync(path.resolve(__dirname, '..', 'fixtures', 'hostile', 'markup-names.pb.gz')));
  const names = [
    ...p.functions.map((f) => f.name),
    ...p.functions.map((f) => f.file),
    p.sampleTypes[0]!.type,
    p.sampleTypes[0]!.unit,
  ];

  it('the hostile profile really holds codicons and bidi controls', () => {
    assert.ok(names.some((n) => renderedIcons(n).length > 0));
    assert.ok(names.some((n) => /[\u202a-\u202e]/.test(n)));
  });

  it('iconSafe: no codicon renders, the text reads the same', () => {
    for (const n of names) {
      const s = iconSafe(n);
      assert.deepEqual(renderedIcons(s), [], s);
      assert.equal(s.replace(/\\\$\(/g, '$('), plainText(n));
    }
    assert.equal(iconSafe('$(zap)'), '\\$(zap)');
    assert.equal(iconSafe('main.(*T).$(x)~y'), 'main.(*T).\\$(x)~y');
  });

  it('plainLines (language model tool answers): lines and tabs kept, bidi and other controls removed', () => {
    assert.equal(
      plainLines('   10ms  main.\u202egnp\u202c.evil\u0007\n     1:\tfor {\r'),
      '   10ms  main.gnp.evil \n     1:\tfor { ',
    );
  });
  it('plainText: bidi controls removed, line breaks and controls become spaces', () => {
    assert.equal(plainText('main.\u202egnp\u202c.evil'), 'main.gnp.evil');
    assert.equal(plainText('a\u2066b\u2069c\u200f'), 'abc');
    assert.equal(plainText('a\nb\u2028c\u0000d'), 'a b c d');
    for (const n of names) assert.doesNotMatch(plainText(n), /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\n\r]/);
  });

  it('hover markdown strips bidi controls too', () => {
    assert.equal(escapeMarkdown('main.\u202egnp'), 'main\\.gnp');
  });
});
