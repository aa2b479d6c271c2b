/**
 * The values after (or before) source lines are readable on every line background: their default
 * colours (package.json contributes.colors) reach WCAG's 4.5:1 against each heat, growth and shrink
 * background of the same theme kind, composited over the default themes' editor backgrounds
 * (Dark Modern #1f1f1f, Dark+ #1e1e1e, Light Modern and Light+ #ffffff). A user trial measured
 * 2.97:1 (Dark Modern) and 2.31:1 (Light Modern) on the hottest lines with the previous defaults.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

type RGB = [number, number, number];

/** "#rrggbb" or "#rrggbbaa" as colour and alpha. */
function parse(hex: string): { c: RGB; a: number } {
  const h = hex.replace(/^#/, '');
  assert.ok(/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(h), hex);
  const c: RGB = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as RGB;
  return { c, a: h.length === 8 ? parseInt(h.slice(6, 8), 16) / 255 : 1 };
}

/** hex (with its alpha) painted over the opaque colour under. */
function over(hex: string, under: RGB): RGB {
  const { c, a } = parse(hex);
  return [0, 1, 2].map((i) => c[i]! * a + under[i]! * (1 - a)) as RGB;
}

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(c: RGB): number {
  const [r, g, b] = c.map((x) => {
    const s = x / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as RGB;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: RGB, b: RGB): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

interface ColorDef {
  id: string;
  defaults: { dark: string | null; light: string | null };
}
const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { colors: ColorDef[] };
};
const byId = new Map(pkg.contributes.colors.map((c) => [c.id, c.defaults]));
const EDITOR: Record<'dark' | 'light', Record<string, RGB>> = {
  dark: { 'Dark Modern': [0x1f, 0x1f, 0x1f], 'Dark+': [0x1e, 0x1e, 0x1e] },
  light: { 'Light Modern': [0xff, 0xff, 0xff], 'Light+': [0xff, 0xff, 0xff] },
};

/** The worst contrast of a foreground over the given backgrounds, in every editor of the kind. */
function worst(kind: 'dark' | 'light', fg: string, backgrounds: readonly string[]): number {
  const fgHex = byId.get(fg)![kind]!;
  let min = Infinity;
  for (const editor of Object.values(EDITOR[kind])) {
    for (const bgId of backgrounds) {
      const bg = over(byId.get(bgId)![kind]!, editor);
      min = Math.min(min, contrast(over(fgHex, bg), bg));
    }
  }
  return min;
}

const levels = (name: string) => [1, 2, 3, 4, 5].map((l) => `pprofLens.${name}${l}Background`);

describe('colour contrast of the line values (package.json defaults)', () => {
  it('the computation: WCAG ratios of known pairs, and the previous defaults as the trial measured them', () => {
    assert.equal(contrast([0, 0, 0], [255, 255, 255]).toFixed(1), '21.0');
    assert.equal(contrast([0x76, 0x76, 0x76], [255, 255, 255]).toFixed(2), '4.54');
    // Before: #9aa4b2cc over heat 5 (#ff141470) on Dark Modern; #5f6b7acc over #ff141460 on white.
    const dark = over('#ff141470', EDITOR.dark['Dark Modern']!);
    assert.equal(contrast(over('#9aa4b2cc', dark), dark).toFixed(2), '2.97');
    const light = over('#ff141460', EDITOR.light['Light Modern']!);
    assert.equal(contrast(over('#5f6b7acc', light), light).toFixed(2), '2.32'); // the trial's 2.31 from pixels
  });

  for (const kind of ['dark', 'light'] as const) {
    it(`${kind}: the values reach 4.5:1 on every heat level's background`, () => {
      const r = worst(kind, 'pprofLens.annotationForeground', levels('heat'));
      assert.ok(r >= 4.5, `annotationForeground ${r.toFixed(2)}:1`);
    });
    it(`${kind}: compare mode's growth and shrink values reach 4.5:1 on their backgrounds`, () => {
      for (const k of ['growth', 'shrink']) {
        const r = worst(kind, `pprofLens.${k}Foreground`, levels(k));
        assert.ok(r >= 4.5, `${k}Foreground ${r.toFixed(2)}:1`);
      }
    });
  }
});
