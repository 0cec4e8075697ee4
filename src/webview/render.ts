// Model output → HTML, the Markdown half of the chat's rendering (DOMPurify is the other half, in
// markdown.ts). DOM-free, so it runs in Node under mocha. Model output is untrusted: raw HTML is
// off, links may only be http, https or mailto, images never load (they become links), and text
// nested deeper than the parser follows is still shown, as text.
import MarkdownIt from 'markdown-it';
import { isLinkable } from '../shared/links';
import { l10n } from './l10n';

/** Link reference definitions, as markdown-it keeps them in `env.references` (keys normalized). */
export type References = Record<string, { href: string; title: string }>;

// maxNesting 20 (markdown-it's CommonMark preset; its default is 100): nine levels of lists or
// nineteen of quotes is more than answers use, and what is deeper stays in the chat's column.
const md = new MarkdownIt({ html: false, linkify: true, breaks: false, maxNesting: 20 });

// One allowlist for every way a link is made (inline, reference, autolink, linkify): a link the
// list refuses stays text. `command:`, `vscode:`, `file:`, `javascript:`, `data:`, relative and
// protocol-relative URLs never become links, whatever the sanitizer after us would do.
md.validateLink = (url: string) => isLinkable(url);

// No remote images: an image becomes a link to it (which the user may choose to open) or, when
// the link is not allowed, stays its Markdown text (markdown-it refuses it before this rule).
md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx];
  const src = String(t.attrGet('src') ?? '');
  const label = md.utils.escapeHtml(l10n.t('[image: {0}]', t.content || l10n.t('image')));
  const href = md.utils.escapeHtml(src);
  return `<a href="${href}" class="image-link" title="${href}">${label}</a>`;
};

// markdown-it stops at `maxNesting` levels and drops the rest of that container (5,000 nested `>`
// used to show 199 characters). Past the limit, the rest of the container is shown as text, one
// paragraph with its line breaks (media/chat.css lets it wrap anywhere).
const tokenize = md.block.tokenize.bind(md.block);
md.block.tokenize = (state: MarkdownIt.StateBlock, startLine: number, endLine: number) => {
  if (state.level < state.md.options.maxNesting) return tokenize(state, startLine, endLine);
  const line = state.skipEmptyLines(startLine);
  state.line = line;
  if (line >= endLine || state.sCount[line] < state.blkIndent) return;
  const token = state.push('nesting_overflow', '', 0);
  token.content = state.getLines(line, endLine, state.blkIndent, false);
  token.map = [line, endLine];
  state.line = endLine;
};
md.renderer.rules.nesting_overflow = (tokens, idx) =>
  `<p class="md-overflow">${tokens[idx].content.split('\n').map((l) => md.utils.escapeHtml(l)).join('<br>\n')}</p>\n`;

// Emphasis has no such limit (`*` × 5,000, `x`, `*` × 5,000 nests 2,500 levels): past the same
// depth its markers are shown as text, which keeps the DOM shallow (Chromium's parser restructures
// past 512 levels, and the sanitizer and layout slowed to about a second per render).
md.core.ruler.push('flatten_deep_inline', (state) => {
  const max = state.md.options.maxNesting;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    let depth = 0;
    for (const t of block.children) {
      if (t.nesting === 0) continue;
      const opens = t.nesting === 1;
      if (opens) depth++;
      if (depth > max) {
        // Emphasis and strikethrough show their markers; anything else (a link in them) its text.
        t.content = /^(em|strong|s)_/.test(t.type) ? t.markup : '';
        t.type = 'text';
        t.tag = '';
        t.attrs = null;
        t.nesting = 0;
      }
      if (!opens) depth--;
    }
  }
});

// A table column's alignment becomes a class (media/chat.css): markdown-it writes a style
// attribute, which the CSP refuses (a violation on every render) and the sanitizer drops.
md.core.ruler.push('align_class', (state) => {
  for (const t of state.tokens) {
    if (t.type !== 'th_open' && t.type !== 'td_open') continue;
    const align = /^text-align:(left|right|center)$/.exec(String(t.attrGet('style') ?? ''))?.[1];
    t.attrs = t.attrs?.filter(([name]) => name !== 'style') ?? null;
    if (align) t.attrJoin('class', `align-${align}`);
  }
});

/**
 * Renders `text` (a whole answer, or one finished block of it). `references` holds the link
 * definitions known so far and receives the ones `text` defines (the first definition of a label
 * wins, as in CommonMark); without it, only `text`'s own definitions apply.
 */
export function markdownToHtml(text: string, references: References = {}): string {
  return md.render(text, { references });
}

/** The label a reference definition or reference link would be filed under. */
export function referenceLabel(raw: string): string {
  return md.utils.normalizeReference(raw);
}

// A link label: up to 999 characters, no unescaped brackets (CommonMark).
const LABEL = /\[((?:[^[\]\\]|\\[\s\S]){1,999})\]/g;

/**
 * Every label `text` could refer to (`[text][label]`, `[label][]`, `[label]`, and the image forms),
 * normalized: a superset, since it does not parse. A block is rendered again when a definition
 * of one of these arrives later in the answer.
 */
export function referenceCandidates(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(LABEL)) {
    const label = referenceLabel(m[1]);
    if (label) out.add(label);
  }
  return out;
}
