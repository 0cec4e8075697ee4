// Hostile model output through the chat's Markdown half (markdown-it as render.ts sets it up, and
// the incremental block renderer), in plain Node: every payload of test/fixtures/hostile, whole and
// streamed in small pieces. The sanitizer and the DOM are tested in a real browser
// (hostileBrowser.test.ts); here the first layer must already be safe on its own.
import { strict as assert } from 'node:assert';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { isShownText } from '../../src/host/shownText';
import { isLinkable, openableUrl } from '../../src/shared/links';
import { IncrementalMarkdown } from '../../src/webview/incremental';
import { markdownToHtml } from '../../src/webview/render';
import { flat, hostileCorpus, streamPieces, type HostilePayload } from '../support/hostile';
import { synthText } from '../support/synth';

// What markdown-it makes with raw HTML off; the sanitizer's allowlist is this list too.
const TAGS = new Set(['a', 'blockquote', 'br', 'code', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 's',
  'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);
const ATTRS = new Set(['href', 'title', 'class', 'start']);
const TAG = /^<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/;

interface Found {
  tags: string[];
  hrefs: string[];
  text: string;
}

/**
 * Reads markdown-it's output, which escapes every `<`, `>`, `&` and `"` of the text it renders:
 * so each `<` starts one of its own tags, and `[^"]*` is a whole attribute value. Fails on
 * anything else (a tag it does not make, an attribute, a URL that is not allowed).
 */
function read(html: string, where: string): Found {
  const found: Found = { tags: [], hrefs: [], text: '' };
  let text = '';
  for (let i = 0; i < html.length;) {
    const lt = html.indexOf('<', i);
    text += html.slice(i, lt < 0 ? html.length : lt);
    if (lt < 0) break;
    const m = TAG.exec(html.slice(lt, lt + 2000));
    assert.ok(m, `${where}: markup that is not a plain tag at ${lt}: ${JSON.stringify(html.slice(lt, lt + 80))}`);
    const [whole, close, tag, attrs] = m;
    assert.ok(TAGS.has(tag), `${where}: <${tag}> is not allowed`);
    found.tags.push(close + tag);
    for (const [, name, value] of attrs.matchAll(/\s([a-z-]+)="([^"]*)"/g)) {
      assert.ok(ATTRS.has(name), `${where}: attribute ${name}="${value}" on <${tag}>`);
      if (name === 'href') {
        const href = value.replace(/&amp;/g, '&');
        assert.match(href, /^(https?|mailto):/i, `${where}: a link to ${href}`);
        found.hrefs.push(href);
      }
    }
    if (/^(br|p|li|h\d|blockquote|pre|tr|td|th|hr)$/.test(tag)) text += ' ';
    i = lt + whole.length;
  }
  found.text = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return found;
}

/** The answer is still shown: each `show` text, each expected link, enough characters. */
function checkShown(p: HostilePayload, found: Found, where: string): void {
  const text = flat(found.text);
  for (const s of p.show) assert.ok(text.includes(flat(s)), `${where}: ${JSON.stringify(s)} is not shown`);
  for (const link of p.links ?? []) assert.ok(found.hrefs.includes(link), `${where}: ${link} is not a link (links: ${found.hrefs.slice(0, 5).join(' ')})`);
  if (p.noLinks) assert.deepEqual(found.hrefs, [], `${where}: no link may be made`);
  if (p.minShown) assert.ok(text.length >= p.minShown, `${where}: ${text.length} characters shown, at least ${p.minShown} expected`);
}

/** Streams `text` through the incremental renderer as the chat does; returns the final HTML. */
function stream(text: string, seed: number): string {
  const md = new IncrementalMarkdown();
  let sofar = '';
  for (const piece of streamPieces(text, seed)) md.update((sofar += piece));
  md.update(sofar, true);
  return md.html.join('');
}

const corpus = hostileCorpus();

describe('hostile output: the Markdown renderer alone (test/fixtures/hostile)', () => {
  it('has a corpus of every kind the issue names', () => {
    assert.ok(corpus.length >= 40, `${corpus.length} payloads`);
    for (const p of corpus) assert.ok(p.show.length > 0 && p.text.length > 0, p.name);
  });

  for (const p of corpus) {
    it(`${p.name}: no markup or link of its own, and every part of it still shown (whole and streamed)`, () => {
      const started = performance.now();
      const whole = read(markdownToHtml(p.text), `${p.name} (whole)`);
      const ms = performance.now() - started;
      assert.ok(ms < 5000, `${p.name}: rendering took ${Math.round(ms)} ms`);
      checkShown(p, whole, `${p.name} (whole)`);
      // Each update renders the growing tail again: long answers are streamed once, in larger pieces.
      for (const seed of p.text.length > 4000 ? [1] : [1, 2]) {
        const streamed = read(stream(p.text, seed), `${p.name} (streamed, seed ${seed})`);
        checkShown(p, streamed, `${p.name} (streamed, seed ${seed})`);
        assert.equal(flat(streamed.text), flat(whole.text), `${p.name}: streamed in pieces, the answer reads as it does whole`);
      }
    });
  }
});

describe('hostile output: what the renderer found and what changed', () => {
  it('shows as text whatever it nests past its limit (5,000 `>`, 3,000 list markers)', () => {
    const quotes = read(markdownToHtml(`${'>'.repeat(5000)} the end`), 'quotes');
    assert.ok(quotes.tags.filter((t) => t === 'blockquote').length >= 10, 'the first levels are still quotes');
    assert.match(quotes.text, />{4000,} the end/, 'the rest is shown as text');
    const lists = read(markdownToHtml(`${'- '.repeat(3000)}the end`), 'lists');
    assert.ok(flat(lists.text).length > 2900, `${flat(lists.text).length} characters shown`);
    assert.match(lists.text, /the end/);
    // Many lines past the limit keep their line breaks.
    const lines = read(markdownToHtml(Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')), 'indented');
    for (let i = 0; i < 150; i++) assert.ok(lines.text.includes(`item ${i}`), `item ${i}`);
  });

  it('nests emphasis no deeper than blocks, and shows the markers past that as text', () => {
    const html = markdownToHtml(`${'*'.repeat(5000)}x${'*'.repeat(5000)}`);
    let depth = 0;
    let deepest = 0;
    for (const [, close] of html.matchAll(/<(\/?)(?:em|strong)>/g)) deepest = Math.max(deepest, (depth += close ? -1 : 1));
    assert.ok(deepest <= 20, `emphasis nested ${deepest} deep`);
    assert.match(read(html, 'emphasis').text, /\*{4000,}x\*{4000,}/);
    assert.match(markdownToHtml('**bold**, *em*, ~~gone~~'), /<strong>bold<\/strong>, <em>em<\/em>, <s>gone<\/s>/);
  });

  it('resolves references to definitions later in the answer, also streamed block by block', () => {
    const text = 'See [the docs][d] and ![logo][l].\n\nMore text.\n\n[d]: https://example.com/docs\n[l]: https://attacker.example/l.png\n';
    const md = new IncrementalMarkdown();
    const first = md.update('See [the docs][d] and ![logo][l].\n\nMore');
    assert.equal(first.added.length, 1);
    assert.match(first.added[0], /\[the docs\]\[d\]/, 'no definition yet: the text as written');
    md.update(text.slice(0, text.indexOf('[d]:')));
    const defined = md.update(`${text}\nAfter.`);
    assert.deepEqual(defined.changed.map((c) => c.index), [0], 'the first block is rendered again, only it');
    assert.match(defined.changed[0].html, /<a href="https:\/\/example.com\/docs">the docs<\/a>/);
    // The image is a link to it, never an image: nothing is fetched.
    assert.match(defined.changed[0].html, /<a href="https:\/\/attacker.example\/l.png" class="image-link"[^>]*>\[image: logo\]<\/a>/);
    assert.doesNotMatch(md.html.join(''), /<img/);
  });

  it('a long answer streamed block by block keeps about its own size, not a copy of the answer so far per block', () => {
    // V8's gc, for a heap figure without garbage (mocha runs without --expose-gc).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const text = synthText(20_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    const md = new IncrementalMarkdown();
    let shown = '';
    for (let at = 0; at < text.length; at += 400) {
      shown += text.slice(at, at + 400); // grows as the view's text does, a piece at a time
      md.update(shown);
    }
    md.update(shown, true);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(md.html.length > 100, 'many blocks');
    // Without detach: about 14 MB here (every block held the whole answer up to it).
    assert.ok(grown < 20 * text.length, `held ${(grown / 1e6).toFixed(1)} MB for an answer of ${(text.length / 1e3).toFixed(0)} KB`);
  });

  it('a definition still in the growing tail applies to the tail but is not kept', () => {
    const md = new IncrementalMarkdown();
    const a = md.update('[x]\n\n[x]: https://a.example/one');
    assert.match(a.tail ?? '', /^$|^\s*$/, 'a definition alone renders nothing');
    const b = md.update('[x]\n\n[x]: https://a.example/one-more\n\nnext');
    assert.match(b.changed[0]?.html ?? '', /href="https:\/\/a.example\/one-more"/, 'the finished definition, not the partial one');
  });

  it('aligns table columns with a class, never a style attribute (the CSP would refuse it)', () => {
    const html = markdownToHtml('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<th class="align-left">a<\/th>\n<th class="align-center">b<\/th>\n<th class="align-right">c<\/th>/);
    assert.match(html, /<td class="align-right">3<\/td>/);
  });

  it('makes links of http, https and mailto only, also through references, autolinks and linkify', () => {
    for (const url of ['javascript:alert(1)', 'command:workbench.action.files.save', 'vscode://settings', 'vscode-webview://x/y', 'file:///etc/passwd',
      'data:text/html,x', 'data:image/png;base64,AAAA', 'vbscript:x', 'ws://a.example', 'ftp://a.example/f', '//a.example/x', '/etc/passwd', 'rel/x', '#top']) {
      for (const md of [`[x](${url})`, `[x][r]\n\n[r]: ${url}`, `<${url}>`, `![x](${url})`]) {
        assert.doesNotMatch(markdownToHtml(md), /<a /, `${md} is not a link`);
      }
    }
    assert.match(markdownToHtml('[x](https://a.example/)'), /<a href="https:\/\/a.example\/">x<\/a>/);
    assert.match(markdownToHtml('<mailto:a@b.example>'), /<a href="mailto:a@b.example">/);
    assert.match(markdownToHtml('see https://a.example/x'), /<a href="https:\/\/a.example\/x">/);
    assert.equal(isLinkable('HTTPS://A.EXAMPLE'), true);
    assert.equal(isLinkable(' javascript:x'), false);
  });

  it('the host opens only absolute http and https URLs', () => {
    assert.equal(openableUrl('https://a.example/x?y=1#z')?.href, 'https://a.example/x?y=1#z');
    assert.equal(openableUrl('http://a.example')?.href, 'http://a.example/');
    for (const bad of ['mailto:a@b.example', 'command:x', 'vscode://x', 'file:///etc/passwd', 'javascript:alert(1)', '/x', 'x', '', 'https://user:pw@a.example/', 42, null, undefined]) {
      assert.equal(openableUrl(bad), undefined, String(bad));
    }
  });
});

describe('hostile output: the host checks what the view asks it to copy or insert', () => {
  const answer = 'Here:\n\n- a list\n\n  ```py\n  print("in a list")\n  ```\n\n> ```sh\n> echo quoted\n> ```\n\n    indented code\n\nDone.';

  it('accepts an answer, a part of one, or one of its code blocks as the view shows it', async () => {
    assert.equal(await isShownText(answer, [answer]), true);
    assert.equal(await isShownText('a list', ['other', answer]), true);
    assert.equal(await isShownText('print("in a list")\n', [answer]), true, 'a block in a list, without its indentation');
    assert.equal(await isShownText('echo quoted\n', [answer]), true, 'a block in a quote, without its `>`');
    assert.equal(await isShownText('indented code\n', [answer]), true);
  });

  it('refuses text that no answer shows', async () => {
    assert.equal(await isShownText('rm -rf ~', [answer]), false);
    assert.equal(await isShownText(`${answer}\nrm -rf ~`, [answer]), false);
    assert.equal(await isShownText('anything', []), false);
  });
});
