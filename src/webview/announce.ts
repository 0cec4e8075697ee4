// What screen readers hear: each finished answer once, through one polite live region. The
// conversation itself is not a live region (it would read every token as it streams).
import type { UiMessage } from '../shared/protocol';
import { h } from './dom';
import { l10n } from './l10n';

const STRINGS = {
  done: l10n.t('Answer done: '),
  stopped: l10n.t('Answer stopped: '),
  failed: (error: string) => l10n.t('Answer failed: {0} ', error),
  more: l10n.t(' \u2026 (the rest is in the conversation)'),
};

/** Longest text put in the live region: a 50,000-token answer is read in the conversation, not here. */
const MAX_CHARS = 4000;

/** Elements whose text is a block of its own: a line break between them when read out. */
const BLOCKS = new Set(['p', 'div', 'li', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'table', 'ul', 'ol', 'hr', 'br']);

/**
 * An answer's rendered text as it reads (what the Markdown shows, not its syntax), without the
 * code blocks' Copy / Insert buttons. Reads no layout (no innerText). With `max`, the walk stops
 * soon after that many characters: a 50,000-token answer has thousands of elements, and walking
 * them all when it ends cost a long task for text that is cut to `max` anyway.
 */
export function spokenText(root: Node, max = Infinity): { text: string; more: boolean } {
  const parts: string[] = [];
  let length = 0;
  // Collapsing whitespace shortens the text: read on well past `max` before stopping.
  const enough = () => length > 2 * max + 1000;
  const walk = (n: Node) => {
    for (const c of n.childNodes) {
      if (enough()) return;
      if (c.nodeType === Node.TEXT_NODE) {
        parts.push(c.nodeValue ?? '');
        length += c.nodeValue?.length ?? 0;
        continue;
      }
      if (!(c instanceof Element) || c.classList.contains('code-actions') || c.getAttribute('aria-hidden') === 'true') continue;
      const block = BLOCKS.has(c.localName);
      if (block) parts.push('\n');
      walk(c);
      if (block) parts.push('\n');
    }
  };
  walk(root);
  const text = parts.join('').replace(/[ \t]*\n\s*/g, '\n').replace(/[ \t]+/g, ' ').trim();
  return { text: text.slice(0, max), more: text.length > max || enough() };
}

/** One visually hidden, polite live region; `say` replaces what it holds. */
export class Announcer {
  readonly el = h('div', { id: 'announcer', class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** A finished answer (its rendered content in `body`), once, when it ends. */
  answer(msg: Pick<UiMessage, 'status' | 'error'>, body: Node): void {
    const lead = msg.error ? STRINGS.failed(msg.error.message) : msg.status === 'cancelled' ? STRINGS.stopped : STRINGS.done;
    const { text, more } = spokenText(body, MAX_CHARS);
    this.say(lead + text + (more ? STRINGS.more : ''));
  }

  say(text: string): void {
    // Emptied first and filled a moment later, so the same words twice are still a change to read out.
    this.el.textContent = '';
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.el.textContent = text;
    }, 50);
  }
}
