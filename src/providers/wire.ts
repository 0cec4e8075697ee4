// The shared shape of a native (non-SDK) adapter: POST, check the status, read a streamed body,
// map failures. An adapter gives the request and a function from the body to events.
import { safeOrigin } from '../core/errors';
import { SseParser, type SseEvent, type SseParserOptions } from '../core/sse';
import type { AdapterRequest, LlmErrorInfo, LlmEvent } from '../core/types';
import { AttemptControl, htmlInsteadOfApi } from './http';

/** SSE events from a response body, decoded across any chunking. */
export async function* sseEvents(body: ReadableStream<Uint8Array>, opts?: SseParserOptions): AsyncGenerator<SseEvent> {
  const parser = new SseParser(opts);
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) yield* parser.push(chunk);
  yield* parser.end();
}

/** Lines of an NDJSON body (the last line may lack its newline). */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield line;
    }
  }
  const last = (buf + decoder.decode()).trim();
  if (last) yield last;
}

export interface HttpCall {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface StreamContext {
  req: AdapterRequest;
  /** The response, 2xx. */
  response: Response;
  ctl: AttemptControl;
}

/**
 * Runs one attempt: POSTs `call`, turns a non-2xx answer into an error from its real body, emits
 * `start` once headers arrive, then yields what `read` makes of the body. `read` must end with a
 * terminal event when the provider ended properly; if it returns without one, the stream was cut
 * (a `protocol` error). Cancels, timeouts and network failures mid-body are mapped here.
 */
export async function* runHttpAttempt(
  req: AdapterRequest,
  call: HttpCall | ((ctl: AttemptControl) => Promise<HttpCall | LlmErrorInfo>),
  read: (ctx: StreamContext) => AsyncGenerator<LlmEvent>,
  opts: { acceptJsonErrorWith200?: (text: string) => LlmErrorInfo | undefined } = {},
): AsyncGenerator<LlmEvent> {
  const ctl = new AttemptControl(req.signal, req.profile, req.fetch);
  let url = '';
  try {
    const built = typeof call === 'function' ? await call(ctl) : call;
    if (!('url' in built)) return yield { type: 'error', error: built };
    url = built.url;
    const response = await ctl.fetch(built.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...built.headers, ...req.profile.headers },
      body: JSON.stringify(built.body),
    });
    if (response.status >= 400) {
      const info = await ctl.httpError(response.headers);
      if (info.message === `HTTP ${response.status}`) info.message = `HTTP ${response.status} from ${safeOrigin(url)}`;
      return yield { type: 'error', error: info };
    }
    const html = htmlInsteadOfApi(ctl.contentType, url);
    if (html) return yield { type: 'error', error: html };
    if (opts.acceptJsonErrorWith200 && /json/i.test(ctl.contentType)) {
      // Some APIs (ERNIE) answer a streamed request with a plain JSON error and status 200.
      const text = await response.clone().text();
      const err = opts.acceptJsonErrorWith200(text);
      if (err) return yield { type: 'error', error: err };
    }
    yield { type: 'start', provider: req.profile.id, model: req.model };
    let terminal = false;
    for await (const ev of read({ req, response, ctl })) {
      yield ev;
      if (ev.type === 'end' || ev.type === 'error') {
        terminal = true;
        break;
      }
    }
    if (ctl.signal.aborted) return yield ctl.abortEvent();
    if (!terminal) {
      yield { type: 'error', error: ctl.cutStreamError() };
    }
  } catch (err) {
    if (ctl.signal.aborted) return yield ctl.abortEvent();
    yield { type: 'error', error: err instanceof SyntaxError
      ? { kind: 'protocol', message: `The server sent something that is not valid JSON: ${err.message}`, retryable: false }
      : ctl.networkError(err, url) };
  } finally {
    ctl.dispose();
  }
}

/** Parses JSON, or undefined (for payloads that may be keep-alives or junk). */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
