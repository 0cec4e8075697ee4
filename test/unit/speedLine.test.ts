// The speed line under each answer: its wording, its place in the protocol, and in the history.
import { strict as assert } from 'node:assert';
import { ChatHistory } from '../../src/host/history';
import { isHostMessage, type UiMessage, type UiStats } from '../../src/shared/protocol';
import { answerWait, formatMs, speedLine } from '../../src/webview/speedLine';
import { memento } from '../support/memento';

const reported: UiStats = {
  provider: 'openai', model: 'gpt-4o-mini', firstTokenMs: 320, durationMs: 2400, outputTokens: 312,
  tokensEstimated: false, tokensPerSecond: 150.4, usage: { inputTokens: 20, outputTokens: 312, totalTokens: 332 },
};
const estimated: UiStats = { provider: 'local', model: 'qwen', firstTokenMs: 95, durationMs: 1800, outputTokens: 312, tokensEstimated: true, tokensPerSecond: 8.26 };

describe('speedLine', () => {
  it('formats durations for people', () => {
    assert.equal(formatMs(23.4), '23 ms');
    assert.equal(formatMs(999.7), '1.0 s');
    assert.equal(formatMs(2449), '2.4 s');
    assert.equal(formatMs(9960), '10 s');
    assert.equal(formatMs(14_200), '14 s');
    assert.equal(formatMs(125_000), '2 min 05 s');
  });

  it('when done: provider, model, time to first token, tokens per second, the provider\u2019s token usage', () => {
    assert.equal(speedLine(reported, 'done'), 'openai · gpt-4o-mini · first token 320 ms · 150 tok/s · 20 in / 312 out tokens');
  });

  it('marks counted (estimated) tokens with ~', () => {
    assert.equal(speedLine(estimated, 'done'), 'local · qwen · first token 95 ms · 8.3 tok/s · ~312 tokens');
    assert.equal(speedLine({ ...estimated, usage: { inputTokens: 40 } }, 'done'), 'local · qwen · first token 95 ms · 8.3 tok/s · 40 in / ~312 out tokens');
  });

  it('while streaming: the time so far and the live rate', () => {
    assert.equal(speedLine({ ...estimated, durationMs: 900 }, 'streaming', 2210), '2.2 s · 8.3 tok/s', 'the clock counts on between deltas');
    assert.equal(speedLine({ ...estimated, durationMs: 900 }, 'streaming'), '900 ms · 8.3 tok/s');
    assert.equal(speedLine({ ...estimated, durationMs: 900, lastTokenMs: 880 }, 'streaming', 3210), '3.2 s · 8.3 tok/s', 'a pause under 3 s is no wait');
  });

  it('while nothing comes: that we wait for the provider, and for how long in whole seconds', () => {
    assert.equal(speedLine(undefined, 'streaming', 400), 'Waiting for the provider to respond\u2026', 'no response yet; under a second, no number');
    assert.equal(speedLine(undefined, 'streaming', 12_900), 'Waiting for the provider to respond\u2026 12 s', 'the seconds count up, never ahead');
    const accepted: UiStats = { provider: 'qwen', model: 'qwen-plus', durationMs: 40, outputTokens: 0, tokensEstimated: true };
    assert.equal(speedLine(accepted, 'streaming', 12_000), 'Waiting for the provider\u2026 12 s', 'accepted, none of the answer yet');
    assert.equal(speedLine(accepted, 'streaming', 125_000), 'Waiting for the provider\u2026 125 s', 'seconds, as the timeouts are set');
    const stalled: UiStats = { ...estimated, durationMs: 4000, lastTokenMs: 3900 };
    assert.equal(speedLine(stalled, 'streaming', 6800), '6.8 s · 8.3 tok/s');
    assert.equal(speedLine(stalled, 'streaming', 12_000), '12 s · 8.3 tok/s · waiting for the provider\u2026 no text for 8 s', 'a stall mid-answer');
    assert.deepEqual(answerWait(stalled, 12_000), { phase: 'stalled', ms: 8100 });
    assert.deepEqual(answerWait(accepted, 500), { phase: 'waiting', ms: 500 });
    assert.deepEqual(answerWait(undefined, 500), { phase: 'sending', ms: 500 });
    assert.equal(answerWait(estimated, 60_000), undefined, 'figures without lastTokenMs (an older host) never read as a wait');
  });

  it('an answer a reload cut says "interrupted", not "stopped"', () => {
    assert.equal(speedLine(estimated, 'cancelled', undefined, 'interrupted'), 'local · qwen · interrupted · ~312 tokens');
  });

  it('after Stop: how long the stop took and how much had arrived', () => {
    assert.equal(speedLine({ ...estimated, stopMs: 23 }, 'cancelled'), 'local · qwen · stopped in 23 ms · ~312 tokens');
    assert.equal(speedLine(estimated, 'cancelled'), 'local · qwen · stopped · ~312 tokens', 'cut by a closed window: no stop time');
  });

  it('says nothing for an answer without figures, nor for a failure before any of the answer', () => {
    assert.equal(speedLine(undefined, 'done'), '');
    assert.equal(speedLine({ durationMs: 10, outputTokens: 0, tokensEstimated: true }, 'error'), '');
    assert.equal(speedLine({ ...estimated, outputTokens: 40 }, 'error'), 'local · qwen · first token 95 ms · 8.3 tok/s · ~40 tokens', 'after some text: what came');
  });
});

describe('speed figures in the protocol and the history', () => {
  it('delta, messageDone and snapshot messages carry them, checked field by field', () => {
    assert.ok(isHostMessage({ type: 'delta', id: 'a', text: 'x', stats: estimated }));
    assert.ok(isHostMessage({ type: 'messageDone', id: 'a', status: 'done', stats: reported }));
    assert.ok(isHostMessage({ type: 'snapshot', streaming: false, messages: [{ id: 'a', role: 'assistant', text: 'x', status: 'done', stats: reported }] }));
    assert.ok(!isHostMessage({ type: 'messageDone', id: 'a', status: 'done', stats: { ...reported, durationMs: 'slow' } }));
    assert.ok(!isHostMessage({ type: 'messageDone', id: 'a', status: 'done', stats: { ...reported, tokensPerSecond: Number.NaN } }));
    assert.ok(!isHostMessage({ type: 'delta', id: 'a', stats: { ...estimated, tokensEstimated: undefined } }));
    assert.ok(!isHostMessage({ type: 'delta', id: 'a', stats: { ...reported, usage: { inputTokens: -1 } } }));
  });


  it('are kept across a reload; figures that do not check out are dropped, not the answer', async () => {
    const { m, map } = memento();
    const answer: UiMessage = { id: 'b', role: 'assistant', text: 'hi', status: 'cancelled', stats: { ...estimated, stopMs: 23 } };
    await new ChatHistory(m).save([{ id: 'a', role: 'user', text: 'q', status: 'done' }, answer]);
    const loaded = new ChatHistory(m).load();
    assert.deepEqual(loaded[1], answer);
    assert.equal(speedLine(loaded[1].stats, loaded[1].status), 'local · qwen · stopped in 23 ms · ~312 tokens');

    map.set('askLlm.chat.v2/b', { ...answer, stats: { durationMs: 'x' } });
    const { stats: _, ...bare } = answer;
    assert.deepEqual(new ChatHistory(m).load()[1], bare);
    assert.ok(isHostMessage({ type: 'snapshot', streaming: false, messages: new ChatHistory(m).load() }), 'what the history gives, the view accepts');
  });
});
