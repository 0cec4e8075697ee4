// The one attempt runner every adapter uses, SDK or native: open the request, report an HTTP
// error from its real body, refuse an HTML page, emit `start`, read the events, and turn a cut
// stream, an abort, a timeout or an exception into exactly one terminal event. Plus the byte
// decoders native adapters read bodies with.
import { errorFromException, cutStreamError, htmlPageError, invalidEventError, LlmError, MAX_EVENT_CHARS, oversizeEventError, thrownInfo } from '../core/errors';
import { isEmptyPayload, SseParser, type SseEvent, type SseParserOptions } from '../core/sse';
import type { AdapterRequest, LlmErrorInfo, LlmEvent } from '../core/types';
import { AttemptControl } from './http';

/** SSE events from a response body, decoded across any chunking. */
export async function* sseEvents(body: ReadableStream<Uint8Array>, opts?: SseParserOptions): AsyncGenerator<SseEvent> {
  const parser = new SseParser(opts);
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) yield* parser.push(chunk);
  yield* parser.end();
}

/**
 * Lines of an NDJSON body (the last line may lack its newline). Only new text is scanned for line
 * ends, and a line longer than `maxChars` stops the stream (an LlmError, `protocol`).
 */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>, maxChars = MAX_EVENT_CHARS): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pieces: string[] = [];
  let held = 0;
  const take = (tail: string) => {
    const line = pieces.length ? pieces.join('') + tail : tail;
    pieces = [];
    held = 0;
    return line.trim();
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      if (held + nl - from > maxChars) throw new LlmError(oversizeEventError(maxChars));
      const line = take(text.slice(from, nl));
      from = nl + 1;
      if (line) yield line;
    }
    if (from < text.length) {
      pieces.push(from ? text.slice(from) : text);
      held += text.length - from;
      if (held > maxChars) {
        pieces = [];
        throw new LlmError(oversizeEventError(maxChars));
      }
    }
  }
  const last = take(decoder.decode());
  if (last) yield last;
}

/**
 * An event's JSON payload; undefined for the payloads that carry nothing (empty, keep-alives, the
 * `[DONE]` marker). A payload that is not JSON stops the stream with a `protocol` error: skipping it
 * would drop whatever text it carried and end the answer as if it were whole.
 */
export function eventJson(data: string): unknown {
  if (isEmptyPayload(data) || data.trim() === '[DONE]') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    throw new LlmError(invalidEventError(data));
  }
}

/** An attempt's failure before the response began (an HTTP error status, no access token…). */
export interface Refusal {
  refused: LlmErrorInfo;
}

export interface Attempt<H> {
  /** Sends the request through `ctl.fetch`; resolves once the response has begun, or with a refusal. */
  open(ctl: AttemptControl): Promise<H | Refusal>;
  /**
   * Events of the begun response; ends with `end` or `error` when the provider ended properly. Usage
   * read along the way goes in `ctl.usage` too, so that it reaches the caller even if the stream fails.
   */
  read(handle: H, ctl: AttemptControl): AsyncIterable<LlmEvent>;
  /** The model `start` names (a whole answer knows it); the requested one otherwise. */
  model?(handle: H): string | undefined;
  /** An SDK's own exceptions as errors; undefined leaves the exception to the runner. */
  mapError?(err: unknown, ctl: AttemptControl): Promise<LlmErrorInfo | undefined>;
  /** Applied to an event-stream body before `read` sees it (the SDK's strict parser wants clean events). */
  bodyFilter?: (body: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;
}

const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && 'refused' in v;

/**
 * Runs one attempt (the retry runner above it decides about more). Yields `start` once the
 * response has begun, then what `read` yields up to its terminal event; if `read` stops without
 * one, the stream was cut (a `protocol` error). Leaving early (a consumer's `break`) aborts the
 * request, so the connection closes whatever point the consumer left at.
 */
export async function* runAttempt<H>(req: AdapterRequest, attempt: Attempt<H>): AsyncGenerator<LlmEvent> {
  const ctl = new AttemptControl(req.signal, req.profile, req.fetch, attempt.bodyFilter, req.recorder);
  let sawContent = false;
  // Usage read before the stream failed (Anthropic's message_start, an OpenAI usage chunk) is still
  // the caller's: it goes out before whatever terminal event ends the attempt.
  function* withUsage(terminal: LlmEvent): Generator<LlmEvent> {
    if (ctl.usage) yield { type: 'usage', ...ctl.usage };
    ctl.usage = undefined;
    yield terminal;
  }
  try {
    const handle = await attempt.open(ctl);
    if (isRefusal(handle)) return yield { type: 'error', error: handle.refused };
    if (/text\/html/i.test(ctl.contentType)) return yield { type: 'error', error: htmlPageError(ctl.url) };
    yield { type: 'start', provider: req.profile.id, model: attempt.model?.(handle) || req.model };
    for await (const ev of attempt.read(handle, ctl)) {
      if (ev.type === 'end' || ev.type === 'error') return yield* withUsage(ev);
      if (ev.type === 'usage') ctl.usage = undefined;
      yield ev;
      sawContent = true;
    }
    yield* withUsage(ctl.signal.aborted ? ctl.abortEvent(sawContent) : { type: 'error', error: cutStreamError(sawContent, ctl.status || undefined) });
  } catch (err) {
    if (ctl.signal.aborted) return yield* withUsage(ctl.abortEvent(sawContent));
    if (ctl.status > 0 && ctl.status < 400 && /text\/html/i.test(ctl.contentType)) return yield { type: 'error', error: htmlPageError(ctl.url) };
    // Our own errors thrown under a parser or an SDK (an oversized or malformed event, a redirect) say it best.
    const error = thrownInfo(err) ?? (await attempt.mapError?.(err, ctl)) ?? errorFromException(err, ctl.url, ctl.status || undefined);
    yield* withUsage({ type: 'error', error });
  } finally {
    ctl.dispose();
  }
}

export interface HttpCall {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** POSTs JSON through the attempt's fetch (with the profile's headers); an error status is a refusal. */
export async function postJson(ctl: AttemptControl, req: AdapterRequest, call: HttpCall): Promise<Response | Refusal> {
  const response = await ctl.fetch(call.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...call.headers, ...req.profile.headers },
    body: JSON.stringify(call.body),
  });
  if (response.status >= 400) return { refused: await ctl.httpError(response.headers) };
  return response;
}

/** The usual native attempt: POST `call`, read the body with `read`. */
export function runHttpAttempt(req: AdapterRequest, call: HttpCall, read: (response: Response, ctl: AttemptControl) => AsyncIterable<LlmEvent>): AsyncGenerator<LlmEvent> {
  return runAttempt(req, { open: (ctl) => postJson(ctl, req, call), read });
}

/** Parses JSON, or undefined (for payloads that may be keep-alives or junk). */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
