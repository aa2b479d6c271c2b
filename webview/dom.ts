/**
 * Small DOM helpers shared by the panel's modules. Text goes in with text nodes (or textContent
 * through props), never as HTML: every name from a profile is untrusted.
 */
import type { Theme } from './flame/colors';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...kids: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const k of kids) e.append(typeof k === 'string' ? document.createTextNode(k) : k);
  return e;
}

/** VS Code's theme kind, from the classes it puts on the body. */
let fontKey: string | undefined;
let fontFamily = 'monospace';
/**
 * The editor's font family (--vscode-editor-font-family), read again only when the theme or the
 * variables VS Code sets on the document change: reading a computed style each draw forced a
 * style recalculation in the middle of it.
 */
export function editorFont(): string {
  const key = `${document.body.className}|${document.documentElement.getAttribute('style') ?? ''}`;
  if (key !== fontKey) {
    fontKey = key;
    fontFamily = getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  }
  return fontFamily;
}

export function theme(): Theme {
  const c = document.body.classList;
  // (VS Code's light high-contrast theme: white page, dark text and outlines)
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}
