// Incremental Markdown for a streaming answer: finished blocks are rendered once into their own
// element and never touched again; only the growing tail is re-rendered each frame. Rendering
// is markdown-it (raw HTML off) and every piece of HTML goes through DOMPurify.
import DOMPurify from 'dompurify';
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
import MarkdownIt from 'markdown-it';
import { scanBlocks } from './blocks';

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

const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
// No remote images: an image becomes a link to it, which the user can choose to open.
md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx];
  const src = String(t.attrGet('src') ?? '');
  const alt = String(t.content || 'image');
  return `<a href="${md.utils.escapeHtml(src)}" class="image-link" title="${md.utils.escapeHtml(src)}">[image: ${md.utils.escapeHtml(alt)}]</a>`;
};

const PURIFY = { FORBID_TAGS: ['img', 'style', 'iframe', 'form', 'input', 'video', 'audio', 'svg'], FORBID_ATTR: ['style'] };

export function renderMarkdown(text: string): string {
  return DOMPurify.sanitize(md.render(text), PURIFY) as unknown as string;
}

function highlight(root: HTMLElement): void {
  for (const code of root.querySelectorAll<HTMLElement>('pre > code[class*="language-"]')) {
    const lang = /language-([\w+#-]+)/.exec(code.className)?.[1];
    if (lang && hljs.getLanguage(lang)) hljs.highlightElement(code);
  }
}

export class StreamingMarkdown {
  private text = '';
  private stable = 0;
  private tailHtml = '';
  private readonly tail: HTMLElement;

  constructor(private readonly container: HTMLElement, private readonly onBlock?: (block: HTMLElement) => void) {
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    container.appendChild(this.tail);
  }

  /** Renders the answer so far; `final` turns the tail into a finished block too. */
  update(text: string, final = false): void {
    this.text = text;
    const cut = final ? text.length : scanBlocks(text, this.stable).stable;
    if (cut > this.stable) {
      const block = document.createElement('div');
      block.className = 'md-block';
      block.innerHTML = renderMarkdown(text.slice(this.stable, cut));
      highlight(block);
      this.container.insertBefore(block, this.tail);
      this.stable = cut;
      this.onBlock?.(block);
    }
    const tailHtml = this.stable < text.length ? renderMarkdown(text.slice(this.stable)) : '';
    if (tailHtml !== this.tailHtml) {
      this.tail.innerHTML = tailHtml;
      this.tailHtml = tailHtml;
    }
  }

  append(delta: string): void {
    this.update(this.text + delta);
  }

  finish(): void {
    this.update(this.text, true);
  }

  get value(): string {
    return this.text;
  }
}
