/**
 * The context menu of a frame or a table row: an ARIA menu of buttons, opened by a right click,
 * the context-menu key or Shift+F10; arrow keys, Home/End move, Enter or Space runs the item,
 * Esc (or a click elsewhere) closes it and gives the focus back to where it was.
 */
import { el } from './dom';

export interface MenuItem {
  readonly label: string;
  /** A key shown beside the label (the shortcut on the focused frame). */
  readonly hint?: string;
  readonly run: () => void;
}

export const menu = el('div', { id: 'frame-menu', role: 'menu', hidden: true });
let returnTo: HTMLElement | undefined;

export function closeMenu(): void {
  if (menu.hidden) return;
  menu.hidden = true;
  menu.replaceChildren();
  returnTo?.focus();
  returnTo = undefined;
}

/** Opens the menu at a point (client pixels); `title` (a function name) heads it as text. */
export function openMenu(title: string, items: readonly MenuItem[], x: number, y: number, from: HTMLElement): void {
  returnTo = from;
  const buttons = items.map((it) => {
    const b = el('button', { className: 'menu-item', role: 'menuitem', tabIndex: -1 });
    b.append(el('span', { textContent: it.label }));
    if (it.hint) b.append(el('span', { className: 'menu-hint', textContent: it.hint }));
    b.addEventListener('click', () => {
      closeMenu();
      it.run();
    });
    return b;
  });
  menu.replaceChildren(el('div', { className: 'menu-title', textContent: title }), ...buttons);
  menu.setAttribute('aria-label', `Actions for ${title}`);
  menu.hidden = false;
  // Inside the page's visible area: innerWidth/innerHeight count the scrollbars (the shortcut column
  // was cut under the vertical one); flipped to the left of the pointer when it does not fit right of it.
  const r = menu.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  const left = x + r.width + 4 <= vw ? x : x - r.width;
  menu.style.left = `${Math.max(0, Math.min(left, vw - r.width - 4))}px`;
  menu.style.top = `${Math.max(0, Math.min(y, vh - r.height - 4))}px`;
  buttons[0]?.focus();
}

menu.addEventListener('keydown', (ev) => {
  const items = [...menu.querySelectorAll<HTMLButtonElement>('.menu-item')];
  const k = items.indexOf(document.activeElement as HTMLButtonElement);
  let next = -1;
  switch (ev.key) {
    case 'ArrowDown':
      next = (k + 1) % items.length;
      break;
    case 'ArrowUp':
      next = (k - 1 + items.length) % items.length;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = items.length - 1;
      break;
    case 'Escape':
    case 'Tab':
      ev.preventDefault();
      closeMenu();
      return;
    default:
      return;
  }
  ev.preventDefault();
  items[next]?.focus();
});
document.addEventListener('mousedown', (ev) => {
  if (!menu.hidden && !menu.contains(ev.target as Node)) closeMenu();
});
window.addEventListener('blur', () => closeMenu());
