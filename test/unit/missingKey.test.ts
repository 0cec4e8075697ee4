// A profile that needs a key and has none fails before anything is sent, naming the profile and
// how to set the key; local servers and key-less kinds still go out. Real HTTP on 127.0.0.1: the
// remote-looking base URLs are routed to a local server by the fetch the API is given, so a request
// that does leave is seen by the server.
import { strict as assert } from 'node:assert';
import { LlmError } from '../../src/core/errors';
import { isLocalUrl, missingKey } from '../../src/core/profiles';
import type { ProviderProfile } from '../../src/core/types';
import { apiWith, replyServer, type RawServer } from '../support/api';
import { collect } from '../support/collect';

const REMOTE = 'https://llm.example.test';
const SSE = [
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hello"},"finish_reason":null}]}',
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
  'data: [DONE]',
  '',
].join('\n\n');

describe('a missing API key is reported before sending', () => {
  let server: RawServer;
  before(async () => { server = await replyServer(SSE); });
  after(() => server.close());
  beforeEach(() => { server.seen.length = 0; });

  let fetched = 0;
  /** Sends what is meant for REMOTE to the local server instead (and counts every call). */
  const toLocal: typeof fetch = (input, init) => {
    fetched++;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return fetch(url.replace(REMOTE, server.url), init);
  };
  const api = (profile: ProviderProfile, keys: { apiKey?: string; secretKey?: string } = {}) => apiWith(profile, keys, { fetch: toLocal });

  it('no key for a remote openai profile: an auth error naming the profile and the command; nothing reaches the server', async () => {
    fetched = 0;
    const got = await collect(api({ id: 'qwen', label: 'Qwen', kind: 'openai', model: 'qwen-plus', baseUrl: `${REMOTE}/compatible-mode/v1` }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    const error = got.terminal?.type === 'error' ? got.terminal.error : undefined;
    assert.equal(error?.kind, 'auth');
    assert.equal(error?.retryable, false);
    assert.equal(error?.message, 'No API key is set for "Qwen" (profile "qwen"), so nothing was sent. Run "Ask LLM: Set API Key…" to store one.');
    assert.doesNotMatch(error?.message ?? '', /no-key/);
    assert.equal(got.starts, 0);
    assert.equal(fetched, 0, 'fetch was never called');
    assert.equal(server.seen.length, 0, 'no request reached the server');
  });

  it('the same profile with a key goes out (the routing works) and sends that key', async () => {
    const got = await collect(api({ id: 'qwen', kind: 'openai', model: 'qwen-plus', baseUrl: `${REMOTE}/compatible-mode/v1` }, { apiKey: 'sk-real' }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'end', JSON.stringify(got.terminal));
    assert.equal(got.text, 'hello');
    assert.equal(server.seen.length, 1);
    assert.equal(server.seen[0].url, '/compatible-mode/v1/chat/completions');
    assert.equal(server.seen[0].headers.authorization, 'Bearer sk-real');
  });

  it('names the environment variable the profile reads its key from', async () => {
    delete process.env.ASKLLM_UNIT_MISSING_KEY;
    const got = await collect(api({ id: 'deepseek', kind: 'openai', model: 'deepseek-chat', baseUrl: REMOTE, apiKeyEnv: 'ASKLLM_UNIT_MISSING_KEY' }).streamEvents('hi'));
    const message = got.terminal?.type === 'error' ? got.terminal.error.message : '';
    assert.match(message, /profile "deepseek"/);
    assert.match(message, /Run "Ask LLM: Set API Key…" to store one, or set the environment variable ASKLLM_UNIT_MISSING_KEY\./);
    assert.equal(server.seen.length, 0);
  });

  it('every kind that needs a key stops early: azure-openai, anthropic, gemini, dashscope, openai-responses', async () => {
    for (const kind of ['azure-openai', 'anthropic', 'gemini', 'dashscope', 'openai-responses'] as const) {
      const got = await collect(api({ id: `k-${kind}`, kind, model: 'm', baseUrl: REMOTE, apiVersion: '2024-10-21' }).streamEvents('hi'));
      assert.equal(got.terminal?.type === 'error' && got.terminal.error.kind, 'auth', kind);
      assert.match(got.terminal?.type === 'error' ? got.terminal.error.message : '', new RegExp(`profile "k-${kind}"`), kind);
    }
    assert.equal(server.seen.length, 0, 'no request reached the server');
  });

  it('ERNIE without its secret key asks for that one, before any request', async () => {
    const got = await collect(api({ id: 'ernie', kind: 'ernie', model: 'completions_pro', baseUrl: REMOTE, secretKeyEnv: 'ASKLLM_UNIT_NO_SECRET' }, { apiKey: 'k' }).streamEvents('hi'));
    assert.equal(got.terminal?.type === 'error' && got.terminal.error.kind, 'auth');
    assert.match(got.terminal?.type === 'error' ? got.terminal.error.message : '', /No secret key is set for profile "ernie".*ASKLLM_UNIT_NO_SECRET/);
    assert.equal(server.seen.length, 0);
  });

  it('invoke rejects with the same auth error', async () => {
    await assert.rejects(api({ id: 'qwen', kind: 'openai', model: 'm', baseUrl: REMOTE }).invoke('hi'), (err: unknown) => {
      assert.ok(err instanceof LlmError);
      assert.equal(err.info.kind, 'auth');
      assert.match(err.message, /profile "qwen"/);
      return true;
    });
    assert.equal(server.seen.length, 0);
  });

  it('local servers need no key: openai-compatible on 127.0.0.1 (vLLM, LM Studio), ollama anywhere', async () => {
    const local = await collect(apiWith({ id: 'vllm', kind: 'openai', model: 'm', baseUrl: `${server.url}/v1` }, {}).streamEvents('hi'));
    assert.equal(local.terminal?.type, 'end', JSON.stringify(local.terminal));
    assert.equal(local.text, 'hello');
    const ollama = await collect(api({ id: 'ollama', kind: 'ollama', model: 'm', baseUrl: REMOTE }).streamEvents('hi'));
    assert.notEqual(ollama.terminal?.type === 'error' && ollama.terminal.error.kind, 'auth', 'ollama is not stopped for a key');
    assert.equal(server.seen.length, 2, 'both requests went out');
    assert.equal(server.seen[1].url, '/api/chat');
  });

  it('a gateway whose headers carry the credentials needs no key of ours', async () => {
    const got = await collect(api({ id: 'gw', kind: 'openai', model: 'm', baseUrl: `${REMOTE}/v1`, headers: { Authorization: 'Bearer from-headers' } }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'end', JSON.stringify(got.terminal));
    assert.equal(server.seen.length, 1);
  });
});

describe('missingKey / isLocalUrl', () => {
  const p = (extra: Partial<ProviderProfile>): ProviderProfile => ({ id: 'x', kind: 'openai', model: 'm', ...extra });

  it('local hosts: loopback, localhost, the local network', () => {
    for (const url of ['http://127.0.0.1:8000/v1', 'http://localhost:1234/v1', 'http://[::1]:8000/v1', 'http://api.localhost/v1',
      'http://192.168.1.20:8000/v1', 'http://10.0.0.5/v1', 'http://172.20.0.2/v1', 'http://gpu-box.local:8000/v1']) {
      assert.equal(isLocalUrl(url), true, url);
    }
    for (const url of ['https://api.openai.com/v1', 'https://dashscope.aliyuncs.com', 'http://172.32.0.1/v1', 'http://127.example.com', 'not a url']) {
      assert.equal(isLocalUrl(url), false, url);
    }
  });

  it('which profiles need a key', () => {
    assert.equal(missingKey(p({}), {}), 'apiKey', 'openai with the default base URL');
    assert.equal(missingKey(p({}), { apiKey: 'k' }), undefined);
    assert.equal(missingKey(p({ baseUrl: 'http://127.0.0.1:11434/v1' }), {}), undefined, 'Ollama /v1, vLLM, LM Studio');
    assert.equal(missingKey(p({ kind: 'ollama' }), {}), undefined);
    assert.equal(missingKey(p({ kind: 'ollama', baseUrl: 'https://ollama.example.com' }), {}), undefined);
    assert.equal(missingKey(p({ kind: 'sse', url: 'https://example.com/stream' }), {}), undefined);
    assert.equal(missingKey(p({ kind: 'vscode-lm', model: '' }), {}), undefined);
    assert.equal(missingKey(p({ kind: 'anthropic' }), {}), 'apiKey');
    assert.equal(missingKey(p({ kind: 'azure-openai', baseUrl: 'https://r.openai.azure.com' }), {}), 'apiKey');
    assert.equal(missingKey(p({ headers: { 'x-api-key': 'k' } }), {}), undefined);
    assert.equal(missingKey(p({ headers: { 'x-trace': '1' } }), {}), 'apiKey');
    assert.equal(missingKey(p({ kind: 'ernie' }), {}), 'apiKey');
    assert.equal(missingKey(p({ kind: 'ernie' }), { apiKey: 'k' }), 'secretKey');
    assert.equal(missingKey(p({ kind: 'ernie', baseUrl: 'http://127.0.0.1:9' }), { apiKey: 'k', secretKey: 's' }), undefined);
  });
});
