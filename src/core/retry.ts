// Retries around one provider attempt: only before the first token, only for retryable errors,
// with exponential backoff and jitter that honours the server's Retry-After.
import type { LlmEvent } from './types';

export interface RetryOptions {
  maxRetries: number;
  signal: AbortSignal;
  /** Called before each retry (for the log). */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /** Base of the exponential backoff; tests make it small. */
  baseDelayMs?: number;
  /** A server asking for a longer wait than this gets no retry: the user sees its error. */
  maxDelayMs?: number;
  random?: () => number;
}

/** Delay before retry number `attempt` (1-based). */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, base = 500, random = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs + Math.floor(random() * 100);
  const exp = Math.min(8000, base * 2 ** (attempt - 1));
  return Math.floor(exp * (0.75 + random() * 0.5));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `attempt` and retries it while nothing but `start` has reached the consumer. `start` is
 * passed on once, however many attempts there are; a cancel during a wait ends with `cancelled`.
 */
export async function* withRetries(attempt: () => AsyncIterable<LlmEvent>, opts: RetryOptions): AsyncGenerator<LlmEvent> {
  let started = false;
  for (let n = 0; ; n++) {
    let delivered = false;
    let failure: Extract<LlmEvent, { type: 'error' }> | undefined;
    for await (const ev of attempt()) {
      if (ev.type === 'start') {
        if (!started) yield ev;
        started = true;
        continue;
      }
      if (ev.type === 'error' && !delivered) {
        failure = ev;
        break;
      }
      if (ev.type === 'text' || ev.type === 'reasoning' || ev.type === 'toolCall') delivered = true;
      yield ev;
    }
    if (!failure) return;
    const delay = backoffMs(n + 1, failure.error.retryAfterMs, opts.baseDelayMs, opts.random);
    const canRetry = failure.error.retryable && n < opts.maxRetries && delay <= (opts.maxDelayMs ?? 60_000) && !opts.signal.aborted;
    if (!canRetry) {
      yield failure;
      return;
    }
    opts.onRetry?.(n + 1, delay, failure.error.message);
    await sleep(delay, opts.signal);
    if (opts.signal.aborted) {
      yield { type: 'end', finishReason: 'cancelled' };
      return;
    }
  }
}
