import type { ExchangeRecorder } from './flightRecorder';
/** One message of a conversation, in the order the model should read them. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type FinishReason = 'stop' | 'length' | 'contentFilter' | 'toolCalls' | 'cancelled';

export type ErrorKind =
  | 'auth' | 'permission' | 'notFound' | 'badRequest' | 'rateLimit' | 'quota'
  | 'overloaded' | 'server' | 'network' | 'timeout' | 'protocol' | 'unknown';

/** The data every surface gets for a failure; also what `askLlm.ask` resolves with in `error`. */
export interface LlmErrorInfo {
  kind: ErrorKind;
  message: string;
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

/** The one normalized stream every provider becomes and every surface consumes. */
export type LlmEvent =
  | { type: 'start'; provider: string; model: string }
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'toolCall'; id?: string; name: string; arguments: string }
  | ({ type: 'usage' } & Usage)
  | { type: 'end'; finishReason: FinishReason; nativeFinishReason?: string }
  | { type: 'error'; error: LlmErrorInfo };

/**
 * Every provider kind, the one list: the type below, profile validation, the adapter table, the
 * picker's presets and package.json's enum all come from it or are checked against it by a test.
 */
export const PROVIDER_KINDS = [
  'openai', 'openai-completions', 'openai-responses', 'azure-openai', 'anthropic', 'ollama',
  'dashscope', 'ernie', 'gemini', 'sse', 'vscode-lm',
] as const;

export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A provider profile as the user writes it in `askLlm.providers` (after validation). */
export interface ProviderProfile {
  id: string;
  label?: string;
  kind: ProviderKind;
  model: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  secretKeyEnv?: string;
  apiVersion?: string;
  headers?: Record<string, string>;
  stream?: boolean;
  streamUsage?: boolean;
  params?: Record<string, unknown>;
  maxRetries?: number;
  timeouts?: { connectMs?: number; idleMs?: number };
  url?: string;
  body?: unknown;
  textPath?: string;
  cumulative?: boolean;
  doneWhen?: string;
  /** How "Continue" asks this provider to carry on: it continues a trailing assistant message, or is told to. */
  continuation?: 'native' | 'instruction';
  /** The system prompt this profile's requests carry (a call that names its own replaces it); absent, `askLlm.systemPrompt` applies. */
  systemPrompt?: string;
  /**
   * The proxy this profile's requests go through: an `http://` or `https://` URL, credentials
   * allowed (`http://user:pass@host:port`, sent as Proxy-Authorization). `""` sends them directly
   * even when VS Code's `http.proxy` is set; absent, `http.proxy` applies.
   */
  proxy?: string;
  /**
   * Hosts reached directly, not through `proxy`: a name (which covers its subdomains), `.name` or
   * `*.name`, an IP address, an IPv4 range (`10.0.0.0/8`), `name:port` for one port, `*` for all.
   * Absent, VS Code's `http.noProxy` applies.
   */
  noProxy?: string[];
  /** A PEM file of certificate authorities to trust besides the system's (a company's TLS-inspecting proxy, a private server). */
  caFile?: string;
  /** false accepts any TLS certificate, also through the proxy (a test server's self-signed one). Default true. */
  rejectUnauthorized?: boolean;
}

/** The network settings a host passes in as the default of every profile (VS Code's `http.proxy`, `http.noProxy`). */
export interface NetworkDefaults {
  proxy?: string;
  noProxy?: string[];
}

/** What an adapter is asked to do: one attempt, no retries (the runner retries). */
export interface AdapterRequest {
  profile: ProviderProfile;
  model: string;
  messages: ChatMessage[];
  params?: Record<string, unknown>;
  apiKey?: string;
  secretKey?: string;
  signal: AbortSignal;
  /** fetch to use (VS Code's proxy-aware fetch in the extension host, global fetch in tests). */
  fetch?: typeof fetch;
  /** The last message is a partial assistant answer that the provider continues natively. */
  continuation?: boolean;
  /** The flight recorder of this answer (core/flightRecorder.ts): the HTTP edge hands it each response's bytes. */
  recorder?: ExchangeRecorder;
}

/**
 * A wire protocol. `stream` yields `start` once the response has begun, then content events, and
 * ends with exactly one `end` or `error`; it never throws for provider or network failures.
 */
export interface ProviderAdapter {
  stream(req: AdapterRequest): AsyncIterable<LlmEvent>;
}

/** Options of the public API calls (`invoke`, `stream`, `streamEvents`, `batch`). */
export interface CallOptions {
  provider?: string;
  model?: string;
  signal?: AbortSignal;
  system?: string;
  params?: Record<string, unknown>;
  /** The last message is a cut assistant answer to continue natively (what askLlm.continue sends). */
  continuation?: boolean;
}

export type Prompt = string | ChatMessage[];
