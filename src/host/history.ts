import type * as vscode from 'vscode';
import { isUiMessage, type UiMessage } from '../shared/protocol';

const INDEX = 'askLlm.chat.v2';
const messageKey = (id: string) => `askLlm.chat.v2/${id}`;

/**
 * A stored message the view will accept (its snapshot guard checks every field), or undefined.
 * Speed figures that do not check out are dropped rather than the message with them.
 */
function stored(v: unknown): UiMessage | undefined {
  if (isUiMessage(v)) return v;
  if (typeof v !== 'object' || v === null || !('stats' in v)) return undefined;
  const { stats: _, ...rest } = v;
  return isUiMessage(rest) ? rest : undefined;
}

/**
 * The conversation in workspaceState, one key per message plus the list of ids, so that while an
 * answer streams only that answer is written (at most once a second): a window reload mid-answer
 * keeps the text so far, and a long conversation is not re-serialized every second.
 */
export class ChatHistory {
  private ids: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private streaming: UiMessage | undefined;

  /** `saveDelayMs`: at most one write of the streaming answer per this interval. */
  constructor(private readonly state: vscode.Memento, private readonly saveDelayMs = 1000) {}

  /** The stored conversation; an answer that was streaming when the window went away is marked cancelled. */
  load(): UiMessage[] {
    const ids = this.state.get<unknown>(INDEX);
    this.ids = Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    return this.ids
      .map((id) => stored(this.state.get<unknown>(messageKey(id))))
      .filter((m): m is UiMessage => m !== undefined)
      .map((m) => (m.status === 'streaming' ? { ...m, status: 'cancelled' } : m));
  }

  /** Saves the list of messages and the `changed` ones; drops the keys of removed messages. */
  async save(messages: UiMessage[], changed: UiMessage[] = messages): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.streaming = undefined;
    const ids = messages.map((m) => m.id);
    const removed = this.ids.filter((id) => !ids.includes(id));
    this.ids = ids;
    await Promise.all([
      this.state.update(INDEX, ids),
      ...changed.map((m) => this.state.update(messageKey(m.id), { ...m })),
      ...removed.map((id) => this.state.update(messageKey(id), undefined)),
    ]);
  }

  /** Throttled save of the answer that is streaming. */
  saveSoon(message: UiMessage): void {
    this.streaming = message;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const m = this.streaming;
      if (m) void this.state.update(messageKey(m.id), { ...m });
    }, this.saveDelayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.streaming) void this.state.update(messageKey(this.streaming.id), { ...this.streaming });
  }
}
