// A page for test/unit/hostileBrowser.test.ts: the chat view's own rendering (StreamingMarkdown:
// markdown-it, DOMPurify, highlight.js, the DOM) and link handling, on a page with no CSP, so
// anything the rendered answer would run or fetch shows (the test watches dialogs, errors and
// every request). Built for the browser by esbuild.js (--tests).
import { interceptLinks } from '../../src/webview/links';
import { StreamingMarkdown } from '../../src/webview/markdown';

/** What one rendered answer holds, as the test checks it. */
export interface RenderReport {
  /** The answer's visible text (innerText). */
  text: string;
  /** Elements, attributes and URLs that must not be there. */
  problems: string[];
  /** Every link's href. */
  hrefs: string[];
  /** What a click on each link asked the host to open. */
  opened: string[];
  /** What a user would not see: text pushed out of the column (the page loads media/chat.css). */
  outOfView: string[];
  /** The time to render it (whole), or to render every piece (streamed). */
  ms: number;
}

// The elements StreamingMarkdown and highlight.js make around what the sanitizer lets through.
const TAGS = new Set(['div', 'span', 'a', 'blockquote', 'br', 'code', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p',
  'pre', 's', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);
// data-highlighted: highlight.js marks a code block it has coloured.
const ATTRS = new Set(['class', 'href', 'title', 'start', 'data-highlighted']);

function inspect(root: HTMLElement): { problems: string[]; hrefs: string[] } {
  const problems: string[] = [];
  const hrefs: string[] = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.localName;
    if (!TAGS.has(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push(`element <${el.nodeName}>`);
    for (const attr of el.attributes) {
      if (!ATTRS.has(attr.name)) problems.push(`attribute ${attr.name}="${attr.value.slice(0, 80)}" on <${tag}>`);
    }
    if (tag === 'a') {
      const href = el.getAttribute('href') ?? '';
      hrefs.push(href);
      if (!/^(https?|mailto):/i.test(href)) problems.push(`link to ${href.slice(0, 80)}`);
    } else if (el.hasAttribute('href')) {
      problems.push(`href on <${tag}>`);
    }
  }
  return { problems, hrefs };
}

/** As a user sees it: the chat's column does not scroll sideways, and text nested past the limit is readable. */
function outOfView(scroller: HTMLElement): string[] {
  const out: string[] = [];
  if (scroller.scrollWidth > scroller.clientWidth + 1) out.push(`the column scrolls sideways (${scroller.scrollWidth} > ${scroller.clientWidth} px)`);
  const right = scroller.getBoundingClientRect().right;
  for (const el of scroller.querySelectorAll('.md-overflow')) {
    const r = el.getBoundingClientRect();
    if (r.width < 80 || r.right > right + 1) out.push(`text nested past the limit: ${Math.round(r.width)} px wide, from ${Math.round(r.left)} to ${Math.round(r.right)} px`);
  }
  return out;
}

function render(text: string, pieces: string[] | null): RenderReport {
  // The chat view's structure (webview/main.ts), in a page as wide as a side bar.
  const scroller = document.createElement('main');
  scroller.id = 'scroller';
  const list = document.createElement('div');
  list.id = 'messages';
  const article = document.createElement('article');
  article.className = 'message assistant';
  const body = document.createElement('div');
  body.className = 'content';
  article.append(body);
  list.append(article);
  scroller.append(list);
  document.body.replaceChildren(scroller);
  const opened: string[] = [];
  interceptLinks(list, (href) => opened.push(href));
  const started = performance.now();
  const md = new StreamingMarkdown(body);
  if (pieces) {
    let sofar = '';
    for (const piece of pieces) md.update((sofar += piece));
  } else {
    md.update(text); // as a finished answer arrives in a snapshot
  }
  md.finish();
  const ms = performance.now() - started;
  const { problems, hrefs } = inspect(body);
  const hidden = outOfView(scroller);
  // A click on a link must neither navigate nor reach anything but the handler.
  for (const a of [...body.querySelectorAll('a')].slice(0, 40)) a.click();
  return { text: body.innerText, problems, hrefs, opened, outOfView: hidden, ms };
}

/** What the view shows, for comparing two renders: trailing spaces in a text node do not show. */
const shown = (el: HTMLElement) => el.innerHTML.replace(/[ \t]+</g, '<');

/**
 * Streams `pieces` as the chat does (append: plain words go into the DOM in place) and, beside it,
 * renders the answer so far at every piece (update: each time through markdown-it, DOMPurify and
 * morphdom); after every piece and after finish() the two must show the same.
 */
function streamed(pieces: string[]): { mismatches: string[]; inPlace: number } {
  const body = document.createElement('div');
  const whole = document.createElement('div');
  document.body.replaceChildren(body, whole);
  const md = new StreamingMarkdown(body);
  const reference = new StreamingMarkdown(whole);
  const mismatches: string[] = [];
  let sofar = '';
  const compare = () => {
    const [a, b] = [shown(body), shown(whole)];
    if (a === b || mismatches.length >= 3) return;
    let at = 0;
    while (a[at] === b[at]) at++;
    mismatches.push(`after ${JSON.stringify(sofar.slice(-40))}:\n  shown ${JSON.stringify(a.slice(Math.max(0, at - 80), at + 80))}\n  whole ${JSON.stringify(b.slice(Math.max(0, at - 80), at + 80))}`);
  };
  for (const piece of pieces) {
    md.append(piece);
    reference.update((sofar += piece));
    compare();
  }
  md.finish();
  reference.finish();
  compare();
  return { mismatches, inPlace: md.inPlace };
}

(window as unknown as { hostile: { render: typeof render; streamed: typeof streamed } }).hostile = { render, streamed };
