// Keys live only in SecretStorage or the environment. This runs a known key (and ERNIE's secret
// key, and a proxy password) through every kind, in the ways a request can go well or badly, and
// then searches everything the extension emits in a unit context: every log line (with the URLs
// it names), every event, every error message, what `invoke` and `stream` throw. The key appears
// nowhere, also when a server echoes it back in an error body or an SDK quotes it in an exception.
//
// Not covered here (they need a real VS Code): the chat history in workspace storage, the webview
// DOM, settings.json. Those hold answers and errors as the events below carry them, so what is
// clean here is clean there; the integration and e2e suites own those surfaces.
import { strict as assert } from 'node:assert';
import { createApi } from '../../src/api';
import { LlmError } from '../../src/core/errors';
import type { ProviderProfile } from '../../src/core/types';
import { rawServer, type RawServer } from '../support/api';
import { startCountingProxy, type CountingProxy } from '../support/countingProxy';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { ERNIE_SECRET, HTTP_KINDS, KIND_CASES, type HttpKind } from '../support/kinds';

const stamp = Date.now().toString(36);
const API_KEY = `sk-canary-${stamp}-4f9aQ`;
const SECRET_KEY = `${ERNIE_SECRET}-canary-${stamp}`;
const PROXY_PASSWORD = `pw-canary-${stamp}`;

/** Every spelling of a secret that could show up: as is, URL-encoded, in a Basic header. */
function spellings(): string[] {
  const out = new Set<string>();
  for (const s of [API_KEY, SECRET_KEY, PROXY_PASSWORD]) {
    out.add(s);
    out.add(encodeURIComponent(s));
    out.add(s.slice(0, -3)); // a masked key that keeps most of it still leaks it
  }
  out.add(Buffer.from(`alice:${PROXY_PASSWORD}`).toString('base64'));
  return [...out];
}

describe('secrets: the key appears in nothing the extension emits', function () {
  this.timeout(60_000);
  let server: FixtureServer;
  let echo: RawServer;
  let proxy: CountingProxy;
  const emitted: string[] = [];
  const log = (level: string, message: string) => emitted.push(`[log ${level}] ${message}`);

  before(async () => {
    server = await startFixtureServer();
    // A server that quotes the credentials it got back in its error body, as some gateways do.
    echo = await rawServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const creds = [req.headers.authorization, req.headers['api-key'], req.headers['x-api-key'], req.headers['x-goog-api-key'], url.searchParams.get('client_id'), url.searchParams.get('client_secret')]
        .filter(Boolean).join(' and ');
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(url.pathname.endsWith('/oauth/2.0/token')
        ? JSON.stringify({ error: 'invalid_client', error_description: `unknown client ${creds}` })
        : JSON.stringify({ error: { message: `Incorrect API key provided: ${creds}. You can find your API key at https://example.com/keys?k=${encodeURIComponent(creds)}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    proxy = await startCountingProxy(server.url, { credentials: `alice:${PROXY_PASSWORD}` });
  });
  after(async () => {
    await proxy.close();
    await echo.close();
    await server.close();
  });

  const proxied = (p: string) => p.replace('http://', `http://alice:${PROXY_PASSWORD}@`);
  /** Each way a request of this kind can go, as a profile. */
  const scenarios = (kind: HttpKind): ProviderProfile[] => {
    const c = KIND_CASES[kind];
    return [
      c.profile(server.url, `${kind}-ok`),
      c.profile(echo.url, `${kind}-echo`),
      { ...c.profile(`${server.url}/fx/stall:${c.partial}`, `${kind}-timeout`), timeouts: { idleMs: 200 } },
      c.profile(`${server.url}/fx/badjson:${c.partial}`, `${kind}-badjson`),
      c.profile(`${server.url}/fx/redirect:307:${encodeURIComponent(echo.url)}`, `${kind}-redirect`),
      c.profile(`${server.url}/fx/html:502`, `${kind}-html`),
      { ...c.profile(`http://askllm-proxy-test.invalid:${new URL(server.url).port}`, `${kind}-proxy`), proxy: proxied(proxy.url) },
      { ...c.profile(server.url, `${kind}-badproxy`), proxy: proxy.url.replace('http://', 'http://alice:wrong@'), noProxy: [] },
      c.profile('http://127.0.0.1:1', `${kind}-refused`),
    ];
  };
  async function record(profile: ProviderProfile, keys: { apiKey?: string; secretKey?: string }) {
    const api = createApi({ profiles: () => [{ maxRetries: 1, ...profile }], activeProfileId: () => profile.id, keysFor: async () => keys, log, retryBaseMs: 5 });
    for await (const ev of api.streamEvents('a private prompt')) emitted.push(`[event ${profile.id}] ${JSON.stringify(ev)}`);
    try {
      emitted.push(`[invoke ${profile.id}] ${await api.invoke('hi')}`);
    } catch (err) {
      emitted.push(`[invoke threw ${profile.id}] ${String(err)} ${(err as Error).stack} ${JSON.stringify((err as LlmError).info)} ${(err as LlmError).partialText}`);
    }
    try {
      for await (const piece of api.stream('hi')) emitted.push(`[stream ${profile.id}] ${piece}`);
    } catch (err) {
      emitted.push(`[stream threw ${profile.id}] ${String(err)} ${JSON.stringify((err as LlmError).info)}`);
    }
  }

  it('runs every kind through success, an echoing 401, a timeout, a malformed event, a redirect, an HTML page, a proxy, a refused proxy, a refused connection', async () => {
    await Promise.all(HTTP_KINDS.map(async (kind) => {
      for (const profile of scenarios(kind)) await record(profile, { apiKey: API_KEY, secretKey: SECRET_KEY });
    }));
    // The run was real: the key went out (to the servers it belongs to), the answers came back.
    assert.ok(server.requests.some((r) => JSON.stringify(r.headers).includes(API_KEY) || r.url.includes(encodeURIComponent(API_KEY))), 'the key was sent');
    assert.ok(echo.seen.length > 0, 'the echoing server was asked');
    assert.ok(emitted.some((e) => e.includes('Incorrect API key provided')), 'the echoing server was heard');
    assert.ok(proxy.auth.some((a) => a.includes(Buffer.from(`alice:${PROXY_PASSWORD}`).toString('base64'))), 'the proxy got its password');
    assert.ok(emitted.length > HTTP_KINDS.length * 9 * 3);
  });

  it('and a key an SDK refuses to put in a header (a control character in it, from a pasted or CRLF .env value)', async () => {
    const bad = `${API_KEY}\u0001x`;
    const before = server.requests.length;
    await Promise.all(HTTP_KINDS.map((kind) => record(KIND_CASES[kind].profile(server.url, `${kind}-badkey`), { apiKey: bad, secretKey: SECRET_KEY })));
    for (const kind of HTTP_KINDS) {
      const ev = emitted.find((e) => e.startsWith(`[event ${kind}-badkey] {"type":"error"`));
      assert.match(ev ?? '', /"kind":"auth".*control character inside, so it cannot be sent/, kind);
    }
    assert.equal(server.requests.length, before, 'nothing was sent');
  });

  it('none of it holds the key, the secret key or the proxy password, in any spelling', () => {
    const leaks = emitted.flatMap((e) => spellings().filter((s) => e.includes(s)).map((s) => `${s} in: ${e.slice(0, 400)}`));
    assert.deepEqual(leaks, []);
  });
});
