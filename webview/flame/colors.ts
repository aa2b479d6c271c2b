/**
 * Frame colours: by package kind (the Go runtime, the standard library, the user's module,
 * dependencies), or in a comparison by sign (growth red, shrink green, as pprof's diff view).
 * Hues are fixed; lightness follows the theme so that labels stay readable.
 */
export type Kind = 'runtime' | 'std' | 'user' | 'dep' | 'other';

export function kindOf(name: string, modules: readonly string[]): Kind {
  if (name.startsWith('runtime.') || name.startsWith('runtime/')) return 'runtime';
  if (
    name.startsWith('main.') ||
    modules.some((m) => m !== '' && (name.startsWith(`${m}.`) || name.startsWith(`${m}/`)))
  ) {
    return 'user';
  }
  if (name.startsWith('0x')) return 'other';
  // A Go import path whose first element has no dot is the standard library.
  const slash = name.indexOf('/');
  const firstElem = slash >= 0 ? name.slice(0, slash) : name.slice(0, Math.max(0, name.indexOf('.')));
  if (firstElem !== '' && !firstElem.includes('.')) return 'std';
  return 'dep';
}

export type Theme = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** Whether the page is light (light and high-contrast light themes): dark text and outlines. */
export const isLight = (t: Theme): boolean => t === 'light' || t === 'high-contrast-light';

const HUE: Record<Kind, number> = { runtime: 28, std: 205, user: 140, dep: 275, other: 0 };

/** A small set of shades per kind (so adjacent frames differ), chosen by a hash of the name. */
export function frameColor(kind: Kind, name: string, theme: Theme): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  const shade = Math.abs(h) % 4;
  const sat = kind === 'other' ? 0 : 55;
  const light =
    theme === 'light'
      ? 72 + shade * 4
      : theme === 'dark'
        ? 30 + shade * 4
        : theme === 'high-contrast-light'
          ? 70 + shade * 3
          : 20 + shade * 3;
  return `hsl(${HUE[kind]} ${sat}% ${light}%)`;
}

/** Diff colour: red for growth, green for shrink, saturation by the share of the change. */
export function diffColor(value: number, maxAbs: number, theme: Theme): string {
  const t = maxAbs > 0 ? Math.min(1, Math.abs(value) / maxAbs) : 0;
  const hue = value >= 0 ? 0 : 130;
  const sat = 15 + Math.round(t * 60);
  const light = isLight(theme) ? 85 - Math.round(t * 25) : 22 + Math.round(t * 14);
  return `hsl(${hue} ${sat}% ${light}%)`;
}

export function textColor(theme: Theme): string {
  return isLight(theme) ? '#1e1e1e' : '#f0f0f0';
}
