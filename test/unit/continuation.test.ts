// Continue after a cut answer: which providers continue natively, the request, the seam, and what
// each adapter sends for a native continuation (over real HTTP).
import { strict as assert } from 'node:assert';
import { CONTINUE_INSTRUCTION, continuationMessages, continuationMode, seamOverlap, withoutSeam } from '../../src/core/continuation';
import type { LlmEvent, ProviderProfile } from '../../src/core/types';
import { apiWith, rawServer } from '../support/api';
import { collect } from '../support/collect';

const profile = (p: Partial<ProviderProfile>): ProviderProfile => ({ id: 'p', kind: 'openai', model: 'm', ...p });

describe('continuation', () => {
  it('native for DashScope (both APIs), DeepSeek /beta and Anthropic; an instruction elsewhere; the profile decides when it says', () => {
    assert.equal(continuationMode(profile({ kind: 'dashscope' })), 'native');
    assert.equal(continuationMode(profile({ kind: 'anthropic' })), 'native');
    assert.equal(continuationMode(profile({ baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1' })), 'native');
    assert.equal(continuationMode(profile({ baseUrl: 'https://api.deepseek.com/beta' })), 'native');
    assert.equal(continuationMode(profile({ baseUrl: 'https://api.deepseek.com' })), 'instruction', 'prefix completion is a /beta feature');
    assert.equal(continuationMode(profile({ baseUrl: 'http://127.0.0.1:8000/v1' })), 'instruction');
    assert.equal(continuationMode(profile({ baseUrl: 'http://127.0.0.1:8000/v1', continuation: 'native' })), 'native');
    assert.equal(continuationMode(profile({ kind: 'anthropic', continuation: 'instruction' })), 'instruction');
  });

  it('the request: the conversation, the partial as an assistant message, then the instruction unless native', () => {
    const conv = [{ role: 'user' as const, content: 'q' }];
    assert.deepEqual(continuationMessages(conv, 'part', 'native'), [...conv, { role: 'assistant', content: 'part' }]);
    assert.deepEqual(continuationMessages(conv, 'part', 'instruction'), [...conv, { role: 'assistant', content: 'part' }, { role: 'user', content: CONTINUE_INSTRUCTION }]);
  });

  it('finds the repeat at the seam, and keeps text that only looks like one', () => {
    assert.equal(seamOverlap('Hello wor', 'world'), 3, 'a word begun again');
    assert.equal(seamOverlap('the cat', ' sat on'), 0);
    assert.equal(seamOverlap('ends here. ', ' Next'), 1, 'a repeated space');
    assert.equal(seamOverlap('banana', 'nana split'), 0, 'a short match inside a word is not a repeat');
    assert.equal(seamOverlap('a long sentence that was cut', 'sentence that was cut short'), 'sentence that was cut'.length);
    assert.equal(seamOverlap('流式输出让用户更早看到', '更早看到答案'), 4, 'Chinese has no spaces: repeated characters are enough');
  });

  it('withoutSeam drops the repeat across any chunking and passes the rest and the terminal event', async () => {
    const partial = 'Streaming lets the first words arr';
    for (const size of [1, 2, 5, 100]) {
      const cont = 'arrive while the model is still writing.';
      const events = (async function* (): AsyncGenerator<LlmEvent> {
        yield { type: 'start', provider: 'p', model: 'm' };
        for (let i = 0; i < cont.length; i += size) yield { type: 'text', text: cont.slice(i, i + size) };
        yield { type: 'end', finishReason: 'stop' };
      })();
      const got = await collect(withoutSeam(events, partial, 20));
      assert.equal(got.text, 'ive while the model is still writing.', `chunks of ${size}`);
      assert.equal(got.terminal?.type, 'end');
    }
  });
});

describe('native continuation in the request each adapter sends', () => {
  const cases: Array<{ name: string; profile: (url: string) => ProviderProfile; body: string; check: (body: any) => void }> = [
    {
      name: 'vLLM (openai kind, continuation native): continue_final_message',
      profile: (url) => ({ id: 'v', kind: 'openai', model: 'm', baseUrl: `${url}/v1`, continuation: 'native' }),
      body: 'data: {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
      check: (b) => {
        assert.equal(b.continue_final_message, true);
        assert.equal(b.add_generation_prompt, false);
        assert.deepEqual(b.messages.at(-1), { role: 'assistant', content: 'part ' });
      },
    },
    {
      name: 'DeepSeek /beta: prefix: true on the last message',
      profile: (url) => ({ id: 'd', kind: 'openai', model: 'deepseek-chat', baseUrl: `${url}/api.deepseek.com/beta` }),
      body: 'data: {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
      check: (b) => assert.deepEqual(b.messages.at(-1), { role: 'assistant', content: 'part ', prefix: true }),
    },
    {
      name: 'DashScope native: partial: true on the last message',
      profile: (url) => ({ id: 'q', kind: 'dashscope', model: 'qwen-plus', baseUrl: url }),
      body: 'data:{"output":{"choices":[{"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}]}}\n\n',
      check: (b) => assert.deepEqual(b.input.messages.at(-1), { role: 'assistant', content: 'part ', partial: true }),
    },
    {
      name: 'Anthropic: the prefill without its trailing white space',
      profile: (url) => ({ id: 'a', kind: 'anthropic', model: 'claude', baseUrl: url }),
      body: 'event: message_stop\ndata: {"type":"message_stop"}\n\n',
      check: (b) => assert.deepEqual(b.messages.at(-1), { role: 'assistant', content: 'part' }),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const srv = await rawServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(c.body);
      });
      try {
        const messages = [{ role: 'user' as const, content: 'q' }, { role: 'assistant' as const, content: 'part ' }];
        const got = await collect(apiWith(c.profile(srv.url)).streamEvents(messages, { continuation: true }));
        assert.equal(got.terminal?.type, 'end', JSON.stringify(got.terminal));
        c.check(JSON.parse(srv.seen[0].body));
      } finally {
        await srv.close();
      }
    });
  }
});
