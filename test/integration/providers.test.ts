// Every provider kind inside the real extension host: one streamed answer through the public
// API's streamEvents and one through askLlm.ask into a document; vscode-lm against a scripted
// model registered by test/fixtures/lm-extension; requests through VS Code's http.proxy.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { AskLlmApi } from '../../src/api';
import type { ProviderProfile } from '../../src/core/types';
import { collect } from '../support/collect';
import { startCountingProxy } from '../support/countingProxy';
import { loadFixture } from '../support/fixtureServer';

const server = () => {
  const url = process.env.ASKLLM_TEST_SERVER;
  if (!url) throw new Error('ASKLLM_TEST_SERVER is not set: run through test/run/integration.mjs');
  return url;
};

async function api(): Promise<AskLlmApi> {
  const ext = vscode.extensions.getExtension<AskLlmApi>('askllm.ask-llm');
  assert.ok(ext, 'the extension is installed');
  return ext.activate();
}

async function useProfiles(profiles: ProviderProfile[]): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('askLlm');
  await cfg.update('providers', profiles, vscode.ConfigurationTarget.Global);
  await cfg.update('activeProvider', profiles[0]?.id ?? '', vscode.ConfigurationTarget.Global);
}

const expectedText = (fixture: string) => String((loadFixture(fixture).meta.expected as { text?: string }).text ?? '');

interface KindCase { profile: () => ProviderProfile; fixture: string }

const KINDS: Record<string, KindCase> = {
  openai: { fixture: 'openai-chat-usage.sse', profile: () => ({ id: 'k-openai', kind: 'openai', model: 'm', baseUrl: `${server()}/replay/openai-chat-usage.sse/random-3/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' }) },
  dashscope: { fixture: 'dashscope-incremental.sse', profile: () => ({ id: 'k-dashscope', kind: 'dashscope', model: 'qwen-plus', baseUrl: `${server()}/replay/dashscope-incremental.sse/random-3`, apiKeyEnv: 'ASKLLM_TEST_KEY' }) },
  'dashscope (cumulative)': { fixture: 'dashscope-cumulative.sse', profile: () => ({ id: 'k-dashscope-c', kind: 'dashscope', model: 'qwen-turbo', baseUrl: `${server()}/replay/dashscope-cumulative.sse/bytes`, apiKeyEnv: 'ASKLLM_TEST_KEY', params: { incremental_output: false } }) },
  ernie: { fixture: 'ernie-v1.sse', profile: () => ({ id: 'k-ernie', kind: 'ernie', model: 'completions_pro', baseUrl: `${server()}/ernie/expire-once/ernie-v1.sse/random-3`, apiKeyEnv: 'ASKLLM_TEST_KEY', secretKeyEnv: 'ASKLLM_TEST_ERNIE_SECRET' }) },
  anthropic: { fixture: 'anthropic-thinking-tools.sse', profile: () => ({ id: 'k-anthropic', kind: 'anthropic', model: 'claude', baseUrl: `${server()}/replay/anthropic-thinking-tools.sse/random-3`, apiKeyEnv: 'ASKLLM_TEST_KEY' }) },
  gemini: { fixture: 'gemini-basic.sse', profile: () => ({ id: 'k-gemini', kind: 'gemini', model: 'gemini-2.5-flash', baseUrl: `${server()}/replay/gemini-basic.sse/bytes`, apiKeyEnv: 'ASKLLM_TEST_KEY' }) },
  'openai-responses': { fixture: 'openai-responses-basic.sse', profile: () => ({ id: 'k-responses', kind: 'openai-responses', model: 'm', baseUrl: `${server()}/replay/openai-responses-basic.sse/random-3/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' }) },
  'openai-completions': { fixture: 'openai-completions-basic.sse', profile: () => ({ id: 'k-completions', kind: 'openai-completions', model: 'gpt-3.5-turbo-instruct', baseUrl: `${server()}/replay/openai-completions-basic.sse/random-3/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' }) },
  'azure-openai': { fixture: 'azure-basic.sse', profile: () => ({ id: 'k-azure', kind: 'azure-openai', model: 'my-deployment', baseUrl: `${server()}/replay/azure-basic.sse/random-3`, apiKeyEnv: 'ASKLLM_TEST_KEY' }) },
  sse: { fixture: 'sse-generic-basic.sse', profile: () => ({ id: 'k-sse', kind: 'sse', model: 'default', url: `${server()}/replay/sse-generic-basic.sse/random-3/chat/stream`, textPath: 'data.text', doneWhen: 'event:end', body: { query: '{{prompt}}', history: '{{messages}}' } }) },
  ollama: { fixture: 'ollama-chat.ndjson', profile: () => ({ id: 'k-ollama', kind: 'ollama', model: 'qwen3:8b', baseUrl: `${server()}/replay/ollama-chat.ndjson/random-3` }) },
};

describe('every provider kind in the real extension host', function () {
  this.timeout(30_000);
  after(() => useProfiles([]));

  for (const [name, c] of Object.entries(KINDS)) {
    it(`${name}: streamEvents yields the fixture's answer, askLlm.ask writes it into a document`, async () => {
      const profile = c.profile();
      await useProfiles([profile]);
      const got = await collect((await api()).streamEvents('hi', { provider: profile.id }));
      assert.equal(got.terminal?.type, 'end', JSON.stringify(got.terminal));
      assert.equal(got.text, expectedText(c.fixture));
      const result = await vscode.commands.executeCommand<{ text: string; finishReason: string }>('askLlm.ask', { prompt: 'hi', provider: profile.id, target: 'newDocument' });
      assert.equal(result.text, expectedText(c.fixture));
      assert.equal(vscode.window.activeTextEditor?.document.getText(), expectedText(c.fixture));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  }

  it('vscode-lm: a language model registered with vscode.lm answers through the same events', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'askllm-test' });
    assert.ok(models.length > 0, 'the scripted test model is registered (test/fixtures/lm-extension)');
    await useProfiles([{ id: 'k-lm', kind: 'vscode-lm', model: 'scripted-echo' }]);
    const got = await collect((await api()).streamEvents('hello 你好'));
    assert.equal(got.terminal?.type, 'end', JSON.stringify(got.terminal));
    assert.equal(got.text, 'Echo: hello 你好');
    assert.ok(got.events.filter((e) => e.type === 'text').length > 1, 'streamed in pieces');
    const stopped = await collect((await api()).streamEvents('slow slow slow slow slow slow', { signal: AbortSignal.timeout(150) }));
    assert.deepEqual(stopped.terminal, { type: 'end', finishReason: 'cancelled' });
  });

  it("requests go through VS Code's http.proxy", async () => {
    const proxy = await startCountingProxy(server());
    const http = vscode.workspace.getConfiguration('http');
    try {
      await http.update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
      // A host that only the proxy can reach: if this answers, the request went through the proxy.
      await useProfiles([{ id: 'k-proxy', kind: 'openai', model: 'm', baseUrl: 'http://askllm-proxy-test.invalid/replay/openai-chat-basic.sse/whole/v1', apiKeyEnv: 'ASKLLM_TEST_KEY' }]);
      const got = await collect((await api()).streamEvents('hi'));
      assert.equal(got.text, expectedText('openai-chat-basic.sse'), JSON.stringify(got.terminal));
      assert.ok(proxy.seen.some((u) => u.includes('askllm-proxy-test.invalid')), `the proxy saw: ${proxy.seen.join(', ')}`);
    } finally {
      await http.update('proxy', undefined, vscode.ConfigurationTarget.Global);
      await proxy.close();
    }
  });
});
