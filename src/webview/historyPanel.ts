// The history list: every conversation, newest first; open, rename, export or delete one.
import type { UiChat, WebviewMessage } from '../shared/protocol';
import { chatMeta, chatTitle } from './actions';
import { button, h } from './dom';
import { l10n } from './l10n';

const STRINGS = {
  region: l10n.t('Chat history'),
  heading: l10n.t('Chats'),
  open: (title: string) => l10n.t('Open "{0}"', title),
  rename: '\u270e',
  renameTitle: l10n.t('Rename this chat'),
  export: '\u2193',
  exportTitle: l10n.t('Export this chat as a Markdown document'),
  delete: '\u2715',
  deleteTitle: l10n.t('Delete this chat'),
  confirm: l10n.t('Delete?'),
  confirmTitle: l10n.t('Click again to delete this chat for good'),
};

/** How long a Delete waits for its confirming second click. */
const CONFIRM_MS = 3000;

export class HistoryPanel {
  private readonly list = h('ul', { class: 'chat-list', 'aria-label': STRINGS.heading });
  readonly el = h('section', { id: 'history', class: 'history', 'aria-label': STRINGS.region, hidden: '' }, h('div', { class: 'history-head' }, STRINGS.heading), this.list);
  private chats: UiChat[] = [];
  private activeId = '';

  /** `onOpened`: a conversation was picked (the view goes back to it). */
  constructor(private readonly send: (m: WebviewMessage) => void, private readonly onOpened: () => void) {}

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  setOpen(open: boolean): void {
    this.el.hidden = !open;
    if (open) this.render();
  }

  update(chats: UiChat[], activeId: string): void {
    this.chats = chats;
    this.activeId = activeId;
    if (this.isOpen) this.render();
  }

  private render(): void {
    const now = Date.now();
    this.list.replaceChildren(...this.chats.map((c) => this.row(c, now)));
  }

  private row(c: UiChat, now: number): HTMLElement {
    const title = chatTitle(c);
    const current = c.id === this.activeId;
    const open = button('', STRINGS.open(title), () => {
      this.send({ type: 'switchChat', id: c.id });
      this.onOpened();
    }, { class: 'chat-open', ...(current ? { 'aria-current': 'true' } : {}) });
    open.append(h('span', { class: 'chat-title' }, title), h('span', { class: 'chat-meta' }, chatMeta(c, now)));
    let armed: ReturnType<typeof setTimeout> | undefined;
    const del = button(STRINGS.delete, STRINGS.deleteTitle, () => {
      if (armed === undefined) {
        del.textContent = STRINGS.confirm;
        del.title = STRINGS.confirmTitle;
        del.setAttribute('aria-label', STRINGS.confirmTitle);
        del.classList.add('danger');
        armed = setTimeout(() => {
          armed = undefined;
          del.textContent = STRINGS.delete;
          del.title = STRINGS.deleteTitle;
          del.setAttribute('aria-label', STRINGS.deleteTitle);
          del.classList.remove('danger');
        }, CONFIRM_MS);
        return;
      }
      clearTimeout(armed);
      this.send({ type: 'deleteChat', id: c.id });
    }, { class: 'chat-delete' });
    return h('li', { class: 'chat-row', 'data-id': c.id, ...(current ? { 'data-current': '' } : {}) },
      open,
      h('span', { class: 'chat-actions' },
        button(STRINGS.rename, STRINGS.renameTitle, () => this.send({ type: 'renameChat', id: c.id }), { class: 'chat-rename' }),
        button(STRINGS.export, STRINGS.exportTitle, () => this.send({ type: 'exportChat', id: c.id }), { class: 'chat-export' }),
        del));
  }
}
