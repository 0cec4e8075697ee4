// Per-profile network routes: a proxy with credentials, hosts that bypass it, TLS trust (a CA
// file, or none), over VS Code's http.proxy as the default. Users in China send OpenAI through a
// proxy and reach DashScope or ERNIE directly; a single global proxy cannot do both. So the tests
// run both routes at once, for every kind (the SDK kinds and the native ones take different paths
// to fetch), through a local counting proxy that is the only way to reach `*.invalid` hosts.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { createApi } from '../../src/api';
import { hasNetworkSettings, parseProfiles, proxyFor, withNetworkDefaults } from '../../src/core/profiles';
import { preconnect } from '../../src/providers/network';
import type { LlmEvent, ProviderProfile } from '../../src/core/types';
import { collect, type Collected } from '../support/collect';
import { startCountingProxy, type CountingProxy } from '../support/countingProxy';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { ERNIE_SECRET, expectedText, HTTP_KINDS, KIND_CASES, type HttpKind } from '../support/kinds';
import { startHttpsFront, tlsDir, type HttpsFront } from '../support/tls';

const KEYS = { apiKey: 'sk-network-test', secretKey: ERNIE_SECRET };
const ONLY_THE_PROXY_KNOWS = 'askllm-proxy-test.invalid';
const CREDENTIALS = 'alice:s3cret-proxy-pass';

function errorOf(got: Collected): Extract<LlmEvent, { type: 'error' }>['error'] {
  assert.equal(got.terminal?.type, 'error', `expected an error, got ${JSON.stringify(got.terminal)}`);
  return (got.terminal as Extract<LlmEvent, { type: 'error' }>).error;
}

async function forEveryKind(check: (kind: HttpKind) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(HTTP_KINDS.map((k) => check(k)));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${HTTP_KINDS[i]}: ${(r.reason as Error)?.message ?? r.reason}`] : []));
  if (failed.length) throw new Error(`${failed.length} kind(s) failed:\n${failed.join('\n')}`);
}

const apiOver = (profiles: ProviderProfile[], logs: string[] = []) => createApi({
  profiles: () => profiles.map((p) => ({ maxRetries: 0, ...p })),
  activeProfileId: () => profiles[0].id,
  keysFor: async () => KEYS,
  log: (_level, message) => logs.push(message),
});

describe('network settings per profile', () => {
  let server: FixtureServer;
  let proxy: CountingProxy;
  let proxyUrl: string;
  before(async () => {
    server = await startFixtureServer();
    proxy = await startCountingProxy(server.url, { credentials: CREDENTIALS });
    proxyUrl = proxy.url.replace('http://', `http://${CREDENTIALS}@`);
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  const port = () => new URL(server.url).port;
  const requestsOf = (id: string) => server.requests.filter((r) => r.url.includes(`/${id}/`));

  it('profile A through the proxy (credentials as Proxy-Authorization) and profile B direct, at once, for every kind', () => forEveryKind(async (kind) => {
    const a = { ...KIND_CASES[kind].profile(`http://${ONLY_THE_PROXY_KNOWS}:${port()}`, `${kind}-proxied`), proxy: proxyUrl };
    const b = KIND_CASES[kind].profile(server.url, `${kind}-direct`);
    const logs: string[] = [];
    const api = apiOver([a, b], logs);
    const [viaProxy, direct] = await Promise.all([collect(api.streamEvents('hi', { provider: a.id })), collect(api.streamEvents('hi', { provider: b.id }))]);
    assert.equal(viaProxy.text, expectedText(kind), JSON.stringify(viaProxy.terminal));
    assert.equal(direct.text, expectedText(kind), JSON.stringify(direct.terminal));
    // A's host resolves nowhere but in the proxy: the server saw A's requests, so the proxy carried them.
    assert.ok(requestsOf(a.id).length > 0);
    assert.ok(requestsOf(a.id).every((r) => r.headers.host === `${ONLY_THE_PROXY_KNOWS}:${port()}`));
    assert.ok(requestsOf(b.id).length > 0 && requestsOf(b.id).every((r) => r.headers.host === `127.0.0.1:${port()}`), 'B went directly');
    // The log says which route, never the proxy's password.
    assert.ok(logs.some((l) => l.includes(`through the proxy ${proxy.url}`)), logs.join('\n'));
    assert.ok(!logs.join('\n').includes('s3cret-proxy-pass'));
  }));

  it('the proxy saw only the proxied profiles, each time with the credentials, and never the direct ones', () => {
    assert.ok(proxy.seen.length > 0);
    assert.ok(proxy.seen.every((s) => s.includes(ONLY_THE_PROXY_KNOWS)), proxy.seen.join(', '));
    assert.ok(proxy.auth.every((h) => h === `Basic ${Buffer.from(CREDENTIALS).toString('base64')}`), proxy.auth.join(', '));
    // The credentials go to the proxy, never to the provider.
    assert.ok(server.requests.every((r) => !r.headers['proxy-authorization']));
  });

  it('noProxy sends a listed host directly, past the proxy', async () => {
    const before = proxy.seen.length;
    const got = await collect(apiOver([{ ...KIND_CASES.openai.profile(server.url, 'bypass'), proxy: proxyUrl, noProxy: ['example.com', '127.0.0.1'] }]).streamEvents('hi'));
    assert.equal(got.text, expectedText('openai'));
    assert.equal(proxy.seen.length, before, 'the proxy saw nothing');
  });

  it('wrong proxy credentials: an error that names the proxy and the 407, not the provider', async () => {
    const bad = proxy.url.replace('http://', 'http://alice:wrong-password@');
    const logs: string[] = [];
    for (const kind of ['openai', 'anthropic'] as HttpKind[]) {
      const got = await collect(apiOver([{ ...KIND_CASES[kind].profile(`http://${ONLY_THE_PROXY_KNOWS}:${port()}`, `${kind}-407`), proxy: bad }], logs).streamEvents('hi'));
      const error = errorOf(got);
      assert.equal(error.kind, 'network');
      assert.match(error.message, new RegExp(`proxy ${proxy.url.replace(/[.]/g, '\\.')} refused the request \\(407`));
      assert.doesNotMatch(error.message, /wrong-password/);
    }
    assert.doesNotMatch(logs.join('\n'), /wrong-password/);
  });

  it('a proxy nobody answers at: "Cannot reach the proxy"', async () => {
    const got = await collect(apiOver([{ ...KIND_CASES.gemini.profile(`http://${ONLY_THE_PROXY_KNOWS}:${port()}`, 'gone'), proxy: 'http://127.0.0.1:1' }]).streamEvents('hi'));
    assert.match(errorOf(got).message, /Cannot reach the proxy http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);
  });

  it('Stop through the proxy still closes the connection at once (server side)', async () => {
    const id = 'proxied-stop';
    const ctl = new AbortController();
    const got = await collect(apiOver([{ ...KIND_CASES.anthropic.profile(`http://${ONLY_THE_PROXY_KNOWS}:${port()}/fx/stall:5`, id), proxy: proxyUrl }]).streamEvents('hi', { signal: ctl.signal }), (ev) => {
      if (ev.type === 'text') ctl.abort();
    });
    assert.deepEqual(got.terminal, { type: 'end', finishReason: 'cancelled' });
    assert.ok((await server.waitClosed(requestsOf(id)[0].id, 3000)).clientAborted);
  });

  describe('TLS: caFile and rejectUnauthorized', () => {
    let front: HttpsFront;
    let tunnel: CountingProxy;
    const caFile = () => path.join(tlsDir(), 'ca.pem');
    before(async () => {
      front = await startHttpsFront(server.url);
      tunnel = await startCountingProxy(front.url);
    });
    after(async () => {
      await tunnel.close();
      await front.close();
    });

    it('a certificate the system does not trust: a network error that points at caFile, not retried', async () => {
      const got = await collect(apiOver([{ ...KIND_CASES.openai.profile(front.url, 'untrusted'), maxRetries: 2 }]).streamEvents('hi'));
      const error = errorOf(got);
      assert.equal(error.kind, 'network');
      assert.match(error.message, /TLS certificate is not trusted/);
      assert.match(error.message, /caFile/);
      assert.equal(error.retryable, false);
    });

    it('caFile trusts the CA, for every kind', () => forEveryKind(async (kind) => {
      const got = await collect(apiOver([{ ...KIND_CASES[kind].profile(front.url, `${kind}-ca`), caFile: caFile() }]).streamEvents('hi'));
      assert.equal(got.text, expectedText(kind), JSON.stringify(got.terminal));
    }));

    it('rejectUnauthorized: false accepts the certificate unchecked', async () => {
      const got = await collect(apiOver([{ ...KIND_CASES.anthropic.profile(front.url, 'unchecked'), rejectUnauthorized: false }]).streamEvents('hi'));
      assert.equal(got.text, expectedText('anthropic'), JSON.stringify(got.terminal));
    });

    it('through a proxy to an HTTPS provider (a CONNECT tunnel), with the CA file, for every kind', () => forEveryKind(async (kind) => {
      const profile = { ...KIND_CASES[kind].profile(`https://${ONLY_THE_PROXY_KNOWS}:${front.port}`, `${kind}-tunnel`), proxy: tunnel.url, caFile: caFile() };
      const got = await collect(apiOver([profile]).streamEvents('hi'));
      assert.equal(got.text, expectedText(kind), JSON.stringify(got.terminal));
      assert.ok(tunnel.seen.includes(`CONNECT ${ONLY_THE_PROXY_KNOWS}:${front.port}`), tunnel.seen.join(', '));
    }));

    it('a warm-up while the user types opens the connection (here a proxy tunnel and TLS) that the question then uses: one CONNECT, no key sent early', async () => {
      const own = await startCountingProxy(front.url); // a route of its own: no tunnel left open by another test
      try {
        const profile = { ...KIND_CASES.openai.profile(`https://${ONLY_THE_PROXY_KNOWS}:${front.port}`, 'warm'), proxy: own.url, caFile: caFile() };
        const tunnels = () => own.seen.filter((s) => s === `CONNECT ${ONLY_THE_PROXY_KNOWS}:${front.port}`).length;
        const before = { tunnels: tunnels(), requests: server.requests.length };
        assert.equal(await preconnect(profile), true);
        assert.equal(tunnels() - before.tunnels, 1, 'the tunnel is open');
        const head = server.requests.slice(before.requests);
        assert.deepEqual(head.map((r) => `${r.method} ${r.url}`), ['OPTIONS /']);
        assert.equal(head[0].headers.authorization, undefined, 'no key goes with it');
        assert.equal(await preconnect(profile), false, 'again at once: nothing more (one per few seconds)');
        // The user types on: undici puts the connection back in its pool a moment after the response
        // is read, and a request sent in that very moment would open another.
        await new Promise((r) => setTimeout(r, 50));

        const got = await collect(apiOver([profile]).streamEvents('hi'));
        assert.equal(got.text, expectedText('openai'), JSON.stringify(got.terminal));
        assert.equal(tunnels() - before.tunnels, 1, `the question went through the warm connection, no second tunnel: ${own.seen.join(', ')}`);
      } finally {
        await own.close();
      }
    });

    it('no warm-up for a provider on this machine or the local network, nor for one with no URL (VS Code language models)', async () => {
      const before = server.requests.length;
      assert.equal(await preconnect(KIND_CASES.openai.profile(server.url, 'local')), false);
      assert.equal(await preconnect({ id: 'lm', kind: 'vscode-lm', model: 'copilot-gpt-4o' }), false);
      assert.equal(server.requests.length, before);
    });

    it('a caFile that cannot be read: an error naming the file and the profile, and nothing is sent', async () => {
      const before = server.requests.length;
      const got = await collect(apiOver([{ ...KIND_CASES.dashscope.profile(front.url, 'noca'), caFile: '/nonexistent/corp-ca.pem' }]).streamEvents('hi'));
      const error = errorOf(got);
      assert.equal(error.kind, 'network');
      assert.match(error.message, /profile "noca".*caFile "\/nonexistent\/corp-ca\.pem" cannot be read: no such file/);
      assert.equal(server.requests.length, before);
    });
  });
});

describe('network settings: parsing, defaults, noProxy', () => {
  it('parses proxy, noProxy, caFile, rejectUnauthorized and refuses what cannot work', () => {
    const ok = parseProfiles([{ id: 'a', kind: 'openai', model: 'm', proxy: 'http://u:p@proxy:8080', noProxy: ['dashscope.aliyuncs.com'], caFile: '~/ca.pem', rejectUnauthorized: false }]);
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.profiles[0], { id: 'a', kind: 'openai', model: 'm', proxy: 'http://u:p@proxy:8080', noProxy: ['dashscope.aliyuncs.com'], caFile: '~/ca.pem', rejectUnauthorized: false });
    assert.equal(parseProfiles([{ id: 'a', kind: 'openai', model: 'm', proxy: '' }]).profiles[0].proxy, '', '"" is kept: no proxy at all');
    const bad = parseProfiles([
      { id: 'b', kind: 'openai', model: 'm', proxy: 'socks5://127.0.0.1:1080' },
      { id: 'c', kind: 'openai', model: 'm', proxy: 'proxy.example.com:8080' },
      { id: 'd', kind: 'openai', model: 'm', noProxy: [1] },
      { id: 'e', kind: 'openai', model: 'm', caFile: 'certs/ca.pem' },
      { id: 'f', kind: 'openai', model: 'm', rejectUnauthorized: 'no' },
      { id: 'g', kind: 'openai', model: 'm', proxy: 'http://user:hunter2-secret@proxy.example.com:8080/path' },
    ]);
    assert.equal(bad.profiles.length, 0);
    assert.equal(bad.errors.length, 6, bad.errors.join('\n'));
    assert.ok(!bad.errors.join('\n').includes('hunter2-secret'), 'a refused proxy URL is quoted without its password');
  });

  it("VS Code's http.proxy and http.noProxy are the default; a profile's own setting (even \"\") wins", () => {
    const d = { proxy: 'http://corp-proxy:3128', noProxy: ['localhost'] };
    const base: ProviderProfile = { id: 'x', kind: 'openai', model: 'm' };
    assert.deepEqual(withNetworkDefaults(base, d), { ...base, proxy: 'http://corp-proxy:3128', noProxy: ['localhost'] });
    assert.equal(withNetworkDefaults({ ...base, proxy: '' }, d).proxy, '');
    assert.deepEqual(withNetworkDefaults({ ...base, proxy: 'http://other:1', noProxy: [] }, d), { ...base, proxy: 'http://other:1', noProxy: [] });
    assert.deepEqual(withNetworkDefaults(base, { proxy: 'socks5://127.0.0.1:1080' }), base, 'a socks proxy stays with VS Code');
    assert.deepEqual(withNetworkDefaults(base, undefined), base);
    assert.equal(hasNetworkSettings(base), false, 'no settings: the host fetch (VS Code’s own proxy support) carries the request');
    assert.equal(hasNetworkSettings({ ...base, proxy: '' }), true, '"" must bypass VS Code’s proxy too, so it takes our own direct route');
  });

  it('noProxy: names cover subdomains, *.name and .name, IPs, IPv4 ranges, ports, and *', () => {
    const p = (noProxy: string[]) => ({ proxy: 'http://proxy:1', noProxy });
    const via = (url: string, noProxy: string[]) => proxyFor(url, p(noProxy)) !== undefined;
    assert.equal(via('https://dashscope.aliyuncs.com/api', ['aliyuncs.com']), false);
    assert.equal(via('https://api.openai.com/v1', ['aliyuncs.com']), true);
    assert.equal(via('https://notaliyuncs.com/v1', ['aliyuncs.com']), true, 'a suffix is not a subdomain');
    assert.equal(via('https://a.b.example.com', ['*.example.com']), false);
    assert.equal(via('https://example.com', ['.example.com']), false);
    assert.equal(via('http://10.1.2.3:8000/v1', ['10.0.0.0/8']), false);
    assert.equal(via('http://11.1.2.3:8000/v1', ['10.0.0.0/8']), true);
    assert.equal(via('http://localhost:11434', ['localhost:11434']), false);
    assert.equal(via('http://localhost:8000', ['localhost:11434']), true);
    assert.equal(via('http://[::1]:8000', ['::1']), false);
    assert.equal(via('https://anything.example', ['*']), false);
    assert.equal(proxyFor('https://api.openai.com', { proxy: '' }), undefined);
  });
});
