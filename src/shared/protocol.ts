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
}

export type UiStatus = 'streaming' | 'done' | 'cancelled' | 'error';

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
  | { type: 'delta'; id: string; text?: string; reasoning?: string }
  | { type: 'messageDone'; id: string; status: UiStatus; finishReason?: string; error?: UiError }
  | { type: 'provider'; provider?: UiProvider }
  | { type: 'focusInput' };

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'newChat' }
  | { type: 'selectProvider' }
  | { type: 'setApiKey' }
  | { type: 'retry' }
  | { type: 'insertAtCursor'; text: string }
  | { type: 'copy'; text: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Runtime guard for what the webview posts: the host never trusts its shape. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObject(v) || typeof v.type !== 'string') return false;
  switch (v.type) {
    case 'ready': case 'stop': case 'newChat': case 'selectProvider': case 'setApiKey': case 'retry':
      return true;
    case 'send': case 'insertAtCursor': case 'copy':
      return typeof v.text === 'string';
    default:
      return false;
  }
}

/** Runtime guard for what the host posts. */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isObject(v) || typeof v.type !== 'string') return false;
  switch (v.type) {
    case 'snapshot': return Array.isArray(v.messages) && typeof v.streaming === 'boolean';
    case 'messageAdded': return isObject(v.message) && typeof v.message.id === 'string';
    case 'delta': return typeof v.id === 'string';
    case 'messageDone': return typeof v.id === 'string' && typeof v.status === 'string';
    case 'provider': case 'focusInput': return true;
    default: return false;
  }
}
