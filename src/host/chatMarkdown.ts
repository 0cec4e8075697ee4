// The chat's text as Markdown: a question with its attachments as the model gets it, and a whole
// conversation as an exported document. Pure (no vscode), so it runs in Node.
import { l10n } from '../core/l10n';
import type { UiAttachment, UiMessage } from '../shared/protocol';

/** What the model reads with a question: English, whatever the display language. */
const PROMPT = {
  file: (label: string) => `File ${label}:`,
  selection: (label: string) => `Selection from ${label}:`,
};

/** What the user reads in an exported conversation, in the display language. */
const STRINGS = {
  get you() { return l10n.t('You'); },
  get assistant() { return l10n.t('Assistant'); },
  get untitled() { return l10n.t('Chat'); },
  get stopped() { return l10n.t('Stopped.'); },
  get cut() { return l10n.t('Cut off at the token limit.'); },
  error: (message: string) => l10n.t('Error: {0}', message),
};

/** A code fence that no run of backticks in `text` can close: one longer than the longest. */
export function fenceFor(text: string): string {
  let longest = 2;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(longest + 1);
}

function fenced(a: UiAttachment): string {
  const fence = fenceFor(a.text);
  return `${fence}${a.language ?? ''}\n${a.text}${a.text.endsWith('\n') ? '' : '\n'}${fence}`;
}

/** The question as the model gets it: the question, then each attachment under its label as a fenced block. */
export function withAttachments(question: string, attachments: readonly UiAttachment[] = []): string {
  if (!attachments.length) return question;
  const blocks = attachments.map((a) => `${a.kind === 'file' ? PROMPT.file(a.label) : PROMPT.selection(a.label)}\n${fenced(a)}`);
  return `${question}\n\n${blocks.join('\n\n')}`;
}

/** A conversation as one Markdown document: each question (attachments folded) and each answer with how it ended. */
export function conversationMarkdown(title: string, messages: readonly UiMessage[]): string {
  const parts = [`# ${title || STRINGS.untitled}`];
  for (const m of messages) {
    if (m.role === 'user') {
      parts.push(`## ${STRINGS.you}`, m.text);
      for (const a of m.attachments ?? []) parts.push(`<details><summary>${escapeHtml(a.label)}</summary>\n\n${fenced(a)}\n\n</details>`);
      continue;
    }
    parts.push(`## ${m.model ?? STRINGS.assistant}`);
    if (m.text) parts.push(m.text);
    if (m.error) parts.push(`> ${STRINGS.error(m.error.message)}`);
    else if (m.finishReason === 'length') parts.push(`_${STRINGS.cut}_`);
    else if (m.status === 'cancelled') parts.push(`_${STRINGS.stopped}_`);
  }
  return `${parts.join('\n\n')}\n`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
