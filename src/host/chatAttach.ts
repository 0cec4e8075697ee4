import * as vscode from 'vscode';
import type { UiAttachment } from '../shared/protocol';

/** Longest text a chip may carry (a whole file goes into every later request of the conversation). */
export const ATTACH_MAX_CHARS = 200_000;

/** User-facing strings of this file (translated when read, in the display language). */
const STRINGS = {
  get noEditor() { return vscode.l10n.t('Open a file first: there is no editor to attach from.'); },
  get noSelection() { return vscode.l10n.t('Select some text in the editor first.'); },
  tooLarge: (label: string, n: number) => vscode.l10n.t('{0} is too large to attach ({1} characters; at most {2}).', label, n.toLocaleString('en-US'), ATTACH_MAX_CHARS.toLocaleString('en-US')),
};

/** The editor the chat attaches from: the active one, else the first visible one (the chat itself has the focus). */
export function sourceEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
}

/**
 * A chip for the chat's composer: the primary selection (`notes.md:3-10`) or the whole document
 * (`notes.md`) of `editor`, or why there is none.
 */
export function attachmentFrom(editor: vscode.TextEditor | undefined, what: 'selection' | 'file'): UiAttachment | { error: string } {
  if (!editor) return { error: STRINGS.noEditor };
  const doc = editor.document;
  const name = doc.isUntitled ? doc.uri.path.split('/').pop() || vscode.l10n.t('Untitled') : vscode.workspace.asRelativePath(doc.uri, false);
  let label = name;
  let text: string;
  if (what === 'selection') {
    const sel = editor.selection;
    if (sel.isEmpty) return { error: STRINGS.noSelection };
    text = doc.getText(sel);
    // A selection that ends at the start of a line does not take that line.
    const last = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
    label = last === sel.start.line ? `${name}:${sel.start.line + 1}` : `${name}:${sel.start.line + 1}-${last + 1}`;
  } else {
    text = doc.getText();
  }
  if (text.length > ATTACH_MAX_CHARS) return { error: STRINGS.tooLarge(label, text.length) };
  return { kind: what, label, language: doc.languageId, text };
}
