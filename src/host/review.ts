import * as vscode from 'vscode';
import { shiftSpanAll, type Span } from '../core/textPosition';

/** A rewritten range waiting for the user's Keep or Undo. */
interface Item {
  id: number;
  doc: vscode.TextDocument;
  span: Span;
  /** The text the answer replaced. */
  original: string;
}

/** Rewritten ranges, each marked until the user keeps it or undoes it. */
let reviewMark: vscode.TextEditorDecorationType | undefined;
function reviewDecoration(): vscode.TextEditorDecorationType {
  reviewMark ??= vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  return reviewMark;
}

/**
 * Review after a rewrite: each rewritten range shows "Keep" and "Undo" (CodeLens) over a marked
 * background. Undo puts back the original of that range only (its own undo step, so Ctrl+Z
 * brings the answer back); Keep just clears the mark. The ranges follow the user's edits.
 */
export class Review implements vscode.CodeLensProvider, vscode.Disposable {
  private items: Item[] = [];
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subs: vscode.Disposable[];
  /**
   * Registered only while there is something to review: a provider for every document makes the
   * workbench ask for lenses after every change, which costs a round trip per streamed edit.
   */
  private lenses: vscode.Disposable | undefined;

  constructor() {
    this.subs = [
      vscode.commands.registerCommand('askLlm.keepAnswer', (id?: unknown) => this.keep(id)),
      vscode.commands.registerCommand('askLlm.undoAnswer', (id?: unknown) => this.undo(id)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length || !this.items.some((i) => i.doc === e.document)) return;
        const changes = e.contentChanges.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, textLength: c.text.length }));
        for (const i of this.items) {
          if (i.doc !== e.document) continue;
          const next = shiftSpanAll(i.span, changes);
          i.span = { start: next.start, end: next.end };
        }
        this.refresh();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.drop((i) => i.doc === d)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
    ];
  }

  /** Offers Keep and Undo on each rewritten range. */
  add(doc: vscode.TextDocument, ranges: Array<{ span: Span; original: string }>): void {
    for (const r of ranges) this.items.push({ id: this.nextId++, doc, span: { ...r.span }, original: r.original });
    this.refresh();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return this.items.filter((i) => i.doc === doc).flatMap((i) => {
      const at = new vscode.Range(doc.positionAt(i.span.start), doc.positionAt(i.span.start));
      return [
        new vscode.CodeLens(at, { title: `$(check) ${vscode.l10n.t('Keep')}`, tooltip: vscode.l10n.t('Keep this answer'), command: 'askLlm.keepAnswer', arguments: [i.id] }),
        new vscode.CodeLens(at, { title: `$(discard) ${vscode.l10n.t('Undo')}`, tooltip: vscode.l10n.t('Put back the text this answer replaced'), command: 'askLlm.undoAnswer', arguments: [i.id] }),
      ];
    });
  }

  private keep(id: unknown): void {
    this.drop((i) => i.id === id);
  }

  private async undo(id: unknown): Promise<boolean> {
    const item = this.items.find((i) => i.id === id);
    if (!item) return false;
    this.drop((i) => i === item);
    const { doc, span } = item;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end)), item.original);
    return vscode.workspace.applyEdit(edit);
  }

  private drop(which: (i: Item) => boolean): void {
    const before = this.items.length;
    this.items = this.items.filter((i) => !which(i));
    if (this.items.length !== before) this.refresh();
  }

  private refresh(): void {
    if (this.items.length && !this.lenses) this.lenses = vscode.languages.registerCodeLensProvider('*', this);
    else if (!this.items.length && this.lenses) {
      this.lenses.dispose();
      this.lenses = undefined;
    }
    this.changed.fire();
    this.decorate();
  }

  private decorate(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const doc = editor.document;
      const mine = this.items.filter((i) => i.doc === doc);
      if (!mine.length && !this.marked.has(editor)) continue;
      editor.setDecorations(reviewDecoration(), mine.map((i) => new vscode.Range(doc.positionAt(i.span.start), doc.positionAt(Math.max(i.span.start, i.span.end - 1)))));
      if (mine.length) this.marked.add(editor);
      else this.marked.delete(editor);
    }
  }

  private readonly marked = new Set<vscode.TextEditor>();

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.lenses?.dispose();
    this.changed.dispose();
  }
}
