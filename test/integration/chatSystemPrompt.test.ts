// What the chat and the palette send and keep, seen at the fixture server: the system prompt (the
// profile's own, else askLlm.systemPrompt), and how long the model reasoned, kept with the answer.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { ProviderProfile } from '../../src/core/types';
import type { RecordedRequest } from '../support/fixtureServer';
import type { HostMessage, UiChat, UiMessage, WebviewMessage } from '../../src/shared/protocol';
import { requests } from '../support/serverLog';

interface ChatState { chats: UiChat[]; activeId: string; messages: UiMessage[]; streaming: boolean; posted: HostMessage[] }
interface AskResult { text: string; finishReason: string }

const server = () => process.env.ASKLLM_TEST_SERVER!;
const chat = (message?: WebviewMessage) => vscode.commands.executeCommand<ChatState>('askLlm.test.chat', message);
const ask = (args: object) => vscode.commands.executeCommand<AskResult>('askLlm.ask', args);
const last = <T>(xs: T[]): T => xs[xs.length - 1];
const cfg = () => vscode.workspace.getConfiguration('askLlm');

/** The messages of the latest request whose URL starts with `prefix`. */
async function sent(prefix: string): Promise<Array<{ role: string; content: string }>> {
  const r = last(await requests(prefix));
  assert.ok(r, `a request to ${prefix}`);
  return (JSON.parse(r.body) as { messages: Array<{ role: string; content: string }> }).messages;
}

async function profiles(list: Array<Partial<ProviderProfile> & { id: string; baseUrl: string }>, active: string): Promise<void> {
  await cfg().update('providers', list.map((p) => ({ kind: 'openai', model: 'm', apiKeyEnv: 'ASKLLM_TEST_KEY', ...p, baseUrl: `${server()}${p.baseUrl}` })), vscode.ConfigurationTarget.Global);
  await cfg().update('activeProvider', active, vscode.ConfigurationTarget.Global);
}

describe('chat: the system prompt and the reasoning duration', function () {
  this.timeout(60_000);
  beforeEach(async () => {
    await vscode.commands.executeCommand('askLlm.newChat');
    await chat();
  });
  afterEach(async () => {
    // The answers went into untitled documents: closed without asking to save them.
    for (let i = 0; i < 5 && vscode.window.visibleTextEditors.length; i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    for (const key of ['providers', 'activeProvider', 'systemPrompt']) await cfg().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('system prompt: the profile\u2019s own, else askLlm.systemPrompt, else none; the same from the chat and from the palette\u2019s askLlm.ask', async () => {
    const OWN = '/synth/5/5000/own/';
    const PLAIN = '/synth/5/5000/plain/';
    await profiles([
      { id: 'own', baseUrl: `${OWN}v1`, systemPrompt: 'You answer as the profile says.' },
      { id: 'plain', baseUrl: `${PLAIN}v1` },
    ], 'own');
    await cfg().update('systemPrompt', 'You answer as the settings say.', vscode.ConfigurationTarget.Global);

    await chat({ type: 'send', text: 'chat, own profile' });
    assert.deepEqual((await sent(OWN)).slice(0, 2), [{ role: 'system', content: 'You answer as the profile says.' }, { role: 'user', content: 'chat, own profile' }]);
    assert.equal((await ask({ prompt: 'palette, own profile', target: 'newDocument' })).finishReason, 'stop');
    assert.deepEqual((await sent(OWN)).slice(0, 2), [{ role: 'system', content: 'You answer as the profile says.' }, { role: 'user', content: 'palette, own profile' }]);
    // A follow-up carries it once, first.
    await chat({ type: 'send', text: 'and again' });
    const followUp = await sent(OWN);
    assert.equal(followUp.filter((m) => m.role === 'system').length, 1);
    assert.equal(followUp[0].role, 'system');

    await cfg().update('activeProvider', 'plain', vscode.ConfigurationTarget.Global);
    await chat({ type: 'send', text: 'chat, plain profile' });
    assert.deepEqual((await sent(PLAIN))[0], { role: 'system', content: 'You answer as the settings say.' });
    const doc = await vscode.workspace.openTextDocument({ content: '' });
    await vscode.window.showTextDocument(doc);
    assert.equal((await ask({ prompt: 'palette, plain profile', target: 'cursor' })).finishReason, 'stop');
    assert.deepEqual((await sent(PLAIN)).slice(0, 2), [{ role: 'system', content: 'You answer as the settings say.' }, { role: 'user', content: 'palette, plain profile' }]);

    await cfg().update('systemPrompt', undefined, vscode.ConfigurationTarget.Global);
    await chat({ type: 'send', text: 'no system prompt' });
    assert.deepEqual((await sent(PLAIN)).map((m) => m.role).filter((r) => r === 'system'), []);
  });

  it('reasoning: how long the model reasoned reaches the view and is kept with the stored answer', async () => {
    // The recorded DeepSeek reasoner answer, dripped in 30 writes 40 ms apart: reasoning, then text.
    await profiles([{ id: 'reasoner', baseUrl: '/fx/drip:40:n30/replay/deepseek-reasoning.sse/whole/v1' }], 'reasoner');
    const state = await chat({ type: 'send', text: 'Why is the sky blue?' });
    const answer = last(state.messages);
    assert.equal(answer.status, 'done');
    assert.ok(answer.reasoning && answer.text, 'reasoning and text');
    const ms = answer.stats?.reasoningMs;
    assert.ok(ms !== undefined && ms > 100 && ms < answer.stats!.durationMs, `reasoned for ${ms} ms of ${answer.stats?.durationMs} ms`);
    const done = state.posted.find((m): m is Extract<HostMessage, { type: 'messageDone' }> => m.type === 'messageDone' && m.id === answer.id);
    assert.equal(done?.stats?.reasoningMs, ms, 'the view gets it with the end of the answer');
    // From the store: another chat, then back to this one (what a reload reads).
    const id = state.activeId;
    await vscode.commands.executeCommand('askLlm.newChat');
    const back = await chat({ type: 'switchChat', id });
    assert.equal(last(back.messages).stats?.reasoningMs, ms);
    assert.equal(last(back.messages).reasoning, answer.reasoning);
  });

  it('reasoning: an answer stopped after its reasoning and continued keeps how long it reasoned, plus the continuation\u2019s', async () => {
    await profiles([{ id: 'reasoner', baseUrl: '/fx/drip:60:n40/replay/deepseek-reasoning.sse/whole/v1' }], 'reasoner');
    const running = chat({ type: 'send', text: 'Why is the sky blue?' });
    for (let i = 0; i < 200; i++) {
      const s = await chat();
      if (last(s.messages)?.role === 'assistant' && last(s.messages).text.length > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(await vscode.commands.executeCommand('askLlm.stop'), true);
    const stopped = last((await running).messages);
    assert.equal(stopped.status, 'cancelled');
    const before = stopped.stats?.reasoningMs;
    assert.ok(before !== undefined && before > 0, `reasoned for ${before} ms before the stop`);
    const state = await chat({ type: 'continue' });
    const whole = last(state.messages);
    assert.equal(whole.id, stopped.id);
    // The continuation replays the same reasoning at the same pace: about twice as long in all.
    assert.ok(whole.stats?.reasoningMs !== undefined && whole.stats.reasoningMs > 1.5 * before, `${whole.stats?.reasoningMs} ms after the continuation, ${before} ms before`);
  });
});
