// The provider doctor's decisions (src/core/doctor.ts) over real HTTP: small local servers that
// behave like the endpoints users meet (recorded streams where we have them), the probes it sends,
// what it concludes, and that the profile it suggests then really works through our pipeline.
import { strict as assert } from 'node:assert';
import type * as http from 'node:http';
import {
  applySuggestion, chunkStyle, doctorMarkdown, doctorTarget, findingsOf, hasChanges, runProbes, suggest,
  type ProbeResult,
} from '../../src/core/doctor';
import type { ProviderProfile } from '../../src/core/types';
import { apiWith, rawServer, type RawServer } from '../support/api';
import { collect } from '../support/collect';
import { loadFixture } from '../support/fixtureServer';

type Reply = { status?: number; type?: string; body: string } | undefined;
type Route = (body: Record<string, unknown>, req: http.IncomingMessage) => Reply;

const sse = (chunks: unknown[], done = true) => chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: unknown) => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) });
const fixture = (name: string): Reply => ({ type: 'text/event-stream', body: loadFixture(name).body.toString('utf8') });
const notFound: Reply = { status: 404, type: 'application/json', body: '{"error":{"message":"Not Found"}}' };
const expectedText = (name: string) => String((loadFixture(name).meta.expected as { text?: string }).text);

/** A server with a route per API path suffix; anything else is a 404. */
async function endpoint(routes: { chat?: Route; responses?: Route; anthropic?: Route }): Promise<RawServer> {
  return rawServer((req, res, raw) => {
    const path = (req.url ?? '').split('?')[0];
    const route = path.endsWith('/chat/completions') ? routes.chat : path.endsWith('/responses') ? routes.responses : path.endsWith('/v1/messages') ? routes.anthropic : undefined;
    let body: Record<string, unknown> = {};
    try { body = JSON.parse(raw || '{}'); } catch { /* not JSON */ }
    const reply = route?.(body, req) ?? notFound!;
    res.writeHead(reply.status ?? 200, { 'content-type': reply.type ?? 'text/event-stream' });
    res.end(reply.body);
  });
}

async function doctor(profile: ProviderProfile, apiKey = 'sk-doctor') {
  const probes = await runProbes(doctorTarget(profile, { apiKey })!, { fetch });
  const findings = findingsOf(profile.kind, probes);
  return { probes, findings, suggestion: suggest(profile, findings) };
}

const openai = (server: RawServer, extra: Partial<ProviderProfile> = {}): ProviderProfile => ({ id: 'p', kind: 'openai', model: 'm', baseUrl: `${server.url}/v1`, ...extra });

describe('provider doctor (core/doctor.ts) over real HTTP', () => {
  const servers: RawServer[] = [];
  const serve = async (routes: Parameters<typeof endpoint>[0]) => {
    const s = await endpoint(routes);
    servers.push(s);
    return s;
  };
  after(() => Promise.all(servers.map((s) => s.close())));

  it('DeepSeek-like: streams deltas, reasoning in delta.reasoning_content, usage with the finish reason, chat completions only; nothing to change', async () => {
    const server = await serve({ chat: () => fixture('deepseek-reasoning.sse') });
    const { probes, findings, suggestion } = await doctor(openai(server));
    assert.deepEqual(findings, {
      apis: { chat: 'yes', responses: 'no', anthropic: 'no' }, api: 'chat', streams: true, streamOptions: 'accepted',
      chunks: 'delta', reasoningField: 'delta.reasoning_content', usage: 'finish',
    });
    assert.equal(hasChanges(suggestion), false);
    // The requests: tiny, streamed, with stream_options, the key as a bearer; then Responses and Anthropic Messages.
    assert.deepEqual(server.seen.map((r) => r.url), ['/v1/chat/completions', '/v1/responses', '/v1/messages']);
    const first = JSON.parse(server.seen[0].body);
    assert.deepEqual([first.model, first.stream, first.stream_options, first.max_tokens], ['m', true, { include_usage: true }, 48]);
    assert.equal(server.seen[0].headers.authorization, 'Bearer sk-doctor');
    assert.equal(server.seen[2].headers['x-api-key'], 'sk-doctor');
    const t = probes[0].timing;
    assert.ok(t.headersMs !== undefined && t.firstTokenMs !== undefined && t.headersMs <= t.firstTokenMs && t.firstTokenMs <= t.totalMs, JSON.stringify(t));
    assert.equal(probes[0].payloads.join(''), expectedText('deepseek-reasoning.sse'));
  });

  it('usage in every chunk (vLLM continuous usage) and in a last chunk with no choices (OpenAI) are told apart', async () => {
    const vllm = await serve({ chat: () => fixture('vllm-reasoning-continuous-usage.sse') });
    assert.equal((await doctor(openai(vllm))).findings.usage, 'every');
    const oai = await serve({ chat: () => fixture('openai-chat-usage.sse') });
    const f = (await doctor(openai(oai))).findings;
    assert.deepEqual([f.usage, f.streamOptions, f.reasoningField], ['final', 'accepted', undefined]);
  });

  it('a server that refuses stream_options: asked again without it, and streamUsage: false is suggested (and removed again once accepted)', async () => {
    const server = await serve({
      chat: (body) => (body.stream_options
        ? { status: 400, type: 'application/json', body: '{"error":{"message":"Unrecognized request argument supplied: stream_options","type":"invalid_request_error"}}' }
        : fixture('openai-chat-basic.sse')),
    });
    const profile = openai(server);
    const { probes, findings, suggestion } = await doctor(profile);
    assert.deepEqual(probes.filter((p) => p.api === 'chat').map((p) => [p.streamOptions, p.status]), [[true, 400], [false, 200]]);
    assert.equal(findings.streamOptions, 'rejected');
    assert.deepEqual(suggestion.set, { streamUsage: false });
    assert.match(suggestion.reasons.join(' '), /stream_options/);
    // The suggested profile gets its answer through the real pipeline; the one before did not.
    const before = await collect(apiWith(profile).streamEvents('hi'));
    assert.equal(before.terminal?.type, 'error');
    const after = await collect(apiWith(applySuggestion(profile, suggestion)).streamEvents('hi'));
    assert.equal(after.text, expectedText('openai-chat-basic.sse'), JSON.stringify(after.terminal));

    const accepting = await serve({ chat: () => fixture('openai-chat-usage.sse') });
    const undo = (await doctor(openai(accepting, { streamUsage: false }))).suggestion;
    assert.deepEqual([undo.set, undo.unset], [{}, ['streamUsage']]);
  });

  it('chunks that repeat the whole text so far: cumulative, and the suggested sse profile reads the answer right', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => String(i + 1));
    const cumulative = sse([...numbers.map((_, i) => chunk({ content: numbers.slice(0, i + 1).join(' ') })), chunk({}, 'stop')]);
    const server = await serve({ chat: () => ({ body: cumulative }) });
    const profile = openai(server);
    const { findings, suggestion } = await doctor(profile);
    assert.equal(findings.chunks, 'cumulative');
    const fixed = applySuggestion(profile, suggestion);
    assert.deepEqual([fixed.kind, fixed.cumulative, fixed.url, fixed.textPath, fixed.baseUrl], ['sse', true, `${server.url}/v1/chat/completions`, 'choices.0.delta.content', undefined]);
    const wrong = await collect(apiWith(profile).streamEvents('count'));
    assert.notEqual(wrong.text, numbers.join(' '), 'the chat kind shows the repeats');
    const right = await collect(apiWith(fixed).streamEvents('count'));
    assert.equal(right.text, numbers.join(' '), JSON.stringify(right.terminal));
  });

  it('a server that answers with one whole JSON although asked to stream: stream: false, which then works', async () => {
    const whole = JSON.stringify({ id: 'x', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: '1 2 3' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } });
    const server = await serve({ chat: () => ({ type: 'application/json', body: whole }) });
    const profile = openai(server);
    const { findings, suggestion } = await doctor(profile);
    assert.deepEqual([findings.streams, findings.chunks, findings.usage], [false, 'single', 'body']);
    assert.deepEqual(suggestion.set, { stream: false });
    const after = await collect(apiWith(applySuggestion(profile, suggestion)).streamEvents('hi'));
    assert.equal(after.text, '1 2 3', JSON.stringify(after.terminal));
  });

  it('an openai profile whose server only speaks Responses: kind openai-responses, which then answers', async () => {
    const server = await serve({ responses: () => fixture('openai-responses-basic.sse') });
    const profile = openai(server);
    const { findings, suggestion } = await doctor(profile);
    assert.deepEqual(findings.apis, { chat: 'no', responses: 'yes', anthropic: 'no' });
    assert.equal(findings.reasoningField, 'response.reasoning_summary_text.delta');
    assert.equal(findings.usage, 'completed');
    assert.deepEqual(suggestion.set, { kind: 'openai-responses' });
    const after = await collect(apiWith(applySuggestion(profile, suggestion)).streamEvents('hi'));
    assert.equal(after.text, expectedText('openai-responses-basic.sse'), JSON.stringify(after.terminal));
  });

  it('an openai profile ending in /v1 whose server speaks Anthropic Messages: kind anthropic with the base URL without /v1', async () => {
    const server = await serve({ anthropic: () => fixture('anthropic-basic.sse') });
    const profile = openai(server);
    const { findings, suggestion } = await doctor(profile);
    assert.deepEqual(findings.apis, { chat: 'no', responses: 'no', anthropic: 'yes' });
    assert.equal(findings.usage, 'messageEvents');
    assert.deepEqual(suggestion.set, { kind: 'anthropic', baseUrl: server.url });
    const after = await collect(apiWith(applySuggestion(profile, suggestion)).streamEvents('hi'));
    assert.equal(after.text, expectedText('anthropic-basic.sse'), JSON.stringify(after.terminal));
  });

  it('an o-series model that refuses max_tokens is asked with max_completion_tokens, not taken for refusing stream_options', async () => {
    const server = await serve({
      chat: (body) => ('max_tokens' in body
        ? { status: 400, type: 'application/json', body: '{"error":{"message":"Unsupported parameter: \'max_tokens\' is not supported with this model. Use \'max_completion_tokens\' instead.","type":"invalid_request_error"}}' }
        : fixture('openai-chat-usage.sse')),
    });
    const { probes, findings, suggestion } = await doctor(openai(server));
    assert.equal(JSON.parse(server.seen[1].body).max_completion_tokens, 48);
    assert.equal(probes.filter((p) => p.api === 'chat').length, 2);
    assert.equal(findings.streamOptions, 'accepted');
    assert.equal(hasChanges(suggestion), false);
  });

  it('a rejected key or an unreachable server: a problem in the server\'s words, and no kind change', async () => {
    const denied = await serve({
      chat: () => ({ status: 401, type: 'application/json', body: '{"error":{"message":"Incorrect API key provided"}}' }),
      anthropic: () => ({ status: 401, type: 'application/json', body: '{"error":{"message":"invalid x-api-key"}}' }),
    });
    const a = await doctor(openai(denied));
    assert.equal(a.findings.apis.chat, 'unknown');
    assert.equal(a.findings.problem, 'HTTP 401: Incorrect API key provided');
    assert.equal(hasChanges(a.suggestion), false);
    assert.equal(denied.seen.filter((r) => r.url.endsWith('/chat/completions')).length, 1, 'no second try for a 401');

    const closed = await rawServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const b = await doctor({ id: 'p', kind: 'openai', model: 'm', baseUrl: `${url}/v1` });
    assert.match(b.findings.problem ?? '', /connection refused/);
    assert.equal(b.probes[0].outcome, 'network');
  });

  it('Azure OpenAI: its deployment URL with api-version and the api-key header, chat completions only', async () => {
    const server = await serve({ chat: () => fixture('azure-basic.sse') });
    const { findings } = await doctor({ id: 'az', kind: 'azure-openai', model: 'my-deployment', baseUrl: server.url, apiVersion: '2024-10-21' });
    assert.deepEqual(server.seen.map((r) => r.url), ['/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21']);
    assert.equal(server.seen[0].headers['api-key'], 'sk-doctor');
    assert.equal(server.seen[0].headers.authorization, undefined);
    assert.deepEqual([findings.apis, findings.streams], [{ chat: 'yes', responses: 'untested', anthropic: 'untested' }, true]);
  });

  it('cancelling stops a probe at once and closes its connection', async () => {
    let closedBy: (() => void) | undefined;
    const gone = new Promise<void>((r) => (closedBy = r));
    const stall = await rawServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse([chunk({ content: '1' })], false));
      res.on('close', () => closedBy?.());
    });
    servers.push(stall);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const probes = await runProbes(doctorTarget(openai(stall), { apiKey: 'k' })!, { fetch, signal: controller.signal });
    assert.ok(Date.now() - started < 5000);
    assert.equal(probes[0].outcome, 'cancelled');
    assert.equal(probes.length, 1, 'nothing more is sent once cancelled');
    await gone;
  });

  it('the report shows each request with its timings, the findings and the profile after the change', async () => {
    const server = await serve({ chat: (body) => (body.stream_options ? { status: 400, type: 'application/json', body: '{"error":{"message":"stream_options is not supported"}}' } : fixture('deepseek-reasoning.sse')) });
    const profile = openai(server, { label: 'My DeepSeek' });
    const { probes, findings, suggestion } = await doctor(profile);
    const md = doctorMarkdown({ profile, probes, findings, suggestion, pipeline: { ok: true, text: 'hello', reasoningChars: 3, finishReason: 'stop', durationMs: 120, firstTokenMs: 40 } });
    assert.match(md, /^# Ask LLM: test of "My DeepSeek"/);
    assert.match(md, /first token 40 ms, done in 120 ms/);
    assert.match(md, /\| Speaks Chat Completions \| ✓ yes \|/);
    assert.match(md, /\| `stream_options` \| refused \|/);
    assert.match(md, /\| Reasoning \| `delta.reasoning_content` \|/);
    assert.equal((md.match(/^\| \d \| /gm) ?? []).length, probes.length, 'one row per request');
    assert.match(md, /\| 1 \| Chat Completions: stream \+ stream_options<br>`POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions` \| 400 \| \d+ ms \|/);
    assert.match(md, /"streamUsage": false/);
  });
});

describe('provider doctor: pure decisions', () => {
  it('chunk styles', () => {
    assert.equal(chunkStyle([]), 'none');
    assert.equal(chunkStyle(['1 2 3']), 'single');
    assert.equal(chunkStyle(['1', ' 2', ' 3']), 'delta');
    assert.equal(chunkStyle(['1', '1 2', '1 2 3']), 'cumulative');
    assert.equal(chunkStyle(['ab', 'ab']), 'delta', 'a repeat that never grows is not the whole text so far');
    assert.equal(chunkStyle(['a', 'ab', 'x']), 'delta');
  });

  it('an sse profile: cumulative turned on or off as its events show', () => {
    const base: ProviderProfile = { id: 's', kind: 'sse', model: 'x', url: 'http://127.0.0.1:1/x' };
    const apis = { chat: 'untested', responses: 'untested', anthropic: 'untested' } as const;
    assert.deepEqual(suggest(base, { apis, chunks: 'cumulative' }).set, { cumulative: true });
    assert.deepEqual(suggest({ ...base, cumulative: true }, { apis, chunks: 'delta' }).unset, ['cumulative']);
    assert.equal(hasChanges(suggest(base, { apis, chunks: 'delta' })), false);
  });

  it('a 500 on the profile\'s own API is no reason to switch kinds', () => {
    const probe = (api: ProbeResult['api'], status: number, recognized: boolean): ProbeResult => ({
      api, title: '', url: '', streamRequested: true, streamOptions: false, status, outcome: status < 400 ? 'ok' : 'httpError',
      sse: true, recognized, payloads: recognized ? ['a', 'b'] : [], reasoningChars: 0, usage: 'none', timing: { totalMs: 1 },
    });
    const f = findingsOf('openai', [probe('chat', 500, false), probe('responses', 200, true)]);
    assert.equal(f.api, undefined);
    assert.equal(hasChanges(suggest({ id: 'p', kind: 'openai', model: 'm' }, f)), false);
  });

  it('kinds with their own wire (dashscope, ernie, gemini, ollama, sse, vscode-lm) get no wire probes', () => {
    for (const kind of ['dashscope', 'ernie', 'gemini', 'ollama', 'sse', 'vscode-lm', 'openai-completions'] as const) {
      assert.equal(doctorTarget({ id: 'd', kind, model: 'm' }, {}), undefined, kind);
    }
  });
});
