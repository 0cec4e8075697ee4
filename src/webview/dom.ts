// Small DOM helpers shared by the chat view's parts.

/** An element with attributes and children (text children are text, never HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/**
 * A button. Its tooltip is its accessible name when it holds the words the button shows (or the
 * button shows only a symbol such as × or ✎); otherwise the shown text is the name and the tooltip
 * its description: voice control users say what they see.
 */
export function button(label: string, title: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const words = label.replace(/[^\p{L}\p{N}\s]/gu, '').trim().toLowerCase();
  const byTitle = !words || title.toLowerCase().includes(words);
  const b = h('button', { type: 'button', title, ...(byTitle ? { 'aria-label': title } : {}), ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}
