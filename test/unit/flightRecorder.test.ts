// The flight recorder: the last answers' raw response bytes with their arrival times, cleaned of
// keys and tokens, bounded in memory; saved in the fixture format of test/fixtures/providers and
// played back over HTTP the way they came. Redaction and the format alone, then every kind over
// real HTTP: recorded, saved, replayed, the same text; the known key nowhere in what is kept.
import { strict as assert } from 'node:assert';
import { createApi } from '../../src/api';
import { foldAnswer } from '../../src/core/answer';
import { replayPlan, toFixture, rawExtension, type FixtureExpected } from '../../src/core/fixtureFile';
import { FlightRecorder, REDACTED, redactBytes, redactHeaders, redactText, redactUrl } from '../../src/core/flightRecorder';
import type { ProviderProfile } from '../../src/core/types';
import { replayProfile, startReplayServer } from '../../src/host/replayServer';
import { rawServer, type RawServer } from '../support/api';
import { loadFixture, startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { ERNIE_SECRET, expectedText, HTTP_KINDS, KIND_CASES } from '../support/kinds';

const enc = new TextEncoder();
const dec = new TextDecoder();
const stamp = Date.now().toString(36);
const KEY = `sk-flight-${stamp}-Zq9`;
const SECRET = `${ERNIE_SECRET}-flight-${stamp}`;

/** Every spelling of the test's secrets that would be a leak. */
function leaks(text: string): string[] {
  const forms = [KEY, SECRET, encodeURIComponent(KEY), encodeURIComponent(SECRET), KEY.slice(0, -3), SECRET.slice(0, -3)];
  return forms.filter((f) => text.includes(f));
}

describe('flight recorder: redaction', () => {
  it('replaces a secret in the bytes, also split across pieces, URL-encoded or JSON-escaped; piece ends move with it', () => {
    const secret = 'sk-abc/def"123';
    const body = `data: {"echo":"${JSON.stringify(secret).slice(1, -1)}"}\n\ndata: ${encodeURIComponent(secret)} and ${secret}\n\n`;
    const bytes = enc.encode(body);
    const cut = body.indexOf('sk-abc') + 3; // a network read ended inside the first secret
    const pieces = [bytes.subarray(0, cut), bytes.subarray(cut, 40), bytes.subarray(40)];
    const { body: out, ends } = redactBytes(pieces, [secret]);
    const text = dec.decode(out);
    assert.equal(text, `data: {"echo":"${REDACTED}"}\n\ndata: ${REDACTED} and ${REDACTED}\n\n`);
    assert.equal(ends.length, 3, 'one end per piece');
    assert.equal(ends[2], out.length);
    assert.equal(ends[0], text.indexOf(REDACTED) + enc.encode(REDACTED).length, 'a cut inside a secret moves to after its mark');
    assert.ok(ends[0] <= ends[1] && ends[1] <= ends[2]);
  });

  it('leaves bytes without secrets exactly as they came, split UTF-8 included', () => {
    const bytes = enc.encode('data: {"t":"杭州 🌸"}\n\n');
    const pieces = [bytes.subarray(0, 13), bytes.subarray(13, 14), bytes.subarray(14)];
    const { body, ends } = redactBytes(pieces, ['not-in-there-123']);
    assert.deepEqual([...body], [...bytes]);
    assert.deepEqual(ends, [13, 14, bytes.length]);
  });

  it('URLs lose credential parameters (ERNIE\u2019s access_token, key, client_secret) and user info', () => {
    assert.equal(redactUrl('https://aip.baidubce.com/rpc/2.0/chat/x?access_token=24.abc123def&foo=1', []), `https://aip.baidubce.com/rpc/2.0/chat/x?access_token=${REDACTED}&foo=1`);
    assert.equal(redactUrl('https://g.example/v1beta/models/m:streamGenerateContent?alt=sse&key=AIzaSecret99', []), `https://g.example/v1beta/models/m:streamGenerateContent?alt=sse&key=${REDACTED}`);
    assert.equal(redactUrl('https://u:pw@x.example/token?client_id=id12345&client_secret=s12345', []), `https://x.example/token?client_id=${REDACTED}&client_secret=${REDACTED}`);
    assert.equal(redactUrl('https://x.example/k/sk-inpath-777/v1', ['sk-inpath-777']), `https://x.example/k/${REDACTED}/v1`);
  });

  it('request headers that carry credentials are replaced (the scheme stays), response cookies too', () => {
    const req = redactHeaders({ Authorization: `Bearer ${KEY}`, 'api-key': KEY, 'x-api-key': KEY, 'x-goog-api-key': KEY, 'X-Custom-Token': 'abc123xyz', 'content-type': 'application/json', 'x-trace': `has ${KEY} inside` }, [KEY], true);
    assert.deepEqual(req, {
      authorization: `Bearer ${REDACTED}`, 'api-key': REDACTED, 'x-api-key': REDACTED, 'x-goog-api-key': REDACTED, 'x-custom-token': REDACTED,
      'content-type': 'application/json', 'x-trace': `has ${REDACTED} inside`,
    });
    const res = redactHeaders(new Headers({ 'set-cookie': 'sid=1', 'content-type': 'text/event-stream' }), [], false);
    assert.deepEqual(res, { 'set-cookie': REDACTED, 'content-type': 'text/event-stream' });
    assert.equal(redactText('short abc', ['abc']), 'short abc', 'a secret shorter than 6 characters is no secret');
  });
});

describe('flight recorder: memory', () => {
  const profile: ProviderProfile = { id: 'p', kind: 'openai', model: 'm' };
  const answer = (r: FlightRecorder, bytes: number, chunk = 1000) => {
    const rec = r.begin(profile, 'm', [{ role: 'user', content: 'q' }]);
    const cap = rec.exchanges.exchange({ method: 'POST', url: 'http://x/v1', status: 200, responseHeaders: [['content-type', 'text/event-stream']] });
    for (let n = 0; n < bytes; n += chunk) cap.push(new Uint8Array(chunk));
    rec.end();
  };

  it('keeps the last 20 answers', () => {
    const r = new FlightRecorder();
    for (let i = 0; i < 25; i++) answer(r, 1000);
    assert.equal(r.list().length, 20);
    assert.equal(r.list()[0].seq, 25, 'newest first');
    assert.equal(r.list()[19].seq, 6);
  });

  it('caps the bytes of one answer (marked truncated) and of all of them (the oldest go)', () => {
    const r = new FlightRecorder({ maxAnswers: 20, maxBytesPerAnswer: 10_000, maxTotalBytes: 35_000 });
    answer(r, 50_000);
    const big = r.list()[0];
    assert.equal(big.exchange!.body.length, 10_000);
    assert.equal(big.exchange!.truncated, true);
    for (let i = 0; i < 4; i++) answer(r, 9000);
    assert.ok(r.bytes <= 35_000, `${r.bytes} bytes held`);
    assert.ok(!r.get(big.seq), 'the oldest went first');
  });

  it('the hot path is a reference and a timestamp: per chunk, about what reading the clock costs', () => {
    const r = new FlightRecorder({ maxAnswers: 20, maxBytesPerAnswer: Number.MAX_SAFE_INTEGER, maxTotalBytes: Number.MAX_SAFE_INTEGER });
    const rec = r.begin(profile, 'm', []);
    const cap = rec.exchanges.exchange({ method: 'POST', url: 'http://x', status: 200, responseHeaders: [] });
    const chunk = new Uint8Array(64);
    const t0 = performance.now();
    for (let i = 0; i < 200_000; i++) cap.push(chunk);
    const perChunkNs = ((performance.now() - t0) * 1e6) / 200_000;
    const c0 = performance.now();
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += performance.now();
    const clockNs = ((performance.now() - c0) * 1e6) / 200_000;
    console.log(`      flight recorder: ${perChunkNs.toFixed(0)} ns per chunk pushed (performance.now() alone: ${clockNs.toFixed(0)} ns${sum > 0 ? '' : ''})`);
    // Generous: a busy shared machine is slow at everything; this catches a copy or a decode sneaking in.
    assert.ok(perChunkNs < 5000, `${perChunkNs} ns per chunk`);
  });
});

describe('flight recorder: every kind over real HTTP, saved and replayed', function () {
  this.timeout(60_000);
  let server: FixtureServer;
  let echo: RawServer;
  before(async () => {
    server = await startFixtureServer();
    // A gateway that quotes the credentials it got in its error body.
    echo = await rawServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'set-cookie': 'session=s3cr3t-cookie' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization ?? req.headers['x-api-key'] ?? req.headers['api-key'] ?? req.headers['x-goog-api-key'] ?? req.url}`, type: 'invalid_request_error' } }));
    });
  });
  after(async () => {
    await echo.close();
    await server.close();
  });

  async function record(profile: ProviderProfile, recorder = new FlightRecorder()) {
    const api = createApi({ profiles: () => [{ maxRetries: 0, ...profile }], activeProfileId: () => profile.id, keysFor: async () => ({ apiKey: KEY, secretKey: SECRET }), recorder });
    const outcome = await foldAnswer(api.streamEvents('Tell me about Hangzhou'), []);
    return { outcome, recording: recorder.list()[0] };
  }

  for (const kind of HTTP_KINDS) {
    it(`${kind}: the recorded bytes are the server\u2019s, the fixture names the answer, a replay at 10\u00d7 gives the same text; no key anywhere`, async () => {
      const c = KIND_CASES[kind];
      // Cut into random pieces by the server, so the piece offsets and times mean something.
      const profile = c.profile(server.url, `fr-${kind}`);
      for (const k of ['baseUrl', 'url'] as const) if (profile[k]) profile[k] = profile[k]!.replace('/whole/', '/random-7/');
      const { outcome, recording } = await record(profile);
      assert.equal(outcome.text, expectedText(kind));
      const x = recording.exchange!;
      assert.deepEqual([...x.body], [...loadFixture(c.fixture).body], 'the raw body, byte for byte');
      assert.ok(x.pieceEnds.length > 1, 'in the pieces it came in');
      const pair = toFixture(recording);
      assert.equal(pair.rawName.split('.').pop(), rawExtension(x.responseHeaders['content-type'], x.status));
      assert.equal(pair.expected.expected.text, outcome.text);
      assert.equal(pair.expected.response.status, 200);
      assert.equal(pair.expected.askllm.profile.kind, kind);
      assert.equal(pair.expected.askllm.question, 'Tell me about Hangzhou');
      assert.equal(pair.expected.replay.arrival_ms.length, pair.expected.replay.split_at_byte_offsets.length + 1);
      if (kind === 'ernie') assert.match(pair.expected.endpoint.url, /access_token=‹redacted›/, 'ERNIE\u2019s token is out of the URL');
      const saved = JSON.stringify(pair.expected) + dec.decode(pair.raw);
      assert.deepEqual(leaks(saved), []);

      // Saved and read back (as a file would be), then played over HTTP through a profile of the same kind.
      const plan = replayPlan(JSON.parse(JSON.stringify(pair.expected)), new Uint8Array(pair.raw));
      const replay = await startReplayServer(plan, 10);
      try {
        const api = createApi({ profiles: () => [replayProfile(plan, replay.url, 'replay', 'Replay')], activeProfileId: () => 'replay', keysFor: async () => ({ apiKey: 'replay-key', secretKey: 'replay-secret' }) });
        const again = await foldAnswer(api.streamEvents(plan.question), []);
        assert.equal(again.text, outcome.text, 'the replay gives the same text');
        assert.equal(again.finishReason, outcome.finishReason);
        assert.equal(replay.served, 1);
      } finally {
        await replay.close();
      }
    });
  }

  it('an error body that echoes the key is kept with the key replaced, its cookie too; the saved fixture is an http-error-json', async () => {
    for (const kind of HTTP_KINDS) {
      const { outcome, recording } = await record(KIND_CASES[kind].profile(echo.url, `echo-${kind}`));
      assert.equal(outcome.error?.kind, 'auth', kind);
      const pair = toFixture(recording);
      assert.equal(pair.rawName.endsWith('.json'), true);
      assert.equal(pair.expected.protocol, 'http-error-json');
      assert.equal(pair.expected.response.status, 401);
      const saved = JSON.stringify(pair.expected) + dec.decode(pair.raw);
      assert.match(dec.decode(pair.raw), /Incorrect API key provided: .*‹redacted›/, kind);
      assert.deepEqual(leaks(saved), [], kind);
      assert.doesNotMatch(saved, /s3cr3t-cookie/);
      if (kind === 'ernie') assert.match(pair.expected.endpoint.url, /client_id=‹redacted›&client_secret=‹redacted›/, 'ERNIE sends its keys in the token URL');
      else assert.match(JSON.stringify(pair.expected.request_headers), /‹redacted›/, `${kind}: the credential header is there, replaced`);
    }
  });

  it('a stream cut by a stall: the time of each piece, the silence, and the error are in the fixture', async () => {
    const c = KIND_CASES.openai;
    const { outcome, recording } = await record({ ...c.profile(`${server.url}/fx/stall:${c.partial}`, 'stalled'), timeouts: { idleMs: 300 } });
    assert.equal(outcome.error?.kind, 'timeout');
    const pair = toFixture(recording);
    assert.equal(pair.expected.expected.error?.type, 'timeout');
    assert.equal(pair.expected.expected.terminated_by, 'error-then-eof');
    assert.ok(pair.expected.expected.text.length > 0);
    const plan = replayPlan(pair.expected as FixtureExpected, pair.raw);
    assert.equal(plan.pieceEnds[plan.pieceEnds.length - 1], pair.raw.length);
  });
});
