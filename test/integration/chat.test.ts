// The side-bar chat inside the real extension host: Continue (in the chat and through
// askLlm.continue), Regenerate, edit and resend, chips, answer at cursor, conversations, and a view
// that comes back mid-answer. The chat's message handler is driven through `askLlm.test.chat`, a
// command registered only in test mode (src/extension.ts): it takes what the webview would post
// and returns what the chat holds and what it posted back.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { ProviderProfile } from '../../src/core/types';
import { CONTINUED_ANSWER, type RecordedRequest } from '../support/fixtureServer';
import { synthText } from '../support/synth';
import type { HostMessage, UiAttachment, UiChat, UiMessage, WebviewMessage } from '../../src/shared/protocol';
import { requests } from '../support/serverLog';

interface AskResult { text: string; finishReason: string; error?: { kind: string; message: string } }
interface ChatState { chats: UiChat[]; activeId: string; messages: UiMessage[]; streaming: boolean; posted: HostMessage[] }

const server = () => process.env.ASKLLM_TEST_SERVER!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chat = (message?: WebviewMessage) => vscode.commands.executeCommand<ChatState>('askLlm.test.chat', message);
const ask = (args: object) => vscode.commands.executeCommand<AskResult>('askLlm.ask', args);
const last = <T>(xs: T[]): T => xs[xs.length - 1];

async function useProvider(baseUrl: string, extra: Partial<ProviderProfile> = {}): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('askLlm');
  await cfg.update('providers', [{ id: 'test', kind: 'openai', model: 'm', baseUrl: `${server()}${baseUrl}`, apiKeyEnv: 'ASKLLM_TEST_KEY', ...extra }], vscode.ConfigurationTarget.Global);
  await cfg.update('activeProvider', 'test', vscode.ConfigurationTarget.Global);
}

const bodyOf = (r: RecordedRequest) => JSON.parse(r.body) as { messages: Array<{ role: string; content: string }> };

/** Polls the chat until `cond` holds. */
async function untilChat(cond: (s: ChatState) => boolean, what: string, ms = 10_000): Promise<ChatState> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await chat();
    if (cond(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function openDoc(content: string, cursor: number, language = 'markdown'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  const editor = await vscode.window.showTextDocument(doc);
  const pos = doc.positionAt(cursor);
  editor.selection = new vscode.Selection(pos, pos);
  return editor;
}

describe('chat view', function () {
  this.timeout(30_000);
  beforeEach(async () => {
    await vscode.commands.executeCommand('askLlm.newChat');
    await chat(); // starts the record of what is posted, and empties it
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    await vscode.workspace.getConfiguration('askLlm').update('providers', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('askLlm').update('activeProvider', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Continue after a length cut: the same message grows to the whole answer, through the continuation request, no seam', async () => {
    await useProvider('/cont/300/v1');
    const first = await ask({ prompt: 'Explain streaming', target: 'chat' });
    assert.equal(first.finishReason, 'length');
    const before = await chat();
    const cut = last(before.messages);
    assert.equal(cut.finishReason, 'length');
    const state = await chat({ type: 'continue' });
    assert.equal(state.messages.length, before.messages.length, 'no new message');
    const whole = last(state.messages);
    assert.equal(whole.id, cut.id, 'the continuation joins the same message');
    assert.equal(whole.text, CONTINUED_ANSWER, 'the repeated word at the seam is written once');
    assert.equal(whole.status, 'done');
    assert.ok(state.posted.some((m) => m.type === 'messageReplaced' && m.message.id === cut.id), 'the view reopens the message');
    const sent = bodyOf(last(await requests('/cont/300/'))).messages.filter((m) => m.role !== 'system');
    assert.deepEqual(sent.slice(0, 2), [{ role: 'user', content: 'Explain streaming' }, { role: 'assistant', content: cut.text }], 'the conversation, then the partial answer');
    assert.equal(sent.length, 3);
    assert.equal(sent[2].role, 'user', 'a plain OpenAI-compatible server is asked in words to carry on');
    assert.equal((await chat({ type: 'continue' })).messages.length, state.messages.length, 'a whole answer is not continued');
  });

  it('Continue after Stop: a native continuation ends with the partial answer, and the message is whole', async () => {
    await useProvider('/cont/20/v1', { continuation: 'native' });
    void chat({ type: 'send', text: 'Explain streaming' });
    await untilChat((s) => last(s.messages)?.role === 'assistant' && last(s.messages).text.length > 15, 'some text');
    assert.equal(await vscode.commands.executeCommand('askLlm.stop'), true);
    const stopped = await untilChat((s) => !s.streaming, 'the stop');
    const partial = last(stopped.messages);
    assert.equal(partial.status, 'cancelled');
    assert.ok(CONTINUED_ANSWER.startsWith(partial.text) && partial.text.length < CONTINUED_ANSWER.length);
    const state = await chat({ type: 'continue' });
    assert.equal(last(state.messages).id, partial.id);
    assert.equal(last(state.messages).text, CONTINUED_ANSWER);
    const body = bodyOf(last(await requests('/cont/20/'))) as { messages: Array<{ role: string; content: string }>; continue_final_message?: boolean };
    assert.deepEqual(last(body.messages), { role: 'assistant', content: partial.text });
    assert.equal(body.continue_final_message, true);
  });

  it('askLlm.continue continues the most recent cut answer: the editor\u2019s when it came later, then the chat\u2019s', async function () {
    this.timeout(90_000); // four answers and two documents: slow on a busy machine
    await useProvider('/cont/300/v1');
    assert.equal((await ask({ prompt: 'in the chat', target: 'chat' })).finishReason, 'length');
    const editor = await openDoc('', 0);
    assert.equal((await ask({ prompt: 'in the editor', target: 'cursor' })).finishReason, 'length');
    const inEditor = await vscode.commands.executeCommand<AskResult>('askLlm.continue');
    assert.equal(inEditor.text, CONTINUED_ANSWER);
    assert.equal(editor.document.getText(), CONTINUED_ANSWER, 'the document\u2019s answer went on');
    assert.equal(last((await chat()).messages).finishReason, 'length', 'the chat\u2019s is still cut');
    const inChat = await vscode.commands.executeCommand<AskResult>('askLlm.continue');
    assert.deepEqual(inChat, { text: CONTINUED_ANSWER, finishReason: 'stop' });
    assert.equal(last((await chat()).messages).text, CONTINUED_ANSWER);
    assert.equal(editor.document.getText(), CONTINUED_ANSWER, 'the document is untouched');
  });

  it('Regenerate answers the last question again in place of its answer', async () => {
    await useProvider('/synth/30/5000/v1');
    await chat({ type: 'send', text: 'first' });
    const before = await chat();
    const sent = (await requests('/synth/30/5000/')).length;
    const state = await chat({ type: 'retry' });
    assert.equal(state.messages.length, 2);
    assert.equal(state.messages[0].id, before.messages[0].id, 'the question stays');
    assert.notEqual(state.messages[1].id, before.messages[1].id, 'a new answer');
    assert.equal(state.messages[1].text, synthText(30));
    assert.ok(state.posted.some((m) => m.type === 'messagesRemoved' && m.ids.join() === before.messages[1].id));
    const reqs = await requests('/synth/30/5000/');
    assert.equal(reqs.length, sent + 1);
    assert.deepEqual(bodyOf(last(reqs)).messages.filter((m) => m.role !== 'system'), [{ role: 'user', content: 'first' }], 'the old answer is not sent along');
  });

  it('editing the last question replaces it and its answer; the conversation before it stays', async () => {
    await useProvider('/say/5000/v1');
    await chat({ type: 'send', text: 'say: one' });
    await chat({ type: 'send', text: 'say: two' });
    const before = await chat();
    const state = await chat({ type: 'editLast', text: 'say: three' });
    assert.deepEqual(state.messages.map((m) => m.text), ['say: one', ' one', 'say: three', ' three']);
    assert.deepEqual(state.messages.slice(0, 2).map((m) => m.id), before.messages.slice(0, 2).map((m) => m.id));
    assert.ok(state.posted.some((m) => m.type === 'messagesRemoved' && m.ids.join() === before.messages.slice(2).map((m) => m.id).join()));
    const body = bodyOf(last(await requests('/say/5000/')));
    assert.deepEqual(body.messages.filter((m) => m.role !== 'system').map((m) => m.content), ['say: one', ' one', 'say: three']);
  });

  it('chips: the selection or the whole file goes with the question, and stays with it in the conversation', async () => {
    await useProvider('/echo/5000/1/v1');
    const editor = await openDoc('line one\nline two\nline three\n', 0, 'plaintext');
    const attached = (s: ChatState) => s.posted.flatMap((m) => (m.type === 'attached' ? [m.attachment] : []));
    assert.deepEqual(attached(await chat({ type: 'attach', what: 'selection' })), [], 'no selection, no chip');
    editor.selection = new vscode.Selection(1, 0, 2, 4);
    const chips = attached(await chat({ type: 'attach', what: 'selection' }));
    assert.equal(chips.length, 1);
    const chip = chips[0];
    assert.deepEqual({ ...chip, label: chip.label.replace(/^.*:/, ':') }, { kind: 'selection', label: ':2-3', language: 'plaintext', text: 'line two\nline' });
    const fileChip: UiAttachment = attached(await chat({ type: 'attach', what: 'file' }))[0];
    assert.equal(fileChip.text, 'line one\nline two\nline three\n');
    assert.equal(fileChip.kind, 'file');

    const state = await chat({ type: 'send', text: 'What is this?', attachments: [chip] });
    assert.deepEqual(state.messages[0].attachments, [chip], 'the question keeps its chip (shown folded in its bubble)');
    assert.equal(state.messages[1].text, '«rewritten:line two\nline»', 'the model got the selection');
    const body = bodyOf(last(await requests('/echo/5000/1/')));
    assert.match(last(body.messages).content, /^What is this\?\n\nSelection from .*:2-3:\n```plaintext\nline two\nline\n```$/);
    await chat({ type: 'send', text: 'And now?' });
    const later = bodyOf(last(await requests('/echo/5000/1/')));
    assert.match(later.messages.find((m) => m.role === 'user')!.content, /Selection from/, 'later requests still carry it');
  });

  it('answer at cursor: the same stream goes into the editor at the cursor, one undo step', async () => {
    await useProvider('/synth/200/4000/v1');
    const editor = await openDoc('top\n\nbottom', 'top\n\n'.length);
    const state = await chat({ type: 'send', text: 'hi', atCursor: true });
    const answer = last(state.messages).text;
    assert.equal(answer, synthText(200));
    assert.equal(editor.document.getText(), `top\n\n${answer}bottom`);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), 'top\n\nbottom', 'one undo removes all of it');
    await chat({ type: 'send', text: 'again' });
    assert.equal(editor.document.getText(), 'top\n\nbottom', 'without the toggle the editor is left alone');
  });

  it('conversations: new, list, switch, rename, export as Markdown, open an answer or a code block in a new file, delete', async () => {
    await useProvider('/say/5000/v1');
    await chat({ type: 'send', text: 'say: alpha' });
    const a = (await chat()).activeId;
    await vscode.commands.executeCommand('askLlm.newChat');
    const fresh = await chat();
    assert.notEqual(fresh.activeId, a);
    assert.deepEqual(fresh.messages, []);
    assert.ok(fresh.posted.some((m) => m.type === 'snapshot' && m.messages.length === 0));
    await chat({ type: 'send', text: 'say: beta' });
    const b = (await chat()).activeId;
    let state = await chat();
    assert.deepEqual(state.chats.slice(0, 2).map((c) => [c.id, c.title, c.count]), [[b, 'say: beta', 2], [a, 'say: alpha', 2]], 'newest first, titled by the first question');

    state = await chat({ type: 'switchChat', id: a });
    assert.equal(state.activeId, a);
    assert.deepEqual(state.messages.map((m) => m.text), ['say: alpha', ' alpha']);
    assert.ok(state.posted.some((m) => m.type === 'snapshot' && m.messages.length === 2));

    state = await chat({ type: 'renameChat', id: a, title: 'Greek letters' });
    assert.equal(state.chats.find((c) => c.id === a)?.title, 'Greek letters');
    assert.ok(state.posted.some((m) => m.type === 'chats'));

    await chat({ type: 'exportChat', id: a });
    const exported = vscode.window.activeTextEditor!.document;
    assert.equal(exported.languageId, 'markdown');
    assert.ok(exported.isUntitled);
    assert.equal(exported.getText(), '# Greek letters\n\n## You\n\nsay: alpha\n\n## test · m\n\n alpha\n');

    // "Open in New File" on an answer (Markdown) and on a code block (its fence's language).
    await chat({ type: 'openInNewFile', text: ' alpha' });
    assert.deepEqual([vscode.window.activeTextEditor!.document.isUntitled, vscode.window.activeTextEditor!.document.languageId, vscode.window.activeTextEditor!.document.getText()], [true, 'markdown', ' alpha']);
    await chat({ type: 'openInNewFile', text: 'alpha', language: 'python' });
    assert.deepEqual([vscode.window.activeTextEditor!.document.languageId, vscode.window.activeTextEditor!.document.getText()], ['python', 'alpha']);
    const before = vscode.window.activeTextEditor!.document;
    await chat({ type: 'openInNewFile', text: 'text no answer shows' });
    assert.equal(vscode.window.activeTextEditor!.document, before, 'the host opens only text an answer shows');

    state = await chat({ type: 'deleteChat', id: a });
    assert.ok(!state.chats.some((c) => c.id === a));
    assert.equal(state.activeId, b, 'deleting the chat on show shows the newest other one');
    assert.deepEqual(state.messages.map((m) => m.text), ['say: beta', ' beta']);
    await vscode.commands.executeCommand('askLlm.exportChat');
    assert.match(vscode.window.activeTextEditor!.document.getText(), /^# say: beta\n/);
  });

  it('a view that loads mid-answer gets the whole answer so far, and the stream goes on', async () => {
    await useProvider('/synth/400/100/v1');
    const running = chat({ type: 'send', text: 'long' });
    await untilChat((s) => last(s.messages)?.role === 'assistant' && last(s.messages).text.length > 50, 'some text');
    const shown = await chat({ type: 'ready' }); // what a re-shown (re-created) view posts first
    const snapshot = shown.posted.find((m): m is Extract<HostMessage, { type: 'snapshot' }> => m.type === 'snapshot')!;
    assert.ok(snapshot.streaming);
    const partial = last(snapshot.messages);
    assert.ok(partial.text.length > 50 && synthText(400).startsWith(partial.text), 'the whole answer so far');
    assert.ok(shown.posted.some((m) => m.type === 'chats'));
    const done = await running; // what the chat holds, and posted, once the answer has ended
    assert.equal(last(done.messages).text, synthText(400), 'the stream went on to the end');
    assert.ok(done.posted.some((m) => m.type === 'messageDone'));
  });

  it('errors stay under the answer with what fixes them: the profile whose key was refused; Continue after text', async () => {
    await useProvider('/replay/openai-error-401.json/whole/v1');
    let answer = last((await chat({ type: 'send', text: 'hi' })).messages);
    assert.equal(answer.status, 'error');
    assert.equal(answer.error?.kind, 'auth');
    assert.equal(answer.error?.profileId, 'test', '"Set API key…" asks for this profile\u2019s key');
    assert.ok(answer.error?.hint);

    await useProvider('/replay/openai-midstream-error.sse/whole/v1');
    answer = last((await chat({ type: 'send', text: 'hi' })).messages);
    assert.equal(answer.status, 'error');
    assert.ok(answer.text.length > 0, 'the text before the error is kept');
    const state = await chat({ type: 'continue' });
    assert.equal(last(state.messages).id, answer.id, 'Continue goes on in the same message');
    const sent = bodyOf(last(await requests('/replay/openai-midstream-error.sse/'))).messages;
    assert.deepEqual(sent.filter((m) => m.role === 'assistant').pop(), { role: 'assistant', content: answer.text }, 'with the partial answer');
  });
});
