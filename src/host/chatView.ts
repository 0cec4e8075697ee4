import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { foldAnswer, type Outcome, type Sink, type Timing } from '../core/answer';
import type { ChatMessage, Usage } from '../core/types';
import { assertNever, isWebviewMessage, type HostMessage, type UiMessage, type UiStats, type WebviewMessage } from '../shared/protocol';
import type { ChatDeps } from './chatDeps';
import { ChatHistory } from './history';

interface Running {
  message: UiMessage;
  controller: AbortController;
  done: Promise<Outcome>;
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
  private messages: UiMessage[];
  private running: Running | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly deps: ChatDeps) {
    this.history = new ChatHistory(context.workspaceState);
    this.messages = this.history.load();
    this.subs.push(deps.onDidChangeProvider(() => this.post({ type: 'provider', provider: deps.activeProvider() })));
  }

  get streaming(): boolean {
    return this.running !== undefined;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
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

  /** Sends `prompt` as if typed, and resolves when its answer ends. */
  async ask(prompt: string): Promise<Outcome> {
    return this.send(prompt);
  }

  stop(): boolean {
    if (!this.running) return false;
    this.running.controller.abort();
    return true;
  }

  newChat(): void {
    this.stop();
    this.messages = [];
    void this.history.save(this.messages, []);
    this.snapshot();
    this.post({ type: 'focusInput' });
  }

  /** Answers the last question again (after an error or a stop). */
  async retry(): Promise<Outcome | undefined> {
    if (this.running) return undefined;
    const last = this.messages[this.messages.length - 1];
    if (last?.role === 'assistant') {
      this.messages.pop();
      void this.history.save(this.messages, []);
    }
    const question = this.messages[this.messages.length - 1];
    if (question?.role !== 'user') return undefined;
    this.snapshot();
    return this.answer();
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready': return this.snapshot();
      case 'send': if (m.text.trim()) await this.send(m.text); return;
      case 'stop': this.stop(); return;
      case 'newChat': this.newChat(); return;
      case 'retry': await this.retry(); return;
      case 'selectProvider': await vscode.commands.executeCommand('askLlm.selectProvider'); return;
      case 'setApiKey': await vscode.commands.executeCommand('askLlm.setApiKey', m.profileId); return;
      case 'copy': await vscode.env.clipboard.writeText(m.text); return;
      case 'insertAtCursor': return this.insert(m.text);
      default: return assertNever(m);
    }
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

  private async send(text: string): Promise<Outcome> {
    if (this.running) {
      // One answer at a time: a new question stops the one in flight (its text so far stays).
      this.running.controller.abort();
      await this.running.done;
    }
    const user: UiMessage = { id: newId(), role: 'user', text, status: 'done' };
    this.messages.push(user);
    void this.history.save(this.messages, [user]);
    this.post({ type: 'messageAdded', message: user });
    return this.answer();
  }

  private async answer(): Promise<Outcome> {
    const provider = this.deps.activeProvider();
    const context: ChatMessage[] = this.messages
      .filter((m) => m.role === 'user' || (m.text && m.status !== 'streaming'))
      .map((m) => ({ role: m.role, content: m.text }));
    const message: UiMessage = { id: newId(), role: 'assistant', text: '', status: 'streaming', model: provider ? `${provider.label} · ${provider.model}` : undefined };
    this.messages.push(message);
    void this.history.save(this.messages, [message]); // in the index at once: a reload mid-answer keeps it
    this.post({ type: 'messageAdded', message });
    const controller = new AbortController();
    const done = this.stream(message, context, controller, provider?.id);
    this.running = { message, controller, done };
    this.deps.setBusy('chat', true);
    try {
      return await done;
    } finally {
      this.running = undefined;
      this.deps.setBusy('chat', false);
    }
  }

  private async stream(message: UiMessage, context: ChatMessage[], controller: AbortController, profileId: string | undefined): Promise<Outcome> {
    return foldAnswer(this.deps.streamEvents(context, { signal: controller.signal }), [this.messageSink(message, profileId, controller.signal)], {
      onSinkError: (err) => this.deps.log.error(`chat sink: ${String(err)}`),
    });
  }

  /**
   * The chat message as a sink: batches become `delta` posts (about one a frame) and a throttled
   * save. An error carries the id of the profile that answered ("Set API key…" asks for its key).
   * A delta carries the live speed figures a few times a second (the view shows them no more
   * often); the end carries the final ones and, after a Stop, how long the stop took (from the
   * abort to the end of the answer).
   */
  private messageSink(message: UiMessage, profileId: string | undefined, signal: AbortSignal): Sink {
    let stoppedAt: number | undefined;
    signal.addEventListener('abort', () => { stoppedAt = performance.now(); }, { once: true });
    let statsAt = -Infinity;
    return {
      write: (b, answer) => {
        message.text += b.text;
        if (b.reasoning) message.reasoning = (message.reasoning ?? '') + b.reasoning;
        const now = performance.now();
        const live = now - statsAt >= 200;
        if (live) {
          statsAt = now;
          message.stats = uiStats(answer.timing(), answer);
        }
        this.post({ type: 'delta', id: message.id, ...(b.text ? { text: b.text } : {}), ...(b.reasoning ? { reasoning: b.reasoning } : {}), ...(live ? { stats: message.stats } : {}) });
        this.history.saveSoon(message);
      },
      finish: async (o) => {
        message.status = o.error ? 'error' : o.finishReason === 'cancelled' ? 'cancelled' : 'done';
        message.finishReason = o.error ? undefined : o.finishReason;
        if (o.error) message.error = { ...o.error, hint: this.deps.hintFor(o.error), ...(profileId ? { profileId } : {}) };
        const stopMs = message.status === 'cancelled' && stoppedAt !== undefined ? performance.now() - stoppedAt : undefined;
        message.stats = uiStats(o.timing, o, stopMs);
        this.post({ type: 'messageDone', id: message.id, status: message.status, finishReason: message.finishReason, error: message.error, stats: message.stats });
        await this.history.save(this.messages, [message]);
      },
    };
  }

  private snapshot(): void {
    this.post({ type: 'snapshot', messages: this.messages, provider: this.deps.activeProvider(), streaming: this.streaming });
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64url');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'chat.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Ask LLM</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.stop();
    this.history.dispose();
    for (const s of this.subs) s.dispose();
  }
}
