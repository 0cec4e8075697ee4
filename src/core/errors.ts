// One place that turns HTTP and network failures into LlmErrorInfo, whatever the provider.
import type { ErrorKind, LlmErrorInfo } from './types';

/** An LlmErrorInfo as an exception, for the API calls that throw (`invoke`, `stream`). */
export class LlmError extends Error {
  constructor(readonly info: LlmErrorInfo, readonly partialText = '') {
    super(info.message);
    this.name = 'LlmError';
  }
}

/** Headers as a plain lookup, from a fetch Headers, a Node header object or a record. */
export type HeaderLookup = (name: string) => string | null | undefined;

export function headerLookup(h: unknown): HeaderLookup {
  if (!h) return () => undefined;
  if (typeof (h as Headers).get === 'function') return (n) => (h as Headers).get(n);
  const rec = h as Record<string, string | string[] | undefined>;
  return (n) => {
    const key = Object.keys(rec).find((k) => k.toLowerCase() === n.toLowerCase());
    const v = key === undefined ? undefined : rec[key];
    return Array.isArray(v) ? v[0] : v;
  };
}

/** `retry-after-ms`, then `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(get: HeaderLookup, now = Date.now()): number | undefined {
  const ms = get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const ra = get('retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set(['rateLimit', 'overloaded', 'server', 'network', 'timeout']);

export function isRetryableKind(kind: ErrorKind): boolean {
  return RETRYABLE_KINDS.has(kind);
}

export function kindForStatus(status: number): ErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'notFound';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rateLimit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  if (status >= 400) return 'badRequest';
  return 'unknown';
}

/** Error codes/types in bodies that say more than the status does. */
function kindForCode(code: string): ErrorKind | undefined {
  const c = code.toLowerCase();
  if (/insufficient_quota|quota_exceeded|billing|arrearage|exceeded your current quota/.test(c)) return 'quota';
  if (/overloaded/.test(c)) return 'overloaded';
  if (/rate_limit|ratelimit|throttl|resource_exhausted|too_many/.test(c)) return 'rateLimit';
  if (/invalid_api_key|invalidapikey|authentication|unauthenticated|api_key_invalid/.test(c)) return 'auth';
  if (/permission|forbidden/.test(c)) return 'permission';
  if (/model_not_found|deploymentnotfound|not_found/.test(c)) return 'notFound';
  if (/server_error|internal|api_error/.test(c)) return 'server';
  if (/invalid_request|invalidparameter|bad_request|invalid_argument/.test(c)) return 'badRequest';
  return undefined;
}

/** Looks for a human message and a machine code in the error bodies providers send. */
export function describeBody(body: unknown): { message?: string; code?: string } {
  if (typeof body === 'string') {
    const t = body.trim();
    if (!t) return {};
    try {
      return describeBody(JSON.parse(t));
    } catch {
      if (/^<(!doctype|html)/i.test(t)) {
        const title = /<title>([^<]*)<\/title>/i.exec(t)?.[1]?.trim();
        return { message: `the server answered with an HTML page${title ? ` ("${title}")` : ''}, not an API response`, code: 'html' };
      }
      return { message: t.slice(0, 500) };
    }
  }
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const inner = (typeof b.error === 'object' && b.error !== null ? b.error : b) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
  const message = str(inner.message) ?? str(b.message) ?? str(b.error_msg) ?? str(b.error) ?? str(inner.status);
  // `type` is sometimes only a grouping ("tokens", "requests"); prefer `code`, then a typed error.
  const code = [str(inner.code), str(inner.type), str(inner.status), str(b.code), str(b.error_code)]
    .find((c) => c !== undefined && kindForCode(c) !== undefined) ?? str(inner.code) ?? str(inner.type) ?? str(b.code);
  return { message, code };
}

/** An HTTP error response (status ≥ 400, or an error body with a 200) as LlmErrorInfo. */
export function errorFromHttp(status: number, body: unknown, headers?: unknown): LlmErrorInfo {
  const { message, code } = describeBody(body);
  let kind = kindForStatus(status);
  const byCode = code ? kindForCode(code) : undefined;
  // The code refines the status (429 + insufficient_quota is a quota problem, not a rate limit);
  // for a 200 (an error inside a stream) it is all we have.
  if (byCode && (status < 400 || byCode === 'quota' || kind === 'badRequest' || kind === 'unknown')) kind = byCode;
  const info: LlmErrorInfo = {
    kind,
    message: message ?? `HTTP ${status}`,
    status,
    retryable: isRetryableKind(kind),
  };
  const after = retryAfterMs(headerLookup(headers)) ?? retryDelayInBody(body);
  if (after !== undefined) info.retryAfterMs = after;
  return info;
}

/** Google's RetryInfo in an error body: `details: [{ retryDelay: "17s" }]`. */
export function retryDelayInBody(body: unknown): number | undefined {
  let b = body;
  if (typeof b === 'string') {
    try { b = JSON.parse(b); } catch { return undefined; }
  }
  const details = (b as { error?: { details?: unknown } } | undefined)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    const m = /^(\d+(?:\.\d+)?)s$/.exec(String((d as { retryDelay?: unknown })?.retryDelay ?? ''));
    if (m) return Math.round(Number(m[1]) * 1000);
  }
  return undefined;
}

/** Node/undici network failures (ECONNREFUSED, ENOTFOUND, resets, TLS) as LlmErrorInfo. */
export function errorFromNetwork(err: unknown, url?: string): LlmErrorInfo {
  const chain: unknown[] = [];
  for (let e: unknown = err; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const codes = chain.map((e) => (e as { code?: unknown }).code).filter((c): c is string => typeof c === 'string');
  const code = codes.find((c) => /^E[A-Z]+|^UND_ERR|CERT|SSL|TLS/.test(c));
  const where = url ? ` ${safeOrigin(url)}` : '';
  const reason: Record<string, string> = {
    ECONNREFUSED: 'connection refused: is the server running, and is the base URL right?',
    ENOTFOUND: 'host not found: check the base URL',
    EAI_AGAIN: 'DNS lookup failed: check your network or proxy',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_SOCKET: 'the connection closed unexpectedly',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  };
  const detail = code ? reason[code] ?? code : (chain[chain.length - 1] as Error | undefined)?.message ?? String(err);
  const kind: ErrorKind = code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'network';
  return { kind, message: `Cannot reach${where}: ${detail}`, retryable: true };
}

/** Origin of a URL for messages and logs: never the path's query (tokens live there). */
export function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** What the user can do about an error, in a sentence (for notifications and the chat). */
export function hintFor(error: LlmErrorInfo, providerLabel = 'this provider'): string | undefined {
  switch (error.kind) {
    case 'auth':
      return `The API key for ${providerLabel} was rejected or is missing. Run "Ask LLM: Set API Key…".`;
    case 'permission':
      return `The key for ${providerLabel} may not use this model or endpoint. Check the key's permissions or pick another model.`;
    case 'notFound':
      return `Check the model name and the base URL of ${providerLabel} ("Ask LLM: Select Provider…").`;
    case 'badRequest':
      return `The server rejected the request. Check the model name and the "params" of ${providerLabel}; some servers also reject "stream_options" (set "streamUsage": false).`;
    case 'rateLimit':
      return 'Rate limited by the provider. Wait a moment and retry.';
    case 'quota':
      return `The account behind ${providerLabel} is out of quota or credit. Check its billing.`;
    case 'overloaded':
    case 'server':
      return 'The provider had a problem on its side. Retry in a moment.';
    case 'network':
      return `Check the base URL of ${providerLabel}, your network and your proxy settings.`;
    case 'timeout':
      return `The provider did not answer in time. Retry, or raise "timeouts" in the profile of ${providerLabel}.`;
    case 'protocol':
      return 'The answer stopped before it was complete. The text so far is kept; retry to get the rest.';
    case 'unknown':
      return undefined;
  }
}
