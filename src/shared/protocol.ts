// Host <-> chat webview messages. Imports nothing: both bundles include it.

/** An error as the chat shows it (same shape as LlmErrorInfo, repeated here to keep this file standalone). */
export interface UiError {
  kind: string;
  message: string;
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
  /** What the user can do about it, in a sentence. */
  hint?: string;
  /** The profile that failed (its id): "Set API key…" asks for that one's key. */
  profileId?: string;
}

export type UiStatus = 'streaming' | 'done' | 'cancelled' | 'error';

/** Text attached to a question (the selection or a whole file): sent along as context, shown folded in the question. */
export interface UiAttachment {
  kind: 'selection' | 'file';
  /** What the chip says: `notes.md`, `notes.md:3-10`. */
  label: string;
  /** The document's language id (the fence's info string in the request). */
  language?: string;
  text: string;
}

/** A conversation in the history list. */
export interface UiChat {
  id: string;
  /** From the first question, or as renamed; empty for a chat with no question yet. */
  title: string;
  /** When it last changed, in ms since the epoch. */
  updatedAt: number;
  /** How many messages it holds. */
  count: number;
}

export interface UiMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  reasoning?: string;
  status: UiStatus;
  finishReason?: string;
  error?: UiError;
  /** Provider label and model that answered (assistant messages). */
  model?: string;
  /** The speed line: live while the answer streams, final once it is done (kept in the history). */
  stats?: UiStats;
  /** What the user attached to the question (user messages). */
  attachments?: UiAttachment[];
}

/** Token counts as the provider reported them. */
export interface UiUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

/** How fast an answer came (the fold's timing, see core/answer.ts `Timing`). */
export interface UiStats {
  /** The profile id and the model that answered. */
  provider?: string;
  model?: string;
  /** From the request to the first token, in ms. */
  firstTokenMs?: number;
  /** From the request to the end (while streaming: to the latest delta), in ms. */
  durationMs: number;
  outputTokens: number;
  /** `outputTokens` counts deltas, not the provider's tokens. */
  tokensEstimated: boolean;
  tokensPerSecond?: number;
  usage?: UiUsage;
  /** A stopped answer: from the Stop to the end of the answer, in ms. */
  stopMs?: number;
  /** How long the model reasoned (so far, while it still does), in ms; only for an answer with reasoning. */
  reasoningMs?: number;
  /** From the request to the latest text or reasoning, in ms: the silence since then is a wait the view shows. */
  lastTokenMs?: number;
}

export interface UiProvider {
  id: string;
  label: string;
  model: string;
  kind: string;
  /** The start script's local replay server: the chat says so plainly. */
  isDemo: boolean;
}

/** Host → webview. */
export type HostMessage =
  | { type: 'snapshot'; messages: UiMessage[]; provider?: UiProvider; streaming: boolean }
  | { type: 'messageAdded'; message: UiMessage }
  | { type: 'delta'; id: string; text?: string; reasoning?: string; stats?: UiStats }
  | { type: 'messageDone'; id: string; status: UiStatus; finishReason?: string; error?: UiError; stats?: UiStats }
  | { type: 'provider'; provider?: UiProvider }
  | { type: 'focusInput' }
  /** A message shown again from the start (a continuation reopens its answer). */
  | { type: 'messageReplaced'; message: UiMessage }
  /** Messages taken out of the conversation (regenerate, edit and resend). */
  | { type: 'messagesRemoved'; ids: string[] }
  /** The history list, newest first, and the conversation on show. */
  | { type: 'chats'; chats: UiChat[]; activeId: string }
  /** A chip for the composer (the answer to `attach`). */
  | { type: 'attached'; attachment: UiAttachment };

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  /** The user is typing a question (posted at most every few seconds): the host opens the connection it will need. */
  | { type: 'typing' }
  | { type: 'send'; text: string; attachments?: UiAttachment[]; atCursor?: boolean }
  /** The last question, edited: it and everything after it are replaced by this one and its answer. */
  | { type: 'editLast'; text: string; attachments?: UiAttachment[]; atCursor?: boolean }
  /** Continue the last answer, which ended early. */
  | { type: 'continue' }
  | { type: 'attach'; what: 'selection' | 'file' }
  | { type: 'switchChat'; id: string }
  /** Without a title the host asks for one. */
  | { type: 'renameChat'; id: string; title?: string }
  | { type: 'deleteChat'; id: string }
  /** Opens the conversation (the one on show without `id`) as a Markdown document. */
  | { type: 'exportChat'; id?: string }
  | { type: 'stop' }
  | { type: 'newChat' }
  | { type: 'selectProvider' }
  | { type: 'setApiKey'; profileId?: string }
  | { type: 'retry' }
  | { type: 'insertAtCursor'; text: string }
  | { type: 'copy'; text: string }
  /** An answer (no `language`: Markdown) or a code block (`language`: its fence's info string, '' for none) in a new untitled document. */
  | { type: 'openInNewFile'; text: string; language?: string }
  /** A click on a link in an answer: the host opens it if it is http or https. */
  | { type: 'openLink'; href: string };

/**
 * An answer that ended early with text to go on from: cut at the token limit, stopped, or failed
 * after some text. Continue carries it on in the same message.
 */
export function canContinue(m: UiMessage): boolean {
  return m.role === 'assistant' && m.text.length > 0 && (m.finishReason === 'length' || m.status === 'cancelled' || m.status === 'error');
}

/** Makes a switch over a union exhaustive: adding a member without handling it is a compile error. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

type Check = (v: unknown) => boolean;
/** One check per field of a message (optional fields included), so the guards cannot drift from the types. */
type Checks<M> = { [F in Exclude<keyof M, 'type'>]-?: Check };
type Table<U extends { type: string }> = { [K in U['type']]: Checks<Extract<U, { type: K }>> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str: Check = (v) => typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const optional = (c: Check): Check => (v) => v === undefined || c(v);
const shaped = <M>(checks: Checks<M>): Check => (v) => isObject(v) && Object.entries(checks).every(([k, c]) => (c as Check)(v[k]));

const STATUSES: readonly UiStatus[] = ['streaming', 'done', 'cancelled', 'error'];
const status: Check = (v) => STATUSES.includes(v as UiStatus);
const uiError = shaped<UiError>({ kind: str, message: str, status: optional(num), retryable: bool, retryAfterMs: optional(num), hint: optional(str), profileId: optional(str) });
const nonNegative: Check = (v) => num(v) && (v as number) >= 0;
const uiUsage = shaped<UiUsage>({ inputTokens: optional(nonNegative), outputTokens: optional(nonNegative), totalTokens: optional(nonNegative) });
const uiStats = shaped<UiStats>({
  provider: optional(str), model: optional(str), firstTokenMs: optional(nonNegative), durationMs: nonNegative, outputTokens: nonNegative,
  tokensEstimated: bool, tokensPerSecond: optional(nonNegative), usage: optional(uiUsage), stopMs: optional(nonNegative),
  reasoningMs: optional(nonNegative), lastTokenMs: optional(nonNegative),
});
const uiAttachment = shaped<UiAttachment>({ kind: (v) => v === 'selection' || v === 'file', label: str, language: optional(str), text: str });
const attachments: Check = (v) => Array.isArray(v) && v.every(uiAttachment);
const uiMessage = shaped<UiMessage>({
  id: str, role: (v) => v === 'user' || v === 'assistant', text: str, reasoning: optional(str), status,
  finishReason: optional(str), error: optional(uiError), model: optional(str), stats: optional(uiStats), attachments: optional(attachments),
});
const uiChat = shaped<UiChat>({ id: str, title: str, updatedAt: nonNegative, count: nonNegative });
const uiProvider = shaped<UiProvider>({ id: str, label: str, model: str, kind: str, isDemo: bool });

const WEBVIEW: Table<WebviewMessage> = {
  ready: {}, typing: {}, stop: {}, newChat: {}, selectProvider: {}, retry: {},
  setApiKey: { profileId: optional(str) },
  send: { text: str, attachments: optional(attachments), atCursor: optional(bool) },
  editLast: { text: str, attachments: optional(attachments), atCursor: optional(bool) },
  continue: {},
  attach: { what: (v) => v === 'selection' || v === 'file' },
  switchChat: { id: str },
  renameChat: { id: str, title: optional(str) },
  deleteChat: { id: str },
  exportChat: { id: optional(str) },
  insertAtCursor: { text: str },
  copy: { text: str },
  openInNewFile: { text: str, language: optional(str) },
  openLink: { href: str },
};

const HOST: Table<HostMessage> = {
  snapshot: { messages: (v) => Array.isArray(v) && v.every(uiMessage), provider: optional(uiProvider), streaming: bool },
  messageAdded: { message: uiMessage },
  delta: { id: str, text: optional(str), reasoning: optional(str), stats: optional(uiStats) },
  messageDone: { id: str, status, finishReason: optional(str), error: optional(uiError), stats: optional(uiStats) },
  provider: { provider: optional(uiProvider) },
  focusInput: {},
  messageReplaced: { message: uiMessage },
  messagesRemoved: { ids: (v) => Array.isArray(v) && v.every(str) },
  chats: { chats: (v) => Array.isArray(v) && v.every(uiChat), activeId: str },
  attached: { attachment: uiAttachment },
};

function guard<U extends { type: string }>(table: Table<U>, v: unknown): v is U {
  if (!isObject(v) || typeof v.type !== 'string' || !Object.hasOwn(table, v.type)) return false;
  const checks = table[v.type as U['type']] as Record<string, Check>;
  return Object.entries(checks).every(([field, check]) => check(v[field]));
}

/** Runtime guard for what the webview posts: the host never trusts its shape. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  return guard(WEBVIEW, v);
}

/** A stored or posted chat message, checked field by field (the history keeps only these). */
export function isUiMessage(v: unknown): v is UiMessage {
  return uiMessage(v);
}

/** Runtime guard for what the host posts. */
export function isHostMessage(v: unknown): v is HostMessage {
  return guard(HOST, v);
}
