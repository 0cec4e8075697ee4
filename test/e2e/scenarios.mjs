// The e2e scenarios: each is [name, async (ctx) => …] and asserts what a user would see.
import { strict as assert } from 'node:assert';
import { webviewFrame } from '../run/codeServer.mjs';

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
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: T });
    await input.fill(`>${title}`);
    try {
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

/** Types into the open quick input; for a pick list, waits until `pick` is the focused row. */
async function quickInput(page, text, pick) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: T });
  await input.fill(text);
  if (pick) await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: pick }).waitFor({ timeout: T });
  await input.press('Enter');
}

/** The newest message in the chat, once it has `status`. */
const lastMessage = (chat, status) => chat.locator(`#messages > article:last-child${status ? `[data-status="${status}"]` : ''}`);

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
    // Done when the status bar shows the model again instead of the spinner.
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
    await chat.locator('#prompt').fill('What is streaming?');
    await chat.locator('#prompt').press('Enter');
    const answer = chat.locator('.message.assistant').last();
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
    await palette(page, 'Ask LLM: Select Provider…');
    await quickInput(page, 'Slow replay', 'Slow replay');
    const chat = webviewFrame(page);
    await chat.locator('#provider', { hasText: 'Slow replay' }).waitFor({ timeout: T });
    await chat.locator('#prompt').fill('A long answer, please');
    await chat.locator('#prompt').press('Enter');
    const answer = chat.locator('.message.assistant').last();
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
    await palette(page, 'Ask LLM: Select Provider…');
    await quickInput(page, 'E2E replay', 'E2E replay');
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
    await palette(page, 'Ask LLM: Select Provider…');
    await quickInput(page, 'Slow replay', 'Slow replay');
    await page.locator('.statusbar-item', { hasText: 'synth-slow' }).waitFor({ timeout: T });
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
    await undo.click();
    await lines.filter({ hasText: /(first|second):\s+alpha/ }).waitFor({ timeout: T });
    await ctx.shot('9c-rewrite-one-undone');
  }],

  ['Continue: an answer cut at the token limit carries on right after its text', async (ctx) => {
    const { page } = ctx;
    await palette(page, 'Ask LLM: Select Provider…');
    await quickInput(page, 'Cut replay', 'Cut replay');
    // The choice is a settings write: ask only once the status bar shows it took.
    await page.locator('.statusbar-item', { hasText: 'cut-at-length' }).waitFor({ timeout: T });
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
    await palette(page, 'Ask LLM: New Chat');
    const chat = webviewFrame(page);
    await chat.locator('#provider', { hasText: 'Cut replay' }).waitFor({ timeout: T });
    await chat.locator('#prompt').fill('Explain streaming');
    await chat.locator('#prompt').press('Enter');
    const answer = chat.locator('.message.assistant').last();
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
    await palette(page, 'Ask LLM: Select Provider…');
    await quickInput(page, 'E2E replay', 'E2E replay');
    const chat = webviewFrame(page);
    await chat.locator('#provider', { hasText: 'E2E replay' }).waitFor({ timeout: T });
    await palette(page, 'Ask LLM: New Chat');
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
      await palette(page, 'Ask LLM: Select Provider…');
      await quickInput(page, 'Hostile replay', 'Hostile replay');
      await page.locator('.statusbar-item', { hasText: 'hostile' }).waitFor({ timeout: T });
      // New Chat opens the chat too (and focuses its prompt, which would close a palette opened right after).
      await palette(page, 'Ask LLM: New Chat');
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
];
