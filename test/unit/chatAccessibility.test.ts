// The chat view's whole webview bundle (dist/webview.js) in a real browser (Debian's Chromium
// through playwright-core), fed host messages as the extension would post them, with the chat's
// stylesheet: what a screen reader hears (each finished answer once, never the tokens), what the
// keyboard reaches (every action by Tab, a visible focus ring, real buttons with names), and the
// reasoning's own duration, live and after a reload.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { HostMessage, UiMessage, UiStats, WebviewMessage } from '../../src/shared/protocol';

const CHROMIUM = process.env.ASKLLM_CHROMIUM ?? '/usr/bin/chromium';
const ORIGIN = 'http://chat.invalid';
/** The theme's focus colour in this page (as VS Code sets --vscode-focusBorder). */
const FOCUS = 'rgb(0, 120, 212)';

function root(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>chat</title>
<link rel="stylesheet" href="/chat.css">
<style>:root { --vscode-font-size: 13px; --vscode-font-family: sans-serif; --vscode-editor-font-family: monospace; --vscode-editor-font-size: 13px;
  --vscode-focusBorder: ${FOCUS}; --vscode-foreground: #cccccc; --vscode-sideBar-background: #181818; --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; }</style>
</head><body><div id="app"></div>
<script>
  window.posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => undefined, setState: () => undefined });
</script>
<script src="/webview.js"></script></body></html>`;

const provider = { id: 'p', label: 'Replay', model: 'm-1', kind: 'openai', isDemo: false };
const stats = (extra: Partial<UiStats> = {}): UiStats => ({ provider: 'p', model: 'm-1', firstTokenMs: 120, durationMs: 900, outputTokens: 40, tokensEstimated: false, tokensPerSecond: 50, ...extra });
const ANSWER = 'Streaming **cuts** the wait.\n\n```ts\nconst a = 1;\n```\n\nThat is all.';

describe('chat view in a real browser: screen readers, the keyboard, reasoning', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (Debian's chromium package; ASKLLM_CHROMIUM names another)`);
    const bundle = path.join(root(), 'dist/webview.js');
    assert.ok(fs.existsSync(bundle), 'dist/webview.js is missing: build with `node esbuild.js`');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 360, height: 520 } });
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === `${ORIGIN}/`) return route.fulfill({ contentType: 'text/html', body: PAGE });
      if (url === `${ORIGIN}/chat.css`) return route.fulfill({ contentType: 'text/css', body: fs.readFileSync(path.join(root(), 'media/chat.css'), 'utf8') });
      if (url === `${ORIGIN}/webview.js`) return route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(bundle, 'utf8') });
      return route.abort();
    });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  /** A fresh view that has said `ready`, showing `messages`. */
  async function load(messages: UiMessage[] = [], streaming = false): Promise<void> {
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => (window as unknown as { posted: WebviewMessage[] }).posted.some((m) => m.type === 'ready'));
    await post({ type: 'snapshot', messages, provider, streaming });
  }

  async function post(...messages: HostMessage[]): Promise<void> {
    await page.evaluate((ms) => { for (const m of ms) window.postMessage(m, '*'); }, messages);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  }

  const posted = () => page.evaluate(() => (window as unknown as { posted: WebviewMessage[] }).posted);
  /** Everything the live region said since `watchAnnouncer` (each non-empty text it was given). */
  const announced = () => page.evaluate(() => (window as unknown as { said: string[] }).said);
  async function watchAnnouncer(): Promise<void> {
    await page.evaluate(() => {
      const w = window as unknown as { said: string[] };
      w.said = [];
      const el = document.getElementById('announcer')!;
      new MutationObserver(() => { if (el.textContent) w.said.push(el.textContent); }).observe(el, { childList: true, characterData: true, subtree: true });
    });
  }

  interface Stop { key: string; tag: string; name: string; shown: string; ring: string; role: string | null; opacity: number }
  /** Tab from the top of the page until focus comes round again: what each stop is and how it looks. */
  async function tabWalk(): Promise<Stop[]> {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const out: Stop[] = [];
    for (let i = 0; i < 100; i++) {
      await page.keyboard.press('Tab');
      const s = await page.evaluate((): Stop | undefined => {
        const el = document.activeElement as HTMLElement;
        if (!el || el === document.body) return undefined;
        const css = getComputedStyle(el);
        const shown = (el.textContent ?? '').trim();
        return {
          key: el.id ? `#${el.id}` : el.dataset.action ? `[data-action=${el.dataset.action}]` : `${el.localName}.${[...el.classList].join('.')}${el.closest('.code-actions') ? '(code)' : ''}`,
          tag: el.localName,
          name: el.getAttribute('aria-label') ?? (el.localName === 'textarea' ? '' : shown),
          shown: el.localName === 'button' ? shown : '',
          ring: css.outlineStyle === 'none' || css.outlineWidth === '0px' ? 'none' : css.outlineColor,
          role: el.getAttribute('role'),
          opacity: (() => {
            let o = 1;
            for (let e: HTMLElement | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
            return o;
          })(),
        };
      });
      if (!s) continue;
      if (out.length && s.key === out[0].key && s.name === out[0].name) break;
      out.push(s);
    }
    return out;
  }

  it('screen readers hear a finished answer once, as it reads, not each token; the conversation is not a live region', async () => {
    await load();
    await watchAnnouncer();
    await post({ type: 'messageAdded', message: { id: 'q', role: 'user', text: 'Why stream?', status: 'done' } },
      { type: 'messageAdded', message: { id: 'a', role: 'assistant', text: '', status: 'streaming', model: 'Replay · m-1' } });
    const pieces = ANSWER.match(/[\s\S]{1,3}/g)!;
    for (const [i, text] of pieces.entries()) await post({ type: 'delta', id: 'a', text, ...(i % 10 === 0 ? { stats: stats({ durationMs: i * 10 }) } : {}) });
    await page.waitForTimeout(300);
    assert.deepEqual(await announced(), [], 'nothing is read out while the answer streams');
    // Only the announcer is live, and nothing live holds the conversation.
    const live = await page.evaluate(() => [...document.querySelectorAll('[aria-live], [role="log"], [role="status"], [role="alert"], [role="marquee"], [role="timer"]')]
      .filter((el) => !(el as HTMLElement).hidden)
      .map((el) => ({ id: el.id, holdsMessages: el.contains(document.getElementById('messages')) || !!el.querySelector('.message') })));
    assert.deepEqual(live, [{ id: 'announcer', holdsMessages: false }]);
    assert.equal(await page.locator('#announcer').evaluate((el) => el.getBoundingClientRect().width <= 1), true, 'the announcer is not shown');

    await post({ type: 'messageDone', id: 'a', status: 'done', finishReason: 'stop', stats: stats() });
    await page.waitForTimeout(300);
    const said = await announced();
    assert.equal(said.length, 1, `read once: ${JSON.stringify(said)}`);
    assert.match(said[0], /^Answer done: Streaming cuts the wait\.\s+const a = 1;\s+That is all\.$/, 'the rendered text, without Markdown or the code block\u2019s buttons');

    // A failed answer says how it failed, once; a view that reloads reads nothing out.
    await post({ type: 'messageAdded', message: { id: 'b', role: 'assistant', text: '', status: 'streaming' } },
      { type: 'delta', id: 'b', text: 'Half an ans' },
      { type: 'messageDone', id: 'b', status: 'error', error: { kind: 'network', message: 'The connection was reset.', retryable: true } });
    await page.waitForTimeout(300);
    assert.deepEqual((await announced()).slice(1), ['Answer failed: The connection was reset. Half an ans']);
    // A long answer, a paragraph a frame: its first 4,000 characters as they read, then where the rest is.
    const paragraphs = Array.from({ length: 100 }, (_, i) => `Paragraph ${i} says   something *short*, and then it goes on for a while so that the answer is long.`);
    await post({ type: 'messageAdded', message: { id: 'l', role: 'assistant', text: '', status: 'streaming' } });
    for (const [i, p] of paragraphs.entries()) await post({ type: 'delta', id: 'l', text: `${i ? '\n\n' : ''}${p}` });
    await post({ type: 'messageDone', id: 'l', status: 'done', finishReason: 'stop' });
    await page.waitForTimeout(300);
    const long = (await announced())[2];
    const read = paragraphs.map((p) => p.replace(/\s+/g, ' ').replace(/\*/g, '')).join('\n');
    assert.equal(long, `Answer done: ${read.slice(0, 4000)} \u2026 (the rest is in the conversation)`);
    // Its finished blocks (one a frame here) are grouped, 32 to a chunk: the answer's own element
    // holds 4 chunks and the (now empty) tail, not 100 blocks.
    const shape = await page.evaluate(() => {
      const content = document.querySelector('[data-id="l"] .content')!;
      return { children: [...content.children].map((c) => c.className), blocks: content.querySelectorAll('.md-chunk > .md-block').length, paragraphs: content.querySelectorAll('p').length };
    });
    assert.deepEqual(shape, { children: ['md-chunk', 'md-chunk', 'md-chunk', 'md-chunk', 'md-tail'], blocks: 100, paragraphs: 100 });
    await post({ type: 'snapshot', messages: [{ id: 'q', role: 'user', text: 'Why stream?', status: 'done' }, { id: 'a', role: 'assistant', text: ANSWER, status: 'done', stats: stats() }], provider, streaming: false });
    await page.waitForTimeout(300);
    assert.equal((await announced()).length, 3, 'a snapshot is not read out');
  });

  it('the keyboard reaches every action by Tab, each a named <button> (or control) with the theme\u2019s focus ring', async () => {
    const messages: UiMessage[] = [
      { id: 'q1', role: 'user', text: 'First', status: 'done', attachments: [{ kind: 'selection', label: 'notes.md:1', text: '# Notes' }] },
      { id: 'a1', role: 'assistant', text: ANSWER, reasoning: 'Thinking about it.', status: 'done', stats: stats({ reasoningMs: 4200 }) },
      { id: 'q2', role: 'user', text: 'Second', status: 'done' },
      { id: 'a2', role: 'assistant', text: 'Cut sh', status: 'error', error: { kind: 'auth', message: 'The key was refused.', retryable: false, profileId: 'p' } },
    ];
    await load(messages);
    await post({ type: 'chats', chats: [{ id: 'c1', title: 'First', updatedAt: Date.now(), count: 4 }, { id: 'c2', title: 'Older', updatedAt: Date.now() - 1e6, count: 2 }], activeId: 'c1' },
      { type: 'attached', attachment: { kind: 'file', label: 'notes.md', text: '# Notes\n' } });
    const finished = await tabWalk();
    // Then an answer streams, and the user scrolls up: Stop and "Jump to latest" show.
    await post({ type: 'messageAdded', message: { id: 'q3', role: 'user', text: 'Third', status: 'done' } },
      { type: 'messageAdded', message: { id: 'a3', role: 'assistant', text: '', status: 'streaming' } });
    await post(...Array.from({ length: 30 }, (_, i): HostMessage => ({ type: 'delta', id: 'a3', text: `Line ${i} of a long answer.\n\n` })));
    await page.mouse.move(180, 200);
    await page.mouse.wheel(0, -400);
    await page.locator('#jump').waitFor({ state: 'visible', timeout: 5000 });
    const streaming = await tabWalk();

    const has = (stops: Stop[], want: string) => stops.some((s) => s.key === want || s.key.startsWith(want) || s.key.endsWith(want));
    for (const want of ['#provider', '#history-toggle', '#new-chat', 'summary.', '[data-action=copy]', '[data-action=insert]', '[data-action=open]', 'button.(code)', '[data-action=edit]',
      '[data-action=regenerate]', '[data-action=continue]', '[data-action=setApiKey]', '[data-action=retry]', '[data-action=selectProvider]', 'button.chip-remove', '#prompt',
      '#attach-selection', '#attach-file', '#at-cursor', '#send']) {
      assert.ok(has(finished, want), `Tab reaches ${want} (reached: ${finished.map((s) => s.key).join(' ')})`);
    }
    for (const want of ['#stop', '#jump']) assert.ok(has(streaming, want), `while streaming, Tab reaches ${want} (reached: ${streaming.map((s) => s.key).join(' ')})`);
    for (const s of [...finished, ...streaming]) {
      assert.ok(['button', 'textarea', 'input', 'summary', 'a'].includes(s.tag), `${s.key} is a real control (<${s.tag}>)`);
      assert.equal(s.role, null, `${s.key} keeps its native role`);
      assert.equal(s.ring, FOCUS, `${s.key} shows the focus ring in --vscode-focusBorder`);
      assert.ok(s.opacity >= 0.5, `${s.key} is visible when focused (opacity ${s.opacity})`);
      if (s.tag !== 'textarea' && s.tag !== 'input') assert.ok(s.name.trim(), `${s.key} has an accessible name`);
      // Label in name: what the button shows (its words) is part of what it is called.
      const words = (t: string) => t.replace(/[^\p{L}\p{N}\s]/gu, '').replace(/\s+/g, ' ').trim().toLowerCase();
      if (words(s.shown)) assert.ok(words(s.name).includes(words(s.shown)), `${s.key}: "${s.name}" includes the shown "${s.shown}"`);
    }

    // The provider switch: Enter on it asks the host for the picker; it names the provider it shows.
    await page.locator('#provider').focus();
    await page.keyboard.press('Enter');
    assert.ok((await posted()).some((m) => m.type === 'selectProvider'));
    assert.match((await page.locator('#provider').getAttribute('aria-label'))!, /Replay · m-1.*provider/i);

    // The history list: every row's actions by Tab too.
    await page.locator('#history-toggle').focus();
    await page.keyboard.press('Enter');
    await page.locator('#history .chat-row').first().waitFor({ timeout: 5000 });
    const rows: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      rows.push(await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const ring = getComputedStyle(el).outlineColor;
        return `${el.className}|${el.getAttribute('aria-label') ?? el.textContent}|${ring}`;
      }));
    }
    for (const cls of ['chat-open', 'chat-rename', 'chat-export', 'chat-delete']) {
      assert.ok(rows.some((r) => r.startsWith(cls) && r.endsWith(FOCUS)), `Tab reaches ${cls} with a focus ring (${rows.join(', ')})`);
    }
  });

  it('reasoning: "Reasoning… N s" counts while the model reasons, "Reasoned for 4.2 s" once the answer begins, and again after a reload', async () => {
    await load();
    await post({ type: 'messageAdded', message: { id: 'a', role: 'assistant', text: '', status: 'streaming' } },
      { type: 'delta', id: 'a', reasoning: 'Let me think.', stats: stats({ firstTokenMs: 100, durationMs: 2600, reasoningMs: 2500 }) });
    const summary = page.locator('details.reasoning summary');
    assert.match(await summary.innerText(), /^Reasoning… 2 s$/);
    await page.waitForFunction(() => document.querySelector('details.reasoning summary')?.textContent === 'Reasoning\u2026 3 s', undefined, { timeout: 3000 });
    assert.equal(await page.locator('details.reasoning').evaluate((d) => (d as HTMLDetailsElement).open), false, 'collapsed');
    await post({ type: 'delta', id: 'a', text: 'The answer.', stats: stats({ durationMs: 4300, reasoningMs: 4200 }) });
    assert.equal(await summary.innerText(), 'Reasoned for 4.2 s');
    const done = stats({ durationMs: 4500, reasoningMs: 4200 });
    await post({ type: 'messageDone', id: 'a', status: 'done', finishReason: 'stop', stats: done });
    assert.equal(await summary.innerText(), 'Reasoned for 4.2 s');
    // After a reload the stored message says the same; one stored before durations were kept says "Reasoning".
    await load([
      { id: 'a', role: 'assistant', text: 'The answer.', reasoning: 'Let me think.', status: 'done', stats: done },
      { id: 'b', role: 'assistant', text: 'Old.', reasoning: 'Hm.', status: 'done' },
    ]);
    assert.deepEqual(await page.locator('details.reasoning summary').allInnerTexts(), ['Reasoned for 4.2 s', 'Reasoning']);
    // A view loaded while the model still reasons counts on from the stored figure.
    await load([{ id: 'c', role: 'assistant', text: '', reasoning: 'Still…', status: 'streaming', stats: stats({ reasoningMs: 7400 }) }], true);
    assert.equal(await page.locator('details.reasoning summary').innerText(), 'Reasoning… 7 s');
  });

  it('typing a question tells the host once every few seconds (it opens the connection meanwhile), not on every key', async () => {
    await load();
    await page.locator('#prompt').pressSequentially('Why is the sky blue?');
    const typing = (await posted()).filter((m) => m.type === 'typing').length;
    assert.equal(typing, 1, 'one for the whole burst of keys');
    await page.waitForTimeout(2700);
    await page.locator('#prompt').pressSequentially('!');
    assert.equal((await posted()).filter((m) => m.type === 'typing').length, 2, 'again once the connection could have closed');
  });

  it('a code block wider than the view fades at the edge it continues past, and the fades follow its sideways scroll; a narrow one has none', async () => {
    const wide = `const line = "${'x'.repeat(200)}";`;
    await load([{ id: 'a', role: 'assistant', text: `\`\`\`ts\n${wide}\n\`\`\`\n\nThen:\n\n\`\`\`ts\nconst a = 1;\n\`\`\``, status: 'done', stats: stats() }]);
    const edges = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.content pre > code')].map((c) => {
      const css = getComputedStyle(c);
      return { start: css.getPropertyValue('--fade-start'), end: css.getPropertyValue('--fade-end'), mask: css.maskImage !== 'none' };
    }));
    const [long, short] = await edges();
    assert.deepEqual(long, { start: '0px', end: '2.5em', mask: true });
    assert.deepEqual(short, { start: '', end: '', mask: false });
    await page.evaluate(() => { const c = document.querySelector<HTMLElement>('.content pre > code')!; c.scrollLeft = c.scrollWidth; });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const [end] = await edges();
    assert.deepEqual([end.start, end.end], ['2.5em', '0px'], 'scrolled to its end: the fade is at the start only');
  });

  it('the speed line stops saying "waiting" with the first words, not a tick later', async () => {
    await load();
    const speed = await page.evaluate(async (ms) => {
      for (const m of ms) window.postMessage(m, '*');
      await new Promise((r) => setTimeout(r, 0)); // the messages are handled, the 250 ms ticker has not run
      return document.querySelector('.message.assistant .speed')?.textContent;
    }, [
      { type: 'messageAdded', message: { id: 'a', role: 'assistant', text: '', status: 'streaming' } },
      { type: 'delta', id: 'a', text: 'First words', stats: stats({ firstTokenMs: 90, durationMs: 100, lastTokenMs: 100, tokensPerSecond: undefined }) },
    ] as HostMessage[]);
    assert.match(speed ?? '', /^\d+ ms$/, `the elapsed time, not a wait: ${speed}`);
  });

  it('a cursor shows at the end of a streaming answer only: none once it is done or stopped, and again while it continues', async () => {
    await load();
    // The elements of the answer that show the cursor (a ▍ in their ::after).
    const cursors = () => page.evaluate(() => [...document.querySelectorAll('.message.assistant .content *')]
      .filter((el) => getComputedStyle(el, '::after').content === '"▍"').map((el) => el.textContent));
    await post(
      { type: 'messageAdded', message: { id: 'c', role: 'assistant', text: '', status: 'streaming' } },
      { type: 'delta', id: 'c', text: 'First paragraph.\n\nThe second one is still' },
    );
    assert.deepEqual(await cursors(), ['The second one is still'], 'one cursor, after the last words');
    await post({ type: 'messageDone', id: 'c', status: 'cancelled', finishReason: 'cancelled' });
    assert.deepEqual(await cursors(), [], 'no cursor once stopped');
    await post({ type: 'messageReplaced', message: { id: 'c', role: 'assistant', text: 'First paragraph.\n\nThe second one is still', status: 'streaming' } });
    await post({ type: 'delta', id: 'c', text: ' going' });
    assert.deepEqual(await cursors(), ['The second one is still going'], 'the cursor is back while the answer continues');
    await post({ type: 'messageDone', id: 'c', status: 'done', finishReason: 'stop' });
    assert.deepEqual(await cursors(), [], 'no cursor once done');
  });

  it('code is highlighted (highlight.js) once its block is finished; the text stays as written', async () => {
    await load();
    const lines = Array.from({ length: 80 }, (_, i) => `const value${i} = compute(${i}, "words <b>&amp;", [1, 2]); // line ${i}`);
    await post({ type: 'messageAdded', message: { id: 'h', role: 'assistant', text: '', status: 'streaming' } },
      { type: 'delta', id: 'h', text: `Here:\n\n\`\`\`ts\n${lines.join('\n')}\n\`\`\`\n\nAfter the block.` });
    const code = page.locator('[data-id="h"] .md-block pre code');
    await page.waitForFunction(() => document.querySelector('[data-id="h"] .md-block pre code.hljs'));
    assert.ok(await code.evaluate((el) => el.querySelectorAll('span[class^="hljs-"]').length) > 80, 'keywords, strings and comments are marked');
    assert.equal(await code.evaluate((el) => el.textContent), `${lines.join('\n')}\n`, 'the code reads as written');
    assert.equal(await code.evaluate((el) => el.querySelector('b')), null, 'markup in the code stays text');
  });

  it('a long conversation opens with its last messages rendered; older answers are text until they come near, then Markdown, and what the user reads does not move', async () => {
    const messages: UiMessage[] = [];
    for (let i = 0; i < 60; i++) {
      messages.push({ id: `q${i}`, role: 'user', text: `question ${i}`, status: 'done' });
      const para = `Answer ${i} has **bold** words and a list:\n\n- one\n- two\n\n`;
      messages.push({ id: `a${i}`, role: 'assistant', text: `${para.repeat(1 + (i % 4))}\`\`\`ts\nconst n${i} = ${i};\n\`\`\`\n\nEnd ${i}.`, status: 'done', stats: stats() });
    }
    Object.assign(messages[1], { finishReason: 'length' }); // a cut answer keeps its note when rendered later
    await load(messages);
    const answer = (i: number) => page.locator(`[data-id="a${i}"] .content`);
    assert.equal(await answer(59).locator('strong').count(), 4, 'the last answer is rendered');
    assert.equal(await answer(59).locator('pre code').count(), 1);
    assert.equal(await answer(0).locator('strong').count(), 0, 'an old one far above is not rendered yet');
    assert.match(await answer(0).evaluate((el) => el.textContent ?? ''), /^Answer 0 has \*\*bold\*\* words/, '…but its text is there (screen readers, copying)');
    assert.equal(await page.locator('#scroller').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight <= 1), true, 'at the bottom');

    // The user scrolls up to the top, a step at a time: the message in view moves by the step, no more.
    const inView = () => page.evaluate(() => {
      const top = document.getElementById('scroller')!.getBoundingClientRect().top;
      const el = [...document.querySelectorAll<HTMLElement>('#messages > article')].find((e) => e.getBoundingClientRect().bottom > top)!;
      return { id: el.dataset.id!, top: el.getBoundingClientRect().top };
    });
    const topOf = (id: string) => page.evaluate((i) => document.querySelector(`[data-id="${i}"]`)!.getBoundingClientRect().top, id);
    for (let step = 0; step < 400; step++) {
      const seen = await inView();
      const moved = await page.evaluate(() => {
        const s = document.getElementById('scroller')!;
        const from = s.scrollTop;
        s.dispatchEvent(new WheelEvent('wheel', { deltaY: -300, bubbles: true }));
        s.scrollTop = from - 300;
        return from - s.scrollTop;
      });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
      assert.ok(Math.abs(await topOf(seen.id) - (seen.top + moved)) <= 1, `step ${step}: ${seen.id} moved by ${await topOf(seen.id) - seen.top} px, the scroll by ${moved}`);
      if (moved === 0) break;
    }
    assert.equal(await page.locator('#scroller').evaluate((el) => el.scrollTop), 0, 'reached the top');
    assert.equal(await answer(0).locator('strong').count(), 1, 'rendered on the way');
    assert.equal(await page.locator('.content.deferred').count(), 0, 'every answer passed was rendered');
    assert.equal(await answer(0).locator('.code-actions button').count(), 3, 'with its code buttons (Copy, Insert, Open)');
    assert.deepEqual(await answer(0).evaluate((el) => [...el.children].slice(-2).map((c) => c.className)), ['md-tail', 'note'], 'the note still after the text');
  });
});
