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
export function theme(): Theme {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast') || c.contains('vscode-high-contrast-light')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}
