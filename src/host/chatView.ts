import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { foldAnswer, type Outcome, type Sink, type Timing } from '../core/answer';
import { continuationMessages, continuationMode, withoutSeam } from '../core/continuation';
import type { ChatMessage, LlmEvent, Usage } from '../core/types';
import { L10N_ELEMENT_ID, l10nScriptContent } from '../shared/l10n';
import { openableUrl } from '../shared/links';
import { assertNever, canContinue, isWebviewMessage, type HostMessage, type UiAttachment, type UiChat, type UiMessage, type UiProvider, type UiStats, type WebviewMessage } from '../shared/protocol';
import { languageOfFence } from './askCommand';
import { attachmentFrom, sourceEditor } from './chatAttach';
import { chatCsp } from './chatCsp';
import type { ChatDeps } from './chatDeps';
import { conversationMarkdown, withAttachments } from './chatMarkdown';
import { DocumentWriter, isReadOnly } from './documentSink';
import { FileStore } from './fileStore';
import { ChatHistory, INTERRUPTED } from './history';
import { isShownText } from './shownText';

/** User-facing strings of this file (translated when read, in the display language). */
const STRINGS = {
  get renameTitle() { return vscode.l10n.t('Rename Chat'); },
  get renameEmpty() { return vscode.l10n.t('Enter a name'); },
  get noCursor() { return vscode.l10n.t('Ask LLM: there is no editor to write the answer into; it is in the chat only.'); },
  readOnly: (name: string) => vscode.l10n.t('Ask LLM: "{0}" is read-only; the answer is in the chat only.', name),
  get rejected() { return vscode.l10n.t('Ask LLM: the document refused the edit; the rest of the answer is in the chat only.'); },
  attachFailed: (why: string) => vscode.l10n.t('Ask LLM: {0}', why),
};

interface Running {
  message: UiMessage;
  controller: AbortController;
  done: Promise<Outcome>;
  /** Brings the message's live figures up to now (a view that loads mid-wait counts on from them). */
  refresh(): void;
}

let counter = 0;
const newId = () => `${Date.now().toString(36)}-${(++counter).toString(36)}`;

/** The speed line's numbers: the fold's timing (live, or final from the outcome) and who answered. */
function uiStats(t: Timing, from: { provider?: string; model?: string; usage?: Usage }, stopMs?: number): UiStats {
  return {
    ...(from.provider !== undefined ? { provider: from.provider } : {}),
    ...(from.model !== undefined ? { model: from.model } : {}),
    ...(t.firstTokenMs !== undefined ? { firstTokenMs: t.firstTokenMs } : {}),
    durationMs: t.durationMs,
    outputTokens: t.outputTokens,
    tokensEstimated: t.tokensEstimated,
    ...(t.tokensPerSecond !== undefined ? { tokensPerSecond: t.tokensPerSecond } : {}),
    ...(from.usage ? { usage: { ...from.usage } } : {}),
    ...(stopMs !== undefined ? { stopMs } : {}),
    ...(t.reasoningMs !== undefined ? { reasoningMs: t.reasoningMs } : {}),
    ...(t.lastTokenMs !== undefined ? { lastTokenMs: t.lastTokenMs } : {}),
  };
}

/**
 * The side-bar chat. The host owns the conversation; the webview is a view of it that asks for a
 * snapshot whenever it (re)loads, so a hidden, re-shown or reloaded view shows everything,
 * including an answer still streaming. Deltas go out at most about once a frame.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'askLlm.chat';
  private view: vscode.WebviewView | undefined;
  private readonly history: ChatHistory;
  private readonly store: FileStore;
  private messages: UiMessage[];
  private running: Running | undefined;
  /** The chat's latest cut answer and when it ended (for `askLlm.continue`: the most recent cut wins). */
  private cutStamp: { id: string; at: number } | undefined;
  /** What went to the webview since the test hook last looked (only once a test has used it; no deltas). */
  private testPosts: HostMessage[] | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** Set once the extension is being deactivated (the window reloads or closes). */
  private disposed = false;

  constructor(private readonly context: vscode.ExtensionContext, private readonly deps: ChatDeps) {
    // In files of the extension's storage folder (fileStore.ts says why not workspaceState); what
    // earlier versions kept in workspaceState moves there once.
    this.store = new FileStore(path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'chats'), (m) => deps.log.warn(m));
    const moved = this.store.adopt(context.workspaceState, (key) => key.startsWith('askLlm.chat'));
    if (moved) deps.log.info(`chat history: ${moved} entries moved from workspaceState to ${this.store.dir}`);
    this.history = new ChatHistory(this.store);
    this.messages = this.history.load();
    this.subs.push(deps.onDidChangeProvider(() => this.post({ type: 'provider', provider: deps.activeProvider() })));
  }

  /** Where the conversations are kept (for the tests). */
  get historyDir(): string {
    return this.store.dir;
  }

  get streaming(): boolean {
    return this.running !== undefined;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    view.webview.options = { enableScripts: true, enableForms: false, localResourceRoots: [dist, media] };
    view.webview.html = this.html(view.webview);
    // Listeners live as long as this view: VS Code resolves a new one after the view is disposed.
    const listeners = [
      view.webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewMessage(m)) void this.handle(m);
        else this.deps.log.warn(`chat view sent an unexpected message: ${JSON.stringify(m).slice(0, 200)}`);
      }),
    ];
    listeners.push(view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
      for (const l of listeners) l.dispose();
    }));
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewType}.focus`);
  }

  /** Sends `prompt` as if typed, and resolves when its answer ends; `from`: a provider other than the active one answers (a replay). */
  async ask(prompt: string, from?: UiProvider): Promise<Outcome> {
    return this.send(prompt, undefined, false, from);
  }

  stop(): boolean {
    if (!this.running) return false;
    this.running.controller.abort();
    return true;
  }

  /** Stops the answer in flight, if any, and waits until it has ended (and is saved). */
  private async settle(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.controller.abort();
    await r.done;
  }

  /** A new, empty conversation on show; the one before stays in the history. */
  async newChat(): Promise<void> {
    await this.settle();
    await this.history.create();
    this.show();
    this.post({ type: 'focusInput' });
  }

  /** Answers the last question again: Regenerate, or Retry after an error (an answer in flight stops first). */
  async retry(): Promise<Outcome | undefined> {
    await this.settle();
    if (this.messages[this.messages.length - 1]?.role === 'assistant') await this.remove(this.messages.length - 1);
    if (this.messages[this.messages.length - 1]?.role !== 'user') return undefined;
    return this.answer();
  }

  /** The last question, edited: it and everything after it give way to `text` and its answer. */
  async editLast(text: string, attachments?: UiAttachment[], atCursor = false): Promise<Outcome> {
    await this.settle();
    const i = this.messages.map((m) => m.role).lastIndexOf('user');
    if (i >= 0) await this.remove(i);
    return this.send(text, attachments, atCursor);
  }

  /**
   * Continues the last answer when it ended early (`canContinue`), in the same message, through
   * the request `askLlm.continue` makes: the conversation, the partial answer as an assistant
   * message, then an instruction unless the provider carries on natively; text the model repeats
   * at the seam is not written twice. The profile that answered continues (else the active one).
   * Resolves with the whole answer (the partial text plus the continuation), or undefined when
   * there is nothing to continue.
   */
  async continueLast(): Promise<Outcome | undefined> {
    if (this.running) return undefined;
    const message = this.messages[this.messages.length - 1];
    if (!message || !canContinue(message)) return undefined;
    const profile = this.deps.profile(message.stats?.provider ?? message.error?.profileId);
    const mode = profile ? continuationMode(profile) : 'instruction';
    const partial = message.text;
    const request = continuationMessages(this.conversation(this.messages.slice(0, -1)), partial, mode);
    message.status = 'streaming';
    delete message.finishReason;
    delete message.error;
    const reasonedBefore = message.stats?.reasoningMs; // a continuation adds to how long it reasoned
    delete message.stats;
    this.post({ type: 'messageReplaced', message });
    const outcome = await this.run(message, (signal) => withoutSeam(this.deps.streamEvents(request, { signal, provider: profile?.id, continuation: mode === 'native' }), partial), profile?.id, [], reasonedBefore);
    return { ...outcome, text: partial + outcome.text };
  }

  /**
   * When the chat's last answer was cut, if `continueLast` can carry it on (ms since the epoch; 0
   * for one cut in an earlier session), else undefined. `askLlm.continue` continues the most
   * recent cut answer, the chat's or a document's.
   */
  cutEndedAt(): number | undefined {
    const last = this.messages[this.messages.length - 1];
    if (this.running || !last || !canContinue(last)) return undefined;
    return this.cutStamp?.id === last.id ? this.cutStamp.at : 0;
  }

  /** Shows another conversation from the history (an answer in flight stops first). */
  async switchChat(id: string): Promise<boolean> {
    if (id === this.history.activeId) return true;
    if (!this.history.has(id)) return false;
    await this.settle();
    await this.history.switchTo(id);
    this.show();
    return true;
  }

  /** Renames a conversation; without `title`, asks for one. */
  async renameChat(id: string, title?: string): Promise<boolean> {
    if (!this.history.has(id)) return false;
    const name = title ?? await vscode.window.showInputBox({
      title: STRINGS.renameTitle, value: this.history.title(id), validateInput: (v) => (v.trim() ? undefined : STRINGS.renameEmpty),
    });
    if (name === undefined) return false;
    const renamed = await this.history.rename(id, name);
    this.postChats();
    return renamed;
  }

  /** Deletes a conversation; deleting the one on show shows the newest other one (or a new one). */
  async deleteChat(id: string): Promise<boolean> {
    if (!this.history.has(id)) return false;
    const showing = id === this.history.activeId;
    if (showing) await this.settle();
    await this.history.delete(id);
    if (showing) this.show();
    else this.postChats();
    return true;
  }

  /** Opens a conversation (the one on show by default) as a new untitled Markdown document, for the user to save. */
  async exportChat(id = this.history.activeId): Promise<vscode.TextDocument | undefined> {
    if (!this.history.has(id)) return undefined;
    const messages = id === this.history.activeId ? this.messages : this.history.messagesOf(id);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: conversationMarkdown(this.history.title(id) ?? '', messages) });
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  /** The conversation on show, from the store, to the view. */
  private show(): void {
    this.messages = this.history.load();
    this.snapshot();
  }

  /** Takes the messages from index `from` on out of the conversation. */
  private async remove(from: number): Promise<void> {
    const gone = this.messages.splice(from);
    if (!gone.length) return;
    this.post({ type: 'messagesRemoved', ids: gone.map((m) => m.id) });
    await this.history.save(this.messages, []);
    this.postChats();
  }

  /** A chip for the composer: the editor's selection or its whole document. */
  private attach(what: 'selection' | 'file'): void {
    const a = attachmentFrom(sourceEditor(), what);
    if ('error' in a) void vscode.window.showInformationMessage(STRINGS.attachFailed(a.error));
    else this.post({ type: 'attached', attachment: a });
  }

  /**
   * For the integration tests only (extension.ts registers it as a command in test mode): hands
   * `message` to the handler as if the webview had posted it, and resolves once it is handled with
   * what the chat holds and what it posted to the webview since the last call (deltas left out).
   */
  async testHook(message?: unknown): Promise<{ chats: UiChat[]; activeId: string; messages: UiMessage[]; streaming: boolean; posted: HostMessage[] }> {
    this.testPosts ??= [];
    if (message !== undefined) {
      if (!isWebviewMessage(message)) throw new Error(`not a webview message: ${JSON.stringify(message)}`);
      await this.handle(message);
    }
    const posted = this.testPosts.splice(0);
    return JSON.parse(JSON.stringify({ chats: this.history.list(), activeId: this.history.activeId, messages: this.messages, streaming: this.streaming, posted }));
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.deps.warm();
        return this.snapshot();
      case 'typing': return this.deps.warm();
      case 'send': if (m.text.trim()) await this.send(m.text, m.attachments, m.atCursor); return;
      case 'editLast': if (m.text.trim()) await this.editLast(m.text, m.attachments, m.atCursor); return;
      case 'stop': this.stop(); return;
      case 'newChat': await this.newChat(); return;
      case 'retry': await this.retry(); return;
      case 'continue': await this.continueLast(); return;
      case 'attach': this.attach(m.what); return;
      case 'switchChat': await this.switchChat(m.id); return;
      case 'renameChat': await this.renameChat(m.id, m.title); return;
      case 'deleteChat': await this.deleteChat(m.id); return;
      case 'exportChat': await this.exportChat(m.id); return;
      case 'selectProvider': await vscode.commands.executeCommand('askLlm.selectProvider'); return;
      case 'setApiKey': await vscode.commands.executeCommand('askLlm.setApiKey', m.profileId); return;
      case 'copy': if (await this.shows(m)) await vscode.env.clipboard.writeText(m.text); return;
      case 'insertAtCursor': if (await this.shows(m)) await this.insert(m.text); return;
      case 'openInNewFile': if (await this.shows(m)) await this.openInNewFile(m.text, m.language); return;
      case 'openLink': return this.openLink(m.href);
      default: return assertNever(m);
    }
  }

  /** The view renders model output, so the host checks what it asks for: text of an answer it shows. */
  private async shows(m: { type: string; text: string }): Promise<boolean> {
    const answers = this.messages.filter((x) => x.role === 'assistant').map((x) => x.text);
    if (await isShownText(m.text, answers)) return true;
    this.deps.log.warn(`chat view asked to ${m.type} ${m.text.length} characters that no answer shows: ignored`);
    return false;
  }

  /** Links in answers open here, on a click, and only http or https ones. */
  private async openLink(href: string): Promise<void> {
    const url = openableUrl(href);
    if (!url) {
      this.deps.log.warn(`chat view asked to open ${JSON.stringify(href.slice(0, 200))}: only http and https links open; ignored`);
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
  }

  /** A code block opens in its fence's language (as the editor's new documents do); an answer as Markdown. */
  private async openInNewFile(text: string, fence?: string): Promise<void> {
    const language = fence === undefined ? 'markdown' : (await languageOfFence(fence)) ?? 'plaintext';
    const doc = await vscode.workspace.openTextDocument({ language, content: text });
    await vscode.window.showTextDocument(doc);
  }

  private async insert(text: string): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (!editor) {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
      await vscode.window.showTextDocument(doc);
      return;
    }
    await editor.edit((b) => b.replace(editor.selection, text));
  }

  /** A question and its answer; `atCursor`: the answer also streams into the active editor at the cursor. */
  private async send(text: string, attachments?: UiAttachment[], atCursor = false, from?: UiProvider): Promise<Outcome> {
    // One answer at a time: a new question stops the one in flight (its text so far stays).
    await this.settle();
    const user: UiMessage = { id: newId(), role: 'user', text, status: 'done', ...(attachments?.length ? { attachments } : {}) };
    this.messages.push(user);
    void this.history.save(this.messages, [user]);
    this.post({ type: 'messageAdded', message: user });
    return this.answer(atCursor, from);
  }

  private async answer(atCursor = false, from?: UiProvider): Promise<Outcome> {
    const provider = from ?? this.deps.activeProvider();
    const context = this.conversation(this.messages);
    const message: UiMessage = { id: newId(), role: 'assistant', text: '', status: 'streaming', model: provider ? `${provider.label} · ${provider.model}` : undefined };
    this.messages.push(message);
    void this.history.save(this.messages, [message]); // in the index at once: a reload mid-answer keeps it
    this.post({ type: 'messageAdded', message });
    this.postChats();
    const cursor = atCursor ? this.cursorSink() : undefined;
    try {
      return await this.run(message, (signal) => this.deps.streamEvents(context, { signal, ...(from ? { provider: from.id } : {}) }), provider?.id, cursor ? [cursor.sink] : []);
    } finally {
      cursor?.writer.dispose();
    }
  }

  /** The conversation as the model gets it: questions with their attachments, answers that have text (not one still streaming). */
  private conversation(messages: UiMessage[]): ChatMessage[] {
    return messages
      .filter((m) => m.role === 'user' || (m.text && m.status !== 'streaming'))
      .map((m) => ({ role: m.role, content: m.role === 'user' ? withAttachments(m.text, m.attachments) : m.text }));
  }

  /** Folds one stream into `message` (and any `extra` sinks); Stop and a new question abort it. */
  private async run(message: UiMessage, open: (signal: AbortSignal) => AsyncIterable<LlmEvent>, profileId: string | undefined, extra: Sink[] = [], reasonedBefore?: number): Promise<Outcome> {
    const controller = new AbortController();
    const sink = this.messageSink(message, profileId, controller.signal, reasonedBefore);
    const done = foldAnswer(open(controller.signal), [sink, ...extra], {
      onSinkError: (err) => this.deps.log.error(`chat sink: ${String(err)}`),
    });
    this.running = { message, controller, done, refresh: sink.refresh };
    this.deps.setBusy('chat', true);
    try {
      return await done;
    } finally {
      if (this.running?.done === done) this.running = undefined;
      this.deps.setBusy('chat', false);
    }
  }

  /**
   * "Answer at cursor": the active editor at its cursor (after a selection) as a second sink of
   * the same stream, one undo step (DocumentWriter). Undefined, with a warning, where it cannot
   * write; a document closed or refusing edits mid-answer just stops getting text.
   */
  private cursorSink(): { sink: Sink; writer: DocumentWriter } | undefined {
    const editor = sourceEditor();
    if (!editor || isReadOnly(editor.document)) {
      void vscode.window.showWarningMessage(editor ? STRINGS.readOnly(vscode.workspace.asRelativePath(editor.document.uri)) : STRINGS.noCursor);
      return undefined;
    }
    let stopped = false;
    const writer = new DocumentWriter(editor, editor.document, {
      onClosed: () => { stopped = true; },
      onRejected: () => {
        stopped = true;
        void vscode.window.showWarningMessage(STRINGS.rejected);
      },
    });
    const sel = editor.selection;
    const at = editor.document.offsetAt(sel.isEmpty ? sel.active : sel.end);
    const range = writer.range({ start: at, end: at });
    return {
      writer,
      sink: {
        write: (batch) => { if (!stopped) range.write(batch); },
        finish: (o) => range.finish(o),
      },
    };
  }

  /**
   * The chat message as a sink: batches become `delta` posts (about one a frame) and a throttled
   * save. An error carries the id of the profile that answered ("Set API key…" asks for its key).
   * A delta carries the live speed figures a few times a second (the view shows them no more
   * often); the end carries the final ones and, after a Stop, how long the stop took (from the
   * abort to the end of the answer). The response's start is posted too (the view tells a request
   * with no response yet from one the provider accepted and says nothing about), and `refresh`
   * brings the figures up to now for a view that loads mid-wait.
   */
  private messageSink(message: UiMessage, profileId: string | undefined, signal: AbortSignal, reasonedBefore?: number): Sink & { refresh(): void } {
    // A continued answer keeps how long it reasoned before (plus any reasoning of the continuation).
    const reasoning = (s: UiStats): UiStats => (reasonedBefore === undefined ? s : { ...s, reasoningMs: reasonedBefore + (s.reasoningMs ?? 0) });
    let stoppedAt: number | undefined;
    signal.addEventListener('abort', () => { stoppedAt = performance.now(); }, { once: true });
    let statsAt = -Infinity;
    const startedAt = performance.now();
    return {
      start: (info) => {
        message.stats = reasoning({ ...info, durationMs: performance.now() - startedAt, outputTokens: 0, tokensEstimated: true });
        this.post({ type: 'delta', id: message.id, stats: message.stats });
      },
      refresh: () => {
        if (message.status !== 'streaming') return;
        message.stats = { outputTokens: 0, tokensEstimated: true, ...message.stats, durationMs: performance.now() - startedAt };
      },
      write: (b, answer) => {
        message.text += b.text;
        if (b.reasoning) message.reasoning = (message.reasoning ?? '') + b.reasoning;
        const now = performance.now();
        const live = now - statsAt >= 200;
        if (live) {
          statsAt = now;
          message.stats = reasoning(uiStats(answer.timing(), answer));
        }
        this.post({ type: 'delta', id: message.id, ...(b.text ? { text: b.text } : {}), ...(b.reasoning ? { reasoning: b.reasoning } : {}), ...(live ? { stats: message.stats } : {}) });
        this.history.saveSoon(message);
      },
      finish: async (o) => {
        // The window went away mid-answer: interrupted, however the stream ended under it (our
        // abort, or an error from the extension host's channel closing first), never a failure.
        const interrupted = this.disposed && (o.finishReason === 'cancelled' || !!o.error);
        message.status = interrupted ? 'cancelled' : o.error ? 'error' : o.finishReason === 'cancelled' ? 'cancelled' : 'done';
        message.finishReason = interrupted ? INTERRUPTED : o.error ? undefined : o.finishReason;
        if (o.error && !interrupted) message.error = { ...o.error, hint: this.deps.hintFor(o.error), ...(profileId ? { profileId } : {}) };
        const stopMs = message.status === 'cancelled' && stoppedAt !== undefined && !this.disposed ? performance.now() - stoppedAt : undefined;
        message.stats = reasoning(uiStats(o.timing, o, stopMs));
        if (canContinue(message)) this.cutStamp = { id: message.id, at: Date.now() };
        this.post({ type: 'messageDone', id: message.id, status: message.status, finishReason: message.finishReason, error: message.error, stats: message.stats });
        await this.history.save(this.messages, [message]);
      },
    };
  }

  private snapshot(): void {
    this.running?.refresh();
    this.post({ type: 'snapshot', messages: this.messages, provider: this.deps.activeProvider(), streaming: this.streaming });
    this.postChats();
  }

  /** The history list to the view. */
  private postChats(): void {
    this.post({ type: 'chats', chats: this.history.list(), activeId: this.history.activeId });
  }

  private post(message: HostMessage): void {
    if (this.testPosts && message.type !== 'delta') this.testPosts.push(message);
    void this.view?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64url');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'chat.css'));
    const csp = chatCsp(webview.cspSource, nonce);
    // The view's own strings in VS Code's display language: the bundle vscode.l10n loaded for it
    // (none for English), read by webview/l10n.ts before the view builds its UI.
    const lang = vscode.env.language.replace(/[^\w-]/g, '') || 'en';
    return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Ask LLM</title>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="${L10N_ELEMENT_ID}">${l10nScriptContent(vscode.l10n.bundle)}</script>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    // The window is going away (a reload, a close): an answer in flight is interrupted, not stopped by the user.
    this.disposed = true;
    this.stop();
    this.history.dispose();
    this.store.flushSync();
    for (const s of this.subs) s.dispose();
  }
}
