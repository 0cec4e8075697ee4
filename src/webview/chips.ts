// Attached context: the chips in the composer (removable) and the folded attachments in a question.
import type { UiAttachment } from '../shared/protocol';
import { button, h } from './dom';
import { l10n } from './l10n';

const STRINGS = {
  region: l10n.t('Attached context'),
  remove: (label: string) => l10n.t('Remove {0}', label),
  lines: (n: number) => (n === 1 ? l10n.t('1 line') : l10n.t('{0} lines', n)),
};

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The chips of the question being written; `onChange` runs after every add or removal. */
export class Chips {
  readonly el = h('div', { class: 'chips', role: 'group', 'aria-label': STRINGS.region, hidden: '' });
  private list: UiAttachment[] = [];

  constructor(private readonly onChange: () => void) {}

  get items(): UiAttachment[] {
    return [...this.list];
  }

  /** Adds a chip (the same text attached twice stays one chip). */
  add(a: UiAttachment): void {
    if (this.list.some((x) => x.label === a.label && x.text === a.text)) return;
    this.list.push(a);
    this.changed();
  }

  set(list: readonly UiAttachment[]): void {
    this.list = [...list];
    this.changed();
  }

  private changed(): void {
    this.el.hidden = this.list.length === 0;
    this.el.replaceChildren(...this.list.map((a) => h('span', { class: 'chip', title: `${a.label} \u00b7 ${STRINGS.lines(lineCount(a.text))}` },
      h('span', { class: 'chip-label' }, a.label),
      button('\u00d7', STRINGS.remove(a.label), () => this.set(this.list.filter((x) => x !== a)), { class: 'chip-remove' }))));
    this.onChange();
  }
}

/** An attachment in the question's bubble: its label, the text folded under it. */
export function attachmentDetails(a: UiAttachment): HTMLElement {
  return h('details', { class: 'attachment' },
    h('summary', {}, `${a.label} \u00b7 ${STRINGS.lines(lineCount(a.text))}`),
    h('pre', {}, h('code', {}, a.text)));
}
