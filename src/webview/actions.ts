// Which actions a message offers, and where. DOM-free, so it runs in Node.
import { canContinue, type UiChat, type UiError, type UiMessage } from '../shared/protocol';
import { l10n } from './l10n';

const STRINGS = {
  newChat: l10n.t('New chat'),
  empty: l10n.t('empty'),
  messages: (n: number) => (n === 1 ? l10n.t('1 message') : l10n.t('{0} messages', n)),
  justNow: l10n.t('just now'),
  minutesAgo: (n: number) => l10n.t('{0} min ago', n),
  hoursAgo: (n: number) => l10n.t('{0} h ago', n),
  yesterday: l10n.t('yesterday'),
};

export type AnswerAction = 'continue' | 'regenerate' | 'copy' | 'insert' | 'open';
export type ErrorAction = 'continue' | 'setApiKey' | 'retry' | 'selectProvider';

/**
 * The buttons under a finished answer, in order. Continue (an answer that ended early, without an
 * error: an error offers it in its own box) and Regenerate act on the final answer only: the view
 * shows them there (`lastIds`).
 */
export function answerActions(m: UiMessage): AnswerAction[] {
  const out: AnswerAction[] = [];
  if (canContinue(m) && !m.error) out.push('continue');
  out.push('regenerate');
  if (m.text) out.push('copy', 'insert', 'open');
  return out;
}

/**
 * What fixes an error, the likeliest first: carry on from the text that arrived, set the key (a
 * missing or rejected one), retry, pick another provider.
 */
export function errorActions(m: UiMessage & { error: UiError }): ErrorAction[] {
  const out: ErrorAction[] = [];
  if (canContinue(m)) out.push('continue');
  if (m.error.kind === 'auth') out.push('setApiKey');
  out.push('retry', 'selectProvider');
  return out;
}

/** Actions that act on the end of the conversation only: Continue, Regenerate and Retry on the final answer, Edit on the last question. */
export const LAST_ONLY: ReadonlySet<AnswerAction | ErrorAction | 'edit'> = new Set(['continue', 'regenerate', 'retry', 'edit']);

/** The last question and the final answer (an answer only when it is the last message). */
export function lastIds(messages: ReadonlyArray<Pick<UiMessage, 'id' | 'role'>>): { question?: string; answer?: string } {
  const last = messages[messages.length - 1];
  const question = [...messages].reverse().find((m) => m.role === 'user');
  return { ...(question ? { question: question.id } : {}), ...(last?.role === 'assistant' ? { answer: last.id } : {}) };
}

/** A conversation's name in the list. */
export function chatTitle(c: Pick<UiChat, 'title'>): string {
  return c.title || STRINGS.newChat;
}

/** `3 messages · 5 min ago`, `1 message · yesterday`, `12 messages · 2024-03-05`. */
export function chatMeta(c: Pick<UiChat, 'count' | 'updatedAt'>, now: number): string {
  const count = c.count === 0 ? STRINGS.empty : STRINGS.messages(c.count);
  return `${count} \u00b7 ${when(c.updatedAt, now)}`;
}

function when(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return STRINGS.justNow;
  if (s < 3600) return STRINGS.minutesAgo(Math.floor(s / 60));
  const then = new Date(at);
  const today = new Date(now);
  if (then.toDateString() === today.toDateString()) return STRINGS.hoursAgo(Math.floor(s / 3600));
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (then.toDateString() === yesterday.toDateString()) return STRINGS.yesterday;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${then.getFullYear()}-${pad(then.getMonth() + 1)}-${pad(then.getDate())}`;
}
