// One place that turns HTTP and network failures into LlmErrorInfo, whatever the provider.
import { l10n } from './l10n';
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
  if (/model_not_found|deploymentnotfound|not_?found/.test(c)) return 'notFound';
  if (/server_error|internal|api_error/.test(c)) return 'server';
  if (/invalid_request|invalidparameter|bad_?request|invalid_argument/.test(c)) return 'badRequest';
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
        return {
          message: title ? l10n.t('the server answered with an HTML page ("{0}"), not an API response', title) : l10n.t('the server answered with an HTML page, not an API response'),
          code: 'html',
        };
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

/**
 * An HTTP error response (status ≥ 400, or an error body with a 200) as LlmErrorInfo. With `url`,
 * a body that says nothing names the status and where it came from.
 */
export function errorFromHttp(status: number, body: unknown, headers?: unknown, url?: string): LlmErrorInfo {
  const { message, code } = describeBody(body);
  let kind = kindForStatus(status);
  const byCode = code ? kindForCode(code) : undefined;
  // The code refines the status (429 + insufficient_quota is a quota problem, not a rate limit);
  // for a 200 (an error inside a stream) it is all we have.
  if (byCode && (status < 400 || byCode === 'quota' || kind === 'badRequest' || kind === 'unknown')) kind = byCode;
  const info: LlmErrorInfo = {
    kind,
    message: message ?? (url ? l10n.t('HTTP {0} from {1}', status, safeOrigin(url)) : `HTTP ${status}`),
    status,
    retryable: isRetryableKind(kind),
  };
  const after = retryAfterMs(headerLookup(headers)) ?? retryDelayInBody(body);
  if (after !== undefined) {
    info.retryAfterMs = after;
    // Said in the message too (once retries are spent, it is what the user reads), unless the server already says it.
    if (after >= 1000 && !/retry|try again/i.test(info.message)) info.message = l10n.t('{0} (the server asks to wait {1} before trying again)', info.message, seconds(after));
  }
  return info;
}

/**
 * An error the provider wrote into a stream that had begun well (an error event, an NDJSON
 * `{"error": …}` line), decided by its code (a type name, or an HTTP status as vLLM writes it) or
 * its words; `fallback` when neither says. After text (`afterText`), an error that does not name
 * itself a passing condition (a server error, overload, rate limit) is the failure of this answer:
 * sending the same request again is not expected to help, so it is not retryable.
 */
export function errorInStream(body: unknown, fallback: ErrorKind = 'unknown', afterText = false): LlmErrorInfo {
  const info = errorFromHttp(200, body);
  const code = describeBody(body).code;
  if (info.kind === 'unknown' && code && /^[45]\d\d$/.test(code)) info.kind = kindForStatus(Number(code));
  const typed = info.kind !== 'unknown';
  if (!typed) info.kind = /not found/i.test(info.message) ? 'notFound' : fallback;
  info.retryable = isRetryableKind(info.kind) && (typed || !afterText);
  return info;
}

/** Baidu ERNIE's numeric error codes (from the Qianfan SDK's APIErrorCode) → our kinds. */
const ERNIE_KINDS: Record<number, ErrorKind> = {
  110: 'auth', 111: 'auth', 13: 'auth', 14: 'auth', 15: 'auth',
  4: 'quota', 17: 'quota', 19: 'quota',
  18: 'rateLimit', 336501: 'rateLimit', 336502: 'rateLimit',
  336100: 'overloaded', 2: 'server', 336000: 'server',
  336003: 'badRequest', 336001: 'badRequest', 336002: 'badRequest', 336006: 'badRequest',
  6: 'permission', 3: 'notFound',
};

export function errorFromErnie(code: number, message: string): LlmErrorInfo {
  const kind = ERNIE_KINDS[code] ?? 'unknown';
  return { kind, message: l10n.t('ERNIE error {0}: {1}', code, message), status: 200, retryable: isRetryableKind(kind) };
}

/** ERNIE's OAuth endpoint gave no access token: the API key or the secret key is wrong. */
export function ernieTokenError(status: number, detail: string | undefined): LlmErrorInfo {
  return {
    kind: 'auth',
    message: l10n.t('ERNIE could not get an access token: {0}. Check the API key and secret key.', detail ?? `HTTP ${status}`),
    status,
    retryable: false,
  };
}

/** VS Code's LanguageModelError codes (the `vscode-lm` kind) → our kinds. */
export function errorFromLanguageModel(code: string, message: string): LlmErrorInfo {
  const kinds: Record<string, ErrorKind> = { NoPermissions: 'permission', Blocked: 'permission', NotFound: 'notFound' };
  const kind = kinds[code] ?? 'unknown';
  return { kind, message: kind === 'permission' ? l10n.t('{0} (allow Ask LLM to use this model when VS Code asks)', message) : message, retryable: false };
}

/** The profile a call names does not exist, or none is configured. */
export function noProfileError(id?: string): LlmErrorInfo {
  return configError('notFound', id
    ? l10n.t('No provider profile "{0}" in askLlm.providers.', id)
    : l10n.t('No provider is configured. Run "Ask LLM: Select Provider…" to add one.'));
}

/** A 2xx answer that is a web page, not an API stream: a wrong base URL or a login portal. */
export function htmlPageError(url: string): LlmErrorInfo {
  return {
    kind: 'protocol',
    message: l10n.t('{0} answered with an HTML page, not an API response. The base URL is probably wrong (OpenAI-compatible URLs usually end in /v1), or a proxy or login page is in the way.', safeOrigin(url)),
    retryable: false,
  };
}

/** A body or event that should have been JSON and was not. */
export function invalidJsonError(detail: string, status?: number): LlmErrorInfo {
  return { kind: 'protocol', message: l10n.t('The server sent something that is not valid JSON: {0}', detail), ...(status ? { status } : {}), retryable: false };
}

/** One event of a stream that should have been JSON and was not: the stream stops there, its text kept. */
export function invalidEventError(data: string): LlmErrorInfo {
  const excerpt = data.length > 80 ? `${data.slice(0, 80)}…` : data;
  return {
    kind: 'protocol',
    message: l10n.t('The server sent an event that is not valid JSON ({0}), so the answer cannot be read past it. The text so far is kept; retry or continue for the rest.', JSON.stringify(excerpt)),
    retryable: false,
  };
}

/**
 * A stream that ended with no terminator and no finish reason: cut, never a normal end. The
 * text so far stays with the caller; retryable (only before the first token, by the runner).
 */
export function cutStreamError(sawAnything: boolean, status?: number): LlmErrorInfo {
  return {
    kind: 'protocol',
    message: sawAnything
      ? l10n.t('The stream ended before the answer was complete (no finish reason, no terminator): the connection was probably cut.')
      : l10n.t('The server closed the stream without sending an answer.'),
    ...(status ? { status } : {}),
    retryable: true,
  };
}

/** A duration in seconds, as the settings' defaults are thought of: "120 s", "1.5 s", "0.3 s". */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toFixed(s >= 1 ? 1 : 2))} s`;
}

/**
 * Our own timeouts: no response headers within connectMs, or silence longer than idleMs once the
 * response began (`answered`: some of the answer had arrived). A server that hangs is rarely cured
 * by waiting longer, or by asking again (which would double a wait of minutes), so these are not
 * retried, and the advice to raise a timeout is given only where a longer wait is what helps: a
 * local server loading a model, a reasoning model thinking before its first word.
 */
export function timeoutError(which: 'connect' | 'idle', ms: number, where?: { url?: string; answered?: boolean; local?: boolean }): LlmErrorInfo {
  const origin = where?.url ? safeOrigin(where.url).replace(/^(\w+:\/\/[^/]+).*$/, '$1') : undefined;
  const server = origin ?? l10n.t('The provider');
  const local = where?.local ?? false;
  let message: string;
  if (which === 'connect') {
    message = l10n.t('{0} did not answer within {1}: the connection was made, but no response came. Check that the base URL is the API\'s address and that the server is up, then retry.', server, seconds(ms))
      + (local ? l10n.t(' A local server that loads the model before it answers may need longer: raise "timeouts.connectMs" in the profile.') : '');
  } else if (where?.answered) {
    message = l10n.t('{0} went silent for {1} in the middle of the answer; the text so far is kept. Retry, or continue the answer ("Ask LLM: Continue the Cut Answer").', server, seconds(ms));
  } else {
    message = l10n.t('{0} accepted the request, then went silent for {1} without sending any of the answer. A server that hangs like this usually cannot serve the request: check the model name and the endpoint, then retry.', server, seconds(ms))
      + (local
        ? l10n.t(' A local server still loading the model may need longer: raise "timeouts.idleMs" in the profile.')
        : l10n.t(' Only if this model thinks for minutes before its first word (some reasoning models do) will a longer "timeouts.idleMs" help.'));
  }
  return { kind: 'timeout', message, retryable: false };
}

/** The largest SSE event or NDJSON line we read: larger ones are not answers an LLM API sends. */
export const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** One event (or line) larger than the limit: reading on would only grow memory. */
export function oversizeEventError(limitChars: number = MAX_EVENT_CHARS): LlmErrorInfo {
  return {
    kind: 'protocol',
    message: l10n.t('The server sent one event larger than {0} MB, which no LLM API sends; the stream was stopped there so memory stays bounded. The text so far is kept. A proxy or server in the way may be sending something else (a file, a page) on this address.', Math.round(limitChars / 1048576)),
    retryable: false,
  };
}

/**
 * A redirect to another origin: not followed, because the request carries the key in headers
 * fetch would forward (`api-key`, `x-api-key`, `x-goog-api-key`, the profile's own) and often in
 * the URL (ERNIE's access token), and the prompt in its body.
 */
export function redirectError(from: string, to: string, status: number): LlmErrorInfo {
  const target = safeOrigin(to);
  return {
    kind: 'network',
    message: l10n.t('{0} redirected the request (HTTP {1}) to another host, {2}. Ask LLM does not follow redirects to other hosts, so your API key and prompt were not sent there. If that is the provider\'s new address, put it in the profile\'s base URL.', safeOrigin(from), status, target),
    status,
    retryable: false,
  };
}

/** More redirects than any API needs: a loop. */
export function redirectLoopError(url: string): LlmErrorInfo {
  return { kind: 'network', message: l10n.t('{0} redirected the request too many times (a redirect loop). Check the base URL.', safeOrigin(url)), retryable: false };
}

/**
 * A request through a proxy that failed at the proxy: it refused the credentials, could not reach
 * the provider, or could not be reached itself. Undefined for failures that are not the proxy's.
 */
export function proxyFailure(proxy: string, target: string, err: unknown): LlmErrorInfo | undefined {
  const chain: Array<{ code?: unknown; message?: unknown }> = [];
  for (let e = err as { cause?: unknown } | undefined; e && chain.length < 6; e = e.cause as typeof e) chain.push(e as { code?: unknown; message?: unknown });
  const p = safeOrigin(proxy).replace(/\/$/, '');
  const status = chain.map((e) => /Proxy response \((\d{3})\)/.exec(String(e.message ?? ''))?.[1]).find(Boolean);
  if (status === '407') {
    return { kind: 'network', status: 407, retryable: false, message: l10n.t('The proxy {0} refused the request (407 Proxy Authentication Required): check the user name and password in the profile\'s "proxy" (http://user:pass@host:port).', p) };
  }
  if (status) {
    const n = Number(status);
    return { kind: 'network', status: n, retryable: n >= 500, message: l10n.t('The proxy {0} could not open a connection to {1} (it answered HTTP {2}). Check that the proxy may reach that host, or list the host in the profile\'s "noProxy".', p, safeOrigin(target).replace(/^(\w+:\/\/[^/]+).*$/, '$1'), status) };
  }
  const code = chain.map((e) => e.code).find((c): c is string => typeof c === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/.test(c));
  if (code) {
    return { kind: 'network', retryable: true, message: l10n.t('Cannot reach the proxy {0} ({1}): check the profile\'s "proxy", or VS Code\'s http.proxy if the profile has none.', p, code) };
  }
  return undefined;
}

/** The profile's network settings cannot be used (a CA file that cannot be read, a proxy URL we cannot use). */
export function networkSettingsError(profileId: string, detail: string): LlmErrorInfo {
  return { kind: 'network', message: l10n.t('The network settings of profile "{0}" cannot be used: {1}', profileId, detail), retryable: false };
}

/** A request that never left: no such profile, a kind this build lacks, missing keys. */
export function configError(kind: 'notFound' | 'badRequest' | 'auth', message: string): LlmErrorInfo {
  return { kind, message, retryable: false };
}

/** Something of ours threw (a bug): still an error event, never a lost answer. */
export function internalError(err: unknown): LlmErrorInfo {
  return { kind: 'unknown', message: withoutQueries(err instanceof Error ? err.message : String(err)), retryable: false };
}

/** URLs in free text with their query strings left out (ERNIE's access token, a `?key=`). */
export function withoutQueries(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi, '$1?…');
}

/**
 * `text` with every secret in it replaced (keys, a proxy's password; also URL-encoded, as they
 * appear in query strings). Secrets shorter than 6 characters are left alone: replacing them
 * would mangle ordinary words, and no real key is that short.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 6) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), secret.trim()])) {
      if (form.length >= 6) out = out.split(form).join('‹redacted›');
    }
  }
  return out;
}

/** undici's failures: `fetch failed` / `terminated` with a socket error somewhere in the cause chain. */
export function isNetworkFailure(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && /^(E[A-Z]+|UND_ERR)/.test(e.code)) return true;
    if (e.message === 'terminated' || e.message === 'fetch failed') return true;
  }
  return false;
}

/** The LlmError thrown on purpose below a parser or an SDK (an oversized event, a redirect), found in the cause chain. */
export function thrownInfo(err: unknown): LlmErrorInfo | undefined {
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof LlmError) return e.info;
  }
  return undefined;
}

/** Any exception from a request under way, once aborts are ruled out: ours, network, bad JSON, or a bug. */
export function errorFromException(err: unknown, url: string, status?: number): LlmErrorInfo {
  const ours = thrownInfo(err);
  if (ours) return ours;
  if (isNetworkFailure(err)) return errorFromNetwork(err, url);
  if (err instanceof SyntaxError) return invalidJsonError(err.message, status);
  return internalError(err);
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
  // fetch refuses ports the Fetch standard blocks (9, 25, 6000, 6666…) before connecting: no retry can help.
  if (chain.some((e) => (e as { message?: unknown }).message === 'bad port')) {
    const port = portOf(url);
    return {
      kind: 'network',
      message: l10n.t('Cannot reach{0}: "bad port": fetch refuses to connect to port{1}, which the Fetch standard blocks because other protocols use it. Run the server on another port (for example 8000 or 8080) and change the base URL.', where, port ? ` ${port}` : ''),
      retryable: false,
    };
  }
  const reason: Record<string, string> = {
    ECONNREFUSED: l10n.t('connection refused: is the server running, and is the base URL right?'),
    ENOTFOUND: l10n.t('host not found: check the base URL'),
    EAI_AGAIN: l10n.t('DNS lookup failed: check your network or proxy'),
    ECONNRESET: l10n.t('the connection was reset'),
    ETIMEDOUT: l10n.t('the connection timed out'),
    UND_ERR_SOCKET: l10n.t('the connection closed unexpectedly'),
    UND_ERR_CONNECT_TIMEOUT: l10n.t('the connection timed out'),
  };
  // Node's certificate errors (UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID…): no retry helps.
  const tls = codes.find((c) => /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/.test(c));
  if (tls) {
    return {
      kind: 'network',
      message: l10n.t('Cannot reach{0}: its TLS certificate is not trusted ({1}). If your network inspects TLS with its own certificate authority, point "caFile" in the profile at that CA\'s PEM file.', where, tls),
      retryable: false,
    };
  }
  const detail = withoutQueries(code ? reason[code] ?? code : (chain[chain.length - 1] as Error | undefined)?.message ?? String(err));
  const kind: ErrorKind = code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'network';
  return { kind, message: l10n.t('Cannot reach{0}: {1}', where, detail), retryable: true };
}

/** The port a URL names explicitly, if any. */
function portOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '').port || undefined;
  } catch {
    return undefined;
  }
}

/** Origin of a URL for messages and logs: never the path's query (tokens live there). */
export function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return l10n.t('(invalid URL)');
  }
}

/** What the user can do about an error, in a sentence (for notifications and the chat). */
export function hintFor(error: LlmErrorInfo, providerLabel?: string): string | undefined {
  const label = providerLabel ?? l10n.t('this provider');
  switch (error.kind) {
    case 'auth':
      // "No API key is set … Run Set API Key…" (ours, before sending) says it already: not twice.
      if (error.message.includes(l10n.t('Set API Key…'))) return undefined;
      return l10n.t('The API key for {0} was rejected or is missing. Run "Ask LLM: Set API Key…".', label);
    case 'permission':
      return l10n.t('The key for {0} may not use this model or endpoint. Check the key\'s permissions or pick another model.', label);
    case 'notFound':
      return l10n.t('Check the model name and the base URL of {0} ("Ask LLM: Select Provider…").', label);
    case 'badRequest':
      return l10n.t('The server rejected the request. Check the model name and the "params" of {0}; some servers also reject "stream_options" (set "streamUsage": false).', label);
    case 'rateLimit':
      return l10n.t('Rate limited by the provider. Wait a moment and retry.');
    case 'quota':
      return l10n.t('The account behind {0} is out of quota or credit. Check its billing.', label);
    case 'overloaded':
    case 'server':
      return l10n.t('The provider had a problem on its side. Retry in a moment.');
    case 'network':
      return l10n.t('Check the base URL of {0}, your network and your proxy settings.', label);
    case 'timeout':
      // Our own timeouts (not retried) say in their message what fits the case: a stall mid-answer
      // is not cured by checking the base URL, a hang not by a longer timeout. Add nothing to them.
      if (!error.retryable) return undefined;
      return l10n.t('Check that the base URL and the model of {0} are right and that the server is up, then retry.', label);
    case 'protocol':
      return l10n.t('The answer stopped before it was complete. The text so far is kept; retry to get the rest.');
    case 'unknown':
      return undefined;
  }
}

/**
 * A profile that needs a key has none (SecretStorage and its environment variable are empty):
 * reported before any request, naming the profile and how to set the key.
 */
export function missingKeyError(profile: { id: string; label?: string; apiKeyEnv?: string; secretKeyEnv?: string }, which: 'apiKey' | 'secretKey' = 'apiKey'): LlmErrorInfo {
  const noun = which === 'secretKey' ? l10n.t('secret key') : l10n.t('API key');
  const name = profile.label && profile.label !== profile.id ? l10n.t('"{0}" (profile "{1}")', profile.label, profile.id) : l10n.t('profile "{0}"', profile.id);
  const env = which === 'secretKey' ? profile.secretKeyEnv : profile.apiKeyEnv;
  return configError('auth', env
    ? l10n.t('No {0} is set for {1}, so nothing was sent. Run "Ask LLM: Set API Key…" to store one, or set the environment variable {2}.', noun, name, env)
    : l10n.t('No {0} is set for {1}, so nothing was sent. Run "Ask LLM: Set API Key…" to store one.', noun, name));
}

/** A stored key with a line break or another control character inside: it cannot be sent in a header. */
export function brokenKeyError(profile: { id: string; apiKeyEnv?: string; secretKeyEnv?: string }, which: 'apiKey' | 'secretKey' = 'apiKey'): LlmErrorInfo {
  const noun = which === 'secretKey' ? l10n.t('secret key') : l10n.t('API key');
  const env = which === 'secretKey' ? profile.secretKeyEnv : profile.apiKeyEnv;
  return configError('auth', env
    ? l10n.t('The {0} of profile "{1}" has a line break or another control character inside, so it cannot be sent (often a key pasted with extra text). Run "Ask LLM: Set API Key…" to store it again, or fix the environment variable {2}.', noun, profile.id, env)
    : l10n.t('The {0} of profile "{1}" has a line break or another control character inside, so it cannot be sent (often a key pasted with extra text). Run "Ask LLM: Set API Key…" to store it again.', noun, profile.id));
}
