// Small DOM helpers shared by the chat view's parts.

/** An element with attributes and children (text children are text, never HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** A button whose tooltip is also its accessible name. */
export function button(label: string, title: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', title, 'aria-label': title, ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}
