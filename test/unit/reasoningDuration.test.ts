// How long the model reasoned: the fold times it (first reasoning → first text after it), the chat
// keeps it in the stored message's stats, and the reasoning's summary says it.
import { strict as assert } from 'node:assert';
import { Answer } from '../../src/core/answer';
import type { LlmEvent } from '../../src/core/types';
import { isUiMessage, type UiStats } from '../../src/shared/protocol';
import { reasoningSummary } from '../../src/webview/reasoning';

/** An Answer on a clock the test moves. */
function clocked() {
  let t = 1000;
  const answer = new Answer(() => t, t);
  return { answer, at: (ms: number, ev: LlmEvent) => { t = 1000 + ms; answer.apply(ev); }, move: (ms: number) => { t = 1000 + ms; } };
}

describe('reasoning duration', () => {
  it('the fold times reasoning from its first delta to the first text after it', () => {
    const { answer, at } = clocked();
    at(0, { type: 'start', provider: 'p', model: 'm' });
    at(300, { type: 'reasoning', text: 'Hm' });
    at(2000, { type: 'reasoning', text: ', so' });
    at(4500, { type: 'text', text: 'Answer' });
    at(5000, { type: 'reasoning', text: 'late' }); // reasoning after the answer began does not stretch it
    at(6000, { type: 'end', finishReason: 'stop' });
    assert.equal(answer.timing().reasoningMs, 4200);
    assert.equal(answer.outcome().timing.firstTokenMs, 300);
  });

  it('while the model still reasons it counts to now; stopped while reasoning, to the end; no reasoning, none', () => {
    const live = clocked();
    live.at(100, { type: 'reasoning', text: 'Thinking' });
    live.move(3100);
    assert.equal(live.answer.timing().reasoningMs, 3000);
    live.at(3600, { type: 'end', finishReason: 'cancelled' });
    live.move(9000);
    assert.equal(live.answer.timing().reasoningMs, 3500);
    const plain = clocked();
    plain.at(10, { type: 'text', text: 'Hi' });
    plain.at(20, { type: 'end', finishReason: 'stop' });
    assert.equal('reasoningMs' in plain.answer.timing(), false);
  });

  it('the duration is kept with the stored message (the history keeps what the guard accepts)', () => {
    const stats: UiStats = { durationMs: 5000, outputTokens: 10, tokensEstimated: true, reasoningMs: 4200 };
    assert.ok(isUiMessage({ id: 'a', role: 'assistant', text: 'x', reasoning: 'y', status: 'done', stats }));
    assert.ok(!isUiMessage({ id: 'a', role: 'assistant', text: 'x', status: 'done', stats: { ...stats, reasoningMs: -1 } }));
  });

  it('the summary: "Reasoning… 3 s" while the model reasons, then "Reasoned for 4.2 s"; "Reasoning" for an old message', () => {
    const s: UiStats = { durationMs: 5000, outputTokens: 10, tokensEstimated: true, reasoningMs: 4200 };
    assert.equal(reasoningSummary(s, 'streaming', false, 400), 'Reasoning\u2026');
    assert.equal(reasoningSummary(s, 'streaming', false, 3999), 'Reasoning\u2026 3 s');
    assert.equal(reasoningSummary(s, 'streaming', true, 9000), 'Reasoned for 4.2 s');
    assert.equal(reasoningSummary(s, 'done', true), 'Reasoned for 4.2 s');
    assert.equal(reasoningSummary({ ...s, reasoningMs: 750 }, 'cancelled', false), 'Reasoned for 750 ms');
    assert.equal(reasoningSummary({ ...s, reasoningMs: 65_000 }, 'done', true), 'Reasoned for 1 min 05 s');
    assert.equal(reasoningSummary(undefined, 'done', true), 'Reasoning');
  });
});
