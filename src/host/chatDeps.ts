import type * as vscode from 'vscode';
import type { ChatMessage, LlmErrorInfo, LlmEvent } from '../core/types';
import type { UiProvider } from '../shared/protocol';

/** What the chat view needs from the rest of the extension (built in extension.ts). */
export interface ChatDeps {
  /** Streams an answer from the active provider for the whole conversation so far. */
  streamEvents(messages: ChatMessage[], opts: { signal: AbortSignal }): AsyncIterable<LlmEvent>;
  /** The provider that will answer, or undefined when none is configured. */
  activeProvider(): UiProvider | undefined;
  readonly onDidChangeProvider: vscode.Event<void>;
  /** A sentence telling the user what to do about an error (set the key, check the URL…). */
  hintFor(error: LlmErrorInfo): string | undefined;
  log: vscode.LogOutputChannel;
  /** Streaming state for the status bar and the `askLlm.streaming` context key. */
  setBusy(source: 'chat', busy: boolean): void;
}
