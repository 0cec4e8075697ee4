// The HTTP edge shared by adapters: one AbortController per attempt that the caller's signal, the
// connect timeout (until headers), the idle timeout (silence between body bytes) and the attempt's
// end all abort, so a consumer that stops reading always closes the connection. Requests go
// through the profile's network route (providers/network.ts) and follow redirects only on the
// same origin: fetch would forward `api-key`, `x-api-key`, `x-goog-api-key` and the profile's own
// headers to another host (it drops only Authorization), and the URL may carry a token.
import { errorFromHttp, LlmError, redirectError, redirectLoopError, timeoutError } from '../core/errors';
import type { Capture, ExchangeRecorder } from '../core/flightRecorder';
import { isLocalUrl } from '../core/profiles';
import type { LlmErrorInfo, LlmEvent, ProviderProfile, Usage } from '../core/types';
import { networkFetch } from './network';

export const DEFAULT_CONNECT_MS = 60_000;
export const DEFAULT_IDLE_MS = 120_000;

export type AbortCause = 'cancelled' | 'connectTimeout' | 'idleTimeout' | 'done';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** The most of an error response's body we read: enough for any error message, bounded for anything else. */
const MAX_ERROR_BODY = 256 * 1024;

/**
 * Whether a redirect may be followed with the request's headers: the same origin, or the same
 * host and port moving from http to https (the key then travels encrypted, to the same server).
 */
export function mayFollowRedirect(from: string, to: string): boolean {
  try {
    const a = new URL(from);
    const b = new URL(to);
    if (a.origin === b.origin) return true;
    const port = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80');
    return a.protocol === 'http:' && b.protocol === 'https:' && a.hostname === b.hostname && (port(a) === '80' ? port(b) === '443' : port(a) === port(b));
  } catch {
    return false;
  }
}

/** Reads at most `max` bytes of a body as text, then lets the rest go. */
async function boundedText(res: Response, max = MAX_ERROR_BODY): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (bytes >= max) {
        void reader.cancel().catch(() => undefined);
        break;
      }
    }
  } catch {
    // a body cut while we read it: what arrived is all there is
  }
  return text + decoder.decode();
}

/** Watches one attempt's request: who aborted it, what its error body said, where it went. */
export class AttemptControl {
  readonly controller = new AbortController();
  cause: AbortCause | undefined;
  /** Body text of an error response, read before an SDK consumes it. */
  errorBody: Promise<string> | undefined;
  contentType = '';
  status = 0;
  /** The last URL fetched (for messages: an error names where it came from). */
  url = '';
  /**
   * Usage the provider has reported so far and no `usage` event has carried yet. Adapters set it
   * as soon as they read it, so that the runner can still deliver it before an error or a cut.
   */
  usage: Usage | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly connectMs: number;
  private readonly idleMs: number;
  private readonly onCallerAbort = () => this.abort('cancelled');

  private readonly baseFetch: typeof fetch;

  constructor(
    private readonly callerSignal: AbortSignal,
    profile: ProviderProfile,
    baseFetch: typeof fetch = fetch,
    /** Applied to a successful event-stream body (after the idle watch), e.g. cleanSseBody. */
    private readonly bodyFilter?: (body: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>,
    /** The flight recorder of this answer: each response's raw bytes and their arrival times. */
    private readonly recorder?: ExchangeRecorder,
  ) {
    this.baseFetch = networkFetch(profile, baseFetch);
    this.connectMs = profile.timeouts?.connectMs ?? DEFAULT_CONNECT_MS;
    this.idleMs = profile.timeouts?.idleMs ?? DEFAULT_IDLE_MS;
    if (callerSignal.aborted) this.abort('cancelled');
    else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(cause: AbortCause): void {
    if (this.controller.signal.aborted) return;
    this.cause = cause;
    this.clearTimers();
    this.controller.abort();
  }

  /** A fetch that arms the timers and watches the body bytes; hand it to the SDK or use it directly. */
  readonly fetch: typeof fetch = async (input, init) => {
    let url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    this.url = url;
    const sentAt = performance.now();
    this.connectTimer = setTimeout(() => this.abort('connectTimeout'), this.connectMs);
    let res: Response;
    let request: RequestInit = { ...init, redirect: 'manual', signal: this.signal };
    try {
      for (let hop = 0; ; hop++) {
        res = await this.baseFetch(hop ? url : input, request);
        const location = REDIRECTS.has(res.status) ? res.headers.get('location') : null;
        if (!location) break;
        const next = new URL(location, url).href;
        void res.body?.cancel().catch(() => undefined);
        if (!mayFollowRedirect(url, next)) throw new LlmError(redirectError(url, next, res.status));
        if (hop >= MAX_REDIRECTS) throw new LlmError(redirectLoopError(url));
        // As fetch does: 303 (and 301/302 after a POST) go on as a GET without the body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && (request.method ?? 'GET').toUpperCase() === 'POST')) {
          request = { ...request, method: 'GET', body: undefined };
        }
        url = next;
        this.url = url;
      }
    } finally {
      clearTimeout(this.connectTimer);
    }
    this.status = res.status;
    this.contentType = res.headers.get('content-type') ?? '';
    const capture: Capture | undefined = this.recorder?.exchange({
      method: request.method ?? 'GET', url, requestHeaders: request.headers, requestBody: request.body,
      status: res.status, statusText: res.statusText, responseHeaders: res.headers, sentAt,
    });
    if (res.status >= 400) {
      this.errorBody = boundedText(res.clone());
      if (capture) void this.errorBody.then((text) => capture.whole(text));
      return res;
    }
    if (!res.body) return res;
    this.armIdle();
    let body = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, ctl) => {
        this.armIdle();
        capture?.push(chunk);
        ctl.enqueue(chunk);
      },
      flush: () => clearTimeout(this.idleTimer),
    }));
    if (this.bodyFilter && /event-stream/i.test(this.contentType)) body = this.bodyFilter(body);
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.abort('idleTimeout'), this.idleMs);
  }

  private clearTimers(): void {
    clearTimeout(this.connectTimer);
    clearTimeout(this.idleTimer);
  }

  /** The terminal event for an aborted attempt: a timeout we caused, else the caller's cancel. `answered`: some of the answer had arrived. */
  abortEvent(answered = false): LlmEvent {
    const local = isLocalUrl(this.url);
    if (this.cause === 'connectTimeout') return { type: 'error', error: timeoutError('connect', this.connectMs, { url: this.url, local }) };
    if (this.cause === 'idleTimeout') return { type: 'error', error: timeoutError('idle', this.idleMs, { url: this.url, answered, local }) };
    return { type: 'end', finishReason: 'cancelled' };
  }

  /** An HTTP error response we watched, mapped from its real body. */
  async httpError(headers?: unknown): Promise<LlmErrorInfo> {
    const text = (await this.errorBody) ?? '';
    return errorFromHttp(this.status, text, headers, this.url);
  }

  /**
   * The attempt is over, however it ended. Aborting closes the connection of a consumer that left
   * early (a `break` right after `start` leaves the body unread, and undici would keep it open
   * until the server gives up); after a complete response it changes nothing.
   */
  dispose(): void {
    this.abort('done');
    this.callerSignal.removeEventListener('abort', this.onCallerAbort);
  }
}
