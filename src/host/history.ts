import type * as vscode from 'vscode';
import type { UiMessage } from '../shared/protocol';

const KEY = 'askLlm.chat.v1';

function isUiMessage(v: unknown): v is UiMessage {
  const m = v as UiMessage;
  return !!m && typeof m.id === 'string' && (m.role === 'user' || m.role === 'assistant') && typeof m.text === 'string' && typeof m.status === 'string';
}

/**
 * The conversation in workspaceState: saved at every message end and, while an answer streams,
 * at most once a second, so a window reload mid-answer keeps the text so far.
 */
export class ChatHistory {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: UiMessage[] | undefined;

  constructor(private readonly state: vscode.Memento) {}

  /** The stored conversation; an answer that was streaming when the window went away is marked cancelled. */
  load(): UiMessage[] {
    const raw = this.state.get<unknown>(KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter(isUiMessage).map((m) => (m.status === 'streaming' ? { ...m, status: 'cancelled' } : m));
  }

  save(messages: UiMessage[]): Thenable<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
    return this.state.update(KEY, messages.map((m) => ({ ...m })));
  }

  /** Throttled save while streaming. */
  saveSoon(messages: UiMessage[]): void {
    this.latest = messages;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.latest) void this.save(this.latest);
    }, 1000);
  }

  dispose(): void {
    if (this.latest) void this.save(this.latest);
    if (this.timer) clearTimeout(this.timer);
  }
}
