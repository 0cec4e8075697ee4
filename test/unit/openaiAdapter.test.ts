// The `openai` kind against every OpenAI-shaped fixture, replayed over real HTTP on 127.0.0.1.
import { strict as assert } from 'node:assert';
import { createApi } from '../../src/api';
import { normalizeFinishReason } from '../../src/providers/normalize';
import type { ErrorKind, ProviderProfile } from '../../src/core/types';
import type { Expected } from '../support/api';
import { collect } from '../support/collect';
import * as net from 'node:net';

/** A port nothing listens on: bound once, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
import { loadFixture, startFixtureServer, type FixtureServer } from '../support/fixtureServer';

const STREAMS = [
  'openai-chat-basic.sse', 'openai-chat-usage.sse', 'openai-chat-refusal.sse', 'openai-chat-tool-calls.sse',
  'deepseek-reasoning.sse', 'qianfan-v2.sse', 'vllm-reasoning-continuous-usage.sse', 'ollama-openai-v1-tools.sse',
  'openai-midstream-error.sse', 'sse-edge-crlf.sse', 'sse-edge-keepalive-variants.sse',
  'sse-edge-no-trailing-blank.sse', 'sse-edge-split-utf8.sse',
];
const ERRORS: Record<string, ErrorKind> = {
  'openai-error-401.json': 'auth',
  'openai-error-404-model.json': 'notFound',
  'openai-error-429.json': 'rateLimit',
  'openai-error-500.json': 'server',
  'openai-error-503.json': 'overloaded',
};
const MID_STREAM_KIND: Record<string, ErrorKind> = { 'openai-midstream-error.sse': 'server' };
const MODES = ['whole', 'bytes', 'random-1', 'random-2', 'random-3'];

describe('openai adapter: fixtures over real HTTP', () => {
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(async () => { await server.close(); });

  function apiFor(path: string, extra: Partial<ProviderProfile> = {}) {
    const profile: ProviderProfile = { id: 'fx', kind: 'openai', model: 'test-model', baseUrl: `${server.url}${path}`, maxRetries: 0, ...extra };
    return createApi({ profiles: () => [profile], activeProfileId: () => 'fx', keysFor: async () => ({ apiKey: 'sk-test-123' }) });
  }

  for (const fixture of [...STREAMS, ...Object.keys(ERRORS)]) {
    const expected = loadFixture(fixture).meta.expected as unknown as Expected;
    const modes = fixture.endsWith('.json') ? ['whole'] : fixture === 'sse-edge-split-utf8.sse' ? [...MODES, 'offsets'] : MODES;
    for (const mode of modes) {
      it(`${fixture} (${mode})`, async () => {
        const got = await collect(apiFor(`/replay/${fixture}/${mode}/v1`).streamEvents('hi'));
        assert.equal(got.text, (expected.text ?? '') + (expected.refusal ?? ''), 'text (a refusal is shown as text)');
        assert.equal(got.reasoning, expected.reasoning ?? '', 'reasoning');
        assert.deepEqual(got.toolCalls, (expected.tool_calls ?? []).map((t) => ({ id: t.id, name: t.name, arguments: t.arguments })), 'tool calls');
        const u = expected.usage_normalized;
        assert.deepEqual(got.usage, u ? { inputTokens: u.input_tokens, outputTokens: u.output_tokens, totalTokens: u.total_tokens } : undefined, 'usage');
        const t = got.terminal;
        assert.ok(t, 'a terminal event');
        if (expected.error) {
          assert.equal(t.type, 'error', JSON.stringify(t));
          if (t.type !== 'error') return;
          assert.equal(t.error.kind, ERRORS[fixture] ?? MID_STREAM_KIND[fixture]);
          assert.equal(t.error.status, expected.error.http_status);
          assert.equal(t.error.retryable, expected.error.retryable);
          assert.equal(t.error.retryAfterMs, expected.error.retry_after_ms ?? undefined);
          assert.ok(t.error.message.includes(expected.error.message), t.error.message);
          assert.equal(got.starts, fixture.endsWith('.json') ? 0 : 1);
        } else if (expected.finish_reason === null) {
          // No finish reason and no terminator: the stream was cut. Never a normal end.
          assert.equal(t.type, 'error');
          if (t.type === 'error') assert.equal(t.error.kind, 'protocol');
        } else {
          assert.deepEqual(t, { type: 'end', finishReason: normalizeFinishReason(expected.finish_reason), nativeFinishReason: expected.finish_reason });
          assert.equal(got.starts, 1);
          assert.equal(got.events[0].type, 'start');
        }
      });
    }
  }

  it('sends POST {baseUrl}/chat/completions with the key, the messages, stream_options and params', async () => {
    const api = apiFor('/replay/openai-chat-basic.sse/whole/v1', { params: { temperature: 0.2 }, headers: { 'X-Gateway': 'g1' } });
    await collect(api.streamEvents([{ role: 'user', content: '你好' }], { system: 'be brief' }));
    const req = server.requests[server.requests.length - 1];
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/replay/openai-chat-basic.sse/whole/v1/chat/completions');
    assert.equal(req.headers.authorization, 'Bearer sk-test-123');
    assert.equal(req.headers['x-gateway'], 'g1');
    const body = JSON.parse(req.body);
    assert.deepEqual(body.messages, [{ role: 'system', content: 'be brief' }, { role: 'user', content: '你好' }]);
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.temperature, 0.2);
    assert.equal(body.model, 'test-model');
  });

  it('streamUsage: false leaves out stream_options', async () => {
    await collect(apiFor('/replay/openai-chat-basic.sse/whole/v1', { streamUsage: false }).streamEvents('hi'));
    assert.equal(JSON.parse(server.requests[server.requests.length - 1].body).stream_options, undefined);
  });
});

describe('openai adapter: bad input and faults', () => {
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(async () => { await server.close(); });

  const api = (baseUrl: string, extra: Partial<ProviderProfile> = {}) => {
    const profile: ProviderProfile = { id: 'fx', kind: 'openai', model: 'm', baseUrl, maxRetries: 0, ...extra };
    return createApi({ profiles: () => [profile], activeProfileId: () => 'fx', keysFor: async () => ({ apiKey: 'k' }), retryBaseMs: 5 });
  };

  it('a stall mid-stream ends with a timeout after idleMs, keeping the text so far, and closes the connection', async () => {
    const got = await collect(api(`${server.url}/fault/stall/openai-chat-basic.sse/v1`, { timeouts: { idleMs: 300 } }).streamEvents('hi'));
    assert.ok(got.text.length > 0, 'partial text kept');
    assert.ok(loadFixture('openai-chat-basic.sse').meta.expected!.text!.toString().startsWith(got.text));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type === 'error') assert.equal(got.terminal.error.kind, 'timeout');
    const rec = await server.waitClosed();
    assert.equal(rec.clientAborted, true);
  });

  it('cancel mid-stream ends with cancelled and closes the connection at once, even when the server is silent', async () => {
    const ctl = new AbortController();
    const got = await collect(api(`${server.url}/fault/stall/openai-chat-basic.sse/v1`).streamEvents('hi', { signal: ctl.signal }), (ev) => {
      if (ev.type === 'text') ctl.abort();
    });
    assert.deepEqual(got.terminal, { type: 'end', finishReason: 'cancelled' });
    assert.ok(got.text.length > 0);
    const rec = await server.waitClosed(undefined, 2000);
    assert.equal(rec.clientAborted, true);
  });

  it('a connection reset mid-stream is an error with the partial text kept', async () => {
    const got = await collect(api(`${server.url}/fault/reset/openai-chat-basic.sse/v1`).streamEvents('hi'));
    assert.ok(got.text.length > 0);
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type === 'error') assert.ok(['network', 'protocol'].includes(got.terminal.error.kind), got.terminal.error.kind);
  });

  it("a proxy's HTML error page is a clear server error, not garbage", async () => {
    const got = await collect(api(`${server.url}/fault/html/v1`).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type !== 'error') return;
    assert.equal(got.terminal.error.kind, 'server');
    assert.equal(got.terminal.error.status, 502);
    assert.match(got.terminal.error.message, /HTML page.*502 Bad Gateway/);
  });

  it('a 200 HTML page (wrong base URL) says the base URL is probably wrong', async () => {
    const got = await collect(api(`${server.url}/fault/html200/v1`).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type === 'error') assert.match(got.terminal.error.message, /HTML page.*base URL/);
  });

  it('an unreachable server is a network error that says so', async () => {
    const port = await freePort();
    const got = await collect(api(`http://127.0.0.1:${port}/v1`).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type !== 'error') return;
    assert.equal(got.terminal.error.kind, 'network');
    assert.match(got.terminal.error.message, new RegExp(`127\\.0\\.0\\.1:${port}.*refused`));
  });

  it('slow headers past connectMs is a timeout', async () => {
    const got = await collect(api(`${server.url}/fault/slow-headers/2000/openai-chat-basic.sse/v1`, { timeouts: { connectMs: 200 } }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type === 'error') assert.equal(got.terminal.error.kind, 'timeout');
  });

  it('retries 429s before the first token, with one start, then streams', async () => {
    const key = `k${Date.now()}`;
    const got = await collect(api(`${server.url}/fault/flaky/2/openai-chat-basic.sse/${key}/v1`, { maxRetries: 2 }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'end');
    assert.equal(got.starts, 1);
    assert.equal(got.text, '杭州是一座以西湖闻名的江南城市，风景如画 🌸。');
    assert.equal(server.requests.filter((r) => r.url.includes(key)).length, 3);
  });

  it('gives up after maxRetries with the last error', async () => {
    const key = `k${Date.now()}`;
    const got = await collect(api(`${server.url}/fault/flaky/5/openai-chat-basic.sse/${key}/v1`, { maxRetries: 1 }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type === 'error') assert.equal(got.terminal.error.kind, 'rateLimit');
    assert.equal(server.requests.filter((r) => r.url.includes(key)).length, 2);
  });

  it('never retries a 401', async () => {
    const before = server.requests.length;
    await collect(api(`${server.url}/replay/openai-error-401.json/whole/v1`, { maxRetries: 3 }).streamEvents('hi'));
    assert.equal(server.requests.length - before, 1);
  });

  it('stream: false gets one whole answer through the same events', async () => {
    const got = await collect(api(`${server.url}/synth/50/100000/v1`, { stream: false }).streamEvents('hi'));
    assert.equal(JSON.parse(server.requests[server.requests.length - 1].body).stream, false);
    assert.equal(got.terminal?.type, 'end');
    assert.ok(got.text.length > 0);
  });
});

describe('public API', () => {
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(async () => { await server.close(); });

  const make = (path = '/replay/openai-chat-basic.sse/random-5/v1') => createApi({
    profiles: () => [
      { id: 'a', kind: 'openai', model: 'm', baseUrl: `${server.url}${path}` },
      { id: 'b', kind: 'openai', model: 'm', baseUrl: `${server.url}/replay/deepseek-reasoning.sse/whole/v1` },
      // vscode-lm is registered by the extension host; in plain Node this build has no adapter for it.
      { id: 'z', kind: 'vscode-lm', model: '' },
    ],
    activeProfileId: () => 'a',
    keysFor: async () => ({ apiKey: 'k' }),
  });

  it('invoke returns the whole text; stream yields the pieces; batch keeps the order', async () => {
    const api = make();
    assert.equal(await api.invoke('hi'), '杭州是一座以西湖闻名的江南城市，风景如画 🌸。');
    let joined = '';
    for await (const piece of api.stream('hi')) joined += piece;
    assert.equal(joined, '杭州是一座以西湖闻名的江南城市，风景如画 🌸。');
    const answers = await api.batch(['1', '2', '3'], { provider: 'b' });
    assert.equal(answers.length, 3);
    assert.ok(answers.every((a) => a.startsWith('天空呈蓝色')));
  });

  it('invoke rejects with the error info and the partial text', async () => {
    await assert.rejects(make('/replay/openai-midstream-error.sse/whole/v1').invoke('hi', { provider: 'a' }), (err: Error & { info?: { kind: string }; partialText?: string }) => {
      assert.equal(err.info?.kind, 'server');
      assert.ok(err.partialText?.startsWith('好的'));
      return true;
    });
  });

  it('an unknown profile id or unsupported kind is an error event, not an exception', async () => {
    const api = make();
    const missing = await collect(api.streamEvents('hi', { provider: 'nope' }));
    assert.deepEqual(missing.terminal, { type: 'error', error: { kind: 'notFound', message: 'No provider profile "nope" in askLlm.providers.', retryable: false } });
    const unsupported = await collect(api.streamEvents('hi', { provider: 'z' }));
    assert.equal(unsupported.terminal?.type, 'error');
    assert.equal(unsupported.terminal.type === 'error' && unsupported.terminal.error.kind, 'badRequest');
    assert.match(unsupported.terminal.type === 'error' ? unsupported.terminal.error.message : '', /kind "vscode-lm" .* not supported/);
    assert.equal(unsupported.starts, 0, 'no request was made');
  });
});
