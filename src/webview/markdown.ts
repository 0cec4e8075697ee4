// The chat's Markdown in the DOM: incremental.ts says which finished blocks a streaming answer
// has and what changed; each finished block gets its own element, rendered once (again only when
// a link definition later in the answer resolves one of its references), and only the growing
// tail is re-rendered each frame. Markdown → HTML is render.ts (markdown-it, raw HTML off); every
// piece of HTML then goes through DOMPurify.
import DOMPurify from 'dompurify';
import morphdom from 'morphdom';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import cpp from 'highlight.js/lib/languages/cpp';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import yaml from 'highlight.js/lib/languages/yaml';
import { IncrementalMarkdown } from './incremental';
import { markdownToHtml, type References } from './render';

for (const [name, lang] of Object.entries({ bash, cpp, go, java, javascript, json, markdown, python, rust, sql, typescript, yaml })) {
  hljs.registerLanguage(name, lang);
}
hljs.registerAliases(['sh', 'shell', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx', 'mjs'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['c', 'c++', 'h', 'hpp'], { languageName: 'cpp' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });
hljs.registerAliases(['md'], { languageName: 'markdown' });
hljs.registerAliases(['rs'], { languageName: 'rust' });

// The second layer: only the elements and attributes render.ts makes, and only http, https and
// mailto URLs, whatever got past the first.
const PURIFY = {
  ALLOWED_TAGS: ['a', 'blockquote', 'br', 'code', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 's',
    'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul'],
  ALLOWED_ATTR: ['href', 'title', 'class', 'start'],
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

/**
 * `html` (render.ts's) sanitized, as nodes: the sanitizer parses it into a DOM anyway, and handing
 * that over saves serializing it and parsing it again for innerHTML on every frame.
 */
function sanitized(html: string): DocumentFragment {
  return DOMPurify.sanitize(html) as unknown as DocumentFragment;
}
// Set once: a config passed to each sanitize() call is parsed again on every call (every frame
// that renders).
DOMPurify.setConfig({ ...PURIFY, RETURN_DOM_FRAGMENT: true });

/** A code element's fence info string (markdown-it's `language-…` class), if it had one. */
export function fenceOf(code: Element): string | undefined {
  return /language-([\w+#-]+)/.exec(code.className)?.[1];
}

function highlight(root: HTMLElement): void {
  for (const code of root.querySelectorAll<HTMLElement>('pre > code[class*="language-"]')) {
    const lang = fenceOf(code);
    if (lang && hljs.getLanguage(lang)) hljs.highlightElement(code);
  }
}

/**
 * Text that no Markdown or linkify rule reads in the middle of a line: letters, digits, spaces,
 * CJK and emoji, and the punctuation with no meaning there (no `*_\`[]()<>&;:@/\\|~#`). A `.`
 * followed by more than a space can make a link (`example.com`): see appendInPlace.
 */
const PLAIN = /^[\p{L}\p{M}\p{N}\p{Zs}\p{Pi}\p{Pf}\p{Pd},.?!'"+=%$^\u2026\u3000-\u303f\uff01-\uff5e\p{Extended_Pictographic}\u200d\ufe0f]+$/u;
/** Elements whose last text node may grow in place. */
const INLINE_OK = new Set(['P', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TD', 'TH', 'STRONG', 'EM', 'S', 'BLOCKQUOTE', 'UL', 'OL', 'TABLE', 'TBODY', 'THEAD', 'TR']);

/** The last text node in `el` that is not the line break the renderer puts between elements. */
function lastText(el: Node): Text | undefined {
  let node = el.lastChild;
  while (node) {
    if (node instanceof Text && node.data.trim()) return node;
    if (node instanceof Text) node = node.previousSibling;
    else if (node.lastChild) node = node.lastChild;
    else return undefined; // an empty element (<br>, <hr>) ends it
  }
  return undefined;
}

/** Finished blocks to a chunk (see chunkFor). */
const CHUNK = 32;

export class StreamingMarkdown {
  private readonly blocks: HTMLElement[] = [];
  private readonly tail: HTMLElement;
  // Unsanitized HTML here (compared to tell what changed); sanitized on its way into the DOM.
  private readonly md = new IncrementalMarkdown(markdownToHtml);
  /** How many deltas went into the DOM in place (appendInPlace), with no render. */
  inPlace = 0;

  constructor(private readonly container: HTMLElement, private readonly onBlock?: (block: HTMLElement) => void) {
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    container.appendChild(this.tail);
  }

  /** Renders the answer so far; `final` turns the tail into a finished block too. */
  update(text: string, final = false): void {
    const { added, changed, tail } = this.md.update(text, final);
    for (const { index, html } of changed) this.fill(this.blocks[index], html);
    for (const html of added) {
      const block = document.createElement('div');
      block.className = 'md-block';
      this.chunkFor().appendChild(block);
      this.blocks.push(block);
      this.fill(block, html);
    }
    if (tail !== undefined) this.morphTail(tail);
  }

  /**
   * Where the next finished block goes: finished blocks are grouped CHUNK to a wrapper. Each frame
   * lays out the growing tail and then every child of the answer's container again; with blocks
   * straight in it, a 50,000-token answer's thousands of them made that walk longer every frame.
   */
  private chunkFor(): HTMLElement {
    if (!this.chunk || this.chunk.childElementCount >= CHUNK) {
      this.chunk = document.createElement('div');
      this.chunk.className = 'md-chunk';
      this.container.insertBefore(this.chunk, this.tail);
    }
    return this.chunk;
  }

  private chunk: HTMLElement | undefined;

  /**
   * The tail changes by what arrived since the last frame: morphed into its new form, the elements
   * it had stay (and keep their computed style and layout); mostly one text node grows. Setting
   * innerHTML made every element of the tail new on every frame, styled and laid out from scratch.
   */
  private morphTail(html: string): void {
    const next = document.createElement('div');
    next.append(sanitized(html));
    morphdom(this.tail, next, { childrenOnly: true });
  }

  /** The answer grew by `delta`: rendered as update() would, in place when it is plain words. */
  append(delta: string): void {
    if (!this.appendInPlace(delta) && !this.appendInCode(delta)) this.update(this.md.value + delta);
  }

  /**
   * Inside a fenced code block that is still open at the end of the answer, the block's text is the
   * source after the fence line, as it is (markdown-it's rendering of an unclosed fence): a delta
   * goes onto the code's text node, with no render. Only when nothing can change that:
   * - the block is the tail's last element, straight in it (not in a list or a quote, whose
   *   indentation or `>` the render takes off each line), one text node in its `<code>`;
   * - the source ends with that text, right after a fence line that starts its line (no indentation);
   * - no line the delta starts or continues begins with a backtick or tilde (it may close the
   *   fence), and no `\r` or NUL (the renderer normalizes them).
   */
  private appendInCode(delta: string): boolean {
    const pre = this.tail.lastElementChild;
    const code = pre?.tagName === 'PRE' && pre.childNodes.length === 1 ? pre.firstChild : null;
    const leaf = code instanceof HTMLElement && code.tagName === 'CODE' && code.childNodes.length === 1 ? code.firstChild : null;
    if (!(leaf instanceof Text) || /[\r\0]/.test(delta)) return false;
    // The block's text against the answer's end is checked once per run of in-place deltas, not on
    // every frame (it copies and compares the whole block): the run goes on while the text node is
    // the one this method last grew and nothing else has joined the answer since.
    let lastLine = this.codeRun?.leaf === leaf && this.codeRun.length === this.md.value.length ? this.codeRun.lastLine : undefined;
    if (lastLine === undefined) {
      const text = this.md.value;
      const start = text.length - leaf.data.length;
      if (start <= this.md.tailStart || text.slice(start) !== leaf.data || text[start - 1] !== '\n') return false;
      const lineStart = text.lastIndexOf('\n', start - 2) + 1;
      if (lineStart < this.md.tailStart || !/^(`{3,}|~{3,})/.test(text.slice(lineStart, start - 1))) return false;
      lastLine = leaf.data.slice(leaf.data.lastIndexOf('\n') + 1);
    }
    const lines = (lastLine + delta).split('\n');
    if (lines.some((l) => /^\s*[`~]/.test(l))) return false;
    leaf.appendData(delta);
    this.md.appendUnrendered(delta);
    this.inPlace++;
    this.codeRun = { leaf, length: this.md.value.length, lastLine: lines[lines.length - 1] };
    return true;
  }

  /** The code text node appendInCode last grew, the answer's length after it, and the block's last line. */
  private codeRun: { leaf: Text; length: number; lastLine: string } | undefined;

  /**
   * Plain words (PLAIN: nothing Markdown or linkify reads in the middle of a line) that
   * continue the text the tail's last element ends with are added to its last text node, with no
   * Markdown render, sanitizing or morph for this frame: the render of the longer tail would
   * differ from the shorter one's only there. Where that cannot be told, the tail is rendered.
   * - The answer so far ends with that text node's text: the node is the source's end (not the
   *   inside of `**bold**`, or text whose trailing spaces or entities the render changed).
   * - The line has a letter already: before it, `2` + `.` can still make a list item, `-` + `-`
   *   a heading's underline. A quote on a line with a `[` may close a link's title.
   * - Not in a link or code; the word it continues has no `:@/`, and no `.` in it or in the delta
   *   is followed by more than a space: linkify would read `example.c` + `om` as a link.
   */
  private appendInPlace(delta: string): boolean {
    const text = this.md.value;
    if (!PLAIN.test(delta) || !text || /\s/.test(text[text.length - 1])) return false;
    const leaf = lastText(this.tail);
    if (!leaf || leaf.data.length > text.length - this.md.tailStart || !text.endsWith(leaf.data)) return false;
    for (let el = leaf.parentElement; el && el !== this.tail; el = el.parentElement) if (!INLINE_OK.has(el.tagName)) return false;
    const line = text.slice(text.lastIndexOf('\n') + 1);
    if (!/\p{L}/u.test(line) || (/['"]/.test(delta) && line.includes('['))) return false;
    if (/[:@/\\]|\.(?=\S)/.test(/\S*$/.exec(text.slice(-64))![0] + delta)) return false;
    leaf.appendData(delta);
    this.md.appendUnrendered(delta);
    this.inPlace++;
    return true;
  }

  finish(): void {
    this.update(this.md.value, true);
  }

  get value(): string {
    return this.md.value;
  }

  private fill(block: HTMLElement, html: string): void {
    block.replaceChildren(sanitized(html));
    highlight(block);
    this.onBlock?.(block);
  }
}
