// Provider details that must be exact (issue 10): tool-call fragments in every shape servers send,
// usage that survives a failed stream, the generic `sse` kind against what FastAPI services send,
// and what `retryable` says. Real HTTP on 127.0.0.1.
import { strict as assert } from 'node:assert';
import type { LlmEvent, ProviderProfile } from '../../src/core/types';
import { apiWith, rawServer, replyServer, type RawServer } from '../support/api';
import { collect, type Collected } from '../support/collect';

const data = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const sse = (event: string, o: unknown) => `event: ${event}\ndata: ${JSON.stringify(o)}\n\n`;
/** An OpenAI chat chunk carrying choice 0. */
const chat = (delta: object, finish: string | null = null, extra: object = {}) => data({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });

function errorOf(got: Collected) {
  assert.equal(got.terminal?.type, 'error', JSON.stringify(got.terminal));
  return (got.terminal as Extract<LlmEvent, { type: 'error' }>).error;
}

async function withServer<T>(server: Promise<RawServer>, run: (srv: RawServer) => Promise<T>): Promise<T> {
  const srv = await server;
  try {
    return await run(srv);
  } finally {
    await srv.close();
  }
}

describe('tool calls: fragments assembled into one toolCall per call', () => {
  // Each case: the tool_calls fragments of successive chunks, and the calls they make.
  const CASES: Array<{ name: string; fragments: object[][]; calls: Array<{ id?: string; name: string; arguments: string }> }> = [
    {
      name: 'OpenAI: id and name first, then argument pieces by index, two calls interleaved',
      fragments: [
        [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        [{ index: 0, function: { arguments: '{"city":' } }],
        [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":' } }],
        [{ index: 0, function: { arguments: '"東京"}' } }],
        [{ index: 1, function: { arguments: '"Asia/Tokyo"}' } }],
      ],
      calls: [{ id: 'call_a', name: 'get_weather', arguments: '{"city":"東京"}' }, { id: 'call_b', name: 'get_time', arguments: '{"tz":"Asia/Tokyo"}' }],
    },
    {
      name: 'LiteLLM: the same id and name repeated on every fragment',
      fragments: [
        [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }],
        [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '"Paris"}' } }],
        [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }],
        [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '"Rome"}' } }],
      ],
      calls: [{ id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' }, { id: 'call_b', name: 'get_weather', arguments: '{"city":"Rome"}' }],
    },
    {
      name: 'LM Studio: a fresh id on every fragment of a call, the name only on the first',
      fragments: [
        [{ index: 0, id: '101', type: 'function', function: { name: 'search', arguments: '' } }],
        [{ index: 0, id: '102', type: 'function', function: { arguments: '{"q":' } }],
        [{ index: 0, id: '103', type: 'function', function: { arguments: '"rain \\"today\\""}' } }],
      ],
      calls: [{ id: '101', name: 'search', arguments: '{"q":"rain \\"today\\""}' }],
    },
    {
      name: 'no index: a new id starts a call, fragments without id or index continue the last one',
      fragments: [
        [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        [{ function: { arguments: '{"city":' } }],
        [{ function: { arguments: '"Oslo"}' } }],
        [{ id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }],
        [{ function: { arguments: '{}' } }],
      ],
      calls: [{ id: 'call_a', name: 'get_weather', arguments: '{"city":"Oslo"}' }, { id: 'call_b', name: 'get_time', arguments: '{}' }],
    },
    {
      name: 'no index, id and name repeated on every fragment',
      fragments: [
        [{ id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"a":' } }],
        [{ id: 'call_a', type: 'function', function: { name: 'f', arguments: '1}' } }],
        [{ id: 'call_b', type: 'function', function: { name: 'g', arguments: '{"b":' } }],
        [{ id: 'call_b', type: 'function', function: { name: 'g', arguments: '2}' } }],
      ],
      calls: [{ id: 'call_a', name: 'f', arguments: '{"a":1}' }, { id: 'call_b', name: 'g', arguments: '{"b":2}' }],
    },
    {
      name: "Ollama /v1: whole parallel calls, all at index 0, each with its own id",
      fragments: [
        [{ id: 'call_1', index: 0, type: 'function', function: { name: 'get_weather', arguments: '{"city":"東京"}' } }],
        [{ id: 'call_2', index: 0, type: 'function', function: { name: 'get_weather', arguments: '{"city":"大阪"}' } }],
      ],
      calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"東京"}' }, { id: 'call_2', name: 'get_weather', arguments: '{"city":"大阪"}' }],
    },
  ];

  for (const kind of ['openai', 'azure-openai'] as const) {
    for (const c of CASES) {
      it(`${kind}: ${c.name}`, () => withServer(
        replyServer(chat({ role: 'assistant', content: null }) + c.fragments.map((tool_calls) => chat({ tool_calls })).join('') + chat({}, 'tool_calls') + 'data: [DONE]\n\n'),
        async (srv) => {
          const got = await collect(apiWith({ id: 't', kind, model: 'm', baseUrl: srv.url }).streamEvents('hi'));
          assert.deepEqual(got.toolCalls, c.calls);
          assert.equal(got.events.filter((e) => e.type === 'toolCall').length, c.calls.length, 'one event per call');
          assert.deepEqual(got.terminal, { type: 'end', finishReason: 'toolCalls', nativeFinishReason: 'tool_calls' });
        },
      ));
    }
  }

  it('openai-responses: arguments only in function_call_arguments.delta events still make the whole call', () => withServer(
    replyServer(
      sse('response.output_item.added', { type: 'response.output_item.added', item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '' } }) +
      sse('response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '{"city":' }) +
      sse('response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '"Lyon"}' }) +
      sse('response.output_item.done', { type: 'response.output_item.done', item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather' } }) +
      sse('response.completed', { type: 'response.completed', response: { status: 'completed', output: [{ type: 'function_call' }] } }),
    ),
    async (srv) => {
      const got = await collect(apiWith({ id: 'r', kind: 'openai-responses', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.deepEqual(got.toolCalls, [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' }]);
    },
  ));

  it('ollama: calls on a line before the done line are one event each, and the answer ends with toolCalls', () => withServer(
    replyServer(
      `${JSON.stringify({ model: 'm', message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Tokyo' } } }, { function: { name: 'get_time', arguments: { tz: 'JST' } } }] }, done: false })}\n` +
      `${JSON.stringify({ model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 4 })}\n`,
      'application/x-ndjson',
    ),
    async (srv) => {
      const got = await collect(apiWith({ id: 'o', kind: 'ollama', model: 'm', baseUrl: srv.url }, {}).streamEvents('hi'));
      assert.deepEqual(got.toolCalls, [{ id: undefined, name: 'get_weather', arguments: '{"city":"Tokyo"}' }, { id: undefined, name: 'get_time', arguments: '{"tz":"JST"}' }]);
      assert.deepEqual(got.terminal, { type: 'end', finishReason: 'toolCalls', nativeFinishReason: 'stop' });
    },
  ));

  it('gemini: each functionCall part is one whole call', () => withServer(
    replyServer(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: { a: 1 } } }, { functionCall: { name: 'g', args: {} } }] }, finishReason: 'STOP' }] })}\r\n\r\n`),
    async (srv) => {
      const got = await collect(apiWith({ id: 'g', kind: 'gemini', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.deepEqual(got.toolCalls, [{ id: undefined, name: 'f', arguments: '{"a":1}' }, { id: undefined, name: 'g', arguments: '{}' }]);
    },
  ));
});

describe('usage reported before a stream fails reaches the caller before the error', () => {
  /** The events from the usage on: a usage event right before the error. */
  function assertUsageThenError(got: Collected, usage: object) {
    const types = got.events.map((e) => e.type);
    assert.deepEqual(types.slice(-2), ['usage', 'error'], types.join(' '));
    const { type: _type, ...reported } = got.events[got.events.length - 2] as Extract<LlmEvent, { type: 'usage' }>;
    assert.deepEqual(reported, usage);
  }
  const messageStart = sse('message_start', { type: 'message_start', message: { id: 'msg_1', model: 'claude', content: [], usage: { input_tokens: 25, output_tokens: 1 } } });
  const textBlock = sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
    sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '半分' } });

  it("anthropic: message_start's usage, then an error event", () => withServer(
    replyServer(messageStart + textBlock + sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })),
    async (srv) => {
      const got = await collect(apiWith({ id: 'a', kind: 'anthropic', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.equal(got.text, '半分');
      assertUsageThenError(got, { inputTokens: 25, outputTokens: 1, totalTokens: 26 });
    },
  ));

  it("anthropic: message_start's usage, then the stream is cut", () => withServer(
    replyServer(messageStart + textBlock),
    async (srv) => {
      const got = await collect(apiWith({ id: 'a', kind: 'anthropic', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assertUsageThenError(got, { inputTokens: 25, outputTokens: 1, totalTokens: 26 });
      assert.equal(errorOf(got).kind, 'protocol');
    },
  ));

  it('openai: running usage on every chunk (vLLM continuous_usage_stats), then the stream is cut', () => withServer(
    replyServer(chat({ content: 'a' }, null, { usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 } }) + chat({ content: 'b' }, null, { usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } })),
    async (srv) => {
      const got = await collect(apiWith({ id: 'o', kind: 'openai', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.equal(got.text, 'ab');
      assertUsageThenError(got, { inputTokens: 7, outputTokens: 2, totalTokens: 9 });
    },
  ));

  it('openai: a usage chunk, then an error in the body', () => withServer(
    replyServer(chat({ content: 'part' }) + data({ id: 'c', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }) +
      data({ error: { message: 'The server had an error processing your request.', type: 'server_error', param: null, code: null } })),
    async (srv) => {
      const got = await collect(apiWith({ id: 'o', kind: 'openai', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assertUsageThenError(got, { inputTokens: 5, outputTokens: 1, totalTokens: 6 });
      assert.equal(errorOf(got).kind, 'server');
    },
  ));

  it('openai: a usage chunk, then the connection is reset', () => withServer(
    rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chat({ content: 'part' }, null, { usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }), () => setTimeout(() => res.socket?.destroy(), 50));
    }),
    async (srv) => {
      const got = await collect(apiWith({ id: 'o', kind: 'openai', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.equal(got.text, 'part');
      assertUsageThenError(got, { inputTokens: 5, outputTokens: 1, totalTokens: 6 });
    },
  ));

  it('gemini: usageMetadata on a chunk, then the stream is cut before finishReason', () => withServer(
    replyServer(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'half' }] } }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 1, totalTokenCount: 5 } })}\r\n\r\n`),
    async (srv) => {
      const got = await collect(apiWith({ id: 'g', kind: 'gemini', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assertUsageThenError(got, { inputTokens: 4, outputTokens: 1, totalTokens: 5 });
    },
  ));

  it('a stream that ends well still carries its usage once, right before end', () => withServer(
    replyServer(messageStart + textBlock + sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }) + sse('message_stop', { type: 'message_stop' })),
    async (srv) => {
      const got = await collect(apiWith({ id: 'a', kind: 'anthropic', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.deepEqual(got.events.filter((e) => e.type === 'usage'), [{ type: 'usage', inputTokens: 25, outputTokens: 9, totalTokens: 34 }]);
      assert.deepEqual(got.events.slice(-2).map((e) => e.type), ['usage', 'end']);
    },
  ));
});

describe('sse kind: any SSE service', () => {
  const profile = (url: string, extra: Partial<ProviderProfile> = {}): ProviderProfile => ({ id: 's', kind: 'sse', model: 'mine', url, ...extra });

  it('FastAPI + sse-starlette: CRLF lines, ping comments, id fields, a named end event with no data', () => withServer(
    rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('id: 1\r\nevent: message\r\ndata: {"delta": "你好"}\r\n\r\n');
      res.write(': ping - 2025-08-01 00:00:15.123456+00:00\r\n\r\n');
      res.write('id: 2\r\ndata: {"delta": ", world 👋"}\r\n\r\n');
      res.end('id: 3\r\nevent: end\r\n\r\n');
    }),
    async (srv) => {
      const got = await collect(apiWith(profile(srv.url, { textPath: 'delta', doneWhen: 'event:end' })).streamEvents('hi'));
      assert.equal(got.text, '你好, world 👋');
      assert.deepEqual(got.terminal, { type: 'end', finishReason: 'stop' });
    },
  ));

  it('a body template given as JSON text is filled with JSON-escaped values and sent as that JSON', () => withServer(
    replyServer('data: ok\n\n'),
    async (srv) => {
      const prompt = 'Say "hi"\nthen 你好 🌏 \\ {{model}} \u2028 end';
      const system = 'Be "brief".';
      const body = '{"messages": {{messages}}, "q": {{prompt}}, "sys": {{system}}, "label": "model={{model}}; q={{prompt}}", "n": 1}';
      const got = await collect(apiWith(profile(srv.url, { body })).streamEvents(prompt, { system }));
      assert.equal(got.text, 'ok');
      assert.deepEqual(JSON.parse(srv.seen[0].body), {
        messages: [{ role: 'system', content: system }, { role: 'user', content: prompt }],
        q: prompt,
        sys: system,
        label: `model=mine; q=${prompt}`,
        n: 1,
      });
    },
  ));

  it('a body template given as a JSON value: placeholders inside strings are filled, {{messages}} in a longer string as JSON text', () => withServer(
    replyServer('data: ok\n\n'),
    async (srv) => {
      const body = { input: { query: '{{prompt}}', history: '{{messages}}' }, note: 'history: {{messages}}', model: '{{model}}' };
      await collect(apiWith(profile(srv.url, { body })).streamEvents('q "1"'));
      const messages = [{ role: 'user', content: 'q "1"' }];
      assert.deepEqual(JSON.parse(srv.seen[0].body), { input: { query: 'q "1"', history: messages }, note: `history: ${JSON.stringify(messages)}`, model: 'mine' });
    },
  ));

  it('a body template that is not JSON once filled is a clear error and nothing is sent', () => withServer(
    replyServer('data: ok\n\n'),
    async (srv) => {
      const got = await collect(apiWith(profile(srv.url, { body: '{"q": {{prompt}}' })).streamEvents('hi'));
      const error = errorOf(got);
      assert.equal(error.kind, 'badRequest');
      assert.equal(error.retryable, false);
      assert.match(error.message, /"body" of profile "s" is not valid JSON/);
      assert.equal(srv.seen.length, 0);
    },
  ));

  it("without textPath an event's data is the text, JSON or not", () => withServer(
    replyServer('data: {"count": 1}\n\ndata: 2\n\ndata: true\n\ndata: plain\n\n'),
    async (srv) => {
      const got = await collect(apiWith(profile(srv.url)).streamEvents('hi'));
      assert.equal(got.text, '{"count": 1}2trueplain');
      assert.equal(got.terminal?.type, 'end');
    },
  ));

  it('a number or boolean at textPath is text, in its JSON spelling', () => withServer(
    replyServer('data: {"count": 1}\n\ndata: {"count": 2.5}\n\ndata: {"count": false}\n\ndata: {"count": null}\n\nevent: end\ndata: {"count": 3}\n\n'),
    async (srv) => {
      const got = await collect(apiWith(profile(srv.url, { textPath: 'count', doneWhen: 'event:end' })).streamEvents('hi'));
      assert.equal(got.text, '12.5false3');
      assert.equal(got.terminal?.type, 'end');
    },
  ));
});

describe('retryable: whether sending the same request again can help', () => {
  const ndjson = (...lines: object[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  const ollamaText = { model: 'm', message: { role: 'assistant', content: '部分' }, done: false };
  const ollamaError = { error: 'an error was encountered while running the model: unexpected EOF' };

  it("ollama: an {\"error\"} line after text is not retryable; the same line before any text is, and is retried", async () => {
    await withServer(replyServer(ndjson(ollamaText, ollamaError), 'application/x-ndjson'), async (srv) => {
      const got = await collect(apiWith({ id: 'o', kind: 'ollama', model: 'm', baseUrl: srv.url, maxRetries: 2 }, {}, { retryBaseMs: 1 }).streamEvents('hi'));
      assert.equal(got.text, '部分');
      assert.equal(errorOf(got).retryable, false);
      assert.equal(srv.seen.length, 1);
    });
    await withServer(replyServer(ndjson(ollamaError), 'application/x-ndjson'), async (srv) => {
      const got = await collect(apiWith({ id: 'o', kind: 'ollama', model: 'm', baseUrl: srv.url, maxRetries: 2 }, {}, { retryBaseMs: 1 }).streamEvents('hi'));
      assert.equal(errorOf(got).retryable, true);
      assert.equal(srv.seen.length, 3, 'retried twice');
    });
  });

  it("vLLM: an error chunk after text (then [DONE]) is a badRequest, not retryable", () => withServer(
    replyServer(chat({ role: 'assistant', content: '' }) + chat({ content: 'Hello' }) +
      'data: {"error": {"object": "error", "message": "This model\'s maximum context length is 4096 tokens.", "type": "BadRequestError", "param": null, "code": 400}}\n\ndata: [DONE]\n\n'),
    async (srv) => {
      const got = await collect(apiWith({ id: 'v', kind: 'openai', model: 'm', baseUrl: srv.url }).streamEvents('hi'));
      assert.equal(got.text, 'Hello');
      const error = errorOf(got);
      assert.equal(error.kind, 'badRequest');
      assert.equal(error.retryable, false);
      assert.match(error.message, /maximum context length/);
    },
  ));

  it('an in-body error that names an HTTP status before any text: 5xx and 429 are retryable, 4xx is not', async () => {
    for (const [code, kind, retryable] of [[500, 'server', true], [429, 'rateLimit', true], ['429', 'rateLimit', true], [400, 'badRequest', false]] as const) {
      await withServer(replyServer(data({ error: { message: `failed with ${code}`, code } })), async (srv) => {
        const error = errorOf(await collect(apiWith({ id: 'v', kind: 'openai', model: 'm', baseUrl: srv.url }).streamEvents('hi')));
        assert.deepEqual([error.kind, error.retryable], [kind, retryable], `code ${JSON.stringify(code)}`);
      });
    }
  });

  it('HTTP errors before the first token: 429 (not quota), 5xx and overloaded are retryable; quota and 4xx are not', async () => {
    const CASES: Array<[number, object, string, boolean]> = [
      [429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, 'rateLimit', true],
      [429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }, 'quota', false],
      [500, { error: { message: 'boom', type: 'server_error' } }, 'server', true],
      [502, { error: { message: 'bad gateway' } }, 'server', true],
      [503, { error: { message: 'unavailable' } }, 'overloaded', true],
      [529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'overloaded', true],
      [400, { error: { message: 'bad', type: 'invalid_request_error' } }, 'badRequest', false],
    ];
    for (const [status, body, kind, retryable] of CASES) {
      await withServer(replyServer(JSON.stringify(body), 'application/json', status), async (srv) => {
        const error = errorOf(await collect(apiWith({ id: 'h', kind: 'openai', model: 'm', baseUrl: srv.url }).streamEvents('hi')));
        assert.deepEqual([error.kind, error.retryable], [kind, retryable], `HTTP ${status}`);
      });
    }
  });

  it('anthropic: overloaded_error after message_start but before any text is retried', async () => {
    let calls = 0;
    await withServer(rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (++calls === 1) {
        res.end(sse('message_start', { type: 'message_start', message: { usage: { input_tokens: 2, output_tokens: 1 } } }) + sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
      } else {
        res.end(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } }) + sse('message_stop', { type: 'message_stop' }));
      }
    }), async (srv) => {
      const got = await collect(apiWith({ id: 'a', kind: 'anthropic', model: 'm', baseUrl: srv.url, maxRetries: 1 }, undefined, { retryBaseMs: 1 }).streamEvents('hi'));
      assert.equal(got.text, 'ok');
      assert.equal(got.terminal?.type, 'end');
      assert.equal(srv.seen.length, 2);
    });
  });

  for (const kind of ['openai', 'ollama'] as const) {
    it(`${kind}: a base URL on a port fetch refuses ("bad port") says what it means and is not retried`, async () => {
      const retries: string[] = [];
      const log = (_level: string, message: string) => { if (/ retry /.test(message)) retries.push(message); };
      const got = await collect(apiWith({ id: 'p', kind, model: 'm', baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 2 }, {}, { log, retryBaseMs: 1 }).streamEvents('hi'));
      const error = errorOf(got);
      assert.equal(error.retryable, false);
      assert.match(error.message, /bad port/);
      assert.match(error.message, /port 9\b.*blocks/);
      assert.match(error.message, /another port/);
      assert.deepEqual(retries, []);
    });
  }
});
