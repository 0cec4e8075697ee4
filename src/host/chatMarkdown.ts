// The chat's text as Markdown: a question with its attachments as the model gets it, and a whole
// conversation as an exported document. Pure (no vscode), so it runs in Node.
import type { UiAttachment, UiMessage } from '../shared/protocol';

const STRINGS = {
  file: (label: string) => `File ${label}:`,
  selection: (label: string) => `Selection from ${label}:`,
  you: 'You',
  assistant: 'Assistant',
  untitled: 'Chat',
  stopped: 'Stopped.',
  cut: 'Cut off at the token limit.',
  error: (message: string) => `Error: ${message}`,
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
  const blocks = attachments.map((a) => `${a.kind === 'file' ? STRINGS.file(a.label) : STRINGS.selection(a.label)}\n${fenced(a)}`);
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
