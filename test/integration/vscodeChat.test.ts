// VS Code's own chat and models, in the real extension host: our profiles as language models
// (vendor askllm) through vscode.lm, the @ask participant's real handler (driven through the
// test-only command askLlm.test.participant, since the offline VS Code's Chat view wants a
// sign-in first), and the provider doctor writing what it found into the settings.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { AskLlmApi } from '../../src/api';
import type { ProviderProfile } from '../../src/core/types';
import type { RecordedRequest } from '../support/fixtureServer';
import { loadFixture } from '../support/fixtureServer';

const server = () => {
  const url = process.env.ASKLLM_TEST_SERVER;
  if (!url) throw new Error('ASKLLM_TEST_SERVER is not set: run through test/run/integration.mjs');
  return url;
};
const expectedText = (fixture: string) => String((loadFixture(fixture).meta.expected as { text?: string }).text ?? '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function activate(): Promise<AskLlmApi> {
  const ext = vscode.extensions.getExtension<AskLlmApi>('askllm.ask-llm');
  assert.ok(ext, 'the extension is installed');
  return ext.activate();
}

async function useProfiles(profiles: ProviderProfile[], active = profiles[0]?.id ?? ''): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('askLlm');
  await cfg.update('providers', profiles, vscode.ConfigurationTarget.Global);
  await cfg.update('activeProvider', active, vscode.ConfigurationTarget.Global);
}

async function serverLog(): Promise<RecordedRequest[]> {
  return (await fetch(`${server()}/_log`)).json() as Promise<RecordedRequest[]>;
}

/** Waits until `check` holds (it returns a value) or the time is up. */
async function until<T>(check: () => Promise<T | undefined> | T | undefined, ms = 10_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Our models as VS Code lists them, once the list has caught up with the settings. */
async function askllmModels(ids: string[]): Promise<vscode.LanguageModelChat[]> {
  return until(async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'askllm' });
    return [...models.map((m) => m.id)].sort().join() === [...ids].sort().join() ? models : undefined;
  }, 15_000, `the askllm models to be ${ids.join(', ')}`);
}

const key = { apiKeyEnv: 'ASKLLM_TEST_KEY' };
const PROFILES = (): ProviderProfile[] => [
  { id: 'lm-basic', label: 'LM basic', kind: 'openai', model: 'gpt-4o-mini', baseUrl: `${server()}/replay/openai-chat-basic.sse/whole/v1`, ...key },
  { id: 'lm-reason', label: 'LM reasoning', kind: 'openai', model: 'deepseek-reasoner', baseUrl: `${server()}/replay/deepseek-reasoning.sse/random-3/v1`, ...key },
  { id: 'lm-slow', kind: 'openai', model: 'synth', baseUrl: `${server()}/synth/3000/25/lm-slow/v1`, ...key },
  { id: 'lm-nokey', kind: 'openai', model: 'qwen-plus', baseUrl: 'https://dashscope.example.test/compatible-mode/v1' },
  { id: 'lm-vscode', kind: 'vscode-lm', model: '' },
];

async function readAll(res: vscode.LanguageModelChatResponse, onText?: (t: string) => void): Promise<string> {
  let text = '';
  for await (const t of res.text) {
    text += t;
    onText?.(t);
  }
  return text;
}

/** A ChatResponseStream that records what the handler shows. */
function recordingStream() {
  const shown = { markdown: [] as string[], progress: [] as string[], buttons: [] as vscode.Command[] };
  const stream = {
    markdown: (v: string | vscode.MarkdownString) => shown.markdown.push(typeof v === 'string' ? v : v.value),
    progress: (v: string) => shown.progress.push(v),
    button: (c: vscode.Command) => shown.buttons.push(c),
    anchor: () => undefined,
    filetree: () => undefined,
    reference: () => undefined,
    push: () => undefined,
  } as unknown as vscode.ChatResponseStream;
  return { shown, stream };
}

function chatRequest(prompt: string): vscode.ChatRequest {
  return { prompt, command: undefined, references: [], toolReferences: [] } as unknown as vscode.ChatRequest;
}

describe("VS Code's own chat and models", function () {
  this.timeout(60_000);
  before(async () => {
    await activate();
    await useProfiles(PROFILES());
  });
  after(() => useProfiles([]));

  it('vscode.lm.selectChatModels({ vendor: "askllm" }) lists every profile but the vscode-lm one: id = profile id, its name, family and token limit', async () => {
    const models = await askllmModels(['lm-basic', 'lm-reason', 'lm-slow', 'lm-nokey']);
    const basic = models.find((m) => m.id === 'lm-basic')!;
    assert.deepEqual([basic.vendor, basic.name, basic.family, basic.maxInputTokens], ['askllm', 'LM basic', 'gpt-4o-mini', 128_000]);
    assert.equal(models.find((m) => m.id === 'lm-nokey')!.maxInputTokens, 131_072);
    assert.equal(await basic.countTokens('你好 world'), 4);
  });

  it('sendRequest streams the fixture server\'s answer through our pipeline, with the conversation as sent', async () => {
    const [model] = await askllmModels(['lm-basic', 'lm-reason', 'lm-slow', 'lm-nokey']).then((all) => all.filter((m) => m.id === 'lm-basic'));
    const before = (await serverLog()).length;
    const res = await model.sendRequest([
      vscode.LanguageModelChatMessage.User('first question'),
      vscode.LanguageModelChatMessage.Assistant('first answer'),
      vscode.LanguageModelChatMessage.User('and now?'),
    ], {}, new vscode.CancellationTokenSource().token);
    assert.equal(await readAll(res), expectedText('openai-chat-basic.sse'));
    const sent = (await serverLog()).slice(before).find((r) => r.url.includes('/replay/openai-chat-basic.sse/whole/v1/chat/completions'));
    assert.ok(sent, 'the request reached the fixture server at the profile\'s URL');
    assert.equal(sent.headers.authorization, 'Bearer sk-test-key');
    assert.deepEqual(JSON.parse(sent.body).messages, [
      { role: 'user', content: 'first question' }, { role: 'assistant', content: 'first answer' }, { role: 'user', content: 'and now?' },
    ]);
  });

  it('cancelling a sendRequest closes our HTTP connection', async () => {
    const [model] = (await askllmModels(['lm-basic', 'lm-reason', 'lm-slow', 'lm-nokey'])).filter((m) => m.id === 'lm-slow');
    const cts = new vscode.CancellationTokenSource();
    const res = await model.sendRequest([vscode.LanguageModelChatMessage.User('a long one')], {}, cts.token);
    const started = Date.now();
    let got = '';
    try {
      await readAll(res, (t) => {
        got += t;
        if (got.length > 20) cts.cancel();
      });
    } catch {
      // a cancelled stream may end with an error: what matters is that it ends, and the connection closes
    }
    assert.ok(got.length > 0, 'some text arrived first');
    assert.ok(Date.now() - started < 20_000, 'the stream ended soon after the cancel (the whole answer takes 2 minutes)');
    const closed = await until(async () => (await serverLog()).filter((r) => r.url.includes('/lm-slow/')).pop()?.clientAborted, 10_000, 'the fixture server to see the client hang up');
    assert.equal(closed, true);
  });

  it('an error reaches the caller in our words (a missing key: nothing was sent)', async () => {
    const [model] = (await askllmModels(['lm-basic', 'lm-reason', 'lm-slow', 'lm-nokey'])).filter((m) => m.id === 'lm-nokey');
    const failure = await (async () => {
      try {
        await readAll(await model.sendRequest([vscode.LanguageModelChatMessage.User('hi')], {}, new vscode.CancellationTokenSource().token));
        return undefined;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    })();
    assert.match(failure ?? 'no error', /No API key is set for profile "lm-nokey"/);
  });

  it('no loop: a vscode-lm profile is never listed, and never answers with one of our own models', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'askllm' });
    assert.ok(!models.some((m) => m.id === 'lm-vscode'));
    const api = await activate();
    let text = '';
    for await (const ev of api.streamEvents('loop?', { provider: 'lm-vscode' })) if (ev.type === 'text') text += ev.text;
    assert.equal(text, 'Echo: loop?', 'the vscode-lm profile took the test extension\'s model, not one of ours');
  });

  it('the list follows the settings: a profile removed is no longer a model, one added is', async () => {
    const changed = new Promise<void>((r) => { const d = vscode.lm.onDidChangeChatModels(() => { d.dispose(); r(); }); });
    await useProfiles([...PROFILES().filter((p) => p.id !== 'lm-reason'), { id: 'lm-added', kind: 'ollama', model: 'qwen3:8b', baseUrl: `${server()}/replay/ollama-chat.ndjson/whole` }], 'lm-basic');
    await changed;
    await askllmModels(['lm-basic', 'lm-slow', 'lm-nokey', 'lm-added']);
    await useProfiles(PROFILES());
    await askllmModels(['lm-basic', 'lm-reason', 'lm-slow', 'lm-nokey']);
  });

  describe('@ask (participant askllm.ask), its real handler', () => {
    const handle = (request: vscode.ChatRequest, history: unknown[], stream: vscode.ChatResponseStream, token = new vscode.CancellationTokenSource().token) =>
      vscode.commands.executeCommand<vscode.ChatResult>('askLlm.test.participant', request, { history }, stream, token);

    it('answers with the active profile: Markdown as it arrives, reasoning as progress, the history as the conversation', async () => {
      await useProfiles(PROFILES(), 'lm-reason');
      const { shown, stream } = recordingStream();
      const history = [
        { prompt: 'earlier question', command: undefined, references: [], toolReferences: [], participant: 'askllm.ask' },
        { response: [new vscode.ChatResponseMarkdownPart('earlier answer'), new vscode.ChatResponseCommandButtonPart({ command: 'x', title: 'X' })], result: {}, participant: 'askllm.ask' },
      ];
      const before = (await serverLog()).length;
      const result = await handle(chatRequest('为什么天空是蓝色的？'), history, stream);
      assert.equal(result.errorDetails, undefined, JSON.stringify(result));
      assert.equal(shown.markdown.join(''), expectedText('deepseek-reasoning.sse'));
      assert.ok(shown.progress.length > 0 && /^Thinking/.test(shown.progress[0]), JSON.stringify(shown.progress));
      assert.equal((result.metadata as { provider?: string }).provider, 'lm-reason');
      const sent = (await serverLog()).slice(before).find((r) => r.url.includes('deepseek-reasoning'));
      assert.deepEqual(JSON.parse(sent!.body).messages, [
        { role: 'user', content: 'earlier question' }, { role: 'assistant', content: 'earlier answer' }, { role: 'user', content: '为什么天空是蓝色的？' },
      ]);
    });

    it('a file or selection attached to the request goes along after the prompt', async () => {
      await useProfiles(PROFILES(), 'lm-basic');
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def answer():\n    return 42\n' });
      const request = { ...chatRequest('what does it return?'), references: [{ id: 'vscode.file', value: new vscode.Location(doc.uri, new vscode.Range(1, 0, 1, 13)) }] } as vscode.ChatRequest;
      const before = (await serverLog()).length;
      const result = await handle(request, [], recordingStream().stream);
      assert.equal(result.errorDetails, undefined);
      const sent = (await serverLog()).slice(before).find((r) => r.url.includes('openai-chat-basic'));
      const last = JSON.parse(sent!.body).messages.pop();
      assert.match(last.content, /^what does it return\?\n\nAttached: .*:2-2\n```python\n    return 42\n```$/);
    });

    it('an error comes with the buttons that fix it: Set API Key… for the profile that failed, Select Provider…', async () => {
      await useProfiles(PROFILES(), 'lm-nokey');
      const { shown, stream } = recordingStream();
      const result = await handle(chatRequest('hi'), [], stream);
      assert.match(result.errorDetails?.message ?? '', /No API key is set for profile "lm-nokey"/);
      assert.deepEqual(shown.buttons.map((b) => [b.command, b.arguments]), [['askLlm.setApiKey', ['lm-nokey']], ['askLlm.selectProvider', undefined]]);
      assert.deepEqual(shown.markdown, []);
    });

    it('the cancellation token stops the answer and closes the connection; the text so far stays', async () => {
      await useProfiles(PROFILES(), 'lm-slow');
      const cts = new vscode.CancellationTokenSource();
      const { shown, stream } = recordingStream();
      const origMarkdown = stream.markdown.bind(stream);
      (stream as { markdown: (v: string) => void }).markdown = (v: string) => {
        origMarkdown(v);
        if (shown.markdown.join('').length > 30) cts.cancel();
      };
      const started = Date.now();
      const result = await handle(chatRequest('a long one'), [], stream, cts.token);
      assert.ok(Date.now() - started < 20_000);
      assert.equal(result.errorDetails, undefined);
      assert.equal((result.metadata as { finishReason?: string }).finishReason, 'cancelled');
      assert.ok(shown.markdown.join('').length > 30);
      assert.ok(shown.markdown.length > 1, 'the Markdown came in pieces, as it arrived');
      const closed = await until(async () => (await serverLog()).filter((r) => r.url.includes('/lm-slow/')).pop()?.clientAborted, 10_000, 'the hang-up');
      assert.equal(closed, true);
    });
  });

  it('the walkthrough opens when asked ("Ask LLM: Get Started")', async () => {
    await vscode.commands.executeCommand('askLlm.openWalkthrough');
    const tab = await until(() => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t && /Walkthrough|Welcome|Get Started/i.test(t.label) ? t : undefined;
    }, 10_000, 'the walkthrough tab');
    assert.ok(tab.label);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  describe('the provider doctor (askLlm.testProvider)', () => {
    let local: http.Server | undefined;
    after(() => local?.close());

    it('tests a profile end to end and over the wire, and writes the fields it found into the settings', async () => {
      // A server that refuses stream_options, as some OpenAI-compatible servers do.
      const basic = loadFixture('openai-chat-basic.sse').body;
      local = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (!req.url?.endsWith('/chat/completions')) return void res.writeHead(404).end('{"error":{"message":"Not Found"}}');
          if (JSON.parse(body).stream_options) {
            res.writeHead(400, { 'content-type': 'application/json' });
            return void res.end('{"error":{"message":"stream_options is not supported"}}');
          }
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(basic);
        });
      });
      await new Promise<void>((r) => local!.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}/v1`;
      await useProfiles([{ id: 'doc', label: 'Doctor me', kind: 'openai', model: 'm', baseUrl: url, maxRetries: 0, params: { temperature: 0 } }]);
      const run = await vscode.commands.executeCommand<{ report: { pipeline: { ok: boolean; error?: { kind: string } }; findings: { streamOptions?: string } }; markdown: string; applied: boolean }>(
        'askLlm.testProvider', { provider: 'doc', apply: true, show: true });
      assert.equal(run.report.pipeline.ok, false, 'as configured, the server refuses the request');
      assert.equal(run.report.findings.streamOptions, 'rejected');
      assert.equal(run.applied, true);
      assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /^# Ask LLM: test of "Doctor me"/);
      assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      const saved = vscode.workspace.getConfiguration('askLlm').get<Array<Record<string, unknown>>>('providers');
      assert.deepEqual(saved, [{ id: 'doc', label: 'Doctor me', kind: 'openai', model: 'm', baseUrl: url, maxRetries: 0, params: { temperature: 0 }, streamUsage: false }]);
      const again = await vscode.commands.executeCommand<{ report: { pipeline: { ok: boolean; text: string } }; applied: boolean }>('askLlm.testProvider', { provider: 'doc', show: false });
      assert.equal(again.report.pipeline.ok, true, 'with the suggested field, the profile answers');
      assert.equal(again.report.pipeline.text, expectedText('openai-chat-basic.sse'));
    });
  });
});
