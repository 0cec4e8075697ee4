// dashscope, ernie, ollama and the generic sse kind, over real HTTP on 127.0.0.1.
import { strict as assert } from 'node:assert';
import type { ProviderProfile } from '../../src/core/types';
import { DeltaTracker } from '../../src/providers/cumulative';
import { apiWith, rawServer, replyServer, type Expected } from '../support/api';
import { collect } from '../support/collect';
import { loadFixture, startFixtureServer, type FixtureServer } from '../support/fixtureServer';

const MODES = ['whole', 'bytes', 'random-1', 'random-2', 'random-3'];

function assertMatches(got: Awaited<ReturnType<typeof collect>>, expected: Expected, finish: string) {
  assert.equal(got.text, expected.text ?? '');
  assert.equal(got.reasoning, expected.reasoning ?? '');
  const u = expected.usage_normalized;
  assert.deepEqual(got.usage, u ? { inputTokens: u.input_tokens, outputTokens: u.output_tokens, totalTokens: u.total_tokens } : undefined);
  assert.equal(got.starts, 1);
  assert.deepEqual(got.terminal, { type: 'end', finishReason: finish, nativeFinishReason: expected.finish_reason });
}

describe('dashscope (native)', () => {
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(() => server.close());

  for (const fixture of ['dashscope-incremental.sse', 'dashscope-cumulative.sse']) {
    const expected = loadFixture(fixture).meta.expected as Expected;
    for (const mode of MODES) {
      it(`${fixture} (${mode}) gives the text once, never repeated`, async () => {
        const params = fixture.includes('cumulative') ? { incremental_output: false } : undefined;
        const got = await collect(apiWith({ id: 'ds', kind: 'dashscope', model: 'qwen-plus', baseUrl: `${server.url}/replay/${fixture}/${mode}`, params }).streamEvents('hi'));
        assertMatches(got, expected, 'stop');
      });
    }
  }

  it('detects a cumulative stream even when incremental output was asked for', async () => {
    const expected = loadFixture('dashscope-cumulative.sse').meta.expected as Expected;
    const got = await collect(apiWith({ id: 'ds', kind: 'dashscope', model: 'qwen-turbo', baseUrl: `${server.url}/replay/dashscope-cumulative.sse/random-4` }).streamEvents('hi'));
    assert.equal(got.text, expected.text);
  });

  it('sends the native request: path, SSE header, bearer key, incremental output, messages', async () => {
    await collect(apiWith({ id: 'ds', kind: 'dashscope', model: 'qwen-plus', baseUrl: `${server.url}/replay/dashscope-incremental.sse/whole`, params: { enable_thinking: true } }).streamEvents('写诗', { system: 's' }));
    const req = server.requests[server.requests.length - 1];
    assert.equal(req.url, '/replay/dashscope-incremental.sse/whole/api/v1/services/aigc/text-generation/generation');
    assert.equal(req.headers['x-dashscope-sse'], 'enable');
    assert.equal(req.headers.authorization, 'Bearer sk-test');
    const body = JSON.parse(req.body);
    assert.deepEqual(body.input.messages, [{ role: 'system', content: 's' }, { role: 'user', content: '写诗' }]);
    assert.deepEqual(body.parameters, { result_format: 'message', enable_thinking: true, incremental_output: true });
  });

  it('a 401 JSON body is an auth error with DashScope\'s own message', async () => {
    const got = await collect(apiWith({ id: 'ds', kind: 'dashscope', model: 'm', baseUrl: `${server.url}/replay/dashscope-auth-error.json/whole` }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type !== 'error') return;
    assert.equal(got.terminal.error.kind, 'auth');
    assert.equal(got.terminal.error.status, 401);
    assert.equal(got.terminal.error.message, 'Invalid API-key provided.');
  });

  it('an event:error with HTTP 200 and no trailing blank line is an error, not an empty answer', async () => {
    const raw = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream;charset=UTF-8' });
      res.end('id:1\nevent:error\n:HTTP_STATUS/400\ndata:{"code":"InvalidParameter","message":"Range of input length should be [1, 6000]","request_id":"r1"}');
    });
    try {
      const got = await collect(apiWith({ id: 'ds', kind: 'dashscope', model: 'm', baseUrl: raw.url }).streamEvents('hi'));
      assert.equal(got.terminal?.type, 'error');
      if (got.terminal?.type !== 'error') return;
      assert.equal(got.terminal.error.kind, 'badRequest');
      assert.equal(got.terminal.error.status, 400);
      assert.match(got.terminal.error.message, /Range of input length/);
    } finally {
      await raw.close();
    }
  });

  it('stream: false gets the whole answer from one JSON body', async () => {
    const raw = await rawServer((req, res) => {
      assert.equal(req.headers['x-dashscope-sse'], undefined);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ output: { choices: [{ message: { role: 'assistant', content: '整段回答' }, finish_reason: 'stop' }] }, usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } }));
    });
    try {
      const got = await collect(apiWith({ id: 'ds', kind: 'dashscope', model: 'm', baseUrl: raw.url, stream: false }).streamEvents('hi'));
      assert.equal(got.text, '整段回答');
      assert.deepEqual(got.usage, { inputTokens: 3, outputTokens: 4, totalTokens: 7 });
      assert.equal(got.terminal?.type, 'end');
    } finally {
      await raw.close();
    }
  });

  it('a stream cut before the finish event is an error with the partial text kept', async () => {
    const got = await collect(apiWith({ id: 'ds', kind: 'dashscope', model: 'm', baseUrl: `${server.url}/fault/reset/dashscope-incremental.sse` }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    assert.ok(got.reasoning.length + got.text.length > 0);
  });
});

describe('DeltaTracker', () => {
  it('auto mode: deltas stay deltas, cumulative payloads become deltas', () => {
    const d = new DeltaTracker('auto');
    assert.deepEqual(['ab', 'cd', 'ef'].map((p) => d.next(p)), ['ab', 'cd', 'ef']);
    const c = new DeltaTracker('auto');
    assert.deepEqual(['ab', 'abcd', 'abcdef', 'abcdef'].map((p) => c.next(p)), ['ab', 'cd', 'ef', '']);
  });
  it('a cumulative payload that rewrote earlier text continues from the length shown; a shorter one adds nothing', () => {
    const c = new DeltaTracker('cumulative');
    assert.deepEqual(['Hello', 'Hello wor', 'Hello, world', 'Hello'].map((p) => c.next(p)), ['Hello', ' wor', 'rld', '']);
  });
});

describe('ernie (wenxinworkshop v1)', () => {
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(() => server.close());
  const keys = { apiKey: 'ernie-key', secretKey: 'ernie-secret' };
  const expected = loadFixture('ernie-v1.sse').meta.expected as Expected;

  for (const mode of MODES) {
    it(`ernie-v1.sse (${mode}): token, then the streamed result pieces`, async () => {
      const got = await collect(apiWith({ id: `e-${mode}`, kind: 'ernie', model: 'completions_pro', baseUrl: `${server.url}/ernie/ok/ernie-v1.sse/${mode}` }, keys).streamEvents('介绍一下长城'));
      assertMatches(got, expected, 'stop');
    });
  }

  it('caches the token across calls and sends it only to its own host', async () => {
    const api = apiWith({ id: 'e', kind: 'ernie', model: 'completions_pro', baseUrl: `${server.url}/ernie/ok/ernie-v1.sse/random-9` }, keys);
    const before = server.requests.length;
    await collect(api.streamEvents('1'));
    await collect(api.streamEvents('2'));
    const seen = server.requests.slice(before);
    assert.equal(seen.filter((r) => r.url.includes('/oauth/2.0/token')).length, 1, 'one token request for two calls');
    const chat = seen.filter((r) => r.url.includes('/wenxinworkshop/chat/completions_pro'));
    assert.equal(chat.length, 2);
    assert.match(chat[0].url, /access_token=24\.tok-\d+/);
    const body = JSON.parse(chat[0].body);
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages, [{ role: 'user', content: '1' }]);
  });

  it('refreshes the token once when the API says it is invalid, and the user sees only the answer', async () => {
    const got = await collect(apiWith({ id: 'e2', kind: 'ernie', model: 'completions_pro', baseUrl: `${server.url}/ernie/expire-once/ernie-v1.sse/whole` }, keys).streamEvents('hi'));
    assert.equal(got.text, expected.text);
    assert.equal(got.starts, 1);
    const tokenCalls = server.requests.filter((r) => r.url.startsWith('/ernie/expire-once/') && r.url.includes('/oauth/2.0/token'));
    assert.equal(tokenCalls.length, 2);
  });

  it('a JSON error_code with HTTP 200 is an error, never an empty answer', async () => {
    const got = await collect(apiWith({ id: 'e3', kind: 'ernie', model: 'completions_pro', baseUrl: `${server.url}/ernie/error-json/ernie-v1.sse/whole` }, keys).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type !== 'error') return;
    assert.equal(got.terminal.error.kind, 'badRequest');
    assert.match(got.terminal.error.message, /336003/);
    assert.equal(got.text, '');
  });

  it('a wrong secret key says so', async () => {
    const got = await collect(apiWith({ id: 'e4', kind: 'ernie', model: 'completions_pro', baseUrl: `${server.url}/ernie/bad-secret/ernie-v1.sse/whole` }, keys).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type === 'error') assert.match(got.terminal.error.message, /access token.*unknown client id/);
  });

  it('without the secret key it asks for it before any request', async () => {
    const before = server.requests.length;
    const got = await collect(apiWith({ id: 'e5', kind: 'ernie', model: 'x', baseUrl: `${server.url}/ernie/ok/ernie-v1.sse/whole` }, { apiKey: 'k' }).streamEvents('hi'));
    assert.equal(got.terminal?.type, 'error');
    if (got.terminal?.type === 'error') assert.equal(got.terminal.error.kind, 'auth');
    assert.equal(server.requests.length, before);
  });
});

describe('ollama (native /api/chat NDJSON)', () => {
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(() => server.close());

  for (const fixture of ['ollama-chat.ndjson', 'ollama-generate.ndjson']) {
    const expected = loadFixture(fixture).meta.expected as Expected;
    for (const mode of MODES) {
      it(`${fixture} (${mode})`, async () => {
        const got = await collect(apiWith({ id: 'o', kind: 'ollama', model: 'qwen3:8b', baseUrl: `${server.url}/replay/${fixture}/${mode}` }, {}).streamEvents('hi'));
        assertMatches(got, expected, 'stop');
      });
    }
  }

  it('posts to /api/chat with stream true and no auth header without a key', async () => {
    await collect(apiWith({ id: 'o', kind: 'ollama', model: 'qwen3:8b', baseUrl: `${server.url}/replay/ollama-chat.ndjson/whole`, params: { think: true } }, {}).streamEvents('hi'));
    const req = server.requests[server.requests.length - 1];
    assert.equal(req.url, '/replay/ollama-chat.ndjson/whole/api/chat');
    assert.equal(req.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(req.body), { model: 'qwen3:8b', messages: [{ role: 'user', content: 'hi' }], think: true, stream: true });
  });

  it('an error line mid-stream is an error with the text so far; a model 404 says not found', async () => {
    const raw = await rawServer((req, res) => {
      if (req.url?.includes('missing')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"model \\"nope\\" not found, try pulling it first"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"model":"m","message":{"role":"assistant","content":"部分"},"done":false}\n');
      res.end('{"error":"an error was encountered while running the model: unexpected EOF"}\n');
    });
    try {
      const mid = await collect(apiWith({ id: 'o', kind: 'ollama', model: 'm', baseUrl: raw.url }, {}).streamEvents('hi'));
      assert.equal(mid.text, '部分');
      assert.equal(mid.terminal?.type, 'error');
      const missing = await collect(apiWith({ id: 'o', kind: 'ollama', model: 'nope', baseUrl: `${raw.url}/missing` }, {}).streamEvents('hi'));
      assert.equal(missing.terminal?.type === 'error' && missing.terminal.error.kind, 'notFound');
      assert.match(missing.terminal?.type === 'error' ? missing.terminal.error.message : '', /not found/);
    } finally {
      await raw.close();
    }
  });
});

describe('sse (any SSE endpoint)', () => {
  const stream = (lines: string[]) => rawServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const l of lines) res.write(l);
    res.end();
  });

  it('delta events at a JSON path, ending at a [DONE] payload, with the body template filled', async () => {
    const raw = await replyServer('data: {"data":{"text":"你"}}\n\ndata: {"data":{"text":"好"}}\n\ndata: [DONE]\n\n');
    try {
      const got = await collect(apiWith({
        id: 's', kind: 'sse', model: 'mine', url: `${raw.url}/chat/stream`, textPath: 'data.text', doneWhen: '[DONE]',
        body: { query: '{{prompt}}', history: '{{messages}}', options: { model: '{{model}}' } },
      }).streamEvents('hello'));
      assert.equal(got.text, '你好');
      assert.equal(got.terminal?.type, 'end');
      assert.deepEqual(JSON.parse(raw.seen[0].body), { query: 'hello', history: [{ role: 'user', content: 'hello' }], options: { model: 'mine' } });
    } finally {
      await raw.close();
    }
  });

  it('cumulative events with an is_end flag', async () => {
    const raw = await stream(['data: {"answer":"Hel","is_end":false}\n\n', 'data: {"answer":"Hello","is_end":false}\n\n', 'data: {"answer":"Hello!","is_end":true}\n\n']);
    try {
      const got = await collect(apiWith({ id: 's', kind: 'sse', model: 'm', url: raw.url, textPath: 'answer', cumulative: true, doneWhen: 'is_end=true' }).streamEvents('hi'));
      assert.equal(got.text, 'Hello!');
      assert.equal(got.terminal?.type, 'end');
    } finally {
      await raw.close();
    }
  });

  it('plain-text events ending with the stream; an end marker that never comes is a cut stream', async () => {
    const raw = await stream(['data: one \n\n', 'event: ping\ndata: \n\n', 'data: two\n\n']);
    try {
      const got = await collect(apiWith({ id: 's', kind: 'sse', model: 'm', url: raw.url }).streamEvents('hi'));
      assert.equal(got.text, 'one two');
      assert.equal(got.terminal?.type, 'end');
      const cut = await collect(apiWith({ id: 's', kind: 'sse', model: 'm', url: raw.url, doneWhen: 'event:end' }).streamEvents('hi'));
      assert.equal(cut.text, 'one two');
      assert.equal(cut.terminal?.type === 'error' && cut.terminal.error.kind, 'protocol');
    } finally {
      await raw.close();
    }
  });
});

describe('stream: false for the native kinds', () => {
  const whole = (body: object) => rawServer((req, res, raw) => {
    if (req.url?.includes('/oauth/2.0/token')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: '24.t', expires_in: 3600 }));
      return;
    }
    assert.equal(JSON.parse(raw).stream, false, 'asked for one whole answer');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });

  it('ernie: one JSON result', async () => {
    const srv = await whole({ id: 'as-1', result: '整段', is_end: true, finish_reason: 'normal', usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    try {
      const got = await collect(apiWith({ id: 'e-whole', kind: 'ernie', model: 'completions_pro', baseUrl: srv.url, stream: false }, { apiKey: 'k', secretKey: 's' }).streamEvents('hi'));
      assert.equal(got.text, '整段');
      assert.deepEqual(got.usage, { inputTokens: 1, outputTokens: 2, totalTokens: 3 });
      assert.equal(got.terminal?.type === 'end' && got.terminal.finishReason, 'stop');
    } finally { await srv.close(); }
  });

  it('ollama: one JSON line with done: true', async () => {
    const srv = await whole({ model: 'm', message: { role: 'assistant', content: 'whole', thinking: 'hmm' }, done: true, done_reason: 'length', prompt_eval_count: 4, eval_count: 5 });
    try {
      const got = await collect(apiWith({ id: 'o', kind: 'ollama', model: 'm', baseUrl: srv.url, stream: false }, {}).streamEvents('hi'));
      assert.equal(got.text, 'whole');
      assert.equal(got.reasoning, 'hmm');
      assert.deepEqual(got.usage, { inputTokens: 4, outputTokens: 5, totalTokens: 9 });
      assert.equal(got.terminal?.type === 'end' && got.terminal.finishReason, 'length');
    } finally { await srv.close(); }
  });

  it('openai-responses: the whole response object', async () => {
    const srv = await whole({ status: 'completed', output: [{ type: 'reasoning', summary: [{ text: 'why' }] }, { type: 'message', content: [{ type: 'output_text', text: 'answer' }] }], usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } });
    try {
      const got = await collect(apiWith({ id: 'r', kind: 'openai-responses', model: 'm', baseUrl: srv.url, stream: false }).streamEvents('hi'));
      assert.equal(got.text, 'answer');
      assert.equal(got.reasoning, 'why');
      assert.deepEqual(got.usage, { inputTokens: 1, outputTokens: 2, totalTokens: 3 });
      assert.equal(got.terminal?.type === 'end' && got.terminal.finishReason, 'stop');
    } finally { await srv.close(); }
  });
});
