import * as vscode from 'vscode';
import { profileError, resolveProfile, type AskLlmApi } from '../api';
import { configError, hintFor } from '../core/errors';
import { labelOf } from '../core/profiles';
import { foldAnswer, type Outcome, type Sink } from '../core/answer';
import { continuationMessages, continuationMode, endedEarly, withoutSeam } from '../core/continuation';
import type { ChatMessage, LlmErrorInfo, ProviderProfile } from '../core/types';
import type { Config } from './config';
import { AnswerShaper } from '../core/shape';
import { DocumentWriter, isReadOnly, type DocumentRange } from './documentSink';
import { progressSink } from './progressSink';
import type { Review } from './review';
import type { StatusBar } from './statusBar';

export type AskTarget = 'cursor' | 'selection' | 'chat' | 'newDocument';

export interface AskArgs {
  prompt: string;
  provider?: string;
  target?: AskTarget;
}

/** What `askLlm.ask` resolves with (the contract): the outcome's text, how it ended, and why it failed. */
export type AskResult = Pick<Outcome, 'text' | 'finishReason' | 'error'> & {
  /** With several selections: each one's answer, in document order. */
  parts?: Array<Pick<Outcome, 'text' | 'finishReason' | 'error'>>;
};

export function askResult(o: Outcome): AskResult {
  return o.error ? { text: o.text, finishReason: 'error', error: o.error } : { text: o.text, finishReason: o.finishReason };
}

export interface AskDeps {
  api: AskLlmApi;
  config: Config;
  log: vscode.LogOutputChannel;
  status: StatusBar;
  review: Review;
  askInChat(prompt: string): Promise<AskResult>;
  /** Opens the connection to the provider while the user types the question. */
  warm(profile: ProviderProfile): void;
}

function parseArgs(raw: unknown): AskArgs | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const a = raw as Record<string, unknown>;
  if (typeof a.prompt !== 'string') return undefined;
  const target = (['cursor', 'selection', 'chat', 'newDocument'] as const).find((t) => t === a.target);
  return { prompt: a.prompt, provider: typeof a.provider === 'string' ? a.provider : undefined, target };
}

/** The prompt with the editor's selection (if any) as context. */
function withSelection(prompt: string, editor: vscode.TextEditor | undefined, sel = editor?.selection): string {
  if (!editor || !sel || sel.isEmpty) return prompt;
  const code = editor.document.getText(sel);
  return `${prompt}\n\n\`\`\`${editor.document.languageId}\n${code}\n\`\`\``;
}

/** Several answers as one command result: the first error, else the first early end, else stop. */
function combine(parts: AskResult[]): AskResult {
  const worst = parts.find((p) => p.error) ?? parts.find((p) => p.finishReason !== 'stop') ?? parts[0];
  return { text: parts.map((p) => p.text).join('\n'), finishReason: worst.finishReason, ...(worst.error ? { error: worst.error } : {}), parts };
}

/**
 * Shows documents one at a time. VS Code gives up on a show that another show overtakes ("Could
 * NOT open editor"): two answers opening new documents at once left one of them with no document
 * to stream into (found by the eight-streams test). One overtaken by someone else's is tried again.
 */
let showQueue: Promise<unknown> = Promise.resolve();
function showDocument(doc: vscode.TextDocument, preserveFocus = false): Promise<vscode.TextEditor> {
  const shown = showQueue.then(async () => {
    try {
      return await vscode.window.showTextDocument(doc, { preserveFocus });
    } catch {
      return vscode.window.showTextDocument(doc, { preserveFocus });
    }
  });
  showQueue = shown.catch(() => undefined);
  return shown;
}

/** `preserveFocus`: opened behind the input box the user is typing in. */
async function openNewDocument(language = 'markdown', preserveFocus = false): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content: '' });
  return showDocument(doc, preserveFocus);
}

/** Closes a new document opened for an answer that was not asked after all (left as it is if the user wrote in it). */
async function closeBlank(opened: Promise<vscode.TextEditor>): Promise<void> {
  const doc = (await opened.catch(() => undefined))?.document;
  if (!doc || doc.isClosed || doc.getText()) return;
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString());
  await vscode.window.tabGroups.close(tabs, true);
}

/** Info strings models put on fences that are not VS Code language ids. */
const FENCE_LANGUAGES: Record<string, string> = {
  py: 'python', python3: 'python', js: 'javascript', jsx: 'javascriptreact', ts: 'typescript', tsx: 'typescriptreact',
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', shell: 'shellscript', console: 'shellscript',
  yml: 'yaml', md: 'markdown', 'c++': 'cpp', cxx: 'cpp', 'c#': 'csharp', cs: 'csharp', golang: 'go', rs: 'rust',
  kt: 'kotlin', rb: 'ruby', ps1: 'powershell', text: 'plaintext', txt: 'plaintext', jsonc: 'jsonc', vue: 'vue', proto: 'proto3',
};

/** The VS Code language of a fence's info string, if VS Code knows it. */
export async function languageOfFence(tag: string | undefined): Promise<string | undefined> {
  if (!tag) return undefined;
  const id = FENCE_LANGUAGES[tag.toLowerCase()] ?? tag.toLowerCase();
  return (await vscode.languages.getLanguages()).includes(id) ? id : undefined;
}

/** How the answer goes in at `position`: unfenced unless the document is Markdown; later lines indented like the cursor's. */
function shaperAt(doc: vscode.TextDocument, position: vscode.Position | undefined, onNotOneBlock?: (opening: string) => void): AnswerShaper {
  let indent = '';
  if (position) {
    const line = doc.lineAt(position.line).text;
    const lead = /^[ \t]*/.exec(line)![0];
    indent = position.character >= lead.length ? lead : line.slice(0, position.character);
  }
  return new AnswerShaper({ unfence: doc.languageId !== 'markdown', indent, onNotOneBlock });
}

/** A range of a document as the fold's sink, through code-aware shaping. */
function shapedSink(writer: DocumentWriter, range: DocumentRange, shaper: AnswerShaper): Sink {
  return {
    write: (batch) => writer.push(range, shaper.push(batch.text)),
    finish: (o) => {
      writer.push(range, shaper.flush());
      return range.finish(o);
    },
  };
}

/** An answer in a document that ended early, kept (with its writer, which still follows edits) for Continue. */
interface CutAnswer {
  profile: ProviderProfile;
  /** The conversation that asked for it. */
  messages: ChatMessage[];
  /** Everything written so far (the answer and any continuations). */
  text: string;
  writer: DocumentWriter;
  range: DocumentRange;
  /** The continuation goes on in the same shape (inside the same code block, indented alike). */
  shaper: AnswerShaper;
}

/** `askLlm.ask`, `askLlm.continue` and `askLlm.stop` for the editor surfaces. */
export class AskCommand implements vscode.Disposable {
  private readonly runs = new Set<AbortController>();
  private cut: CutAnswer | undefined;
  private cutAt: number | undefined;

  /** When the answer kept for Continue was cut (Date.now()), if one is kept. */
  cutEndedAt(): number | undefined {
    return this.cut && !this.cut.writer.isClosed ? this.cutAt : undefined;
  }

  constructor(private readonly deps: AskDeps) {}

  /** Stops every answer streaming into an editor; true if there was one. */
  stopAll(): boolean {
    const any = this.runs.size > 0;
    for (const r of this.runs) r.abort();
    return any;
  }

  async run(rawArgs?: unknown): Promise<AskResult | undefined> {
    const args = parseArgs(rawArgs);
    const interactive = !args;
    const profile = resolveProfile(this.deps.config, args?.provider);
    if (!profile) {
      const error = profileError(this.deps.config, args?.provider);
      void vscode.window.showWarningMessage(`Ask LLM: ${error.message}`, vscode.l10n.t('Select Provider…')).then((c) => {
        if (c) void vscode.commands.executeCommand('askLlm.selectProvider');
      });
      return { text: '', finishReason: 'error', error };
    }

    let prompt = args?.prompt;
    // With no editor open the answer goes to a new document: it opens while the user types (a new
    // editor takes the workbench a good part of a second, which the first words would wait for).
    const target: AskTarget = args?.target ?? (vscode.window.activeTextEditor ? 'cursor' : 'newDocument');
    let blank: Promise<vscode.TextEditor> | undefined;
    if (interactive) {
      this.deps.warm(profile);
      if (target === 'newDocument') blank = openNewDocument('markdown', true);
      const active = target === 'cursor' ? vscode.window.activeTextEditor : undefined;
      prompt = await vscode.window.showInputBox({
        title: 'Ask LLM',
        prompt: active
          ? vscode.l10n.t('{0} · {1} — the answer streams in at the cursor', labelOf(profile), profile.model)
          : vscode.l10n.t('{0} · {1} — the answer opens in a new document', labelOf(profile), profile.model),
        placeHolder: active?.selection.isEmpty === false ? vscode.l10n.t('What should I do with the selection?') : vscode.l10n.t('Ask anything…'),
        ignoreFocusOut: true,
      });
      if (!prompt?.trim()) {
        if (blank) void closeBlank(blank);
        return undefined;
      }
    }
    if (target === 'chat') return this.deps.askInChat(prompt!);
    if (target === 'selection') return this.rewriteSelections(profile, prompt!, interactive);

    let editor = target === 'cursor' ? vscode.window.activeTextEditor : undefined;
    if (editor && isReadOnly(editor.document)) {
      if (interactive) {
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('"{0}" is read-only. Stream the answer into a new document instead?', editor.document.fileName), vscode.l10n.t('Open New Document'));
        if (!choice) return undefined;
      }
      this.deps.log.info('the active document is read-only: answering in a new document');
      editor = undefined;
    }
    // The primary selection goes along as context, from the palette and from other callers alike (DESIGN.md).
    const messages: ChatMessage[] = [{ role: 'user', content: withSelection(prompt!, editor) }];
    const position = editor && (editor.selection.isEmpty ? editor.selection.active : editor.selection.end);
    return this.stream(profile, messages, editor, position, interactive ? { prompt: messages[0].content, target: 'newDocument' } : undefined, editor ? undefined : blank);
  }

  /** `askLlm.rewriteSelection`: asks for the instruction, then rewrites every selection. */
  async rewrite(): Promise<AskResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Ask LLM: open a document and select the text to rewrite.'));
      return undefined;
    }
    const profile = resolveProfile(this.deps.config);
    if (!profile) return this.run({ prompt: '', target: 'selection' });
    const n = editor.selections.length;
    this.deps.warm(profile);
    const prompt = await vscode.window.showInputBox({
      title: vscode.l10n.t('Ask LLM: Rewrite Selection'),
      prompt: n === 1
        ? vscode.l10n.t('{0} · {1} — the selection is replaced by its answer, as it streams', labelOf(profile), profile.model)
        : vscode.l10n.t('{0} · {1} — each of the {2} selections is replaced by its answer, as it streams', labelOf(profile), profile.model, n),
      placeHolder: vscode.l10n.t('How should it change? (e.g. "add type annotations", "翻译成英文")'),
      ignoreFocusOut: true,
    });
    if (!prompt?.trim()) return undefined;
    return this.rewriteSelections(profile, prompt, true);
  }

  /**
   * Every selection of the active editor (multi-cursor included) gets its own answer, streamed at
   * once in place of its text (an empty one inserts at its cursor), each request carrying its own
   * selection. One writer: about one edit per round for all of them, one undo step.
   */
  private async rewriteSelections(profile: ProviderProfile, prompt: string, interactive: boolean): Promise<AskResult> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || isReadOnly(editor.document)) {
      const error = configError('badRequest', editor
        ? vscode.l10n.t('"{0}" is read-only: there is nothing to rewrite in place.', editor.document.fileName)
        : vscode.l10n.t('There is no active editor with a selection to rewrite.'));
      if (interactive) void vscode.window.showWarningMessage(`Ask LLM: ${error.message}`);
      return { text: '', finishReason: 'error', error };
    }
    const doc = editor.document;
    const selections = [...editor.selections].sort((a, b) => a.start.compareTo(b.start));
    const group = new AbortController();
    this.runs.add(group);
    this.deps.status.setBusy('editor', true);
    const parts = selections.map(() => new AbortController());
    const stopAll = () => parts.forEach((c) => c.abort());
    group.signal.addEventListener('abort', stopAll);
    let closed = false;
    const writer = new DocumentWriter(editor, doc, {
      onClosed: () => {
        closed = true;
        stopAll();
      },
      onRejected: () => {
        void vscode.window.showWarningMessage(vscode.l10n.t('Ask LLM: the document refused the edit; the answers stop here.'));
        stopAll();
      },
      // An edit inside what a range already wrote stops that range's stream; the others go on.
      onTouched: (range) => parts[ranges.indexOf(range)]?.abort(),
    });
    const originals = selections.map((sel) => doc.getText(sel));
    const ranges = selections.map((sel) => writer.range({ start: doc.offsetAt(sel.start), end: doc.offsetAt(sel.end) }, true));
    // Fences come back at a range's start when its answer was not one code block after all.
    const sinks = ranges.map((range) => shapedSink(writer, range, new AnswerShaper({
      unfence: doc.languageId !== 'markdown',
      indent: '',
      onNotOneBlock: (opening) => range.prepend(opening),
    })));
    // The selections would grow over the streaming text (one keystroke would replace all of it):
    // leave a cursor at the start of each instead.
    editor.selections = selections.map((sel) => new vscode.Selection(sel.start, sel.start));
    let outcomes: Outcome[] = [];
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Ask LLM: {0} · {1} — {2} selection(s)', labelOf(profile), profile.model, selections.length), cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => group.abort());
          const progressOf = progressSink(progress, { streams: selections.length });
          outcomes = await Promise.all(selections.map((sel, i) => {
            const messages: ChatMessage[] = [{ role: 'user', content: withSelection(prompt, editor, sel) }];
            return foldAnswer(this.deps.api.streamEvents(messages, { provider: profile.id, signal: parts[i].signal }), [sinks[i], progressOf], {
              onSinkError: (err) => this.deps.log.error(`editor sink: ${String(err)}`),
            });
          }));
          this.deps.log.info(`editor: ${selections.length} selection(s), ${outcomes.reduce((n, o) => n + o.text.length, 0)} chars in ${writer.edits} edit(s), one undo step`);
        },
      );
    } finally {
      writer.dispose();
      this.runs.delete(group);
      this.deps.status.setBusy('editor', false);
    }
    const results = outcomes.map((o) => (closed && !o.error ? { text: o.text, finishReason: 'cancelled' as const } : askResult(o)));
    // Review: Keep or Undo on each range an answer replaced.
    if (!closed) this.deps.review.add(doc, ranges.flatMap((r, i) => (r.written > 0 ? [{ span: r.span, original: originals[i] }] : [])));
    const firstError = results.find((r) => r.error);
    if (firstError?.error && !closed) this.notify(firstError.error, profile, undefined);
    return results.length === 1 ? results[0] : combine(results);
  }

  /**
   * One answer into a document: at `position` of `editor`, or (no editor) into a new untitled
   * document, which takes the language the answer's first line tells. Code-aware: see AnswerShaper.
   * `retryArgs`: how a Retry button re-runs an interactive ask (non-interactive callers retry themselves).
   */
  private async stream(profile: ProviderProfile, messages: ChatMessage[], editor: vscode.TextEditor | undefined, position: vscode.Position | undefined, retryArgs: AskArgs | undefined, opened?: Promise<vscode.TextEditor>): Promise<AskResult> {
    const ctl = new AbortController();
    this.runs.add(ctl);
    this.deps.status.setBusy('editor', true);
    let closedQuietly = false;
    let relabeling = false;
    const events = {
      onClosed: () => {
        if (relabeling) return; // a language change reads as close + open
        if (this.cut?.writer === writer) this.forgetCut();
        if (!this.runs.has(ctl)) return; // closed after the answer ended (the writer was kept for Continue)
        closedQuietly = true;
        this.deps.log.info('the document was closed: stopping its answer');
        ctl.abort();
      },
      onRejected: () => {
        moving = moveToNewDocument();
      },
    };
    let writer: DocumentWriter | undefined;
    let range: DocumentRange | undefined;
    let shaper: AnswerShaper | undefined;
    // The fences come back at the start when the answer was not one code block after all.
    const restoreOpening = (opening: string) => range!.prepend(opening);
    const place = (ed: vscode.TextEditor, offset: number, at: vscode.Position | undefined) => {
      writer = new DocumentWriter(ed, ed.document, events);
      range = writer.range({ start: offset, end: offset });
      shaper = shaperAt(ed.document, at, restoreOpening);
    };
    if (editor) place(editor, editor.document.offsetAt(position!), position);
    // A new document opens at once (while the request goes out); the answer's start waits until
    // its first line tells the language, which the still empty document then takes.
    const blank = editor ? undefined : opened ?? openNewDocument();
    let head = '';
    let opening: Promise<void> | undefined;
    const openFor = async (language: string | undefined) => {
      let ed = await blank!;
      if (language && language !== ed.document.languageId) {
        relabeling = true;
        const doc = await vscode.languages.setTextDocumentLanguage(ed.document, language);
        relabeling = false;
        ed = vscode.window.visibleTextEditors.find((e) => e.document === doc) ?? await showDocument(doc);
      }
      place(ed, 0, undefined);
      const text = head;
      head = '';
      writer!.push(range!, shaper!.push(text));
    };
    // The sink the fold sees stays the same when the answer moves to a new document.
    let moving: Promise<void> | undefined;
    const documentSink: Sink = {
      write: (batch) => {
        if (writer) return writer.push(range!, shaper!.push(batch.text));
        head += batch.text;
        if (opening) return;
        const probe = new AnswerShaper({ unfence: true, indent: '' });
        probe.push(head);
        if (probe.decided) opening = languageOfFence(probe.language).then(openFor);
      },
      finish: async (o) => {
        if (!opening && head) opening = openFor(undefined);
        await opening;
        if (!writer) return; // nothing arrived
        writer.push(range!, shaper!.flush());
        // The document may refuse the last pieces as they settle: then they go on in the new one.
        for (let settled: DocumentRange | undefined; settled !== range;) {
          settled = range;
          await range!.finish(o);
          await moving;
        }
        // The answer was not one code block after all: the new document is Markdown again.
        if (!editor && shaper!.language === undefined && writer.document.languageId !== 'markdown') {
          relabeling = true;
          await vscode.languages.setTextDocumentLanguage(writer.document, 'markdown');
          relabeling = false;
        }
      },
    };
    const moveToNewDocument = async () => {
      void vscode.window.showWarningMessage(vscode.l10n.t('Ask LLM: the document is read-only; the answer continues in a new document.'));
      const old = writer!;
      const next = await openNewDocument();
      // Pieces kept arriving in the old range meanwhile: take them all only now.
      writer = new DocumentWriter(next, next.document, events);
      range = writer.range({ start: 0, end: 0 });
      writer.push(range, old.takePending());
      old.dispose();
    };
    let outcome: Outcome | undefined;
    let kept = false;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Ask LLM: ${labelOf(profile)} · ${profile.model}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => ctl.abort());
          outcome = await foldAnswer(
            this.deps.api.streamEvents(messages, { provider: profile.id, signal: ctl.signal }),
            [documentSink, progressSink(progress)],
            { onSinkError: (err) => this.deps.log.error(`editor sink: ${String(err)}`) },
          );
          this.deps.log.info(`editor: ${outcome.text.length} chars in ${writer?.edits ?? 0} edit(s), one undo step`);
          kept = !closedQuietly && !!writer && this.keepIfCut(outcome, { profile, messages, text: outcome.text, writer, range: range!, shaper: shaper! });
        },
      );
    } finally {
      if (!kept) writer?.dispose();
      this.runs.delete(ctl);
      this.deps.status.setBusy('editor', false);
    }
    const o = outcome!;
    if (closedQuietly) return { text: o.text, finishReason: 'cancelled' };
    if (o.error) {
      this.notify(o.error, profile, retryArgs, kept);
      return askResult(o);
    }
    if (o.finishReason === 'length') this.offerContinue(vscode.l10n.t('Ask LLM: the answer was cut off at the token limit (max_tokens).'));
    if (o.finishReason === 'contentFilter') void vscode.window.showWarningMessage(vscode.l10n.t('Ask LLM: the provider stopped the answer with its content filter.'));
    return askResult(o);
  }

  /**
   * Keeps an answer that ended early (token limit, Stop, or an error after some text) for Continue,
   * with its writer; the one kept before is let go. True when kept.
   */
  private keepIfCut(o: Outcome, cut: CutAnswer): boolean {
    if (!endedEarly(o)) return false;
    this.forgetCut();
    this.cut = cut;
    this.cutAt = Date.now();
    return true;
  }

  private forgetCut(): void {
    this.cut?.writer.dispose();
    this.cut = undefined;
  }

  private offerContinue(message: string): void {
    void vscode.window.showWarningMessage(message, vscode.l10n.t('Continue')).then((c) => {
      if (c) void vscode.commands.executeCommand('askLlm.continue');
    });
  }

  /**
   * `askLlm.continue`: the most recent answer that ended early carries on right after the text
   * already written, through the provider's own continuation where it has one (else an
   * instruction); a repeat of the end at the seam is not written twice. Resolves with the whole
   * answer: what was there plus the continuation.
   */
  async continue(): Promise<AskResult | undefined> {
    const cut = this.cut;
    if (!cut || cut.writer.isClosed) {
      this.forgetCut();
      void vscode.window.showInformationMessage(vscode.l10n.t('Ask LLM: there is no cut answer to continue in an open document.'));
      return undefined;
    }
    const mode = continuationMode(cut.profile);
    const messages = continuationMessages(cut.messages, cut.text, mode);
    const ctl = new AbortController();
    this.runs.add(ctl);
    this.deps.status.setBusy('editor', true);
    cut.writer.newUndoStep();
    const range = cut.writer.range({ start: cut.range.span.end, end: cut.range.span.end });
    const sink = shapedSink(cut.writer, range, cut.shaper);
    const closing = vscode.workspace.onDidCloseTextDocument((d) => {
      if (d === cut.writer.document) ctl.abort();
    });
    let outcome: Outcome | undefined;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Ask LLM: continuing · {0} · {1}', labelOf(cut.profile), cut.profile.model), cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => ctl.abort());
          const events = this.deps.api.streamEvents(messages, { provider: cut.profile.id, signal: ctl.signal, continuation: mode === 'native' });
          outcome = await foldAnswer(withoutSeam(events, cut.text), [sink, progressSink(progress)], {
            onSinkError: (err) => this.deps.log.error(`editor sink: ${String(err)}`),
          });
          this.deps.log.info(`editor: continued with ${outcome.text.length} chars (${mode}) in ${cut.writer.edits} edit(s) so far`);
        },
      );
    } finally {
      closing.dispose();
      this.runs.delete(ctl);
      this.deps.status.setBusy('editor', false);
    }
    const o = outcome!;
    const whole: Outcome = { ...o, text: cut.text + o.text };
    // Still cut: the next Continue goes on from the end of this one.
    if (!this.keepIfCut(whole, { ...cut, text: whole.text, range })) this.forgetCut();
    if (o.error) this.notify(o.error, cut.profile, undefined, this.cut !== undefined);
    else if (o.finishReason === 'length') this.offerContinue(vscode.l10n.t('Ask LLM: the answer was cut off at the token limit again.'));
    return askResult(whole);
  }

  /** Tells the user what went wrong and what to do, without blocking the command's result. */
  private notify(error: LlmErrorInfo, profile: ProviderProfile, retryArgs: AskArgs | undefined, canContinue = false): void {
    const hint = hintFor(error, labelOf(profile));
    // Each button with what it does (the labels are in the display language).
    const actions: Array<[string, () => unknown]> = [];
    if (canContinue) actions.push([vscode.l10n.t('Continue'), () => vscode.commands.executeCommand('askLlm.continue')]);
    if (error.kind === 'auth') actions.push([vscode.l10n.t('Set API Key…'), () => vscode.commands.executeCommand('askLlm.setApiKey', profile.id)]);
    if (['notFound', 'network', 'badRequest', 'permission'].includes(error.kind)) actions.push([vscode.l10n.t('Select Provider…'), () => vscode.commands.executeCommand('askLlm.selectProvider')]);
    if (error.retryable && retryArgs) actions.push([vscode.l10n.t('Retry'), () => vscode.commands.executeCommand('askLlm.ask', { ...retryArgs, provider: profile.id })]);
    actions.push([vscode.l10n.t('Show Log'), () => this.deps.log.show()]);
    void vscode.window.showErrorMessage(`Ask LLM: ${error.message}${hint ? ` — ${hint}` : ''}`, ...actions.map(([label]) => label)).then((choice) => {
      return actions.find(([label]) => label === choice)?.[1]();
    });
  }

  dispose(): void {
    this.stopAll();
    this.forgetCut();
  }
}
