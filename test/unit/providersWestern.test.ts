// anthropic, gemini, openai-responses, openai-completions and azure-openai over real HTTP.
import { strict as assert } from 'node:assert';
import type { ErrorKind, ProviderProfile } from '../../src/core/types';
import { normalizeFinishReason } from '../../src/providers/normalize';
import { apiWith, replyServer, type Expected } from '../support/api';
import { collect } from '../support/collect';
import { loadFixture, startFixtureServer, type FixtureServer } from '../support/fixtureServer';

const MODES = ['whole', 'bytes', 'random-1', 'random-2', 'random-3'];

const CASES: Array<{ fixture: string; kind: ProviderProfile['kind']; path?: string; errorKind?: ErrorKind }> = [
  { fixture: 'anthropic-basic.sse', kind: 'anthropic' },
  { fixture: 'anthropic-thinking-tools.sse', kind: 'anthropic' },
  { fixture: 'anthropic-error-529.json', kind: 'anthropic', errorKind: 'overloaded' },
  { fixture: 'gemini-error-429.json', kind: 'gemini', errorKind: 'rateLimit' },
  { fixture: 'openai-responses-basic.sse', kind: 'openai-responses', path: '/v1' },
  { fixture: 'openai-responses-error.sse', kind: 'openai-responses', path: '/v1', errorKind: 'server' },
  { fixture: 'azure-error-429.json', kind: 'azure-openai', errorKind: 'rateLimit' },
  // Ours, for behaviours the team's recordings (copied in by scripts/refresh-fixtures.sh) have no file for.
  { fixture: 'gemini-basic.sse', kind: 'gemini' },
  { fixture: 'azure-basic.sse', kind: 'azure-openai' },
  { fixture: 'openai-completions-basic.sse', kind: 'openai-completions', path: '/v1' },
];

describe('anthropic, gemini, responses, azure: recorded fixtures over real HTTP', () => {
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(() => server.close());

  for (const c of CASES) {
    const expected = loadFixture(c.fixture).meta.expected as Expected;
    for (const mode of c.fixture.endsWith('.json') ? ['whole'] : MODES) {
      it(`${c.fixture} (${mode})`, async () => {
        const got = await collect(apiWith({ id: 'w', kind: c.kind, model: 'm', baseUrl: `${server.url}/replay/${c.fixture}/${mode}${c.path ?? ''}` }).streamEvents('hi'));
        assert.equal(got.text, expected.text ?? '');
        assert.equal(got.reasoning, expected.reasoning ?? '');
        assert.deepEqual(got.toolCalls, (expected.tool_calls ?? []).map((t) => ({ id: t.id, name: t.name, arguments: t.arguments })));
        const u = expected.usage_normalized;
        assert.deepEqual(got.usage, u ? { inputTokens: u.input_tokens, outputTokens: u.output_tokens, totalTokens: u.total_tokens } : undefined);
        if (expected.error) {
          assert.equal(got.terminal?.type, 'error', JSON.stringify(got.terminal));
          if (got.terminal?.type !== 'error') return;
          assert.equal(got.terminal.error.kind, c.errorKind);
          assert.equal(got.terminal.error.status, expected.error.http_status);
          assert.equal(got.terminal.error.retryable, expected.error.retryable);
          assert.equal(got.terminal.error.retryAfterMs, expected.error.retry_after_ms ?? undefined);
          assert.ok(got.terminal.error.message.includes(expected.error.message), got.terminal.error.message);
        } else {
          assert.deepEqual(got.terminal, { type: 'end', finishReason: normalizeFinishReason(expected.finish_reason), nativeFinishReason: expected.finish_reason });
          assert.equal(got.starts, 1);
        }
      });
    }
  }

  it('each kind sends its own request: path, query, auth header, body shape', async () => {
    const base = `${server.url}/replay/anthropic-basic.sse/whole`;
    await collect(apiWith({ id: 'a', kind: 'anthropic', model: 'claude-x', baseUrl: base }).streamEvents([{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }]));
    let req = server.requests[server.requests.length - 1];
    assert.equal(req.url, '/replay/anthropic-basic.sse/whole/v1/messages');
    assert.equal(req.headers['x-api-key'], 'sk-test');
    assert.equal(req.headers['anthropic-version'], '2023-06-01');
    assert.equal(req.headers.authorization, undefined);
    let body = JSON.parse(req.body);
    assert.equal(body.system, 'S');
    assert.deepEqual(body.messages, [{ role: 'user', content: 'U' }]);
    assert.equal(body.stream, true);
    assert.ok(body.max_tokens > 0);

    await collect(apiWith({ id: 'g', kind: 'gemini', model: 'gemini-2.5-flash', baseUrl: `${server.url}/replay/gemini-error-429.json/whole` }).streamEvents('U', { system: 'S' }));
    req = server.requests[server.requests.length - 1];
    assert.equal(req.url, '/replay/gemini-error-429.json/whole/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    assert.equal(req.headers['x-goog-api-key'], 'sk-test');
    assert.doesNotMatch(req.url, /sk-test/, 'the key is never in the URL');
    body = JSON.parse(req.body);
    assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'U' }] }]);
    assert.deepEqual(body.systemInstruction, { parts: [{ text: 'S' }] });

    await collect(apiWith({ id: 'z', kind: 'azure-openai', model: 'my-deployment', baseUrl: `${server.url}/replay/azure-error-429.json/whole`, apiVersion: '2024-06-01' }).streamEvents('U'));
    req = server.requests[server.requests.length - 1];
    assert.equal(req.url, '/replay/azure-error-429.json/whole/openai/deployments/my-deployment/chat/completions?api-version=2024-06-01');
    assert.equal(req.headers['api-key'], 'sk-test');

    await collect(apiWith({ id: 'r', kind: 'openai-responses', model: 'o4', baseUrl: `${server.url}/replay/openai-responses-basic.sse/whole/v1` }).streamEvents('U', { system: 'S' }));
    req = server.requests[server.requests.length - 1];
    assert.equal(req.url, '/replay/openai-responses-basic.sse/whole/v1/responses');
    body = JSON.parse(req.body);
    assert.equal(body.instructions, 'S');
    assert.deepEqual(body.input, [{ role: 'user', content: 'U' }]);
  });
});

describe('streams of our own for behaviours no recorded fixture covers', () => {
  it('gemini: CRLF-framed chunks, a thought part, usage from the last chunk, EOF after finishReason', async () => {
    const chunk = (o: object) => `data: ${JSON.stringify(o)}\r\n\r\n`;
    const srv = await replyServer(
      chunk({ candidates: [{ content: { parts: [{ text: 'Thinking about rain.', thought: true }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 5, totalTokenCount: 9, thoughtsTokenCount: 4 } }) +
      chunk({ candidates: [{ content: { parts: [{ text: '雨天' }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 5, totalTokenCount: 11 } }) +
      chunk({ candidates: [{ content: { parts: [{ text: '带伞 ☂️' }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 6, thoughtsTokenCount: 4, totalTokenCount: 15 } }),
    );
    try {
      const got = await collect(apiWith({ id: 'g', kind: 'gemini', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.equal(got.reasoning, 'Thinking about rain.');
      assert.equal(got.text, '雨天带伞 ☂️');
      assert.deepEqual(got.usage, { inputTokens: 5, outputTokens: 10, totalTokens: 15 });
      assert.deepEqual(got.terminal, { type: 'end', finishReason: 'stop', nativeFinishReason: 'STOP' });
    } finally { await srv.close(); }
  });

  it('gemini: a stream cut before any finishReason is a protocol error with the text kept; SAFETY is contentFilter', async () => {
    const cut = await replyServer(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'half' }] } }] })}\r\n\r\n`);
    const safety = await replyServer(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'SAFETY' }] })}\r\n\r\n`);
    try {
      const a = await collect(apiWith({ id: 'g', kind: 'gemini', model: 'm', baseUrl: cut.url }).streamEvents('hi'));
      assert.equal(a.text, 'half');
      assert.equal(a.terminal?.type === 'error' && a.terminal.error.kind, 'protocol');
      const b = await collect(apiWith({ id: 'g', kind: 'gemini', model: 'm', baseUrl: safety.url }).streamEvents('hi'));
      assert.equal(b.terminal?.type === 'end' && b.terminal.finishReason, 'contentFilter');
    } finally { await cut.close(); await safety.close(); }
  });

  it('gemini: stream false asks generateContent and gets one whole answer', async () => {
    const srv = await replyServer(JSON.stringify({ candidates: [{ content: { parts: [{ text: 'whole' }] }, finishReason: 'STOP' }] }), 'application/json');
    try {
      const got = await collect(apiWith({ id: 'g', kind: 'gemini', model: 'm', baseUrl: srv.url, stream: false }).streamEvents('hi'));
      assert.equal(got.text, 'whole');
      assert.match(srv.seen[0].url, /:generateContent$/);
    } finally { await srv.close(); }
  });

  it('anthropic: overloaded_error mid-stream after a 200 is a retryable overloaded error, text kept', async () => {
    const srv = await replyServer(
      'event: message_start\ndata: {"type":"message_start","message":{"id":"m","usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"部分"}}\n\n' +
      'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}\n\n',
    );
    try {
      const got = await collect(apiWith({ id: 'a', kind: 'anthropic', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.equal(got.text, '部分');
      assert.equal(got.terminal?.type, 'error');
      if (got.terminal?.type !== 'error') return;
      assert.equal(got.terminal.error.kind, 'overloaded');
      assert.equal(got.terminal.error.retryable, true);
    } finally { await srv.close(); }
  });

  it('anthropic: stream false reads the whole message', async () => {
    const srv = await replyServer(JSON.stringify({ content: [{ type: 'thinking', thinking: 't' }, { type: 'text', text: 'answer' }], stop_reason: 'max_tokens', usage: { input_tokens: 2, output_tokens: 3 } }), 'application/json');
    try {
      const got = await collect(apiWith({ id: 'a', kind: 'anthropic', model: 'm', baseUrl: srv.url, stream: false }).streamEvents('hi'));
      assert.equal(got.text, 'answer');
      assert.equal(got.reasoning, 't');
      assert.deepEqual(got.terminal, { type: 'end', finishReason: 'length', nativeFinishReason: 'max_tokens' });
    } finally { await srv.close(); }
  });

  it('azure: the empty first chunk with prompt_filter_results, then a content_filter stop', async () => {
    const c = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    const srv = await replyServer(
      c({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] }) +
      c({ choices: [{ content_filter_results: {}, delta: { content: 'Once upon', role: 'assistant' }, finish_reason: null, index: 0 }], id: 'chatcmpl-1', model: 'gpt-4o', object: 'chat.completion.chunk' }) +
      c({ choices: [{ content_filter_results: { violence: { filtered: true, severity: 'medium' } }, delta: {}, finish_reason: 'content_filter', index: 0 }], id: 'chatcmpl-1', object: 'chat.completion.chunk' }) +
      'data: [DONE]\n\n',
    );
    try {
      const got = await collect(apiWith({ id: 'z', kind: 'azure-openai', model: 'dep', baseUrl: srv.url }).streamEvents('hi'));
      assert.equal(got.text, 'Once upon');
      assert.deepEqual(got.terminal, { type: 'end', finishReason: 'contentFilter', nativeFinishReason: 'content_filter' });
      assert.equal(srv.seen[0].headers['api-key'], 'sk-test');
      assert.match(srv.seen[0].url, /^\/openai\/deployments\/dep\/chat\/completions\?api-version=2024-10-21$/);
    } finally { await srv.close(); }
  });

  it('responses: response.failed is an error; response.incomplete is a length stop; a function call is a tool call', async () => {
    const ev = (type: string, o: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;
    const failed = await replyServer(ev('response.output_text.delta', { delta: 'a' }) + ev('response.failed', { response: { status: 'failed', error: { code: 'server_error', message: 'boom' } } }));
    const incomplete = await replyServer(ev('response.output_text.delta', { delta: 'long' }) + ev('response.incomplete', { response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } }));
    const tools = await replyServer(ev('response.output_item.done', { item: { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"x":1}' } }) + ev('response.completed', { response: { status: 'completed', output: [{ type: 'function_call' }], usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } } }));
    try {
      const a = await collect(apiWith({ id: 'r', kind: 'openai-responses', model: 'm', baseUrl: failed.url }).streamEvents('hi'));
      assert.equal(a.text, 'a');
      assert.equal(a.terminal?.type === 'error' && a.terminal.error.kind, 'server');
      const b = await collect(apiWith({ id: 'r', kind: 'openai-responses', model: 'm', baseUrl: incomplete.url }).streamEvents('hi'));
      assert.deepEqual(b.terminal, { type: 'end', finishReason: 'length', nativeFinishReason: 'max_output_tokens' });
      const c = await collect(apiWith({ id: 'r', kind: 'openai-responses', model: 'm', baseUrl: tools.url }).streamEvents('hi'));
      assert.deepEqual(c.toolCalls, [{ id: 'c1', name: 'f', arguments: '{"x":1}' }]);
      assert.deepEqual(c.usage, { inputTokens: 1, outputTokens: 2, totalTokens: 3 });
      assert.equal(c.terminal?.type === 'end' && c.terminal.finishReason, 'toolCalls');
    } finally { await failed.close(); await incomplete.close(); await tools.close(); }
  });

  it('openai-completions: a prompt, text deltas from choices[0].text, usage, and stream false', async () => {
    const c = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    const wholeSrv = await replyServer(JSON.stringify({ object: 'text_completion', choices: [{ index: 0, text: 'whole', finish_reason: 'length' }] }), 'application/json');
    const srv = await replyServer(() => {
      return c({ object: 'text_completion', choices: [{ index: 0, text: 'Hello', finish_reason: null }] }) + c({ object: 'text_completion', choices: [{ index: 0, text: ' world', finish_reason: 'stop' }] }) +
        c({ object: 'text_completion', choices: [], usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 } }) + 'data: [DONE]\n\n';
    });
    try {
      const got = await collect(apiWith({ id: 'c', kind: 'openai-completions', model: 'gpt-3.5-turbo-instruct', baseUrl: srv.url }).streamEvents('Say hello'));
      assert.equal(got.text, 'Hello world');
      assert.deepEqual(got.usage, { inputTokens: 2, outputTokens: 2, totalTokens: 4 });
      assert.equal(got.terminal?.type === 'end' && got.terminal.finishReason, 'stop');
      assert.equal(srv.seen[0].url, '/completions');
      assert.equal(JSON.parse(srv.seen[0].body).prompt, 'Say hello');
      const whole = await collect(apiWith({ id: 'c', kind: 'openai-completions', model: 'm', baseUrl: wholeSrv.url, stream: false }).streamEvents('x'));
      assert.equal(JSON.parse(wholeSrv.seen[0].body).stream, false);
      assert.equal(whole.text, 'whole');
      assert.equal(whole.terminal?.type === 'end' && whole.terminal.finishReason, 'length');
    } finally { await srv.close(); await wholeSrv.close(); }
  });
});
