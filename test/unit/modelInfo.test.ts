// What VS Code's model list shows for our profiles (src/core/modelInfo.ts).
import { strict as assert } from 'node:assert';
import { estimateTokens, modelListings, tokenLimits } from '../../src/core/modelInfo';
import type { ProviderProfile } from '../../src/core/types';

describe('profiles as VS Code language models', () => {
  it('token limits: known models, a size in the name, max_tokens in params, else a cautious default', () => {
    const of = (model: string, params?: Record<string, unknown>) => tokenLimits({ model, ...(params ? { params } : {}) });
    assert.deepEqual(of('qwen-plus'), { maxInputTokens: 131_072, maxOutputTokens: 16_384, known: true });
    assert.deepEqual(of('deepseek-chat'), { maxInputTokens: 128_000, maxOutputTokens: 8_192, known: true });
    assert.equal(of('gpt-4o-mini').maxInputTokens, 128_000);
    assert.equal(of('claude-sonnet-4-5').maxOutputTokens, 64_000);
    assert.deepEqual(of('ernie-speed-128k'), { maxInputTokens: 131_072, maxOutputTokens: 4_096, known: true });
    assert.equal(of('ernie-4.0-8k').maxInputTokens, 8_192);
    assert.equal(of('Qwen/Qwen2.5-7B-Instruct').maxInputTokens, 131_072);
    assert.equal(of('qwen-plus', { max_tokens: 2048 }).maxOutputTokens, 2048);
    assert.deepEqual(of('my-finetune'), { maxInputTokens: 32_768, maxOutputTokens: 4_096, known: false });
  });

  it('a token estimate that counts Chinese by the character', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcdefgh'), 2);
    assert.equal(estimateTokens('你好世界'), 4);
    assert.equal(estimateTokens('你好 world'), 2 + 2);
  });

  it('every profile but vscode-lm is listed, id = profile id, with its name and family', () => {
    const profiles: ProviderProfile[] = [
      { id: 'qwen', label: 'Qwen Plus', kind: 'openai', model: 'qwen-plus', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1' },
      { id: 'copilot', kind: 'vscode-lm', model: '' },
      { id: 'ernie', kind: 'ernie', model: 'completions_pro' },
    ];
    const listed = modelListings(profiles, (p) => p.baseUrl ?? 'default');
    assert.deepEqual(listed.map((m) => [m.id, m.name, m.family]), [['qwen', 'Qwen Plus', 'qwen-plus'], ['ernie', 'ernie', 'completions_pro']]);
    assert.equal(listed[0].maxInputTokens, 131_072);
    assert.match(listed[0].tooltip, /dashscope\.aliyuncs\.com/);
  });
});
