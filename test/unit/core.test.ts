import { strict as assert } from 'node:assert';
import { errorFromHttp, errorFromNetwork, hintFor, retryAfterMs } from '../../src/core/errors';
import { parseProfiles } from '../../src/core/profiles';
import { foldAnswer, type Batch, type Outcome, type Sink } from '../../src/core/answer';
import { backoffMs, withRetries } from '../../src/core/retry';
import { shiftSpan, shiftSpanAll } from '../../src/core/textPosition';
import type { LlmEvent } from '../../src/core/types';
import { collect } from '../support/collect';
import { loadFixture } from '../support/fixtureServer';

describe('errors', () => {
  it('maps the OpenAI error fixtures by status and code', () => {
    const cases: Array<[string, string, boolean]> = [
      ['openai-error-401.json', 'auth', false], ['openai-error-404-model.json', 'notFound', false],
      ['openai-error-429.json', 'rateLimit', true], ['openai-error-500.json', 'server', true], ['openai-error-503.json', 'overloaded', true],
    ];
    for (const [name, kind, retryable] of cases) {
      const { body, meta } = loadFixture(name);
      const info = errorFromHttp(meta.response!.status!, body.toString(), meta.response!.headers);
      assert.equal(info.kind, kind, name);
      assert.equal(info.retryable, retryable, name);
    }
  });

  it('a 429 for insufficient_quota is quota, never retried', () => {
    const info = errorFromHttp(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } });
    assert.equal(info.kind, 'quota');
    assert.equal(info.retryable, false);
  });

  it('reads native bodies: DashScope {code,message}, Azure string codes, an Anthropic 529', () => {
    const ds = loadFixture('dashscope-auth-error.json');
    assert.equal(errorFromHttp(401, ds.body.toString()).message, 'Invalid API-key provided.');
    const az = loadFixture('azure-error-429.json');
    const azInfo = errorFromHttp(429, az.body.toString(), az.meta.response!.headers);
    assert.equal(azInfo.kind, 'rateLimit');
    assert.ok(azInfo.retryAfterMs !== undefined);
    const an = loadFixture('anthropic-error-529.json');
    assert.equal(errorFromHttp(529, an.body.toString()).kind, 'overloaded');
  });

  it('retry-after-ms wins over retry-after; seconds and HTTP dates both work', () => {
    const h = (o: Record<string, string>) => (n: string) => o[n];
    assert.equal(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
    assert.equal(retryAfterMs(h({ 'retry-after': '2' })), 2000);
    assert.equal(retryAfterMs(h({ 'retry-after': new Date(10_000).toUTCString() }), 4_000), 6000);
    assert.equal(retryAfterMs(h({})), undefined);
  });

  it('network errors name the host and the reason, and never the query string', () => {
    const err = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const info = errorFromNetwork(err, 'http://127.0.0.1:1/v1/chat?access_token=SECRET');
    assert.equal(info.kind, 'network');
    assert.match(info.message, /127\.0\.0\.1:1.*refused/);
    assert.doesNotMatch(info.message, /SECRET/);
  });

  it('every kind but unknown has a hint (our own timeouts say what fits in their message instead)', () => {
    for (const kind of ['auth', 'permission', 'notFound', 'badRequest', 'rateLimit', 'quota', 'overloaded', 'server', 'network', 'timeout', 'protocol'] as const) {
      assert.ok(hintFor({ kind, message: '', retryable: kind === 'timeout' }, 'p'), kind);
    }
  });
});

describe('profiles', () => {
  it('keeps the valid profiles and describes the bad ones', () => {
    const r = parseProfiles([
      { id: 'a', kind: 'openai', model: 'm', baseUrl: 'http://x/v1/' },
      { id: 'b', kind: 'nope', model: 'm' },
      { kind: 'openai', model: 'm' },
      { id: 'a', kind: 'openai', model: 'm' },
      { id: 'c', kind: 'openai', model: 'm', baseUrl: 'localhost:8000', timeouts: { idleMs: -1 } },
      'junk',
    ]);
    assert.equal(r.ok, false);
    assert.deepEqual(r.profiles, [{ id: 'a', kind: 'openai', model: 'm', baseUrl: 'http://x/v1' }]);
    assert.equal(r.errors.length, 5);
    assert.match(r.errors.join('\n'), /"kind" must be one of/);
    assert.match(r.errors.join('\n'), /"id" is required/);
    assert.match(r.errors.join('\n'), /used twice/);
    assert.match(r.errors.join('\n'), /baseUrl.*http/);
  });

  it('accepts nothing at all, and rejects a non-array', () => {
    assert.deepEqual(parseProfiles(undefined), { ok: true, profiles: [], errors: [] });
    assert.equal(parseProfiles({}).ok, false);
  });
});

describe('span math (document ranges that follow the user\'s edits)', () => {
  const ch = (rangeOffset: number, rangeLength: number, textLength: number) => ({ rangeOffset, rangeLength, textLength });
  const at = (p: number) => ({ start: p, end: p });
  it('an empty span (insert at cursor): shifts for edits before, ignores edits after, typing at the point goes after the answer', () => {
    assert.deepEqual(shiftSpan(at(10), ch(0, 0, 5)), { start: 15, end: 15, inside: false });
    assert.deepEqual(shiftSpan(at(10), ch(2, 3, 0)), { start: 7, end: 7, inside: false });
    assert.deepEqual(shiftSpan(at(10), ch(11, 0, 5)), { start: 10, end: 10, inside: false });
    assert.deepEqual(shiftSpan(at(10), ch(10, 0, 3)), { start: 10, end: 10, inside: false });
    assert.deepEqual(shiftSpan(at(10), ch(8, 2, 1)), { start: 9, end: 9, inside: false });
    assert.deepEqual(shiftSpan(at(10), ch(8, 5, 1)), { start: 9, end: 9, inside: false }, 'a replacement that swallows the point ends it after the new text');
  });
  it('a written span: edits at its start go before it, at its end after it, inside it are reported', () => {
    const s = { start: 10, end: 20 };
    assert.deepEqual(shiftSpan(s, ch(10, 0, 2)), { start: 12, end: 22, inside: false });
    assert.deepEqual(shiftSpan(s, ch(20, 0, 2)), { start: 10, end: 20, inside: false });
    assert.deepEqual(shiftSpan(s, ch(20, 5, 0)), { start: 10, end: 20, inside: false });
    assert.deepEqual(shiftSpan(s, ch(0, 10, 0)), { start: 0, end: 10, inside: false });
    assert.deepEqual(shiftSpan(s, ch(12, 3, 2)), { start: 10, end: 19, inside: true });
    assert.deepEqual(shiftSpan(s, ch(15, 0, 4)), { start: 10, end: 24, inside: true });
    assert.deepEqual(shiftSpan(s, ch(5, 7, 0)), { start: 5, end: 13, inside: true }, 'the part before the span and its first 2 characters deleted');
    assert.deepEqual(shiftSpan(s, ch(15, 10, 3)), { start: 10, end: 15, inside: true }, 'its tail replaced: the new text is not the answer\'s');
    assert.deepEqual(shiftSpan(s, ch(5, 20, 1)), { start: 6, end: 6, inside: true }, 'all of it replaced');
  });
  it('several changes of one event (original-document ranges)', () => {
    assert.deepEqual(shiftSpanAll(at(10), [ch(0, 0, 2), ch(5, 1, 0), ch(20, 0, 9)]), { start: 11, end: 11, inside: false });
    assert.deepEqual(shiftSpanAll({ start: 10, end: 20 }, [ch(0, 0, 2), ch(14, 0, 1)]), { start: 12, end: 23, inside: true });
  });
});

describe('retries', () => {
  const sig = new AbortController().signal;
  const scripted = (runs: LlmEvent[][]) => {
    let i = 0;
    return async function* () { yield* runs[Math.min(i++, runs.length - 1)]; };
  };
  const rate: LlmEvent = { type: 'error', error: { kind: 'rateLimit', message: '429', retryable: true, retryAfterMs: 1 } };
  const start: LlmEvent = { type: 'start', provider: 'p', model: 'm' };

  it('retries before the first token, passing start on once', async () => {
    const got = await collect(withRetries(scripted([[start, rate], [start, { type: 'text', text: 'hi' }, { type: 'end', finishReason: 'stop' }]]), { maxRetries: 2, signal: sig }));
    assert.equal(got.starts, 1);
    assert.equal(got.text, 'hi');
    assert.equal(got.terminal?.type, 'end');
  });

  it('never retries after text reached the consumer', async () => {
    const got = await collect(withRetries(scripted([[start, { type: 'text', text: 'par' }, rate], [start, { type: 'text', text: 'WRONG' }]]), { maxRetries: 2, signal: sig }));
    assert.equal(got.text, 'par');
    assert.equal(got.terminal?.type, 'error');
  });

  it('does not retry non-retryable errors, nor past maxRetries', async () => {
    const auth: LlmEvent = { type: 'error', error: { kind: 'auth', message: '401', retryable: false } };
    let calls = 0;
    await collect(withRetries(async function* () { calls++; yield auth; }, { maxRetries: 3, signal: sig }));
    assert.equal(calls, 1);
    calls = 0;
    await collect(withRetries(async function* () { calls++; yield rate; }, { maxRetries: 2, signal: sig }));
    assert.equal(calls, 3);
  });

  it('a cancel during the backoff ends with cancelled', async () => {
    const ctl = new AbortController();
    const slow: LlmEvent = { type: 'error', error: { kind: 'server', message: '500', retryable: true, retryAfterMs: 10_000 } };
    setTimeout(() => ctl.abort(), 20);
    const got = await collect(withRetries(async function* () { yield slow; }, { maxRetries: 2, signal: ctl.signal }));
    assert.deepEqual(got.terminal, { type: 'end', finishReason: 'cancelled' });
  });

  it('backoff grows exponentially with jitter and honours Retry-After', () => {
    const mid = () => 0.5;
    assert.equal(backoffMs(1, undefined, 500, mid), 500);
    assert.equal(backoffMs(3, undefined, 500, mid), 2000);
    assert.equal(backoffMs(10, undefined, 500, mid), 8000);
    assert.equal(backoffMs(1, 1200, 500, () => 0), 1200);
  });
});

describe('the answer fold (foldAnswer: one outcome, any number of sinks)', () => {
  const script = (events: LlmEvent[], gapMs = 0) => (async function* () {
    for (const ev of events) {
      if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      yield ev;
    }
  })();
  const recorder = () => {
    const s = { batches: [] as Batch[], outcomes: [] as Outcome[], starts: 0, write(b: Batch) { s.batches.push(b); }, finish(o: Outcome) { s.outcomes.push(o); }, start() { s.starts++; } };
    return s;
  };
  const ok: LlmEvent[] = [
    { type: 'start', provider: 'p', model: 'm' },
    { type: 'reasoning', text: 'think ' },
    { type: 'text', text: '你好' }, { type: 'text', text: ' 🌏' }, { type: 'text', text: '!' },
    { type: 'usage', inputTokens: 3, outputTokens: 4 },
    { type: 'end', finishReason: 'stop', nativeFinishReason: 'stop' },
  ];

  it('feeds two sinks the same coalesced batches and finishes both with one outcome', async () => {
    const a = recorder();
    const b = recorder();
    const outcome = await foldAnswer(script(ok), [a, b], { intervalMs: 30 });
    assert.equal(a.batches.map((x) => x.text).join(''), '你好 🌏!');
    assert.equal(a.batches.map((x) => x.reasoning).join(''), 'think ');
    assert.deepEqual(b.batches, a.batches);
    assert.ok(a.batches.length <= 2, `${a.batches.length} batches for 4 deltas`);
    assert.equal(a.starts, 1);
    assert.deepEqual(a.outcomes, [outcome]);
    assert.deepEqual(b.outcomes, [outcome]);
    assert.equal(outcome.text, '你好 🌏!');
    assert.equal(outcome.reasoning, 'think ');
    assert.equal(outcome.finishReason, 'stop');
    assert.deepEqual(outcome.usage, { inputTokens: 3, outputTokens: 4, totalTokens: undefined });
    assert.equal(outcome.provider, 'p');
    assert.equal(outcome.timing.outputTokens, 4);
    assert.equal(outcome.timing.tokensEstimated, false);
  });

  it('keeps the partial text on failure and says why', async () => {
    const err: LlmEvent = { type: 'error', error: { kind: 'network', message: 'reset', retryable: true } };
    const o = await foldAnswer(script([ok[0], ok[2], err]), []);
    assert.equal(o.text, '你好');
    assert.equal(o.finishReason, 'error');
    assert.equal(o.error?.kind, 'network');
  });

  it('a stream that stops with no terminal event is a protocol error, text kept', async () => {
    const o = await foldAnswer(script([ok[0], ok[2]]), []);
    assert.equal(o.text, '你好');
    assert.equal(o.error?.kind, 'protocol');
  });

  it('measures time to first token and tokens per second with a clock it is given', async () => {
    let t = 1000;
    const clock = () => t;
    const events = (async function* (): AsyncGenerator<LlmEvent> {
      yield { type: 'start', provider: 'p', model: 'm' };
      t += 200;
      for (let i = 0; i < 11; i++) {
        yield { type: 'text', text: 'x' };
        t += 100;
      }
      yield { type: 'end', finishReason: 'stop' };
    })();
    const o = await foldAnswer(events, [], { now: clock, intervalMs: 0 });
    assert.equal(o.timing.firstTokenMs, 200);
    assert.equal(o.timing.outputTokens, 11);
    assert.equal(o.timing.tokensEstimated, true);
    assert.equal(o.timing.tokensPerSecond, 10, '10 tokens after the first in 1 s');
    assert.equal(o.timing.durationMs, 1300);
  });

  it('a sink that throws does not stop the others', async () => {
    const good = recorder();
    const errors: unknown[] = [];
    const bad: Sink = { write() { throw new Error('boom'); }, finish() { throw new Error('boom at finish'); } };
    const o = await foldAnswer(script(ok), [bad, good], { onSinkError: (e) => errors.push(e) });
    assert.equal(good.batches.map((x) => x.text).join(''), o.text);
    assert.equal(good.outcomes.length, 1);
    assert.ok(errors.length >= 2);
  });

  it('the last batch reaches the sinks before finish, at once when the stream ends', async () => {
    const order: string[] = [];
    const sink: Sink = { write: (b) => { order.push(`write:${b.text}`); }, finish: () => { order.push('finish'); } };
    await foldAnswer(script([ok[0], ok[2], ok[6]]), [sink], { intervalMs: 10_000 });
    assert.deepEqual(order, ['write:你好', 'finish']);
  });
});
