import * as vscode from 'vscode';
import { shiftOffsetAll } from '../core/textPosition';

const normalizeEol = (s: string) => s.replace(/\r\n/g, '\n');

/**
 * Streams text into a document at an insertion point.
 * - Edits are serialized: while one is in flight the next pieces gather, so a fast stream becomes
 *   about one edit per frame, never one per token.
 * - The whole answer is one undo step: the first edit opens it (undoStopBefore) and no edit closes
 *   it (undoStopAfter: false on all of them, the first included).
 * - The insertion point follows the user's edits elsewhere in the document (offsets, so CRLF
 *   documents need no special case). An edit the user made in between is detected by the
 *   editor's version check (`edit` returns false) and the piece is retried at the new point.
 * - When the editor goes away (another tab), pieces wait until the document is visible again; what
 *   is left at the end goes in with one workspace edit. Nothing is ever dropped.
 */
export class EditorSink implements vscode.Disposable {
  readonly document: vscode.TextDocument;
  private offset: number;
  private pending = '';
  private expectOwn: string | undefined;
  private first = true;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly subs: vscode.Disposable[] = [];
  /** How many edits reached the document (for the log: far fewer than tokens). */
  edits = 0;

  /** The document refused an edit that no one raced: it is read-only. Pending text stays in `takePending()`. */
  rejected = false;

  constructor(
    private editor: vscode.TextEditor | undefined,
    document: vscode.TextDocument,
    position: vscode.Position,
    private readonly events: { onClosed(): void; onRejected(): void },
  ) {
    this.document = document;
    this.offset = document.offsetAt(position);
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document && e.contentChanges.length) this.onChange(e.contentChanges);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) {
          this.closed = true;
          this.events.onClosed();
        }
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        if (this.pending && !this.running) this.kick();
      }),
    );
  }

  get isClosed(): boolean {
    return this.closed || this.document.isClosed;
  }

  /** The current insertion point. */
  get position(): vscode.Position {
    return this.document.positionAt(this.offset);
  }

  push(text: string): void {
    if (!text || this.isClosed) return;
    this.pending += text;
    if (!this.rejected) this.kick();
  }

  /** Waits until everything pushed is in the document (or the document is gone). */
  async finish(): Promise<void> {
    while (this.running) await this.running;
    if (this.pending && !this.isClosed && !this.rejected) await this.applyWithWorkspaceEdit();
  }

  /** Text not yet written (after a rejection, so it can go elsewhere). */
  takePending(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private onChange(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    if (this.expectOwn !== undefined && changes.length === 1) {
      const c = changes[0];
      if (c.rangeOffset === this.offset && c.rangeLength === 0 && normalizeEol(c.text) === normalizeEol(this.expectOwn)) {
        this.offset += c.text.length;
        this.expectOwn = undefined;
        return;
      }
    }
    this.offset = shiftOffsetAll(this.offset, changes.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, textLength: c.text.length })));
  }

  private liveEditor(): vscode.TextEditor | undefined {
    const visible = vscode.window.visibleTextEditors;
    if (this.editor && visible.includes(this.editor)) return this.editor;
    this.editor = vscode.window.activeTextEditor?.document === this.document
      ? vscode.window.activeTextEditor
      : visible.find((e) => e.document === this.document);
    return this.editor;
  }

  private async drain(): Promise<void> {
    while (this.pending && !this.isClosed && !this.rejected) {
      const editor = this.liveEditor();
      if (!editor) return; // wait for the document to be visible again (or for finish())
      const text = this.pending;
      this.pending = '';
      const at = this.document.positionAt(this.offset);
      const wasVisible = editor.visibleRanges.some((r) => r.contains(at));
      this.expectOwn = text;
      const version = this.document.version;
      let ok = false;
      try {
        ok = await editor.edit((b) => b.insert(at, text), { undoStopBefore: this.first, undoStopAfter: false });
      } catch {
        ok = false; // the editor was closed under us: look for another one next round
        this.editor = undefined;
      }
      if (ok && this.expectOwn !== undefined) {
        // The change event normally arrives before edit() resolves; if it did not, advance here
        // (by the length the document stores: its EOL may be CRLF) so pieces never reorder.
        const eol = this.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
        this.offset = this.document.offsetAt(at) + text.replace(/\r?\n/g, eol).length;
      }
      this.expectOwn = undefined;
      if (!ok) {
        this.pending = text + this.pending;
        // A changed version means the user's edit won the race: retry at the new point.
        // An unchanged one, with the editor still there, means the document refuses edits.
        if (this.document.version === version && this.editor) {
          this.rejected = true;
          this.events.onRejected();
        }
        continue;
      }
      this.first = false;
      this.edits++;
      if (wasVisible) {
        const end = this.document.positionAt(this.offset);
        editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
      }
    }
  }

  private async applyWithWorkspaceEdit(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(this.document.uri, this.document.positionAt(this.offset), text);
    this.expectOwn = text;
    if (await vscode.workspace.applyEdit(edit)) this.edits++;
    this.expectOwn = undefined;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

/** A document the user cannot write to (a read-only file system, an output or git view). */
export function isReadOnly(doc: vscode.TextDocument): boolean {
  if (doc.isUntitled) return false;
  if (['output', 'git', 'vscode-scm', 'debug', 'vscode-userdata-sync'].includes(doc.uri.scheme)) return true;
  return vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme) === false;
}
