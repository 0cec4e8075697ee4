import type * as vscode from 'vscode';
import type { ChatMessage, LlmErrorInfo, LlmEvent, ProviderProfile } from '../core/types';
import type { UiProvider } from '../shared/protocol';

/** What the chat view needs from the rest of the extension (built in extension.ts). */
export interface ChatDeps {
  /**
   * Streams an answer for the whole conversation so far: from the profile named, else the active
   * one; `continuation`: the last message is a cut answer the provider continues natively.
   */
  streamEvents(messages: ChatMessage[], opts: { signal: AbortSignal; provider?: string; continuation?: boolean }): AsyncIterable<LlmEvent>;
  /** The profile with this id, else the one that answers by default (as the API resolves it). */
  profile(id?: string): ProviderProfile | undefined;
  /** The provider that will answer, or undefined when none is configured. */
  activeProvider(): UiProvider | undefined;
  readonly onDidChangeProvider: vscode.Event<void>;
  /** A sentence telling the user what to do about an error (set the key, check the URL…). */
  hintFor(error: LlmErrorInfo): string | undefined;
  log: vscode.LogOutputChannel;
  /** Opens the connection to the active provider ahead of a question (network.ts, `preconnect`). */
  warm(): void;
  /** Streaming state for the status bar and the `askLlm.streaming` context key. */
  setBusy(source: 'chat', busy: boolean): void;
}
