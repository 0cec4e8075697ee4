/**
 * Code-aware insertion, as the answer streams: the fences of an answer that is one fenced code
 * block are left out (the document is not Markdown), and lines after the first take the
 * indentation of the insertion point. Text is held back only while it may still be a fence, so
 * the document stays as close behind the stream as the raw text would.
 *
 * If the answer turns out not to be one block (text follows the closing fence), the fences come
 * back: the closing one is written in its place, the opening one is handed to `onNotOneBlock` to
 * be put back at the start. Nothing the model wrote is lost either way.
 */
export interface ShapeOptions {
  /** Leave out the fences of an answer that is one fenced code block. */
  unfence: boolean;
  /** Put before each non-empty line after the first. */
  indent: string;
  /** The answer was not one block after all: `opening` (the fence line) belongs back at the start. */
  onNotOneBlock?(opening: string): void;
}

type State = 'start' | 'plain' | 'code' | 'after';

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})([^\n`]*)\n/;

export class AnswerShaper {
  private state: State;
  /** Received, not yet decided (start) or after the closing fence (after). */
  private buf = '';
  /** Inside a line (false at the start of one). */
  private midLine = true;
  /** A newline not yet written: it may be the one before the closing fence. */
  private pendingNl = false;
  /** The start of the current line while it may still be the closing fence. */
  private cand = '';
  private fence = '';
  private opening = '';
  private closing = '';
  /** The language named on the opening fence (an answer that is one fenced block). */
  language: string | undefined;

  constructor(private readonly opts: ShapeOptions) {
    this.state = opts.unfence ? 'start' : 'plain';
  }

  /** True once it is known whether the answer is a fenced block (text may then flow). */
  get decided(): boolean {
    return this.state !== 'start';
  }

  /** The text to write for the next piece of the answer. */
  push(text: string): string {
    // Lines end in \n here (the editor writes the document's own EOL); a \r at the end of a piece
    // waits for the next one.
    text = this.cr + text;
    this.cr = text.endsWith('\r') ? '\r' : '';
    if (this.cr) text = text.slice(0, -1);
    return this.shape(text.replace(/\r\n/g, '\n'));
  }

  private cr = '';

  private shape(text: string): string {
    if (!text) return '';
    switch (this.state) {
      case 'plain': return this.plain(text);
      case 'code': return this.code(text);
      case 'after': return this.after(text);
      case 'start': return this.start(text);
    }
  }

  /** Everything held back (the answer ended or was cut); the state is kept for a continuation. */
  flush(): string {
    const cr = this.cr;
    this.cr = '';
    return this.shape(cr) + this.release();
  }

  private release(): string {
    if (this.state === 'start') {
      const text = this.buf;
      this.buf = '';
      this.state = 'plain';
      return this.plain(text);
    }
    if (this.state === 'code') {
      if (!this.midLine && isClosingFence(this.cand, this.fence)) {
        this.state = 'after';
        this.pendingNl = false;
        this.cand = '';
        return '';
      }
      let out = this.pendingNl ? '\n' : '';
      if (this.cand) {
        out += this.indentOf() + this.cand;
        this.midLine = true;
      }
      this.pendingNl = false;
      this.cand = '';
      return out;
    }
    return ''; // after: whitespace after the closing fence is dropped
  }

  private start(text: string): string {
    this.buf += text;
    const head = this.buf.trimStart();
    if (!head) return '';
    const fenceChar = head[0];
    if (fenceChar !== '`' && fenceChar !== '~') return this.becomePlain();
    const run = /^(`+|~+)/.exec(head)![0];
    if (run.length < 3 && run.length < head.length) return this.becomePlain();
    const m = FENCE_OPEN.exec(this.buf.replace(/^\s*\n/, ''));
    if (!m) {
      // Still the opening fence line (or too short to tell).
      if (run.length >= 3 && /[`]/.test(head.slice(run.length).split('\n')[0]) && fenceChar === '`') return this.becomePlain();
      return '';
    }
    this.state = 'code';
    this.fence = m[2];
    this.language = m[3].trim().split(/\s+/)[0] || undefined;
    this.opening = this.buf.slice(0, this.buf.indexOf(m[0]) + m[0].length);
    const rest = this.buf.slice(this.opening.length);
    this.buf = '';
    this.midLine = false;
    this.firstLine = true;
    return this.code(rest);
  }

  private becomePlain(): string {
    const text = this.buf;
    this.buf = '';
    this.state = 'plain';
    return this.plain(text);
  }

  /** The first line gets no indentation (it starts at the insertion point). */
  private firstLine = true;

  private plain(text: string): string {
    if (!this.opts.indent) return text;
    let out = '';
    for (const ch of text) {
      if (ch === '\n') {
        out += ch;
        this.firstLine = false;
        this.midLine = false;
        continue;
      }
      if (!this.midLine && !this.firstLine) out += this.opts.indent;
      this.midLine = true;
      out += ch;
    }
    return out;
  }

  private code(text: string): string {
    let out = '';
    let i = 0;
    for (; i < text.length && this.state === 'code'; i++) {
      const ch = text[i];
      if (this.midLine) {
        if (ch === '\n') {
          this.pendingNl = true;
          this.midLine = false;
          this.cand = '';
          this.firstLine = false;
        } else out += ch;
        continue;
      }
      // At the start of a line: hold it while it may be the closing fence.
      if (ch === '\n') {
        const line = this.cand;
        if (isClosingFence(line, this.fence)) {
          this.state = 'after';
          this.closing = line;
          this.pendingNl = false;
          this.cand = '';
          break;
        }
        out += (this.pendingNl ? '\n' : '') + (line ? this.indentOf() + line : '');
        this.pendingNl = true;
        this.cand = '';
        this.firstLine = false;
        continue;
      }
      this.cand += ch;
      if (!mayBeFence(this.cand, this.fence)) {
        out += (this.pendingNl ? '\n' : '') + this.indentOf() + this.cand;
        this.pendingNl = false;
        this.cand = '';
        this.midLine = true;
      }
    }
    if (this.state === 'after') out += this.after(text.slice(i + 1));
    return out;
  }

  private indentOf(): string {
    return this.firstLine ? '' : this.opts.indent;
  }

  private after(text: string): string {
    if (!text) return '';
    this.buf += text;
    if (!this.buf.trim()) return '';
    // Text after the closing fence: the answer is not one block. The fences come back.
    const rest = this.buf;
    this.buf = '';
    this.state = 'plain';
    this.language = undefined;
    this.opts.onNotOneBlock?.(this.opening);
    this.midLine = false;
    return this.plain(`\n${this.closing}\n${rest}`);
  }
}

function mayBeFence(line: string, fence: string): boolean {
  const t = line.replace(/^[ \t]*/, '');
  if (!t) return true;
  const run = /^[`~]*/.exec(t)![0];
  if (run.length < t.length) return run.length >= fence.length && /^[ \t]*$/.test(t.slice(run.length)) && [...run].every((c) => c === fence[0]);
  return [...run].every((c) => c === fence[0]);
}

function isClosingFence(line: string, fence: string): boolean {
  const m = /^[ \t]*(`+|~+)[ \t]*$/.exec(line);
  return !!m && m[1][0] === fence[0] && m[1].length >= fence.length;
}
