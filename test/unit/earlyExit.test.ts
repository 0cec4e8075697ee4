// Leaving early closes the connection: a consumer that breaks out of `streamEvents` (or `stream`)
// at any point aborts the HTTP request, seen from the server's side, for every HTTP kind. The
// server sends the first half of a recorded answer and then stays silent, so only the client
// can end the request.
import { strict as assert } from 'node:assert';
import { PROVIDER_KINDS, type ProviderKind, type ProviderProfile } from '../../src/core/types';
import { apiWith } from '../support/api';
import { startFixtureServer, type FixtureServer, type RecordedRequest } from '../support/fixtureServer';

type HttpKind = Exclude<ProviderKind, 'vscode-lm'>;

/** A profile of each kind whose request hangs after half an answer. */
const STALLING: Record<HttpKind, (base: string) => ProviderProfile> = {
  openai: (b) => ({ id: 'x', kind: 'openai', model: 'm', baseUrl: `${b}/fault/stall/openai-chat-basic.sse/v1` }),
  'openai-completions': (b) => ({ id: 'x', kind: 'openai-completions', model: 'm', baseUrl: `${b}/fault/stall/openai-completions-basic.sse/v1` }),
  'openai-responses': (b) => ({ id: 'x', kind: 'openai-responses', model: 'm', baseUrl: `${b}/fault/stall/openai-responses-basic.sse/v1` }),
  'azure-openai': (b) => ({ id: 'x', kind: 'azure-openai', model: 'dep', baseUrl: `${b}/fault/stall/azure-basic.sse` }),
  anthropic: (b) => ({ id: 'x', kind: 'anthropic', model: 'm', baseUrl: `${b}/fault/stall/anthropic-basic.sse` }),
  gemini: (b) => ({ id: 'x', kind: 'gemini', model: 'm', baseUrl: `${b}/fault/stall/gemini-basic.sse` }),
  ollama: (b) => ({ id: 'x', kind: 'ollama', model: 'm', baseUrl: `${b}/fault/stall/ollama-chat.ndjson` }),
  dashscope: (b) => ({ id: 'x', kind: 'dashscope', model: 'm', baseUrl: `${b}/fault/stall/dashscope-incremental.sse` }),
  ernie: (b) => ({ id: 'x', kind: 'ernie', model: 'm', baseUrl: `${b}/ernie/ok/ernie-v1.sse/stall` }),
  sse: (b) => ({ id: 'x', kind: 'sse', model: 'm', url: `${b}/fault/stall/sse-generic-basic.sse`, textPath: 'data.text', doneWhen: 'event:end' }),
};

describe('leaving early closes the connection (server side, every kind)', () => {
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(() => server.close());

  it('the table covers every HTTP kind', () => {
    assert.deepEqual(Object.keys(STALLING).sort(), PROVIDER_KINDS.filter((k) => k !== 'vscode-lm').sort());
  });

  /** The stalled answer request (ERNIE's token request comes first and ends normally). */
  const stalled = (): RecordedRequest => [...server.requests].reverse().find((r) => r.method === 'POST' && !r.url.includes('/oauth/'))!;

  for (const kind of Object.keys(STALLING) as HttpKind[]) {
    const api = () => apiWith(STALLING[kind](server.url), { apiKey: 'k', secretKey: 'ernie-secret' });

    it(`${kind}: break right after start closes the request`, async () => {
      let sawStart = false;
      for await (const ev of api().streamEvents('hi')) {
        assert.notEqual(ev.type, 'error', JSON.stringify(ev));
        if (ev.type === 'start') {
          sawStart = true;
          break;
        }
      }
      assert.ok(sawStart);
      const req = await server.waitClosed(stalled().id, 3000);
      assert.ok(req.clientAborted, 'the client hung up');
    });

    it(`${kind}: break on the first text closes the request`, async () => {
      let text = '';
      for await (const ev of api().streamEvents('hi')) {
        assert.notEqual(ev.type, 'error', JSON.stringify(ev));
        if (ev.type === 'text') {
          text = ev.text;
          break;
        }
      }
      assert.ok(text, 'text arrived before the stall');
      assert.ok((await server.waitClosed(stalled().id, 3000)).clientAborted);
    });

    it(`${kind}: leaving api.stream() early closes the request`, async () => {
      for await (const piece of api().stream('hi')) {
        assert.ok(piece);
        break;
      }
      assert.ok((await server.waitClosed(stalled().id, 3000)).clientAborted);
    });
  }
});
