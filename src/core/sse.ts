// A push parser for Server-Sent Events (WHATWG HTML §9.2): bytes in any chunking → events.
// Streaming UTF-8 decoding (a leading BOM is dropped), CR / LF / CRLF line ends (also split
// across chunks), comments, `id` persistence, `retry`, a deliberate end-of-file policy, and a cap
// on the size of one event so that a server sending one endless line cannot take all memory.
import { invalidEventError, LlmError, MAX_EVENT_CHARS, oversizeEventError } from './errors';

export interface SseEvent {
  /** `event:` field, `message` when absent. */
  event: string;
  data: string;
  /** The last event id, which persists across events. */
  id: string;
}

export interface SseParserOptions {
  /**
   * Dispatch an event that has no blank line after it at end of file. The spec discards it (and so
   * do we for OpenAI-style streams); DashScope's error event needs it kept.
   */
  flushAtEof?: boolean;
  /** Comment lines (`: keep-alive`, DashScope's `:HTTP_STATUS/400`), without the colon. */
  onComment?: (text: string) => void;
  /**
   * Dispatch an event that has an `event:` name but no `data:` line, with empty data. The spec
   * drops it; sse-starlette writes a named end event (`{"event": "end"}`) exactly so.
   */
  namedWithoutData?: boolean;
  /**
   * The most characters one event may hold (its data lines, or one line of any kind); more throws
   * an LlmError (`protocol`). Default MAX_EVENT_CHARS (16 MiB).
   */
  maxEventChars?: number;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /**
   * The current line's text so far, as the pieces it arrived in: joined once, when its line end
   * comes. Only new text is ever scanned, so one long line fed in small chunks costs linear time.
   */
  private pending: string[] = [];
  private pendingChars = 0;
  private skipLeadingLf = false;
  private data: string[] = [];
  private dataChars = 0;
  private readonly maxChars: number;
  private eventType = '';
  private lastId = '';
  /** The last valid `retry:` value, in ms. */
  retryMs: number | undefined;

  constructor(private readonly opts: SseParserOptions = {}) {
    this.maxChars = opts.maxEventChars ?? MAX_EVENT_CHARS;
  }

  /** Feeds bytes (or already-decoded text) and returns the events they complete. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    if (!text.length) return out;
    let start = 0;
    if (this.skipLeadingLf) {
      if (text.charCodeAt(0) === 10) start = 1; // the LF of a CRLF split between two chunks
      this.skipLeadingLf = false;
    }
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(this.take(text.slice(start, i)), out);
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true; // a CRLF may be split between two chunks
        }
      }
      start = i + 1;
    }
    if (start < text.length) {
      this.pending.push(start ? text.slice(start) : text);
      this.pendingChars += text.length - start;
      if (this.pendingChars + this.dataChars > this.maxChars) this.tooLarge();
    }
    return out;
  }

  /** End of stream: a last unterminated line is processed; a pending event follows `flushAtEof`. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    const rest = this.take(this.decoder.decode());
    if (rest) this.line(rest, out);
    if (this.opts.flushAtEof && this.data.length) this.line('', out);
    this.data = [];
    this.dataChars = 0;
    this.eventType = '';
    return out;
  }

  /** Drops what was held (so the memory goes at once) and stops the stream with a protocol error. */
  private tooLarge(): never {
    this.pending = [];
    this.pendingChars = 0;
    this.data = [];
    this.dataChars = 0;
    throw new LlmError(oversizeEventError(this.maxChars));
  }

  /** The pending pieces followed by `tail`, as one string; clears the pending line. */
  private take(tail: string): string {
    if (!this.pending.length) {
      if (tail.length + this.dataChars > this.maxChars) this.tooLarge();
      return tail;
    }
    if (this.pendingChars + tail.length + this.dataChars > this.maxChars) this.tooLarge();
    if (tail) this.pending.push(tail);
    const whole = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    return whole;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length || (this.opts.namedWithoutData && this.eventType)) {
        out.push({ event: this.eventType || 'message', data: this.data.join('\n'), id: this.lastId });
      }
      this.data = [];
      this.dataChars = 0;
      this.eventType = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      this.opts.onComment?.(line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.dataChars += value.length + 1;
        break;
      case 'event': this.eventType = value; break;
      case 'id': if (!value.includes('\0')) this.lastId = value; break;
      case 'retry': if (/^\d+$/.test(value)) this.retryMs = Number(value); break;
      default: break; // unknown fields are ignored
    }
  }
}

/** A payload that carries nothing: empty, or a keep-alive written as data (`data: : ping`). */
export function isEmptyPayload(data: string): boolean {
  return data.trim() === '' || data.charCodeAt(0) === 58;
}

/** Events as clean SSE text: `event:` (when named) and `data:` lines, a blank line after each. */
function frame(events: SseEvent[]): string {
  let out = '';
  for (const ev of events) {
    if (ev.event !== 'message') out += `event: ${ev.event}\n`;
    out += `data: ${ev.data.replace(/\n/g, '\ndata: ')}\n\n`;
  }
  return out;
}

/** The events a strict consumer should see: without empty and keep-alive payloads. */
const realEvents = (events: SseEvent[]) => events.filter((ev) => !isEmptyPayload(ev.data));

/**
 * Re-frames an SSE byte stream as clean events (`event:` + `data:` lines + blank line), leaving out
 * empty and keep-alive payloads, so a strict consumer such as the openai SDK sees only real events.
 * An unterminated last event is dropped, as the spec says.
 */
export function cleanSseStream(): TransformStream<Uint8Array, Uint8Array> {
  const parser = new SseParser();
  const encoder = new TextEncoder();
  return new TransformStream({
    transform(chunk, ctl) {
      const out = frame(realEvents(parser.push(chunk)));
      if (out) ctl.enqueue(encoder.encode(out));
    },
    flush(ctl) {
      const out = frame(realEvents(parser.end()));
      if (out) ctl.enqueue(encoder.encode(out));
    },
  });
}

/**
 * `cleanSseStream` as a body for the openai SDK, which also stops at the first payload that is not
 * JSON (but for `[DONE]`) or at an oversized event, with our own LlmError (`protocol`), as the native
 * adapters do, before the SDK would throw (and print) its own. The events before the bad one are
 * handed over first, and the error comes only when the consumer asks for more, so the text they
 * carry is never lost with it (a stream that errors drops what its consumer has not read yet).
 */
export function cleanSseBody(body: ReadableStream<Uint8Array>, opts: SseParserOptions = {}): ReadableStream<Uint8Array> {
  const parser = new SseParser(opts);
  const encoder = new TextEncoder();
  const reader = body.getReader();
  let failure: unknown;
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      if (failure) return ctl.error(failure);
      for (;;) {
        let events: SseEvent[];
        let done: boolean;
        try {
          const read = await reader.read();
          done = read.done;
          events = realEvents(read.done ? parser.end() : parser.push(read.value));
        } catch (err) {
          return ctl.error(err);
        }
        const bad = events.findIndex((ev) => ev.data.trim() !== '[DONE]' && !isJson(ev.data));
        if (bad >= 0) {
          failure = new LlmError(invalidEventError(events[bad].data));
          events = events.slice(0, bad);
          void reader.cancel().catch(() => undefined);
        }
        // One chunk per event: the SDK joins its buffer with every chunk and slices it at every
        // event, so a read of many events in one chunk cost it time quadratic in their number
        // (2.7 s of the extension host's time in a 4,000-token answer when reads fell behind).
        if (events.length) {
          for (const ev of events) ctl.enqueue(encoder.encode(frame([ev])));
          return;
        }
        if (failure) return ctl.error(failure);
        if (done) return ctl.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
