import { strict as assert } from 'node:assert';
import { errorFromHttp, errorFromNetwork, hintFor, retryAfterMs } from '../../src/core/errors';
import { parseProfiles } from '../../src/core/profiles';
import { DeltaBatcher } from '../../src/core/pump';
import { backoffMs, withRetries } from '../../src/core/retry';
import { shiftOffset, shiftOffsetAll } from '../../src/core/textPosition';
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

  it('every kind but unknown has a hint', () => {
    for (const kind of ['auth', 'permission', 'notFound', 'badRequest', 'rateLimit', 'quota', 'overloaded', 'server', 'network', 'timeout', 'protocol'] as const) {
      assert.ok(hintFor({ kind, message: '', retryable: false }, 'p'), kind);
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

describe('insertion point math', () => {
  const ch = (rangeOffset: number, rangeLength: number, textLength: number) => ({ rangeOffset, rangeLength, textLength });
  it('shifts for edits before, ignores edits after, keeps typing at the point after the answer', () => {
    assert.equal(shiftOffset(10, ch(0, 0, 5)), 15);
    assert.equal(shiftOffset(10, ch(2, 3, 0)), 7);
    assert.equal(shiftOffset(10, ch(11, 0, 5)), 10);
    assert.equal(shiftOffset(10, ch(10, 0, 3)), 10);
    assert.equal(shiftOffset(10, ch(8, 2, 1)), 9);
    assert.equal(shiftOffset(10, ch(8, 5, 1)), 9, 'a replacement that swallows the point ends it after the new text');
  });
  it('several changes of one event (original-document ranges)', () => {
    assert.equal(shiftOffsetAll(10, [ch(0, 0, 2), ch(5, 1, 0), ch(20, 0, 9)]), 11);
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

describe('DeltaBatcher', () => {
  it('delivers at most once per interval and everything on flush', async () => {
    const got: string[] = [];
    const b = new DeltaBatcher((x) => got.push(x.text), 30);
    for (let i = 0; i < 100; i++) b.push('text', 'x');
    await new Promise((r) => setTimeout(r, 5));
    b.push('text', 'y');
    b.flush();
    assert.equal(got.join(''), 'x'.repeat(100) + 'y');
    assert.ok(got.length <= 2, `${got.length} deliveries`);
  });
});
