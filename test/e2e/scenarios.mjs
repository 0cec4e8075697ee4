// The e2e scenarios: each is [name, async (ctx) => …] and asserts what a user would see.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { root, startCodeServer, webviewFrame, workbenchUrl } from '../run/codeServer.mjs';

const T = 30_000;

/**
 * Runs a command through the command palette, as a user would. Right after a (re)load the palette
 * lists only the workbench's own commands until the extensions are registered, and an open
 * palette does not refresh: like a user, close it and look again.
 */
async function palette(page, title) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + T;
  for (;;) {
    // F1 pressed while a webview has focus reaches the workbench through the webview's key
    // forwarding, and on a busy machine that can be lost: the palette stays closed and its hidden
    // input never becomes fillable. Every step is in the retry, with a short wait.
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ timeout: 5000 });
      await input.fill(`>${title}`, { timeout: 5000 });
      await row.waitFor({ timeout: 3000 });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
  await input.press('Enter');
}

/**
 * After a scenario failed: closes whatever it left open and stops an answer it left streaming, so the
 * next scenario starts as the others do (a stream left running keeps the stop icon in the status bar,
 * where the next ones look for the model).
 */
export async function recover(page) {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await input.waitFor({ timeout: 5000 });
  await input.fill('>Ask LLM: Stop');
  // Listed only while something streams.
  const stop = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ask LLM: Stop' }).first();
  if (await stop.waitFor({ timeout: 2000 }).then(() => true, () => false)) await input.press('Enter');
  else await page.keyboard.press('Escape');
}

/**
 * Ask LLM: New Chat, and waits until the view shows the new, empty chat. The command returns before
 * the view has it: a question sent sooner lands in the old chat's view, which is then cleared.
 */
async function newChat(page) {
  await palette(page, 'Ask LLM: New Chat');
  const messages = webviewFrame(page).locator('#messages > article');
  const deadline = Date.now() + T;
  while ((await messages.count()) > 0) {
    if (Date.now() > deadline) throw new Error('New Chat: the view still shows the previous chat');
    await page.waitForTimeout(100);
  }
}

/** Types into the open quick input; for a pick list, waits until `pick` is the focused row. */
async function quickInput(page, text, pick) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: T });
  await input.fill(text);
  if (pick) await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: pick }).waitFor({ timeout: T });
  await input.press('Enter');
}

/**
 * Picks the provider labelled `label`. The choice is a settings write: with `model`, waits until the
 * status bar shows it took (a question asked sooner may go to the previous provider).
 */
async function selectProvider(page, label, model) {
  await palette(page, 'Ask LLM: Select Provider…');
  await quickInput(page, label, label);
  if (model) await page.locator('.statusbar-item', { hasText: model }).waitFor({ timeout: T });
}

/**
 * Sends `text` from the chat's box and returns the answer's own message. Not `.last()` at once: until
 * the new answer arrives, the last one is an earlier answer, which may already hold what is waited for.
 */
async function send(chat, text) {
  const before = await chat.locator('.message.assistant').count();
  await chat.locator('#prompt').fill(text);
  await chat.locator('#prompt').press('Enter');
  const answer = chat.locator('.message.assistant').nth(before);
  await answer.waitFor({ timeout: T });
  return answer;
}

/** The newest message in the chat, once it has `status`. */
// The answer at the end of the conversation. Not any last article: right after Enter the question
// (status done) is the last one until the answer's own message arrives a moment later.
const lastMessage = (chat, status) => chat.locator(`#messages > article.assistant:last-child${status ? `[data-status="${status}"]` : ''}`);

/**
 * How many lines of the editor carry a whole-line mark in the theme colour `colorVar` (a
 * decoration's colour is resolved into its CSS rule, so compare computed colours).
 */
async function markedLines(page, colorVar) {
  return page.evaluate((v) => {
    const probe = document.createElement('div');
    probe.style.background = `var(${v})`;
    document.querySelector('.monaco-workbench').append(probe);
    const color = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return [...document.querySelectorAll('.monaco-editor .view-overlays > div > div')].filter((el) => getComputedStyle(el).backgroundColor === color).length;
  }, colorVar);
}

async function serverLog(ctx) {
  return (await fetch(`${ctx.fixtures.url}/_log`)).json();
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await quickInput(page, name, name);
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: T });
}

export const scenarios = [
  ['palette: "Ask LLM" → prompt → the answer streams into the editor at the cursor', async (ctx) => {
    const { page } = ctx;
    await openFile(page, 'notes.md');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await palette(page, 'Ask LLM: Ask LLM');
    await quickInput(page, 'Explain streaming in one paragraph');
    const lines = page.locator('.monaco-editor .view-lines').first();
    await lines.filter({ hasText: 'Streaming cuts the wait' }).waitFor({ timeout: T });
    await ctx.shot('1-editor-streaming');
    await lines.filter({ hasText: 'Section 2' }).waitFor({ timeout: T });
    // Done when the status bar shows the model again instead of the stop icon.
    await page.locator('.statusbar-item', { hasText: 'synth-fast' }).waitFor({ timeout: T });
    await ctx.shot('2-editor-done');
    await page.keyboard.press('Control+Home');
    const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Ask LLM writes below this line:\s+## Section 1\s+Streaming cuts the wait/);
  }],

  ['chat: type → Enter → the answer streams in, rendered as Markdown', async (ctx) => {
    const { page } = ctx;
    await palette(page, 'Ask LLM: Open Chat');
    const chat = webviewFrame(page);
    await chat.locator('#prompt').waitFor({ timeout: T });
    const answer = await send(chat, 'What is streaming?');
    await answer.locator('.content h2', { hasText: 'Section 1' }).waitFor({ timeout: T });
    await ctx.shot('3-chat-streaming');
    await lastMessage(chat, 'done').waitFor({ timeout: T });
    await ctx.shot('4-chat-done');
    assert.equal(await chat.locator('.message.user .content').last().innerText(), 'What is streaming?');
    assert.ok(await answer.locator('.content ul li').count() > 0, 'lists render as lists');
    assert.ok(await answer.locator('.content pre code').count() > 0, 'code renders as a code block');
  }],

  ['chat: Stop stops the answer, keeps the text, and closes the connection', async (ctx) => {
    const { page } = ctx;
    await selectProvider(page, 'Slow replay');
    const chat = webviewFrame(page);
    await chat.locator('#provider', { hasText: 'Slow replay' }).waitFor({ timeout: T });
    const answer = await send(chat, 'A long answer, please');
    await answer.locator('.content', { hasText: 'Streaming cuts the wait' }).waitFor({ timeout: T });
    await chat.locator('#stop').waitFor({ state: 'visible', timeout: T });
    await ctx.shot('5-chat-before-stop');
    await chat.locator('#stop').click();
    await lastMessage(chat, 'cancelled').waitFor({ timeout: T });
    await ctx.shot('6-chat-stopped');
    assert.match(await answer.locator('.content').innerText(), /Streaming cuts the wait/);
    assert.ok(await chat.locator('#stop').isHidden());
    let aborted = false;
    for (let i = 0; i < 50 && !aborted; i++) {
      aborted = (await serverLog(ctx)).filter((r) => r.url.startsWith('/synth/3000/25/')).some((r) => r.clientAborted);
      if (!aborted) await page.waitForTimeout(100);
    }
    assert.ok(aborted, 'the server saw the connection close');
  }],

  ['reload the window: the conversation is still there', async (ctx) => {
    const { page } = ctx;
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), palette(page, 'Developer: Reload Window')]);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await palette(page, 'Ask LLM: Open Chat');
    const chat = webviewFrame(page);
    await chat.locator('.message.user', { hasText: 'What is streaming?' }).waitFor({ timeout: T });
    await lastMessage(chat, 'cancelled').waitFor({ timeout: T });
    await ctx.shot('7-chat-after-reload');
    assert.equal(await chat.locator('.message.user').count(), 2);
  }],

  ['Set API Key… stores the key in SecretStorage and the next request uses it', async (ctx) => {
    const { page } = ctx;
    await selectProvider(page, 'E2E replay');
    await webviewFrame(page).locator('#provider', { hasText: 'E2E replay' }).waitFor({ timeout: T });
    await palette(page, 'Ask LLM: Set API Key…');
    await quickInput(page, 'E2E replay', 'E2E replay');
    await page.locator('.quick-input-widget input[type="password"]').waitFor({ timeout: T });
    await quickInput(page, 'sk-e2e-from-secret-storage');
    const chat = webviewFrame(page);
    await chat.locator('#prompt').fill('Does the key work?');
    await chat.locator('#prompt').press('Enter');
    await lastMessage(chat, 'done').waitFor({ timeout: T });
    const last = (await serverLog(ctx)).filter((r) => r.url.startsWith('/synth/300/150/')).pop();
    assert.equal(last.headers.authorization, 'Bearer sk-e2e-from-secret-storage');
    await ctx.shot('8-chat-with-stored-key');
  }],

  ['Rewrite Selection: two selections stream at once in place, Stop stops both', async (ctx) => {
    const { page } = ctx;
    await selectProvider(page, 'Slow replay', 'synth-slow');
    await openFile(page, 'notes.md');
    const lines = page.locator('.monaco-editor .view-lines').first();
    await lines.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nfirst: alpha\nsecond: alpha\nthird line stays\n');
    // Two selections, as a user makes them: the word, then its next occurrence (Ctrl+D).
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.keyboard.press('Control+D');
    const before = (await serverLog(ctx)).length;
    await palette(page, 'Ask LLM: Rewrite Selection');
    await quickInput(page, 'Say it in prose');
    // Two requests, each carrying its own selection; both answers stream into the document at once.
    let rewrites = [];
    for (let i = 0; i < 100 && rewrites.length < 2; i++) {
      rewrites = (await serverLog(ctx)).slice(before).filter((r) => r.url.startsWith('/synth/3000/25/'));
      await page.waitForTimeout(100);
    }
    assert.equal(rewrites.length, 2, 'one request per selection');
    for (const r of rewrites) assert.match(JSON.parse(r.body).messages.at(-1).content, /```\w*\nalpha\n```/);
    await lines.filter({ hasText: 'Streaming cuts the wait' }).waitFor({ timeout: T });
    await page.waitForTimeout(1500);
    assert.doesNotMatch(await page.locator('.statusbar').innerText(), /characters selected/, 'the streaming text is not left selected');
    await ctx.shot('9-rewrite-two-selections-streaming');
    // The lines being written are marked while they stream.
    const streamingMark = '--vscode-diffEditor-insertedTextBackground';
    assert.ok(await markedLines(page, streamingMark) >= 2, 'the streaming ranges are marked');
    // Escape in the editor stops both (the two cursors left over the answers do not keep it).
    // Focus the editor as a keyboard user does (a click on text that is moving can land anywhere).
    const idle = page.locator('.statusbar-item', { hasText: 'synth-slow' });
    for (let i = 0; i < 3 && !(await idle.isVisible()); i++) {
      await page.keyboard.press('Control+1');
      await page.locator('.monaco-editor.focused').first().waitFor({ timeout: T });
      await page.keyboard.press('Escape');
      await idle.waitFor({ timeout: 5000 }).catch(() => undefined);
    }
    await idle.waitFor({ timeout: T });
    const ids = rewrites.map((r) => r.id);
    for (let i = 0; i < 50; i++) {
      const log = await serverLog(ctx);
      if (ids.every((id) => log.find((r) => r.id === id)?.clientAborted)) break;
      await page.waitForTimeout(100);
    }
    const log = await serverLog(ctx);
    assert.ok(ids.every((id) => log.find((r) => r.id === id)?.clientAborted), 'Stop closed both connections');
    // Review: each rewritten range offers Keep and Undo; Undo puts back that selection only. (The
    // exact lenses per range are checked in the integration tests; here: seen, and clicked.)
    await page.keyboard.press('Control+Home'); // the first rewritten range starts near the top
    const undo = page.locator('.codelens-decoration a', { hasText: 'Undo' }).first();
    await undo.waitFor({ timeout: T });
    await page.locator('.codelens-decoration a', { hasText: 'Keep' }).first().waitFor({ timeout: T });
    await ctx.shot('9b-rewrite-keep-undo');
    // Done: the streaming mark is gone; the review's own mark shows what was rewritten.
    assert.equal(await markedLines(page, streamingMark), 0, 'no streaming mark once stopped');
    assert.ok(await markedLines(page, '--vscode-diffEditor-insertedLineBackground') >= 2, 'the rewritten ranges are marked for review');
    await undo.click();
    await lines.filter({ hasText: /(first|second):\s+alpha/ }).waitFor({ timeout: T });
    await ctx.shot('9c-rewrite-one-undone');
  }],

  ['Continue: an answer cut at the token limit carries on right after its text', async (ctx) => {
    const { page } = ctx;
    await selectProvider(page, 'Cut replay', 'cut-at-length');
    await openFile(page, 'notes.md');
    const lines = page.locator('.monaco-editor .view-lines').first();
    await lines.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await palette(page, 'Ask LLM: Ask LLM');
    await quickInput(page, 'Explain streaming');
    await lines.filter({ hasText: 'Streaming lets the first words' }).waitFor({ timeout: T });
    await page.locator('.statusbar-item', { hasText: 'cut-at-length' }).waitFor({ timeout: T });
    await ctx.shot('10-continue-before');
    await palette(page, 'Ask LLM: Continue the Cut Answer');
    await lines.filter({ hasText: 'so nothing is asked twice.' }).waitFor({ timeout: T });
    await page.locator('.statusbar-item', { hasText: 'cut-at-length' }).waitFor({ timeout: T });
    await ctx.shot('11-continue-done');
    const text = (await lines.innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
    assert.match(text, /token limit cuts the answer, Continue carries on/, 'no seam where the answer was cut');
  }],

  ['chat: Continue under a cut answer carries on in the same message, with no seam', async (ctx) => {
    const { page } = ctx;
    // The provider is still "Cut replay" (the scenario before chose it).
    await newChat(page);
    const chat = webviewFrame(page);
    await chat.locator('#provider', { hasText: 'Cut replay' }).waitFor({ timeout: T });
    const answer = await send(chat, 'Explain streaming');
    await answer.locator('.note', { hasText: 'token limit' }).waitFor({ timeout: T });
    await ctx.shot('12-chat-cut-with-continue');
    await answer.locator('[data-action="continue"]').click();
    await answer.locator('.content', { hasText: 'so nothing is asked twice.' }).waitFor({ timeout: T });
    await lastMessage(chat, 'done').waitFor({ timeout: T });
    await ctx.shot('13-chat-continued');
    assert.equal(await chat.locator('.message.assistant').count(), 1, 'the continuation joined the one answer');
    assert.match((await answer.locator('.content').innerText()).replace(/\s+/g, ' '), /token limit cuts the answer, Continue carries on/, 'no seam');
    assert.equal(await answer.locator('.note').count(), 0, 'no longer marked as cut');
  }],

  ['chat: Regenerate, then \u2191 edits the last question and Enter sends it again', async (ctx) => {
    const { page } = ctx;
    await selectProvider(page, 'E2E replay');
    const chat = webviewFrame(page);
    await chat.locator('#provider', { hasText: 'E2E replay' }).waitFor({ timeout: T });
    await newChat(page);
    await chat.locator('#prompt').fill('First question');
    await chat.locator('#prompt').press('Enter');
    await lastMessage(chat, 'done').waitFor({ timeout: T });
    const firstId = await chat.locator('.message.assistant').last().getAttribute('data-id');
    await chat.locator('.message.assistant').last().locator('[data-action="regenerate"]').click();
    await chat.locator(`.message.assistant:not([data-id="${firstId}"])`).waitFor({ timeout: T });
    await lastMessage(chat, 'done').waitFor({ timeout: T });
    assert.equal(await chat.locator('.message').count(), 2, 'the new answer took the old one\u2019s place');
    await chat.locator('#prompt').click();
    await chat.locator('#prompt').press('ArrowUp');
    await chat.locator('#editing').waitFor({ state: 'visible', timeout: T });
    assert.equal(await chat.locator('#prompt').inputValue(), 'First question');
    await chat.locator('#prompt').press('End');
    await chat.locator('#prompt').pressSequentially(', edited');
    await ctx.shot('14-chat-editing-last-question');
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.message.user', { hasText: 'First question, edited' }).waitFor({ timeout: T });
    await lastMessage(chat, 'done').waitFor({ timeout: T });
    assert.equal(await chat.locator('.message.user').count(), 1, 'the edited question replaced the old one');
    assert.ok(await chat.locator('#editing').isHidden());
    await ctx.shot('15-chat-edited-and-resent');
  }],

  ['chips and answer at cursor: the selection goes with the question; the answer also streams into the editor, one undo', async (ctx) => {
    const { page } = ctx;
    await openFile(page, 'notes.md');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+End');
    const chat = webviewFrame(page);
    await chat.locator('#attach-selection').click();
    await chat.locator('.chips .chip', { hasText: 'notes.md:1' }).waitFor({ timeout: T });
    await chat.locator('#attach-file').click();
    await chat.locator('.chip-remove[aria-label="Remove notes.md"]').waitFor({ timeout: T });
    await ctx.shot('16-chat-two-chips');
    await chat.locator('.chip-remove[aria-label="Remove notes.md"]').click();
    assert.equal(await chat.locator('.chips .chip').count(), 1, 'the file chip is gone, the selection stays');
    // A new empty document to answer into, its cursor at the start.
    await page.keyboard.press('Control+N');
    const lines = page.locator('.monaco-editor .view-lines').first();
    await page.waitForTimeout(500);
    await chat.locator('#at-cursor').check();
    await chat.locator('#prompt').fill('Explain this heading');
    const before = (await serverLog(ctx)).length;
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.message.user').last().locator('details.attachment summary', { hasText: 'notes.md:1' }).waitFor({ timeout: T });
    await lines.filter({ hasText: 'Streaming cuts the wait' }).waitFor({ timeout: T });
    await lastMessage(chat, 'done').waitFor({ timeout: T });
    await chat.locator('.message.user').last().locator('details.attachment summary').click();
    await ctx.shot('17-chat-chip-in-question-and-answer-at-cursor');
    const sent = (await serverLog(ctx)).slice(before).find((r) => r.url.startsWith('/synth/300/150/'));
    assert.match(JSON.parse(sent.body).messages.at(-1).content, /Explain this heading\n\nSelection from notes\.md:1:\n```markdown\n# Notes\n```/);
    assert.ok(await chat.locator('.chips').isHidden(), 'the chips went with the question');
    await chat.locator('#at-cursor').uncheck();
    await lines.click();
    await page.keyboard.press('Control+Z');
    await page.waitForTimeout(500);
    assert.doesNotMatch((await lines.innerText()).replace(/\u00a0/g, ' '), /\S/, 'one undo takes the whole answer out');
    await palette(page, 'View: Revert and Close Editor');
  }],

  ['history: every chat is listed; open one, rename it, and it is all still there after a reload', async (ctx) => {
    const { page } = ctx;
    const chat = webviewFrame(page);
    await chat.locator('#history-toggle').click();
    const rows = chat.locator('#history .chat-row');
    await rows.nth(2).waitFor({ timeout: T });
    const count = await rows.count();
    await ctx.shot('18-chat-history-list');
    const row = chat.locator('#history .chat-row', { hasText: 'Explain streaming' }).first();
    await row.locator('.chat-rename').click();
    await quickInput(page, 'Cut answer, continued');
    await chat.locator('#history .chat-title', { hasText: 'Cut answer, continued' }).waitFor({ timeout: T });
    await chat.locator('#history .chat-open', { hasText: 'Cut answer, continued' }).click();
    await chat.locator('.message.user', { hasText: 'Explain streaming' }).waitFor({ timeout: T });
    assert.ok(await chat.locator('#history').isHidden(), 'picking a chat shows it');
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), palette(page, 'Developer: Reload Window')]);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await palette(page, 'Ask LLM: Open Chat');
    const again = webviewFrame(page);
    await again.locator('.message.user', { hasText: 'Explain streaming' }).waitFor({ timeout: T });
    await again.locator('#history-toggle').click();
    await again.locator('#history .chat-title', { hasText: 'Cut answer, continued' }).waitFor({ timeout: T });
    assert.equal(await again.locator('#history .chat-row').count(), count, 'the same chats after the reload');
    await ctx.shot('19-chat-history-after-reload');
    await again.locator('#history-toggle').click();
  }],

  ['hostile answers: the whole corpus streams into the chat in small pieces; nothing runs or is fetched, links open only on a click, through the extension', async (ctx) => {
    const { page } = ctx;
    const fs = await import('node:fs');
    const dir = new URL('../fixtures/hostile/', import.meta.url);
    const corpus = JSON.parse(fs.readFileSync(new URL('index.json', dir), 'utf8')).payloads;
    // Every host the corpus names: none of them may see a request.
    const hosts = new Set();
    for (const p of corpus) {
      for (const m of fs.readFileSync(new URL(`${p.name}.md`, dir), 'utf8').matchAll(/\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi)) hosts.add(m[1].toLowerCase());
    }
    hosts.add('xn--pypal-4ve.com');
    const fetched = [];
    const onRequest = (r) => {
      let host = '';
      try { host = new URL(r.url()).hostname; } catch { /* data:, blob: */ }
      if (hosts.has(host) || /\.example$/.test(host)) fetched.push(r.url());
    };
    const popups = [];
    const onPopup = (p) => popups.push(p.url());
    page.on('request', onRequest);
    page.context().on('page', onPopup);
    try {
      await selectProvider(page, 'Hostile replay', 'hostile');
      // New Chat opens the chat too (and focuses its prompt, which would close a palette opened right after).
      await newChat(page);
      const chat = webviewFrame(page);
      await chat.locator('#provider', { hasText: 'Hostile replay' }).waitFor({ timeout: T });
      await chat.locator('#prompt').waitFor({ timeout: T });
      // The conversation, not the history list (an earlier scenario that failed may have left it open).
      if (await chat.locator('#history').isVisible()) await chat.locator('#history-toggle').click();
      await chat.locator('#scroller').waitFor({ timeout: T });
      assert.equal(await chat.locator('.message').count(), 0, 'a new chat');
      // The chat's own document (a Frame, to run code in): what the CSP refused there, and whether a
      // click on a link got past the view's handler to the window (where VS Code's own one listens).
      let doc;
      for (const f of page.frames()) {
        if (await f.evaluate(() => !!document.getElementById('messages') && !!document.getElementById('prompt')).catch(() => false)) doc = f;
      }
      assert.ok(doc, 'the chat view\'s document');
      const sandbox = await (await doc.frameElement()).getAttribute('sandbox');
      assert.doesNotMatch(sandbox ?? '', /allow-forms/, `forms are off in the chat view (sandbox: ${sandbox})`);
      await doc.evaluate(() => {
        window.hostileSeen = [];
        document.addEventListener('securitypolicyviolation', (e) => window.hostileSeen.push(`CSP ${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
        window.addEventListener('click', (e) => { if (e.target.closest?.('a')) window.hostileSeen.push('a link click reached the window'); });
      });
      const answers = chat.locator('.message.assistant');
      for (const [i, p] of corpus.entries()) {
        await chat.locator('#prompt').fill(`show ${p.name}`);
        await chat.locator('#prompt').press('Enter');
        await chat.locator('.message.assistant[data-status="done"]').nth(i).waitFor({ timeout: T });
        const text = (await answers.nth(i).locator('.content').innerText()).replace(/[\s\u00a0]+/g, ' ');
        for (const s of p.show) assert.ok(text.includes(s.replace(/[\s\u00a0]+/g, ' ')), `${p.name}: ${JSON.stringify(s)} is shown`);
        if (i === 27) await ctx.shot('20-chat-hostile-answers');
      }
      // What the answers hold: only what the renderer makes, links only to http, https and mailto.
      const problems = await doc.evaluate(() => {
        const tags = new Set(['div', 'span', 'a', 'blockquote', 'br', 'code', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 's', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);
        const attrs = new Set(['class', 'href', 'title', 'start', 'data-highlighted']);
        const out = [];
        for (const el of document.querySelectorAll('.md-block *, .md-tail *')) {
          if (el.closest('.code-actions')) continue;
          if (!tags.has(el.localName)) out.push(`<${el.localName}>`);
          for (const a of el.attributes) if (!attrs.has(a.name)) out.push(`${a.name} on <${el.localName}>`);
          if (el.localName === 'a' && !/^(https?|mailto):/i.test(el.getAttribute('href') ?? '')) out.push(`a link to ${el.getAttribute('href')}`);
        }
        return out;
      });
      assert.deepEqual(problems.slice(0, 10), [], 'the answers hold nothing but Markdown');
      // And as a user sees them: nothing pushed out of the column, however deep an answer nests.
      const layout = await doc.evaluate(() => {
        const scroller = document.getElementById('scroller');
        const right = scroller.getBoundingClientRect().right;
        const out = [];
        if (scroller.scrollWidth > scroller.clientWidth + 1) out.push(`the chat scrolls sideways (${scroller.scrollWidth} > ${scroller.clientWidth} px)`);
        for (const el of document.querySelectorAll('.md-overflow')) {
          const r = el.getBoundingClientRect();
          if (r.width < 80 || r.right > right + 1) out.push(`text nested past the limit: ${Math.round(r.width)} px wide, from ${Math.round(r.left)} to ${Math.round(r.right)} px`);
        }
        return out;
      });
      assert.deepEqual(layout, [], 'every answer is in view');
      await page.waitForTimeout(500);
      assert.deepEqual(await doc.evaluate(() => window.hostileSeen), [], 'nothing tried to run or load in the chat view');
      assert.deepEqual(fetched, [], 'nothing was fetched from a host the answers name');
      assert.deepEqual(popups, [], 'nothing opened by itself');
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no prompt to open anything by itself');
      // The host checks what the view asks it to insert against the answers it holds: a code block
      // the view shows goes in (text no answer shows is refused: test/unit/hostileMarkdown.test.ts).
      const code = answers.nth(corpus.findIndex((p) => p.name === 'code-with-html')).locator('pre', { hasText: 'attacker.example/x.js' });
      await code.locator('button', { hasText: 'Insert' }).dispatchEvent('click'); // (it shows on hover)
      await page.locator('.monaco-editor .view-lines', { hasText: '<script src="https://attacker.example/x.js"></script>' }).first().waitFor({ timeout: T });
      // A click on a link: the extension opens it (VS Code asks first: the link is not trusted).
      const link = chat.locator('.message.assistant a', { hasText: 'click here to re-authenticate' });
      await link.click();
      const prompt = page.locator('.monaco-dialog-box', { hasText: 'attacker.example/login' });
      await prompt.waitFor({ timeout: T });
      await ctx.shot('21-chat-hostile-link-click');
      await prompt.locator('.monaco-button', { hasText: 'Cancel' }).click();
      assert.deepEqual(await doc.evaluate(() => window.hostileSeen), [], 'the view handled the click (VS Code\'s own link handler never saw it)');
      assert.deepEqual(fetched, [], 'nothing was fetched');
    } finally {
      page.off('request', onRequest);
      page.context().off('page', onPopup);
    }
  }],

  ['themes: reasoning with its duration, code, the speed line and an error box, readable in Light, Dark and High Contrast; the provider switches from the header', async (ctx) => {
    const { page } = ctx;
    const size = page.viewportSize();
    const wasLight = await page.locator('.monaco-workbench.vs').count() > 0;
    await page.setViewportSize({ width: 1400, height: 1700 }); // the whole conversation in one side bar
    try {
      await selectProvider(page, 'Reasoning replay');
      await newChat(page);
      const chat = webviewFrame(page);
      await chat.locator('#provider', { hasText: 'Reasoning replay' }).waitFor({ timeout: T });
      if (await chat.locator('#history').isVisible()) await chat.locator('#history-toggle').click();
      const doc = await chatDocument(page);
      await watchAnnouncer(doc);
      await chat.locator('#prompt').fill('Why is the sky blue?');
      await chat.locator('#prompt').press('Enter');
      const summary = chat.locator('.message.assistant details.reasoning summary').last();
      await summary.filter({ hasText: /^Reasoning…/ }).waitFor({ timeout: T });
      await lastMessage(chat, 'done').waitFor({ timeout: T });
      assert.match(await summary.innerText(), /^Reasoned for \d+(\.\d)? m?s$/, 'the reasoning says how long it took');
      await summary.click(); // open, to see it in each theme
      // The provider switches from the header: by keyboard, then by a click.
      await chat.locator('#provider').focus();
      await chat.locator('#provider').press('Enter');
      await quickInput(page, 'Code replay', 'Code replay');
      await chat.locator('#provider', { hasText: 'Code replay' }).waitFor({ timeout: T });
      await chat.locator('#prompt').fill('Show me some code');
      await chat.locator('#prompt').press('Enter');
      await chat.locator('.message.assistant[data-status="done"]').nth(1).waitFor({ timeout: T });
      const coded = chat.locator('.message.assistant').nth(1);
      assert.ok(await coded.locator('.content pre code').count() > 0, 'a code block');
      assert.match(await coded.locator('.speed').innerText(), /themed · demo-answer · first token .* tok\/s/, 'the speed line');
      await chat.locator('#provider').click();
      await quickInput(page, 'Broken replay', 'Broken replay');
      await chat.locator('#provider', { hasText: 'Broken replay' }).waitFor({ timeout: T });
      await chat.locator('#prompt').fill('And the rest?');
      await chat.locator('#prompt').press('Enter');
      await lastMessage(chat, 'error').locator('.error').waitFor({ timeout: T });
      await chat.locator('#prompt').blur();
      // Screen readers heard each finished answer once, the failed one with its error.
      await page.waitForTimeout(300);
      const said = await doc.evaluate(() => window.said);
      assert.equal(said.length, 3, `three answers, three announcements: ${JSON.stringify(said)}`);
      assert.match(said[0], /^Answer done: /);
      assert.match(said[1], /^Answer done: .*def fib/s);
      assert.match(said[2], /^Answer failed: /);

      const sidebar = page.locator('.part.sidebar');
      // (VS Code 1.139 names the themes once called Default Light Modern, Default Dark Modern and Default High Contrast so.)
      for (const [theme, cls, file] of [['Light Modern', 'vs', 'light'], ['Dark Modern', 'vs-dark', 'dark'], ['Dark High Contrast', 'hc-black', 'high-contrast']]) {
        await setColorTheme(page, theme);
        await page.locator(`.monaco-workbench.${cls}`).waitFor({ timeout: T });
        await page.waitForTimeout(800); // the webview gets the theme's colours a moment later
        await doc.evaluate(() => document.getElementById('scroller').scrollTo(0, 0));
        await ctx.shot(`22-theme-${file}`, sidebar);
        // Text a user must read has the contrast WCAG asks of body text (4.5:1) against what is behind it.
        const low = await doc.evaluate(lowContrast);
        assert.deepEqual(low, [], `${theme}: text with too little contrast`);
      }
    } finally {
      await setColorTheme(page, wasLight ? 'Light 2026' : 'Dark 2026').catch(() => undefined); // the workbench's default
      await page.setViewportSize(size);
    }
  }],
  ['中文: with VS Code\'s display language zh-cn, the palette, the chat, the speed line, an error and the provider picker are in Chinese', async (ctx) => {
    // A second workbench, started with --locale zh-cn and a test language pack (VS Code takes a
    // locale only with a pack for it: see useLanguagePack in test/run/codeServer.mjs). The pack
    // translates nothing of VS Code itself, so its own chrome stays English; all of ours switches.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-e2e-zh-'));
    const server = await startCodeServer({
      workspace: dir,
      locale: 'zh-cn',
      languagePack: path.join(root, 'test/fixtures/zh-cn-language-pack'),
      env: { ASKLLM_TEST_KEY: 'sk-e2e-env' },
      settings: {
        'askLlm.providers': [
          { id: 'e2e', label: 'E2E 回放', kind: 'openai', model: 'synth-fast', baseUrl: `${ctx.fixtures.url}/synth/300/150/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
          // No key anywhere: the request is stopped before it is sent, with a message that says so.
          { id: 'deepseek', label: 'DeepSeek', kind: 'openai', model: 'deepseek-chat', baseUrl: 'https://api.deepseek.com' },
        ],
        'askLlm.activeProvider': 'e2e',
      },
    });
    const context = await ctx.page.context().browser().newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    try {
      // A second workbench loading beside the first: patient, as on a busy two-core machine.
      await page.goto(workbenchUrl(server, { extensionDevelopmentPaths: [root] }), { waitUntil: 'domcontentloaded', timeout: 120_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
      // Command titles from package.nls.zh-cn.json.
      await palette(page, 'Ask LLM: 打开聊天');
      const chat = webviewFrame(page);
      await chat.locator('#prompt').waitFor({ timeout: T });
      // The chat view's strings come from the host (vscode.l10n's bundle), with <html lang>.
      assert.equal(await chat.locator('html').getAttribute('lang'), 'zh-cn');
      assert.equal(await chat.locator('#prompt').getAttribute('placeholder'), '询问任何问题…（按 Enter 发送）');
      assert.equal((await chat.locator('#send').innerText()).trim(), '发送');
      assert.match(await chat.locator('#empty').innerText(), /^向 E2E 回放 提问任何问题。/);
      await ctx.shot('zh-0-chat-empty', page);
      const answer = await send(chat, '什么是流式输出？');
      await lastMessage(chat, 'done').waitFor({ timeout: T });
      assert.match(await answer.locator('.speed').innerText(), /首个 token .* token/);
      assert.equal((await answer.locator('[data-action="regenerate"]').innerText()).trim(), '重新生成');
      await ctx.shot('zh-1-chat', page);
      // The picker (vscode.l10n.t in the host) and a profile without a key (core's message, translated).
      await palette(page, 'Ask LLM: 选择提供方…');
      const rows = page.locator('.quick-input-list');
      await rows.locator('.monaco-list-row', { hasText: '添加提供方…' }).waitFor({ timeout: T });
      assert.equal((await page.locator('.quick-input-title').innerText()).trim(), 'Ask LLM: 选择提供方');
      assert.match(await rows.innerText(), /密钥来自 \$ASKLLM_TEST_KEY[\s\S]*未设置密钥[\s\S]*测试提供方…/);
      await ctx.shot('zh-2-picker', page);
      await quickInput(page, 'DeepSeek', 'DeepSeek');
      await chat.locator('#provider', { hasText: 'DeepSeek' }).waitFor({ timeout: T });
      await chat.locator('#prompt').fill('你好');
      await chat.locator('#prompt').press('Enter');
      const error = lastMessage(chat, 'error').locator('.error');
      await error.waitFor({ timeout: T });
      assert.match(await error.locator('.error-message').innerText(), /^未为“DeepSeek”（配置“deepseek”）设置 API 密钥，因此未发送任何内容。/);
      assert.equal((await error.locator('[data-action="setApiKey"]').innerText()).trim(), '设置 API 密钥…');
      await ctx.shot('zh-3-chat-error', page);
    } catch (err) {
      await ctx.shot('FAILED-zh', page).catch(() => undefined); // this workbench, not the English one
      throw err;
    } finally {
      await context.close();
      server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }],

  ['chat: a provider that accepts the request and says nothing shows "Waiting for the provider… N s", with Stop at hand; Stop ends it', async (ctx) => {
    const { page } = ctx;
    await selectProvider(page, 'Quiet replay');
    await newChat(page);
    const chat = webviewFrame(page);
    await chat.locator('#provider', { hasText: 'Quiet replay' }).waitFor({ timeout: T });
    if (await chat.locator('#history').isVisible()) await chat.locator('#history-toggle').click();
    const answer = await send(chat, 'Are you there?');
    await answer.locator('.speed', { hasText: /^Waiting for the provider\u2026 [2-9] s$/ }).waitFor({ timeout: T });
    assert.ok(await chat.locator('#stop').isVisible(), 'Stop is at hand');
    await ctx.shot('22-chat-waiting-for-the-provider');
    await chat.locator('#stop').click();
    await lastMessage(chat, 'cancelled').waitFor({ timeout: T });
    let aborted = false;
    for (let i = 0; i < 50 && !aborted; i++) {
      aborted = (await serverLog(ctx)).filter((r) => r.url.includes('/e2e-quiet/')).some((r) => r.clientAborted);
      if (!aborted) await page.waitForTimeout(100);
    }
    assert.ok(aborted, 'the server saw the connection close');
  }],

  ['reload mid-answer: the partial answer comes back marked interrupted, with Continue, which carries it on in the same message', async (ctx) => {
    const { page } = ctx;
    await selectProvider(page, 'Slow replay');
    await newChat(page);
    const chat = webviewFrame(page);
    await chat.locator('#provider', { hasText: 'Slow replay' }).waitFor({ timeout: T });
    if (await chat.locator('#history').isVisible()) await chat.locator('#history-toggle').click();
    await (await send(chat, 'A long answer, then a reload')).locator('.content', { hasText: 'Streaming cuts the wait' }).waitFor({ timeout: T });
    await page.waitForTimeout(2000); // the answer in flight is saved about once a second
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), palette(page, 'Developer: Reload Window')]);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await palette(page, 'Ask LLM: Open Chat');
    const again = webviewFrame(page);
    const cut = lastMessage(again, 'cancelled');
    await cut.locator('[data-note="interrupted"]', { hasText: 'Interrupted (the window was reloaded).' }).waitFor({ timeout: T });
    assert.match(await cut.locator('.speed').innerText(), /interrupted/);
    assert.doesNotMatch(await cut.locator('.speed').innerText(), /stopped/, 'not a Stop');
    const kept = await cut.locator('.md-block, .md-tail').allInnerTexts();
    assert.match(kept.join('\n'), /Streaming cuts the wait/, 'the partial answer is there');
    await ctx.shot('23-chat-interrupted-after-reload');
    // The keys this run uses (the environment's, and the one "Set API Key…" stores) are nowhere in the chat view or the workbench.
    const dom = `${await again.locator('body').innerHTML()}\n${await page.content()}`;
    for (const key of ['sk-e2e-env', 'sk-e2e-from-secret-storage']) assert.ok(!dom.includes(key), `no ${key} in the DOM`);
    const sentBefore = (await serverLog(ctx)).filter((r) => r.url.startsWith('/synth/3000/25/')).length;
    await cut.locator('[data-action="continue"]').click();
    const going = again.locator('#messages > article:last-child[data-status="streaming"]');
    await going.waitFor({ timeout: T });
    assert.equal(await again.locator('.message.assistant').count(), 1, 'in the same message');
    let log = [];
    for (let i = 0; i < 100 && log.length <= sentBefore; i++) {
      log = (await serverLog(ctx)).filter((r) => r.url.startsWith('/synth/3000/25/'));
      if (log.length <= sentBefore) await page.waitForTimeout(100);
    }
    assert.ok(log.length > sentBefore, 'a continuation was asked');
    const sent = JSON.parse(log[log.length - 1].body).messages.filter((m) => m.role === 'assistant');
    assert.ok(sent.length === 1 && sent[0].content.startsWith('## Section 1'), 'with the partial answer');
    await ctx.shot('24-chat-continued-after-reload');
    await again.locator('#stop').click();
    await lastMessage(again, 'cancelled').waitFor({ timeout: T });
  }],

  ['palette with no editor open: the new document opens behind the box while the question is typed; Escape closes it, Enter streams into it', async (ctx) => {
    const { page } = ctx;
    await selectProvider(page, 'E2E replay', 'synth-fast');
    await palette(page, 'View: Close All Editors');
    const untitled = page.locator('.tabs-container .tab', { hasText: 'Untitled' });
    await page.waitForTimeout(300);
    assert.equal(await untitled.count(), 0, 'no editor open');
    await palette(page, 'Ask LLM: Ask LLM');
    await untitled.first().waitFor({ timeout: T });
    // The box keeps the focus: what the user types goes into the question, not the document.
    await page.keyboard.type('never mind');
    assert.equal(await page.locator('.quick-input-widget input').inputValue(), 'never mind');
    await page.keyboard.press('Escape');
    for (let i = 0; i < 50 && (await untitled.count()) > 0; i++) await page.waitForTimeout(100);
    assert.equal(await untitled.count(), 0, 'closed again when nothing was asked');
    await palette(page, 'Ask LLM: Ask LLM');
    await quickInput(page, 'Explain streaming');
    const lines = page.locator('.monaco-editor .view-lines').first();
    await lines.filter({ hasText: 'Streaming cuts the wait' }).waitFor({ timeout: T });
    assert.equal(await untitled.count(), 1, 'the answer is in the document that opened behind the box');
    await page.locator('.statusbar-item', { hasText: 'synth-fast' }).waitFor({ timeout: T });
    await ctx.shot('25-palette-new-document');
    await palette(page, 'View: Revert and Close Editor');
  }],
];

/** The chat view's own document (a Frame, to run code in). */
async function chatDocument(page) {
  for (const f of page.frames()) {
    if (await f.evaluate(() => !!document.getElementById('messages') && !!document.getElementById('prompt')).catch(() => false)) return f;
  }
  throw new Error('no chat view document');
}

/** Records each text the chat's live region is given (window.said). */
async function watchAnnouncer(doc) {
  await doc.evaluate(() => {
    window.said = [];
    const el = document.getElementById('announcer');
    new MutationObserver(() => { if (el.textContent) window.said.push(el.textContent); }).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

/**
 * Sets `workbench.colorTheme` as a user does: Preferences: Color Theme, then the theme (VS Code
 * writes the setting). (A settings.json written behind the workbench's back is not picked up in
 * code-server.)
 */
async function setColorTheme(page, theme) {
  // Not palette(): its first match is "Preferences: Browse Color Themes in Marketplace".
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.waitFor({ timeout: T });
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click();
  // The theme list replaces the command list in the same quick input: type once it shows.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /(Light|Dark) Modern/ }).first().waitFor({ timeout: T });
  await page.keyboard.type(theme);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: theme }).waitFor({ timeout: T });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: T });
}

/** Runs in the chat view: the text elements whose contrast with their background is under 4.5:1. */
function lowContrast() {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const out = [];
  const seen = new Set();
  const selectors = ['.message .who', '.message.user .content', '.content p', '.content li', '.content :not(pre) > code', '.content pre code', '.content pre code span', '.speed', 'details.reasoning summary',
    '.reasoning-text', '.error-message', '.error-hint', '.error .actions button', '.message-actions button', '#provider', '#history-toggle', '#new-chat', '#prompt',
    '.composer-tools button', '.composer-tools .toggle', '#send'];
  for (const sel of selectors) {
    for (const el of [...document.querySelectorAll(sel)].slice(0, 60)) {
      if (!el.textContent.trim() && el.localName !== 'textarea') continue;
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const key = `${sel} ${getComputedStyle(el).color} on ${bg.slice(0, 3).map(Math.round).join(',')}`;
      if (ratio < 4.5 && !seen.has(key)) {
        seen.add(key);
        out.push(`${key}: ${ratio.toFixed(2)}:1`);
      }
    }
  }
  return out;
}
