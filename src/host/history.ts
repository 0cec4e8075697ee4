import type { KeyValueStore } from './fileStore';
import { isUiMessage, type UiChat, type UiMessage } from '../shared/protocol';

/** The one conversation kept before there were several: its message ids (read once, to migrate). */
const LEGACY_INDEX = 'askLlm.chat.v2';
/** The conversations (`StoredChats`). */
const CHATS = 'askLlm.chats.v3';
/** A conversation's message ids. */
const chatKey = (chatId: string) => `askLlm.chats.v3/${chatId}`;
/** One message (message ids are unique across conversations). */
const messageKey = (id: string) => `askLlm.chat.v2/${id}`;

interface StoredChat {
  id: string;
  /** Empty until the first question (then from it, also after it is edited), or as renamed. */
  title: string;
  /** The user named it: the first question no longer does. */
  renamed?: boolean;
  updatedAt: number;
  count: number;
}

interface StoredChats {
  activeId: string;
  chats: StoredChat[];
}

const TITLE_MAX = 60;

/** A conversation's title from its first question: the first line with text, at most 60 characters. */
export function titleFrom(question: string): string {
  const line = question.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).find(Boolean) ?? '';
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1).trimEnd()}\u2026` : line;
}

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

function storedChat(v: unknown): StoredChat | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const c = v as Record<string, unknown>;
  if (typeof c.id !== 'string' || typeof c.title !== 'string') return undefined;
  return {
    id: c.id, title: c.title, ...(c.renamed === true ? { renamed: true } : {}),
    updatedAt: typeof c.updatedAt === 'number' ? c.updatedAt : 0, count: typeof c.count === 'number' ? c.count : 0,
  };
}

const stringIds = (v: unknown): string[] => (Array.isArray(v) ? v.filter((id): id is string => typeof id === 'string') : []);

/** The finish reason of an answer the window's reload (or a crash) cut: the view says so. */
export const INTERRUPTED = 'interrupted';

/** An answer cut by the window going away: its live figures (how far it had come) stay. */
function interrupted(m: UiMessage): UiMessage {
  return { ...m, status: 'cancelled', finishReason: INTERRUPTED };
}

let counter = 0;
const newChatId = () => `c${Date.now().toString(36)}-${(++counter).toString(36)}`;

/**
 * The conversations in a key-value store (files, fileStore.ts): a small index (id, title, last
 * change, size of each), one key per conversation with its message ids, and one key per message,
 * so that while an answer streams only that answer is written (at most once a second): a window
 * reload mid-answer keeps the text so far, and a long conversation is not re-serialized every
 * second. One conversation is on show (`activeId`); `load`, `save` and `saveSoon` are about that one.
 */
export class ChatHistory {
  private index: StoredChats;
  /** The message ids of the conversation on show, as last saved. */
  private ids: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private streaming: UiMessage | undefined;

  /** `saveDelayMs`: at most one write of the streaming answer per this interval. */
  constructor(private readonly state: KeyValueStore, private readonly saveDelayMs = 1000, private readonly now: () => number = Date.now) {
    this.index = this.readIndex();
  }

  /** The index as stored; the conversation from before there were several becomes the first one. */
  private readIndex(): StoredChats {
    const raw = this.state.get<{ activeId?: unknown; chats?: unknown }>(CHATS);
    if (raw && typeof raw === 'object') {
      const chats = (Array.isArray(raw.chats) ? raw.chats : []).map(storedChat).filter((c): c is StoredChat => c !== undefined);
      const activeId = typeof raw.activeId === 'string' && chats.some((c) => c.id === raw.activeId) ? raw.activeId : undefined;
      if (activeId) return { activeId, chats };
      const fresh = this.blank();
      return { activeId: fresh.id, chats: [fresh, ...chats] };
    }
    const legacy = stringIds(this.state.get<unknown>(LEGACY_INDEX));
    const first = this.blank();
    if (legacy.length) {
      const question = legacy.map((id) => stored(this.state.get<unknown>(messageKey(id)))).find((m) => m?.role === 'user');
      first.title = question ? titleFrom(question.text) : '';
      first.count = legacy.length;
      void this.state.update(chatKey(first.id), legacy);
      void this.state.update(LEGACY_INDEX, undefined);
    }
    const index = { activeId: first.id, chats: [first] };
    void this.state.update(CHATS, index);
    return index;
  }

  private blank(): StoredChat {
    return { id: newChatId(), title: '', updatedAt: this.now(), count: 0 };
  }

  private get active(): StoredChat {
    return this.index.chats.find((c) => c.id === this.index.activeId)!;
  }

  /** The conversation on show. */
  get activeId(): string {
    return this.index.activeId;
  }

  /** The history list, newest first: every conversation with a message, and the one on show. */
  list(): UiChat[] {
    return this.index.chats
      .filter((c) => c.count > 0 || c.id === this.index.activeId)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, count: c.count }));
  }

  has(chatId: string): boolean {
    return this.index.chats.some((c) => c.id === chatId);
  }

  title(chatId: string): string | undefined {
    return this.index.chats.find((c) => c.id === chatId)?.title;
  }

  /**
   * A conversation's messages. An answer still `streaming` in storage was cut when the window
   * reloaded, closed or crashed (this object is made once per session, and only answers of this
   * session stream): it is `cancelled` with the finish reason `interrupted`, its text as last
   * saved, and Continue carries it on.
   */
  messagesOf(chatId: string): UiMessage[] {
    return stringIds(this.state.get<unknown>(chatKey(chatId)))
      .map((id) => stored(this.state.get<unknown>(messageKey(id))))
      .filter((m): m is UiMessage => m !== undefined)
      .map((m) => (m.status === 'streaming' ? interrupted(m) : m));
  }

  /** The conversation on show; an interrupted answer in it is stored as such. */
  load(): UiMessage[] {
    this.ids = stringIds(this.state.get<unknown>(chatKey(this.activeId)));
    const messages = this.messagesOf(this.activeId);
    for (const m of messages) {
      if (m.finishReason === INTERRUPTED && this.state.get<{ status?: unknown }>(messageKey(m.id))?.status === 'streaming') void this.state.update(messageKey(m.id), { ...m });
    }
    return messages;
  }

  /** Saves the list of messages and the `changed` ones of the conversation on show; drops the keys of removed messages. */
  async save(messages: UiMessage[], changed: UiMessage[] = messages): Promise<void> {
    this.cancelSoon();
    const ids = messages.map((m) => m.id);
    const removed = this.ids.filter((id) => !ids.includes(id));
    this.ids = ids;
    const chat = this.active;
    chat.count = ids.length;
    chat.updatedAt = this.now();
    const question = chat.renamed ? undefined : messages.find((m) => m.role === 'user');
    if (question) chat.title = titleFrom(question.text);
    await Promise.all([
      this.state.update(chatKey(chat.id), ids),
      this.writeIndex(),
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

  private cancelSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.streaming = undefined;
  }

  /**
   * A new, empty conversation goes on show; the one on show stays when it is empty already.
   * Call it (and `switchTo`, `delete`) only while no answer streams.
   */
  async create(): Promise<void> {
    if (this.active.count === 0) return;
    const chat = this.blank();
    this.index.chats.push(chat);
    this.index.activeId = chat.id;
    this.ids = [];
    await this.writeIndex();
  }

  /** Shows another conversation (an empty one left behind is forgotten); false if there is none with that id. */
  async switchTo(chatId: string): Promise<boolean> {
    if (!this.has(chatId)) return false;
    if (chatId === this.activeId) return true;
    this.cancelSoon();
    const left = this.active;
    if (left.count === 0) this.index.chats = this.index.chats.filter((c) => c !== left);
    this.index.activeId = chatId;
    this.ids = stringIds(this.state.get<unknown>(chatKey(chatId)));
    await this.writeIndex();
    return true;
  }

  /** Renames a conversation (an empty title is refused); false if there is none with that id. */
  async rename(chatId: string, title: string): Promise<boolean> {
    const chat = this.index.chats.find((c) => c.id === chatId);
    const t = title.replace(/\s+/g, ' ').trim();
    if (!chat || !t) return false;
    chat.title = t;
    chat.renamed = true;
    await this.writeIndex();
    return true;
  }

  /** Deletes a conversation and its messages; deleting the one on show shows the newest other one (or a new one). */
  async delete(chatId: string): Promise<boolean> {
    if (!this.has(chatId)) return false;
    const ids = stringIds(this.state.get<unknown>(chatKey(chatId)));
    this.index.chats = this.index.chats.filter((c) => c.id !== chatId);
    if (chatId === this.activeId) {
      this.cancelSoon();
      const next = [...this.index.chats].sort((a, b) => b.updatedAt - a.updatedAt)[0] ?? this.blank();
      if (!this.index.chats.includes(next)) this.index.chats.push(next);
      this.index.activeId = next.id;
      this.ids = stringIds(this.state.get<unknown>(chatKey(next.id)));
    }
    await Promise.all([
      this.writeIndex(),
      this.state.update(chatKey(chatId), undefined),
      ...ids.map((id) => this.state.update(messageKey(id), undefined)),
    ]);
    return true;
  }

  private writeIndex(): Thenable<void> {
    return this.state.update(CHATS, { activeId: this.index.activeId, chats: this.index.chats.map((c) => ({ ...c })) });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.streaming) void this.state.update(messageKey(this.streaming.id), { ...this.streaming });
  }
}
