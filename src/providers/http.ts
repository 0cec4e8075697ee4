// The HTTP edge shared by adapters: one AbortController per attempt that the caller's signal, the
// connect timeout (until headers), the idle timeout (silence between body bytes) and the attempt's
// end all abort, so a consumer that stops reading always closes the connection.
import { errorFromHttp, timeoutError } from '../core/errors';
import type { LlmErrorInfo, LlmEvent, ProviderProfile, Usage } from '../core/types';

export const DEFAULT_CONNECT_MS = 60_000;
export const DEFAULT_IDLE_MS = 120_000;

export type AbortCause = 'cancelled' | 'connectTimeout' | 'idleTimeout' | 'done';

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

  constructor(
    private readonly callerSignal: AbortSignal,
    profile: ProviderProfile,
    private readonly baseFetch: typeof fetch = fetch,
    /** Applied to a successful event-stream body (after the idle watch), e.g. cleanSseStream. */
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
    this.url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
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

  /** The terminal event for an aborted attempt: a timeout we caused, else the caller's cancel. */
  abortEvent(): LlmEvent {
    if (this.cause === 'connectTimeout') return { type: 'error', error: timeoutError('connect', this.connectMs) };
    if (this.cause === 'idleTimeout') return { type: 'error', error: timeoutError('idle', this.idleMs) };
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
