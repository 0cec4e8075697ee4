// The waiting indicator: while a provider has the request and says nothing (before its first word,
// or silent mid-answer), the chat's line under the answer and the progress notification say that
// we wait and for how long, in seconds. The wording and the state (pure), then the notification's
// sink over real HTTP: a server that accepts the request and goes quiet, one that stalls mid-answer.
import { strict as assert } from 'node:assert';
import { foldAnswer } from '../../src/core/answer';
import { progressMessage, progressSink } from '../../src/host/progressSink';
import { STALL_MS, waitSeconds, waitState } from '../../src/shared/waiting';
import { apiWith } from '../support/api';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';

describe('waiting: the state', () => {
  it('before a response, after it began, after text and during a silence', () => {
    assert.deepEqual(waitState({ elapsedMs: 2500, accepted: false }), { phase: 'sending', ms: 2500 });
    assert.deepEqual(waitState({ elapsedMs: 2500, accepted: true }), { phase: 'waiting', ms: 2500 });
    assert.equal(waitState({ elapsedMs: 2500, accepted: true, lastTokenMs: 2000 }), undefined, 'text flows');
    assert.equal(waitState({ elapsedMs: 2000 + STALL_MS - 1, accepted: true, lastTokenMs: 2000 }), undefined, 'a short pause is no wait');
    assert.deepEqual(waitState({ elapsedMs: 2000 + STALL_MS, accepted: true, lastTokenMs: 2000 }), { phase: 'stalled', ms: STALL_MS });
  });

  it('seconds count up like a clock', () => {
    assert.equal(waitSeconds(999), 0);
    assert.equal(waitSeconds(1000), 1);
    assert.equal(waitSeconds(12_999), 12);
    assert.equal(waitSeconds(-5), 0);
  });
});

describe('waiting: the progress notification', () => {
  it('words each wait in seconds, with Cancel as the way to stop', () => {
    assert.equal(progressMessage({ sinceMs: 300, accepted: false, chars: 0 }), 'Waiting for the provider to respond… (Cancel stops it)');
    assert.equal(progressMessage({ sinceMs: 4200, accepted: false, chars: 0 }), 'Waiting for the provider to respond… 4 s (Cancel stops it)');
    assert.equal(progressMessage({ sinceMs: 12_400, accepted: true, chars: 0 }), 'Waiting for the provider… 12 s (Cancel stops it)');
    assert.equal(progressMessage({ sinceMs: 12_400, accepted: true, chars: 120, lastTokenMs: 12_000 }), '120 characters');
    assert.equal(progressMessage({ sinceMs: 20_000, accepted: true, chars: 120, lastTokenMs: 12_000 }), '120 characters · waiting for the provider… no text for 8 s (Cancel stops it)');
    assert.equal(progressMessage({ sinceMs: 5000, accepted: true, chars: 0, lastTokenMs: 4900, reasoningMs: 3100 }), 'The model is reasoning… 3 s');
  });

  it('the sink: its line at once, then up to date on a clock, and quiet after the last of its answers finishes', async () => {
    let t = 0;
    const seen: string[] = [];
    const sink = progressSink({ report: (v) => seen.push(v.message ?? '') }, { now: () => t, tickMs: 5, streams: 2 });
    assert.deepEqual(seen, ['Waiting for the provider to respond… (Cancel stops it)'], 'shown before any response');
    t = 2000;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(seen.at(-1), 'Waiting for the provider to respond… 2 s (Cancel stops it)');
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(seen.length, count, 'reported only when it changes');
    sink.start?.({ provider: 'p', model: 'm' });
    t = 3000;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(seen.at(-1), 'Waiting for the provider… 3 s (Cancel stops it)');
    sink.write({ text: 'hello', reasoning: '' }, undefined as never);
    assert.equal(seen.at(-1), '5 characters', 'the first text shows at once');
    t = 3000 + STALL_MS + 1000;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(seen.at(-1), '5 characters · waiting for the provider… no text for 4 s (Cancel stops it)');
    void sink.finish(undefined as never);
    t += 5000;
    await new Promise((r) => setTimeout(r, 20));
    assert.match(seen.at(-1)!, /no text for 9 s/, 'one of two answers finished: still ticking');
    void sink.finish(undefined as never);
    assert.equal(seen.at(-1), 'finishing…');
    t += 5000;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(seen.at(-1), 'finishing…', 'no tick after the last answer');
  });

  describe('over real HTTP', function () {
    this.timeout(20_000);
    let server: FixtureServer;
    before(async () => { server = await startFixtureServer(); });
    after(() => server.close());

    it('a provider that accepts the request and says nothing: the seconds count up until Stop, which ends it at once', async () => {
      const seen: string[] = [];
      const stop = new AbortController();
      const api = apiWith({ id: 'quiet', kind: 'openai', model: 'm', baseUrl: `${server.url}/fx/quiet/replay/openai-chat-basic.sse/whole/quiet/v1` });
      const done = foldAnswer(api.streamEvents('hi', { signal: stop.signal }), [progressSink({ report: (v) => seen.push(v.message ?? '') }, { tickMs: 50 })]);
      while (!seen.some((m) => m.startsWith('Waiting for the provider… 2 s'))) await new Promise((r) => setTimeout(r, 50));
      assert.ok(seen.includes('Waiting for the provider… 1 s (Cancel stops it)'), seen.join(' | '));
      const at = performance.now();
      stop.abort();
      const outcome = await done;
      assert.equal(outcome.finishReason, 'cancelled');
      assert.ok(performance.now() - at < 500, 'Stop ends the wait at once');
      assert.equal(seen.at(-1), 'finishing…');
    });

    it('a stall mid-answer: the characters so far, then the silence in seconds', async () => {
      const seen: string[] = [];
      const stop = new AbortController();
      const api = apiWith({ id: 'stall', kind: 'openai', model: 'm', baseUrl: `${server.url}/fx/stall:6/replay/openai-chat-basic.sse/whole/stall/v1` });
      const done = foldAnswer(api.streamEvents('hi', { signal: stop.signal }), [progressSink({ report: (v) => seen.push(v.message ?? '') }, { tickMs: 50 })]);
      while (!seen.some((m) => /no text for 3 s/.test(m))) await new Promise((r) => setTimeout(r, 50));
      assert.match(seen.find((m) => /no text for/.test(m))!, /^\d+ characters · waiting for the provider… no text for \d+ s \(Cancel stops it\)$/);
      stop.abort();
      const outcome = await done;
      assert.equal(outcome.finishReason, 'cancelled');
      assert.ok(outcome.text.length > 0, 'the text so far is kept');
    });
  });
});
