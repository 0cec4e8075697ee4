import * as vscode from 'vscode';
import { resolveProfile, type AskLlmApi } from '../api';
import { hintFor, noProfileError } from '../core/errors';
import { labelOf } from '../core/profiles';
import { foldAnswer, type Outcome, type Sink } from '../core/answer';
import type { ChatMessage, LlmErrorInfo, ProviderProfile } from '../core/types';
import type { Config } from './config';
import { DocumentWriter, isReadOnly } from './documentSink';
import type { StatusBar } from './statusBar';

export type AskTarget = 'cursor' | 'chat' | 'newDocument';

export interface AskArgs {
  prompt: string;
  provider?: string;
  target?: AskTarget;
}

/** What `askLlm.ask` resolves with (the contract): the outcome's text, how it ended, and why it failed. */
export type AskResult = Pick<Outcome, 'text' | 'finishReason' | 'error'>;

export function askResult(o: Outcome): AskResult {
  return o.error ? { text: o.text, finishReason: 'error', error: o.error } : { text: o.text, finishReason: o.finishReason };
}

/** The progress notification as a sink: how much has arrived, at most four times a second. */
function progressSink(progress: vscode.Progress<{ message?: string }>): Sink {
  let last = 0;
  return {
    write: (_batch, answer) => {
      if (Date.now() - last < 250) return;
      last = Date.now();
      progress.report({ message: `${answer.text.length} characters` });
    },
    finish: () => progress.report({ message: 'finishing…' }),
  };
}

export interface AskDeps {
  api: AskLlmApi;
  config: Config;
  log: vscode.LogOutputChannel;
  status: StatusBar;
  askInChat(prompt: string): Promise<AskResult>;
}

function parseArgs(raw: unknown): AskArgs | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const a = raw as Record<string, unknown>;
  if (typeof a.prompt !== 'string') return undefined;
  const target = a.target === 'cursor' || a.target === 'chat' || a.target === 'newDocument' ? a.target : undefined;
  return { prompt: a.prompt, provider: typeof a.provider === 'string' ? a.provider : undefined, target };
}

/** The prompt with the editor's selection (if any) as context. */
function withSelection(prompt: string, editor: vscode.TextEditor | undefined): string {
  const sel = editor?.selection;
  if (!editor || !sel || sel.isEmpty) return prompt;
  const code = editor.document.getText(sel);
  return `${prompt}\n\n\`\`\`${editor.document.languageId}\n${code}\n\`\`\``;
}

async function openNewDocument(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
  return vscode.window.showTextDocument(doc);
}

/** `askLlm.ask` and `askLlm.stop` for the editor surfaces. */
export class AskCommand {
  private readonly runs = new Set<AbortController>();

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
      const error = noProfileError(args?.provider);
      void vscode.window.showWarningMessage(`Ask LLM: ${error.message}`, 'Select Provider…').then((c) => {
        if (c) void vscode.commands.executeCommand('askLlm.selectProvider');
      });
      return { text: '', finishReason: 'error', error };
    }

    let prompt = args?.prompt;
    if (interactive) {
      prompt = await vscode.window.showInputBox({
        title: 'Ask LLM',
        prompt: `${labelOf(profile)} · ${profile.model}${vscode.window.activeTextEditor ? ' — the answer streams in at the cursor' : ' — the answer opens in a new document'}`,
        placeHolder: vscode.window.activeTextEditor?.selection.isEmpty === false ? 'What should I do with the selection?' : 'Ask anything…',
        ignoreFocusOut: true,
      });
      if (!prompt?.trim()) return undefined;
    }
    const target: AskTarget = args?.target ?? (vscode.window.activeTextEditor ? 'cursor' : 'newDocument');
    if (target === 'chat') return this.deps.askInChat(prompt!);

    let editor = target === 'cursor' ? vscode.window.activeTextEditor : undefined;
    if (editor && isReadOnly(editor.document)) {
      if (interactive) {
        const choice = await vscode.window.showWarningMessage(
          `"${editor.document.fileName}" is read-only. Stream the answer into a new document instead?`, 'Open New Document');
        if (!choice) return undefined;
      }
      this.deps.log.info('the active document is read-only: answering in a new document');
      editor = undefined;
    }
    const messages: ChatMessage[] = [{ role: 'user', content: interactive ? withSelection(prompt!, editor) : prompt! }];
    if (!editor) editor = await openNewDocument();
    const position = editor.selection.isEmpty ? editor.selection.active : editor.selection.end;
    return this.stream(profile, messages, editor, position, interactive ? { prompt: messages[0].content, target: 'newDocument' } : undefined);
  }

  /** `retryArgs`: how a Retry button re-runs an interactive ask (non-interactive callers retry themselves). */
  private async stream(profile: ProviderProfile, messages: ChatMessage[], editor: vscode.TextEditor, position: vscode.Position, retryArgs: AskArgs | undefined): Promise<AskResult> {
    const ctl = new AbortController();
    this.runs.add(ctl);
    this.deps.status.setBusy('editor', true);
    let closedQuietly = false;
    const events = {
      onClosed: () => {
        closedQuietly = true;
        this.deps.log.info('the document was closed: stopping its answer');
        ctl.abort();
      },
      onRejected: () => void moveToNewDocument(),
    };
    let writer = new DocumentWriter(editor, editor.document, events);
    const offset = editor.document.offsetAt(position);
    let range = writer.range({ start: offset, end: offset });
    // The sink the fold sees stays the same when the answer moves to a new document.
    const documentSink: Sink = {
      write: (batch) => range.write(batch),
      finish: () => writer.settle(),
    };
    const moveToNewDocument = async () => {
      const rest = writer.takePending();
      writer.dispose();
      void vscode.window.showWarningMessage('Ask LLM: the document is read-only; the answer continues in a new document.');
      const next = await openNewDocument();
      writer = new DocumentWriter(next, next.document, events);
      range = writer.range({ start: 0, end: 0 });
      writer.push(range, rest);
    };
    let outcome: Outcome | undefined;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Ask LLM: ${labelOf(profile)} · ${profile.model}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => ctl.abort());
          progress.report({ message: 'waiting for the first token…' });
          outcome = await foldAnswer(
            this.deps.api.streamEvents(messages, { provider: profile.id, signal: ctl.signal }),
            [documentSink, progressSink(progress)],
            { onSinkError: (err) => this.deps.log.error(`editor sink: ${String(err)}`) },
          );
          this.deps.log.info(`editor: ${outcome.text.length} chars in ${writer.edits} edit(s), one undo step`);
        },
      );
    } finally {
      writer.dispose();
      this.runs.delete(ctl);
      this.deps.status.setBusy('editor', false);
    }
    const o = outcome!;
    if (closedQuietly) return { text: o.text, finishReason: 'cancelled' };
    if (o.error) {
      this.notify(o.error, profile, retryArgs);
      return askResult(o);
    }
    if (o.finishReason === 'length') void vscode.window.showWarningMessage('Ask LLM: the answer was cut off at the token limit (max_tokens).');
    if (o.finishReason === 'contentFilter') void vscode.window.showWarningMessage('Ask LLM: the provider stopped the answer with its content filter.');
    return askResult(o);
  }

  /** Tells the user what went wrong and what to do, without blocking the command's result. */
  private notify(error: LlmErrorInfo, profile: ProviderProfile, retryArgs: AskArgs | undefined): void {
    const hint = hintFor(error, labelOf(profile));
    const actions: string[] = [];
    if (error.kind === 'auth') actions.push('Set API Key…');
    if (['notFound', 'network', 'badRequest', 'permission'].includes(error.kind)) actions.push('Select Provider…');
    if (error.retryable && retryArgs) actions.push('Retry');
    actions.push('Show Log');
    void vscode.window.showErrorMessage(`Ask LLM: ${error.message}${hint ? ` — ${hint}` : ''}`, ...actions).then((choice) => {
      switch (choice) {
        case 'Set API Key…': return vscode.commands.executeCommand('askLlm.setApiKey', profile.id);
        case 'Select Provider…': return vscode.commands.executeCommand('askLlm.selectProvider');
        case 'Retry': return vscode.commands.executeCommand('askLlm.ask', { ...retryArgs, provider: profile.id });
        case 'Show Log': return this.deps.log.show();
        default: return undefined;
      }
    });
  }
}
