// A push parser for Server-Sent Events (WHATWG HTML §9.2): bytes in any chunking → events.
// Streaming UTF-8 decoding (a leading BOM is dropped), CR / LF / CRLF line ends (also split
// across chunks), comments, `id` persistence, `retry`, and a deliberate end-of-file policy.

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
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /**
   * The current line's text so far, as the pieces it arrived in: joined once, when its line end
   * comes. Only new text is ever scanned, so one long line fed in small chunks costs linear time.
   */
  private pending: string[] = [];
  private skipLeadingLf = false;
  private data: string[] = [];
  private eventType = '';
  private lastId = '';
  /** The last valid `retry:` value, in ms. */
  retryMs: number | undefined;

  constructor(private readonly opts: SseParserOptions = {}) {}

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
    if (start < text.length) this.pending.push(start ? text.slice(start) : text);
    return out;
  }

  /** End of stream: a last unterminated line is processed; a pending event follows `flushAtEof`. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    const rest = this.take(this.decoder.decode());
    if (rest) this.line(rest, out);
    if (this.opts.flushAtEof && this.data.length) this.line('', out);
    this.data = [];
    this.eventType = '';
    return out;
  }

  /** The pending pieces followed by `tail`, as one string; clears the pending line. */
  private take(tail: string): string {
    if (!this.pending.length) return tail;
    if (tail) this.pending.push(tail);
    const whole = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    return whole;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length || (this.opts.namedWithoutData && this.eventType)) {
        out.push({ event: this.eventType || 'message', data: this.data.join('\n'), id: this.lastId });
      }
      this.data = [];
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
      case 'data': this.data.push(value); break;
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

/**
 * Re-frames an SSE byte stream as clean events (`event:` + `data:` lines + blank line), leaving out
 * empty and keep-alive payloads, so a strict consumer such as the openai SDK sees only real events.
 * An unterminated last event is dropped, as the spec says.
 */
export function cleanSseStream(): TransformStream<Uint8Array, Uint8Array> {
  const parser = new SseParser();
  const encoder = new TextEncoder();
  const frame = (events: SseEvent[]) => {
    let out = '';
    for (const ev of events) {
      if (isEmptyPayload(ev.data)) continue;
      if (ev.event !== 'message') out += `event: ${ev.event}\n`;
      out += `data: ${ev.data.replace(/\n/g, '\ndata: ')}\n\n`;
    }
    return out;
  };
  return new TransformStream({
    transform(chunk, ctl) {
      const out = frame(parser.push(chunk));
      if (out) ctl.enqueue(encoder.encode(out));
    },
    flush(ctl) {
      const out = frame(parser.end());
      if (out) ctl.enqueue(encoder.encode(out));
    },
  });
}
