import * as vscode from 'vscode';
import type { Batch, Outcome, Sink } from '../core/answer';
import { shiftSpanAll, type OffsetChange, type Span } from '../core/textPosition';

const normalizeEol = (s: string) => s.replace(/\r\n/g, '\n');

/**
 * The mark on the lines an answer is streaming into (it grows with the text; gone when the answer
 * ends). Whole lines: a mark ending mid-line makes the editor measure the text of every visible
 * line it covers on each frame that the stream changes.
 */
let streamingMark: vscode.TextEditorDecorationType | undefined;
function streamingDecoration(): vscode.TextEditorDecorationType {
  streamingMark ??= vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    rangeBehavior: vscode.DecorationRangeBehavior.OpenOpen,
  });
  return streamingMark;
}

/** One range of a document that an answer streams into. */
export class DocumentRange implements Sink {
  /** Text not yet in the document. */
  pending = '';
  /** Text not yet in the document that goes before what the range holds. */
  pendingPrefix = '';
  /** The first write replaces the range's original text (a selection being rewritten). */
  replacePending: boolean;
  /** Characters of the answer that reached the document. */
  written = 0;
  /** The user edited inside what this range had written (its owner may stop its stream). */
  touched = false;
  /** Its answer ended: no longer marked as streaming. */
  done = false;

  constructor(private readonly writer: DocumentWriter, public span: Span, replace: boolean) {
    this.replacePending = replace && span.end > span.start;
  }

  write(batch: Batch): void {
    if (batch.text) this.writer.push(this, batch.text);
  }

  /** Puts `text` before what the range holds (the fence of an answer that was not one code block). */
  prepend(text: string): void {
    this.writer.push(this, text, true);
  }

  /** Waits until everything written to this range is in the document (or the document is gone). */
  async finish(_outcome?: Outcome): Promise<void> {
    await this.writer.settle();
    this.done = true;
    this.writer.decorate();
  }
}

interface Part {
  range: DocumentRange;
  text: string;
  replace: boolean;
  /** Goes before the range's text. */
  prefix?: boolean;
  /** Where the edit goes, in the document before it. */
  offset: number;
  length: number;
}

export interface DocumentWriterEvents {
  onClosed(): void;
  /** The document refused an edit that no one raced: it is read-only. Pending text stays in the ranges. */
  onRejected(): void;
  /** The user edited inside what a range had written (its owner may stop that range's stream). */
  onTouched?(range: DocumentRange): void;
}

/**
 * Streams answers into ranges of one document: insert at a cursor (an empty range), replace a
 * selection (the first piece replaces it), append after what was written (a range that starts
 * there). Each range's start and end follow the user's edits elsewhere.
 * - Edits are serialized: while one is in flight the next pieces of every range gather, so any
 *   number of ranges streaming at once make about one `editor.edit` per frame, never one per token.
 * - Everything the writer writes is one undo step: the first edit opens it (undoStopBefore) and no
 *   edit closes it (undoStopAfter: false on all of them, the first included).
 * - An edit the user made in between is detected by the editor's version check (`edit` returns
 *   false) and the pieces are retried at the ranges' new places.
 * - When the editor goes away (another tab), pieces wait until the document is visible again; what
 *   is left at the end goes in with one workspace edit. Nothing is ever dropped.
 */
export class DocumentWriter implements vscode.Disposable {
  readonly ranges: DocumentRange[] = [];
  private expected: Part[] | undefined;
  private first = true;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly subs: vscode.Disposable[] = [];
  /** How many edits reached the document (for the log: far fewer than tokens). */
  edits = 0;
  private decorated = 0;
  rejected = false;

  constructor(private editor: vscode.TextEditor | undefined, readonly document: vscode.TextDocument, private readonly events: DocumentWriterEvents) {
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
        if (this.hasPending() && !this.running) this.kick();
      }),
    );
  }

  /** The next edit opens a new undo step (a continuation is undone apart from what it continues). */
  newUndoStep(): void {
    this.first = true;
  }

  /** A range to stream into; `replace`: the first piece replaces the span's current text. */
  range(span: Span, replace = false): DocumentRange {
    const r = new DocumentRange(this, { ...span }, replace);
    this.ranges.push(r);
    return r;
  }

  get isClosed(): boolean {
    return this.closed || this.document.isClosed;
  }

  push(range: DocumentRange, text: string, prefix = false): void {
    if (!text || this.isClosed) return;
    if (prefix && !range.replacePending) range.pendingPrefix += text;
    else if (prefix) range.pending = text + range.pending;
    else range.pending += text;
    if (!this.rejected) this.kick();
  }

  /** Waits until everything pushed is in the document (or the document is gone or refuses edits). */
  async settle(): Promise<void> {
    // A few rounds: the user (or another writer) may change the document while the edit is under way.
    for (let round = 0; round < 3; round++) {
      while (this.running) await this.running;
      if (!this.hasPending() || this.isClosed || this.rejected) return;
      // Through `running` like drain(): a piece another range pushes meanwhile waits for this edit
      // instead of racing it (its edit made VS Code drop this one as "changed in the meantime").
      const edit = this.applyWithWorkspaceEdit();
      this.running = edit.then(() => undefined, () => undefined).finally(() => {
        this.running = undefined;
      });
      if (await edit) break;
    }
    if (this.hasPending() && !this.isClosed && !this.rejected) this.kick(); // what other ranges pushed meanwhile
  }

  /** Text not yet written, taken out of every range (after a rejection, so it can go elsewhere). */
  takePending(): string {
    let text = '';
    for (const r of this.ranges) {
      text += r.pendingPrefix + r.pending;
      r.pending = r.pendingPrefix = '';
    }
    return text;
  }

  private hasPending(): boolean {
    return this.ranges.some((r) => r.pending || r.pendingPrefix);
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /**
   * The pieces waiting now, one per range, as edits against the current document. A piece that
   * ends in the first half of a surrogate pair (an emoji cut between two deltas) keeps that half
   * until the second comes, unless `all`: the editor moves an edit placed right after a lone high
   * surrogate to before it, so the rest of the emoji and everything after it landed in front of it.
   */
  private takeParts(all = false): Part[] {
    const parts: Part[] = [];
    for (const range of this.ranges) {
      // A prefix goes in first: at the same offset as the range's end (an empty range), the
      // builder's order is the document's order.
      if (range.pendingPrefix) parts.push({ range, text: range.pendingPrefix, replace: false, prefix: true, offset: range.span.start, length: 0 });
      range.pendingPrefix = '';
      const held = !all && isHighSurrogate(range.pending.charCodeAt(range.pending.length - 1)) ? 1 : 0;
      const text = range.pending.slice(0, range.pending.length - held);
      if (!text) continue;
      const replace = range.replacePending;
      const { start, end } = range.span;
      parts.push({ range, text, replace, offset: replace ? start : end, length: replace ? end - start : 0 });
      range.pending = range.pending.slice(text.length);
    }
    return parts;
  }

  private onChange(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    const own = this.expected && matchOwn(this.expected, changes);
    if (own) {
      this.applyOwn(own);
      this.expected = undefined;
      return;
    }
    const offsets: OffsetChange[] = changes.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, textLength: c.text.length }));
    for (const r of this.ranges) {
      const next = shiftSpanAll(r.span, offsets);
      r.span = { start: next.start, end: next.end };
      if (next.inside && r.written > 0 && !r.touched) {
        r.touched = true;
        this.events.onTouched?.(r);
      }
    }
  }

  /**
   * Our own edit landed: each range grows by what it got; ranges after a part move with it. What
   * a range has written counts from here, when the document has it (edit() resolves later: a user's
   * edit in between must already find the range written, or it would not stop its stream).
   */
  private applyOwn(parts: Array<Part & { stored: number }>): void {
    for (const p of parts) {
      p.range.replacePending = false;
      p.range.written += p.text.length;
    }
    for (const p of [...parts].sort((a, b) => b.offset - a.offset)) {
      const delta = p.stored - p.length;
      for (const r of this.ranges) {
        if (r === p.range) continue;
        if (r.span.start >= p.offset + p.length) r.span = { start: r.span.start + delta, end: r.span.end + delta };
      }
      const s = p.range.span;
      p.range.span = p.replace ? { start: s.start, end: s.start + p.stored } : { start: s.start, end: s.end + p.stored };
    }
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
    while (this.hasPending() && !this.isClosed && !this.rejected) {
      const editor = this.liveEditor();
      if (!editor) return; // wait for the document to be visible again (or for settle())
      const parts = this.takeParts();
      if (!parts.length) return; // only half an emoji waits: the next piece (or settle()) brings it
      const doc = this.document;
      const last = parts[parts.length - 1];
      const followEnd = editor.visibleRanges.some((r) => r.contains(doc.positionAt(last.offset + last.length)));
      this.expected = parts;
      const version = doc.version;
      let ok = false;
      try {
        ok = await editor.edit((b) => {
          for (const p of parts) {
            if (p.replace) b.replace(new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length)), p.text);
            else b.insert(doc.positionAt(p.offset), p.text);
          }
        }, { undoStopBefore: this.first, undoStopAfter: false });
      } catch {
        ok = false; // the editor was closed under us: look for another one next round
        this.editor = undefined;
      }
      // A read-only editor (files.readonlyInclude, a file locked in the workbench) resolves the
      // edit true and leaves the document as it was. Our edit's change event comes before edit()
      // resolves: no new version and the text not there means the document refused it.
      if (ok && doc.version === version && parts.some((p) => doc.getText(new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length))) !== p.text)) ok = false;
      if (ok) this.landed(parts);
      else this.expected = undefined;
      if (!ok) {
        this.restore(parts);
        // A changed version means the user's edit won the race: retry at the new places.
        // An unchanged one, with the editor still there, means the document refuses edits.
        if (doc.version === version && this.editor) {
          this.rejected = true;
          this.events.onRejected();
        }
        continue;
      }
      this.first = false;
      this.edits++;
      if (performance.now() - this.decorated > 100) this.decorate();
      if (followEnd) {
        const end = doc.positionAt(last.range.span.end);
        editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
      }
    }
  }

  /** Everything pending in one workspace edit; resolves whether it went in (if not, it is pending again). */
  private async applyWithWorkspaceEdit(): Promise<boolean> {
    const parts = this.takeParts(true);
    const edit = new vscode.WorkspaceEdit();
    const doc = this.document;
    for (const p of parts) edit.replace(doc.uri, new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length)), p.text);
    this.expected = parts;
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) {
      this.landed(parts);
      this.edits++;
    } else {
      this.restore(parts);
    }
    this.expected = undefined;
    return ok;
  }

  /** Pieces that did not go in wait again, in front of what came since. */
  private restore(parts: Part[]): void {
    for (const p of [...parts].reverse()) {
      if (p.prefix) p.range.pendingPrefix = p.text + p.range.pendingPrefix;
      else p.range.pending = p.text + p.range.pending;
    }
  }

  /**
   * Our edit was applied. Its change event normally arrived before the edit resolved; if it did
   * not, advance here (by the length the document stores: its EOL may be CRLF) so pieces never reorder.
   */
  private landed(parts: Part[]): void {
    if (this.expected) {
      const eol = this.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      this.applyOwn(parts.map((p) => ({ ...p, stored: p.text.replace(/\r?\n/g, eol).length })));
    }
    this.expected = undefined;
  }

  /** Marks the ranges still streaming (about ten times a second; the mark grows with the text between). */
  decorate(): void {
    this.decorated = performance.now();
    const editor = this.isClosed ? undefined : this.liveEditor();
    if (!editor) return;
    const doc = this.document;
    const live = this.ranges.filter((r) => !r.done && r.span.end > r.span.start);
    editor.setDecorations(streamingDecoration(), live.map((r) => new vscode.Range(doc.positionAt(r.span.start), doc.positionAt(r.span.end))));
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    for (const r of this.ranges) r.done = true;
    this.decorate();
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The change event of our own edit: one change per part, at its place, with its text. */
function matchOwn(parts: Part[], changes: readonly vscode.TextDocumentContentChangeEvent[]): Array<Part & { stored: number }> | undefined {
  if (changes.length !== parts.length) return undefined;
  const left = [...changes];
  const out: Array<Part & { stored: number }> = [];
  for (const p of parts) {
    const i = left.findIndex((c) => c.rangeOffset === p.offset && c.rangeLength === p.length && normalizeEol(c.text) === normalizeEol(p.text));
    if (i < 0) return undefined;
    out.push({ ...p, stored: left[i].text.length });
    left.splice(i, 1);
  }
  return out;
}

/** A document the user cannot write to (a read-only file system, an output or git view). */
export function isReadOnly(doc: vscode.TextDocument): boolean {
  if (doc.isUntitled) return false;
  if (doc.uri.scheme === 'vscode-notebook-cell') {
    // A cell is as writable as its notebook.
    const nb = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document === doc));
    return !!nb && !nb.isUntitled && vscode.workspace.fs.isWritableFileSystem(nb.uri.scheme) === false;
  }
  if (['output', 'git', 'vscode-scm', 'debug', 'vscode-userdata-sync'].includes(doc.uri.scheme)) return true;
  return vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme) === false;
}
