// What the chat view may ask the host to copy or insert: text it shows. The view renders model
// output, so the host does not take its word for it. No vscode here, so it runs in Node.
import type MarkdownIt from 'markdown-it';

let parser: InstanceType<typeof MarkdownIt> | undefined;
/** Loaded on the first copy or insert, not at activation. */
async function markdown(): Promise<InstanceType<typeof MarkdownIt>> {
  parser ??= new (await import('markdown-it')).default();
  return parser;
}

/**
 * Whether `text` is part of one of `answers` as the chat view shows them: part of an answer's
 * text (its Copy and Insert send the whole answer), or part of one of its code blocks (theirs send
 * the block's content, which leaves out the indentation or `>` of a list or quote around it).
 */
export async function isShownText(text: string, answers: readonly string[]): Promise<boolean> {
  if (answers.some((a) => a.includes(text))) return true;
  const md = await markdown();
  for (const answer of answers) {
    for (const t of md.parse(answer, {})) {
      if ((t.type === 'fence' || t.type === 'code_block') && t.content.includes(text)) return true;
    }
  }
  return false;
}
