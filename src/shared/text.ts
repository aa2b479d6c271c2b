/**
 * Text from a profile, a workspace or a server is text: shown in VS Code's UI it must not render
 * as an icon, reorder itself or break a line. One pure helper for every surface:
 *
 * - plainText: bidi controls removed (a name cannot display reversed, "Trojan Source"), control
 *   characters and line separators turned into spaces. For tree items, hovers, tooltips, messages.
 * - iconSafe: plainText, and `$(name)` escaped as `\$(name)` so the surfaces that render codicons
 *   (status bar items, CodeLens titles, quick pick labels and descriptions) show it as typed.
 *   (Tree item labels do not render codicons: plainText is enough there.)
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function plainText(s: string): string {
  return s.replace(BIDI, '').replace(CONTROL, ' ');
}

/** plainText for multi-line text (reports for language model tools): newlines and tabs kept. */
export function plainLines(s: string): string {
  return s
    .split('\n')
    .map((l) => l.split('\t').map(plainText).join('\t'))
    .join('\n');
}

export function iconSafe(s: string): string {
  return plainText(s).replace(/\$\(/g, '\\$(');
}
