// What users read when a provider misbehaves: messages in seconds with advice that fits the
// failure, secrets kept out of them, and the pieces that bound memory and redirects.
import { strict as assert } from 'node:assert';
import { errorFromHttp, errorFromNetwork, hintFor, LlmError, MAX_EVENT_CHARS, missingKeyError, proxyFailure, redactSecrets, seconds, timeoutError, withoutQueries } from '../../src/core/errors';
import { cleanSseBody, SseParser } from '../../src/core/sse';
import { mayFollowRedirect } from '../../src/providers/http';
import { eventJson, ndjsonLines } from '../../src/providers/wire';

const streamOf = (...pieces: string[]) => new ReadableStream<Uint8Array>({
  start(ctl) {
    for (const p of pieces) ctl.enqueue(new TextEncoder().encode(p));
    ctl.close();
  },
});

describe('fault messages', () => {
  it('durations speak in seconds', () => {
    assert.equal(seconds(120_000), '120 s');
    assert.equal(seconds(90_000), '90 s');
    assert.equal(seconds(60_000), '60 s');
    assert.equal(seconds(1500), '1.5 s');
    assert.equal(seconds(300), '0.3 s');
    assert.equal(seconds(250), '0.25 s');
  });

  it('a provider that accepts the request and says nothing: "went silent for 120 s", check the model and endpoint; idleMs only where it fits', () => {
    const remote = timeoutError('idle', 120_000, { url: 'https://api.example.com/v1/chat/completions?key=x' });
    assert.match(remote.message, /^https:\/\/api\.example\.com accepted the request, then went silent for 120 s/);
    assert.match(remote.message, /check the model name and the endpoint/);
    assert.match(remote.message, /Only if this model thinks for minutes before its first word .* "timeouts\.idleMs"/, 'a longer timeout only for a model that thinks silently');
    assert.doesNotMatch(remote.message, /120000|ms\b/);
    assert.equal(remote.retryable, false, 'a hang is not fixed by waiting again');
    const local = timeoutError('idle', 120_000, { url: 'http://127.0.0.1:11434/api/chat', local: true });
    assert.match(local.message, /still loading the model may need longer: raise "timeouts\.idleMs"/);
    const mid = timeoutError('idle', 120_000, { url: 'https://api.example.com/v1', answered: true });
    assert.match(mid.message, /went silent for 120 s in the middle of the answer; the text so far is kept/);
    assert.doesNotMatch(mid.message, /timeouts/);
  });

  it('a server that never answers: seconds, the base URL to check; connectMs only for a local server', () => {
    const remote = timeoutError('connect', 60_000, { url: 'https://api.example.com/v1/x' });
    assert.match(remote.message, /^https:\/\/api\.example\.com did not answer within 60 s/);
    assert.doesNotMatch(remote.message, /timeouts/);
    assert.match(timeoutError('connect', 60_000, { url: 'http://localhost:11434', local: true }).message, /raise "timeouts\.connectMs"/);
    assert.equal(remote.retryable, false);
  });

  it('a key the provider rejected gets the hint to set it; a key that is not set at all says so in its message, once', () => {
    assert.match(hintFor(errorFromHttp(401, '{"error":{"message":"Incorrect API key provided"}}', undefined, 'https://api.example.com/v1'), 'Qwen')!, /Set API Key/);
    const missing = missingKeyError({ id: 'qwen', label: 'Qwen' });
    assert.match(missing.message, /Set API Key/);
    assert.equal(hintFor(missing, 'Qwen'), undefined);
  });

  it("the timeout hint tells what to check, not to wait longer; our own timeouts carry the advice that fits in their message", () => {
    const hint = hintFor({ kind: 'timeout', message: 'Cannot reach https://x.example: the connection timed out', retryable: true }, 'Qwen')!;
    assert.match(hint, /base URL and the model of Qwen/);
    assert.doesNotMatch(hint, /raise/);
    // A stall after text is not a wrong base URL: "Retry, or continue" in its message is the advice, nothing contradicts it.
    assert.equal(hintFor(timeoutError('idle', 120_000, { url: 'https://api.example.com/v1', answered: true }), 'Qwen'), undefined);
    assert.equal(hintFor(timeoutError('connect', 60_000, { url: 'https://api.example.com/v1' }), 'Qwen'), undefined);
  });

  it('secrets are redacted in any spelling; short strings are left alone; URL queries are dropped from exception text', () => {
    assert.equal(redactSecrets('key sk-abc/def1 and sk-abc%2Fdef1', ['sk-abc/def1']), 'key ‹redacted› and ‹redacted›');
    assert.equal(redactSecrets('a k b', ['k']), 'a k b');
    assert.equal(withoutQueries('Failed to parse URL from https://x.example/rpc?access_token=24.abc&x=1 now'), 'Failed to parse URL from https://x.example/rpc?… now');
  });

  it('a certificate Node does not trust is a network error that points at caFile, not retried', () => {
    const err = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }) });
    const info = errorFromNetwork(err, 'https://gateway.corp/v1');
    assert.match(info.message, /TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*caFile/);
    assert.equal(info.retryable, false);
  });

  it("a failure at the proxy is named as the proxy's, without its password", () => {
    const refused = proxyFailure('http://bob:pw-secret@10.0.0.1:3128', 'https://api.openai.com/v1', new TypeError('fetch failed', { cause: Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' }) }));
    assert.match(refused!.message, /^The proxy http:\/\/10\.0\.0\.1:3128 refused the request \(407/);
    assert.doesNotMatch(refused!.message, /pw-secret/);
    const blocked = proxyFailure('http://10.0.0.1:3128', 'https://api.openai.com/v1/chat', new Error('Proxy response (403) !== 200 when HTTP Tunneling'));
    assert.match(blocked!.message, /could not open a connection to https:\/\/api\.openai\.com \(it answered HTTP 403\).*noProxy/);
    assert.equal(proxyFailure('http://10.0.0.1:3128', 'https://x', new Error('something else')), undefined);
  });

  it('redirects are followed on the same origin and from http to https on the same host only', () => {
    assert.equal(mayFollowRedirect('http://a.example/v1/x', 'http://a.example/v2/x'), true);
    assert.equal(mayFollowRedirect('http://a.example/v1', 'https://a.example/v1'), true);
    assert.equal(mayFollowRedirect('http://a.example:8080/v1', 'https://a.example:8080/v1'), true);
    assert.equal(mayFollowRedirect('https://a.example/v1', 'http://a.example/v1'), false, 'never down to plain http');
    assert.equal(mayFollowRedirect('https://a.example/v1', 'https://b.example/v1'), false);
    assert.equal(mayFollowRedirect('https://a.example/v1', 'https://a.example:8443/v1'), false);
    assert.equal(mayFollowRedirect('http://127.0.0.1:1/v1', 'http://localhost:1/v1'), false);
  });
});

describe('one enormous event: bounded', () => {
  it('the SSE parser stops at the limit with a protocol LlmError, holding no more than the limit', () => {
    const parser = new SseParser({ maxEventChars: 1000 });
    assert.deepEqual(parser.push('data: {"a":1}\n\n').map((e) => e.data), ['{"a":1}']);
    parser.push('data: ');
    let thrown: unknown;
    try {
      for (let i = 0; i < 20; i++) parser.push('x'.repeat(100));
    } catch (err) {
      thrown = err;
    }
    assert.ok(thrown instanceof LlmError);
    assert.equal(thrown.info.kind, 'protocol');
    assert.match(thrown.info.message, /larger than/);
  });

  it('also across many data lines of one event, and for one whole line in one chunk', () => {
    const many = new SseParser({ maxEventChars: 1000 });
    assert.throws(() => { for (let i = 0; i < 30; i++) many.push(`data: ${'y'.repeat(50)}\n`); }, LlmError);
    assert.throws(() => new SseParser({ maxEventChars: 1000 }).push(`data: ${'z'.repeat(2000)}\n\n`), LlmError);
  });

  it('events under the limit, and the default limit, are untouched', () => {
    assert.equal(MAX_EVENT_CHARS, 16 * 1024 * 1024);
    const big = 'q'.repeat(1024 * 1024);
    assert.equal(new SseParser().push(`data: ${big}\n\n`)[0].data, big);
  });

  it('NDJSON lines have the same limit', async () => {
    const lines: string[] = [];
    await assert.rejects(async () => {
      for await (const line of ndjsonLines(streamOf('{"a":1}\n', '{"b":"', 'x'.repeat(600), 'x'.repeat(600)), 1000)) lines.push(line);
    }, (err: unknown) => err instanceof LlmError && err.info.kind === 'protocol');
    assert.deepEqual(lines, ['{"a":1}']);
  });

  it('NDJSON still splits lines across any chunking', async () => {
    const lines: string[] = [];
    for await (const line of ndjsonLines(streamOf('{"a"', ':1}\n{"b":2}\n\n{"c"', ':3}'))) lines.push(line);
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});

describe('a malformed event', () => {
  it('eventJson: keep-alives and [DONE] carry nothing; anything else that is not JSON is a protocol error', () => {
    assert.equal(eventJson(''), undefined);
    assert.equal(eventJson(': ping'), undefined);
    assert.equal(eventJson('[DONE]'), undefined);
    assert.deepEqual(eventJson('{"a":1}'), { a: 1 });
    assert.throws(() => eventJson('{"a": "cu'), (err: unknown) => err instanceof LlmError && /not valid JSON/.test(err.info.message));
  });

  it('cleanSseBody hands over the good events before the bad one, then errors', async () => {
    const reader = cleanSseBody(streamOf('data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n": 3\n\ndata: {"n":4}\n\n')).getReader();
    const decode = async () => new TextDecoder().decode((await reader.read()).value);
    assert.equal(await decode(), 'data: {"n":1}\n\n');
    assert.equal(await decode(), 'data: {"n":2}\n\n');
    await assert.rejects(reader.read(), (err: unknown) => err instanceof LlmError && err.info.kind === 'protocol');
  });
});
