// The chat's conversations and their pure parts: the store (several conversations, titles,
// switch, rename, delete, the old single conversation migrated), attachments as the model gets
// them, the Markdown export, which actions a message offers, and the keys of the message box.
import { strict as assert } from 'node:assert';
import { endedEarly } from '../../src/core/continuation';
import { conversationMarkdown, fenceFor, withAttachments } from '../../src/host/chatMarkdown';
import { ChatHistory, titleFrom } from '../../src/host/history';
import { canContinue, isHostMessage, isWebviewMessage, type UiAttachment, type UiMessage } from '../../src/shared/protocol';
import { answerActions, chatMeta, chatTitle, errorActions, lastIds } from '../../src/webview/actions';
import { promptKeyAction, type PromptKey } from '../../src/webview/keys';
import { memento } from '../support/memento';

const msg = (id: string, role: 'user' | 'assistant', text: string, extra: Partial<UiMessage> = {}): UiMessage => ({ id, role, text, status: 'done', ...extra });

describe('ChatHistory (conversations)', () => {
  it('keeps each conversation apart, titled by its first question, newest first, across a reload', async () => {
    const { m } = memento();
    let now = 1000;
    const h = new ChatHistory(m, 1000, () => now);
    const first = h.activeId;
    await h.save([msg('a1', 'user', '\n  How do I   stream?\nmore'), msg('a2', 'assistant', 'Like this.')]);
    now = 2000;
    await h.create();
    const second = h.activeId;
    assert.notEqual(second, first);
    assert.deepEqual(h.load(), [], 'a new chat is empty');
    await h.save([msg('b1', 'user', 'Second question')]);
    assert.deepEqual(h.list().map((c) => [c.title, c.count]), [['Second question', 1], ['How do I stream?', 2]]);

    const reloaded = new ChatHistory(m);
    assert.equal(reloaded.activeId, second, 'the conversation on show survives a reload');
    assert.deepEqual(reloaded.load().map((x) => x.id), ['b1']);
    assert.equal(await reloaded.switchTo(first), true);
    assert.deepEqual(reloaded.load().map((x) => x.text), ['\n  How do I   stream?\nmore', 'Like this.']);
    assert.equal(await reloaded.switchTo('nope'), false);
  });

  it('a new chat on an empty one reuses it; an empty chat left behind is forgotten', async () => {
    const { m } = memento();
    const h = new ChatHistory(m);
    const empty = h.activeId;
    await h.create();
    assert.equal(h.activeId, empty, 'no second empty chat');
    await h.save([msg('q', 'user', 'q')]);
    const used = h.activeId;
    await h.create();
    const fresh = h.activeId;
    assert.equal(h.list().length, 2, 'the empty chat on show is listed');
    await h.switchTo(used);
    assert.deepEqual(h.list().map((c) => c.id), [used]);
    assert.equal(h.has(fresh), false);
  });

  it('rename sets the title (blank refused); delete drops its keys and shows the newest other one', async () => {
    const { m, map } = memento();
    let now = 1;
    const h = new ChatHistory(m, 1000, () => now++);
    await h.save([msg('a', 'user', 'first')]);
    const a = h.activeId;
    await h.create();
    await h.save([msg('b', 'user', 'second'), msg('b2', 'assistant', 'answer')]);
    const b = h.activeId;
    await h.create();
    await h.save([msg('c', 'user', 'third')]);
    const c = h.activeId;
    assert.equal(await h.rename(a, '  Renamed   chat '), true);
    assert.equal(h.title(a), 'Renamed chat');
    assert.equal(await h.rename(a, '   '), false);
    assert.equal(h.title(a), 'Renamed chat');
    await h.switchTo(a);
    await h.save([...h.load(), msg('a2', 'assistant', 'answer')]);
    assert.equal(h.title(a), 'Renamed chat', 'a renamed chat keeps its name as it grows');
    assert.equal(new ChatHistory(m).title(a), 'Renamed chat', 'also after a reload');
    await h.switchTo(b);
    await h.save([msg('b', 'user', 'second, edited'), msg('b2', 'assistant', 'answer'), msg('b3', 'user', 'more')]);
    assert.equal(h.title(b), 'second, edited', 'the title follows an edit of the first question');
    await h.switchTo(c);

    assert.equal(await h.delete(a), true);
    assert.equal(h.activeId, c, 'deleting another chat leaves the one on show');
    assert.ok(!map.has('askLlm.chat.v2/a') && !map.has('askLlm.chat.v2/a2') && !map.has(`askLlm.chats.v3/${a}`));
    await h.create();
    await h.save([msg('d', 'user', 'fourth')]);
    await h.switchTo(c);
    await h.delete(c);
    assert.equal(h.activeId, h.list()[0].id, 'the newest other one is shown');
    assert.deepEqual(h.load().map((x) => x.id), ['d']);
    await h.delete(h.activeId);
    assert.deepEqual(h.load().map((x) => x.id), ['b', 'b2', 'b3']);
    await h.delete(b);
    assert.deepEqual(h.load(), [], 'the last one deleted: a new empty chat');
    assert.equal(h.list().length, 1);
    assert.deepEqual([...map.keys()].filter((k) => k.startsWith('askLlm.chat.v2/')), []);
    assert.equal(await h.delete('nope'), false);
  });

  it('the single conversation from before becomes the first chat, messages kept', () => {
    const { m, map } = memento();
    map.set('askLlm.chat.v2', ['u', 'x']);
    map.set('askLlm.chat.v2/u', msg('u', 'user', 'Old question'));
    map.set('askLlm.chat.v2/x', msg('x', 'assistant', 'old answer', { status: 'streaming' }));
    const h = new ChatHistory(m);
    assert.deepEqual(h.load(), [msg('u', 'user', 'Old question'), msg('x', 'assistant', 'old answer', { status: 'cancelled', finishReason: 'interrupted' })]);
    assert.deepEqual(h.list().map((c) => [c.title, c.count]), [['Old question', 2]]);
    assert.equal(map.has('askLlm.chat.v2'), false, 'migrated once');
    assert.deepEqual(new ChatHistory(m).load().map((x) => x.id), ['u', 'x']);
  });

  it('an index that does not check out is repaired, not trusted', () => {
    const { m, map } = memento();
    map.set('askLlm.chats.v3', { activeId: 'gone', chats: [{ id: 'k', title: 'Kept', updatedAt: 5, count: 1 }, { junk: true }, 7] });
    map.set('askLlm.chats.v3/k', ['m']);
    map.set('askLlm.chat.v2/m', msg('m', 'user', 'hi'));
    const h = new ChatHistory(m);
    assert.notEqual(h.activeId, 'gone');
    assert.deepEqual(h.list().map((c) => c.title).sort(), ['', 'Kept']);
    assert.deepEqual(h.messagesOf('k').map((x) => x.id), ['m']);
  });

  it('titleFrom: the first line with text, spaces collapsed, at most 60 characters', () => {
    assert.equal(titleFrom('\n\n  What   is  SSE? \nsecond line'), 'What is SSE?');
    const long = titleFrom('x'.repeat(100));
    assert.equal(long.length, 60);
    assert.ok(long.endsWith('\u2026'));
    assert.equal(titleFrom('  \n '), '');
  });
});

describe('attachments and export as Markdown', () => {
  const sel: UiAttachment = { kind: 'selection', label: 'a.ts:3-4', language: 'typescript', text: 'const a = 1;\nconst b = 2;' };
  const file: UiAttachment = { kind: 'file', label: 'README.md', language: 'markdown', text: 'Use ```js fences``` and ````` five.\n' };

  it('the question goes first, then each attachment under its label in a fence its text cannot close', () => {
    assert.equal(withAttachments('Why?'), 'Why?');
    assert.equal(withAttachments('Why?', [sel]), 'Why?\n\nSelection from a.ts:3-4:\n```typescript\nconst a = 1;\nconst b = 2;\n```');
    const both = withAttachments('Explain', [sel, file]);
    assert.ok(both.endsWith('File README.md:\n``````markdown\nUse ```js fences``` and ````` five.\n``````'), both);
    assert.equal(fenceFor('no ticks'), '```');
    assert.equal(fenceFor('a ```` b'), '`````');
  });

  it('a conversation exports with its title, questions, attachments folded, answers and how they ended', () => {
    const md = conversationMarkdown('My chat', [
      msg('1', 'user', 'Question <one>', { attachments: [sel] }),
      msg('2', 'assistant', 'Answer **one**', { model: 'Qwen · qwen-max' }),
      msg('3', 'user', 'Two'),
      msg('4', 'assistant', 'Half', { finishReason: 'length' }),
      msg('5', 'user', 'Three'),
      msg('6', 'assistant', 'Partial', { status: 'error', error: { kind: 'network', message: 'socket hang up', retryable: true } }),
      msg('7', 'user', 'Four'),
      msg('8', 'assistant', 'Stopped here', { status: 'cancelled' }),
    ]);
    assert.ok(md.startsWith('# My chat\n\n## You\n\nQuestion <one>\n\n<details><summary>a.ts:3-4</summary>\n\n```typescript\nconst a = 1;\nconst b = 2;\n```\n\n</details>\n\n## Qwen · qwen-max\n\nAnswer **one**'), md);
    assert.match(md, /Half\n\n_Cut off at the token limit\._/);
    assert.match(md, /Partial\n\n> Error: socket hang up/);
    assert.match(md, /Stopped here\n\n_Stopped\._\n$/);
    assert.equal(conversationMarkdown('', []), '# Chat\n');
  });
});

describe('Continue, Regenerate, Edit: which message offers what', () => {
  const cut = msg('a', 'assistant', 'Half an answer', { finishReason: 'length' });
  const stopped = msg('a', 'assistant', 'Some', { status: 'cancelled' });
  const failedAfterText = msg('a', 'assistant', 'Some', { status: 'error', error: { kind: 'network', message: 'reset', retryable: true } });
  const failedEmpty = msg('a', 'assistant', '', { status: 'error', error: { kind: 'auth', message: 'no key', retryable: false } });
  const whole = msg('a', 'assistant', 'All of it', { finishReason: 'stop' });

  it('an answer cut at the limit, stopped, or failed after text can be continued; a whole or empty one cannot', () => {
    assert.deepEqual([cut, stopped, failedAfterText, failedEmpty, whole].map(canContinue), [true, true, true, false, false]);
    assert.equal(canContinue(msg('q', 'user', 'x', { status: 'cancelled' })), false);
    assert.deepEqual(['length', 'cancelled', 'error', 'stop', 'contentFilter'].map((finishReason) => endedEarly({ text: 'x', finishReason })), [true, true, true, false, false]);
    assert.equal(endedEarly({ text: '', finishReason: 'length' }), false);
  });

  it('Continue under a cut answer, in the error box after a failure with text; set the key for auth', () => {
    assert.deepEqual(answerActions(cut), ['continue', 'regenerate', 'copy', 'insert', 'open']);
    assert.deepEqual(answerActions(whole), ['regenerate', 'copy', 'insert', 'open']);
    assert.deepEqual(answerActions(failedAfterText), ['regenerate', 'copy', 'insert', 'open'], 'the error box offers Continue');
    assert.deepEqual(answerActions(failedEmpty), ['regenerate']);
    assert.deepEqual(errorActions({ ...failedAfterText, error: failedAfterText.error! }), ['continue', 'retry', 'selectProvider']);
    assert.deepEqual(errorActions({ ...failedEmpty, error: failedEmpty.error! }), ['setApiKey', 'retry', 'selectProvider']);
  });

  it('the last question and the final answer are the ones that get Edit and Continue/Regenerate', () => {
    assert.deepEqual(lastIds([]), {});
    assert.deepEqual(lastIds([{ id: '1', role: 'user' }]), { question: '1' });
    assert.deepEqual(lastIds([{ id: '1', role: 'user' }, { id: '2', role: 'assistant' }, { id: '3', role: 'user' }, { id: '4', role: 'assistant' }]), { question: '3', answer: '4' });
  });

  it('the history list names a chat with no question "New chat" and says how big and how recent each is', () => {
    const now = new Date(2025, 4, 10, 12, 0, 0).getTime();
    assert.equal(chatTitle({ title: '' }), 'New chat');
    assert.equal(chatTitle({ title: 'SSE' }), 'SSE');
    assert.equal(chatMeta({ count: 0, updatedAt: now }, now), 'empty \u00b7 just now');
    assert.equal(chatMeta({ count: 1, updatedAt: now - 5 * 60_000 }, now), '1 message \u00b7 5 min ago');
    assert.equal(chatMeta({ count: 4, updatedAt: now - 3 * 3600_000 }, now), '4 messages \u00b7 3 h ago');
    assert.equal(chatMeta({ count: 4, updatedAt: new Date(2025, 4, 9, 23, 0).getTime() }, now), '4 messages \u00b7 yesterday');
    assert.equal(chatMeta({ count: 2, updatedAt: new Date(2025, 2, 5, 9, 0).getTime() }, now), '2 messages \u00b7 2025-03-05');
  });
});

describe('promptKeyAction (Up edits the last question)', () => {
  const key = (k: Partial<PromptKey>): PromptKey => ({ key: 'ArrowUp', shiftKey: false, isComposing: false, keyCode: 38, ...k });

  it('Up in an empty box edits the last question; not with text, modifiers, or during a composition', () => {
    assert.equal(promptKeyAction(key({}), { streaming: false, empty: true }), 'editLast');
    assert.equal(promptKeyAction(key({}), { streaming: true, empty: true }), 'editLast', 'also while an answer streams (resending stops it)');
    assert.equal(promptKeyAction(key({}), { streaming: false, empty: false }), undefined, 'Up moves the caret in a box with text');
    assert.equal(promptKeyAction(key({ shiftKey: true }), { streaming: false, empty: true }), undefined);
    assert.equal(promptKeyAction(key({ altKey: true }), { streaming: false, empty: true }), undefined);
    assert.equal(promptKeyAction(key({ keyCode: 229 }), { streaming: false, empty: true }), undefined);
    assert.equal(promptKeyAction(key({}), { streaming: false, empty: true, editing: true }), undefined);
  });

  it('Escape cancels an edit, but stops a streaming answer first', () => {
    const esc = key({ key: 'Escape', keyCode: 27 });
    assert.equal(promptKeyAction(esc, { streaming: false, editing: true }), 'cancelEdit');
    assert.equal(promptKeyAction(esc, { streaming: true, editing: true }), 'stop');
    assert.equal(promptKeyAction(key({ key: 'Enter', keyCode: 13 }), { streaming: false, editing: true }), 'send');
  });
});

describe('protocol guards (conversations, chips, Continue)', () => {
  const att = { kind: 'selection', label: 'a.ts:1', text: 'x' };
  it('accept the new messages well-formed and reject them malformed', () => {
    assert.ok(isWebviewMessage({ type: 'send', text: 'hi', attachments: [att], atCursor: true }));
    assert.ok(isWebviewMessage({ type: 'editLast', text: 'hi' }));
    assert.ok(isWebviewMessage({ type: 'continue' }));
    assert.ok(isWebviewMessage({ type: 'attach', what: 'file' }));
    assert.ok(isWebviewMessage({ type: 'renameChat', id: 'c' }));
    assert.ok(isWebviewMessage({ type: 'exportChat' }));
    assert.ok(!isWebviewMessage({ type: 'send', text: 'hi', attachments: [{ ...att, kind: 'url' }] }));
    assert.ok(!isWebviewMessage({ type: 'send', text: 'hi', attachments: att }));
    assert.ok(!isWebviewMessage({ type: 'send', text: 'hi', atCursor: 'yes' }));
    assert.ok(!isWebviewMessage({ type: 'attach', what: 'disk' }));
    assert.ok(!isWebviewMessage({ type: 'switchChat' }));
    assert.ok(!isWebviewMessage({ type: 'deleteChat', id: 3 }));
    assert.ok(isHostMessage({ type: 'chats', chats: [{ id: 'c', title: '', updatedAt: 1, count: 0 }], activeId: 'c' }));
    assert.ok(!isHostMessage({ type: 'chats', chats: [{ id: 'c', title: '', updatedAt: -1, count: 0 }], activeId: 'c' }));
    assert.ok(isHostMessage({ type: 'messagesRemoved', ids: ['a'] }));
    assert.ok(!isHostMessage({ type: 'messagesRemoved', ids: [1] }));
    assert.ok(isHostMessage({ type: 'messageReplaced', message: { id: 'a', role: 'user', text: 'q', status: 'done', attachments: [att] } }));
    assert.ok(!isHostMessage({ type: 'attached', attachment: { label: 'x', text: 'y' } }));
  });
});
