// The HTTP edge shared by adapters: one AbortController per attempt that the caller's signal, the
// connect timeout (until headers) and the idle timeout (silence between body bytes) all abort.
import { errorFromHttp, errorFromNetwork } from '../core/errors';
import type { LlmErrorInfo, LlmEvent, ProviderProfile } from '../core/types';

export const DEFAULT_CONNECT_MS = 60_000;
export const DEFAULT_IDLE_MS = 120_000;

export type AbortCause = 'cancelled' | 'connectTimeout' | 'idleTimeout';

/** Watches one attempt's request: who aborted it, what its error body said. */
export class AttemptControl {
  readonly controller = new AbortController();
  cause: AbortCause | undefined;
  /** Status and body text of an error response, read before the SDK consumes it. */
  errorBody: Promise<string> | undefined;
  contentType = '';
  status = 0;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly connectMs: number;
  private readonly idleMs: number;
  private readonly onCallerAbort = () => this.abort('cancelled');

  constructor(
    private readonly callerSignal: AbortSignal,
    profile: ProviderProfile,
    private readonly baseFetch: typeof fetch = fetch,
    /** Applied to a successful response body (after the idle watch), e.g. cleanSseStream. */
    private readonly bodyFilter?: () => TransformStream<Uint8Array, Uint8Array>,
  ) {
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
    this.connectTimer = setTimeout(() => this.abort('connectTimeout'), this.connectMs);
    let res: Response;
    try {
      res = await this.baseFetch(input, { ...init, signal: this.signal });
    } finally {
      clearTimeout(this.connectTimer);
    }
    this.status = res.status;
    this.contentType = res.headers.get('content-type') ?? '';
    if (res.status >= 400) {
      this.errorBody = res.clone().text().catch(() => '');
      return res;
    }
    if (!res.body) return res;
    this.armIdle();
    let body = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, ctl) => {
        this.armIdle();
        ctl.enqueue(chunk);
      },
      flush: () => clearTimeout(this.idleTimer),
    }));
    if (this.bodyFilter && /event-stream/i.test(this.contentType)) body = body.pipeThrough(this.bodyFilter());
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

  /** The error for an abort we caused, or undefined for the caller's cancel. */
  timeoutError(): LlmErrorInfo | undefined {
    if (this.cause === 'connectTimeout') {
      return { kind: 'timeout', message: `No response within ${this.connectMs} ms (timeouts.connectMs).`, retryable: true };
    }
    if (this.cause === 'idleTimeout') {
      return { kind: 'timeout', message: `The provider went silent for ${this.idleMs} ms mid-answer (timeouts.idleMs).`, retryable: true };
    }
    return undefined;
  }

  /** The terminal event for an aborted attempt: a timeout we caused, else the caller's cancel. */
  abortEvent(): LlmEvent {
    const timeout = this.timeoutError();
    return timeout ? { type: 'error', error: timeout } : { type: 'end', finishReason: 'cancelled' };
  }

  /**
   * A stream that ended with no terminator and no finish reason: cut, never a normal end. The
   * text so far stays with the caller; retryable (only before the first token, by the runner).
   */
  cutStreamError(sawAnything = true): LlmErrorInfo {
    return {
      kind: 'protocol',
      message: sawAnything
        ? 'The stream ended before the answer was complete (no finish reason, no terminator): the connection was probably cut.'
        : 'The server closed the stream without sending an answer.',
      status: this.status || undefined,
      retryable: true,
    };
  }

  /** An HTTP error response we watched, mapped from its real body. */
  async httpError(headers?: unknown): Promise<LlmErrorInfo> {
    const text = (await this.errorBody) ?? '';
    return errorFromHttp(this.status, text, headers);
  }

  networkError(err: unknown, url: string): LlmErrorInfo {
    return errorFromNetwork(err, url);
  }

  dispose(): void {
    this.clearTimers();
    this.callerSignal.removeEventListener('abort', this.onCallerAbort);
  }
}

/** A 2xx answer that is a web page, not an API stream: a wrong base URL or a login portal. */
export function htmlInsteadOfApi(contentType: string, url: string): LlmErrorInfo | undefined {
  if (!/text\/html/i.test(contentType)) return undefined;
  return {
    kind: 'protocol',
    message: `${url} answered with an HTML page, not an API response. The base URL is probably wrong (OpenAI-compatible URLs usually end in /v1), or a proxy or login page is in the way.`,
    retryable: false,
  };
}
